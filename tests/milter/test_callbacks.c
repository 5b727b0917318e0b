/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_callbacks.c - the milter callbacks driven without an MTA.
 *
 * milter.c, session.c, mta.c and action.c are linked with libmilter's
 * smfi_getpriv, smfi_setpriv, smfi_getsymval, smfi_addheader,
 * smfi_chgheader and smfi_setreply replaced (-Wl,--wrap): the private
 * pointer lives in a variable, header changes are recorded, and the order of
 * deletions and the reply are checked with cmocka expectations.  The cases
 * are the sequences an MTA rarely produces: abort mid-headers, two messages
 * on one connection, close without a message or with a NULL pointer, a
 * message left without abort or eom, a body in 1-byte chunks, CR and LF in
 * different chunks, forged headers, and an unwritable list.
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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cmocka.h>

#include <libmilter/mfapi.h>

#include "daemon/action.h"
#include "daemon/conf.h"
#include "util/log.h"
#include "daemon/milter.h"
#include "daemon/session.h"
#include "trust/spf.h"
#include "trust/verp.h"
#include "drive.h"


/* ------------------------------------------------------------------ fixtures */

static const char dsn_hard[] =
    "Return-Path: <>\r\n"
    "From: MAILER-DAEMON@mx.far.test (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: bounces@lists.near.test\r\n"
    "Message-ID: <cb-hard@mx.far.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"CB-BOUNDARY\"\r\n"
    "\r\n"
    "--CB-BOUNDARY\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "Your message could not be delivered to one or more recipients.\r\n"
    "\r\n"
    "<zoe.left@far.test>: host mail.far.test said: 550 5.1.1 <zoe.left@far.test>:\r\n"
    "    Recipient address rejected: User unknown in local recipient table\r\n"
    "\r\n"
    "--CB-BOUNDARY\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.far.test\r\n"
    "\r\n"
    "Final-Recipient: rfc822; zoe.left@far.test\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <zoe.left@far.test>: Recipient address\r\n"
    "    rejected: User unknown in local recipient table\r\n"
    "\r\n"
    "--CB-BOUNDARY\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: news@lists.near.test\r\n"
    "To: zoe.left@far.test\r\n"
    "Subject: News\r\n"
    "\r\n"
    "--CB-BOUNDARY--\r\n";

static const char dsn_two[] =
    "From: MAILER-DAEMON@mx.far.test\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"CB2\"\r\n"
    "\r\n"
    "--CB2\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Two recipients failed.\r\n"
    "--CB2\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.far.test\r\n"
    "\r\n"
    "Final-Recipient: rfc822; una@far.test\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
    "\r\n"
    "Final-Recipient: rfc822; dos@far.test\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
    "\r\n"
    "--CB2--\r\n";

static const char arf[] =
    "From: abuse@isp.test\r\n"
    "Subject: FW: spam report\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report; boundary=\"ARF\"\r\n"
    "\r\n"
    "--ARF\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "This is an email abuse report.\r\n"
    "--ARF\r\n"
    "Content-Type: message/feedback-report\r\n"
    "\r\n"
    "Feedback-Type: abuse\r\n"
    "User-Agent: isp-fbl/1.0\r\n"
    "Version: 1\r\n"
    "Original-Rcpt-To: <kim.complains@isp.test>\r\n"
    "\r\n"
    "--ARF\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: news@lists.near.test\r\n"
    "To: kim.complains@isp.test\r\n"
    "Subject: News\r\n"
    "\r\n"
    "Body\r\n"
    "--ARF--\r\n";

static const char ordinary[] =
    "From: Ann <ann@near.test>\r\n"
    "To: team@near.test\r\n"
    "Subject: Lunch on Friday\r\n"
    "Message-ID: <cb-lunch@near.test>\r\n"
    "\r\n"
    "Shall we try the new place on the corner?\r\n"
    "Ann\r\n";

static const char forged[] =
    "From: Mallory <mallory@near.test>\r\n"
    "To: team@near.test\r\n"
    "X-Bounce-Class: hard\r\n"
    "Subject: Nothing to see\r\n"
    "x-bounce-class: hard\r\n"
    "X-Bounce-Recipient: victim@near.test; class=hard\r\n"
    "X-Bounce-Extra: 1\r\n"
    "X-BOUNCE-EXTRA: 2\r\n"
    "X-Bounce-Extra: 3\r\n"
    "\r\n"
    "Body.\r\n";


