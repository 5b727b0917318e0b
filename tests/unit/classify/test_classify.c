/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_classify.c - classify.c: class names and order, and the policy that
 * turns a recipient record (action, status, diagnostic, hint) into status,
 * reason and class.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify/bounce.h"
#include "classify/classify.h"
#include "classify/reason.h"
#include "classify/status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < BM_CLASS_COUNT; i++)
		assert_int_equal(bm_class_from_name(bm_class_name((enum bm_class)i)), i);
	assert_string_equal(bm_class_name(BM_CLASS_HARD), "hard");
	assert_string_equal(bm_class_name(BM_CLASS_AUTO_REPLY), "auto-reply");
	assert_string_equal(bm_class_name(BM_CLASS_UNDETERMINED), "undetermined");
	assert_string_equal(bm_class_name(BM_CLASS_COUNT), "none");
	assert_int_equal(bm_class_from_name("Block"), BM_CLASS_BLOCK);
	assert_int_equal(bm_class_from_name("bogus"), -1);
	assert_int_equal(bm_class_from_name(NULL), -1);
}

static void test_order(void **state)
{
	/* hard > block > soft > undetermined > feedback > auto-reply > none */
	static const enum bm_class order[] = {
		BM_CLASS_NONE, BM_CLASS_AUTO_REPLY, BM_CLASS_FEEDBACK,
		BM_CLASS_UNDETERMINED, BM_CLASS_SOFT, BM_CLASS_BLOCK, BM_CLASS_HARD,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < N(order); i++)
		for (j = 0; j < N(order); j++)
			assert_int_equal(bm_class_worse(order[i], order[j]),
			                 order[i > j ? i : j]);
	assert_true(bm_class_is_failure(BM_CLASS_HARD));
	assert_true(bm_class_is_failure(BM_CLASS_BLOCK));
	assert_true(bm_class_is_failure(BM_CLASS_SOFT));
	assert_true(bm_class_is_failure(BM_CLASS_UNDETERMINED));
	assert_false(bm_class_is_failure(BM_CLASS_FEEDBACK));
	assert_false(bm_class_is_failure(BM_CLASS_AUTO_REPLY));
	assert_false(bm_class_is_failure(BM_CLASS_NONE));
}

struct ccase {
	const char *action, *status, *diag;
	enum bm_reason hint;
	const char *want_status;
	int want_reply;
	enum bm_reason want_reason;
	enum bm_class want_class;
	bool want_inferred;
};

/* cmd: the record's smtp_command; NULL for none */
static void run_cmd(const struct ccase *c, const char *cmd)
{
	struct bounce_rcpt r;

	memset(&r, 0, sizeof(r));
	snprintf(r.action, sizeof(r.action), "%s", c->action);
	snprintf(r.status, sizeof(r.status), "%s", c->status);
	snprintf(r.diagnostic, sizeof(r.diagnostic), "%s", c->diag);
	r.reason_hint = c->hint;
	if (cmd != NULL)
		snprintf(r.smtp_command, sizeof(r.smtp_command), "%s", cmd);
	classify_rcpt(&r);
	if (strcmp(r.status, c->want_status) != 0 || r.replycode != c->want_reply ||
	    r.reason != c->want_reason || r.cls != c->want_class ||
	    r.status_inferred != c->want_inferred)
		fail_msg("[%s|%s|%s|%s] got %s/%d/%s/%s/%d, want %s/%d/%s/%s/%d",
		         c->action, c->status, c->diag, cmd ? cmd : "-", r.status, r.replycode,
		         reason_name(r.reason), bm_class_name(r.cls),
		         r.status_inferred, c->want_status, c->want_reply,
		         reason_name(c->want_reason), bm_class_name(c->want_class),
		         c->want_inferred);
}

static void run(const struct ccase *c)
{
	run_cmd(c, NULL);
}

#define U BM_REASON_UNDEFINED

