/*
 * x6.c - notices of an unnamed MTA (Sisimai's X6):
 *
 *   We had trouble delivering your message. Full details follow:
 *   Subject: 'Nyaan'
 *   1 error(s):
 *   SMTP Server <mx.example.org> rejected recipient <kijitora@example.org>
 *   (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const x6_banner[] = {
	"We had trouble delivering your message. Full details follow",
	NULL
};

static const char *const x6_starts[] = {
	"error(s):",
	NULL
};

static const char *const x6_ends[] = {
	"The attachment contains the original mail headers",
	NULL
};

static const struct notice_spec x6_spec = {
	.banner = x6_banner,
	.starts = x6_starts,
	.ends = x6_ends,
	.shape = NOTICE_LINES,
};

static int
x6_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &x6_spec);
}

const struct recog recog_x6 = {
	.name = "x6",
	.match = x6_match,
	.enrich = NULL,
};
