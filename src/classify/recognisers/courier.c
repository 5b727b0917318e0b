/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * courier.c - the human-readable part of Courier MTA notifications, read
 * when the message carries no usable delivery-status part.
 *
 *   This is a delivery status notification from mx.example.org,
 *   running the Courier mail server, version 0.65.2.
 *   ...
 *   Your message to the following recipients cannot be delivered:
 *
 *   <kijitora@example.jp>:
 *       mx.example.jp [192.0.2.3]:
 *   >>> RCPT TO:<kijitora@example.jp>
 *   <<< 550 5.1.1 <kijitora@example.jp>... User Unknown
 *
 * Each "<address>:" line opens a paragraph: the remote host, the command
 * sent (">>>") and the reply received ("<<<"), which is the diagnostic.
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const courier_banner[] = {
	"running the Courier mail server",
	NULL
};

static const char *const courier_starts[] = {
	"the following recipients cannot be delivered:",
	NULL
};

static const char *const courier_ends[] = {
	"-----------------------------------",
	"If your message was also sent to additional recipients",
	NULL
};

/* The paragraph without the command lines: host line and replies. */
static const char *const courier_skip[] = {
	">>> ", NULL
};

static void
courier_remote(const char *body, size_t len, char *out, size_t outsz)
{
	const char *line;
	size_t pos = 0, line_len, n = 0;

	if (!text_next_line(body, len, &pos, &line, &line_len))
		return;
	text_trim(&line, &line_len);
	/* "mx.example.org [192.0.2.3]:" */
	if (line_len < 3 || line[line_len - 1] != ':' ||
	    line[line_len - 2] != ']')
		return;
	while (n < line_len && line[n] != ' ' && line[n] != '[')
		n++;
	if (n > 0 && n < outsz && memchr(line, '.', n) != NULL)
		text_lower_copy(line, n, out, outsz);
}

static int
courier_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, pos = 0, added = 0;
	const char *sec;
	struct common_block b;

	if (ctx->text == NULL || ctx->text_len == 0 ||
	    !ctx->an->daemon ||
	    !analysis_has(ctx->an, ANALYSIS_TEXT, courier_banner))
		return 0;
	if (!common_find_any(ctx->text, ctx->text_len, courier_starts, &start,
	                     &end))
		return 0;
	sec = ctx->text + end;
	stop = common_until_line(sec, ctx->text_len - end, courier_ends);

	while (common_next_angle(sec, stop, &pos, &b)) {
		char addr[BM_ADDR_MAX], diag[BM_DIAG_MAX];
		struct bounce_rcpt *r;

		if (common_head_addr(b.head, b.head_len, addr, sizeof(addr),
		                     NULL, NULL) != 0)
			continue;
		common_join(b.body, b.body_len, courier_skip, diag, sizeof(diag));
		r = common_rcpt(res, ctx->lim, addr, strlen(addr));
		if (r == NULL)
			continue;
		courier_remote(b.body, b.body_len, r->remote_mta,
		               sizeof(r->remote_mta));
		common_fill(r, diag, strlen(diag), "failed");
		added++;
	}
	return added > 0;
}

const struct recog recog_courier = {
	.name = "courier",
	.match = courier_match,
	.enrich = NULL,
};
