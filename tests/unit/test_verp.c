/*
 * test_verp.c - VERP patterns, decoding, HMAC tags, secret files.
 *
 * The reference tags come from OpenSSL's command line, an implementation
 * independent of verp.c:
 *   printf %s 'alice@example.com' | openssl dgst -sha256 -hmac 'correct horse battery staple'
 * Secret files are written at run time into a private temporary directory,
 * because git does not keep file modes.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "trust/verp.h"

#define SECRET "correct horse battery staple"
/* HMAC-SHA256(SECRET, "alice@example.com") and (..., "bob.smith+news@example.org") */
#define ALICE_MAC "150c6c66ecb648194558e0fee9594702af02c657ac6b788bf608965e9e0c5f0a"
#define BOB_MAC "56c968e125d7a8a0c7b965e25c4f1c59bec516feb52acf66a9d69e60cdfbdd3e"

static char tmpdir[64];

static const char *write_file(const char *name, const char *data, mode_t mode)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, strlen(data), fp), strlen(data));
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void secret_set(struct verp_secret *s, unsigned tag_len)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->key, SECRET, strlen(SECRET));
	s->key_len = strlen(SECRET);
	s->tag_len = tag_len;
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
	struct verp_secret s;
	char tag[65];

	(void)state;
	secret_set(&s, 16);
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "150c6c66ecb64819");
	/* computed over the lower-cased address */
	assert_int_equal(verp_tag(&s, "Alice@EXAMPLE.com", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "150c6c66ecb64819");
	secret_set(&s, 64);
	assert_int_equal(verp_tag(&s, "bob.smith+news@example.org", tag, sizeof(tag)), 0);
	assert_string_equal(tag, BOB_MAC);
	secret_set(&s, 8);
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "150c6c66");
	/* refusals */
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, 8), -1);   /* no room for NUL */
	secret_set(&s, 7);
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), -1);
	secret_set(&s, 65);
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), -1);
	secret_set(&s, 16);
	s.key_len = 0;
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), -1);
	secret_set(&s, 16);
	assert_int_equal(verp_tag(&s, "", tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(&s, NULL, tag, sizeof(tag)), -1);
	assert_int_equal(verp_tag(NULL, "alice@example.com", tag, sizeof(tag)), -1);
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
		{ "right tag", "bounces+150c6c66ecb64819+alice=example.com@lists.example.com", VERP_OK },
		{ "right tag, address case differs", "bounces+150c6c66ecb64819+ALICE=Example.com@lists.example.com", VERP_OK },
		{ "tag upper-cased in transit", "BOUNCES+150C6C66ECB64819+ALICE=EXAMPLE.COM@LISTS.EXAMPLE.COM", VERP_OK },
		{ "one digit wrong", "bounces+150c6c66ecb64818+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag of another address", "bounces+150c6c66ecb64819+bob=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag too short", "bounces+150c6c66ecb6481+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag too long", "bounces+150c6c66ecb648194+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "full-length MAC where 16 digits are configured", "bounces+" ALICE_MAC "+alice=example.com@lists.example.com", VERP_BAD_TAG },
		{ "tag missing", "bounces++alice=example.com@lists.example.com", VERP_NO_MATCH },
		{ "tag not hex", "bounces+150c6c66ecb6481z+alice=example.com@lists.example.com", VERP_NO_MATCH },
	};
	struct verp_secret s;
	char out[320];

	(void)state;
	secret_set(&s, 16);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum verp_status st = verp_decode(pats, rows[i].rcpt, &s, out, sizeof(out));
		if (st != rows[i].st)
			fail_msg("%s: status %d, want %d", rows[i].label, st, rows[i].st);
	}
	/* a bad tag still reports the decoded address (for the log line) */
	assert_int_equal(verp_decode(pats, "bounces+0000000000000000+alice=example.com@lists.example.com",
	                             &s, out, sizeof(out)), VERP_BAD_TAG);
	assert_string_equal(out, "alice@example.com");
	/* secret configured but the pattern carries no tag: the tag is missing */
	assert_int_equal(verp_decode(untagged, "bounces+alice=example.com@lists.example.com",
	                             &s, out, sizeof(out)), VERP_BAD_TAG);
	/* no secret: a tag pattern decodes without verification */
	assert_int_equal(verp_decode(pats, "bounces+0000000000000000+alice=example.com@lists.example.com",
	                             NULL, out, sizeof(out)), VERP_OK);
	/* a later pattern that verifies wins over an earlier bad tag */
	{
		static const char *const both[] = {
			"bounces+{local}={domain}@lists.example.com",
			"bounces+{tag}+{local}={domain}@lists.example.com",
			NULL,
		};
		assert_int_equal(verp_decode(both, "bounces+150c6c66ecb64819+alice=example.com@lists.example.com",
		                             &s, out, sizeof(out)), VERP_OK);
		assert_string_equal(out, "alice@example.com");
	}
}

