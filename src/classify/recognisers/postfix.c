/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * postfix.c - Postfix notices that carry no usable delivery-status part:
 * old plain-text bounces, bounces quoted inside a provider's notice, and
 * the "Postfix SMTP server: errors from ..." transcript sent to the
 * postmaster.
 *
 *   This is the mail system at host mx.example.org.
 *   ...
 *   <kijitora@example.jp>: host mx.example.jp[192.0.2.22] said: 550 5.1.1
 *       <kijitora@example.jp>: Recipient address rejected: User unknown
 *
 *   <a@example.jp> (expanded from <b@example.org>): delivery temporarily
 *       suspended: connect to mx.example.jp[192.0.2.1]: Connection refused
 *
 * A recipient line starts with "<address>" and is followed either by ":"
 * or by "(expanded from <alias>):"; indented lines continue it.  In the
 * SMTP server transcript the recipient is the "RCPT TO:<...>" the client
 * sent and the error the first 4xx/5xx "Out:" reply after it.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const pf_banner[] = {
	"This is the mail system at host",
	"This is the Postfix program at host",
	NULL
};

/* Postfix's own wording (smtp, local, virtual, error agents). */
static const struct common_phrase pf_reasons[] = {
	{ "Host or domain name not found", BM_REASON_HOSTUNKNOWN },
	{ "unknown user:", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

/* Where a recipient's error starts, after "<address>". */
static const char *const pf_after_addr[] = {
	">:", "):", NULL
};

/* "<a@b>: ..." or "<a@b> (expanded from" at the start of a line. */
static bool
pf_is_head(const char *line, size_t len)
{
	size_t end = common_angle_end(line, len);

	if (end == 0 || end >= len)
		return false;
	return line[end] == ':' ||
	       text_starts(line + end, len - end, " (expanded from");
}

static size_t
pf_blocks(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t pos = 0, added = 0;
	const char *s = ctx->text, *line;
	size_t len = ctx->text_len, line_len;

	while (text_next_line(s, len, &pos, &line, &line_len)) {
		char joined[BM_DIAG_MAX + BM_ADDR_MAX], addr[BM_ADDR_MAX];
		size_t start = (size_t)(line - s), end = pos, peek = pos;
		size_t a, b, n;
		const char *next;
		size_t next_len;
		struct bounce_rcpt *r;

		if (!pf_is_head(line, line_len))
			continue;
		/* continuation lines are indented */
		while (text_next_line(s, len, &peek, &next, &next_len)) {
			if (next_len == 0 || (next[0] != ' ' && next[0] != '\t'))
				break;
			end = peek;
		}
		pos = end;
		n = common_join(s + start, end - start, NULL, joined,
		                sizeof(joined));
		if (common_head_addr(joined, n, addr, sizeof(addr), NULL,
		                     NULL) != 0)
			continue;
		if (!common_find_any(joined, n, pf_after_addr, &a, &b))
			continue;
		r = common_rcpt(res, ctx->lim, addr, strlen(addr));
		if (r == NULL)
			continue;
		common_fill(r, joined + b, n - b, "failed");
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = common_reason(pf_reasons, r->diagnostic,
			                               strlen(r->diagnostic));
		added++;
	}
	return added;
}

/* "Postfix SMTP server: errors from ..." : In:/Out: transcript.  A record
 * is made when a 4xx/5xx reply follows a "RCPT TO:<...>" the client sent. */
static size_t
pf_transcript(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t pos = 0, added = 0, rcpt_len = 0;
	const char *line, *rcpt = NULL;
	size_t line_len;

	while (text_next_line(ctx->text, ctx->text_len, &pos, &line,
	                      &line_len)) {
		const char *p, *v;
		size_t vlen;
		struct bounce_rcpt *r;

		text_trim(&line, &line_len);
		if (text_starts(line, line_len, "In:") &&
		    (p = text_find(line, line_len, "RCPT TO:")) != NULL) {
			size_t at = (size_t)(p - line) + strlen("RCPT TO:");
			const char *gt = memchr(line + at, '>', line_len - at);

			rcpt = line + at;
			rcpt_len = gt ? (size_t)(gt - rcpt) + 1 : 0;
			continue;
		}
		if (rcpt_len == 0 || !text_starts(line, line_len, "Out:"))
			continue;
		v = line + 4;
		vlen = line_len - 4;
		text_trim(&v, &vlen);
		if (vlen < 4 || (v[0] != '4' && v[0] != '5'))
			continue;
		r = common_rcpt(res, ctx->lim, rcpt, rcpt_len);
		rcpt_len = 0;
		if (r == NULL)
			continue;
		/* a 4xx refusal: the client retries; the notice cannot say
		 * whether it later succeeded, so no action is claimed */
		common_fill(r, v, vlen, v[0] == '5' ? "failed" : NULL);
		added++;
	}
	return added;
}

static int
pf_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	if (ctx->text == NULL || ctx->text_len == 0 ||
	    !ctx->an->daemon)
		return 0;
	if (text_starts(ctx->subject, strlen(ctx->subject),
	                "Postfix SMTP server: errors from") &&
	    text_find(ctx->text, ctx->text_len, "Transcript of session follows")
	    != NULL)
		return pf_transcript(ctx, res) > 0;
	if (!analysis_has(ctx->an, ANALYSIS_TEXT, pf_banner))
		return 0;
	if (pf_blocks(ctx, res) == 0)
		return 0;
	(void)common_dsn_text(ctx, res);
	return 1;
}

const struct recog recog_postfix = {
	.name = "postfix",
	.match = pf_match,
	.enrich = NULL,
};