static void
assert_hard_tagged(void)
{
	const char *want = "zoe.left@far.test; class=hard; status=5.1.1; reason=userunknown; action=failed";
	const char *v;

	assert_non_null(v = added_value("X-Bounce-Class", 0));
	assert_string_equal(v, "hard");
	assert_non_null(v = added_value("X-Bounce-Recipient", 0));
	if (strncmp(v, want, strlen(want)) != 0)
		fail_msg("X-Bounce-Recipient: %s", v);
	assert_null(added_value("X-Bounce-Recipient", 1));
	assert_non_null(v = added_value("X-Bounce-Origin", 0));
	assert_string_equal(v, "origin=trusted; spf=off; helo=mx.far.test; ip=192.0.2.10; suppressed=yes");
}

/* ------------------------------------------------------------------ tests */

static void
test_negotiate_masks(void **state)
{
	unsigned long pf0, pf1, pf2, pf3;

	(void)state;
	assert_int_equal(MILTER->xxfi_negotiate(CTX, SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	    0x1fffff, 0, 0, &pf0, &pf1, &pf2, &pf3), SMFIS_CONTINUE);
	assert_int_equal(pf0, SMFIF_ADDHDRS | SMFIF_CHGHDRS);
	/* every step stays: no NOCONNECT, NOHELO, NOMAIL, NORCPT, NOBODY, NOHDRS, NOEOH, NODATA */
	assert_int_equal(pf1 & (SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT |
	    SMFIP_NOBODY | SMFIP_NOHDRS | SMFIP_NOEOH | SMFIP_NODATA), 0);
	assert_true(pf1 & SMFIP_SKIP);
	assert_int_equal(pf2 | pf3, 0);
	/* nothing the MTA did not offer */
	assert_int_equal(MILTER->xxfi_negotiate(CTX, SMFIF_ADDHDRS, 0, 0, 0, &pf0, &pf1, &pf2, &pf3),
	    SMFIS_CONTINUE);
	assert_int_equal(pf0, SMFIF_ADDHDRS);
	assert_int_equal(pf1, 0);
}

static void
test_close_without_message(void **state)
{
	(void)state;
	/* NULL private pointer: close before anything, and every other callback */
	assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_abort(CTX), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_header(CTX, "Subject", "x"), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_eoh(CTX), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_body(CTX, (unsigned char *)"x", 1), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
	assert_null(fake_priv);
	/* a connection with no message */
	start_connection();
	assert_non_null(fake_priv);
	assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	assert_null(fake_priv);
	assert_int_equal(nadded, 0);
}

