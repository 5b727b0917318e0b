/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * classify.c - one recipient record -> status, reason and class.
 *
 * Order of evidence: the status code from the record (a generic X.0.0, or
 * one the remote server's own reply contradicts, yields to the code in the
 * diagnostic); the reason from the recogniser's hint, then from the
 * diagnostic text, then from the code.  A precise code (X.1.1, X.2.2, ...)
 * is trusted unless the text names one of the few reasons that override
 * it; a weak phrase never outranks a code.  Then, unless a recogniser
 * gave a hint: a remote host's own wording (classify_rhost_rules[], by
 * recipient domain or remote MTA) decides; else the SMTP command the
 * failure answered (the record's smtp_command, else the diagnostic's
 * wording; smtpcmd.h) rewrites an unknown-user reason through
 * classify_cmd_rules[] (at RCPT it stands, after DATA or with no command
 * and no X.1.x code it is a filter, at MAIL a sender refusal), and a few
 * code-specific rules refine it; a delay notice reports "expired" unless
 * the mailbox is the cause.  The class follows from the reason and the class digit of the
 * code through classify_policy[], a table.  When no code is found
 * anywhere, one is inferred from the reason (status_inferred).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <threads.h>

#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/classify.h"
#include "classify/reason.h"
#include "classify/rhost.h"
#include "classify/rules.h"
#include "classify/smtpcmd.h"
#include "classify/status.h"
#include "util/text.h"

static bool code_key(const char *status, char *key, size_t keysz);

/* ------------------------------------------------------------ class names */

static const char *const class_names[BM_CLASS_COUNT] = {
	[BM_CLASS_NONE] = "none",
	[BM_CLASS_AUTO_REPLY] = "auto-reply",
	[BM_CLASS_FEEDBACK] = "feedback",
	[BM_CLASS_UNDETERMINED] = "undetermined",
	[BM_CLASS_SOFT] = "soft",
	[BM_CLASS_BLOCK] = "block",
	[BM_CLASS_HARD] = "hard",
};

const char *bm_class_name(enum bm_class cls)
{
	if ((int)cls < 0 || cls >= BM_CLASS_COUNT)
		return "none";
	return class_names[cls];
}

int bm_class_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < BM_CLASS_COUNT; i++)
		if (strcasecmp(class_names[i], name) == 0)
			return i;
	return -1;
}

bool bm_class_is_failure(enum bm_class cls)
{
	return cls == BM_CLASS_HARD || cls == BM_CLASS_BLOCK ||
	       cls == BM_CLASS_SOFT || cls == BM_CLASS_UNDETERMINED;
}

enum bm_class bm_class_worse(enum bm_class a, enum bm_class b)
{
	/* the enum is declared in the order of severity */
	if ((int)a < 0 || a >= BM_CLASS_COUNT)
		a = BM_CLASS_NONE;
	if ((int)b < 0 || b >= BM_CLASS_COUNT)
		b = BM_CLASS_NONE;
	return a > b ? a : b;
}

/* ------------------------------------------------------------ policy table */

struct classify_policy {
	enum bm_reason reason;
	enum bm_class permanent;   /* class when the failure is 5.x.x */
	enum bm_class transient;   /* class when it is 4.x.x or delayed */
	const char *code;          /* "X.s.d" inferred when no code is found */
};

