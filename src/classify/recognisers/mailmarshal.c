/*
 * mailmarshal.c - notices of MailMarshal SMTP (Trustwave / Marshal): the
 * error comes first, then the recipients it applies to:
 *
 *   Your message:
 *      From:    someone@example.com
 *      Subject: ...
 *   Could not be delivered because of
 *   550 5.1.1 User unknown
 *   The following recipients were affected:
 *       kijitora@example.com
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const mailmarshal_banner[] = {
	"The following recipients were affected:",
	NULL
};

static const char *const mailmarshal_starts[] = {
	"The following recipients were affected:",
	NULL
};

static const char *const mailmarshal_error[] = {
	"Could not be delivered because of",
	NULL
};

static const struct notice_spec mailmarshal_spec = {
	.banner = mailmarshal_banner,
	.starts = mailmarshal_starts,
	.error = mailmarshal_error,
	.shape = NOTICE_LINES,
};

static int
mailmarshal_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &mailmarshal_spec);
}

const struct recog recog_mailmarshal = {
	.name = "mailmarshal",
	.match = mailmarshal_match,
	.enrich = NULL,
};
