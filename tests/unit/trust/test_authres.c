/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_authres.c - Authentication-Results parsing: only the trusted
 * authserv-id counts; comments, quoted strings, case; malformed and hostile
 * values.
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

#include "trust/authres.h"

#define ID "mx.example.net"

struct row {
	const char *label, *value;
	enum authres_status st;
	enum spf_res res;         /* checked when st == AUTHRES_SPF */
};

static const struct row rows[] = {
	/* trusted id */
	{ "trusted id, spf pass", "mx.example.net; spf=pass smtp.mailfrom=postmaster@mx.sender.test",
	  AUTHRES_SPF, SPF_RES_PASS },
	{ "trusted id, spf fail", "mx.example.net; spf=fail smtp.helo=mx.sender.test", AUTHRES_SPF, SPF_RES_FAIL },
	{ "id and method are case-insensitive", "MX.Example.NET; SPF=PASS smtp.helo=a.test", AUTHRES_SPF, SPF_RES_PASS },
	{ "with version", "mx.example.net 1; spf=softfail smtp.mailfrom=a@b.test", AUTHRES_SPF, SPF_RES_SOFTFAIL },
	{ "quoted authserv-id", "\"mx.example.net\"; spf=neutral smtp.helo=a.test", AUTHRES_SPF, SPF_RES_NEUTRAL },
	{ "comments everywhere", "(c0) mx.example.net (c1 (nested)) ; (c2) spf (c3) = (c4) pass (c5) "
	  "smtp.mailfrom (c6) = (c7) a@b.test (c8)", AUTHRES_SPF, SPF_RES_PASS },
	{ "folded over lines", "mx.example.net;\r\n\tdkim=pass header.d=b.test header.b=\"Ab/12+=\";\r\n"
	  "\tspf=temperror smtp.mailfrom=a@b.test", AUTHRES_SPF, SPF_RES_TEMPERROR },
	{ "spf after other methods", "mx.example.net; dkim=none; dmarc=fail header.from=b.test; spf=permerror "
	  "smtp.mailfrom=b.test", AUTHRES_SPF, SPF_RES_PERMERROR },
	{ "first spf wins", "mx.example.net; spf=pass smtp.helo=a.test; spf=fail smtp.mailfrom=a@b.test",
	  AUTHRES_SPF, SPF_RES_PASS },
	{ "reason and unquoted base64 property", "mx.example.net; spf=none reason=\"no record; really\" "
	  "header.b=abc/def+g==", AUTHRES_SPF, SPF_RES_NONE },
	{ "legacy hardfail", "mx.example.net; spf=hardfail smtp.mailfrom=a@b.test", AUTHRES_SPF, SPF_RES_FAIL },
	{ "method version", "mx.example.net; spf/1=pass smtp.helo=a.test", AUTHRES_SPF, SPF_RES_PASS },
	{ "no spf method", "mx.example.net; dkim=pass header.d=b.test", AUTHRES_NO_SPF, 0 },
	{ "no result", "mx.example.net; none", AUTHRES_NO_SPF, 0 },
	{ "no result with version and comment", "mx.example.net 1 (nothing checked); none", AUTHRES_NO_SPF, 0 },
	/* other ids are ignored, whatever they say */
	{ "other id", "mx.attacker.test; spf=pass smtp.helo=a.test", AUTHRES_FOREIGN, 0 },
	{ "id is a suffix of ours", "example.net; spf=pass smtp.helo=a.test", AUTHRES_FOREIGN, 0 },
	{ "ours is a prefix of the id", "mx.example.net.evil.test; spf=pass", AUTHRES_FOREIGN, 0 },
	{ "spf text where the id should be", "spf=pass; mx.example.net", AUTHRES_FOREIGN, 0 },
	{ "quoted id that differs", "\"mx.example.net \"; spf=pass", AUTHRES_FOREIGN, 0 },
	{ "empty value", "", AUTHRES_FOREIGN, 0 },
	{ "only a comment", "(mx.example.net)", AUTHRES_FOREIGN, 0 },
	/* ours, but malformed: trust nothing */
	{ "no resinfo", "mx.example.net", AUTHRES_MALFORMED, 0 },
	{ "missing semicolon", "mx.example.net spf=pass", AUTHRES_MALFORMED, 0 },
	{ "missing result", "mx.example.net; spf=", AUTHRES_MALFORMED, 0 },
	{ "missing equals", "mx.example.net; spf pass", AUTHRES_MALFORMED, 0 },
	{ "unknown spf result", "mx.example.net; spf=excellent", AUTHRES_MALFORMED, 0 },
	{ "unclosed comment", "mx.example.net; spf=pass (oops", AUTHRES_MALFORMED, 0 },
	{ "unclosed quote", "mx.example.net; spf=pass reason=\"oops", AUTHRES_MALFORMED, 0 },
	{ "property without a value", "mx.example.net; spf=pass smtp.mailfrom=", AUTHRES_MALFORMED, 0 },
	{ "stray token", "mx.example.net; spf=pass junk", AUTHRES_MALFORMED, 0 },
	{ "empty resinfo", "mx.example.net;; spf=pass", AUTHRES_MALFORMED, 0 },
	{ "comments nested too deep", "mx.example.net; spf=pass (((((((((deep)))))))))", AUTHRES_MALFORMED, 0 },
	{ "none after a result", "mx.example.net; spf=pass; none", AUTHRES_MALFORMED, 0 },
};

