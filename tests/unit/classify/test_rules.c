/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_rules.c - rules.c, the class decision table: one case per row
 * (facts that reach exactly that row, and the row's verdict), then the
 * DESIGN 3 examples run through classify_rcpt() with their evidence.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify/classify.h"
#include "classify/evidence.h"
#include "classify/reason.h"
#include "classify/rules.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct row_case {
	const char *row;
	struct rules_facts f;
};

/* kind, dead, dead_weak, other, code_x11, known, code_5_7 */
static const struct row_case row_cases[] = {
	{ "not-a-failure", { RULES_NONFAILURE, false, false, false, false, true, false } },
	{ "delay-is-soft", { RULES_DELAYED, true, false, false, true, true, false } },
	{ "other-cause-wins", { RULES_PERMANENT, true, false, true, true, true, false } },
	{ "transient-unknown-user", { RULES_TRANSIENT, true, false, false, true, true, false } },
	{ "transient", { RULES_TRANSIENT, false, false, false, false, true, false } },
	{ "address-dead", { RULES_PERMANENT, true, false, false, false, true, true } },
	{ "dead-on-weak-evidence", { RULES_PERMANENT, false, true, false, false, true, false } },
	{ "named-cause", { RULES_PERMANENT, false, false, false, false, true, true } },
	{ "policy-code", { RULES_PERMANENT, false, false, false, false, false, true } },
	{ "no-evidence", { RULES_PERMANENT, false, false, false, false, false, false } },
};

static void test_each_row(void **state)
{
	size_t i;

	(void)state;
	/* one case per row, in table order, and no row left untested */
	assert_int_equal(N(row_cases), rules_count());
	for (i = 0; i < N(row_cases); i++) {
		size_t got = rules_decide(&row_cases[i].f);

		assert_string_equal(rules_row(got)->name, row_cases[i].row);
		assert_int_equal(got, i);
	}
	assert_null(rules_row(rules_count()));
}

/* No row but address-dead and transient-unknown-user gives hard, and
 * neither fires without positive evidence or with another cause. */
static void test_hard_needs_evidence(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < rules_count(); i++) {
		const struct rules_row *r = rules_row(i);

		if (r->verdict == RULES_FIXED && r->cls == BM_CLASS_HARD) {
			assert_int_equal(r->dead, RULES_YES);
			assert_int_equal(r->other, RULES_NO);
		}
	}
}

struct ex_case {
	const char *label, *action, *status, *diag, *cmd;
	enum bm_class want_class;
	enum bm_reason want_reason;   /* BM_REASON_COUNT: any */
	const char *want_rule;
};

