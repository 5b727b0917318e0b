/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * opensmtpd.c - bounces and delay warnings written by OpenSMTPD's bounce
 * agent when it sends them as plain text.
 *
 *       Hi!
 *
 *       This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
 *
 *       An error has occurred while attempting to deliver a message for
 *       the following list of recipients:
 *
 *   kijitora@example.jp: 550 5.1.1 <kijitora@example.jp>: User unknown
 *
 *       Below is a copy of the original message:
 *
 * One "address: error" line per recipient.  The delay warning ("A message
 * is delayed for more than ... for the following list of recipients")
 * gives action delayed.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const osmtpd_banner[] = {
	"This is the MAILER-DAEMON, please DO NOT REPLY to this",
	NULL
};

static const char *const osmtpd_starts[] = {
	"list of recipients:",
	NULL
};

static const char *const osmtpd_delay[] = {
	"A message is delayed for more than",
	NULL
};

static const char *const osmtpd_ends[] = {
	"Below is a copy of the original",
	"Please note that this is only a temporary failure report",
	NULL
};

/* OpenSMTPD's own wording (mta.c, lka, queue). */
static const struct common_phrase osmtpd_reasons[] = {
	{ "Domain does not exist", BM_REASON_HOSTUNKNOWN },
	{ "No MX found for domain", BM_REASON_HOSTUNKNOWN },
	{ "Network error on destination MXs", BM_REASON_NETWORKERROR },
	{ "Envelope expired", BM_REASON_EXPIRED },
	{ "Loop detected", BM_REASON_CONTENTERROR },
	{ NULL, BM_REASON_UNDEFINED }
};

static int
osmtpd_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, pos = 0, added = 0;
	const char *sec, *action, *line;
	size_t line_len;

	if (ctx->text == NULL || ctx->text_len == 0 ||
	    !ctx->an->daemon ||
	    !analysis_has(ctx->an, ANALYSIS_TEXT, osmtpd_banner))
		return 0;
	if (!common_find_any(ctx->text, ctx->text_len, osmtpd_starts, &start,
	                     &end))
		return 0;
	action = text_find_any(ctx->text, end, osmtpd_delay) ? "delayed" :
	         "failed";
	sec = ctx->text + end;
	stop = common_until_line(sec, ctx->text_len - end, osmtpd_ends);

	while (text_next_line(sec, stop, &pos, &line, &line_len)) {
		char addr[BM_ADDR_MAX];
		const char *rest;
		size_t rest_len;
		struct bounce_rcpt *r;

		text_trim(&line, &line_len);
		if (line_len == 0 || memchr(line, '@', line_len) == NULL)
			continue;
		if (common_head_addr(line, line_len, addr, sizeof(addr), &rest,
		                     &rest_len) != 0)
			continue;
		r = common_rcpt(res, ctx->lim, addr, strlen(addr));
		if (r == NULL)
			continue;
		common_fill(r, rest, rest_len, action);
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = common_reason(osmtpd_reasons,
			                               r->diagnostic,
			                               strlen(r->diagnostic));
		added++;
	}
	return added > 0;
}

const struct recog recog_opensmtpd = {
	.name = "opensmtpd",
	.match = osmtpd_match,
	.enrich = NULL,
};