static void test_only_the_trusted_authserv_id_counts(void **state)
{
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct authres_spf res;
		enum authres_status st = authres_spf(rows[i].value, strlen(rows[i].value), ID, &res);
		if (st != rows[i].st || (st == AUTHRES_SPF && res.res != rows[i].res)) {
			print_message("%s: status %d res %d\n", rows[i].label, st, (int)res.res);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_no_trusted_id_configured_trusts_nothing(void **state)
{
	struct authres_spf res;
	const char *v = "mx.example.net; spf=pass";

	(void)state;
	assert_int_equal(authres_spf(v, strlen(v), "", &res), AUTHRES_FOREIGN);
	assert_int_equal(authres_spf(v, strlen(v), NULL, &res), AUTHRES_FOREIGN);
	assert_int_equal(authres_spf(NULL, 0, ID, &res), AUTHRES_FOREIGN);
	assert_int_equal(res.res, SPF_RES_NONE);   /* cleared */
	/* res may be NULL */
	assert_int_equal(authres_spf(v, strlen(v), ID, NULL), AUTHRES_SPF);
}

static void test_length_bounds_the_parse(void **state)
{
	const char v[] = "mx.example.net; spf=pass smtp.helo=a.test";
	const char nul[] = "mx.example.net; spf=pass\0; spf=fail";
	struct authres_spf res;

	(void)state;
	/* cut after "spf=pa": a different result word, so malformed */
	assert_int_equal(authres_spf(v, 22, ID, &res), AUTHRES_MALFORMED);
	/* cut inside the id: not our id */
	assert_int_equal(authres_spf(v, 5, ID, &res), AUTHRES_FOREIGN);
	/* a NUL byte inside the value is not accepted as text */
	assert_int_equal(authres_spf(nul, sizeof(nul) - 1, ID, &res), AUTHRES_MALFORMED);
}

static void test_hostile_values_stay_linear(void **state)
{
	size_t n = 1 << 20;
	char *v = malloc(n + 64);
	struct authres_spf res;

	(void)state;
	assert_non_null(v);
	/* a megabyte of nested comment openers */
	strcpy(v, "mx.example.net; spf=pass ");
	{
		size_t o = strlen(v);
		memset(v + o, '(', n);
		v[o + n] = '\0';
	}
	assert_int_equal(authres_spf(v, strlen(v), ID, &res), AUTHRES_MALFORMED);
	/* a megabyte of properties */
	strcpy(v, "mx.example.net; spf=pass");
	for (size_t o = strlen(v); o + 8 < n; o += 6)
		memcpy(v + o, " a.b=c", 7);
	assert_int_equal(authres_spf(v, strlen(v), ID, &res), AUTHRES_SPF);
	assert_int_equal(res.res, SPF_RES_PASS);
	/* a megabyte of semicolons */
	strcpy(v, "mx.example.net");
	memset(v + strlen(v), ';', n);
	v[strlen("mx.example.net") + n] = '\0';
	assert_int_equal(authres_spf(v, strlen(v), ID, &res), AUTHRES_MALFORMED);
	/* an authserv-id far longer than any we compare */
	memset(v, 'a', n);
	v[0] = '"';
	strcpy(v + n - 1, "\"; spf=pass");
	assert_int_equal(authres_spf(v, strlen(v), ID, &res), AUTHRES_FOREIGN);
	free(v);
}

/* Attack 4 (issue 10): a result counts only for the identity it names. */
static void test_identity_is_reported(void **state)
{
	static const struct {
		const char *value;
		enum authres_ident ident;
		const char *domain;
	} idrows[] = {
		{ "mx.example.net; spf=pass smtp.mailfrom=postmaster@bigbank.example", AUTHRES_ID_MAILFROM, "bigbank.example" },
		{ "mx.example.net; spf=pass smtp.mailfrom=bigbank.example", AUTHRES_ID_MAILFROM, "bigbank.example" },
		{ "mx.example.net; spf=pass smtp.helo=mx.bigbank.example", AUTHRES_ID_HELO, "mx.bigbank.example" },
		{ "mx.example.net; spf=pass", AUTHRES_ID_NONE, "" },
		{ "mx.example.net; spf=pass header.from=bigbank.example", AUTHRES_ID_NONE, "" },
		{ "mx.example.net; dkim=pass header.d=bigbank.example; spf=fail smtp.helo=x.test", AUTHRES_ID_HELO, "x.test" },
		{ "mx.example.net; spf=pass smtp.mailfrom=a@", AUTHRES_ID_NONE, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(idrows) / sizeof(idrows[0]); i++) {
		struct authres_spf res;

		assert_int_equal(authres_spf(idrows[i].value, strlen(idrows[i].value), ID, &res), AUTHRES_SPF);
		if (res.ident != idrows[i].ident || strcmp(res.domain, idrows[i].domain) != 0)
			fail_msg("%s: ident %d domain \"%s\"", idrows[i].value, res.ident, res.domain);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_trusted_authserv_id_counts),
		cmocka_unit_test(test_no_trusted_id_configured_trusts_nothing),
		cmocka_unit_test(test_identity_is_reported),
		cmocka_unit_test(test_length_bounds_the_parse),
		cmocka_unit_test(test_hostile_values_stay_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
