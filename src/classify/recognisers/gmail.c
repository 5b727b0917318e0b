/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gmail.c - notices of Gmail's mailer daemon (mailer-daemon@googlemail.com).
 *
 *   Delivery to the following recipient failed permanently:
 *
 *        kijitora@example.jp
 *
 *   Technical details of permanent failure:
 *   Google tried to deliver your message, but it was rejected by the
 *   recipient domain. ... The error that the other server returned was:
 *   550 550 5.1.1 <kijitora@example.jp>... User Unknown (state 14).
 *
 * "has been delayed" and "Technical details of temporary failure" mark a
 * delay warning.  Gmail's own texts for giving up (no connection, no
 * DNS answer) state the reason.
 *
 * The current layout puts a title between asterisks, prose, and the
 * remote server's answer; the failed address is in X-Failed-Recipients
 * (its delivery-status part may be empty):
 *
 *   ** Address not found **
 *   Your message wasn't delivered to kijitora@example.jp because the
 *   address couldn't be found, or is unable to receive mail.
 *   The response from the remote server was:
 *   550 5.1.1 <kijitora@example.jp>: Recipient address rejected
 */
#include "config.h"

#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const gmail_from[] = {
	"mailer-daemon@googlemail.com", "mailer-daemon@gmail.com",
	"mailer-daemon@google.com", NULL
};

static const char *const gmail_banner[] = {
	"Delivery to the following recipient failed permanently",
	"Delivery to the following recipients failed permanently",
	"Delivery to the following recipient has been delayed",
	"Delivery to the following recipients has been delayed",
	NULL
};

static const char *const gmail_starts[] = {
	"Delivery to the following recipient", NULL
};

static const char *const gmail_delayed[] = {
	"has been delayed", "Technical details of temporary failure", NULL
};

static const struct common_phrase gmail_reasons[] = {
	{ "The recipient server did not accept our requests to connect",
	  BM_REASON_EXPIRED },
	{ "DNS Error: Could not contact DNS servers", BM_REASON_EXPIRED },
	{ "DNS Error: Domain name not found", BM_REASON_HOSTUNKNOWN },
	{ "DNS Error: DNS server returned answer with no data",
	  BM_REASON_HOSTUNKNOWN },
	{ "Storage quota exceeded", BM_REASON_MAILBOXFULL },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec gmail_spec = {
	.from = gmail_from,
	.banner = gmail_banner,
	.starts = gmail_starts,
	.delayed = gmail_delayed,
	.reasons = gmail_reasons,
	.shape = NOTICE_LINES,
};

static const char *const gmail_titles[] = {
	"** Address not found **", "** Message not delivered **",
	"** Message blocked **", "** Delivery incomplete **",
	"** Message rejected **", NULL
};

static const char *const gmail_response[] = {
	"The response from the remote server was:", "The response was:", NULL
};

static const char *const gmail_retrying[] = {
	"** Delivery incomplete **", NULL
};

static const struct common_phrase gmail_title_reasons[] = {
	{ "** Address not found **", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec gmail_titled_spec = {
	.from = gmail_from,
	.banner = gmail_titles,
	.error = gmail_response,
	.delayed = gmail_retrying,
	.reasons = gmail_title_reasons,
	.shape = NOTICE_HEADER,
	.flags = NOTICE_SECTION_DIAG,
};

static int
gmail_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &gmail_spec) ||
	       notice_match(ctx, res, &gmail_titled_spec);
}

/* Google's own verdict in the prose of a DSN it sends: written when the
 * remote server refused the address itself (at RCPT). */
static const struct common_phrase gmail_verdicts[] = {
	{ "because the address couldn't be found. Check for typos",
	  BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static void
gmail_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	if (res->nrcpt != 1 || res->rcpt[0].reason_hint != BM_REASON_UNDEFINED ||
	    ctx->text == NULL ||
	    !analysis_has(ctx->an, ANALYSIS_FROM, gmail_from))
		return;
	res->rcpt[0].reason_hint = common_reason(gmail_verdicts, ctx->text,
	                                         ctx->text_len);
}

const struct recog recog_gmail = {
	.name = "gmail",
	.match = gmail_match,
	.enrich = gmail_enrich,
};
