/*
 * recog.c - run the recogniser registry (recognisers/registry.c), the shared
 * bounce signal and the per-message memo of phrase lists in From, Subject
 * and the text (recog_field_has).
 *
 * recog_run() tries each recogniser in order; records a recogniser added
 * before it declined are discarded, so a half-matched attempt never leaks
 * into the result of the next one.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "classify/record.h"
#include "classify/recog.h"
#include "util/tcache.h"
#include "util/text.h"
#include "classify/recognisers/common.h"
#include "classify/recognisers/notice.h"

/* From: substrings (case-insensitive) that mark an automatic bounce. */
static const char *const recog_from_signals[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "maildaemon",
	"postmaster", "mail delivery system", "mail delivery subsystem",
	"mail delivery service", "mail administrator", "mail system",
	"delivery subsystem", "mail transport system", "mail router",
	"post_master", "ndr administrator",
	"nicht zustellbar", NULL,
};

/* Subject: substrings (case-insensitive) of bounce notices, several
 * languages. */
static const char *const recog_subject_signals[] = {
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
	"n\xc3\xa3o entregue", "nedoru\xc4\x8diteln", NULL,
};

/* ------------------------------------------------ per-message field memo
 *
 * Every notice family asks whether the text holds one of its banner
 * phrases, and From and Subject one of its own; recog_bounce_signal()
 * asks the same of From and Subject.  Rather than search a field once per
 * phrase of each list, a per-thread index per field (struct phrasescan)
 * learns each list the first time it is asked about, and the first
 * question about a field of a message scans the field once for all the
 * phrases learnt so far; the hits go to ctx->memo.  A list learnt after
 * that scan, a phrase the index cannot hold (short, or spanning lines) and
 * a context without a memo are searched directly: the answer is always
 * common_has_any()'s. */

/* Phrases shorter than their field's window are searched directly (a
 * longer window lets the one-pass search skip further): text phrases are
 * long, Subject ones a word or two ("non remis"), From ones parts of
 * addresses ("@gmx."). */
static const size_t recog_window[RECOG_MEMO_FIELDS] = {
	[RECOG_MEMO_TEXT] = 13, [RECOG_MEMO_FROM] = 5, [RECOG_MEMO_SUBJECT] = 9,
};
#define RECOG_LISTS_MAX 64          /* lists a thread learns per field */
#define RECOG_LIST_SLOTS 128        /* hash slots for them (> 2x lists) */

_Static_assert(sizeof(((struct recog_memo_scan *)0)->hits) ==
               PHRASESCAN_WORDS * sizeof(uint64_t),
               "the memo holds one bit per indexed phrase");

/* A list the index has learnt: its phrases that fit the index have ids
 * first..first+count-1; `direct` when some phrase did not fit, `full`
 * when the index had no room for the list (all searched directly).  When
 * the ids lie in one word of the hits, `mask` holds their bits in word
 * `word` (one test per question); else it is 0 and phrasescan_any()
 * answers. */
struct recog_list {
	const char *const *phrases;
	uint64_t mask;
	unsigned char first, count, word;
	bool direct, full;
};

struct recog_index {
	bool ready;
	struct phrasescan scan;
	size_t nlists;
	struct recog_list list[RECOG_LISTS_MAX];
	unsigned char slot[RECOG_LIST_SLOTS];  /* 1 + list, 0: empty */
};

/* This thread's index of a field; NULL without memory (tcache.h). */
static struct recog_index *
recog_index_get(enum recog_memo_field field)
{
	struct recog_index *x = tcache_get(TCACHE_RECOG_INDEX,
	                                   sizeof(*x) * RECOG_MEMO_FIELDS);

	if (x == NULL)
		return NULL;
	if (!x[field].ready) {
		phrasescan_init(&x[field].scan, recog_window[field]);
		x[field].ready = true;
	}
	return &x[field];
}

/* The index's entry for a phrase list, learnt now if it is new; NULL when
 * the index has no room for another list. */
