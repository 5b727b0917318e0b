/*
 * yahoo.c - notices of Yahoo! Mail's mailer daemon (a qmail layout under
 * its own opening sentence):
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *
 *   <kijitora@example.org>:
 *   Remote host said: 550 5.1.1 <kijitora@example.org>... User Unknown [RCPT_TO]
 *
 *   --- Below this line is a copy of the message.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const yahoo_banner[] = {
	"Sorry, we were unable to deliver your message to the following address",
	NULL
};

static const char *const yahoo_starts[] = {
	"Sorry, we were unable to deliver your message to the following address",
	NULL
};

static const struct notice_spec yahoo_spec = {
	.banner = yahoo_banner,
	.starts = yahoo_starts,
	.shape = NOTICE_LINES,
	.flags = NOTICE_BLANK_ENDS,
};

static int
yahoo_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &yahoo_spec);
}

const struct recog recog_yahoo = {
	.name = "yahoo",
	.match = yahoo_match,
	.enrich = NULL,
};