static const struct classify_policy classify_policy[] = {
	{ BM_REASON_UNDEFINED, BM_CLASS_UNDETERMINED, BM_CLASS_SOFT, NULL },
	{ BM_REASON_USERUNKNOWN, BM_CLASS_HARD, BM_CLASS_SOFT, "X.1.1" },
	{ BM_REASON_HOSTUNKNOWN, BM_CLASS_HARD, BM_CLASS_SOFT, "X.1.2" },
	{ BM_REASON_HASMOVED, BM_CLASS_HARD, BM_CLASS_SOFT, "X.1.6" },
	{ BM_REASON_NOTACCEPT, BM_CLASS_HARD, BM_CLASS_SOFT, "X.3.2" },
	{ BM_REASON_MAILBOXFULL, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.2.2" },
	{ BM_REASON_SUSPEND, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.2.1" },
	{ BM_REASON_EXCEEDLIMIT, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.2.3" },
	{ BM_REASON_MESGTOOBIG, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.3.4" },
	{ BM_REASON_SYSTEMERROR, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.3.0" },
	{ BM_REASON_SYSTEMFULL, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.3.1" },
	{ BM_REASON_NETWORKERROR, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.4.0" },
	{ BM_REASON_EXPIRED, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.4.7" },
	{ BM_REASON_TOOMANYCONN, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.4.5" },
	{ BM_REASON_RATELIMITED, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.7.28" },
	{ BM_REASON_SPEEDING, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.7.28" },
	{ BM_REASON_BLOCKED, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_SPAMDETECTED, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_VIRUSDETECTED, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_POLICYVIOLATION, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_SECURITYERROR, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.0" },
	{ BM_REASON_AUTHFAILURE, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.26" },
	{ BM_REASON_BADREPUTATION, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_REQUIREPTR, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.25" },
	{ BM_REASON_REJECTED, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_NORELAYING, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_FILTERED, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.1" },
	{ BM_REASON_CONTENTERROR, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.6.0" },
	{ BM_REASON_SYNTAXERROR, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.5.2" },
	{ BM_REASON_MAILERERROR, BM_CLASS_SOFT, BM_CLASS_SOFT, "X.3.0" },
	{ BM_REASON_NOTCOMPLIANTRFC, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.6.0" },
	{ BM_REASON_FAILEDSTARTTLS, BM_CLASS_BLOCK, BM_CLASS_SOFT, "X.7.10" },
	{ BM_REASON_SUPPRESSED, BM_CLASS_BLOCK, BM_CLASS_SOFT, NULL },
	{ BM_REASON_ONHOLD, BM_CLASS_SOFT, BM_CLASS_SOFT, NULL },
	{ BM_REASON_DELIVERED, BM_CLASS_NONE, BM_CLASS_NONE, NULL },
	{ BM_REASON_VACATION, BM_CLASS_AUTO_REPLY, BM_CLASS_AUTO_REPLY, NULL },
	{ BM_REASON_FEEDBACK, BM_CLASS_FEEDBACK, BM_CLASS_FEEDBACK, NULL },
};

#define CLASSIFY_NPOLICY (sizeof(classify_policy) / sizeof(classify_policy[0]))

static const struct classify_policy *policy_for(enum bm_reason r)
{
	size_t k;

	for (k = 0; k < CLASSIFY_NPOLICY; k++)
		if (classify_policy[k].reason == r)
			return &classify_policy[k];
	return &classify_policy[0];
}

/* Codes precise enough that the reason they imply is trusted over the
 * text, unless the text names one of the reasons in code_overrides[]. */
static const char *const precise_codes[] = {
	"X.1.1", "X.1.2", "X.1.6", "X.1.7", "X.1.8", "X.2.2", "X.2.3", "X.3.4",
	"X.4.4", "X.4.7", "X.7.13", "X.7.20", "X.7.21", "X.7.22", "X.7.23",
	"X.7.24", "X.7.25", "X.7.26", "X.7.27", "X.7.29", "X.7.30",
};

/* Reasons the text may name to override even a precise code. */
static const enum bm_reason code_overrides[] = {
	BM_REASON_MAILBOXFULL, BM_REASON_SUSPEND, BM_REASON_HASMOVED,
	BM_REASON_FILTERED, BM_REASON_MAILERERROR, BM_REASON_SPEEDING,
	BM_REASON_TOOMANYCONN,
};

/* Reason rewrites by the SMTP command the failure answered (smtpcmd.h:
 * from the record's smtp_command, else from the wording of the diagnostic):
 * an "unknown user" at DATA is a content filter (the recipient was accepted
 * at RCPT); an address refusal at MAIL FROM is about the sender, before
 * MAIL (greeting, HELO) about the sending host.  At RCPT an unknown-user
 * text keeps its reason. */
/* Codes of addressing status (X.1.x): they say the address is the
 * problem, whatever step refused it. */
static const char *const codes_address[] = { "X.1.", NULL };

static const struct {
	enum smtpcmd cmd;
	enum bm_reason from, to;
	const char *const *codes;  /* only with these codes; NULL: any */
	const char *const *unless; /* never with these codes; NULL: none */
	bool permanent;            /* only for a permanent (5.x.x) failure */
} classify_cmd_rules[] = {
	{ SMTPCMD_DATA, BM_REASON_USERUNKNOWN, BM_REASON_FILTERED, NULL, codes_address, false },
	{ SMTPCMD_MAIL, BM_REASON_USERUNKNOWN, BM_REASON_REJECTED, NULL, NULL, false },
	{ SMTPCMD_MAIL, BM_REASON_HOSTUNKNOWN, BM_REASON_REJECTED, NULL, NULL, false },
	{ SMTPCMD_HELO, BM_REASON_USERUNKNOWN, BM_REASON_BLOCKED, NULL, NULL, false },
	{ SMTPCMD_HELO, BM_REASON_HOSTUNKNOWN, BM_REASON_BLOCKED, NULL, NULL, false },
	{ SMTPCMD_CONN, BM_REASON_USERUNKNOWN, BM_REASON_BLOCKED, NULL, NULL, false },
	/* a refusal of no stated cause: at MAIL the sender was refused,
	 * before it the sending host */
	{ SMTPCMD_MAIL, BM_REASON_UNDEFINED, BM_REASON_REJECTED, NULL, NULL, true },
	{ SMTPCMD_HELO, BM_REASON_UNDEFINED, BM_REASON_BLOCKED, NULL, NULL, true },
	{ SMTPCMD_CONN, BM_REASON_UNDEFINED, BM_REASON_BLOCKED, NULL, NULL, true },
	/* Sisimai's rule: an "unknown user" text with no code that names the
	 * address (X.1.x) and no sign that RCPT was refused came at or after
	 * DATA, from a filter (Japanese carriers answer so for blocked
	 * senders); a transient answer is left as it is */
	{ SMTPCMD_NONE, BM_REASON_USERUNKNOWN, BM_REASON_FILTERED, NULL, codes_address, true },
};

/* key ("X.s.d") is in the list; an entry ending in '.' ("X.1.") stands
 * for every code of that subject. */
static bool code_listed(const char *key, const char *const *codes)
{
	for (; *codes != NULL; codes++) {
		size_t n = strlen(*codes);

		if (n > 0 && (*codes)[n - 1] == '.' ? strncmp(*codes, key, n) == 0 :
		    strcmp(*codes, key) == 0)
			return true;
	}
	return false;
}

/* A text reason that a particular code turns into another: an "unknown
 * user" answer that the reporting MTA filed under mailbox status X.2.0
 * (not addressing, X.1.x) came after DATA, from a content filter. */
static const struct {
	const char *code;
	enum bm_reason from, to;
} classify_code_rules[] = {
	{ "X.2.0", BM_REASON_USERUNKNOWN, BM_REASON_FILTERED },
};

/* Reasons that a transient (4.x.x) code turns into another. */
static const struct {
	enum bm_reason from, to;
} classify_transient_rules[] = {
	{ BM_REASON_HOSTUNKNOWN, BM_REASON_NETWORKERROR },
};

/* The command of a record: its smtp_command, else what its diagnostic
 * says (read once for the record, analysis.h). */
static enum smtpcmd command_of(struct bounce_rcpt *r)
{
	enum smtpcmd c = smtpcmd_from_name(r->smtp_command);

	if (c != SMTPCMD_NONE)
		return c;
	return analysis_diag_command(r);
}

/* Local delivery agents: their "unknown user" is the mailbox store's own
 * answer, not a remote server's at some SMTP step, so no command rule
 * applies to it. */
static const char *const local_agents[] = {
	"mail.local:", "procmail:", "maildrop:", "dovecot-lda:", "local delivery",
};

static bool names_local_agent(const char *diag)
{
	size_t k, dlen = strlen(diag);

	for (k = 0; k < sizeof(local_agents) / sizeof(local_agents[0]); k++)
		if (text_find(diag, dlen, local_agents[k]) != NULL)
			return true;
	return false;
}

static enum bm_reason apply_command(enum bm_reason r, enum smtpcmd cmd,
                                    const char *status, char digit)
{
	char key[BM_STATUS_MAX + 2];
	size_t k;

	if (!code_key(status, key, sizeof(key)))
		key[0] = '\0';
	for (k = 0; k < sizeof(classify_cmd_rules) / sizeof(classify_cmd_rules[0]); k++)
		if (classify_cmd_rules[k].cmd == cmd && classify_cmd_rules[k].from == r &&
		    (classify_cmd_rules[k].codes == NULL ||
		     code_listed(key, classify_cmd_rules[k].codes)) &&
		    (classify_cmd_rules[k].unless == NULL ||
		     !code_listed(key, classify_cmd_rules[k].unless)) &&
		    (!classify_cmd_rules[k].permanent || digit == '5'))
			return classify_cmd_rules[k].to;
	return r;
}

static enum bm_reason apply_transient(enum bm_reason r)
{
	size_t k;

	for (k = 0; k < sizeof(classify_transient_rules) / sizeof(classify_transient_rules[0]); k++)
		if (classify_transient_rules[k].from == r)
			return classify_transient_rules[k].to;
	return r;
}

/* Transient codes that still mark the address dead when the reporting MTA
 * gave up on them (action failed): "450 4.1.1 ... User unknown" is a
 * mailbox that does not exist, answered with a temporary code.  Any other
 * 4.x.x failure is soft, whatever the text says. */
static const char *const transient_hard_codes[] = { "X.1.1" };

static bool code_in(const char *status, const char *const *set, size_t n)
{
	char key[BM_STATUS_MAX + 2];
	size_t k;

	if (!code_key(status, key, sizeof(key)))
		return false;
	for (k = 0; k < n; k++)
		if (strcmp(set[k], key) == 0)
			return true;
	return false;
}

/* Reasons a delay notice keeps; any other becomes "expired". */
static const enum bm_reason delayed_keep[] = {
	BM_REASON_MAILBOXFULL, BM_REASON_MAILERERROR, BM_REASON_SYSTEMFULL,
	BM_REASON_MESGTOOBIG, BM_REASON_EXCEEDLIMIT, BM_REASON_SUSPEND,
};

static bool reason_in(enum bm_reason r, const enum bm_reason *set, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (set[k] == r)
			return true;
	return false;
}

/* Hint reasons that are not failures. */
static bool reason_is_nonfailure(enum bm_reason r)
{
	return r == BM_REASON_DELIVERED || r == BM_REASON_VACATION ||
	       r == BM_REASON_FEEDBACK;
}

/* "X.s.d" of a full code, into key. */
static bool code_key(const char *status, char *key, size_t keysz)
{
	size_t n;

	if (status == NULL || status[0] == '\0' || status[1] != '.')
		return false;
	n = strlen(status);     /* the key is as long: 'X' replaces the class */
	if (n >= keysz)
		return false;
	key[0] = 'X';
	memcpy(key + 1, status + 1, n);
	return true;
}

static bool code_is_precise(const char *status)
{
	char key[BM_STATUS_MAX + 2];
	size_t k;

	if (!code_key(status, key, sizeof(key)))
		return false;
	for (k = 0; k < sizeof(precise_codes) / sizeof(precise_codes[0]); k++)
		if (strcmp(precise_codes[k], key) == 0)
			return true;
	return false;
}

static bool text_overrides(enum bm_reason r)
{
	size_t k;

	for (k = 0; k < sizeof(code_overrides) / sizeof(code_overrides[0]); k++)
		if (code_overrides[k] == r)
			return true;
	return false;
}

/* s equals the lower-case word w, ignoring case; the first byte is
 * compared inline (w starts with a letter, which only that letter in
 * either case matches once 0x20 is set), as most calls fail there. */
static bool word_is(const char *s, const char *w)
{
	return s != NULL && (unsigned char)(s[0] | 0x20) == (unsigned char)w[0] &&
	       strcasecmp(s, w) == 0;
}

/* Fill status and reply code from the diagnostic where the record has
 * none, and normalise what it has. */
static void fill_status(struct bounce_rcpt *r)
{
	char found[BM_STATUS_MAX], norm[BM_STATUS_MAX], field[BM_STATUS_MAX];
	int reply = 0;
	bool have_found;

	found[0] = '\0';
	have_found = analysis_diag_status(r, found, sizeof(found), &reply);
	r->ev.status_src = r->status[0] != '\0' ? BM_STATUS_SRC_FIELD : BM_STATUS_SRC_NONE;

	if (r->status[0] != '\0') {
		if (status_normalise(r->status, norm, sizeof(norm)))
			memcpy(r->status, norm, strlen(norm) + 1);
		else
			r->status[0] = '\0';
	}
	memcpy(field, r->status, sizeof(field));
	if (r->status[0] == '\0')
		r->ev.status_src = BM_STATUS_SRC_NONE;
	if (r->status[0] == '\0' && have_found && found[0] != '\0') {
		memcpy(r->status, found, strlen(found) + 1);
		r->ev.status_src = BM_STATUS_SRC_DIAGNOSTIC;
	} else if (r->status[0] != '\0' && found[0] != '\0' && reply != 0 &&
	           strcmp(found + 1, ".0.0") != 0 &&
	           (found[0] == r->status[0] || reply / 100 == found[0] - '0')) {
		/* the remote server's own reply ("550 5.7.1 ...") is more
		 * precise than the Status field the reporting MTA made up */
		memcpy(r->status, found, strlen(found) + 1);
		r->ev.status_src = BM_STATUS_SRC_DIAGNOSTIC;
	} else if (r->status[0] != '\0' && found[0] == r->status[0] &&
	           strcmp(r->status + 1, ".0.0") == 0 &&
	           strcmp(found + 1, ".0.0") != 0) {
		/* "Status: 5.0.0" says nothing the diagnostic's code does not */
		memcpy(r->status, found, strlen(found) + 1);
		r->ev.status_src = BM_STATUS_SRC_DIAGNOSTIC;
	}
	/* the same code in the diagnostic and the field: the field's */
	if (r->ev.status_src == BM_STATUS_SRC_DIAGNOSTIC && field[0] != '\0' &&
	    strcmp(field, r->status) == 0)
		r->ev.status_src = BM_STATUS_SRC_FIELD;
	if (!status_replycode_valid(r->replycode))
		r->replycode = 0;
	if (r->replycode == 0 && reply != 0 &&
	    (r->status[0] == '\0' || r->status[0] - '0' == reply / 100))
		r->replycode = reply;
}

/* The class digit this failure has: from the code, the reply code, or the
 * action. */
static char failure_digit(const struct bounce_rcpt *r)
{
	char c = status_class(r->status);

	if (c != 0)
		return c;
	if (r->replycode != 0)
		return (char)('0' + r->replycode / 100);
	if (word_is(r->action, "delayed"))
		return '4';
	return '5';
}

static enum bm_reason pick_reason(struct bounce_rcpt *r)
{
	enum bm_reason by_text, by_code;
	size_t dlen;
	bool weak = false;

	dlen = strnlen(r->diagnostic, sizeof(r->diagnostic));
	r->ev.text = reason_scan(r->diagnostic, dlen, &weak, &r->ev.groups);
	r->ev.code = reason_from_status(r->status);
	if (r->ev.code == BM_REASON_DELIVERED)
		r->ev.code = BM_REASON_UNDEFINED;
	if (r->reason_hint > BM_REASON_UNDEFINED && r->reason_hint < BM_REASON_COUNT)
		return r->reason_hint;
	if (word_is(r->action, "delivered") || word_is(r->action, "relayed") ||
	    word_is(r->action, "expanded") || status_class(r->status) == '2')
		return BM_REASON_DELIVERED;

	by_text = r->ev.text;
	by_code = r->ev.code;

	if (by_text == BM_REASON_UNDEFINED)
		return by_code;
	if (by_code == BM_REASON_UNDEFINED || (weak && by_code == BM_REASON_BLOCKED))
		return by_text;
	if (weak)
		return by_code;
	if (code_is_precise(r->status) && !text_overrides(by_text))
		return by_code;
	return by_text;
}

static enum bm_reason apply_code(enum bm_reason r, const char *status)
{
	char key[BM_STATUS_MAX + 2];
	size_t k;

	if (!code_key(status, key, sizeof(key)))
		return r;
	for (k = 0; k < sizeof(classify_code_rules) / sizeof(classify_code_rules[0]); k++)
		if (classify_code_rules[k].from == r &&
		    strcmp(classify_code_rules[k].code, key) == 0)
			return classify_code_rules[k].to;
	return r;
}

static enum bm_reason refine_reason(struct bounce_rcpt *r, enum bm_reason reason)
{
	enum bm_reason by_host, before;
	enum smtpcmd cmd;
	char digit;

	if (r->reason_hint > BM_REASON_UNDEFINED && r->reason_hint < BM_REASON_COUNT)
		return reason;
	if (rhost_receipt_rule(r, reason, &by_host)) {
		r->ev.step = "Amazon SES inbound: a receipt rule's bounce text, not a directory lookup";
		return by_host;
	}
	if (rhost_reason(r, &by_host)) {
		if (by_host != reason)
			r->ev.step = "remote host's own wording (classify_rhost_rules)";
		return by_host;
	}
	cmd = command_of(r);
	digit = failure_digit(r);
	before = reason;
	/* a localised notice's own "no such user" sentence (phrases_intl_user,
	 * from MTA translations and providers' pages) and no code at all: the
	 * filter rule below weighs an English unknown-user phrase that
	 * filters also write against a code that does not name the address,
	 * and here there is neither */
	if ((cmd != SMTPCMD_NONE || !names_local_agent(r->diagnostic)) &&
	    !(cmd == SMTPCMD_NONE && r->status[0] == '\0' &&
	      (r->replycode == 0 || r->replycode == 550) &&
	      r->ev.groups == reason_group_bit("user-unknown-intl")))
		reason = apply_command(reason, cmd, r->status, digit);
	if (reason != before)
		r->ev.step = cmd == SMTPCMD_NONE ?
		    "unknown-user text, no X.1.x code, no sign of RCPT: after DATA, a filter" :
		    "SMTP command rule (classify_cmd_rules)";
	before = reason;
	reason = apply_code(reason, r->status);
	if (reason != before)
		r->ev.step = "code rule (classify_code_rules)";
	if (digit == '4') {
		before = reason;
		reason = apply_transient(reason);
		if (reason != before)
			r->ev.step = "transient code: a host that cannot be reached yet";
	}
	return reason;
}

static void infer_status(struct bounce_rcpt *r, const struct classify_policy *p,
                         char digit)
{
	char buf[BM_STATUS_MAX];
	size_t n;

	if (p->code == NULL)
		return;
	n = strlen(p->code);    /* digit replaces the 'X' */
	if (n == 0 || n >= sizeof(buf))
		return;
	buf[0] = digit;
	memcpy(buf + 1, p->code + 1, n);
	if (!status_valid(buf))
		return;
	memcpy(r->status, buf, n + 1);
	r->status_inferred = true;
}

/* ------------------------------------------------------------ evidence */

static bool reason_is_dead(enum bm_reason r)
{
	return r == BM_REASON_USERUNKNOWN || r == BM_REASON_HOSTUNKNOWN ||
	       r == BM_REASON_HASMOVED || r == BM_REASON_NOTACCEPT;
}

/* Codes that name a cause other than a dead address precisely (RFC 3463,
 * RFC 5248 registry): mailbox full (X.2.2), size and recipient limits
 * (X.2.3, X.3.4, X.5.3), system full (X.3.1), TLS (X.7.10, X.7.11),
 * policy and size (X.7.15, X.7.16), authentication (X.7.20 to X.7.26,
 * X.7.29, X.7.30) and rate (X.7.28) refusals.  One bit per detail, by
 * subject. */
static const uint32_t other_details[8] = {
	[2] = 1u << 2 | 1u << 3,
	[3] = 1u << 1 | 1u << 4,
	[5] = 1u << 3,
	[7] = 1u << 10 | 1u << 11 | 1u << 15 | 1u << 16 | 1u << 20 | 1u << 21 |
	      1u << 22 | 1u << 23 | 1u << 24 | 1u << 25 | 1u << 26 | 1u << 28 |
	      1u << 29 | 1u << 30,
};

static bool code_names_other(const char *status)
{
	unsigned subject, detail = 0;
	const char *p;

	if (status[0] == '\0' || status[1] != '.' || status[2] < '0' ||
	    status[2] > '7' || status[3] != '.')
		return false;
	subject = (unsigned)(status[2] - '0');
	for (p = status + 4; *p >= '0' && *p <= '9' && detail < 100; p++)
		detail = detail * 10 + (unsigned)(*p - '0');
	return *p == '\0' && p > status + 4 && detail < 32 &&
	       (other_details[subject] & (1u << detail)) != 0;
}

/* The specific groups of address-dead causes and of other causes, as
 * bit sets over the groups (reason.h), made once. */
static uint64_t groups_dead, groups_other;
static once_flag groups_once = ONCE_FLAG_INIT;

static void groups_init(void)
{
	size_t g, n = reason_group_count();

	for (g = 0; g < n && g < 64; g++) {
		if (!reason_group_specific(g))
			continue;
		if (reason_is_dead(reason_group_reason(g)))
			groups_dead |= (uint64_t)1 << g;
		else
			groups_other |= (uint64_t)1 << g;
	}
}

/* The first specific group in set whose cause is not a dead address. */
static enum bm_reason specific_other(uint64_t set)
{
	set &= groups_other;
	if (set == 0)
		return BM_REASON_UNDEFINED;
	return reason_group_reason((size_t)__builtin_ctzll(set));
}

static bool has_specific_dead(uint64_t set)
{
	return (set & groups_dead) != 0;
}

/* Fill the evidence of r (its reason already picked) and reduce it to the
 * facts the decision table reads. */
static void evidence_facts(struct bounce_rcpt *r, struct rules_facts *f)
{
	struct bounce_evidence *ev = &r->ev;

	call_once(&groups_once, groups_init);
	memset(f, 0, sizeof(*f));
	ev->dead = BM_REASON_UNDEFINED;
	ev->dead_by = 0;
	if (reason_is_dead(r->reason)) {
		if (r->reason_hint == r->reason)
			ev->dead_by = 'h';
		else if (reason_is_dead(ev->code) && !r->status_inferred)
			ev->dead_by = 'c';
		else if (has_specific_dead(ev->groups))
			ev->dead_by = 't';
		if (ev->dead_by != 0)
			ev->dead = r->reason;
	}
	ev->other = specific_other(ev->groups);
	ev->other_by = ev->other != BM_REASON_UNDEFINED ? 't' : 0;
	if (ev->other == BM_REASON_UNDEFINED && !r->status_inferred &&
	    code_names_other(r->status)) {
		ev->other = ev->code;
		ev->other_by = 'c';
	}
	if (ev->other == BM_REASON_UNDEFINED) {
		ev->other = specific_other(ev->notice_groups);
		ev->other_by = ev->other != BM_REASON_UNDEFINED ? 'n' : 0;
	}

	if (reason_is_nonfailure(r->reason))
		f->kind = RULES_NONFAILURE;
	else if (ev->delayed)
		f->kind = RULES_DELAYED;
	else if (ev->digit == '4')
		f->kind = RULES_TRANSIENT;
	else
		f->kind = RULES_PERMANENT;
	f->dead = ev->dead != BM_REASON_UNDEFINED;
	f->dead_weak = !f->dead && reason_is_dead(r->reason);
	f->other = ev->other != BM_REASON_UNDEFINED;
	f->code_x11 = code_in(r->status, transient_hard_codes,
	                      sizeof(transient_hard_codes) / sizeof(transient_hard_codes[0]));
	f->known = r->reason != BM_REASON_UNDEFINED;
	f->code_5_7 = strncmp(r->status, "5.7.", 4) == 0;
}

/* Decide r's class by the table; the row is kept in r->ev.rule. */
static void decide(struct bounce_rcpt *r)
{
	struct rules_facts f;
	const struct rules_row *row;

	evidence_facts(r, &f);
	r->ev.rule = (unsigned)rules_decide(&f);
	row = rules_row(r->ev.rule);
	switch (row->verdict) {
	case RULES_FIXED:
		r->cls = row->cls;
		break;
	case RULES_REASON:
		r->cls = policy_for(r->reason)->permanent;
		break;
	case RULES_OTHER:
		r->reason = r->ev.other;
		r->cls = r->ev.digit == '4' ? policy_for(r->reason)->transient :
		         policy_for(r->reason)->permanent;
		break;
	}
}

void classify_reconsider(struct bounce_rcpt *r, uint64_t notice_groups)
{
	if (r == NULL || r->cls != BM_CLASS_HARD)
		return;
	r->ev.notice_groups = notice_groups;
	decide(r);
}

void classify_rcpt(struct bounce_rcpt *r)
{
	const struct classify_policy *p;
	bool delayed;
	char digit;

	if (r == NULL)
		return;
	r->status[sizeof(r->status) - 1] = '\0';
	if (r->diagnostic[sizeof(r->diagnostic) - 1] != '\0') {
		r->diagnostic[sizeof(r->diagnostic) - 1] = '\0';
		analysis_diag_forget(r);
	}
	r->action[sizeof(r->action) - 1] = '\0';
	r->status_inferred = false;
	r->ev.groups = 0;
	r->ev.notice_groups = 0;
	r->ev.step = NULL;

	fill_status(r);
	r->reason = refine_reason(r, pick_reason(r));
	/* "expired" is not an RFC 3464 action, but some MTAs write it */
	delayed = word_is(r->action, "delayed") || word_is(r->action, "expired");

	/* A delayed message has not failed yet: never a dead address, and
	 * unless the text names a lasting condition of the mailbox or the
	 * local mailer, what it reports is that time is running out. */
	if (delayed && !reason_is_nonfailure(r->reason) &&
	    !reason_in(r->reason, delayed_keep, sizeof(delayed_keep) / sizeof(delayed_keep[0])))
		r->reason = BM_REASON_EXPIRED;

	digit = failure_digit(r);
	r->ev.digit = digit == '4' ? '4' : '5';
	r->ev.delayed = delayed;
	decide(r);

	p = policy_for(r->reason);
	if (r->status[0] == '\0' && !reason_is_nonfailure(r->reason))
		infer_status(r, p, word_is(r->action, "delayed") ? '4' : (digit == '2' ? '5' : digit));
	if (r->status[0] == '\0' && r->reason == BM_REASON_DELIVERED) {
		memcpy(r->status, "2.0.0", 6);
		r->status_inferred = true;
	}
	if (r->status_inferred)
		r->ev.status_src = BM_STATUS_SRC_INFERRED;
}
