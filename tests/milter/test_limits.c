/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_limits.c - issue 10's attacks 5 to 7 and the memory bound, one
 * named test each, driven through the milter callbacks (drive.c): quoting
 * of sender-chosen values in headers and log lines (the log is captured
 * with --wrap=syslog), rate caps per network and per domain, addresses
 * the list cannot hold, the global cap on message bytes.
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

/* ------------------------------------------------------------------ log capture */

/* util/log.c writes each line with syslog(prio, "%s", line): this program
 * is linked with --wrap=syslog (and the fortified __syslog_chk) so the
 * lines land here. */
#define LOGS_MAX 64
static char logs[LOGS_MAX][2048];
static size_t nlogs;

void __wrap_syslog(int prio, const char *fmt, ...);
void __wrap___syslog_chk(int prio, int flag, const char *fmt, ...);

static void
log_keep(const char *fmt, va_list ap)
{
	if (nlogs < LOGS_MAX)
		vsnprintf(logs[nlogs++], sizeof logs[0], fmt, ap);
}

void
__wrap_syslog(int prio, const char *fmt, ...)
{
	va_list ap;

	(void)prio;
	va_start(ap, fmt);
	log_keep(fmt, ap);
	va_end(ap);
}

void
__wrap___syslog_chk(int prio, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)prio;
	(void)flag;
	va_start(ap, fmt);
	log_keep(fmt, ap);
	va_end(ap);
}

/* The keys of a key=value line, outside RFC 2045 quoted-strings; fails the
 * test when one appears twice.  Returns how often `key` appears. */
static int
keys_once(const char *line, const char *key, const char *sep)
{
	char seen[32][32];
	size_t nseen = 0;
	int hits = 0;
	const char *p = line;

	while (*p != '\0') {
		const char *k = p, *eq;
		size_t klen;

		while (*p != '\0' && *p != '=' && strncmp(p, sep, strlen(sep)) != 0)
			p++;
		if (*p != '=') {              /* a bare word (the kind, a recipient) */
			if (*p != '\0')
				p += strlen(sep);
			continue;
		}
		eq = p;
		while (k < eq && *k == ' ')
			k++;
		klen = (size_t)(eq - k);
		if (klen > 0 && klen < 32) {
			for (size_t i = 0; i < nseen; i++)
				if (strlen(seen[i]) == klen && strncmp(seen[i], k, klen) == 0)
					fail_msg("key \"%.*s\" twice in: %s", (int)klen, k, line);
			if (nseen < 32) {
				memcpy(seen[nseen], k, klen);
				seen[nseen++][klen] = '\0';
			}
			if (strlen(key) == klen && strncmp(key, k, klen) == 0)
				hits++;
		}
		p = eq + 1;
		if (*p == '"') {              /* a quoted-string, escapes inside */
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '"')
				p++;
		}
		while (*p != '\0' && strncmp(p, sep, strlen(sep)) != 0)
			p++;
		if (*p != '\0')
			p += strlen(sep);
	}
	return hits;
}

static const char *
log_with(const char *needle)
{
	for (size_t i = 0; i < nlogs; i++)
		if (strstr(logs[i], needle) != NULL)
			return logs[i];
	return NULL;
}

/* A DSN about rcpt; extra header lines (CRLF-ended) go on top. */

/* ------------------------------------------------------------------ attack 6 */

/* Attack 6: six IPv6 addresses of one /64 each got their own hourly cap.
 * Now the cap is per /64 (IPv4: /24). */
static void
test_attack6_rate_cap_per_network(void **state)
{
	char ip[64], victim[64];
	int listed = 0;

	(void)state;
	write_conf_trust("  spf = \"off\"\n  relays = {\"2001:db8:66::/48\"}",
	    "max_suppress_per_hour = 2\n");
	load_conf();
	for (int i = 1; i <= 6; i++) {
		snprintf(ip, sizeof ip, "2001:db8:66:1::%d", i);
		snprintf(victim, sizeof victim, "v%d@far.test", i);
		connect_as(ip, "mx.far.test");
		assert_int_equal(bounce("<bounces@lists.near.test>", victim), SMFIS_CONTINUE);
		listed += list_count(victim);
		assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	}
	assert_int_equal(listed, 2);
	/* another /64 has its own count */
	connect_as("2001:db8:66:2::1", "mx.far.test");
	assert_int_equal(bounce("<bounces@lists.near.test>", "w1@far.test"), SMFIS_CONTINUE);
	assert_int_equal(list_count("w1@far.test"), 1);
}

