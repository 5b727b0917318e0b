/*
 * smail.c - notices of Smail 3 and of Deutsche Telekom's (T-Online) fork:
 *
 *   |------------------------- Failed addresses follow: ---------------------|
 *    <kijitora@example.de>
 *      552 5.2.2 <kijitora@example.de> Quota exceeded (mailbox for user is full)
 *
 *   |------------------------- Message header follows: ----------------------|
 *
 * Smail itself writes " kijitora@example.org ... failed: unknown host" on
 * one line.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const smail_banner[] = {
	"Failed addresses follow:",
	NULL
};

static const char *const smail_starts[] = {
	"Failed addresses follow:",
	NULL
};

static const char *const smail_ends[] = {
	"|-------",
	NULL
};

static const struct notice_spec smail_spec = {
	.banner = smail_banner,
	.starts = smail_starts,
	.ends = smail_ends,
	.shape = NOTICE_LINES,
};

static int
smail_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &smail_spec);
}

const struct recog recog_smail = {
	.name = "smail",
	.match = smail_match,
	.enrich = NULL,
};
