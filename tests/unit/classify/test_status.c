/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_status.c - status.c: validation, normalisation, and
 * extraction of codes from diagnostic text (real forms, false matches on
 * IP addresses, versions, dates, and hostile input).
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

#include "classify/status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_valid(void **state)
{
	static const struct {
		const char *code;
		bool ok;
	} cases[] = {
		{ "5.1.1", true }, { "4.2.2", true }, { "2.0.0", true },
		{ "5.7.30", true }, { "5.1.10", true }, { "5.0.947", true },
		{ "3.1.1", false }, { "6.0.0", false }, { "5.1", false },
		{ "5.1.1.1", false }, { "5.01.1", false }, { "5.1.1000", false },
		{ "5..1", false }, { "", false }, { "X.1.1", false },
		{ "5.1.1 ", false }, { " 5.1.1", false }, { "5.a.1", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		assert_int_equal(status_valid(cases[i].code), cases[i].ok);
	assert_false(status_valid(NULL));
}

static void test_normalise(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "5.1.1", "5.1.1" }, { "5.01.1", "5.1.1" }, { " 4.2.02 ", "4.2.2" },
		{ "5.7.026", "5.7.26" }, { "5.1.1\r\n", "5.1.1" },
		{ "1.2.3", NULL }, { "5.1", NULL }, { "abc", NULL }, { "", NULL },
	};
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		bool ok = status_normalise(cases[i].in, out, sizeof(out));

		assert_int_equal(ok, cases[i].out != NULL);
		if (ok)
			assert_string_equal(out, cases[i].out);
		else
			assert_string_equal(out, "");
	}
	/* too small an output buffer is an error, never a cut */
	assert_false(status_normalise("5.7.26", out, 4));
	assert_false(status_normalise(NULL, out, sizeof(out)));
}

