/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_recog_provider.c - the provider and appliance recognisers (Gmail,
 * Google Groups, Yahoo, Exchange, Amazon SES / WorkMail, Zoho, Notes,
 * Domino, the Japanese carriers, the unnamed X formats, ...), their table
 * (recognisers/notice_table.c: every row filled and tried once) and its
 * reader recognisers/notice.c, on fixtures in tests/data/recog
 * written for these tests (made-up addresses and hosts).  Each fixture
 * must be chosen by its family through bounce_parse() with the right
 * recipients, status codes and actions; a truncated copy of each must
 * never crash; ordinary mail, a person quoting bounce texts and a
 * non-bounce provider notification must get no failure class and no
 * provider recogniser.  The one-pass phrase search behind the families'
 * checks (phrasescan_*, analysis_has) must answer exactly what
 * text_find() / text_find_any() answer, whatever the order lists are
 * asked in.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/analysis.h"
#include "classify/bounce.h"
#include "fixture.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"
#include "classify/recognisers/notice.h"
#include "classify/recognisers/registry.h"
#include "classify/result.h"

#ifndef BM_TEST_DATA
#define BM_TEST_DATA "tests/data"
#endif

#define PMAXR 2

struct provider_case {
	const char *file;
	const char *family;
	size_t nrcpt;
	const char *rcpt[PMAXR];
	const char *status[PMAXR];   /* as the text states it, "" if it does not */
	const char *action[PMAXR];
	enum bounce_kind kind;
};

#define NS BOUNCE_KIND_NONSTANDARD

