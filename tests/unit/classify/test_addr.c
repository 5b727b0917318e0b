/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_addr.c - addr.c: the address forms found in bounces, validation
 * limits, finding an address in prose, and hostile input.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/addr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_normalise(void **state)
{
	static const struct {
		const char *in;
		bool fold;
		const char *out;   /* NULL: invalid */
	} cases[] = {
		{ "rfc822; Kijitora@Example.JP", false, "Kijitora@example.jp" },
		{ "RFC822;kijitora@example.jp", false, "kijitora@example.jp" },
		{ "rfc822; Kijitora@Example.JP", true, "kijitora@example.jp" },
		{ "utf-8; neko@example.org", false, "neko@example.org" },
		{ "<neko@example.org>", false, "neko@example.org" },
		{ "  <neko@example.org>  ", false, "neko@example.org" },
		{ "Neko Cat <neko@example.org>", false, "neko@example.org" },
		{ "\"Cat, Neko\" <neko@example.org>", false, "neko@example.org" },
		{ "neko@example.org (The Cat)", false, "neko@example.org" },
		{ "neko(comment)@example.org", false, "neko@example.org" },
		{ "\"neko cat\"@example.org", false, "\"neko cat\"@example.org" },
		{ "\"Neko@Cat\"@Example.org", true, "\"Neko@Cat\"@example.org" },
		/* an escaped quote does not end the quoted string (fuzz finding) */
		{ "\"@@4\\8<\\\"@A\"@B", true, "\"@@4\\8<\\\"@A\"@b" },
		/* ... nor does it open an angle bracket after it (fuzz finding) */
		{ "\"a\\\"<b\"@example.org", false, "\"a\\\"<b\"@example.org" },
		{ "\"a\\\xff\"@example.org", false, NULL },
		{ "\"a\\\xc3\xa9\"@example.org", false, "\"a\\\xc3\xa9\"@example.org" },
		{ "neko+tag@example.org", false, "neko+tag@example.org" },
		/* nothing quoted: brackets, comments and '@' found by fast paths */
		{ "Cat <neko@example.org", false, "neko@example.org" },
		{ "(c) neko@example.org (x)", false, "neko@example.org" },
		{ "Cat <(x)neko@example.org>", false, "neko@example.org" },
		{ "<a@b.org> <c@d.org>", false, "a@b.org" },
		{ "a@b@example.org", false, NULL },
		{ "neko@example.org.", false, "neko@example.org" },
		{ "mailto:neko@example.org", false, "neko@example.org" },
		/* Exchange proxy-address types and IMCEA encapsulation */
		{ "rfc822; SMTP:Neko@Example.org", false, "Neko@example.org" },
		{ "smtp=neko@example.org", false, "neko@example.org" },
		{ "IMCEASMTP-neko+40example+2Eorg@corp.example.com", false,
		  "neko@example.org" },
		{ "<IMCEASMTP-neko+2Bx+40example+2Eorg@corp.example.com>", false,
		  "neko+x@example.org" },
		{ "neko@[192.0.2.1]", false, "neko@[192.0.2.1]" },
		{ "neko@localhost", false, "neko@localhost" },
		/* IDNA: non-ASCII domains stay as they are, ASCII is lowered */
		{ "neko@B\xc3\xbc" "cher.EXAMPLE", false, "neko@b\xc3\xbc" "cher.example" },
		{ "\xe7\x8c\xab@\xe4\xbe\x8b\xe3\x81\x88.JP", true, "\xe7\x8c\xab@\xe4\xbe\x8b\xe3\x81\x88.jp" },
		/* invalid */
		{ "", false, NULL },
		{ "rfc822;", false, NULL },
		{ "neko", false, NULL },
		{ "@example.org", false, NULL },
		{ "neko@", false, NULL },
		{ "neko@@example.org", false, NULL },
		{ "ne ko@example.org", false, NULL },
		{ "neko@exa mple.org", false, NULL },
		{ "neko@example..org", false, NULL },
		{ "neko@.example.org", false, NULL },
		{ "ne\x01ko@example.org", false, NULL },
		{ "neko@exa\x7fmple.org", false, NULL },
		{ "\"unterminated@example.org", false, NULL },
		{ "neko@exa<mple.org", false, NULL },
		/* invalid UTF-8: a stray continuation byte, a cut sequence, an
		 * overlong form, a surrogate, a Latin-1 byte */
		{ "neko@exa\x80mple.org", false, NULL },
		{ "neko@example.\xe4\xbe", false, NULL },
		{ "neko@\xc0\xae" "example.org", false, NULL },
		{ "neko@\xed\xa0\x80.example", false, NULL },
		{ "n\xe9ko@example.org", false, NULL },
		{ "\xe7\x8c@example.org", false, NULL },
		/* non-ASCII punctuation is no part of a domain name */
		{ "neko@example\xe3\x80\x82jp", false, NULL },
		/* ... and after the address it is prose, like a comma */
		{ "neko@example.jp\xd8\x8c", false, "neko@example.jp" },
		{ "neko@example.jp\xe3\x80\x82", false, "neko@example.jp" },
		{ "'neko@example.jp'", false, "neko@example.jp" },
		{ "rfc822; `neko'@example.jp`", false, "neko'@example.jp" },
		/* quotes and spaces mixed: all of them go (fuzz finding) */
		{ "'\f'@7", false, NULL },
		{ "' 'neko@example.jp ' ,", false, "neko@example.jp" },
		{ "`neko@example.jp", false, "neko@example.jp" },
	};
	char out[320];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		int rc = addr_normalise(cases[i].in, strlen(cases[i].in), out,
		                        sizeof(out), cases[i].fold);

		if (cases[i].out == NULL) {
			if (rc != -1)
				fail_msg("\"%s\" accepted as \"%s\"", cases[i].in, out);
			assert_string_equal(out, "");
		} else {
			if (rc != 0)
				fail_msg("\"%s\" rejected", cases[i].in);
			assert_string_equal(out, cases[i].out);
		}
	}
}

