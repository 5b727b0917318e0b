/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_batv.c - BATV (Exim's prvs form) and the signing keys (sign.c).
 *
 * Test vectors: the output of Exim 4.96 itself (Debian's exim4-daemon-light
 * 4.96-15+deb12u11, unpacked, not installed; tests/tools/exim-prvs-check.sh
 * does it again) on 2026-12-07, day 20794 since the epoch, so every stamp is
 * 801 (= 20794 + 7, mod 1000):
 *   exim -be '${prvs{user@example.com}{secret}{1}}'  ->  prvs=18018d3c4c=user@example.com
 * Another implementation can check itself against VECTORS below:
 *   tag = HMAC-SHA1(secret, K DDD address), first 3 bytes in lower-case hex.
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "trust/batv.h"
#include "trust/sign.h"

#define DAY 20794
#define NOW ((time_t)DAY * 86400 + 12345)

static const struct {
	const char *addr, *secret;
	unsigned id;
	const char *exim;
} VECTORS[] = {
	{ "user@example.com", "secret", 1, "prvs=18018d3c4c=user@example.com" },
	{ "user@example.com", "secret", 0, "prvs=0801aca3f5=user@example.com" },
	{ "bounces@lists.example.com", "correct horse battery staple", 0,
	  "prvs=08017234d5=bounces@lists.example.com" },
	{ "Bounces+Alice=BigBank.example@Lists.Example.COM", "correct horse battery staple", 7,
	  "prvs=7801cc75f0=Bounces+Alice=BigBank.example@Lists.Example.COM" },
	{ "bounces+alice=bigbank.example@lists.example.com",
	  "0123456789012345678901234567890123456789012345678901234567890123", 9,
	  "prvs=9801ff0728=bounces+alice=bigbank.example@lists.example.com" },
};

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

static void key_set(struct sign_keys *ks, unsigned id, const char *secret)
{
	struct sign_key *k = &ks->k[ks->n++];

	k->id = id;
	k->len = strlen(secret);
	memcpy(k->key, secret, k->len);
}

static void test_sign_matches_exim(void **state)
{
	char out[400];

	(void)state;
	for (size_t i = 0; i < sizeof(VECTORS) / sizeof(VECTORS[0]); i++) {
		struct sign_keys ks;

		memset(&ks, 0, sizeof(ks));
		key_set(&ks, VECTORS[i].id, VECTORS[i].secret);
		assert_int_equal(batv_sign(&ks.k[0], VECTORS[i].addr, NOW, 7, out, sizeof(out)), 0);
		assert_string_equal(out, VECTORS[i].exim);
	}
}

static void test_exim_tags_verify(void **state)
{
	char inner[400];

	(void)state;
	for (size_t i = 0; i < sizeof(VECTORS) / sizeof(VECTORS[0]); i++) {
		struct sign_keys ks;

		memset(&ks, 0, sizeof(ks));
		ks.valid_days = 7;
		key_set(&ks, VECTORS[i].id, VECTORS[i].secret);
		assert_int_equal(batv_check(&ks, VECTORS[i].exim, NOW, inner, sizeof(inner)), SIGN_OK);
		assert_string_equal(inner, VECTORS[i].addr);
	}
}

/* Attack: an expired, altered or foreign tag never verifies. */
static void test_altered_expired_and_foreign_tags(void **state)
{
	static const struct {
		const char *label, *rcpt;
		enum sign_status want;
	} rows[] = {
		{ "Exim's tag", "prvs=18018d3c4c=user@example.com", SIGN_OK },
		{ "in angle brackets, PRVS in capitals", "<PRVS=18018D3C4C=user@example.com>", SIGN_OK },
		{ "second key (rotation)", "prvs=0801aca3f5=user@example.com", SIGN_OK },
		{ "hash altered", "prvs=18018d3c4d=user@example.com", SIGN_BAD },
		{ "address altered", "prvs=18018d3c4c=usex@example.com", SIGN_BAD },
		{ "address case altered", "prvs=18018d3c4c=User@example.com", SIGN_BAD },
		{ "stamp altered", "prvs=18028d3c4c=user@example.com", SIGN_BAD },
		{ "key id altered", "prvs=08018d3c4c=user@example.com", SIGN_BAD },
		{ "unknown key id", "prvs=58018d3c4c=user@example.com", SIGN_BAD },
		{ "not prvs", "user@example.com", SIGN_NONE },
		{ "short tag", "prvs=18018d3c4=user@example.com", SIGN_NONE },
		{ "no address", "prvs=18018d3c4c=", SIGN_NONE },
		{ "two @", "prvs=18018d3c4c=a@b@example.com", SIGN_NONE },
		{ "non-hex hash", "prvs=18018d3c4g=user@example.com", SIGN_NONE },
	};
	struct sign_keys ks;
	char inner[400], out[400];

	(void)state;
	memset(&ks, 0, sizeof(ks));
	ks.valid_days = 7;
	key_set(&ks, 1, "secret");
	key_set(&ks, 0, "secret");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum sign_status got = batv_check(&ks, rows[i].rcpt, NOW, inner, sizeof(inner));
		if (got != rows[i].want)
			fail_msg("%s: got %s", rows[i].label, sign_status_name(got));
	}
	/* valid through the expiry day (801 = DAY + 7), expired the day after */
	assert_int_equal(batv_check(&ks, "prvs=18018d3c4c=user@example.com",
	    (time_t)(DAY + 7) * 86400 + 86399, inner, sizeof(inner)), SIGN_OK);
	assert_int_equal(batv_check(&ks, "prvs=18018d3c4c=user@example.com",
	    (time_t)(DAY + 8) * 86400, inner, sizeof(inner)), SIGN_EXPIRED);
	assert_string_equal(inner, "user@example.com");
	/* a tag dated further ahead than the window is not accepted either */
	assert_int_equal(batv_sign(&ks.k[0], "user@example.com", NOW, 30, out, sizeof(out)), 0);
	assert_int_equal(batv_check(&ks, out, NOW, inner, sizeof(inner)), SIGN_EXPIRED);
	ks.valid_days = 30;
	assert_int_equal(batv_check(&ks, out, NOW, inner, sizeof(inner)), SIGN_OK);
	/* no keys: nothing verifies */
	ks.n = 0;
	assert_int_equal(batv_check(&ks, "prvs=18018d3c4c=user@example.com", NOW, inner,
	    sizeof(inner)), SIGN_BAD);
	/* day stamps wrap at 1000 */
	assert_false(sign_expired("003", (time_t)998 * 86400, 7));
	assert_true(sign_expired("997", (time_t)1998 * 86400, 7));
}