static void
test_abort_mid_headers(void **state)
{
	struct session *s;

	(void)state;
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	(void)send_headers(dsn_hard, 3);
	s = fake_priv;
	assert_true(s->msg.active);
	assert_non_null(s->msg.data.data);
	assert_int_equal(MILTER->xxfi_abort(CTX), SMFIS_CONTINUE);
	assert_false(s->msg.active);
	assert_null(s->msg.data.data);
	assert_null(s->msg.cfg);
	/* a second abort and a stray eom do nothing */
	assert_int_equal(MILTER->xxfi_abort(CTX), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
	assert_int_equal(nadded, 0);
	assert_int_equal(list_count("zoe.left@far.test"), 0);
	/* the connection goes on with a whole message */
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_hard_tagged();
}

static void
test_two_messages(void **state)
{
	struct session *s;

	(void)state;
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_hard_tagged();
	assert_int_equal(list_count("zoe.left@far.test"), 1);
	nadded = 0;
	assert_int_equal(send_message("<ann@near.test>", "<team@near.test>", ordinary, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(nadded, 0);
	s = fake_priv;
	assert_false(s->msg.active);
	/* the same bounce again: tagged, not listed twice */
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_hard_tagged();
	assert_int_equal(list_count("zoe.left@far.test"), 1);
}

/* A message that gets neither eom nor abort (another milter or our own early
 * return ended it): the next envfrom starts clean. */
static void
test_early_return(void **state)
{
	struct session *s;

	(void)state;
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	(void)send_headers(forged, 4);   /* notes a forged header, then stops */
	s = fake_priv;
	assert_true(s->msg.null_sender);
	assert_int_equal(s->msg.forged[0].count, 1);
	nadded = 0;
	assert_int_equal(send_message("<ann@near.test>", "<team@near.test>", ordinary, 65535),
	    SMFIS_CONTINUE);
	/* nothing of the first message leaked into the second */
	assert_int_equal(nadded, 0);
	assert_int_equal(ndeleted, 0);
	assert_false(s->msg.active);
}

static void
test_body_one_byte_chunks(void **state)
{
	struct session *s;
	size_t off;

	(void)state;
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	off = send_headers(dsn_hard, 0);
	assert_int_equal(send_body(dsn_hard + off, strlen(dsn_hard) - off, 1), SMFIS_CONTINUE);
	s = fake_priv;
	assert_int_equal(s->msg.body_bytes, strlen(dsn_hard) - off);
	assert_memory_equal(s->msg.data.data + s->msg.hdr_bytes, dsn_hard + off,
	    strlen(dsn_hard) - off);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
	assert_hard_tagged();
	assert_int_equal(list_count("zoe.left@far.test"), 1);
}

/* Chunks that end between CR and LF: every chunk boundary sits on a CR. */
static void
test_crlf_split(void **state)
{
	struct session *s;
	const char *body, *p;
	size_t off;

	(void)state;
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	off = send_headers(dsn_hard, 0);
	body = dsn_hard + off;
	for (p = body; *p != '\0';) {
		const char *cr = strchr(p, '\r');
		size_t n = cr != NULL ? (size_t)(cr - p) + 1 : strlen(p);

		assert_int_equal(MILTER->xxfi_body(CTX, (unsigned char *)p, n), SMFIS_CONTINUE);
		p += n;
	}
	s = fake_priv;
	assert_memory_equal(s->msg.data.data + s->msg.hdr_bytes, body, strlen(body));
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
	assert_hard_tagged();
}

/* Headers re-serialised: folded values regain CRLF, one space after ':'. */
static void
test_headers_reserialised(void **state)
{
	struct session *s;
	size_t off;

	(void)state;
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	off = send_headers(dsn_hard, 0);
	s = fake_priv;
	assert_int_equal(s->msg.hdr_bytes, off);
	assert_memory_equal(s->msg.data.data, dsn_hard, off);
	assert_true(s->msg.report_type);
	assert_int_equal(MILTER->xxfi_abort(CTX), SMFIS_CONTINUE);
}

static void
test_forged_deleted_reverse(void **state)
{
	(void)state;
	start_connection();
	/* per name, from the highest index down; names compared without case */
	expect_delete("X-Bounce-Class", 2);
	expect_delete("X-Bounce-Class", 1);
	expect_delete("X-Bounce-Recipient", 1);
	expect_delete("X-Bounce-Extra", 3);
	expect_delete("X-Bounce-Extra", 2);
	expect_delete("X-Bounce-Extra", 1);
	assert_int_equal(send_message("<mallory@near.test>", "<team@near.test>", forged, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(ndeleted, 6);
	assert_int_equal(nadded, 0);
	assert_int_equal(list_count("victim@near.test"), 0);
}

/* A bounce carrying forged verdicts: those go, ours come. */
static void
test_forged_in_bounce(void **state)
{
	char msg[sizeof dsn_hard + 128];

	(void)state;
	snprintf(msg, sizeof msg, "X-Bounce-Class: none\r\nX-Bounce-Origin: spf=pass\r\n%s", dsn_hard);
	start_connection();
	expect_delete("X-Bounce-Class", 1);
	expect_delete("X-Bounce-Origin", 1);
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", msg, 65535),
	    SMFIS_CONTINUE);
	assert_hard_tagged();
}

static void
test_hard_bounce_listed(void **state)
{
	(void)state;
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_hard_tagged();
	assert_int_equal(nadded, 3);
	assert_int_equal(list_count("zoe.left@far.test"), 1);
}

static void
test_null_sender_forms(void **state)
{
	static const char *const forms[] = { "<>", "", "\"\"", " <> ", "<\"\">" };
	struct session *s;

	(void)state;
	start_connection();
	s = fake_priv;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		envelope(forms[i], "<x@near.test>");
		if (!s->msg.null_sender)
			fail_msg("\"%s\" is not taken as the null sender", forms[i]);
	}
	envelope("<a@near.test>", "<x@near.test>");
	assert_false(s->msg.null_sender);
	assert_false(session_examined(s));
	assert_int_equal(MILTER->xxfi_abort(CTX), SMFIS_CONTINUE);
}

static void
test_ordinary_untouched(void **state)
{
	struct stat st;

	(void)state;
	start_connection();
	assert_int_equal(send_message("<ann@near.test>", "<team@near.test>", ordinary, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(nadded, 0);
	assert_int_equal(ndeleted, 0);
	assert_true(stat(listpath, &st) != 0 || st.st_size == 0);
	/* a multipart/report from a normal sender is examined; a plain one is not */
	assert_false(session_examined(fake_priv));
}

/* Once the kept bytes reach max_message_bytes, body asks the MTA to skip. */
static void
test_body_skip(void **state)
{
	static char big[20000];
	size_t off;

	(void)state;
	memset(big, 'a', sizeof big - 1);
	for (size_t i = 76; i + 1 < sizeof big; i += 78) {
		big[i] = '\r';
		big[i + 1] = '\n';
	}
	start_connection();
	envelope("<>", "<bounces@lists.near.test>");
	off = send_headers(dsn_hard, 0);
	(void)off;
	assert_int_equal(send_body(big, strlen(big), 1000), SMFIS_SKIP);
	assert_int_equal(((struct session *)fake_priv)->msg.body_bytes, 4096);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);   /* eom still runs */
	/* ordinary mail: the body is not needed at all */
	envelope("<ann@near.test>", "<team@near.test>");
	(void)send_headers(ordinary, 0);
	assert_int_equal(MILTER->xxfi_body(CTX, (unsigned char *)"x", 1), SMFIS_SKIP);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
}

/* The list cannot be written: 451 4.3.0, TEMPFAIL, no header change; after
 * the repair the retried bounce is listed once. */
static void
test_unwritable_list(void **state)
{
	static char other[sizeof dsn_hard];
	char taken[340], *p;

	(void)state;
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(list_count("zoe.left@far.test"), 1);
	/* rename the list away and put a directory where it was: even root
	 * cannot open it for writing */
	snprintf(taken, sizeof taken, "%s.taken", listpath);
	assert_int_equal(rename(listpath, taken), 0);
	assert_int_equal(mkdir(listpath, 0755), 0);
	snprintf(other, sizeof other, "%s", dsn_hard);
	while ((p = strstr(other, "zoe.left")) != NULL)
		memcpy(p, "yan.gone", 8);
	nadded = 0;
	expect_string(__wrap_smfi_setreply, rcode, "451");
	expect_string(__wrap_smfi_setreply, xcode, "4.3.0");
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", other, 65535),
	    SMFIS_TEMPFAIL);
	assert_int_equal(nadded, 0);
	assert_int_equal(ndeleted, 0);
	/* repair, retry: accepted and listed exactly once */
	assert_int_equal(rmdir(listpath), 0);
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", other, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(list_count("yan.gone@far.test"), 1);
	assert_int_equal(list_count("zoe.left@far.test"), 0);
	/* what was listed before the failure is still in the renamed file */
	assert_true(strlen(taken) < sizeof listpath);
	memcpy(listpath, taken, strlen(taken) + 1);
	assert_int_equal(list_count("zoe.left@far.test"), 1);
	unlink(taken);
}

/* At most max_suppress_per_message new entries per message. */
static void
test_message_cap(void **state)
{
	(void)state;
	write_conf("max_suppress_per_message = 1\n");
	load_conf();
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_two, 65535),
	    SMFIS_CONTINUE);
	assert_string_equal(added_value("X-Bounce-Class", 0), "hard");
	assert_non_null(added_value("X-Bounce-Recipient", 1));
	assert_int_equal(list_count("una@far.test"), 1);
	assert_int_equal(list_count("dos@far.test"), 0);
}

/* A VERP recipient: the decoded address is listed, the report's recipient
 * stays in the header. */
static void
test_verp_decoded(void **state)
{
	const char *v;

	(void)state;
	write_conf("verp {\n  patterns = {\"bounces+{local}={domain}@lists.near.test\"}\n}\n");
	load_conf();
	start_connection();
	assert_int_equal(send_message("<>", "<bounces+zoe.other=far.test@lists.near.test>",
	    dsn_hard, 65535), SMFIS_CONTINUE);
	assert_non_null(v = added_value("X-Bounce-Recipient", 0));
	assert_non_null(strstr(v, "zoe.left@far.test"));
	assert_int_equal(list_count("zoe.other@far.test"), 1);
	assert_int_equal(list_count("zoe.left@far.test"), 0);
}

/* A VERP tag that does not verify lists nothing; the bounce is still tagged. */
static void
test_verp_bad_tag(void **state)
{
	char secret[300], extra[800];
	FILE *f;

	(void)state;
	snprintf(secret, sizeof secret, "%s/secret", tmpdir);
	f = fopen(secret, "w");
	assert_non_null(f);
	fputs("correct horse battery staple\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(secret, 0600), 0);
	snprintf(extra, sizeof extra, "verp {\n  patterns = {\"bounces+{tag}+{local}={domain}@lists.near.test\"}\n}\n"
	    "signing {\n  keys = {\"1:%s\"}\n}\n", secret);
	write_conf(extra);
	load_conf();
	start_connection();
	assert_int_equal(send_message("<>",
	    "<bounces+18010000000000000000+zoe.left=far.test@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_string_equal(added_value("X-Bounce-Class", 0), "hard");
	assert_non_null(strstr(added_value("X-Bounce-Origin", 0), "suppressed=no"));
	assert_int_equal(list_count("zoe.left@far.test"), 0);
}

/* SPF on the HELO name is information, not a licence to list (attack 1 of
 * issue 10): with the default origins an unaligned bounce is tagged with
 * its SPF result and not listed, even when our own Authentication-Results
 * says spf=pass for the HELO (it names the host, not the recipient's
 * domain). */
static void
test_spf_policy(void **state)
{
	char msg[sizeof dsn_hard + 256];
	const char *v;

	(void)state;
	write_conf("");
	{
		FILE *f = fopen(confpath, "w");

		assert_non_null(f);
		fprintf(f, "suppress {\n  file = \"%s\"\n}\n"
		    "trust {\n  authserv_id = \"mx.near.test\"\n}\n", listpath);
		assert_int_equal(fclose(f), 0);
	}
	load_conf();
	start_connection();
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_non_null(v = added_value("X-Bounce-Origin", 0));
	assert_string_equal(v, "origin=unaligned; spf=fail; helo=mx.far.test; ip=192.0.2.10; suppressed=no");
	assert_int_equal(list_count("zoe.left@far.test"), 0);
	/* a foreign A-R header above ours is skipped; ours says pass */
	snprintf(msg, sizeof msg,
	    "Authentication-Results: other.test; spf=fail smtp.helo=mx.far.test\r\n"
	    "Authentication-Results: mx.near.test; spf=pass smtp.helo=mx.far.test\r\n%s", dsn_hard);
	nadded = 0;
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", msg, 65535),
	    SMFIS_CONTINUE);
	assert_non_null(v = added_value("X-Bounce-Origin", 0));
	assert_string_equal(v, "origin=unaligned; spf=pass; helo=mx.far.test; ip=192.0.2.10; suppressed=no");
	assert_int_equal(list_count("zoe.left@far.test"), 0);
	/* an A-R pass from anyone else counts for nothing */
	snprintf(msg, sizeof msg,
	    "Authentication-Results: mx.near.test.evil; spf=pass smtp.helo=mx.far.test\r\n%s", dsn_hard);
	nadded = 0;
	{
		static char other[sizeof msg];
		char *p;

		snprintf(other, sizeof other, "%s", msg);
		while ((p = strstr(other, "zoe.left")) != NULL)
			memcpy(p, "yan.gone", 8);
		assert_int_equal(send_message("<>", "<bounces@lists.near.test>", other, 65535),
		    SMFIS_CONTINUE);
	}
	assert_non_null(strstr(added_value("X-Bounce-Origin", 0), "spf=fail"));
	assert_int_equal(list_count("yan.gone@far.test"), 0);
}

/* suppress.on_error = accept: the write fails, the bounce is accepted and
 * tagged with suppressed=no, no 4xx reply. */
static void
test_on_error_accept(void **state)
{
	(void)state;
	{
		FILE *f = fopen(confpath, "w");

		assert_non_null(f);
		fprintf(f, "suppress {\n  file = \"%s\"\n  on_error = \"accept\"\n}\n"
		    "trust {\n  spf = \"off\"\n  relays = {\"192.0.2.10\"}\n}\n", listpath);
		assert_int_equal(fclose(f), 0);
	}
	load_conf();
	start_connection();
	assert_int_equal(unlink(listpath), 0);     /* created by the open */
	assert_int_equal(mkdir(listpath, 0755), 0);
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_hard, 65535),
	    SMFIS_CONTINUE);
	assert_string_equal(added_value("X-Bounce-Class", 0), "hard");
	assert_string_equal(added_value("X-Bounce-Origin", 0),
	    "origin=trusted; spf=off; helo=mx.far.test; ip=192.0.2.10; suppressed=no");
	assert_int_equal(rmdir(listpath), 0);
}

/* ARF feedback (a multipart/report from a normal sender): tagged feedback;
 * the complained-about recipient is listed only with suppress.complaints. */
static void
test_feedback(void **state)
{
	const char *v;

	(void)state;
	start_connection();
	assert_int_equal(send_message("<fbl@isp.test>", "<abuse@lists.near.test>", arf, 65535),
	    SMFIS_CONTINUE);
	assert_string_equal(added_value("X-Bounce-Class", 0), "feedback");
	assert_non_null(v = added_value("X-Bounce-Recipient", 0));
	assert_int_equal(strncmp(v, "kim.complains@isp.test; class=feedback", 38), 0);
	assert_int_equal(list_count("kim.complains@isp.test"), 0);
	{
		FILE *f = fopen(confpath, "w");

		assert_non_null(f);
		fprintf(f, "suppress {\n  file = \"%s\"\n  complaints = true\n}\n"
		    "trust {\n  spf = \"off\"\n  relays = {\"192.0.2.10\"}\n}\n", listpath);
		assert_int_equal(fclose(f), 0);
	}
	load_conf();
	nadded = 0;
	assert_int_equal(send_message("<fbl@isp.test>", "<abuse@lists.near.test>", arf, 65535),
	    SMFIS_CONTINUE);
	assert_non_null(strstr(added_value("X-Bounce-Origin", 0), "suppressed=yes"));
	assert_int_equal(list_count("kim.complains@isp.test"), 1);
}

/* max_suppress_per_hour per client network: past it, nothing more is
 * listed from that network; another network is not affected. */
static void
test_rate_cap(void **state)
{
	(void)state;
	write_conf("max_suppress_per_hour = 1\n");
	load_conf();
	start_connection_from("198.51.100.77");
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_two, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(list_count("una@far.test"), 1);
	assert_int_equal(list_count("dos@far.test"), 0);
	assert_int_equal(MILTER->xxfi_close(CTX), SMFIS_CONTINUE);
	start_connection_from("203.0.113.78");
	assert_int_equal(send_message("<>", "<bounces@lists.near.test>", dsn_two, 65535),
	    SMFIS_CONTINUE);
	assert_int_equal(list_count("dos@far.test"), 1);
}

/* Past the header cap nothing more is kept, but a forged header there is
 * still found and deleted. */
static void
test_header_cap(void **state)
{
	static char value[1001];
	struct session *s;

	(void)state;
	memset(value, 'v', sizeof value - 1);
	start_connection();
	envelope("<a@near.test>", "<team@near.test>");
	for (int i = 0; i < 300; i++)
		assert_int_equal(MILTER->xxfi_header(CTX, "X-Filler", value), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_header(CTX, "X-Bounce-Class", "hard"), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_eoh(CTX), SMFIS_CONTINUE);
	s = fake_priv;
	assert_true(s->msg.hdr_truncated);
	assert_true(s->msg.data.len <= BM_SESSION_HDR_MAX + 2);
	expect_delete("X-Bounce-Class", 1);
	assert_int_equal(MILTER->xxfi_eom(CTX), SMFIS_CONTINUE);
	assert_int_equal(nadded, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_negotiate_masks, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_close_without_message, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_abort_mid_headers, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_two_messages, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_early_return, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_body_one_byte_chunks, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_crlf_split, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_headers_reserialised, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_forged_deleted_reverse, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_forged_in_bounce, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_hard_bounce_listed, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_null_sender_forms, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_ordinary_untouched, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_body_skip, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_list, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_message_cap, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_verp_decoded, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_verp_bad_tag, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_spf_policy, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_on_error_accept, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_feedback, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_rate_cap, drive_setup, drive_teardown),
		cmocka_unit_test_setup_teardown(test_header_cap, drive_setup, drive_teardown),
	};

	return cmocka_run_group_tests(tests, drive_group_setup, drive_group_teardown);
}
