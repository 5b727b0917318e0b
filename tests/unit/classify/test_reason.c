/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_reason.c - reason.c: the name table, diagnostic text -> reason on
 * phrases real MTAs and providers write, status code -> reason, and
 * hostile input.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <cmocka.h>

#include "classify/reason.h"
#include "classify/reason_phrases.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs first: several threads race to build the phrase index. */
static int race_worker(void *arg)
{
	static const char text[] = "452 4.2.2 mailbox full";
	int i, bad = 0;

	(void)arg;
	for (i = 0; i < 2000; i++)
		if (reason_from_text(text, sizeof(text) - 1) != BM_REASON_MAILBOXFULL)
			bad++;
	return bad;
}

static void test_threads(void **state)
{
	thrd_t t[4];
	int i, rc;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(thrd_create(&t[i], race_worker, NULL), thrd_success);
	for (i = 0; i < 4; i++) {
		assert_int_equal(thrd_join(t[i], &rc), thrd_success);
		assert_int_equal(rc, 0);
	}
}

static void test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < BM_REASON_COUNT; i++) {
		const char *n = reason_name((enum bm_reason)i);

		assert_non_null(n);
		assert_int_equal(reason_from_name(n), i);
	}
	assert_string_equal(reason_name(BM_REASON_USERUNKNOWN), "userunknown");
	assert_string_equal(reason_name(BM_REASON_MESGTOOBIG), "mesgtoobig");
	assert_string_equal(reason_name(BM_REASON_COUNT), "undefined");
	assert_string_equal(reason_name((enum bm_reason)-1), "undefined");
	assert_int_equal(reason_from_name("MailboxFull"), BM_REASON_MAILBOXFULL);
	assert_int_equal(reason_from_name("emailtoolarge"), BM_REASON_MESGTOOBIG);
	assert_int_equal(reason_from_name("nonsense"), -1);
	assert_int_equal(reason_from_name(""), -1);
	assert_int_equal(reason_from_name(NULL), -1);
}

