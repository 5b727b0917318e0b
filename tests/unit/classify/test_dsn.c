/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_dsn.c - RFC 3464 / RFC 6533 delivery-status parsing, table-driven.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/bounce.h"
#include "classify/dsn.h"

struct exp_rcpt {
	const char *recipient;
	const char *original;
	const char *action;
	const char *status;
	int replycode;
	const char *diag_has;   /* substring of the diagnostic, "" = must be empty */
	const char *remote_mta;
};

struct dsn_case {
	const char *label;
	const char *body;
	size_t nrcpt;
	const char *reporting_mta;
	struct exp_rcpt r[3];
};

static const struct dsn_case cases[] = {
	{ "postfix single, folded diagnostic",
	  "Reporting-MTA: dns; mx.example.org\n"
	  "X-Postfix-Queue-ID: 4Q2x\n"
	  "Arrival-Date: Tue, 10 Mar 2026 09:14:01 +0100 (CET)\n"
	  "\n"
	  "Final-Recipient: rfc822; nosuchuser@example.net\n"
	  "Original-Recipient: rfc822;NoSuchUser@Example.NET\n"
	  "Action: failed\n"
	  "Status: 5.1.1\n"
	  "Remote-MTA: dns; mx1.example.net\n"
	  "Diagnostic-Code: smtp; 550 5.1.1 <nosuchuser@example.net>: Recipient\n"
	  "    address rejected: User unknown\n",
	  1, "mx.example.org",
	  { { "nosuchuser@example.net", "NoSuchUser@example.net", "failed", "5.1.1",
	      550, "Recipient address rejected: User unknown", "mx1.example.net" } } },
	{ "CRLF, odd case, no per-message block",
	  "final-recipient: RFC822; a@example.com\r\n"
	  "ACTION: Failed\r\n"
	  "STATUS: 5.2.2\r\n"
	  "diagnostic-code: SMTP; 552 mailbox full\r\n",
	  1, "",
	  { { "a@example.com", "", "failed", "5.2.2", 552, "552 mailbox full", "" } } },
	{ "three recipients, blank lines missing between blocks",
	  "Reporting-MTA: dns; relay.example.com\n"
	  "\n"
	  "Final-Recipient: rfc822; one@example.com\n"
	  "Action: failed\n"
	  "Status: 5.1.1\n"
	  "Final-Recipient: rfc822; two@example.com\n"
	  "Action: delayed\n"
	  "Status: 4.4.7\n"
	  "\n"
	  "Final-Recipient: rfc822; three@example.com\n"
	  "Action: delivered\n"
	  "Status: 2.0.0\n",
	  3, "relay.example.com",
	  { { "one@example.com", "", "failed", "5.1.1", 0, "", "" },
	    { "two@example.com", "", "delayed", "4.4.7", 0, "", "" },
	    { "three@example.com", "", "delivered", "2.0.0", 0, "", "" } } },
	{ "RFC 6533 utf-8 address with \\x{..} escapes",
	  "Reporting-MTA: dns; mx.example.jp\n"
	  "\n"
	  "Final-Recipient: utf-8; \\x{4E2D}\\x{6587}@example.jp\n"
	  "Action: failed\n"
	  "Status: 5.1.1 (unknown user)\n",
	  1, "mx.example.jp",
	  { { "\xe4\xb8\xad\xe6\x96\x87@example.jp", "", "failed", "5.1.1", 0, "", "" } } },
	{ "field names in any case; a CR for the '-' is another name",
	  "REPORTING-MTA: dns; UP.example.com\n"
	  "\n"
	  "fInAl-ReCiPiEnT: rfc822; case@example.com\n"
	  "Original\rRecipient: rfc822; cr@example.com\n"
	  "aCTION: failed\n"
	  "STATUS: 5.1.1\n"
	  "Diagnostic_Code: smtp; 550 not a field\n"
	  "X-POWERMTA-BOUNCECATEGORY: bad-mailbox\n",
	  1, "UP.example.com",
	  { { "case@example.com", "", "failed", "5.1.1", 0, "", "" } } },
	{ "bare address, no action: inferred from the status",
	  "Final-Recipient: <bare@example.com>\n"
	  "Status: 4.2.2\n",
	  1, "",
	  { { "bare@example.com", "", "delayed", "4.2.2", 0, "", "" } } },
	{ "status with junk and a code later in the value",
	  "Final-Recipient: rfc822; x@example.com\n"
	  "Action: failed\n"
	  "Status: 550 5.7.1\n",
	  1, "",
	  { { "x@example.com", "", "failed", "5.7.1", 0, "", "" } } },
	{ "same recipient twice is merged",
	  "Final-Recipient: rfc822; dup@example.com\n"
	  "Action: failed\n"
	  "Status: 5.1.1\n"
	  "\n"
	  "Final-Recipient: rfc822; dup@example.com\n"
	  "Action: failed\n"
	  "Status: 5.1.1\n"
	  "Diagnostic-Code: smtp; 550 no such user\n",
	  1, "",
	  { { "dup@example.com", "", "failed", "5.1.1", 550, "no such user", "" } } },
	{ "final address on a bare host: Original-Recipient preferred",
	  "Original-recipient: rfc822;kijitora@example.net\n"
	  "Final-recipient: rfc822;@smtp.example.net:kijitora@server\n"
	  "Action: failed\n"
	  "Status: 5.2.0 (LMTP transmission failure has occurred)\n"
	  "Diagnostic-code: smtp;522 5.2.0 Delivery failed: Over quota\n",
	  1, "",
	  { { "kijitora@example.net", "kijitora@example.net", "failed", "5.2.0", 522,
	      "Over quota", "" } } },
	{ "X-Unix diagnostic: exit status is no reply code",
	  "Final-Recipient: RFC822; pipe@example.jp\n"
	  "X-Actual-Recipient: X-Unix; |/home/pipe/catch.pl\n"
	  "Action: failed\n"
	  "Status: 5.0.0\n"
	  "Diagnostic-Code: X-Unix; 255\n",
	  1, "",
	  { { "pipe@example.jp", "", "failed", "5.0.0", 0, "255", "" } } },
	{ "only a per-message block", "Reporting-MTA: dns; mx.example.org\n\n", 0, "mx.example.org",
	  { { NULL, NULL, NULL, NULL, 0, NULL, NULL } } },
	{ "empty", "", 0, "", { { NULL, NULL, NULL, NULL, 0, NULL, NULL } } },
	{ "garbage", "\x01\x02 no fields here\n:::\n\n  \n", 0, "",
	  { { NULL, NULL, NULL, NULL, 0, NULL, NULL } } },
};

