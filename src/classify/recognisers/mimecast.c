/*
 * mimecast.c - delivery failure notices of Mimecast ("[Postmaster] Email
 * Delivery Failure"), each item on a line of its own after "-- ":
 *
 *   An email that you attempted to send to the following address could
 *   not be delivered:
 *   -- kijitora@example.org
 *   The problem appears to be :
 *   -- Recipient email address is possibly incorrect
 *   Additional information follows :
 *   -- 5.4.1 Recipient address rejected: Access denied.
 *
 * When the notice also carries a delivery-status part, the enrich hook
 * fills what its fields lack from the text.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const mimecast_subject[] = {
	"Email Delivery Failure",
	NULL
};

static const char *const mimecast_banner[] = {
	"could not be delivered:",
	"The problem appears to be",
	NULL
};

static const char *const mimecast_starts[] = {
	"could not be delivered:",
	NULL
};

static const char *const mimecast_ends[] = {
	"This email has been",
	"-- Original message",
	"Reporting-MTA:",
	NULL
};

static const char *const mimecast_skip[] = {
	"The problem appears to be",
	"Additional information follows",
	NULL
};

static const struct notice_spec mimecast_spec = {
	.subject = mimecast_subject,
	.banner = mimecast_banner,
	.starts = mimecast_starts,
	.ends = mimecast_ends,
	.skip = mimecast_skip,
	.shape = NOTICE_LINES,
};

static void
mimecast_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	notice_enrich(ctx, res, &mimecast_spec);
}

static int
mimecast_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &mimecast_spec);
}

const struct recog recog_mimecast = {
	.name = "mimecast",
	.match = mimecast_match,
	.enrich = mimecast_enrich,
};
