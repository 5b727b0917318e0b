/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_verp.c - VERP patterns, decoding, HMAC tags with key ids and day
 * stamps (key files are tested in test_batv.c, with sign.c).
 *
 * The reference tags come from OpenSSL's command line, an implementation
 * independent of verp.c (key id 1, day stamp 801 = day 20794 + 7):
 *   printf %s '1801alice@example.com' | openssl dgst -sha256 -hmac 'correct horse battery staple'
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "trust/verp.h"

#define SECRET "correct horse battery staple"
#define SECRET2 "tr0ub4dor&3"
#define DAY 20794                       /* 2026-12-07 */
#define NOW ((time_t)DAY * 86400 + 3600)
/* K DDD + HMAC-SHA256(secret, K DDD lower(addr)), first 16 hex digits */
#define ALICE_TAG "1801e6dbbe2d6f272209"           /* key 1, expires day 801 */
#define ALICE_TAG_K2 "2801bd0cb082836662bb"        /* key 2 (SECRET2) */
#define ALICE_TAG_OLD "179372535e16053be623"       /* key 1, expired day 793 */
#define ALICE_TAG_FAR "1802ce98ce16078dbe9e"       /* key 1, 8 days ahead */
#define BOB_TAG "1801acb275ed07ddea9b"

static struct sign_keys keys;

static void keys_set(void)
{
	memset(&keys, 0, sizeof(keys));
	keys.k[0].id = 1;
	memcpy(keys.k[0].key, SECRET, strlen(SECRET));
	keys.k[0].len = strlen(SECRET);
	keys.k[1].id = 2;
	memcpy(keys.k[1].key, SECRET2, strlen(SECRET2));
	keys.k[1].len = strlen(SECRET2);
	keys.n = 2;
	keys.valid_days = 7;
}

/* ------------------------------------------------------------ patterns */

