/*
 * zoho.c - notices of Zoho Mail's mailer daemon (mailer-daemon@mail.zoho.com):
 *
 *   This message was created automatically by mail delivery software.
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error.
 *
 *   kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...
 *
 * or, for a delay warning, a sendmail-like list:
 *
 *   ----- The following addresses had fatal errors -----
 *   [Status: Error, Address: <kijitora@example.co.jp>, ResponseCode 421, , Host not reachable.]
 *   Message will be retried for 4 more day(s)
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const zoho_from[] = {
	"zoho.com",
	"zohomail",
	".zoho.",
	NULL
};

static const char *const zoho_banner[] = {
	"could not be delivered to one or more of its recipients",
	"The following addresses had fatal errors",
	"THIS IS A WARNING MESSAGE ONLY",
	NULL
};

static const char *const zoho_skip[] = {
	"This message was created automatically",
	"A message that you sent could not be delivered",
	"recipients. This is a permanent error",
	"The original message was received at",
	"from ",
	NULL
};

static const char *const zoho_delayed[] = {
	"THIS IS A WARNING MESSAGE ONLY",
	"Message will be retried for",
	NULL
};

static const struct notice_spec zoho_spec = {
	.from = zoho_from,
	.banner = zoho_banner,
	.skip = zoho_skip,
	.delayed = zoho_delayed,
	.shape = NOTICE_LINES,
	.flags = NOTICE_BLANK_ENDS | NOTICE_DAEMON,
};

static int
zoho_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &zoho_spec);
}

const struct recog recog_zoho = {
	.name = "zoho",
	.match = zoho_match,
	.enrich = NULL,
};