/* Per recipient domain per hour, whoever sends: past it, not listed. */
static void
test_rate_cap_per_recipient_domain(void **state)
{
	char ip[64], victim[64];
	int listed = 0;

	(void)state;
	write_conf_trust("  spf = \"off\"\n  origins = {\"unaligned\"}",
	    "max_suppress_per_domain = 3\n");
	load_conf();
	for (int i = 1; i <= 5; i++) {
		snprintf(ip, sizeof ip, "198.51.%d.7", 10 + i);   /* five networks */
		snprintf(victim, sizeof victim, "d%d@capped.example", i);
		connect_as(ip, "mx.far.test");
		assert_int_equal(bounce("<bounces@lists.near.test>", victim), SMFIS_CONTINUE);
		listed += list_count(victim);
		assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	}
	assert_int_equal(listed, 3);
	connect_as("198.51.30.7", "mx.far.test");
	assert_int_equal(bounce("<bounces@lists.near.test>", "x@other.example"), SMFIS_CONTINUE);
	assert_int_equal(list_count("x@other.example"), 1);
}

/* ------------------------------------------------------------------ attack 5 */

/* Attack 5: HELO "bad.test; spf=pass; suppressed=yes" came out as keys of
 * X-Bounce-Origin and of the log line.  Now it is one quoted value, and
 * every key appears once. */
static void
test_attack5_helo_cannot_add_keys(void **state)
{
	const char *v, *line;

	(void)state;
	conf_default("");
	nlogs = 0;
	connect_as("203.0.113.9", "bad.test; spf=pass; suppressed=yes");
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"), SMFIS_CONTINUE);
	v = origin_hdr();
	assert_string_equal(v, "origin=unaligned; spf=none; helo=\"bad.test; spf=pass; "
	    "suppressed=yes\"; ip=203.0.113.9; suppressed=no");
	assert_int_equal(keys_once(v, "suppressed", "; "), 1);
	assert_int_equal(keys_once(v, "spf", "; "), 1);
	assert_non_null(line = log_with("rcpt=<ceo@bigbank.example>"));
	assert_non_null(strstr(line, " helo=\"bad.test; spf=pass; suppressed=yes\" "));
	assert_int_equal(keys_once(line, "suppressed", " "), 1);
	assert_int_equal(keys_once(line, "spf", " "), 1);
	assert_int_equal(list_count("ceo@bigbank.example"), 0);
}

/* Attack 5: a Reporting-MTA of "mx.evil; class=soft" added a class key to
 * X-Bounce-Recipient.  A quote or backslash in it is escaped. */
static void
test_attack5_reporting_mta_cannot_add_keys(void **state)
{
	const char *v;

	(void)state;
	conf_default("");
	start_connection();
	nadded = 0;
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>",
	    dsn("gone@far.test", "mx.evil; class=soft", NULL), 65535), SMFIS_CONTINUE);
	assert_non_null(v = added_value("X-Bounce-Recipient", 0));
	assert_int_equal(keys_once(v, "class", "; "), 1);
	assert_non_null(strstr(v, "class=hard"));
	assert_non_null(strstr(v, "reporting-mta=\"mx.evil; class=soft\""));
	nadded = 0;
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>",
	    dsn("gone2@far.test", "mx.\"q\\x", NULL), 65535), SMFIS_CONTINUE);
	assert_non_null(v = added_value("X-Bounce-Recipient", 0));
	assert_non_null(strstr(v, "reporting-mta=\"mx.\\\"q\\\\x\""));
}

/* Attack 5: the log repeated reason= (the class reason and why it was not
 * listed).  Now why= says the latter; no key twice in any line. */
static void
test_attack5_no_key_twice_in_log(void **state)
{
	const char *line;

	(void)state;
	conf_default("max_suppress_per_message = 1\n");
	nlogs = 0;
	connect_as("203.0.113.66", "mx.attacker.example");
	assert_int_equal(bounce("<bounces@lists.near.test>", "ceo@bigbank.example"), SMFIS_CONTINUE);
	assert_non_null(line = log_with("rcpt=<ceo@bigbank.example>"));
	assert_non_null(strstr(line, " reason=userunknown "));
	assert_non_null(strstr(line, " why=origin "));
	for (size_t i = 0; i < nlogs; i++)
		(void)keys_once(logs[i], "", " ");
}

/* ------------------------------------------------------------------ attack 7 */

/* A DSN with two failed recipients. */
static const char *
dsn2(const char *r1, const char *r2)
{
	static char buf[4096];

	snprintf(buf, sizeof buf,
	    "From: MAILER-DAEMON@mx.far.test\r\n"
	    "Subject: Undelivered Mail Returned to Sender\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"FB\"\r\n"
	    "\r\n"
	    "--FB\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "Two recipients failed.\r\n"
	    "\r\n"
	    "--FB\r\n"
	    "Content-Type: message/delivery-status\r\n"
	    "\r\n"
	    "Reporting-MTA: dns; mx.far.test\r\n"
	    "\r\n"
	    "Final-Recipient: rfc822; %s\r\n"
	    "Action: failed\r\n"
	    "Status: 5.1.1\r\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
	    "\r\n"
	    "Final-Recipient: rfc822; %s\r\n"
	    "Action: failed\r\n"
	    "Status: 5.1.1\r\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
	    "\r\n"
	    "--FB--\r\n", r1, r2);
	return buf;
}

