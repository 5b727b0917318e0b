/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_hdr.c - hdr: RFC 2047 decoding, sanitising values we write, folding.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/hdr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct dec_case {
	const char *label, *in, *want;
};

static const struct dec_case dec_cases[] = {
	{ "plain", "Undelivered Mail", "Undelivered Mail" },
	{ "B utf-8", "=?UTF-8?B?VW5kZWxpdmVyZWQ=?= Mail", "Undelivered Mail" },
	{ "Q latin1", "=?ISO-8859-1?Q?caf=E9_au_lait?=", "caf\xc3\xa9 au lait" },
	{ "q lower", "=?iso-8859-1?q?=E9?=", "\xc3\xa9" },
	{ "us-ascii", "=?us-ascii?Q?Hello?=", "Hello" },
	{ "adjacent joined", "=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab" },
	{ "adjacent folded", "=?UTF-8?Q?a?=\r\n\t=?UTF-8?Q?b?=", "ab" },
	{ "text between kept", "=?UTF-8?Q?a?= x =?UTF-8?Q?b?=", "a x b" },
	{ "leading text", "Re: =?UTF-8?B?w6k=?=", "Re: \xc3\xa9" },
	{ "other charset raw", "=?KOI8-R?B?8NLJ18XU?=", "\xf0\xd2\xc9\xd7\xc5\xd4" },
	{ "language suffix", "=?UTF-8*en?Q?hi?=", "hi" },
	{ "malformed kept", "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=" },
	{ "unterminated kept", "=?UTF-8?Q?abc", "=?UTF-8?Q?abc" },
	{ "space inside kept", "=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?=" },
	{ "empty", "", "" },
	/* text before the first "=?" is copied as it stands */
	{ "no word, stray =", "Re: plain  text =", "Re: plain  text =" },
	{ "=? at the end", "a = b =?", "a = b =?" },
	{ "spaces before first word", "x  =?UTF-8?Q?a?=", "x  a" },
	{ "glued to text", "=x=?UTF-8?Q?d?=y", "=xdy" },
	{ "bad base64 tolerated", "=?UTF-8?B?SGVsbG8?=", "Hello" },
};

static void
test_decode_table(void **state)
{
	char out[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < N(dec_cases); i++) {
		n = hdr_decode(dec_cases[i].in, strlen(dec_cases[i].in), out,
		    sizeof(out));
		if (n != strlen(out) || strcmp(out, dec_cases[i].want) != 0)
			fail_msg("%s: got \"%s\"", dec_cases[i].label, out);
	}
}

static void
test_decode_bounded(void **state)
{
	char out[6];
	size_t n;

	(void)state;
	n = hdr_decode("=?UTF-8?Q?abcdefgh?=", 20, out, sizeof(out));
	assert_int_equal(n, 5);
	assert_string_equal(out, "abcde");
	/* a 2-byte latin1 conversion is never split */
	n = hdr_decode("=?ISO-8859-1?Q?abcd=E9?=", 24, out, sizeof(out));
	assert_string_equal(out, "abcd");
	assert_int_equal(n, 4);
	assert_int_equal(hdr_decode("abc", 3, out, 0), 0);
	/* white space that fills the output before the next word */
	n = hdr_decode("a    b", 6, out, 4);
	assert_int_equal(n, 3);
	assert_string_equal(out, "a  ");
	/* plain text longer than the output, before an encoded word */
	n = hdr_decode("Re: plain =?UTF-8?Q?a?=", 23, out, sizeof(out));
	assert_int_equal(n, 5);
	assert_string_equal(out, "Re: p");
	n = hdr_decode("abc=?UTF-8?Q?d?=", 16, out, 4);
	assert_int_equal(n, 3);
	assert_string_equal(out, "abc");
}

struct san_case {
	const char *label;
	const char *in;
	size_t inlen;           /* 0: strlen */
	size_t outsz;
	const char *want;
};

