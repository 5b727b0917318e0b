/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_analysis.c - analysis.c's reading of a record's diagnostic: what
 * analysis_diag_status() and analysis_diag_command() answer is what
 * status_find() and smtpcmd_find() answer for the diagnostic the record
 * holds when asked, however often and in whatever order they are asked,
 * after the record is copied, after its diagnostic is rewritten (and
 * forgotten), after result_scrub() replaces control bytes in it and after
 * classify_rcpt() cuts an unterminated one.  (The message half, phrase
 * hits, the signal and the daemon sender, is tested in
 * test_recog_provider.c beside the recognisers that ask.)
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify/analysis.h"
#include "classify/classify.h"
#include "classify/record.h"
#include "classify/result.h"
#include "classify/smtpcmd.h"
#include "classify/status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const diags[] = {
	"",
	"550 5.1.1 <a@example.org>: Recipient address rejected: User unknown",
	"host mx.example.org[192.0.2.1] said: 452 4.2.2 Mailbox full "
	"(in reply to RCPT TO command)",
	"SMTP error from remote mail server after end of data: 554 5.7.1 spam",
	"#5.1.0 Address rejected",
	"550-5.7.1 [192.0.2.9] Our system has detected an unusual rate",
	"421 too many connections (in reply to MAIL FROM command)",
	"Status 5.0.0, version 1.2.3.4 on 2024-01-02",
	"no code at all, only words",
	"550",
	"(5.2.2) over quota",
	"Connection timed out while talking to mx.example.net",
};

/* The record's answers against the functions' own for its diagnostic. */
static void
check_record(struct bounce_rcpt *r)
{
	char want_st[BM_STATUS_MAX], got_st[BM_STATUS_MAX], small[4];
	int want_code = -1, got_code = -2, small_code = -3;
	size_t len = strnlen(r->diagnostic, sizeof(r->diagnostic));
	bool want = status_find(r->diagnostic, len, want_st, sizeof(want_st),
	                        &want_code);
	int k;

	for (k = 0; k < 2; k++) {
		memset(got_st, 'x', sizeof(got_st));
		assert_int_equal(analysis_diag_status(r, got_st, sizeof(got_st),
		                                      &got_code), want);
		assert_string_equal(got_st, want_st);
		assert_int_equal(got_code, want_code);
		assert_int_equal(analysis_diag_command(r),
		                 smtpcmd_find(r->diagnostic, len));
	}
	/* a buffer too small for the code gets "", as from status_find() */
	want = status_find(r->diagnostic, len, small, sizeof(small),
	                   &small_code);
	memset(got_st, 'x', sizeof(got_st));
	assert_int_equal(analysis_diag_status(r, got_st, sizeof(small),
	                                      &got_code), want);
	assert_string_equal(got_st, small);
	assert_int_equal(got_code, small_code);
	assert_int_equal(analysis_diag_status(r, NULL, 0, NULL), want);
}

static void
set_diag(struct bounce_rcpt *r, const char *s)
{
	snprintf(r->diagnostic, sizeof(r->diagnostic), "%s", s);
	analysis_diag_forget(r);
}

static void
test_diag_answers(void **state)
{
	struct bounce_rcpt r, copy;
	size_t i, j;

	(void)state;
	for (i = 0; i < N(diags); i++) {
		memset(&r, 0, sizeof(r));
		snprintf(r.diagnostic, sizeof(r.diagnostic), "%s", diags[i]);
		/* the command first, then the status, and the other way */
		if (i % 2)
			(void)analysis_diag_command(&r);
		check_record(&r);
		copy = r;                        /* what was read moves along */
		check_record(&copy);
		for (j = 0; j < N(diags); j++) {
			set_diag(&r, diags[j]);
			check_record(&r);
		}
	}
}

/* A diagnostic rewritten in place, as the parsers do, then forgotten. */
static void
test_diag_rewritten(void **state)
{
	struct bounce_rcpt r;

	(void)state;
	memset(&r, 0, sizeof(r));
	set_diag(&r, "550 5.1.1 user unknown (in reply to RCPT TO command)");
	check_record(&r);
	r.diagnostic[0] = '\0';
	analysis_diag_forget(&r);
	check_record(&r);
	assert_false(analysis_diag_status(&r, NULL, 0, NULL));
	assert_int_equal(analysis_diag_command(&r), SMTPCMD_NONE);
	memcpy(r.diagnostic, "452 4.2.2 full", 15);
	analysis_diag_forget(&r);
	check_record(&r);
	assert_int_equal(r.diag_read.replycode, 452);
}

/* result_scrub() turns control bytes into spaces: the record then reads
 * its scrubbed diagnostic, not what it read before. */
static void
test_diag_scrubbed(void **state)
{
	static const char *const dirty[] = {
		"550\x01" "5.1.1 no such user",
		"host said:\n550 5.7.1 blocked\r\n(in reply to end of DATA "
		"command)",
		"452\t4.2.2 mailbox full",
		"55\x7f" "0 5.1.1 x",
	};
	struct bounce_result res;
	struct bounce_rcpt *r;
	size_t i;

	(void)state;
	for (i = 0; i < N(dirty); i++) {
		memset(&res, 0, sizeof(res));
		r = result_add_rcpt(&res, NULL);
		assert_non_null(r);
		snprintf(r->diagnostic, sizeof(r->diagnostic), "%s", dirty[i]);
		(void)analysis_diag_status(r, NULL, 0, NULL);
		(void)analysis_diag_command(r);
		result_scrub(&res);
		assert_null(memchr(r->diagnostic, '\n', strlen(r->diagnostic)));
		check_record(r);
		bounce_result_free(&res);
	}
}

/* classify_rcpt() of a record that read its diagnostic before, and of a
 * fresh copy of it, agree; an unterminated diagnostic is cut first and
 * read as cut. */
static void
test_diag_classify(void **state)
{
	struct bounce_rcpt a, b;
	size_t i;

	(void)state;
	for (i = 0; i < N(diags); i++) {
		memset(&a, 0, sizeof(a));
		snprintf(a.action, sizeof(a.action), "failed");
		snprintf(a.diagnostic, sizeof(a.diagnostic), "%s", diags[i]);
		b = a;
		check_record(&a);
		classify_rcpt(&a);
		classify_rcpt(&b);
		assert_string_equal(a.status, b.status);
		assert_int_equal(a.replycode, b.replycode);
		assert_int_equal(a.reason, b.reason);
		assert_int_equal(a.cls, b.cls);
	}
	memset(&a, 0, sizeof(a));
	snprintf(a.action, sizeof(a.action), "failed");
	memset(a.diagnostic, 'a', sizeof(a.diagnostic));
	memcpy(a.diagnostic + sizeof(a.diagnostic) - 9, " 5.1.1 x", 8);
	a.diagnostic[sizeof(a.diagnostic) - 1] = '1';
	/* what an unterminated text would read, up to the array's end */
	a.diag_read.read = RECORD_DIAG_STATUS | RECORD_DIAG_COMMAND;
	a.diag_read.found = true;
	memcpy(a.diag_read.status, "4.0.0", 6);
	classify_rcpt(&a);
	check_record(&a);
	assert_string_equal(a.status, "5.1.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_answers),
		cmocka_unit_test(test_diag_rewritten),
		cmocka_unit_test(test_diag_scrubbed),
		cmocka_unit_test(test_diag_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
