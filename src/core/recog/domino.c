/*
 * domino.c - delivery failure reports of IBM (Lotus) Domino:
 *
 *   Your message
 *     Subject: Test Bounce
 *   was not delivered to:
 *     kijitora@example.jp
 *   because:
 *     User some.name (kijitora@example.jp) not listed in Domino Directory
 *
 * The recipients follow "was not delivered to:", the error "because:".
 */
#include "config.h"

#include "recog.h"
#include "recog/notice.h"

static const char *const domino_banner[] = {
	"was not delivered to:",
	NULL
};

static const char *const domino_starts[] = {
	"was not delivered to:",
	NULL
};

static const char *const domino_ends[] = {
	"because:",
	NULL
};

static const char *const domino_error[] = {
	"because:",
	NULL
};

static const struct common_phrase domino_reasons[] = {
	{ "not listed in Domino Directory", BM_REASON_USERUNKNOWN },
	{ "not listed in public Name & Address Book", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec domino_spec = {
	.banner = domino_banner,
	.starts = domino_starts,
	.ends = domino_ends,
	.error = domino_error,
	.reasons = domino_reasons,
	.shape = NOTICE_LINES,
};

static int
domino_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &domino_spec);
}

const struct recog recog_domino = {
	.name = "domino",
	.match = domino_match,
	.enrich = NULL,
};