static void
test_dsn_table(void **state)
{
	struct bounce_limits lim;
	size_t c, i;

	(void)state;
	bounce_limits_default(&lim);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct dsn_case *t = &cases[c];
		struct bounce_result res;
		size_t n;

		memset(&res, 0, sizeof(res));
		n = dsn_parse(t->body, strlen(t->body), &lim, &res);
		print_message("case: %s\n", t->label);
		assert_int_equal(n, t->nrcpt);
		assert_int_equal(res.nrcpt, t->nrcpt);
		assert_string_equal(res.reporting_mta, t->reporting_mta);
		for (i = 0; i < n; i++) {
			const struct exp_rcpt *e = &t->r[i];
			const struct bounce_rcpt *r = &res.rcpt[i];

			assert_string_equal(r->recipient, e->recipient);
			assert_string_equal(r->original_recipient, e->original);
			assert_string_equal(r->action, e->action);
			assert_string_equal(r->status, e->status);
			assert_int_equal(r->replycode, e->replycode);
			if (e->diag_has[0] == '\0')
				assert_string_equal(r->diagnostic, "");
			else
				assert_non_null(strstr(r->diagnostic, e->diag_has));
			assert_string_equal(r->remote_mta, e->remote_mta);
			assert_string_equal(r->reporting_mta, t->reporting_mta);
			if (strstr(t->label, "X-Unix") != NULL)
				assert_int_equal(r->reason_hint, BM_REASON_MAILERERROR);
		}
		bounce_result_free(&res);
	}
}

/* 2,000 recipients against max_rcpt 1000: bounded, capped flag set. */
static void
test_dsn_many(void **state)
{
	struct bounce_limits lim;
	struct bounce_result res;
	size_t cap = 2000 * 80, len = 0, i;
	char *body = malloc(cap);

	(void)state;
	assert_non_null(body);
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(body + len, cap - len,
		    "Final-Recipient: rfc822; u%zu@example.com\nAction: failed\n"
		    "Status: 5.1.1\n\n", i);
	bounce_limits_default(&lim);
	memset(&res, 0, sizeof(res));
	assert_int_equal(dsn_parse(body, len, &lim, &res), lim.max_rcpt);
	assert_true(res.rcpt_capped);
	assert_string_equal(res.rcpt[999].recipient, "u999@example.com");
	bounce_result_free(&res);
	free(body);
}

/* A 100 KB folded Diagnostic-Code: bounded copy, no overflow. */
static void
test_dsn_long_field(void **state)
{
	struct bounce_result res;
	size_t cap = 200000, len, i;
	char *body = malloc(cap);

	(void)state;
	assert_non_null(body);
	len = (size_t)snprintf(body, cap, "Final-Recipient: rfc822; l@example.com\n"
	                       "Action: failed\nDiagnostic-Code: smtp; 550");
	for (i = 0; i < 10000; i++)
		len += (size_t)snprintf(body + len, cap - len, "\n    word%zu", i);
	memset(&res, 0, sizeof(res));
	assert_int_equal(dsn_parse(body, len, NULL, &res), 1);
	assert_true(strlen(res.rcpt[0].diagnostic) < BM_DIAG_MAX);
	assert_non_null(strstr(res.rcpt[0].diagnostic, "550 word0 word1"));
	bounce_result_free(&res);
	free(body);
}

/* Every prefix of a DSN body parses without reading past its end. */
static void
test_dsn_truncation(void **state)
{
	const char *body = cases[0].body;
	size_t n = strlen(body), i;

	(void)state;
	for (i = 0; i <= n; i++) {
		struct bounce_result res;
		char *copy = malloc(i ? i : 1);

		assert_non_null(copy);
		memcpy(copy, body, i);
		memset(&res, 0, sizeof(res));
		assert_true(dsn_parse(copy, i, NULL, &res) <= 1);
		bounce_result_free(&res);
		free(copy);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsn_table),
		cmocka_unit_test(test_dsn_many),
		cmocka_unit_test(test_dsn_long_field),
		cmocka_unit_test(test_dsn_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