static void test_text(void **state)
{
	static const struct {
		const char *text;
		enum bm_reason want;
	} cases[] = {
		/* recipient */
		{ "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table", BM_REASON_USERUNKNOWN },
		{ "550-5.1.1 The email account that you tried to reach does not exist. Please try", BM_REASON_USERUNKNOWN },
		{ "Sorry, no mailbox here by that name. (#5.1.1)", BM_REASON_USERUNKNOWN },
		{ "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", BM_REASON_USERUNKNOWN },
		{ "554 delivery error: dd This user doesn't have a yahoo.com account", BM_REASON_USERUNKNOWN },
		{ "550 Requested action not taken: mailbox unavailable", BM_REASON_USERUNKNOWN },
		{ "550 5.7.1 user unknown", BM_REASON_USERUNKNOWN },
		{ "550 <x@example.jp>: Recipient address rejected.", BM_REASON_USERUNKNOWN },
		{ "Host or domain name not found. Name service error for name=example.invalid type=MX", BM_REASON_HOSTUNKNOWN },
		{ "Sorry, I couldn't find any host named example.net. (#5.1.2)", BM_REASON_HOSTUNKNOWN },
		{ "Unrouteable address", BM_REASON_HOSTUNKNOWN },
		{ "551 5.1.6 user has moved with no forwarding address", BM_REASON_HASMOVED },
		{ "556 5.1.10 Recipient address has null MX", BM_REASON_NOTACCEPT },
		/* mailbox */
		{ "552 5.2.2 <a@b>: mailbox full", BM_REASON_MAILBOXFULL },
		{ "452 4.2.2 The email account that you tried to reach is over quota", BM_REASON_MAILBOXFULL },
		{ "maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota", BM_REASON_MAILBOXFULL },
		{ "550 5.2.1 This mailbox has been disabled", BM_REASON_SUSPEND },
		{ "554 Account has been suspended", BM_REASON_SUSPEND },
		{ "550-5.2.1 The email account that you tried to reach is disabled.", BM_REASON_SUSPEND },
		{ "550 5.1.1 <a@b> Not our Customer", BM_REASON_USERUNKNOWN },
		{ "554 5.7.0 Reject, id=12345-01 - SPAM", BM_REASON_SPAMDETECTED },
		{ "550 REJECTED - Blacklisted URL in message. (example.com)", BM_REASON_SPAMDETECTED },
		{ "550 5.7.606 Access denied, banned sending IP [192.0.2.1]", BM_REASON_BLOCKED },
		{ "Connected to 192.0.2.1 but sender was rejected.", BM_REASON_REJECTED },
		{ "550 Denied by policy", BM_REASON_POLICYVIOLATION },
		{ "503 Improper sequence of commands", BM_REASON_SYNTAXERROR },
		{ "552 5.3.4 Message size exceeds fixed limit", BM_REASON_MESGTOOBIG },
		{ "552 5.2.3 Message length exceeds administrative limit", BM_REASON_EXCEEDLIMIT },
		/* sender, content, policy */
		{ "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", BM_REASON_BLOCKED },
		{ "550 5.7.1 Our system has detected that this message is likely unsolicited mail", BM_REASON_SPAMDETECTED },
		{ "554 5.7.1 Message rejected: spam detected", BM_REASON_SPAMDETECTED },
		{ "550 5.7.1 Virus detected: Eicar-Test-Signature", BM_REASON_VIRUSDETECTED },
		{ "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", BM_REASON_AUTHFAILURE },
		{ "550 5.7.23 SPF check failed", BM_REASON_AUTHFAILURE },
		{ "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.9]", BM_REASON_REQUIREPTR },
		{ "553 5.1.8 <a@b>... Domain of sender address a@b does not exist", BM_REASON_REJECTED },
		{ "554 5.7.1 <a@b>: Relay access denied", BM_REASON_NORELAYING },
		{ "554 5.7.9 Message not accepted for policy reasons", BM_REASON_POLICYVIOLATION },
		{ "550 5.7.1 Unauthenticated senders not allowed", BM_REASON_SECURITYERROR },
		{ "530 5.7.0 Must issue a STARTTLS command first", BM_REASON_FAILEDSTARTTLS },
		{ "550 5.7.1 Email rejected due to poor reputation of your IP", BM_REASON_BADREPUTATION },
		{ "554 Transaction failed: Duplicate header 'DKIM-Signature'", BM_REASON_NOTCOMPLIANTRFC },
		{ "421 4.7.0 Too many concurrent SMTP connections from this IP", BM_REASON_TOOMANYCONN },
		{ "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents", BM_REASON_SPEEDING },
		{ "550 5.5.2 Syntax error", BM_REASON_SYNTAXERROR },
		/* system, network, time */
		{ "452 4.3.1 Insufficient system storage", BM_REASON_SYSTEMFULL },
		{ "451 4.3.0 Local error in processing", BM_REASON_SYSTEMERROR },
		{ "connect to mx.example.org[192.0.2.1]:25: Connection refused", BM_REASON_NETWORKERROR },
		{ "Retry timeout exceeded", BM_REASON_EXPIRED },
		{ "Command died with status 1: \"/usr/bin/procmail\"", BM_REASON_MAILERERROR },
		/* nothing */
		{ "Thank you for your message", BM_REASON_UNDEFINED },
		{ "reduce, produce", BM_REASON_UNDEFINED },
		{ "", BM_REASON_UNDEFINED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		enum bm_reason got = reason_from_text(cases[i].text, strlen(cases[i].text));

		if (got != cases[i].want)
			fail_msg("\"%s\": got %s, want %s", cases[i].text,
			         reason_name(got), reason_name(cases[i].want));
	}
}

static void test_text_case_space(void **state)
{
	static const char folded[] = "MAILBOX\t\r\n   FULL";
	bool weak = true;

	(void)state;
	assert_int_equal(reason_from_text(folded, strlen(folded)), BM_REASON_MAILBOXFULL);
	assert_int_equal(reason_from_text_weak("550 Recipient address rejected", 30, &weak),
	                 BM_REASON_USERUNKNOWN);
	assert_true(weak);
	assert_int_equal(reason_from_text_weak("550 user unknown", 16, &weak),
	                 BM_REASON_USERUNKNOWN);
	assert_false(weak);
}

static void test_text_hostile(void **state)
{
	static const char nul[] = "mailbox\0full user\0unknown";
	size_t big = 1u << 20, i;
	char *huge = malloc(big);

	(void)state;
	assert_int_equal(reason_from_text(NULL, 10), BM_REASON_UNDEFINED);
	assert_int_equal(reason_from_text("user unknown", 0), BM_REASON_UNDEFINED);
	/* NUL is white space: "mailbox full" still matches, and is found
	 * before "user unknown" by the table order */
	assert_int_equal(reason_from_text(nul, sizeof(nul) - 1), BM_REASON_MAILBOXFULL);
	/* the length bound is respected */
	assert_int_equal(reason_from_text("user unknown", 4), BM_REASON_UNDEFINED);
	assert_non_null(huge);
	for (i = 0; i < big; i++)
		huge[i] = (char)(1 + i % 255);
	(void)reason_from_text(huge, big);
	memset(huge, 'a', big);
	memcpy(huge, "user unknown", 12);
	assert_int_equal(reason_from_text(huge, big), BM_REASON_USERUNKNOWN);
	free(huge);
}

static void test_status(void **state)
{
	static const struct {
		const char *code;
		enum bm_reason want;
	} cases[] = {
		{ "5.1.1", BM_REASON_USERUNKNOWN }, { "4.1.1", BM_REASON_USERUNKNOWN },
		{ "5.1.2", BM_REASON_HOSTUNKNOWN }, { "5.4.4", BM_REASON_HOSTUNKNOWN },
		{ "5.1.6", BM_REASON_HASMOVED }, { "5.1.10", BM_REASON_NOTACCEPT },
		{ "5.2.1", BM_REASON_SUSPEND }, { "5.2.2", BM_REASON_MAILBOXFULL },
		{ "4.2.2", BM_REASON_MAILBOXFULL }, { "5.2.3", BM_REASON_EXCEEDLIMIT },
		{ "5.3.4", BM_REASON_MESGTOOBIG }, { "4.4.7", BM_REASON_EXPIRED },
		{ "5.7.1", BM_REASON_BLOCKED }, { "5.7.13", BM_REASON_SUSPEND },
		{ "5.7.23", BM_REASON_AUTHFAILURE }, { "5.7.25", BM_REASON_REQUIREPTR },
		{ "5.7.26", BM_REASON_AUTHFAILURE }, { "5.1.8", BM_REASON_REJECTED },
		{ "5.3.1", BM_REASON_SYSTEMFULL }, { "4.4.1", BM_REASON_NETWORKERROR },
		{ "2.0.0", BM_REASON_DELIVERED }, { "2.1.5", BM_REASON_DELIVERED },
		{ "5.0.0", BM_REASON_UNDEFINED }, { "5.7.0", BM_REASON_UNDEFINED },
		{ "5.9.999", BM_REASON_UNDEFINED }, { "5.1", BM_REASON_UNDEFINED },
		{ "5.1.1 ", BM_REASON_UNDEFINED }, { "", BM_REASON_UNDEFINED },
		{ "3.1.1", BM_REASON_UNDEFINED }, { "5.1111.1", BM_REASON_UNDEFINED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		if (reason_from_status(cases[i].code) != cases[i].want)
			fail_msg("%s: got %s", cases[i].code,
			         reason_name(reason_from_status(cases[i].code)));
	assert_int_equal(reason_from_status(NULL), BM_REASON_UNDEFINED);
}

/* The definition reason_from_text() must agree with: fold byte by byte
 * (lower case, each run of white space and control bytes one space, a
 * space at both ends, at most 4096 + 2 bytes), then the first rule with a
 * phrase found by strstr(). */
static enum bm_reason model_reason(const char *text, size_t len)
{
	static char buf[4096 + 8];
	size_t i, n = 0, r;
	int space = 1;

	buf[n++] = ' ';
	for (i = 0; i < len && n + 2 < 4096 + 3; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c <= 0x20 || c == 0x7f) {
			if (!space)
				buf[n++] = ' ';
			space = 1;
		} else {
			buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			space = 0;
		}
	}
	if (!space)
		buf[n++] = ' ';
	buf[n] = '\0';
	if (n <= 1)
		return BM_REASON_UNDEFINED;
	for (r = 0; r < reason_nrules; r++) {
		const char *const *p;

		for (p = reason_rules[r].phrases; *p != NULL; p++)
			if (strstr(buf, *p) != NULL)
				return reason_rules[r].reason;
	}
	return BM_REASON_UNDEFINED;
}

/* Every phrase of the tables, in upper and mixed case, with its spaces
 * doubled or turned into tabs, at every offset within an eight-byte word
 * and straddling the 4096-byte fold limit, is judged as the model does:
 * the word-at-a-time fold and the prefix-keyed index miss nothing. */
static void test_text_every_phrase(void **state)
{
	static char text[4200];
	static const size_t offsets[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	                                  4080, 4085, 4088, 4090, 4093, 4094 };
	size_t r, o, v, i, k, n, plen;

	(void)state;
	for (r = 0; r < reason_nrules; r++) {
		const char *const *p;

		for (p = reason_rules[r].phrases; *p != NULL; p++) {
			plen = strlen(*p);
			for (o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++)
				for (v = 0; v < (offsets[o] < 16 ? 3u : 1u); v++) {
					n = 0;
					for (i = 0; i < offsets[o]; i++)
						text[n++] = (i % 7 == 6) ? ' ' : 'q';
					for (k = 0; k < plen && n + 3 < sizeof(text); k++) {
						char c = (*p)[k];

						if (c == ' ' && v == 1) {
							text[n++] = ' ';
							c = ' ';
						} else if (c == ' ' && v == 2) {
							c = '\t';
						} else if (c >= 'a' && c <= 'z' && (v == 0 || k % 2))
							c = (char)(c - 32);
						text[n++] = c;
					}
					text[n++] = '.';
					if (reason_from_text(text, n) != model_reason(text, n))
						fail_msg("\"%s\" at %zu, variant %zu", *p,
						         offsets[o], v);
				}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_case_space),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_text_every_phrase),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
