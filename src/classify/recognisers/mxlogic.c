/*
 * mxlogic.c - notices of McAfee MXLogic (an Exim derivative that lists the
 * failed address at the margin or indented, with its error on the line):
 *
 *   A message that you have sent could not be delivered to one or more
 *   recipients.  This is a permanent error.  The following address failed:
 *
 *     <kijitora@example.co.jp>: 550 5.1.1 ... User unknown
 *
 *   Included is a copy of the message header:
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const mxlogic_banner[] = {
	"A message that you have sent could not be delivered",
	NULL
};

static const char *const mxlogic_starts[] = {
	"The following address failed:",
	"The following addresses failed:",
	NULL
};

static const char *const mxlogic_ends[] = {
	"Included is a copy of the message",
	NULL
};

static const struct notice_spec mxlogic_spec = {
	.banner = mxlogic_banner,
	.starts = mxlogic_starts,
	.ends = mxlogic_ends,
	.shape = NOTICE_LINES,
};

static int
mxlogic_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &mxlogic_spec);
}

const struct recog recog_mxlogic = {
	.name = "mxlogic",
	.match = mxlogic_match,
	.enrich = NULL,
};