/* ------------------------------------------------------------ hostile input */

static void test_hostile_recipients_are_bounded(void **state)
{
	static const char *const pats[] = {
		"bounces+{tag}+{local}={domain}@lists.example.com",
		"{local}={domain}@lists.example.com",
		NULL,
	};
	struct verp_secret s;
	char big[4096], out[320], small[8];

	(void)state;
	secret_set(&s, 16);
	/* many separators: every split is tried, each placeholder capped */
	memset(big, '=', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(verp_decode(pats, big, &s, out, sizeof(out)), VERP_NO_MATCH);
	snprintf(big, sizeof(big), "bounces+%.*s@lists.example.com", 400,
	         "+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a="
	         "+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=+a=");
	assert_int_equal(verp_decode(pats, big, &s, out, sizeof(out)), VERP_NO_MATCH);
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

/* ------------------------------------------------------------ secret files */

static void test_secret_file_rules(void **state)
{
	struct verp_secret s;
	char err[256], tag[65], link[160];
	const char *p;

	(void)state;
	p = write_file("good", SECRET "\n", 0600);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), 0);
	assert_int_equal(s.key_len, strlen(SECRET));
	assert_int_equal(verp_tag(&s, "alice@example.com", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "150c6c66ecb64819");

	p = write_file("crlf", SECRET "\r\nsecond line ignored\n", 0400);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), 0);
	assert_int_equal(s.key_len, strlen(SECRET));

	p = write_file("nonl", SECRET, 0600);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), 0);
	assert_int_equal(s.key_len, strlen(SECRET));

	p = write_file("group", SECRET "\n", 0640);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "group or others"));
	assert_int_equal(s.key_len, 0);

	p = write_file("world", SECRET "\n", 0604);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), -1);

	p = write_file("empty", "\n", 0600);
	assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));

	{
		char longer[400];
		memset(longer, 'k', 300);
		strcpy(longer + 300, "\n");
		p = write_file("long", longer, 0600);
		assert_int_equal(verp_secret_load(p, 16, &s, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "longer"));
	}

	p = write_file("good", SECRET "\n", 0600);
	assert_int_equal(verp_secret_load(p, 7, &s, err, sizeof(err)), -1);
	assert_int_equal(verp_secret_load(p, 65, &s, err, sizeof(err)), -1);
	assert_int_equal(verp_secret_load(p, 64, &s, err, sizeof(err)), 0);

	snprintf(link, sizeof(link), "%s/link", tmpdir);
	unlink(link);
	assert_int_equal(symlink("good", link), 0);
	assert_int_equal(verp_secret_load(link, 16, &s, err, sizeof(err)), -1);   /* no symlinks */
	assert_int_equal(verp_secret_load(tmpdir, 16, &s, err, sizeof(err)), -1); /* a directory */
	snprintf(link, sizeof(link), "%s/missing", tmpdir);
	assert_int_equal(verp_secret_load(link, 16, &s, err, sizeof(err)), -1);
	assert_int_equal(verp_secret_load("", 16, &s, err, sizeof(err)), -1);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_verp.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "good", "crlf", "nonl", "group", "world",
	                                     "empty", "long", "link", NULL };
	char path[160];

	(void)state;
	for (const char *const *n = names; *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, *n);
		unlink(path);
	}
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_syntax_is_checked),
		cmocka_unit_test(test_decode_without_secret),
		cmocka_unit_test(test_tag_matches_openssl_reference),
		cmocka_unit_test(test_tag_is_verified),
		cmocka_unit_test(test_hostile_recipients_are_bounded),
		cmocka_unit_test(test_secret_file_rules),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
