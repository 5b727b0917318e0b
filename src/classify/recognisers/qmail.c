/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * qmail.c - bounces written by qmail-send and its descendants (netqmail,
 * notqmail, indimail, qmail-ldap, vpopmail deliveries) and by the
 * unnamed MTAs that copy its layout ("Message from example.com.
 * Unable to deliver message to the following address(es).").
 *
 *   Hi. This is the qmail-send program at mx.example.org.
 *   I'm afraid I wasn't able to deliver your message to the following addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   <kijitora@example.jp>:
 *   192.0.2.153 does not like recipient.
 *   Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
 *   Giving up on 192.0.2.153.
 *
 * Each "<address>:" line opens a paragraph that is its error; qmail's own
 * messages carry their code as "(#5.1.1)".  The returned message follows
 * a "--- Below this line is a copy of the message." line.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const qmail_starts[] = {
	"wasn't able to deliver your message to the following addresses",
	"Unable to deliver message to the following address(es)",
	NULL
};

/* The banner line of qmail-send and of the variants. */
static const char *const qmail_banner[] = {
	"This is the qmail-send program at",
	"I'm afraid I wasn't able to deliver your message",
	"Unable to deliver message to the following address(es)",
	NULL
};

static const char *const qmail_ends[] = {
	"--- Below this line is a copy of the message",
	"--- Enclosed is a copy of the message",
	"--- Enclosed are the original headers",
	"--- Original message follows",
	"--- Below this line is the original",
	NULL
};

/* qmail-remote, qmail-local, qmail-ldap and vpopmail wording. */
static const struct common_phrase qmail_reasons[] = {
	{ "Sorry, I couldn't find any host named", BM_REASON_HOSTUNKNOWN },
	{ "Sorry, I couldn't find any host by that name",
	  BM_REASON_HOSTUNKNOWN },
	{ "Sorry, no mailbox here by that name", BM_REASON_USERUNKNOWN },
	{ "Sorry, I wasn't able to establish an SMTP connection",
	  BM_REASON_NETWORKERROR },
	{ "but my name was rejected", BM_REASON_BLOCKED },
	{ "Mailaddress is administratively disabled", BM_REASON_SUSPEND },
	{ "account is locked email bounced", BM_REASON_SUSPEND },
	{ "The message exeeded the maximum size the user accepts",
	  BM_REASON_EXCEEDLIMIT },
	{ "Unable to contact LDAP server", BM_REASON_SYSTEMERROR },
	{ "Temporary failure in LDAP lookup", BM_REASON_SYSTEMERROR },
	{ "Timeout while performing search on LDAP server",
	  BM_REASON_SYSTEMERROR },
	{ "Although I'm listed as a best-preference MX or A for that host",
	  BM_REASON_SYSTEMERROR },
	{ NULL, BM_REASON_UNDEFINED }
};

/* Short words of which every qmail_reasons phrase contains one: a
 * diagnostic without them holds none of the phrases, and these searches
 * say so for less.  Keep in step with qmail_reasons. */
static const char *const qmail_reason_words[] = {
	"Sorry, ", "my name", "administratively", "locked", "exeeded",
	"LDAP", "best-preference", NULL
};

/* Given up after the queue lifetime without any answer from a server. */
static const char *const qmail_expired[] = {
	"this message has been in the queue too long",
	NULL
};

static const char *const qmail_remote_said[] = {
	"said:", "said ", "does not like recipient", NULL
};

static enum bm_reason
qmail_hint(const char *diag)
{
	size_t len = strlen(diag);
	enum bm_reason r = BM_REASON_UNDEFINED;

	if (common_has_any_indexed(diag, len, qmail_reason_words))
		r = common_reason(qmail_reasons, diag, len);

	if (r == BM_REASON_UNDEFINED &&
	    text_find_any(diag, len, qmail_expired) &&
	    !text_find_any(diag, len, qmail_remote_said))
		r = BM_REASON_EXPIRED;
	return r;
}

static int
qmail_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, pos = 0, added = 0;
	const char *sec;
	struct common_block b;

	if (ctx->text == NULL || ctx->text_len == 0)
		return 0;
	if (!ctx->an->daemon ||
	    !analysis_has(ctx->an, ANALYSIS_TEXT, qmail_banner))
		return 0;
	if (!common_find_any(ctx->text, ctx->text_len, qmail_starts, &start,
	                     &end))
		return 0;
	sec = ctx->text + end;
	stop = common_until_line(sec, ctx->text_len - end, qmail_ends);

	while (common_next_angle(sec, stop, &pos, &b)) {
		char addr[BM_ADDR_MAX], diag[BM_DIAG_MAX];
		const char *rest;
		size_t rest_len, n;
		struct bounce_rcpt *r;

		if (common_head_addr(b.head, b.head_len, addr, sizeof(addr),
		                     &rest, &rest_len) != 0)
			continue;
		n = common_join(rest, rest_len, NULL, diag, sizeof(diag));
		if (n > 0 && n + 1 < sizeof(diag))
			diag[n++] = ' ';
		common_join(b.body, b.body_len, NULL, diag + n,
		            sizeof(diag) - n);
		r = common_rcpt(res, ctx->lim, addr, strlen(addr));
		if (r == NULL)
			continue;
		common_fill(r, diag, strlen(diag), "failed");
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = qmail_hint(r->diagnostic);
		added++;
	}
	return added > 0;
}

const struct recog recog_qmail = {
	.name = "qmail",
	.match = qmail_match,
	.enrich = NULL,
};