static void test_limits(void **state)
{
	char in[600], out[600];
	size_t n;

	(void)state;
	/* local part: 64 fits, 65 does not */
	memset(in, 'a', 64);
	memcpy(in + 64, "@example.org", 13);
	assert_int_equal(addr_normalise(in, strlen(in), out, sizeof(out), false), 0);
	memset(in, 'a', 65);
	memcpy(in + 65, "@example.org", 13);
	assert_int_equal(addr_normalise(in, strlen(in), out, sizeof(out), false), -1);

	/* a label of 63 fits, 64 does not */
	memcpy(in, "a@", 2);
	memset(in + 2, 'b', 63);
	memcpy(in + 65, ".org", 5);
	assert_int_equal(addr_normalise(in, strlen(in), out, sizeof(out), false), 0);
	memset(in + 2, 'b', 64);
	memcpy(in + 66, ".org", 5);
	assert_int_equal(addr_normalise(in, strlen(in), out, sizeof(out), false), -1);

	/* domain over 253 octets */
	memcpy(in, "a@", 2);
	for (n = 2; n < 2 + 260; n++)
		in[n] = ((n - 2) % 10 == 9) ? '.' : 'c';
	in[n] = '\0';
	assert_int_equal(addr_normalise(in, strlen(in), out, sizeof(out), false), -1);

	/* the output buffer bounds the result: error, never a cut */
	assert_int_equal(addr_normalise("neko@example.org", 16, out, 16, false), -1);
	assert_string_equal(out, "");
	assert_int_equal(addr_normalise("neko@example.org", 16, out, 17, false), 0);
	/* the input length is respected */
	assert_int_equal(addr_normalise("neko@example.org", 11, out, sizeof(out), false), 0);
	assert_string_equal(out, "neko@exampl");
}

/* The validity rules on bare addresses: a valid one normalises to itself,
 * one that breaks a rule is refused; brackets, a type prefix and trailing
 * punctuation around a valid one are taken off. */
static void test_bare_forms(void **state)
{
	static const struct {
		const char *addr, *out;   /* out NULL: refused */
	} cases[] = {
		{ "neko@example.org", "neko@example.org" }, { "a@b", "a@b" },
		{ "\"a b\"@example.org", "\"a b\"@example.org" },
		{ "neko@[192.0.2.1]", "neko@[192.0.2.1]" },
		{ "<neko@example.org>", "neko@example.org" },
		{ "rfc822; neko@example.org", "neko@example.org" },
		{ "neko@example.org.", "neko@example.org" }, { "neko", NULL },
		{ "", NULL },
		{ "neko@exa_mple.org", "neko@exa_mple.org" },
		{ "ne ko@example.org", NULL },
		/* UTF-8 must be well-formed in both parts */
		{ "\xe7\x8c\xab@\xe4\xbe\x8b.jp", "\xe7\x8c\xab@\xe4\xbe\x8b.jp" },
		{ "neko@\xe4\xbe\x8b\xe3.jp", NULL },
		{ "neko@\xff.jp", NULL },
		{ "neko@\xf4\x90\x80\x80.jp", NULL },
		{ "ne\xe3\x81ko@example.jp", NULL },
		{ "neko\xc1\x81@example.jp", NULL },
		/* non-ASCII punctuation (ARABIC COMMA) ends the domain */
		{ "neko@example.jp\xd8\x8c", "neko@example.jp" },
	};
	char out[320];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		rc = addr_normalise(cases[i].addr, strlen(cases[i].addr), out,
		                    sizeof(out), false);
		if (cases[i].out == NULL ? rc != -1 || out[0] != '\0' :
		    rc != 0 || strcmp(out, cases[i].out) != 0)
			fail_msg("addr_normalise(\"%s\"): %d \"%s\"", cases[i].addr,
			         rc, out);
	}
	assert_int_equal(addr_normalise(NULL, 0, out, sizeof(out), false), -1);
}

