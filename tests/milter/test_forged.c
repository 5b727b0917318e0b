/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_forged.c - issue 10's attacks on the suppression list, one named
 * test each, driven through the milter callbacks (drive.c) with SPF from
 * the test zone (DRIVE_ZONE through the tests' DNS seam).
 *
 * Each test says what main's code before this work did with it; each
 * assertion that a forged bounce is not listed failed there.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <libmilter/mfapi.h>

#include "daemon/milter.h"
#include "daemon/session.h"
#include "suppress/suppress.h"
#include "trust/batv.h"
#include "trust/sign.h"
#include "trust/verp.h"
#include "drive.h"

/* ------------------------------------------------------------------ attack 1 */

/* Attack 1: any internet host, default config.  A DSN from the attacker's
 * own IP, HELO of its own domain with a valid SPF record (spf=pass), names
 * ceo@bigbank.example.  Before: listed (spf not-fail, and pass anyway).
 * Now: unaligned (203.0.113.66 is not authorised by bigbank.example). */
static void
test_attack1_own_spf_passing_domain_not_listed(void **state)
{
	(void)state;
	conf_default("");
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_string_equal(added_value("X-Bounce-Class", 0), "hard");
	assert_origin_has("origin=unaligned");
	assert_origin_has("spf=pass");
	assert_origin_has("suppressed=no");
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

/* Attack 1, the rest: no SPF record, SPF neutral, a DNS failure
 * (temperror, as a timeout gives), an IP-literal HELO, no HELO at all: all
 * were listed under "not-fail".  None is now. */
static void
test_attack1_spf_none_neutral_literal_nohelo_not_listed(void **state)
{
	static const char *const helos[] = { "mx.nospf.test", "mx.neutral.example",
	    "mx.slow.example", "[203.0.113.9]", NULL };
	static const char *const spf[] = { "spf=none", "spf=neutral", "spf=temperror",
	    "spf=none", "spf=none" };

	(void)state;
	conf_default("");
	for (size_t i = 0; i < 5; i++) {
		connect_as("203.0.113.9", helos[i]);
		assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"),
		    SMFIS_CONTINUE);
		assert_origin_has("origin=unaligned");
		assert_origin_has(spf[i]);
		assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	}
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

/* The attacker's own domain aligns only with addresses at that domain;
 * bigbank.example's own server aligns with bigbank.example. */
static void
test_aligned_origin_listed(void **state)
{
	(void)state;
	conf_default("");
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce("<bounces@lists.near.test>", "someone@attacker.example"),
	    SMFIS_CONTINUE);
	assert_origin_has("origin=aligned");
	assert_int_equal(list_count("someone@attacker.example"), 1);
	assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	connect_as("198.51.100.25", "mx.bigbank.example");
	assert_int_equal(bounce("<bounces@lists.near.test>", "gone@bigbank.example"),
	    SMFIS_CONTINUE);
	assert_origin_has("origin=aligned");
	assert_non_null(strstr(added_value("X-Bounce-Recipient", 0), "origin=aligned"));
	assert_int_equal(list_count("gone@bigbank.example"), 1);
	/* the same server is not aligned for another domain */
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@far.test"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned");
	assert_int_equal(list_count("ceo@far.test"), 0);
}

/* A weaker policy is the admin's choice: origins = {"unaligned"} lists it. */
static void
test_unaligned_policy_lists(void **state)
{
	(void)state;
	write_conf_trust("  spf = \"on\"\n  origins = {\"unaligned\"}", "");
	load_conf();
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned");
	assert_int_equal(list_count("ceo@bigbank.example"), 1);
}

/* ------------------------------------------------------------------ attack 2 */

/* Attack 2: libspf2 passes 127/8 and ::1, so before, any local user (a
 * direct connection or sendmail through non_smtpd_milters) listed any
 * address, even with trust.spf = "pass".  Now loopback is neither SPF pass
 * nor aligned nor a relay unless configured. */
static void
test_attack2_loopback_not_listed(void **state)
{
	static const char *const ips[] = { "127.0.0.1", "::1", NULL };

	(void)state;
	conf_default("");
	for (size_t i = 0; i < 3; i++) {
		connect_as(ips[i], ips[i] != NULL ? "mx.bigbank.example" : NULL);
		assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"),
		    SMFIS_CONTINUE);
		assert_origin_has("origin=unaligned");
		assert_origin_has("spf=none");
		assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	}
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

/* Loopback is trusted only when the admin names it (quickstart.conf). */
static void
test_configured_relay_listed(void **state)
{
	(void)state;
	write_conf_trust("  spf = \"on\"\n  relays = {\"127.0.0.1\"}", "");
	load_conf();
	connect_as("127.0.0.1", "localhost");
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=trusted");
	assert_int_equal(list_count("ceo@bigbank.example"), 1);
}

