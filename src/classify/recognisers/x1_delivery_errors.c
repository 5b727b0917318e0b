/*
 * x1.c - notices of an unnamed MTA (Sisimai's X1), a list of addresses with
 * the error in brackets:
 *
 *   ---The following addresses had delivery errors---
 *   kijitora@example.org [User unknown]
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const x1_banner[] = {
	"---The following addresses had delivery errors---",
	NULL
};

static const char *const x1_starts[] = {
	"---The following addresses had delivery errors---",
	NULL
};

static const struct notice_spec x1_spec = {
	.banner = x1_banner,
	.starts = x1_starts,
	.shape = NOTICE_LINES,
	.flags = NOTICE_BLANK_ENDS,
};

static int
x1_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &x1_spec);
}

const struct recog recog_x1 = {
	.name = "x1",
	.match = x1_match,
	.enrich = NULL,
};