static void test_replycode(void **state)
{
	static const struct {
		int code;
		bool ok;
	} cases[] = {
		{ 550, true }, { 421, true }, { 250, true }, { 554, true },
		{ 599, false }, { 560, false }, { 350, false }, { 0, false },
		{ 5500, false }, { -550, false }, { 199, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		assert_int_equal(status_replycode_valid(cases[i].code), cases[i].ok);
}

static void test_class(void **state)
{
	(void)state;
	assert_int_equal(status_class("5.1.1"), '5');
	assert_int_equal(status_class("4.4.7"), '4');
	assert_int_equal(status_class("2.1.5"), '2');
	assert_int_equal(status_class("3.1.1"), 0);
	assert_int_equal(status_class(""), 0);
	assert_int_equal(status_class(NULL), 0);
}

static void test_find(void **state)
{
	static const struct {
		const char *text;
		const char *status;  /* NULL: none expected */
		int reply;
	} cases[] = {
		{ "550 5.1.1 <a@example.org>: Recipient address rejected", "5.1.1", 550 },
		{ "550-5.1.1 The email account that you tried to reach does not exist.", "5.1.1", 550 },
		{ "Sorry, I couldn't find any host named example.net. (#5.1.2)", "5.1.2", 0 },
		{ "Remote host said: 554 5.7.1 rejected", "5.7.1", 554 },
		{ "smtp; 550 5.1.1 User unknown", "5.1.1", 550 },
		{ "Remote server replied: 554 5.7.1 Service unavailable", "5.7.1", 554 },
		{ "mailbox full (5.2.2)", "5.2.2", 0 },
		{ "[5.7.1] blocked", "5.7.1", 0 },
		{ "5.1.1: user unknown", "5.1.1", 0 },
		{ "status=5.1.1 (bounced)", "5.1.1", 0 },
		{ "#5.1.0 Address rejected", "5.1.0", 0 },
		{ "552 5.2.2 Over quota", "5.2.2", 552 },
		{ "421 4.7.0 Try again later", "4.7.0", 421 },
		{ "550 User unknown", NULL, 550 },
		{ "host example.net[192.0.2.1] said: 550 5.7.1 no", "5.7.1", 550 },
		/* the code in the SMTP error line wins over a leading one */
		{ "5.0.0 - Unknown address error 550-'5.7.1 <a@b>... Access denied'", "5.7.1", 550 },
		{ "Status: 5.0.0 remote said: 550 5.1.1 no such user", "5.1.1", 550 },
		{ "Diagnostic: 4.4.1 (no answer) then 452 4.2.2 mailbox full", "4.2.2", 452 },
		{ "#550 5.2.2 STOREDRV.Deliver: mailbox full", "5.2.2", 550 },
		{ "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'", "5.1.1", 550 },
		{ "ERROR_CODE :550, ERROR_CODE :5.2.1 <a@b>... User Unknown", "5.2.1", 0 },
		{ "<<< 550-5.7.1 [192.0.2.1] blocked", "5.7.1", 550 },
		{ "550: 5.2.2 <a@b>... Mailbox Full", "5.2.2", 550 },
		{ "Resources temporarily unavailable [#4.1.9].", "4.1.9", 0 },
		{ "dsn=5.1.1, status=bounced", "5.1.1", 0 },
		/* false matches */
		{ "connect to 192.0.2.1 failed", NULL, 0 },
		{ "connect to 5.1.1.1 failed", NULL, 0 },
		{ "host 10.5.2.4 refused", NULL, 0 },
		{ "Postfix 3.5.1 here", NULL, 0 },
		{ "Exim 4.94.2 at your service", NULL, 0 },
		{ "running version 5.1.1 of the software", NULL, 0 },
		{ "mailer v4.2.2 says hello", NULL, 0 },
		{ "delivered on 5.12.2021 at 10:20", NULL, 0 },
		{ "expires 2021.5.1", NULL, 0 },
		{ "serial 55.1.1 and 5.1.1234", NULL, 0 },
		{ "a5.1.1 b", NULL, 0 },
		{ "after 450 seconds", NULL, 0 },
		{ "elapsed 421:05:10 since the first attempt", NULL, 0 },
		{ "queued at 10:20:30 for 5.1 hours", NULL, 0 },
		{ "message of 5500 bytes", NULL, 0 },
		{ "", NULL, 0 },
	};
	char st[16];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		int reply = -1;
		bool found = status_find(cases[i].text, strlen(cases[i].text), st,
		                         sizeof(st), &reply);

		if (cases[i].status != NULL) {
			assert_true(found);
			assert_string_equal(st, cases[i].status);
		} else {
			assert_string_equal(st, "");
		}
		assert_int_equal(reply, cases[i].reply);
		assert_int_equal(found, cases[i].status != NULL || cases[i].reply != 0);
	}
}

static void test_find_hostile(void **state)
{
	static const char nul[] = "550\0 5.1.1 user\0unknown 5.2.2";
	char st[16];
	int reply;
	size_t big = 1u << 20, i;
	char *huge = malloc(big);

	(void)state;
	/* NUL bytes are ordinary separators, never terminators */
	assert_true(status_find(nul, sizeof(nul) - 1, st, sizeof(st), &reply));
	assert_string_equal(st, "5.1.1");

	/* length is respected: the code past len is not seen */
	assert_false(status_find("550 5.1.1", 3 + 1 + 3, st, sizeof(st), NULL) &&
	             strcmp(st, "5.1.1") == 0);

	/* control characters */
	assert_true(status_find("\x01\x02\x7f 550 5.7.1\x1b[0m", 16, st, sizeof(st), &reply));
	assert_string_equal(st, "5.7.1");

	/* NULL and tiny buffers */
	assert_false(status_find(NULL, 10, st, sizeof(st), &reply));
	assert_true(status_find("550 5.1.1", 9, NULL, 0, NULL));
	assert_true(status_find("550 5.1.1", 9, st, 3, &reply));
	assert_string_equal(st, "");

	/* a megabyte of digits and dots, then a real code */
	assert_non_null(huge);
	for (i = 0; i < big; i++)
		huge[i] = (i % 3 == 1) ? '.' : '5';
	memcpy(huge + big - 12, " 550 5.2.2  ", 12);
	assert_true(status_find(huge, big, st, sizeof(st), &reply));
	assert_string_equal(st, "5.2.2");
	assert_int_equal(reply, 550);
	free(huge);
}

/* status_find() skips digit-free text eight bytes at a time: a code at
 * any offset after long prose, bytes that differ from a digit only in
 * their high bits, and text that ends inside a word are all read as
 * byte by byte. */
static void test_find_offsets(void **state)
{
	/* 0xb0..0xb9 and ':' / '/' are next to the digits but not digits */
	static const char near[] = "\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9::://"
	                           "\x80\x89\xf0\xf9 550 5.7.1 denied";
	char text[64], st[16];
	size_t pad, n;
	int reply;

	(void)state;
	for (pad = 0; pad < 24; pad++) {
		memset(text, 'x', pad);
		memcpy(text + pad, " 550 5.1.1", 10);
		n = pad + 10;
		reply = 0;
		assert_true(status_find(text, n, st, sizeof(st), &reply));
		assert_string_equal(st, "5.1.1");
		assert_int_equal(reply, 550);
		/* the same text cut inside the code: no code */
		assert_false(status_find(text, n - 4, st, sizeof(st), NULL) &&
		             st[0] == '5' && strcmp(st, "5.1.1") == 0);
	}
	assert_true(status_find(near, sizeof(near) - 1, st, sizeof(st), &reply));
	assert_string_equal(st, "5.7.1");
	assert_int_equal(reply, 550);
	assert_false(status_find("\xb5\xb2\xb1\xb0\xb5\xb1\xb1\xb1\xb5", 9, st,
	                         sizeof(st), &reply));
	/* normalised codes too long for the output are refused, not cut */
	assert_false(status_normalise("5.1.10", st, 6));
	assert_string_equal(st, "");
	assert_true(status_normalise("5.1.10", st, 7));
	assert_string_equal(st, "5.1.10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_replycode),
		cmocka_unit_test(test_class),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_hostile),
		cmocka_unit_test(test_find_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