static const struct san_case san_cases[] = {
	{ "clean", "alice@example.com; class=hard", 0, 128,
	  "alice@example.com; class=hard" },
	{ "CR LF in value", "evil\r\nX-Bounce-Class: hard", 0, 128,
	  "evil X-Bounce-Class: hard" },
	{ "bare LF", "a\nb", 0, 128, "a b" },
	{ "bare CR", "a\rb", 0, 128, "a b" },
	{ "NUL inside", "a\0b", 3, 128, "a b" },
	{ "controls", "a\x01\x1b[31mb\x7f", 0, 128, "a [31mb" },
	{ "trim and collapse", "  a \t  b  ", 0, 128, "a b" },
	{ "valid utf-8", "caf\xc3\xa9 \xe2\x82\xac", 0, 128, "caf\xc3\xa9 \xe2\x82\xac" },
	{ "invalid byte", "a\xff" "b", 0, 128, "a?b" },
	{ "overlong", "\xc0\xaf", 0, 128, "??" },
	{ "surrogate", "\xed\xa0\x80", 0, 128, "???" },
	{ "truncated seq", "ab\xe2\x82", 0, 128, "ab??" },
	{ "C1 control", "a\xc2\x85" "b", 0, 128, "a??b" },
	{ "bounded", "abcdefghij", 0, 5, "abcd" },
	{ "no split utf-8", "abc\xc3\xa9", 0, 5, "abc" },
	{ "empty", "", 0, 8, "" },
};

static void
test_sanitise_table(void **state)
{
	char out[128];
	size_t i, n, j;

	(void)state;
	for (i = 0; i < N(san_cases); i++) {
		const struct san_case *c = &san_cases[i];

		n = hdr_sanitise(c->in, c->inlen ? c->inlen : strlen(c->in), out,
		    c->outsz);
		if (n != strlen(out) || strcmp(out, c->want) != 0)
			fail_msg("%s: got \"%s\"", c->label, out);
		for (j = 0; j < n; j++)
			assert_false((unsigned char)out[j] < 0x20 ||
			    out[j] == 0x7f);
	}
}

/* Check a folded value: unfolds back to the input, LF+SP folds only,
 * lines within the limits. */
static void
check_fold(const char *name, const char *value, const char *out, size_t soft)
{
	size_t col = strlen(name) + 2, maxcol = 0, i, o = 0;
	char *unf = malloc(strlen(out) + 1);

	assert_non_null(unf);
	for (i = 0; out[i]; i++) {
		assert_int_not_equal(out[i], '\r');
		if (out[i] == '\n') {
			assert_int_equal(out[i + 1], ' ');
			if (col > maxcol)
				maxcol = col;
			col = 0;
			continue;
		}
		unf[o++] = out[i];
		col++;
	}
	unf[o] = '\0';
	if (col > maxcol)
		maxcol = col;
	assert_true(maxcol <= soft);
	if (soft <= 78)
		assert_string_equal(unf, value);
	free(unf);
}

static void
test_fold(void **state)
{
	char out[4096], val[3000];
	size_t n, i;
	static const char *const values[] = {
		"short",
		"alice@example.com; class=hard; status=5.1.1; reason=userunknown; "
		"action=failed; reporting-mta=mx.example.net",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g "
		"h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n",
		"",
	};

	(void)state;
	for (i = 0; i < N(values); i++) {
		n = hdr_fold("X-Bounce-Recipient", values[i], out, sizeof(out));
		assert_int_not_equal(n, (size_t)-1);
		assert_int_equal(n, strlen(out));
		check_fold("X-Bounce-Recipient", values[i], out, 78);
	}
	/* the second value must actually have been folded */
	hdr_fold("X-Bounce-Recipient", values[1], out, sizeof(out));
	assert_non_null(strchr(out, '\n'));
	/* one word longer than 998: cut, never a line over 998 */
	memset(val, 'x', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	n = hdr_fold("X-Bounce-Recipient", val, out, sizeof(out));
	assert_int_not_equal(n, (size_t)-1);
	check_fold("X-Bounce-Recipient", val, out, 998);
	/* too small an output is reported, not overrun */
	assert_int_equal(hdr_fold("X", values[1], out, 10), (size_t)-1);
	assert_int_equal(hdr_fold("X", "a", out, 0), (size_t)-1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_bounded),
		cmocka_unit_test(test_sanitise_table),
		cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
