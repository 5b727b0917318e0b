/*
 * kddi.c - notices of KDDI's au one mail / dion servers (no-reply@...):
 *
 *   Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
 *        Could not be delivered to: <kijitora@example.dion.ne.jp>
 *        As their mailbox is full.
 */
#include "config.h"

#include "recog.h"
#include "recog/notice.h"

static const char *const kddi_from[] = {
	"no-reply@",
	"postmaster@",
	"mailer-daemon",
	NULL
};

static const char *const kddi_banner[] = {
	"Could not be delivered to:",
	NULL
};

static const char *const kddi_starts[] = {
	"Your mail sent on",
	NULL
};

static const struct common_phrase kddi_reasons[] = {
	{ "As their mailbox is full", BM_REASON_MAILBOXFULL },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec kddi_spec = {
	.from = kddi_from,
	.banner = kddi_banner,
	.starts = kddi_starts,
	.reasons = kddi_reasons,
	.shape = NOTICE_LINES,
};

static int
kddi_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &kddi_spec);
}

const struct recog recog_kddi = {
	.name = "kddi",
	.match = kddi_match,
	.enrich = NULL,
};
