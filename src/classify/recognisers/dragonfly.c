/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dragonfly.c - bounces written by the DragonFly Mail Agent (dma), the
 * small MTA of DragonFly BSD, also packaged on Debian and others.
 *
 *   This is the DragonFly Mail Agent v0.13 at df.example.jp.
 *
 *   There was an error delivering your mail to <kijitora@example.org>.
 *
 *   mx.example.org [192.0.2.25] did not like our RCPT TO:
 *   550 5.1.1 <kijitora@example.org>: Recipient address rejected: ...
 *
 *   Message headers follow.
 *
 * dma writes one bounce per recipient; the error runs from the line after
 * the recipient to "Message headers follow." (or "Original message
 * follows.").  "HOST [IP] did not like our ..." names the remote MTA.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const dma_banner[] = {
	"This is the DragonFly Mail Agent",
	NULL
};

static const char *const dma_starts[] = {
	"There was an error delivering your mail to",
	NULL
};

static const char *const dma_ends[] = {
	"Message headers follow.",
	"Original message follows.",
	NULL
};

/* dma's own wording (dns.c, net.c, dma.c). */
static const struct common_phrase dma_reasons[] = {
	{ "DNS lookup failure: host", BM_REASON_HOSTUNKNOWN },
	{ "Could not deliver for the last", BM_REASON_EXPIRED },
	{ NULL, BM_REASON_UNDEFINED }
};

/* "mx.example.org [192.0.2.25] did not like our RCPT TO:" */
static void
dma_remote(const char *diag, char *out, size_t outsz)
{
	size_t n = 0, len = strlen(diag);

	if (text_find(diag, len, " did not like our ") == NULL)
		return;
	while (n < len && diag[n] != ' ')
		n++;
	if (n == 0 || n >= outsz || memchr(diag, '.', n) == NULL)
		return;
	text_lower_copy(diag, n, out, outsz);
}

static int
dma_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, eol, rest_len;
	const char *rest, *sec;
	char addr[BM_ADDR_MAX], diag[BM_DIAG_MAX];
	struct bounce_rcpt *r;

	if (ctx->text == NULL || ctx->text_len == 0)
		return 0;
	if (!ctx->an->daemon ||
	    !analysis_has(ctx->an, ANALYSIS_TEXT, dma_banner))
		return 0;
	if (!common_find_any(ctx->text, ctx->text_len, dma_starts, &start,
	                     &end))
		return 0;
	/* the recipient sits on the rest of the line: "<a@b>." */
	eol = end;
	while (eol < ctx->text_len && ctx->text[eol] != '\n')
		eol++;
	rest = ctx->text + end;
	rest_len = eol - end;
	text_trim(&rest, &rest_len);
	while (rest_len > 0 && rest[rest_len - 1] == '.')
		rest_len--;
	if (common_head_addr(rest, rest_len, addr, sizeof(addr), NULL,
	                     NULL) != 0)
		return 0;
	sec = ctx->text + eol;
	stop = common_until_line(sec, ctx->text_len - eol, dma_ends);
	common_join(sec, stop, NULL, diag, sizeof(diag));
	r = common_rcpt(res, ctx->lim, addr, strlen(addr));
	if (r == NULL)
		return res->nrcpt > 0;
	common_fill(r, diag, strlen(diag), "failed");
	if (r->remote_mta[0] == '\0')
		dma_remote(r->diagnostic, r->remote_mta, sizeof(r->remote_mta));
	if (r->reason_hint == BM_REASON_UNDEFINED)
		r->reason_hint = common_reason(dma_reasons, r->diagnostic,
		                               strlen(r->diagnostic));
	return 1;
}

const struct recog recog_dragonfly = {
	.name = "dragonfly",
	.match = dma_match,
	.enrich = NULL,
};