static const struct recog_list *
recog_list_get(struct recog_index *x, const char *const *phrases)
{
	size_t h = ((uintptr_t)phrases / sizeof(void *)) % RECOG_LIST_SLOTS;
	struct recog_list *l;
	size_t i, n = 0;

	while (x->slot[h] != 0) {
		if (x->list[x->slot[h] - 1].phrases == phrases)
			return &x->list[x->slot[h] - 1];
		h = (h + 1) % RECOG_LIST_SLOTS;
	}
	if (x->nlists >= RECOG_LISTS_MAX)
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

/* The field of the message and its length. */
static const char *
recog_field(const struct recog_ctx *ctx, enum recog_memo_field field,
             size_t *len)
{
	const char *s = field == RECOG_MEMO_TEXT ? ctx->text :
	                field == RECOG_MEMO_FROM ? ctx->from : ctx->subject;

	*len = field == RECOG_MEMO_TEXT ? ctx->text_len :
	       s != NULL ? strlen(s) : 0;
	return s;
}

bool
recog_field_has(const struct recog_ctx *ctx, enum recog_memo_field field,
                const char *const *phrases)
{
	struct recog_memo_scan *memo;
	struct recog_index *x;
	const struct recog_list *l;
	const char *s;
	size_t i, len;

	if (ctx->memo == NULL) {
		s = recog_field(ctx, field, &len);
		return common_has_any(s, len, phrases);
	}
	memo = &ctx->memo->scan[field];
	x = recog_index_get(field);
	l = x != NULL ? recog_list_get(x, phrases) : NULL;
	if (l == NULL || l->full ||
	    (memo->scanned && (size_t)l->first + l->count > memo->indexed)) {
		/* not in this message's scan */
		s = recog_field(ctx, field, &len);
		return common_has_any(s, len, phrases);
	}
	if (!memo->scanned) {
		s = recog_field(ctx, field, &len);
		phrasescan_run(&x->scan, s, len, memo->hits);
		memo->indexed = x->scan.n;
		memo->scanned = true;
	}
	if (l->mask != 0 ? (memo->hits[l->word] & l->mask) != 0 :
	    l->count > 0 && phrasescan_any(memo->hits, l->first, l->count))
		return true;
	if (!l->direct)
		return false;
	s = recog_field(ctx, field, &len);
	for (i = 0; phrases[i] != NULL; i++)
		if (!phrasescan_fits(&x->scan, phrases[i]) &&
		    text_find(s, len, phrases[i]) != NULL)
			return true;
	return false;
}

int
recog_bounce_signal(const struct recog_ctx *ctx)
{
	int sig = 0;

	if (ctx->signal_cache > 0)
		return ctx->signal_cache - 1;
	if (ctx->from != NULL &&
	    (recog_field_has(ctx, RECOG_MEMO_FROM, recog_from_signals) ||
	     strcmp(ctx->from, "<>") == 0))
		sig |= RECOG_SIGNAL_FROM;     /* "From: <>": the null sender */
	if (ctx->subject != NULL &&
	    recog_field_has(ctx, RECOG_MEMO_SUBJECT, recog_subject_signals))
		sig |= RECOG_SIGNAL_SUBJECT;
	return sig;
}

int
recog_run(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i, keep = res->nrcpt;

	for (i = 0; recog_registry[i] != NULL; i++) {
		const struct recog *r = recog_registry[i];
		int found;

		if (r->match != NULL)
			found = r->match(ctx, res);
		else if (r->notice != NULL)
			found = notice_match(ctx, res, r->notice);
		else
			continue;
		if (found == 1 && res->nrcpt > keep) {
			size_t n = strlen(r->name);

			/* snprintf("%s") without the formatting machinery */
			if (n >= sizeof(res->recogniser))
				n = sizeof(res->recogniser) - 1;
			memcpy(res->recogniser, r->name, n);
			res->recogniser[n] = '\0';
			return 1;
		}
		res->nrcpt = keep;
	}
	return 0;
}

void
recog_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i;

	for (i = 0; recog_registry[i] != NULL; i++) {
		const struct recog *r = recog_registry[i];

		if (r->enrich != NULL)
			r->enrich(ctx, res);
		else if (r->notice != NULL && (r->notice->flags & NOTICE_ENRICH))
			notice_enrich(ctx, res, r->notice);
	}
}