/* ------------------------------------------------------------------ attack 3 */

static char keyspec[300];
static struct sign_keys keys;

static void
key_setup(void)
{
	char path[256], err[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/key1", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("correct horse battery staple\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
	snprintf(keyspec, sizeof keyspec, "1:%s", path);
	memset(&keys, 0, sizeof keys);
	assert_int_equal(sign_key_load(keyspec, &keys, err, sizeof err), 0);
}

/* Keys set; VERP pattern with {tag}; the relay 192.0.2.10 in relays. */
static void
conf_signed(void)
{
	char extra[800];

	key_setup();
	snprintf(extra, sizeof extra,
	    "verp {\n  patterns = {\"bounces+{tag}+{local}={domain}@lists.near.test\"}\n}\n"
	    "signing {\n  keys = {\"%s\"}\n}\n", keyspec);
	write_conf_trust("  spf = \"on\"\n  relays = {\"192.0.2.10\"}", extra);
	load_conf();
}

static void
verp_for(const char *addr, time_t when, char *out, size_t outsz)
{
	char tag[80], v[300];

	assert_int_equal(verp_tag(&keys.k[0], 16, addr, when, 7, tag, sizeof tag), 0);
	assert_int_equal(verp_render("bounces+{tag}+{local}={domain}@lists.near.test",
	    addr, tag, v, sizeof v), 0);
	snprintf(out, outsz, "<%s>", v);
}

/* Attack 3: with a secret set, a bad tag was refused but the same DSN sent
 * to a plain bounce address was listed.  Now: never, even from a trusted
 * relay (why=unsigned, tag=none). */
static void
test_attack3_secret_not_skipped_by_plain_address(void **state)
{
	(void)state;
	conf_signed();
	start_connection();                     /* 192.0.2.10, a configured relay */
	assert_int_equal(bounce("<bounces@lists.near.test>", "zoe.left@far.test"), SMFIS_CONTINUE);
	assert_origin_has("tag=none");
	assert_origin_has("suppressed=no");
	assert_int_equal(list_count("zoe.left@far.test"), 0);
}

/* Signed: a valid VERP tag lists from an unaligned host; only the signed
 * address is listed, never the one the DSN names instead. */
static void
test_signed_verp_from_unaligned_host_listed(void **state)
{
	char rcpt[400];

	(void)state;
	conf_signed();
	connect_as("203.0.113.66", "mx.attacker.example");
	verp_for("zoe.left@far.test", time(NULL), rcpt, sizeof rcpt);
	assert_int_equal(bounce(rcpt, "zoe.left@far.test"), SMFIS_CONTINUE);
	assert_origin_has("origin=signed; tag=valid");
	assert_int_equal(list_count("zoe.left@far.test"), 1);
	/* forwarding, or a subscriber naming someone else: the signed one */
	verp_for("mallory@far.test", time(NULL), rcpt, sizeof rcpt);
	assert_int_equal(bounce(rcpt, "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
	assert_int_equal(list_count("mallory@far.test"), 1);
}

/* Expired and altered tags list nothing, whatever the host. */
static void
test_expired_or_altered_tag_not_listed(void **state)
{
	char rcpt[400], *p;

	(void)state;
	conf_signed();
	start_connection();                     /* even a trusted relay */
	verp_for("zoe.left@far.test", time(NULL) - 8 * 86400, rcpt, sizeof rcpt);
	assert_int_equal(bounce(rcpt, "zoe.left@far.test"), SMFIS_CONTINUE);
	assert_origin_has("tag=expired");
	assert_int_equal(list_count("zoe.left@far.test"), 0);
	verp_for("zoe.left@far.test", time(NULL), rcpt, sizeof rcpt);
	p = strchr(rcpt, '+') + 9;              /* a digit of the HMAC */
	*p = *p == '0' ? '1' : '0';
	assert_int_equal(bounce(rcpt, "zoe.left@far.test"), SMFIS_CONTINUE);
	assert_origin_has("tag=bad");
	assert_int_equal(list_count("zoe.left@far.test"), 0);
}

/* BATV (Exim's prvs form) around a VERP address signs that address. */
static void
test_batv_signed_from_unaligned_host_listed(void **state)
{
	char verp[400], rcpt[500];
	char *p;

	(void)state;
	conf_signed();
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(verp_render("bounces+{tag}+{local}={domain}@lists.near.test",
	    "zoe.left@far.test", "18010000000000000000", verp, sizeof verp), 0);
	assert_int_equal(batv_sign(&keys.k[0], verp, time(NULL), 7, rcpt, sizeof rcpt), 0);
	assert_int_equal(bounce(rcpt, "zoe.left@far.test"), SMFIS_CONTINUE);
	assert_origin_has("origin=signed; tag=valid");
	assert_int_equal(list_count("zoe.left@far.test"), 1);
	/* expired BATV: not listed */
	assert_int_equal(batv_sign(&keys.k[0], verp, time(NULL) - 8 * 86400, 7, rcpt, sizeof rcpt), 0);
	assert_int_equal(bounce(rcpt, "yan.gone@far.test"), SMFIS_CONTINUE);
	assert_origin_has("tag=expired");
	assert_int_equal(list_count("yan.gone@far.test"), 0);
	/* altered BATV hash: not listed */
	assert_int_equal(batv_sign(&keys.k[0], verp, time(NULL), 7, rcpt, sizeof rcpt), 0);
	p = rcpt + 14;
	*p = *p == '0' ? '1' : '0';
	assert_int_equal(bounce(rcpt, "yan.gone@far.test"), SMFIS_CONTINUE);
	assert_origin_has("tag=bad");
	assert_int_equal(list_count("yan.gone@far.test"), 0);
}

/* BATV around a plain return path names no recipient: the tag opens the
 * keyed gate, the records still need trusted or aligned. */
static void
test_batv_plain_return_path_needs_another_level(void **state)
{
	char rcpt[400];

	(void)state;
	conf_signed();
	assert_int_equal(batv_sign(&keys.k[0], "bounces@lists.near.test", time(NULL), 7,
	    rcpt, sizeof rcpt), 0);
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce(rcpt, "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned; tag=valid");
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
	assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	start_connection();                     /* the trusted relay */
	assert_int_equal(bounce(rcpt, "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=trusted; tag=valid");
	assert_int_equal(list_count("ceo@bigbank.example"), 1);
}

/* ------------------------------------------------------------------ attack 4 */

static sfsistat
bounce_with(const char *extra, const char *victim)
{
	nadded = 0;
	return send_message("<>", "<bounces@lists.near.test>",
	    dsn(victim, "mx.far.test", extra), 65535);
}

/* Attack 4: with authserv_id set, an A-R header that the sender adds on
 * top with spf=pass beat the milter's own result (the top-most header with
 * our id decided).  Now two headers with our id void both. */
static void
test_attack4_added_authres_voids_both(void **state)
{
	(void)state;
	write_conf_trust("  spf = \"on\"\n  authserv_id = \"mx.near.test\"", "");
	load_conf();
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce_with(
	    "Authentication-Results: mx.near.test; spf=pass smtp.mailfrom=postmaster@bigbank.example\r\n"
	    "Authentication-Results: mx.near.test; spf=pass smtp.helo=mx.attacker.example\r\n",
	    "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned");
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

/* Exactly one A-R with our id counts, and only for the identity it names:
 * a pass for bigbank.example aligns bigbank.example's addresses, nothing
 * else; a pass for the HELO name aligns nobody. */
static void
test_authres_counts_only_for_its_identity(void **state)
{
	(void)state;
	write_conf_trust("  spf = \"on\"\n  authserv_id = \"mx.near.test\"", "");
	load_conf();
	connect_as("192.0.2.99", "mx.bigbank.example");
	assert_int_equal(bounce_with(
	    "Authentication-Results: other.test; spf=fail smtp.mailfrom=bigbank.example\r\n"
	    "Authentication-Results: mx.near.test; spf=pass smtp.mailfrom=postmaster@bigbank.example\r\n",
	    "gone@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=aligned");
	assert_int_equal(list_count("gone@bigbank.example"), 1);
	assert_int_equal(bounce_with(
	    "Authentication-Results: mx.near.test; spf=pass smtp.mailfrom=postmaster@bigbank.example\r\n",
	    "ceo@far.test"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned");
	assert_int_equal(list_count("ceo@far.test"), 0);
	assert_int_equal(bounce_with(
	    "Authentication-Results: mx.near.test; spf=pass smtp.helo=mx.bigbank.example\r\n",
	    "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_origin_has("origin=unaligned");
	assert_origin_has("spf=pass");          /* it does say who the host is */
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, drive_setup, drive_teardown)
		T(test_attack1_own_spf_passing_domain_not_listed),
		T(test_attack1_spf_none_neutral_literal_nohelo_not_listed),
		T(test_aligned_origin_listed),
		T(test_unaligned_policy_lists),
		T(test_attack2_loopback_not_listed),
		T(test_configured_relay_listed),
		T(test_attack3_secret_not_skipped_by_plain_address),
		T(test_signed_verp_from_unaligned_host_listed),
		T(test_expired_or_altered_tag_not_listed),
		T(test_batv_signed_from_unaligned_host_listed),
		T(test_batv_plain_return_path_needs_another_level),
		T(test_attack4_added_authres_voids_both),
		T(test_authres_counts_only_for_its_identity),
#undef T
	};

	return cmocka_run_group_tests(tests, drive_group_setup, drive_group_teardown);
}

