/*
 * fml.c - notices of the fml mailing list manager (From: list-admin@...),
 * which refuses a post or stops a loop:
 *
 *   You are not a member of this mailing list <cats@example.org>.
 *   If you know the general guide of this list, please send mail with ...
 *
 *   Duplicated Message-ID in <cats@example.org>.
 *   Original mail as follows:
 *
 * The address named is the list that refused the message.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const fml_from[] = {
	"-admin@",
	NULL
};

static const char *const fml_banner[] = {
	"You are not a member of this mailing list",
	"NOT MEMBER article from",
	"reject mail from",
	"reject spammers:",
	"Duplicated Message-ID",
	"has detected a loop condition",
	"Loop Back Warning:",
	"Security alert:",
	NULL
};

static const char *const fml_ends[] = {
	"Original mail as follows:",
	NULL
};

static const struct common_phrase fml_reasons[] = {
	{ "You are not a member of this mailing list", BM_REASON_REJECTED },
	{ "NOT MEMBER article from", BM_REASON_REJECTED },
	{ "reject mail from", BM_REASON_REJECTED },
	{ "reject spammers:", BM_REASON_REJECTED },
	{ "Duplicated Message-ID", BM_REASON_SYSTEMERROR },
	{ "has detected a loop condition", BM_REASON_SYSTEMERROR },
	{ "Loop Back Warning:", BM_REASON_SYSTEMERROR },
	{ "Security alert:", BM_REASON_SECURITYERROR },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec fml_spec = {
	.from = fml_from,
	.banner = fml_banner,
	.ends = fml_ends,
	.reasons = fml_reasons,
	.shape = NOTICE_LINES,
	.flags = NOTICE_BRACKETED,
};

static int
fml_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &fml_spec);
}

const struct recog recog_fml = {
	.name = "fml",
	.match = fml_match,
	.enrich = NULL,
};
