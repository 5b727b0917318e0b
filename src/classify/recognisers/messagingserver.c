/*
 * messagingserver.c - reports of Sun Java System / Oracle Communications
 * Messaging Server (and PMDF before it) when read as text:
 *
 *   This report relates to a message you sent with the following header fields:
 *     Message-id: <...>
 *     To: someone@example.org
 *   Your message cannot be delivered to the following recipients:
 *     Recipient address: kijitora@example.org
 *     Reason: Remote SMTP server has rejected address
 *     Diagnostic code: smtp; 550 5.1.1 User unknown
 *     Remote system: dns; mx.example.org (TCP|192.0.2.1|25|...)
 *
 * The header fields of the returned message come before the list and are
 * not read as recipients.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const messagingserver_banner[] = {
	"This report relates to a message you sent with the following header fields",
	"cannot be delivered to the following recipients",
	NULL
};

static const char *const messagingserver_starts[] = {
	"to the following recipients:",
	NULL
};

static const char *const messagingserver_ends[] = {
	"Original-envelope-id:",
	"Reporting-MTA:",
	"Action:",
	"Final-recipient:",
	NULL
};

static const char *const messagingserver_skip[] = {
	"Original address:",
	NULL
};

static const char *const messagingserver_delayed[] = {
	"has been delayed and is still awaiting delivery",
	NULL
};

static const struct notice_spec messagingserver_spec = {
	.banner = messagingserver_banner,
	.starts = messagingserver_starts,
	.ends = messagingserver_ends,
	.skip = messagingserver_skip,
	.delayed = messagingserver_delayed,
	.shape = NOTICE_LINES,
};

static int
messagingserver_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &messagingserver_spec);
}

const struct recog recog_messagingserver = {
	.name = "messagingserver",
	.match = messagingserver_match,
	.enrich = NULL,
};