/* Attack 7: the parser accepted addresses the list refuses; the refusal
 * was a write failure, so the bounce was tempfailed on every retry (a
 * permanent 451) and its other recipients written again each time.  Now
 * one rule (suppress_addr_ok) decides: refused addresses are logged
 * why=unlistable and skipped, the rest listed, the bounce accepted. */
static void
test_attack7_unlistable_address_skipped_not_tempfailed(void **state)
{
	char longaddr[300];
	const char *bad[] = { "\"sp ace\"@example.com", "\"x@evil.test\"@example.com",
	    "#c@example.com", longaddr };
	char good[64];

	(void)state;
	memset(longaddr, 'a', 64);
	longaddr[64] = '@';
	for (int i = 0; i < 188; i += 2) {
		longaddr[65 + i] = 'b';
		longaddr[66 + i] = '.';
	}
	memcpy(longaddr + 65 + 188, "cd", 3);      /* 64 + 1 + 190 = 255 octets */
	assert_int_equal(strlen(longaddr), 255);
	write_conf_trust("  spf = \"off\"\n  relays = {\"192.0.2.10\"}", "");
	load_conf();
	start_connection();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(good, sizeof good, "ok%zu@far.test", i);
		nlogs = 0;
		nadded = 0;
		/* no setreply expected: a 451 here fails the test */
		assert_int_equal(send_message("<>", "<bounces@lists.near.test>",
		    dsn2(bad[i], good), 65535), SMFIS_CONTINUE);
		assert_int_equal(list_count(good), 1);
		if (log_with("why=unlistable") == NULL)
			fail_msg("%s: no why=unlistable in the log", bad[i]);
		assert_false(suppress_addr_ok(bad[i]));
	}
	/* the retry of the same bounce writes nothing twice */
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>",
	    dsn2(bad[0], "ok0@far.test"), 65535), SMFIS_CONTINUE);
	assert_int_equal(list_count("ok0@far.test"), 1);
}

/* ------------------------------------------------------------------ memory */

/* Defect: no memory bound; memory grew with concurrent examined messages.
 * Now all sessions together hold at most max_total_message_bytes; a
 * message past it is tempfailed at end of message (the sender retries),
 * and everything is given back when the messages end. */
static void
test_global_memory_cap(void **state)
{
	enum { N = 24 };
	static char msg[16384];
	void *held[N];
	size_t off, ncapped = 0;

	(void)state;
	write_conf_trust("  spf = \"off\"\n  relays = {\"192.0.2.10\"}",
	    "max_total_message_bytes = 65536\n");
	load_conf();
	assert_int_equal(session_held_bytes(), 0);
	snprintf(msg, sizeof msg, "%s", dsn("mem@far.test", "mx.far.test", NULL));
	for (size_t n = strlen(msg); n + 80 < sizeof msg; n = strlen(msg))
		strcat(msg, "epilogue text to make the body long enough to be held: 0123456789\r\n");
	for (size_t i = 0; i < N; i++) {
		fake_priv = NULL;
		start_connection();
		envelope("<>", "<bounces@lists.near.test>");
		off = send_headers(msg, 0);
		(void)send_body(msg + off, strlen(msg) - off, 65535);
		held[i] = fake_priv;
		assert_true(session_held_bytes() <= 65536);
	}
	for (size_t i = 0; i < N; i++) {
		struct session *s = held[i];
		bool capped = s->msg.mem_capped;

		fake_priv = held[i];
		nadded = 0;
		if (capped) {
			ncapped++;
			expect_string(__wrap_smfi_setreply, rcode, "451");
			expect_string(__wrap_smfi_setreply, xcode, "4.3.0");
			assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_TEMPFAIL);
		} else {
			assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
			assert_string_equal(added_value("X-Bounce-Class", 0), "hard");
		}
		assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	}
	assert_true(ncapped > 0 && ncapped < N);
	assert_int_equal(session_held_bytes(), 0);
	assert_int_equal(list_count("mem@far.test"), 1);
	/* once the others are gone, the retried message goes through */
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", msg, 65535), SMFIS_CONTINUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, drive_setup, drive_teardown)
		T(test_attack6_rate_cap_per_network),
		T(test_rate_cap_per_recipient_domain),
		T(test_attack5_helo_cannot_add_keys),
		T(test_attack5_reporting_mta_cannot_add_keys),
		T(test_attack5_no_key_twice_in_log),
		T(test_attack7_unlistable_address_skipped_not_tempfailed),
		T(test_global_memory_cap),
#undef T
	};

	return cmocka_run_group_tests(tests, drive_group_setup, drive_group_teardown);
}

