/*
 * test_recog_provider.c - the provider and appliance recognisers (Gmail,
 * Google Groups, Yahoo, Exchange, Amazon SES / WorkMail, Zoho, Notes,
 * Domino, the Japanese carriers, the unnamed X formats, ...) and their
 * table-driven reader recog/notice.c, on fixtures in tests/data/recog
 * written for these tests (made-up addresses and hosts).  Each fixture
 * must be chosen by its family through bounce_parse() with the right
 * recipients, status codes and actions; a truncated copy of each must
 * never crash; ordinary mail, a person quoting bounce texts and a
 * non-bounce provider notification must get no failure class and no
 * provider recogniser.
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

#include "bounce.h"
#include "fixture.h"
#include "recog.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provider_families),
		cmocka_unit_test(test_provider_hams),
		cmocka_unit_test(test_provider_truncated),
		cmocka_unit_test(test_provider_enrich),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