static void test_key_file_rules(void **state)
{
	struct sign_keys ks;
	char err[256], spec[200], link[160];
	const char *p;

	(void)state;
	memset(&ks, 0, sizeof(ks));
	p = write_file("good", "secret\n", 0600);
	snprintf(spec, sizeof(spec), "1:%s", p);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), 0);
	assert_int_equal(ks.n, 1);
	assert_int_equal(ks.k[0].id, 1);
	assert_int_equal(ks.k[0].len, 6);
	assert_non_null(sign_key_find(&ks, 1));
	assert_null(sign_key_find(&ks, 2));
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);   /* id twice */
	assert_non_null(strstr(err, "twice"));

	p = write_file("crlf", "secret\r\nsecond line ignored\n", 0400);
	snprintf(spec, sizeof(spec), "2:%s", p);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), 0);
	assert_int_equal(ks.k[1].len, 6);

	p = write_file("group", "secret\n", 0640);
	snprintf(spec, sizeof(spec), "3:%s", p);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "group or others"));
	p = write_file("world", "secret\n", 0604);
	snprintf(spec, sizeof(spec), "3:%s", p);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);
	p = write_file("empty", "\n", 0600);
	snprintf(spec, sizeof(spec), "3:%s", p);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	{
		char longer[80];

		memset(longer, 'k', 65);
		strcpy(longer + 65, "\n");
		p = write_file("long", longer, 0600);
		snprintf(spec, sizeof(spec), "3:%s", p);
		assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "longer"));
	}
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	unlink(link);
	assert_int_equal(symlink("good", link), 0);
	snprintf(spec, sizeof(spec), "3:%s", link);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);   /* no symlinks */
	snprintf(spec, sizeof(spec), "3:%s", tmpdir);
	assert_int_equal(sign_key_load(spec, &ks, err, sizeof(err)), -1);   /* a directory */
	assert_int_equal(sign_key_load("x:/etc/passwd", &ks, err, sizeof(err)), -1);
	assert_int_equal(sign_key_load("10:/etc/passwd", &ks, err, sizeof(err)), -1);
	assert_int_equal(sign_key_load("3:", &ks, err, sizeof(err)), -1);
	assert_int_equal(ks.n, 2);
	sign_keys_wipe(&ks);
	assert_int_equal(ks.n, 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_batv.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_matches_exim),
		cmocka_unit_test(test_exim_tags_verify),
		cmocka_unit_test(test_altered_expired_and_foreign_tags),
		cmocka_unit_test(test_key_file_rules),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