static const struct provider_case cases[] = {
	{ "recog/provider-gmail.eml", "gmail", 1, { "alice@mail.example.net" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-gmail-delay.eml", "gmail", 1, { "bob@slow.example.com" },
	  { "" }, { "delayed" }, NS },
	/* the server's answer names the sender: not a second recipient */
	{ "recog/provider-gmail-quoted.eml", "gmail", 1,
	  { "carl@strict.example.com" }, { "5.7.1" }, { "failed" }, NS },
	{ "recog/provider-gmail-titled.eml", "gmail", 1,
	  { "dora@example.net" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-googlegroups.eml", "googlegroups", 1,
	  { "cats-club@groups.example.com" }, { "" }, { "failed" }, NS },
	{ "recog/provider-yahoo.eml", "yahoo", 1, { "carol@example.net" },
	  { "5.2.2" }, { "failed" }, NS },
	{ "recog/provider-exchange2003.eml", "exchange2003", 1,
	  { "dave@corp.example.com" }, { "" }, { "failed" }, NS },
	{ "recog/provider-exchange2007.eml", "exchange2007", 1,
	  { "erin@tenant.example.com" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-exchange2007-people.eml", "exchange2007", 1,
	  { "jack@ex2.example.com" }, { "" }, { "failed" }, NS },
	{ "recog/provider-amazonworkmail.eml", "amazonworkmail", 1,
	  { "frank@example.net" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-amazonses.eml", "amazonses", 2,
	  { "grace@example.net", "heidi@example.com" }, { "5.1.1", "5.2.2" },
	  { "failed", "failed" }, NS },
	{ "recog/provider-zoho.eml", "zoho", 1, { "ivan@example.net" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-notes.eml", "notes", 1, { "judy@notes.example.com" },
	  { "" }, { "failed" }, NS },
	{ "recog/provider-domino.eml", "domino", 1,
	  { "mallory@domino.example.com" }, { "" }, { "failed" }, NS },
	{ "recog/provider-mxlogic.eml", "mxlogic", 1, { "niaj@example.com" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-mfilter.eml", "mfilter", 1, { "olivia@example.net" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-interscanmss.eml", "interscanmss", 1,
	  { "peggy@example.net" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-imailserver.eml", "imailserver", 1,
	  { "rupert@imail.example.com" }, { "" }, { "failed" }, NS },
	{ "recog/provider-activehunter.eml", "activehunter", 1,
	  { "sybil@example.net" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-gmx.eml", "gmx", 1, { "trent@example.net" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-x1.eml", "x1", 1, { "victor@example.net" },
	  { "" }, { "failed" }, NS },
	{ "recog/provider-x3.eml", "x3", 1, { "walter@example.net" },
	  { "5.3.0" }, { "failed" }, NS },
	{ "recog/provider-x6.eml", "x6", 1, { "wendy@example.net" },
	  { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-mailfoundry.eml", "mailfoundry", 1,
	  { "xavier@example.net" }, { "5.2.2" }, { "failed" }, NS },
	{ "recog/provider-mailmarshal.eml", "mailmarshal", 1,
	  { "yvonne@example.net" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-kddi.eml", "kddi", 1, { "zoe@dion.example.jp" },
	  { "" }, { "failed" }, NS },
	{ "recog/provider-ezweb.eml", "ezweb", 1, { "amy@ezweb.ne.jp" },
	  { "" }, { "failed" }, NS },
	{ "recog/provider-verizon.eml", "verizon", 1, { "5550100@vzwpix.com" },
	  { "" }, { "failed" }, NS },
	/* the returned message's To above the list is not a recipient */
	{ "recog/provider-messagingserver.eml", "messagingserver", 1,
	  { "ellen@ms.example.com" }, { "5.1.1" }, { "failed" }, NS },
	{ "recog/provider-smail.eml", "smail", 1, { "fritz@example.de" },
	  { "5.2.2" }, { "failed" }, NS },
	{ "recog/provider-mimecast.eml", "mimecast", 1, { "gina@example.net" },
	  { "5.4.1" }, { "failed" }, NS },
	{ "recog/provider-biglobe.eml", "biglobe", 1,
	  { "bella@example.biglobe.ne.jp" }, { "" }, { "failed" }, NS },
	/* the list that refused the post, not the address of its guide */
	{ "recog/provider-fml.eml", "fml", 1, { "cats@lists.example.org" },
	  { "" }, { "failed" }, NS },
};

/* Messages no provider recogniser may claim. */
static const char *const hams[] = {
	"ordinary.eml", "forwarded-bounce.eml", "recog/discussion.eml",
	"recog/provider-ham-quote.eml", "recog/provider-ham-ses.eml",
	"recog/provider-ham-ezweb.eml", "recog/provider-ham-gmx.eml", NULL
};

static char *
load(const char *name, size_t *len)
{
	char *data = fixture_read(BM_TEST_DATA, name, len);

	if (data == NULL)
		fail_msg("cannot read fixture %s/%s", BM_TEST_DATA, name);
	return data;
}

static bool
is_provider_family(const char *name)
{
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		if (strcmp(cases[c].family, name) == 0)
			return true;
	return false;
}

static void
test_provider_families(void **state)
{
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct provider_case *t = &cases[c];
		struct bounce_result res;
		size_t len;
		char *data = load(t->file, &len);

		print_message("fixture: %s\n", t->file);
		assert_int_equal(bounce_parse(data, len, NULL, &res), 0);
		assert_int_equal(res.kind, t->kind);
		assert_string_equal(res.recogniser, t->family);
		assert_int_equal(res.nrcpt, t->nrcpt);
		assert_true(bm_class_is_failure(res.cls));
		for (i = 0; i < t->nrcpt; i++) {
			const struct bounce_rcpt *r = &res.rcpt[i];

			assert_string_equal(r->recipient, t->rcpt[i]);
			assert_string_equal(r->action, t->action[i]);
			assert_true(r->diagnostic[0] != '\0');
			/* a status the text states is read, not made up */
			if (t->status[i][0] != '\0') {
				assert_string_equal(r->status, t->status[i]);
				assert_false(r->status_inferred);
			}
		}
		bounce_result_free(&res);
		free(data);
	}
}

static void
test_provider_hams(void **state)
{
	size_t h;

	(void)state;
	for (h = 0; hams[h] != NULL; h++) {
		struct bounce_result res;
		size_t len;
		char *data = load(hams[h], &len);

		print_message("ham: %s\n", hams[h]);
		assert_int_equal(bounce_parse(data, len, NULL, &res), 0);
		assert_false(bm_class_is_failure(res.cls));
		assert_false(is_provider_family(res.recogniser));
		bounce_result_free(&res);
		free(data);
	}
}

/* Every prefix of every fixture (step 5): no crash, results bounded, and
 * never a recipient that is not in the full fixture. */
static void
test_provider_truncated(void **state)
{
	size_t c, cut, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len;
		char *data = load(cases[c].file, &len);

		for (cut = 0; cut < len; cut += 5) {
			struct bounce_result res;
			char *copy = malloc(cut + 1);

			assert_non_null(copy);
			memcpy(copy, data, cut);
			assert_int_equal(bounce_parse(copy, cut, NULL, &res), 0);
			for (i = 0; i < res.nrcpt; i++)
				if (res.rcpt[i].recipient[0] != '\0' &&
				    strstr(data, res.rcpt[i].recipient) == NULL)
					fail_msg("%s cut at %zu: %s", cases[c].file,
					         cut, res.rcpt[i].recipient);
			bounce_result_free(&res);
			free(copy);
		}
		free(data);
	}
}

/* Enrich hooks: a DSN keeps its kind and fields, the family adds the
 * reason its own code states. */
static void
test_provider_enrich(void **state)
{
	static const struct {
		const char *file;
		const char *rcpt;
		const char *status;
		enum bm_reason reason;
	} enr[] = {
		/* the text's component code: too large, not a limit on count */
		{ "recog/provider-exchange2007-dsn.eml", "ivy@ex.example.com",
		  "5.2.3", BM_REASON_MESGTOOBIG },
		/* RCP-P1: no such address, whatever the 5.7.1 says */
		{ "recog/provider-facebook.eml", "hugo@facebook.example.com",
		  "5.7.1", BM_REASON_USERUNKNOWN },
	};
	size_t e;

	(void)state;
	for (e = 0; e < sizeof(enr) / sizeof(enr[0]); e++) {
		struct bounce_result res;
		size_t len;
		char *data = load(enr[e].file, &len);

		assert_int_equal(bounce_parse(data, len, NULL, &res), 0);
		assert_int_equal(res.kind, BOUNCE_KIND_DSN);
		assert_int_equal(res.nrcpt, 1);
		assert_string_equal(res.rcpt[0].recipient, enr[e].rcpt);
		assert_string_equal(res.rcpt[0].status, enr[e].status);
		assert_true(res.rcpt[0].diagnostic[0] != '\0');
		assert_string_equal(reason_name(res.rcpt[0].reason),
		                    reason_name(enr[e].reason));
		bounce_result_free(&res);
		free(data);
	}
}

/* ------------------------------------------------ one-pass phrase search */

static const char *const scan_phrases[] = {
	"Delivery to the following recipient failed permanently",
	"Delivery to the following recipients failed permanently",
	"Delivery to the following recipient has been delayed",
	"could not be delivered",
	"-------server message",
	"** Address not found **",
	"Received >>> ",
	"mailer-daemon@googlemail.com",
	"delivery status notification",
	"delivery failure",
	"address\nfailed:",      /* spans lines: left to text_find() */
	"@",                      /* shorter than any window */
	"non remis",
	"@gmx.",
	NULL
};

struct scan_hay {
	const char *s;
	size_t len;
};

#define HAY(lit) { lit, sizeof(lit) - 1 }

static const struct scan_hay scan_hays[] = {
	HAY(""),
	HAY("D"),
	/* at the very start and the very end */
	HAY("Delivery to the following recipient failed permanently"),
	HAY("Delivery to the following recipient failed permanently."),
	HAY("xDELIVERY TO THE FOLLOWING RECIPIENT FAILED PERMANENTLY"),
	/* one byte short, at the end */
	HAY("Delivery to the following recipient failed permanentl"),
	HAY("delivery to the following recipients failed permanently\r\n"),
	HAY("dElIvErY tO tHe FoLlOwInG rEcIpIeNt HaS bEeN dElAyEd"),
	/* a line break inside a phrase without one: no match */
	HAY("Delivery to the following\r\nrecipient failed permanently"),
	HAY("Delivery to the following\nrecipient failed permanently"),
	/* a phrase with a line break matches LF and CRLF */
	HAY("Your address\r\nfailed: yes"),
	HAY("address\nfailed:"),
	HAY("address failed:"),
	/* mid-word, inside punctuation runs */
	HAY("prefix-------server message"),
	HAY("------------server message------"),
	HAY("It couldnotbedelivered, it could not be delivered"),
	HAY("couldnotbedelivered"),
	/* NUL bytes before and inside */
	HAY("a\0b could not be delivered"),
	HAY("could not be\0delivered"),
	HAY("** Address not found **"),
	HAY("*** Address not found ***"),
	HAY("Received >>> 550"),
	HAY("Received >>>"),
	HAY("From: MAILER-DAEMON@googlemail.com"),
	HAY("mailer-daemon@googlemail.co"),
	HAY("Subject: Delivery Status Notification (Failure)"),
	HAY("Undelivered: non remis"),
	HAY("x@gmx.de"),
	HAY("\xc3\xa9@GMX.net delivery failure"),
};

/* One index of window w over scan_phrases: every phrase it holds is
 * found exactly where text_find() finds it. */
static void
scan_check(size_t w, const char *hay, size_t len)
{
	static struct phrasescan ix;
	uint64_t hits[PHRASESCAN_WORDS];
	int id[sizeof(scan_phrases) / sizeof(scan_phrases[0])];
	size_t i;

	phrasescan_init(&ix, w);
	for (i = 0; scan_phrases[i] != NULL; i++) {
		id[i] = phrasescan_add(&ix, scan_phrases[i]);
		assert_int_equal(id[i] >= 0, phrasescan_fits(&ix, scan_phrases[i]));
	}
	phrasescan_run(&ix, hay, len, hits);
	for (i = 0; scan_phrases[i] != NULL; i++) {
		bool want = text_find(hay, len, scan_phrases[i]) != NULL;

		if (id[i] < 0)
			continue;
		if (phrasescan_any(hits, (size_t)id[i], 1) != want)
			fail_msg("window %zu, phrase \"%s\" in \"%.*s\": %d", w,
			         scan_phrases[i], (int)len, hay, (int)want);
	}
}

static void
test_scan_table(void **state)
{
	static const size_t windows[] = { 3, 5, 9, 12, 32 };
	size_t h, w;

	(void)state;
	for (h = 0; h < sizeof(scan_hays) / sizeof(scan_hays[0]); h++)
		for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++)
			scan_check(windows[w], scan_hays[h].s, scan_hays[h].len);
}

/* Random texts made of pieces of the phrases, case flipped, cut, with LF,
 * CRLF and NUL bytes between them. */
static unsigned long scan_seed = 12345;

static size_t
scan_rand(size_t n)
{
	scan_seed = scan_seed * 1103515245UL + 12345UL;
	return (size_t)((scan_seed >> 16) % n);
}

static size_t
scan_random_hay(char *out, size_t outsz)
{
	static const char *const seps[] = { "", " ", "\n", "\r\n", "-", "x" };
	size_t len = 0, pieces = 1 + scan_rand(6), k;

	for (k = 0; k < pieces; k++) {
		const char *p = scan_phrases[scan_rand(
			sizeof(scan_phrases) / sizeof(scan_phrases[0]) - 1)];
		size_t from = scan_rand(3) == 0 ? scan_rand(strlen(p)) : 0;
		size_t to = scan_rand(3) == 0 ? from + scan_rand(strlen(p) - from + 1)
		                              : strlen(p);
		const char *sep = seps[scan_rand(sizeof(seps) / sizeof(seps[0]))];
		size_t i;

		for (i = from; i < to && len + 1 < outsz; i++) {
			char c = p[i];

			if (scan_rand(4) == 0 && c >= 'a' && c <= 'z')
				c = (char)(c - 32);
			else if (scan_rand(4) == 0 && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			out[len++] = c;
		}
		if (scan_rand(8) == 0 && len + 1 < outsz)
			out[len++] = '\0';
		for (i = 0; sep[i] != '\0' && len + 1 < outsz; i++)
			out[len++] = sep[i];
	}
	return len;
}

static void
test_scan_random(void **state)
{
	char hay[512];
	size_t n, len;

	(void)state;
	for (n = 0; n < 3000; n++) {
		len = scan_random_hay(hay, sizeof(hay));
		scan_check(3 + scan_rand(14), hay, len);
	}
}

/* Lists as notice families and the bounce signal ask them. */
static const char *const field_a[] = {
	"Delivery to the following recipient failed permanently",
	"Delivery to the following recipient has been delayed", NULL
};
static const char *const field_b[] = { "could not be delivered", "@", NULL };
static const char *const field_c[] = { "address\nfailed:", NULL };
static const char *const field_d[] = { "-------server message",
	"** Address not found **", "Received >>> ", NULL };
static const char *const field_e[] = { "mailer-daemon@googlemail.com",
	"@gmx.", "non remis", "delivery failure", NULL };
static const char *const *const field_lists[] = {
	field_a, field_b, field_c, field_d, field_e,
};

static bool
field_direct(const struct analysis *an, enum analysis_field f,
             const char *const *l)
{
	return text_find_any(an->field[f], an->len[f], l);
}

/* Ask the lists in an order that depends on `round`, some twice: the
 * analysis answers as text_find_any() does. */
static void
field_check(const char *text, size_t len, const char *line, size_t round)
{
	struct analysis an;
	size_t k, nl = sizeof(field_lists) / sizeof(field_lists[0]);
	enum analysis_field f;

	analysis_init(&an, line, line, text, len);
	for (k = 0; k < 2 * nl; k++) {
		const char *const *l = field_lists[(k + round) % nl];

		for (f = ANALYSIS_TEXT; f < ANALYSIS_FIELDS; f++)
			assert_int_equal(analysis_has(&an, f, l),
			                 field_direct(&an, f, l));
	}
}

/* Lists no other test asks about: learnt by this thread's index only
 * after the analysis has scanned the text they are asked about. */
static const char *const late_first[] = { "Technical details of failure",
	NULL };
static const char *const late_second[] = { "The mail server said so",
	"short", NULL };

static void
test_field_late(void **state)
{
	static const char text[] =
		"Technical details of failure:\nThe MAIL SERVER said so.\n";
	struct analysis an;

	(void)state;
	analysis_init(&an, "", "", text, sizeof(text) - 1);
	assert_true(analysis_has(&an, ANALYSIS_TEXT, late_first));
	/* not in this message's scan: still found */
	assert_true(analysis_has(&an, ANALYSIS_TEXT, late_second));
	/* a new message: both in its scan */
	analysis_init(&an, "", "", text, sizeof(text) - 1);
	assert_true(analysis_has(&an, ANALYSIS_TEXT, late_second));
	assert_true(analysis_has(&an, ANALYSIS_TEXT, late_first));
	analysis_init(&an, "", "", text, 30);   /* "...failure:\nThe" */
	assert_false(analysis_has(&an, ANALYSIS_TEXT, late_second));
	assert_true(analysis_has(&an, ANALYSIS_TEXT, late_first));
}

/* The signal and the daemon sender found at set-up. */
static void
test_analysis_signal(void **state)
{
	static const struct {
		const char *from, *subject;
		int signal;
		bool daemon;
	} sigs[] = {
		{ "MAILER-DAEMON@example.org", "hello", ANALYSIS_SIGNAL_FROM, true },
		{ "<>", "", ANALYSIS_SIGNAL_FROM, true },
		{ "Mailer Daemon <daemon@example.org>", "x", 0, true },
		{ "alice@example.org", "Undelivered Mail Returned to Sender",
		  ANALYSIS_SIGNAL_SUBJECT, false },
		{ "Mail Delivery System <x@example.org>", "Delivery Status Notification",
		  ANALYSIS_SIGNAL_FROM | ANALYSIS_SIGNAL_SUBJECT, true },
		{ "alice@example.org", "lunch?", 0, false },
		{ NULL, NULL, 0, false },
	};
	struct analysis an;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		analysis_init(&an, sigs[i].from, sigs[i].subject, NULL, 0);
		assert_int_equal(an.signal, sigs[i].signal);
		assert_int_equal(an.daemon, sigs[i].daemon);
		assert_false(analysis_has(&an, ANALYSIS_TEXT, late_first));
	}
}

static void
test_field_memo(void **state)
{
	char hay[512], line[512];
	size_t h, n, len;

	(void)state;
	for (h = 0; h < sizeof(scan_hays) / sizeof(scan_hays[0]); h++) {
		const struct scan_hay *t = &scan_hays[h];

		/* From and Subject are C strings: up to a NUL */
		field_check(t->s, t->len, t->s, h);
	}
	for (n = 0; n < 2000; n++) {
		len = scan_random_hay(hay, sizeof(hay));
		memcpy(line, hay, len);
		line[len] = '\0';
		field_check(hay, len, line, n);
	}
}

/* common_has_any_indexed() answers as text_find_any(): lists with a
 * word under four bytes, a line break, more lists than a thread indexes. */
static const char *const any_short[] = { "MX ", "full", "quota",
	"Received >>> ", NULL };
static const char *const any_tiny[] = { "@", "x", NULL };
static const char *const *const any_lists[] = {
	any_short, field_a, field_b, field_c, field_d, field_e, any_tiny,
};

static void
any_check(const char *hay, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(any_lists) / sizeof(any_lists[0]); i++)
		if (common_has_any_indexed(hay, len, any_lists[i]) !=
		    text_find_any(hay, len, any_lists[i]))
			fail_msg("list %zu in \"%.*s\"", i, (int)len, hay);
}

static void
test_has_any_indexed(void **state)
{
	char hay[512];
	size_t h, n, len;

	(void)state;
	assert_false(common_has_any_indexed(NULL, 0, any_short));
	for (h = 0; h < sizeof(scan_hays) / sizeof(scan_hays[0]); h++)
		any_check(scan_hays[h].s, scan_hays[h].len);
	any_check("a full mailbox", 14);
	any_check("no MX record", 12);
	any_check("mx ", 3);
	any_check("Mx", 2);
	for (n = 0; n < 2000; n++) {
		len = scan_random_hay(hay, sizeof(hay));
		any_check(hay, len);
	}
}

/* common_fill() stores what result_set_str() makes of the diagnostic,
 * whether or not it is collapsed already; common_fill_more() after a
 * first common_fill() gives what common_fill() would. */
static void
fill_check(const char *diag, size_t len, const char *more, size_t mlen)
{
	struct bounce_rcpt a, b;
	char want[BM_DIAG_MAX];

	memset(&a, 0, sizeof(a));
	common_fill(&a, diag, len, "failed");
	result_set_str(want, sizeof(want), diag, len);
	if (len == 0)
		want[0] = '\0';
	assert_string_equal(a.diagnostic, want);
	if (a.diagnostic[0] == '\0')
		return;
	b = a;
	common_fill(&a, more, mlen, "delayed");
	common_fill_more(&b, more, mlen, "delayed");
	assert_memory_equal(&a, &b, sizeof(a));
}

static void
test_fill_collapsed(void **state)
{
	static const char *const diags[] = {
		"550 5.1.1 <a@example.org>: User unknown",
		" 550 leading space", "550 trailing space ", "550  two spaces",
		"550\ttab", "550 \ttab after space", "550 \x01 control",
		"550\x7f delete", "550 5.7.1 host mx.example.org [192.0.2.1] said",
		"x", " ", "  ", "\t",
	};
	static const char more[] = "RCPT TO:<a@example.org> 452 4.2.2 "
	                           "remote host mx.example.net said: full";
	char big[BM_DIAG_MAX + 8];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(diags) / sizeof(diags[0]); i++)
		fill_check(diags[i], strlen(diags[i]), more, strlen(more));
	fill_check("550 a\0b", 7, more, strlen(more));
	fill_check("", 0, more, strlen(more));
	/* around the size of the record's field */
	for (n = BM_DIAG_MAX - 3; n <= BM_DIAG_MAX + 2; n++) {
		for (i = 0; i < n; i++)
			big[i] = i % 7 == 6 ? ' ' : 'a';
		big[n - 1] = 'z';
		fill_check(big, n, more, strlen(more));
		big[n / 2] = '\n';
		fill_check(big, n, more, strlen(more));
	}
	for (n = 0; n < 2000; n++) {
		char hay[512];
		size_t len = scan_random_hay(hay, sizeof(hay));

		fill_check(hay, len, more, strlen(more));
		fill_check(more, strlen(more), hay, len);
	}
}

/* Every row of notice_table.c is filled (enum notice_row and the
 * designated rows kept in step) and tried exactly once; every registry
 * entry has a name and something to run. */
static void
test_notice_rows(void **state)
{
	size_t i, k, seen;

	(void)state;
	for (k = 0; k < NOTICE_ROWS; k++) {
		const struct recog *row = &notice_table[k];

		assert_non_null(row->name);
		assert_non_null(row->notice);
		assert_non_null(row->notice->banner);
		assert_null(row->match);
		assert_null(row->enrich);
		seen = 0;
		for (i = 0; registry_list[i] != NULL; i++)
			if (registry_list[i] == row)
				seen++;
		assert_int_equal(seen, 1);
	}
	for (i = 0; registry_list[i] != NULL; i++) {
		const struct recog *r = registry_list[i];

		assert_non_null(r->name);
		assert_true(r->match != NULL || r->notice != NULL ||
		            r->enrich != NULL);
		assert_false(r->match != NULL && r->notice != NULL);
	}
	/* the generic fall-back stays last */
	assert_string_equal(registry_list[i - 1]->name, "generic");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provider_families),
		cmocka_unit_test(test_provider_hams),
		cmocka_unit_test(test_provider_truncated),
		cmocka_unit_test(test_provider_enrich),
		cmocka_unit_test(test_field_late),
		cmocka_unit_test(test_analysis_signal),
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_scan_random),
		cmocka_unit_test(test_field_memo),
		cmocka_unit_test(test_has_any_indexed),
		cmocka_unit_test(test_fill_collapsed),
		cmocka_unit_test(test_notice_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
