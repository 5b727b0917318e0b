/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * apachejames.c - bounces written by the Apache James server's bounce
 * and notify mailets.
 *
 *   Error message below:
 *   550 - Requested action not taken: no such user here
 *
 *   Message details:
 *     Subject: Test message
 *     MAIL FROM: sender@example.org
 *     RCPT TO: kijitora@example.net
 *
 * The diagnostic is the text under "Error message below:"; the recipients
 * are the "RCPT TO:" entries of the message details (one per line, or
 * separated by commas).
 */
#include "config.h"

#include <string.h>

#include "classify/analysis.h"
#include "classify/recog.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const james_error[] = {
	"Error message below:",
	NULL
};

static const char *const james_details[] = {
	"Message details:",
	NULL
};

static int
james_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t es, ee, ds, de, pos, added = 0, line_len;
	const char *line;
	char diag[BM_DIAG_MAX];

	if (ctx->text == NULL || ctx->text_len == 0 ||
	    !ctx->an->daemon)
		return 0;
	if (!common_find_any(ctx->text, ctx->text_len, james_error, &es, &ee) ||
	    !common_find_any(ctx->text + ee, ctx->text_len - ee, james_details,
	                     &ds, &de))
		return 0;
	common_join(ctx->text + ee, ds, NULL, diag, sizeof(diag));
	/* the details: from the line after "Message details:" to a blank */
	pos = ee + de;
	(void)text_next_line(ctx->text, ctx->text_len, &pos, &line, &line_len);
	while (text_next_line(ctx->text, ctx->text_len, &pos, &line,
	                      &line_len)) {
		size_t i = 0;

		text_trim(&line, &line_len);
		if (line_len == 0)
			break;
		if (!text_starts(line, line_len, "RCPT TO:"))
			continue;
		line += 8;
		line_len -= 8;
		while (i < line_len) {
			size_t j = i;
			struct bounce_rcpt *r;

			while (j < line_len && line[j] != ',')
				j++;
			r = common_rcpt(res, ctx->lim, line + i, j - i);
			if (r != NULL) {
				common_fill(r, diag, strlen(diag), "failed");
				added++;
			}
			i = j + 1;
		}
	}
	return added > 0;
}

const struct recog recog_apachejames = {
	.name = "apachejames",
	.match = james_match,
	.enrich = NULL,
};
