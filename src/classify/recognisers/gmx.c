/*
 * gmx.c - notices of GMX and of 1&1 (kundenserver, EinsUndEins): an Exim
 * banner, then the failed address at the margin and the error under
 * "Reason:" or "For the following reason:":
 *
 *   This message was created automatically by mail delivery software.
 *   ... This is a permanent error. The following address failed:
 *
 *   "shironeko@example.jp":
 *   SMTP error from remote server after RCPT command:
 *   host: mx.example.jp
 *   5.2.2 <shironeko@example.jp>... Mailbox Full
 *
 *   --- The header of the original message is following. ---
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const gmx_from[] = {
	"@mail.gmx",
	"@gmx.",
	"kundenserver",
	"@1and1.",
	"@ionos.",
	"@web.de",
	NULL
};

static const char *const gmx_banner[] = {
	"This message was created automatically by mail delivery software",
	NULL
};

static const char *const gmx_starts[] = {
	"The following address\nfailed:",
	"The following address failed:",
	"The following addresses failed:",
	NULL
};

static const char *const gmx_ends[] = {
	"--- The header of the original message",
	"--- The message text of the original message",
	NULL
};

static const char *const gmx_skip[] = {
	"Reason:",
	"For the following reason:",
	NULL
};

static const struct common_phrase gmx_reasons[] = {
	{ "delivery retry timeout exceeded", BM_REASON_EXPIRED },
	{ "Mail size limit exceeded", BM_REASON_MESGTOOBIG },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec gmx_spec = {
	.from = gmx_from,
	.banner = gmx_banner,
	.starts = gmx_starts,
	.ends = gmx_ends,
	.skip = gmx_skip,
	.reasons = gmx_reasons,
	.shape = NOTICE_LINES,
	.flags = NOTICE_DAEMON,
};

static int
gmx_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &gmx_spec);
}

const struct recog recog_gmx = {
	.name = "gmx",
	.match = gmx_match,
	.enrich = NULL,
};