static void test_pattern_syntax_is_checked(void **state)
{
	static const struct {
		const char *pat;
		bool ok;
	} rows[] = {
		{ "bounces+{local}={domain}@lists.example.com", true },
		{ "bounces+{tag}+{local}={domain}@lists.example.com", true },
		{ "{local}={domain}@bounce.example.com", true },
		{ "b-{domain}-{local}-{tag}@example.com", true },
		{ "bounces+{local}@lists.example.com", false },          /* no {domain} */
		{ "bounces+{domain}@lists.example.com", false },         /* no {local} */
		{ "bounces+{local}{domain}@lists.example.com", false },  /* adjacent */
		{ "bounces+{local}={domain}={local}@x.example", false }, /* twice */
		{ "bounces+{tag}+{tag}+{local}={domain}@x.example", false },
		{ "bounces+{local}={domain}", false },                   /* no @domain */
		{ "bounces+{local}={domain}@", false },
		{ "bounces+{local}={domain}@{tag}", false },             /* ends in a placeholder */
		{ "bounces@x+{local}={domain}@x.example", false },       /* two @ */
		{ "bounces+{Local}={domain}@x.example", false },         /* unknown placeholder */
		{ "bounces+{user}={domain}@x.example", false },
		{ "bounces+{local={domain}@x.example", false },
		{ "bounces+{local}}={domain}@x.example", false },
		{ "bounces +{local}={domain}@x.example", false },        /* space */
		{ "bounces+{local}={domain}@x..example", false },
		{ "", false },
		{ NULL, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (verp_pattern_valid(rows[i].pat) != rows[i].ok)
			fail_msg("verp_pattern_valid(%s) should be %d",
			         rows[i].pat ? rows[i].pat : "NULL", rows[i].ok);
}

/* ------------------------------------------------------------ decode, no secret */

static void test_decode_without_secret(void **state)
{
	static const char *const pats[] = {
		"bounces+{local}={domain}@lists.example.com",
		"{local}={domain}@bounce.example.net",
		NULL,
	};
	static const struct {
		const char *label, *rcpt, *want;
		enum verp_status st;
	} rows[] = {
		{ "plain", "bounces+alice=example.com@lists.example.com", "alice@example.com", VERP_OK },
		{ "angle brackets removed", "<bounces+alice=example.com@lists.example.com>", "alice@example.com", VERP_OK },
		{ "literal text is case-insensitive, domain lower-cased, local kept",
		  "BOUNCES+Alice=Example.COM@Lists.Example.Com", "Alice@example.com", VERP_OK },
		{ "'=' and '+' inside the local part: the last '=' ends it",
		  "bounces+a=b+c=example.org@lists.example.com", "a=b+c@example.org", VERP_OK },
		{ "second pattern", "carol=sub.example.org@bounce.example.net", "carol@sub.example.org", VERP_OK },
		{ "other address", "postmaster@lists.example.com", NULL, VERP_NO_MATCH },
		{ "prefix only", "bounces+@lists.example.com", NULL, VERP_NO_MATCH },
		{ "empty local", "bounces+=example.com@lists.example.com", NULL, VERP_NO_MATCH },
		{ "empty domain", "bounces+alice=@lists.example.com", NULL, VERP_NO_MATCH },
		{ "domain with a bad character", "bounces+alice=exa!mple.com@lists.example.com", NULL, VERP_NO_MATCH },
		{ "domain with empty label", "bounces+alice=example..com@lists.example.com", NULL, VERP_NO_MATCH },
		{ "trailing text after the pattern", "bounces+alice=example.com@lists.example.com.evil", NULL, VERP_NO_MATCH },
		{ "leading text before the pattern", "xbounces+alice=example.com@lists.example.com", NULL, VERP_NO_MATCH },
		{ "space in the local part", "bounces+al ice=example.com@lists.example.com", NULL, VERP_NO_MATCH },
		{ "empty recipient", "", NULL, VERP_NO_MATCH },
		{ "just brackets", "<>", NULL, VERP_NO_MATCH },
	};
	char out[320];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum verp_status st;
		strcpy(out, "untouched");
		st = verp_decode(pats, rows[i].rcpt, NULL, out, sizeof(out));
		if (st != rows[i].st)
			fail_msg("%s: status %d, want %d", rows[i].label, st, rows[i].st);
		if (rows[i].want && strcmp(out, rows[i].want) != 0)
			fail_msg("%s: decoded %s, want %s", rows[i].label, out, rows[i].want);
	}
}

/* ------------------------------------------------------------ tags */

static void test_tag_matches_openssl_reference(void **state)
{
	char tag[80];

	(void)state;
	keys_set();
	assert_int_equal(verp_tag(&keys.k[0], 16, "alice@example.com", NOW, 7, tag, sizeof(tag)), 0);
	assert_string_equal(tag, ALICE_TAG);
	assert_int_equal(verp_tag(&keys.k[0], 16, "Alice@EXAMPLE.com", NOW, 7, tag, sizeof(tag)), 0);
	assert_string_equal(tag, ALICE_TAG);               /* lower-cased first */
	assert_int_equal(verp_tag(&keys.k[1], 16, "alice@example.com", NOW, 7, tag, sizeof(tag)), 0);
	assert_string_equal(tag, ALICE_TAG_K2);
	assert_int_equal(verp_tag(&keys.k[0], 16, "alice@example.com", NOW - 8 * 86400, 7, tag, sizeof(tag)), 0);
	assert_string_equal(tag, ALICE_TAG_OLD);
	assert_int_equal(verp_tag(&keys.k[0], 8, "alice@example.com", NOW, 7, tag, sizeof(tag)), 0);
	assert_string_equal(tag, "1801e6dbbe2d");
	assert_int_equal(verp_tag(&keys.k[0], 16, "alice@example.com", NOW, 7, tag, 20), -1);  /* no room */
	assert_int_equal(verp_tag(&keys.k[0], 7, "alice@example.com", NOW, 7, tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(&keys.k[0], 61, "alice@example.com", NOW, 7, tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(&keys.k[0], 16, "", NOW, 7, tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(&keys.k[0], 16, NULL, NOW, 7, tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(NULL, 16, "alice@example.com", NOW, 7, tag, sizeof(tag)), -1);
}

static void test_tag_is_verified(void **state)
{
	static const char *const pats[] = {
		"bounces+{tag}+{local}={domain}@lists.example.com",
		NULL,
	};
	static const char *const untagged[] = {
		"bounces+{local}={domain}@lists.example.com",
		NULL,
	};
	static const struct {
		const char *label, *rcpt;
		enum verp_status st;
	} rows[] = {
		{ "right tag", "bounces+" ALICE_TAG "+alice=example.com@lists.example.com", VERP_OK },
		{ "right tag, address case differs", "bounces+" ALICE_TAG "+ALICE=Example.com@lists.example.com", VERP_OK },
		{ "tag upper-cased in transit", "BOUNCES+1801E6DBBE2D6F272209+ALICE=EXAMPLE.COM@LISTS.EXAMPLE.COM", VERP_OK },
		{ "second key (rotation)", "bounces+" ALICE_TAG_K2 "+alice=example.com@lists.example.com", VERP_OK },
		{ "key 1's MAC under key id 2", "bounces+2801e6dbbe2d6f272209+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "unknown key id", "bounces+3801e6dbbe2d6f272209+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "expired day stamp", "bounces+" ALICE_TAG_OLD "+alice=example.com@lists.example.com", VERP_EXPIRED },
		{ "stamp beyond the window", "bounces+" ALICE_TAG_FAR "+alice=example.com@lists.example.com", VERP_EXPIRED },
		{ "day stamp altered", "bounces+1802e6dbbe2d6f272209+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "one digit wrong", "bounces+1801e6dbbe2d6f272208+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag of another address", "bounces+" BOB_TAG "+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag too short", "bounces+1801e6dbbe2d6f27220+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag too long", "bounces+1801e6dbbe2d6f2722090+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "old style tag without key id and stamp", "bounces+150c6c66ecb64819+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag missing", "bounces++alice=example.com@lists.example.com", VERP_NO_MATCH },
		{ "tag not hex", "bounces+1801e6dbbe2d6f27220z+alice=example.com@lists.example.com", VERP_NO_MATCH },
	};
	struct verp_check chk = { &keys, 16, NOW };
	char out[320];

	(void)state;
	keys_set();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum verp_status st = verp_decode(pats, rows[i].rcpt, &chk, out, sizeof(out));
		if (st != rows[i].st)
			fail_msg("%s: status %d, want %d", rows[i].label, st, rows[i].st);
	}
	/* valid through its expiry day, refused the day after */
	chk.now = (time_t)(DAY + 7) * 86400 + 86399;
	assert_int_equal(verp_decode(pats, "bounces+" ALICE_TAG "+alice=example.com@lists.example.com",
	                             &chk, out, sizeof(out)), VERP_OK);
	chk.now = (time_t)(DAY + 8) * 86400;
	assert_int_equal(verp_decode(pats, "bounces+" ALICE_TAG "+alice=example.com@lists.example.com",
	                             &chk, out, sizeof(out)), VERP_EXPIRED);
	chk.now = NOW;
	/* a bad tag still reports the decoded address (for the log line) */
	assert_int_equal(verp_decode(pats, "bounces+18010000000000000000+alice=example.com@lists.example.com",
	                             &chk, out, sizeof(out)), VERP_BAD_TAG);
	assert_string_equal(out, "alice@example.com");
	/* keys configured but the pattern carries no tag: the tag is missing */
	assert_int_equal(verp_decode(untagged, "bounces+alice=example.com@lists.example.com",
	                             &chk, out, sizeof(out)), VERP_BAD_TAG);
	/* no keys: a tag pattern decodes without verification */
	assert_int_equal(verp_decode(pats, "bounces+18010000000000000000+alice=example.com@lists.example.com",
	                             NULL, out, sizeof(out)), VERP_OK);
	/* a later pattern that verifies wins over an earlier bad tag */
	{
		static const char *const both[] = {
			"bounces+{local}={domain}@lists.example.com",
			"bounces+{tag}+{local}={domain}@lists.example.com",
			NULL,
		};
		assert_int_equal(verp_decode(both, "bounces+" ALICE_TAG "+alice=example.com@lists.example.com",
		                             &chk, out, sizeof(out)), VERP_OK);
		assert_string_equal(out, "alice@example.com");
	}
}

static void test_render_fills_the_pattern(void **state)
{
	char out[320];

	(void)state;
	assert_int_equal(verp_render("bounces+{tag}+{local}={domain}@lists.example.com",
	    "alice@example.com", ALICE_TAG, out, sizeof(out)), 0);
	assert_string_equal(out, "bounces+" ALICE_TAG "+alice=example.com@lists.example.com");
	assert_int_equal(verp_render("bounces+{local}={domain}@lists.example.com",
	    "a@b@example.com", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "bounces+a@b=example.com@lists.example.com");
	assert_int_equal(verp_render("bounces+{tag}+{local}={domain}@x.example",
	    "alice@example.com", NULL, out, sizeof(out)), -1);          /* tag needed */
	assert_int_equal(verp_render("bounces+{local}@x.example", "alice@example.com", NULL,
	    out, sizeof(out)), -1);                                     /* bad pattern */
	assert_int_equal(verp_render("bounces+{local}={domain}@x.example", "alice", NULL,
	    out, sizeof(out)), -1);
	assert_int_equal(verp_render("bounces+{local}={domain}@x.example", "alice@example.com",
	    NULL, out, 10), -1);
}

/* ------------------------------------------------------------ hostile input */

static void test_hostile_recipients_are_bounded(void **state)
{
	static const char *const pats[] = {
		"bounces+{tag}+{local}={domain}@lists.example.com",
		"{local}={domain}@lists.example.com",
		NULL,
	};
	struct verp_check chk = { &keys, 16, NOW };
	char big[4096], out[320], small[8];

	(void)state;
	/* many separators: every split is tried, each placeholder capped */
	memset(big, '=', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(verp_decode(pats, big, &chk, out, sizeof(out)), VERP_NO_MATCH);
	snprintf(big, sizeof(big), "bounces+%.*s@lists.example.com", 400,
	         "+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a="
	         "+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=");
	assert_int_equal(verp_decode(pats, big, &chk, out, sizeof(out)), VERP_NO_MATCH);
	/* local part over 64 octets */
	snprintf(big, sizeof(big), "%065d=example.com@lists.example.com", 0);
	assert_int_equal(verp_decode(pats, big, NULL, out, sizeof(out)), VERP_NO_MATCH);
	/* control characters and NUL-free binary */
	assert_int_equal(verp_decode(pats, "a\r\nb=example.com@lists.example.com", NULL, out, sizeof(out)),
	                 VERP_NO_MATCH);
	assert_int_equal(verp_decode(pats, "\x80\xff=example.com@lists.example.com", NULL, out, sizeof(out)),
	                 VERP_OK);   /* UTF-8 bytes are allowed in a local part */
	/* output too small: no match rather than a cut address */
	assert_int_equal(verp_decode(pats, "alice=example.com@lists.example.com", NULL, small, sizeof(small)),
	                 VERP_NO_MATCH);
	/* NULL everywhere */
	assert_int_equal(verp_decode(NULL, "a=b.c@lists.example.com", NULL, out, sizeof(out)), VERP_NO_MATCH);
	assert_int_equal(verp_decode(pats, NULL, NULL, out, sizeof(out)), VERP_NO_MATCH);
	assert_int_equal(verp_decode(pats, "a=b.c@lists.example.com", NULL, NULL, 0), VERP_NO_MATCH);
	/* an invalid pattern in the list never matches */
	{
		static const char *const broken[] = { "{local}{domain}@x.example", NULL };
		assert_int_equal(verp_decode(broken, "ab@x.example", NULL, out, sizeof(out)), VERP_NO_MATCH);
	}
}

static int setup(void **state)
{
	(void)state;
	keys_set();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_syntax_is_checked),
		cmocka_unit_test(test_decode_without_secret),
		cmocka_unit_test(test_tag_matches_openssl_reference),
		cmocka_unit_test(test_tag_is_verified),
		cmocka_unit_test(test_render_fills_the_pattern),
		cmocka_unit_test(test_hostile_recipients_are_bounded),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
