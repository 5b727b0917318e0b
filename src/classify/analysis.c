/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analysis.c - a message's and its records' analysis, each part read once
 * (see analysis.h).
 *
 * Many readers ask the same questions: the facade and every recogniser
 * whether From or Subject announce a bounce and which phrases of their
 * lists From, Subject and the notification text hold; the DSN parser, the
 * recognisers (common_fill(), sendmail's enrich hook), the command pass
 * and classify_rcpt() what a record's diagnostic says.  Each answer is
 * kept with what it is about, the message or the record, and computed
 * the first time it is asked for.  A record's reading travels with it
 * when records are copied or compacted; the parsers that write into a
 * diagnostic (DSN blocks, notice and generic recognisers, sendmail's
 * transcript, result_scrub(), classify_rcpt()'s terminator) forget it.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/smtpcmd.h"
#include "classify/status.h"
#include "util/tcache.h"
#include "util/text.h"
#include "classify/recognisers/phrasescan.h"

_Static_assert(ANALYSIS_PHRASES == PHRASESCAN_MAX,
               "a scan holds one bit per phrase an index can hold");

/* From: substrings (case-insensitive) that mark an automatic bounce. */
static const char *const analysis_from_signals[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "maildaemon",
	"postmaster", "mail delivery system", "mail delivery subsystem",
	"mail delivery service", "mail administrator", "mail system",
	"delivery subsystem", "mail transport system", "mail router",
	"post_master", "ndr administrator",
	"nicht zustellbar", NULL,
};

/* Subject: substrings (case-insensitive) of bounce notices, several
 * languages. */
static const char *const analysis_subject_signals[] = {
	"undelivered mail", "undeliverable", "undelivered message",
	"delivery status notification", "delivery failure", "delivery failed",
	"delivery has failed", "mail delivery failed", "returned mail",
	"failure notice", "non-delivery", "nondelivery", "non delivery",
	"could not be delivered", "not delivered", "delivery problem",
	"delivery notification", "warning: could not send", "mail system error",
	"delayed mail", "delivery delayed", "message delayed",
	"unable to deliver", "delivery error", "returned to sender",
	"returning to sender", "mail failed", "delivery failure",
	"mail could not be delivered", "message not delivered",
	"unzustellbar", "nicht zustellbar", "non remis", "non distribu",
	"impossible de remettre", "onbestelbaar", "non recapitabile",
	"mancato recapito", "no se puede entregar", "no entregado",
	"n\xc3\xa3o entregue", "nedoru\xc4\x8diteln",
	/* more languages: Exchange's localised NDR subjects, Mail.ru and
	 * Yandex, Japanese carriers, QQ/163 (phrases.c, phrases_intl_notice) */
	"zustellung fehlgeschlagen", "echec de remise", "\xc3\xa9" "chec de remise",
	"falha na entrega", "entrega fallida", "error de entrega",
	"niet bezorgd", "bezorging mislukt", "impossibile recapitare",
	"\xd0\xb5\xd0\xb4\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2\xd0\xbb", /* "едоставл" */
	"\xe9\x85\x8d\xe4\xbf\xa1\xe4\xb8\x8d\xe8\x83\xbd",                   /* 配信不能 */
	"\xe6\x97\xa0\xe6\xb3\x95\xe6\x8a\x95\xe9\x80\x92",                   /* 无法投递 */
	"\xe7\x84\xa1\xe6\xb3\x95\xe6\x8a\x95\xe9\x81\x9e",                   /* 無法投遞 */
	"\xe7\xb3\xbb\xe7\xbb\x9f\xe9\x80\x80\xe4\xbf\xa1",                   /* 系统退信 */
	NULL,
};

/* From words of bounce daemons beyond the signal's list ("Mailer Daemon"
 * of OpenSMTPD, "post_master", "Mail.Delivery..."). */
static const char *const analysis_daemon_from[] = {
	"mailer daemon", "mail delivery", "post_master", "mail.delivery",
	NULL
};

/* ------------------------------------------------ phrase hits per field
 *
 * Every notice family asks whether the text holds one of its banner
 * phrases, and From and Subject one of its own; the signal asks the same
 * of From and Subject.  Rather than search a field once per phrase of
 * each list, a per-thread index per field (struct phrasescan) learns each
 * list the first time it is asked about, and the first question about a
 * field of a message scans the field once for all the phrases learnt so
 * far; the hits go to the message's analysis.  A list learnt after that
 * scan and a phrase the index cannot hold (short, or spanning lines) are
 * searched directly: the answer is always text_find_any()'s. */

/* Phrases shorter than their field's window are searched directly (a
 * longer window lets the one-pass search skip further): text phrases are
 * long, Subject ones a word or two ("non remis"), From ones parts of
 * addresses ("@gmx."). */
static const size_t analysis_window[ANALYSIS_FIELDS] = {
	[ANALYSIS_TEXT] = 13, [ANALYSIS_FROM] = 5, [ANALYSIS_SUBJECT] = 9,
};
#define ANALYSIS_LISTS_MAX 64       /* lists a thread learns per field */
#define ANALYSIS_LIST_SLOTS 128     /* hash slots for them (> 2x lists) */

/* A list the index has learnt: its phrases that fit the index have ids
 * first..first+count-1; `direct` when some phrase did not fit, `full`
 * when the index had no room for the list (all searched directly).  When
 * the ids lie in one word of the hits, `mask` holds their bits in word
 * `word` (one test per question); else it is 0 and phrasescan_any()
 * answers. */
struct analysis_list {
	const char *const *phrases;
	uint64_t mask;
	unsigned char first, count, word;
	bool direct, full;
};

struct analysis_index {
	bool ready;
	struct phrasescan scan;
	size_t nlists;
	struct analysis_list list[ANALYSIS_LISTS_MAX];
	unsigned char slot[ANALYSIS_LIST_SLOTS];  /* 1 + list, 0: empty */
};

/* This thread's index of a field; NULL without memory (tcache.h). */
static struct analysis_index *
analysis_index_get(enum analysis_field field)
{
	struct analysis_index *x = tcache_get(TCACHE_ANALYSIS_INDEX,
	                                      sizeof(*x) * ANALYSIS_FIELDS);

	if (x == NULL)
		return NULL;
	if (!x[field].ready) {
		phrasescan_init(&x[field].scan, analysis_window[field]);
		x[field].ready = true;
	}
	return &x[field];
}

/* The index's entry for a phrase list, learnt now if it is new; NULL when
 * the index has no room for another list. */
static const struct analysis_list *
analysis_list_get(struct analysis_index *x, const char *const *phrases)
{
	size_t h = ((uintptr_t)phrases / sizeof(void *)) % ANALYSIS_LIST_SLOTS;
	struct analysis_list *l;
	size_t i, n = 0;

	while (x->slot[h] != 0) {
		if (x->list[x->slot[h] - 1].phrases == phrases)
			return &x->list[x->slot[h] - 1];
		h = (h + 1) % ANALYSIS_LIST_SLOTS;
	}
	if (x->nlists >= ANALYSIS_LISTS_MAX)
		return NULL;
	l = &x->list[x->nlists];
	l->phrases = phrases;
	l->first = (unsigned char)x->scan.n;
	l->direct = l->full = false;
	for (i = 0; phrases[i] != NULL; i++) {
		if (phrasescan_fits(&x->scan, phrases[i]))
			n++;
		else
			l->direct = true;
	}
	/* all of the list's indexable phrases, or none of them */
	if (x->scan.n + n > PHRASESCAN_MAX) {
		n = 0;
		l->full = true;
	} else {
		for (i = 0; phrases[i] != NULL; i++)
			if (phrasescan_fits(&x->scan, phrases[i]))
				(void)phrasescan_add(&x->scan, phrases[i]);
	}
	l->count = (unsigned char)n;
	l->word = (unsigned char)(l->first / 64);
	l->mask = 0;
	if (n > 0 && (l->first + n - 1) / 64 == l->word)
		l->mask = (n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1)
		          << (l->first % 64);
	x->slot[h] = (unsigned char)(++x->nlists);
	return l;
}

bool
analysis_has(struct analysis *an, enum analysis_field field,
             const char *const *phrases)
{
	struct analysis_scan *scan = &an->scan[field];
	const char *s = an->field[field];
	size_t i, len = an->len[field];
	struct analysis_index *x;
	const struct analysis_list *l;

	if (s == NULL)
		return false;
	x = analysis_index_get(field);
	l = x != NULL ? analysis_list_get(x, phrases) : NULL;
	if (l == NULL || l->full ||
	    (scan->scanned && (size_t)l->first + l->count > scan->indexed))
		return text_find_any(s, len, phrases); /* not in the scan */
	if (!scan->scanned) {
		phrasescan_run(&x->scan, s, len, scan->hits);
		scan->indexed = x->scan.n;
		scan->scanned = true;
	}
	if (l->mask != 0 ? (scan->hits[l->word] & l->mask) != 0 :
	    l->count > 0 && phrasescan_any(scan->hits, l->first, l->count))
		return true;
	if (!l->direct)
		return false;
	for (i = 0; phrases[i] != NULL; i++)
		if (!phrasescan_fits(&x->scan, phrases[i]) &&
		    text_find(s, len, phrases[i]) != NULL)
			return true;
	return false;
}

void
analysis_init(struct analysis *an, const char *from, const char *subject,
              const char *text, size_t text_len)
{
	memset(an, 0, sizeof(*an));
	an->field[ANALYSIS_TEXT] = text;
	an->len[ANALYSIS_TEXT] = text != NULL ? text_len : 0;
	an->field[ANALYSIS_FROM] = from;
	an->len[ANALYSIS_FROM] = from != NULL ? strlen(from) : 0;
	an->field[ANALYSIS_SUBJECT] = subject;
	an->len[ANALYSIS_SUBJECT] = subject != NULL ? strlen(subject) : 0;
	/* "From: <>": the null sender */
	if (from != NULL &&
	    (analysis_has(an, ANALYSIS_FROM, analysis_from_signals) ||
	     strcmp(from, "<>") == 0))
		an->signal |= ANALYSIS_SIGNAL_FROM;
	if (subject != NULL &&
	    analysis_has(an, ANALYSIS_SUBJECT, analysis_subject_signals))
		an->signal |= ANALYSIS_SIGNAL_SUBJECT;
	an->daemon = from != NULL &&
	             ((an->signal & ANALYSIS_SIGNAL_FROM) ||
	              text_find_any(from, an->len[ANALYSIS_FROM],
	                             analysis_daemon_from));
}

/* ------------------------------------------------ a record's diagnostic */

bool
analysis_diag_status(struct bounce_rcpt *r, char *status, size_t statussz,
                     int *replycode)
{
	struct record_diag *d = &r->diag_read;

	if (!(d->read & RECORD_DIAG_STATUS)) {
		d->found = status_find(r->diagnostic,
		                       strnlen(r->diagnostic, sizeof(r->diagnostic)),
		                       d->status, sizeof(d->status), &d->replycode);
		d->read |= RECORD_DIAG_STATUS;
	}
	/* as status_find() fills them: the code only when it fits */
	if (status != NULL && statussz > 0) {
		size_t n = strlen(d->status);

		status[0] = '\0';
		if (n < statussz)
			memcpy(status, d->status, n + 1);
	}
	if (replycode != NULL)
		*replycode = d->replycode;
	return d->found;
}

enum smtpcmd
analysis_diag_command(struct bounce_rcpt *r)
{
	struct record_diag *d = &r->diag_read;

	if (!(d->read & RECORD_DIAG_COMMAND)) {
		d->command = (unsigned char)smtpcmd_find(r->diagnostic,
		    strnlen(r->diagnostic, sizeof(r->diagnostic)));
		d->read |= RECORD_DIAG_COMMAND;
	}
	return (enum smtpcmd)d->command;
}

void
analysis_diag_forget(struct bounce_rcpt *r)
{
	r->diag_read.read = 0;
}