static void test_policy(void **state)
{
	static const struct ccase cases[] = {
		/* precise code, plain text */
		{ "failed", "5.1.1", "smtp; 550 5.1.1 <a@b>: User unknown", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		/* status from the diagnostic when the record has none */
		{ "failed", "", "550 5.1.1 no such user", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		/* text wins over a generic code */
		{ "failed", "5.7.1", "550 5.7.1 user unknown (in reply to RCPT TO command)", U,
		  "5.7.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		{ "failed", "5.0.0", "552 over quota", U,
		  "5.0.0", 552, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false },
		{ "failed", "", "552 5.2.2 over quota", U,
		  "5.2.2", 552, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false },
		/* a precise code is trusted over a vague text */
		{ "failed", "5.1.1", "550 5.1.1 Access denied", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		/* ... unless the text clearly says otherwise */
		{ "failed", "5.1.1", "550 5.1.1 mailbox full", U,
		  "5.1.1", 550, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false },
		/* block: permanent refusals about the sender or content */
		{ "failed", "5.7.1", "554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org", U,
		  "5.7.1", 554, BM_REASON_BLOCKED, BM_CLASS_BLOCK, false },
		{ "failed", "5.7.1", "554 5.7.1 Relay access denied", U,
		  "5.7.1", 554, BM_REASON_NORELAYING, BM_CLASS_BLOCK, false },
		{ "failed", "5.7.26", "550 5.7.26 This mail has been blocked because the sender is unauthenticated", U,
		  "5.7.26", 550, BM_REASON_AUTHFAILURE, BM_CLASS_BLOCK, false },
		{ "failed", "5.1.8", "553 5.1.8 Domain of sender address x@y does not exist", U,
		  "5.1.8", 553, BM_REASON_REJECTED, BM_CLASS_BLOCK, false },
		/* the same refusals with a 4.x.x code are soft */
		{ "failed", "4.7.1", "450 4.7.1 Client host rejected: cannot find your hostname", U,
		  "4.7.1", 450, BM_REASON_REQUIREPTR, BM_CLASS_SOFT, false },
		/* delayed is never hard */
		{ "delayed", "4.1.1", "450 4.1.1 user unknown", U,
		  "4.1.1", 450, BM_REASON_EXPIRED, BM_CLASS_SOFT, false },
		{ "delayed", "4.4.1", "connect to x[192.0.2.1]:25: Connection timed out", U,
		  "4.4.1", 0, BM_REASON_EXPIRED, BM_CLASS_SOFT, false },
		{ "delayed", "4.2.2", "452 4.2.2 mailbox full", U,
		  "4.2.2", 452, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false },
		/* Sisimai: a 4.x.x unknown user still marks the address */
		{ "failed", "4.1.1", "450 4.1.1 <a@b>: Recipient address rejected: User unknown", U,
		  "4.1.1", 450, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		/* ... but no other transient code does */
		{ "failed", "4.3.0", "450 4.3.0 <a@b>: mailbox unavailable", U,
		  "4.3.0", 450, BM_REASON_USERUNKNOWN, BM_CLASS_SOFT, false },
		/* a transient "host not found" is a network error */
		{ "failed", "4.4.4", "451 4.4.4 domain not found", U,
		  "4.4.4", 451, BM_REASON_NETWORKERROR, BM_CLASS_SOFT, false },
		/* X.1.10 names null MX, but Microsoft uses it for unknown users */
		{ "failed", "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", U,
		  "5.1.10", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		/* notaccept: hard when permanent, soft when transient */
		{ "failed", "5.1.10", "556 5.1.10 Recipient address has null MX", U,
		  "5.1.10", 556, BM_REASON_NOTACCEPT, BM_CLASS_HARD, false },
		{ "failed", "4.3.2", "421 4.3.2 System not accepting network messages", U,
		  "4.3.2", 421, BM_REASON_NOTACCEPT, BM_CLASS_SOFT, false },
		/* the command the failure answered */
		{ "failed", "5.0.0", "550 Unknown user a@b (in reply to end of DATA command)", U,
		  "5.0.0", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false },
		{ "failed", "", "SMTP error from remote mail server after MAIL FROM:<a@b>: 553 5.1.0 a@b does not exist", U,
		  "5.1.0", 553, BM_REASON_REJECTED, BM_CLASS_BLOCK, false },
		/* the remote server's code beats the Status field */
		{ "failed", "5.1.1", "550 5.7.1 IP address blacklisted by recipient", U,
		  "5.7.1", 550, BM_REASON_BLOCKED, BM_CLASS_BLOCK, false },
		/* unknown cause */
		{ "failed", "5.0.0", "550 something odd happened", U,
		  "5.0.0", 550, BM_REASON_UNDEFINED, BM_CLASS_UNDETERMINED, false },
		{ "failed", "", "", U,
		  "", 0, BM_REASON_UNDEFINED, BM_CLASS_UNDETERMINED, false },
		{ "failed", "5.7.0", "550 5.7.0 nope", U,
		  "5.7.0", 550, BM_REASON_UNDEFINED, BM_CLASS_BLOCK, false },
		{ "failed", "4.0.0", "", U,
		  "4.0.0", 0, BM_REASON_UNDEFINED, BM_CLASS_SOFT, false },
		/* status inferred from the reason */
		{ "failed", "", "Sorry, no mailbox here by that name. (#5.1.1)", U,
		  "5.1.1", 0, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
		{ "failed", "", "host x[192.0.2.1] said: 550 <a@b>: User unknown (in reply to RCPT TO command)", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, true },
		/* no code, no sign of RCPT: a filter at DATA (Sisimai) */
		{ "failed", "", "550 Unknown user a@b", U,
		  "5.7.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, true },
		{ "failed", "5.0.0", "550 5.0.0 <a@b>... User unknown", U,
		  "5.0.0", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false },
		{ "delayed", "", "mailbox full", U,
		  "4.2.2", 0, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, true },
		{ "failed", "", "Retry timeout exceeded", U,
		  "5.4.7", 0, BM_REASON_EXPIRED, BM_CLASS_SOFT, true },
		/* hints from a recogniser win */
		{ "failed", "5.0.0", "550 user unknown", BM_REASON_FILTERED,
		  "5.0.0", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false },
		{ "", "", "", BM_REASON_VACATION,
		  "", 0, BM_REASON_VACATION, BM_CLASS_AUTO_REPLY, false },
		{ "", "", "", BM_REASON_FEEDBACK,
		  "", 0, BM_REASON_FEEDBACK, BM_CLASS_FEEDBACK, false },
		/* success */
		{ "delivered", "2.0.0", "250 2.0.0 OK", U,
		  "2.0.0", 250, BM_REASON_DELIVERED, BM_CLASS_NONE, false },
		{ "relayed", "", "", U,
		  "2.0.0", 0, BM_REASON_DELIVERED, BM_CLASS_NONE, true },
		/* junk in the status field is dropped, the text is used */
		{ "failed", "9.9.9", "550 5.2.2 mailbox full", U,
		  "5.2.2", 550, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false },
		{ "failed", "5.01.1", "", U,
		  "5.1.1", 0, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		run(&cases[i]);
}

/* The SMTP command the failure answered (the record's smtp_command, else
 * the diagnostic's wording) decides what an unknown-user answer means. */
static void test_command(void **state)
{
	static const struct {
		const char *cmd;
		struct ccase c;
	} cases[] = {
		/* at RCPT: the address is dead, whatever the code */
		{ "RCPT", { "failed", "5.0.0", "550 <a@b>: User unknown", U,
		  "5.0.0", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		{ "RCPT", { "failed", "5.7.1", "550 5.7.1 user unknown", U,
		  "5.7.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		{ "RCPT", { "failed", "5.2.1", "550 5.2.1 <a@b>... User Unknown", U,
		  "5.2.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		{ "RCPT", { "failed", "", "550 no such user", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, true } },
		/* after DATA: a content filter, unless the code names the address */
		{ "DATA", { "failed", "5.0.0", "550 <a@b>: User unknown", U,
		  "5.0.0", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ "DATA", { "failed", "5.7.1", "550 5.7.1 <a@b>: Recipient address rejected: User unknown", U,
		  "5.7.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ "DATA", { "failed", "5.1.1", "550 5.1.1 <a@b>... User unknown", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		/* other reasons are not the command's business */
		{ "DATA", { "failed", "5.2.2", "552 5.2.2 mailbox full", U,
		  "5.2.2", 552, BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, false } },
		/* at MAIL: about the sender; before it: about the sending host */
		{ "MAIL", { "failed", "", "553 <s@x>... User unknown", U,
		  "5.7.1", 553, BM_REASON_REJECTED, BM_CLASS_BLOCK, true } },
		{ "HELO", { "failed", "5.0.0", "550 Host unknown", U,
		  "5.0.0", 550, BM_REASON_BLOCKED, BM_CLASS_BLOCK, false } },
		/* no stated cause: at MAIL the sender, before it the host */
		{ "MAIL", { "failed", "5.0.0", "550 Rejected", U,
		  "5.0.0", 550, BM_REASON_REJECTED, BM_CLASS_BLOCK, false } },
		{ "CONN", { "failed", "5.0.0", "554 go away", U,
		  "5.0.0", 554, BM_REASON_BLOCKED, BM_CLASS_BLOCK, false } },
		{ "MAIL", { "failed", "4.0.0", "451 try later", U,
		  "4.0.0", 451, BM_REASON_UNDEFINED, BM_CLASS_SOFT, false } },
		/* unknown command: no code naming the address means a filter */
		{ "", { "failed", "5.7.1", "550 5.7.1 user unknown", U,
		  "5.7.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ NULL, { "failed", "5.2.1", "550 5.2.1 <a@b>... User Unknown", U,
		  "5.2.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ NULL, { "failed", "5.1.1", "550 5.1.1 user unknown", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		/* a localised notice's "no such user" with no code at all is
		 * the one evidence there is; English wording a filter also
		 * writes, or a generic code, keeps the filter rule */
		{ NULL, { "failed", "", "Destinataire inconnu", U,
		  "5.1.1", 0, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, true } },
		{ NULL, { "failed", "", "550 Benutzer unbekannt", U,
		  "5.1.1", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, true } },
		{ NULL, { "failed", "", "[User unknown]", U,
		  "5.7.1", 0, BM_REASON_FILTERED, BM_CLASS_BLOCK, true } },
		{ NULL, { "failed", "5.7.1", "550 5.7.1 Benutzer unbekannt", U,
		  "5.7.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ NULL, { "failed", "", "554 Benutzer unbekannt", U,
		  "5.7.1", 554, BM_REASON_FILTERED, BM_CLASS_BLOCK, true } },
		/* a local delivery agent's answer is no SMTP step's */
		{ NULL, { "failed", "5.5.0", "554 Service unavailable: mail.local: unknown user: a", U,
		  "5.5.0", 554, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		/* a word that is no command is no command */
		{ "QUIT", { "failed", "5.7.1", "550 5.7.1 user unknown", U,
		  "5.7.1", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		/* the record's command wins over the diagnostic's wording */
		{ "RCPT", { "failed", "5.0.0", "SMTP error from remote mail server after end of data: 550 user unknown", U,
		  "5.0.0", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		/* the wording is read when the record has no command */
		{ NULL, { "failed", "5.0.0", "SMTP error from remote mail server after end of data: 550 user unknown", U,
		  "5.0.0", 550, BM_REASON_FILTERED, BM_CLASS_BLOCK, false } },
		{ NULL, { "failed", "5.0.0", "1.2.3.4 does not like recipient. Remote host said: 550 user unknown", U,
		  "5.0.0", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
		/* a recogniser's hint is not rewritten */
		{ "DATA", { "failed", "5.0.0", "550 user unknown", BM_REASON_USERUNKNOWN,
		  "5.0.0", 550, BM_REASON_USERUNKNOWN, BM_CLASS_HARD, false } },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		run_cmd(&cases[i].c, cases[i].cmd);
}

/* Remote hosts whose wording is their own: matched on the recipient's
 * domain or the remote MTA, never on a look-alike domain. */
static void test_rhost(void **state)
{
	static const struct {
		const char *recipient, *remote_mta, *cmd, *status, *diag;
		enum bm_reason want;
	} cases[] = {
		{ "a@ezweb.ne.jp", "", "", "5.0.0", "550 <a@ezweb.ne.jp>: User unknown",
		  BM_REASON_USERUNKNOWN },
		{ "a@example.org", "lsean.ezweb.ne.jp. (192.0.2.1)", "DATA", "5.0.0",
		  "550 <a@example.org>: User unknown", BM_REASON_USERUNKNOWN },
		{ "a@au.com", "", "RCPT", "5.0.0", "550 : User unknown",
		  BM_REASON_FILTERED },
		{ "a@laposte.net", "", "DATA", "5.5.0",
		  "550 5.5.0 Invalid recipient. LPN007_416", BM_REASON_USERUNKNOWN },
		/* look-alike domains and other hosts keep the general rules */
		{ "a@notezweb.ne.jp", "", "", "5.0.0", "550 <a@notezweb.ne.jp>: User unknown",
		  BM_REASON_FILTERED },
		{ "a@example.org", "mx.example.org", "", "5.0.0",
		  "550 <a@example.org>: User unknown", BM_REASON_FILTERED },
		{ "a@ezweb.ne.jp", "", "", "5.2.2", "552 5.2.2 mailbox full",
		  BM_REASON_MAILBOXFULL },
		/* any case, a trailing dot, a host name cut at ';' */
		{ "a@EZWEB.NE.JP.", "", "", "5.0.0", "550 <a@ezweb.ne.jp>: USER UNKNOWN",
		  BM_REASON_USERUNKNOWN },
		{ "a@example.org", "smtp.Orange.FR.;x", "DATA", "5.0.0",
		  "550 5.0.0 refused OFR_418", BM_REASON_USERUNKNOWN },
		{ "a@example.org", "au.com.example", "RCPT", "5.0.0",
		  "550 : User unknown", BM_REASON_USERUNKNOWN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct bounce_rcpt r;

		memset(&r, 0, sizeof(r));
		snprintf(r.recipient, sizeof(r.recipient), "%s", cases[i].recipient);
		snprintf(r.remote_mta, sizeof(r.remote_mta), "%s", cases[i].remote_mta);
		snprintf(r.smtp_command, sizeof(r.smtp_command), "%s", cases[i].cmd);
		snprintf(r.action, sizeof(r.action), "failed");
		snprintf(r.status, sizeof(r.status), "%s", cases[i].status);
		snprintf(r.diagnostic, sizeof(r.diagnostic), "%s", cases[i].diag);
		classify_rcpt(&r);
		if (r.reason != cases[i].want)
			fail_msg("case %zu (%s): got %s want %s", i, cases[i].recipient,
			         reason_name(r.reason), reason_name(cases[i].want));
	}
}

static void test_hostile(void **state)
{
	struct bounce_rcpt r;

	(void)state;
	classify_rcpt(NULL);

	/* fields filled to the brim, no terminators, control bytes */
	memset(&r, 0, sizeof(r));
	memset(r.status, '5', sizeof(r.status));
	memset(r.action, 'x', sizeof(r.action));
	memset(r.diagnostic, '\x01', sizeof(r.diagnostic));
	r.reason_hint = (enum bm_reason)9999;
	r.replycode = 999;
	classify_rcpt(&r);
	assert_true(bm_class_is_failure(r.cls));
	assert_int_equal(r.replycode, 0);
	assert_true(strlen(r.status) < sizeof(r.status));

	/* an embedded NUL ends the diagnostic */
	memset(&r, 0, sizeof(r));
	memcpy(r.diagnostic, "550 mailbox full\0 user unknown", 30);
	snprintf(r.action, sizeof(r.action), "failed");
	classify_rcpt(&r);
	assert_int_equal(r.reason, BM_REASON_MAILBOXFULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_rhost),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
