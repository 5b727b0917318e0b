/*
 * mailfoundry.c - notices of MailFoundry:
 *
 *   Unable to deliver message to: <kijitora@example.org>
 *   Delivery failed for the following reason:
 *   mail.example.org[192.0.2.222] responded with failure: 552 ... over quota
 *   This has been a permanent failure.  No further delivery attempts will be made.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const mailfoundry_banner[] = {
	"Delivery failed for the following reason:",
	NULL
};

static const char *const mailfoundry_skip[] = {
	"This has been a permanent failure",
	"Delivery failed for the following reason:",
	NULL
};

static const struct notice_spec mailfoundry_spec = {
	.banner = mailfoundry_banner,
	.skip = mailfoundry_skip,
	.shape = NOTICE_LINES,
};

static int
mailfoundry_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &mailfoundry_spec);
}

const struct recog recog_mailfoundry = {
	.name = "mailfoundry",
	.match = mailfoundry_match,
	.enrich = NULL,
};
