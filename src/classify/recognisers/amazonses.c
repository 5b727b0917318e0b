/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amazonses.c - Amazon SES bounce notifications delivered as JSON (an SNS
 * e-mail subscription, from no-reply@sns.amazonaws.com, or the raw
 * notification):
 *
 *   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent",
 *    "bounceSubType":"General","bouncedRecipients":[{"emailAddress":
 *    "kijitora@example.jp","action":"failed","status":"5.1.1",
 *    "diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
 *    "reportingMTA":"dsn; a27-33.smtp-out.us-west-2.amazonses.com"}, ...}
 *
 * Inside an SNS envelope the notification is a JSON string, so its quotes
 * are escaped (\"); values are read either way.  Only "Bounce"
 * notifications are read (complaints are feedback, deliveries no
 * failure).  A bounceSubType that names the cause (Suppressed,
 * MailboxFull, MessageTooLarge) is the reason hint.  SES bounces sent as
 * RFC 3464 reports are read by the DSN parser, not here.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/status.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

#define AMAZONSES_VALUE_MAX 1024

static const char *const amazonses_from[] = {
	"amazonaws.com", "amazonses.com", NULL
};

static const struct common_phrase amazonses_subtypes[] = {
	{ "OnAccountSuppressionList", BM_REASON_SUPPRESSED },
	{ "Suppressed", BM_REASON_SUPPRESSED },
	{ "MailboxFull", BM_REASON_MAILBOXFULL },
	{ "MessageTooLarge", BM_REASON_MESGTOOBIG },
	{ NULL, BM_REASON_UNDEFINED }
};

/* The string value of "key" in s[0..len), escaped quotes or not; copied
 * to out (NUL-terminated, "" when absent).  Returns its length. */
static size_t
amazonses_value(const char *s, size_t len, const char *key, char *out,
                size_t outsz)
{
	const char *p = text_find(s, len, key);
	size_t at, n = 0;

	out[0] = '\0';
	if (p == NULL || outsz == 0)
		return 0;
	at = (size_t)(p - s) + strlen(key);
	/* past the closing quote of the key, the colon and the opening one */
	while (at < len && (s[at] == '\\' || s[at] == '"' || s[at] == ' ' ||
	                    s[at] == ':'))
		at++;
	while (at + n < len && s[at + n] != '"' && s[at + n] != '\n' &&
	       n + 1 < outsz)
		n++;
	if (n > 0 && s[at + n - 1] == '\\')
		n--;
	memcpy(out, s + at, n);
	out[n] = '\0';
	return n;
}

/* One record per object of the bouncedRecipients array. */
static void
amazonses_recipients(const struct recog_ctx *ctx, struct bounce_result *res,
                     const char *arr, size_t len, enum bm_reason hint)
{
	size_t at = 0;

	while (at < len) {
		const char *end = memchr(arr + at, '}', len - at);
		size_t olen = end != NULL ? (size_t)(end - (arr + at)) : len - at;
		const char *obj = arr + at;
		char addr[BM_ADDR_MAX], val[AMAZONSES_VALUE_MAX];
		struct bounce_rcpt *r;

		at += olen + 1;
		if (amazonses_value(obj, olen, "emailAddress", addr,
		                    sizeof(addr)) == 0)
			continue;
		r = common_rcpt(res, ctx->lim, addr, strlen(addr));
		if (r == NULL)
			continue;
		if (amazonses_value(obj, olen, "\"status", val, sizeof(val)) > 0 &&
		    !status_normalise(val, r->status, sizeof(r->status)))
			r->status[0] = '\0';
		amazonses_value(obj, olen, "diagnosticCode", val, sizeof(val));
		/* "smtp; 550 ...": the type prefix is not the error */
		if (text_starts(val, strlen(val), "smtp;"))
			common_fill(r, val + 5, strlen(val + 5), NULL);
		else
			common_fill(r, val, strlen(val), NULL);
		amazonses_value(obj, olen, "\"action", val, sizeof(val));
		common_fill(r, NULL, 0, val[0] != '\0' ? val : "failed");
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = hint;
	}
}

static int
amazonses_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	char type[64], sub[64];
	const char *arr, *close;
	size_t before = res->nrcpt, off;

	if (ctx->text == NULL || ctx->text_len == 0 ||
	    !analysis_has(ctx->an, ANALYSIS_FROM, amazonses_from))
		return 0;
	if (amazonses_value(ctx->text, ctx->text_len, "notificationType", type,
	                    sizeof(type)) == 0 || strcmp(type, "Bounce") != 0)
		return 0;
	arr = text_find(ctx->text, ctx->text_len, "bouncedRecipients");
	if (arr == NULL)
		return 0;
	off = (size_t)(arr - ctx->text);
	close = memchr(arr, ']', ctx->text_len - off);
	amazonses_value(ctx->text, ctx->text_len, "bounceSubType", sub,
	                sizeof(sub));
	amazonses_recipients(ctx, res, arr,
	                     close != NULL ? (size_t)(close - arr) :
	                     ctx->text_len - off,
	                     common_reason(amazonses_subtypes, sub,
	                                   strlen(sub)));
	return res->nrcpt > before;
}

const struct recog recog_amazonses = {
	.name = "amazonses",
	.match = amazonses_match,
	.enrich = NULL,
};