static void test_find(void **state)
{
	static const struct {
		const char *text, *out;
	} cases[] = {
		{ "<kijitora@example.jp>: 550 5.1.1 User unknown", "kijitora@example.jp" },
		{ "550 5.1.1 <Neko@Example.ORG>... User unknown", "Neko@example.org" },
		{ "Delivery to the following recipient failed: neko@example.org.", "neko@example.org" },
		{ "mailbox for \"neko cat\"@example.org is full", "\"neko cat\"@example.org" },
		{ "user neko@example.org, said", "neko@example.org" },
		{ "rcpt=<a.b-c+d@sub.example.co.jp>", "a.b-c+d@sub.example.co.jp" },
		{ "@@@ x@ @y then z@example.net", "z@example.net" },
		/* prose quotes and punctuation around the address are not part of it */
		{ "for <'lib@googlegroups.com>", "lib@googlegroups.com" },
		{ "address 'neko@example.org' is gone", "neko@example.org" },
		{ "`neko@example.org'", "neko@example.org" },
		{ "'@w then neko@example.org", "neko@example.org" },
		{ "x '@w", NULL },
		{ "o'brien@example.org", "o'brien@example.org" },
		/* Arabic comma, ideographic full stop, corner brackets, NBSP */
		{ "\xd8\xa5\xd9\x84\xd9\x89 neko@example.jp\xd8\x8c \xd9\x84\xd8\xa7", "neko@example.jp" },
		{ "neko@example.jp\xe3\x80\x82", "neko@example.jp" },
		{ "\xe5\xae\x9b\xe5\x85\x88\xe3\x80\x8cneko@example.jp\xe3\x80\x8d", "neko@example.jp" },
		{ "to neko@example.jp\xc2\xa0(user unknown)", "neko@example.jp" },
		{ "\xe7\x8c\xab@\xe4\xbe\x8b\xe3\x81\x88.jp: unknown", "\xe7\x8c\xab@\xe4\xbe\x8b\xe3\x81\x88.jp" },
		/* invalid UTF-8 is never part of a found address */
		{ "neko@example.jp\xff", "neko@example.jp" },
		{ "\x80neko@example.jp", "neko@example.jp" },
		{ "no address in here", NULL },
		{ "trailing @", NULL },
		{ "", NULL },
	};
	char out[320];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		int rc = addr_find(cases[i].text, strlen(cases[i].text), out, sizeof(out));

		if (cases[i].out == NULL) {
			assert_int_equal(rc, -1);
			assert_string_equal(out, "");
		} else {
			if (rc != 0)
				fail_msg("nothing found in \"%s\"", cases[i].text);
			assert_string_equal(out, cases[i].out);
		}
	}
}

static void test_hostile(void **state)
{
	static const char nul[] = "neko@example.org\0garbage";
	static const char nul2[] = "x\0neko@example.org";
	char out[320];
	size_t big = 1u << 20;
	char *huge = malloc(big);

	(void)state;
	assert_int_equal(addr_normalise(NULL, 5, out, sizeof(out), false), -1);
	assert_int_equal(addr_normalise("a@b", 3, NULL, 0, false), -1);
	assert_int_equal(addr_find(NULL, 5, out, sizeof(out)), -1);
	/* a NUL ends the address field */
	assert_int_equal(addr_normalise(nul, sizeof(nul) - 1, out, sizeof(out), false), 0);
	assert_string_equal(out, "neko@example.org");
	/* in free text it is just a separator */
	assert_int_equal(addr_find(nul2, sizeof(nul2) - 1, out, sizeof(out)), 0);
	assert_string_equal(out, "neko@example.org");

	assert_non_null(huge);
	memset(huge, '@', big);
	assert_int_equal(addr_find(huge, big, out, sizeof(out)), -1);
	assert_int_equal(addr_normalise(huge, big, out, sizeof(out), false), -1);
	memset(huge, 'a', big);
	assert_int_equal(addr_find(huge, big, out, sizeof(out)), -1);
	memcpy(huge + big - 20, " neko@example.org  ", 19);
	assert_int_equal(addr_find(huge, big, out, sizeof(out)), 0);
	assert_string_equal(out, "neko@example.org");
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bare_forms),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