static const struct ex_case examples[] = {
	{ "dead code, size text", "failed", "5.1.1",
	  "550 5.1.1 <a@example.org>: message size exceeds fixed limit", "RCPT",
	  BM_CLASS_SOFT, BM_REASON_MESGTOOBIG, "other-cause-wins" },
	{ "5.4.4 malformed reply is a DNS failure", "failed", "5.4.4",
	  "Host or domain name not found. Name service error for name=example.org "
	  "type=MX: Malformed or unexpected name server reply", NULL,
	  BM_CLASS_SOFT, BM_REASON_NETWORKERROR, "other-cause-wins" },
	{ "try again is a DNS failure", "failed", "5.4.4",
	  "Host or domain name not found. Name service error for name=example.org "
	  "type=A: Host not found, try again", NULL,
	  BM_CLASS_SOFT, BM_REASON_NETWORKERROR, "other-cause-wins" },
	{ "NXDOMAIN is a dead domain", "failed", "5.4.4",
	  "Host or domain name not found. Name service error for name=example.org "
	  "type=A: Host not found", NULL,
	  BM_CLASS_HARD, BM_REASON_HOSTUNKNOWN, "address-dead" },
	{ "qmail's temporary DNS failure", "failed", "",
	  "Sorry, I couldn't find any host by that name. (#4.1.2) I'm not going "
	  "to try again; this message has been in the queue too long.", NULL,
	  BM_CLASS_SOFT, BM_REASON_NETWORKERROR, "transient" },
	{ "qmail's dead domain", "failed", "",
	  "Sorry, I couldn't find any host named example.invalid. (#5.1.2)", NULL,
	  BM_CLASS_HARD, BM_REASON_HOSTUNKNOWN, "address-dead" },
	{ "Postfix null MX", "failed", "",
	  "Domain example.org does not accept mail (nullMX)", NULL,
	  BM_CLASS_HARD, BM_REASON_NOTACCEPT, "address-dead" },
	{ "not authorized is a block", "failed", "5.1.1",
	  "551 5.7.1 <a@example.org>: unknown or Delivery not authorized, message refused",
	  "RCPT", BM_CLASS_BLOCK, BM_REASON_POLICYVIOLATION, "named-cause" },
	{ "attachments are content", "failed", "",
	  "550 5.3.0 this domain is not accepting mail with attachments", "DATA",
	  BM_CLASS_BLOCK, BM_REASON_CONTENTERROR, "named-cause" },
	{ "unknown user under 5.7.1 at RCPT", "failed", "",
	  "550 5.7.1 Unknown user", "RCPT",
	  BM_CLASS_HARD, BM_REASON_USERUNKNOWN, "address-dead" },
	{ "no such user under 5.0.0 at RCPT", "failed", "",
	  "550 5.0.0 No such user", "RCPT",
	  BM_CLASS_HARD, BM_REASON_USERUNKNOWN, "address-dead" },
	{ "German notice", "failed", "", "550 Empfänger unbekannt", "RCPT",
	  BM_CLASS_HARD, BM_REASON_USERUNKNOWN, "address-dead" },
	{ "Chinese notice", "failed", "5.1.1", "550 5.1.1 用户不存在", NULL,
	  BM_CLASS_HARD, BM_REASON_USERUNKNOWN, "address-dead" },
	{ "Russian notice, full mailbox", "failed", "",
	  "552 Почтовый ящик переполнен", "RCPT",
	  BM_CLASS_SOFT, BM_REASON_MAILBOXFULL, "named-cause" },
	{ "weak wording only", "failed", "", "550 <a@example.org>: Recipient address rejected",
	  "RCPT", BM_CLASS_UNDETERMINED, BM_REASON_USERUNKNOWN, "dead-on-weak-evidence" },
	{ "no evidence", "failed", "", "550 Rejected", NULL,
	  BM_CLASS_UNDETERMINED, BM_REASON_UNDEFINED, "no-evidence" },
	{ "policy code, no words", "failed", "5.7.0", "550 5.7.0 see https://example.net", NULL,
	  BM_CLASS_BLOCK, BM_REASON_COUNT, "policy-code" },
	{ "delay", "delayed", "4.4.1", "connect to mx.example.org: Connection timed out", NULL,
	  BM_CLASS_SOFT, BM_REASON_COUNT, "delay-is-soft" },
	{ "transient 4.1.1 given up", "failed", "4.1.1", "450 4.1.1 <a@example.org>: User unknown",
	  "RCPT", BM_CLASS_HARD, BM_REASON_USERUNKNOWN, "transient-unknown-user" },
	{ "transient", "failed", "4.2.2", "452 4.2.2 Mailbox full", "RCPT",
	  BM_CLASS_SOFT, BM_REASON_MAILBOXFULL, "transient" },
};

static void test_examples(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(examples); i++) {
		const struct ex_case *c = &examples[i];
		struct bounce_rcpt r;

		memset(&r, 0, sizeof(r));
		snprintf(r.action, sizeof(r.action), "%s", c->action);
		snprintf(r.status, sizeof(r.status), "%s", c->status);
		snprintf(r.diagnostic, sizeof(r.diagnostic), "%s", c->diag);
		if (c->cmd != NULL)
			snprintf(r.smtp_command, sizeof(r.smtp_command), "%s", c->cmd);
		classify_rcpt(&r);
		print_message("%s: %s %s by %s\n", c->label, bm_class_name(r.cls),
		              reason_name(r.reason), evidence_rule(&r));
		assert_string_equal(evidence_rule(&r), c->want_rule);
		assert_int_equal(r.cls, c->want_class);
		if (c->want_reason != BM_REASON_COUNT)
			assert_int_equal(r.reason, c->want_reason);
	}
}

/* A hard verdict met by a notice that names another cause is undone. */
static void test_notice_evidence(void **state)
{
	static const char notice[] = "Your message was rejected: Not enough disk space";
	struct bounce_rcpt r;
	uint64_t groups;
	char text[2048];

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(r.action, sizeof(r.action), "failed");
	snprintf(r.status, sizeof(r.status), "5.1.1");
	snprintf(r.diagnostic, sizeof(r.diagnostic), "550 5.1.1 <a@example.org>... User Unknown");
	classify_rcpt(&r);
	assert_int_equal(r.cls, BM_CLASS_HARD);
	(void)reason_scan(notice, sizeof(notice) - 1, NULL, &groups);
	classify_reconsider(&r, groups);
	assert_int_not_equal(r.cls, BM_CLASS_HARD);
	assert_string_equal(evidence_rule(&r), "other-cause-wins");
	assert_true(evidence_explain(&r, text, sizeof(text)) < sizeof(text));
	assert_non_null(strstr(text, "notice phrase"));
	/* a cut buffer stays a string */
	assert_true(evidence_explain(&r, text, 8) > 8);
	assert_int_equal(strlen(text), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_row),
		cmocka_unit_test(test_hard_needs_evidence),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_notice_evidence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
