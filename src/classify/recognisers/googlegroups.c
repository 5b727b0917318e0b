/*
 * googlegroups.c - Google Groups' refusal to post to a group, sent by
 * Gmail's mailer daemon in the sender's language:
 *
 *   Hello kijitora@example.jp,
 *   We're writing to let you know that the group you tried to contact
 *   (example-group) may not exist, or you may not have permission to post
 *   messages to the group. ...
 *   If you have questions related to this or any other Google Group,
 *   visit the Help Center at https://groups.google.com/support/.
 *
 * The text names the group only by its short name; the failed address is
 * in X-Failed-Recipients.  The group refused the message: reason
 * rejected.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const googlegroups_from[] = {
	"mailer-daemon@googlemail.com", "mailer-daemon@google.com", NULL
};

static const char *const googlegroups_banner[] = {
	"groups.google.com/support", NULL
};

static const struct common_phrase googlegroups_reasons[] = {
	{ "groups.google.com/support", BM_REASON_REJECTED },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec googlegroups_spec = {
	.from = googlegroups_from,
	.banner = googlegroups_banner,
	.reasons = googlegroups_reasons,
	.shape = NOTICE_HEADER,
	.flags = NOTICE_SECTION_DIAG,
};

static int
googlegroups_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &googlegroups_spec);
}

const struct recog recog_googlegroups = {
	.name = "googlegroups",
	.match = googlegroups_match,
	.enrich = NULL,
};
