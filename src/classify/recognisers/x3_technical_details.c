/*
 * x3.c - "automatically generated Delivery Status Notification" of an
 * unnamed MTA (Sisimai's X3), rulers of '=' around a list of starred
 * addresses and a "Technical details:" section:
 *
 *   This is an automatically generated Delivery Status Notification.
 *   Delivery to the following recipients failed permanently:
 *      * kijitora@example.com
 *   =====================
 *   Technical details:
 *   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user here
 *
 * "was aborted after N hour(s)" is the queue lifetime running out.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const x3_banner[] = {
	"This is an automatically generated Delivery Status Notification",
	NULL
};

static const char *const x3_starts[] = {
	"Delivery to the following recipients",
	"Delevery to the following recipients",
	NULL
};

static const char *const x3_skip[] = {
	"====",
	"Technical details:",
	NULL
};

static const char *const x3_delayed[] = {
	"has been delayed",
	NULL
};

static const struct common_phrase x3_reasons[] = {
	{ "was aborted after", BM_REASON_EXPIRED },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec x3_spec = {
	.banner = x3_banner,
	.starts = x3_starts,
	.skip = x3_skip,
	.delayed = x3_delayed,
	.reasons = x3_reasons,
	.shape = NOTICE_LINES,
};

static int
x3_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &x3_spec);
}

const struct recog recog_x3 = {
	.name = "x3",
	.match = x3_match,
	.enrich = NULL,
};
