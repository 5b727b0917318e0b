/*
 * kddi.c - notices of KDDI's au one net / DION mail servers
 * (no-reply@..., ...dion.ne.jp):
 *
 *   Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
 *        Could not be delivered to: <kijitora@example.dion.ne.jp>
 *        As their mailbox is full.
 *
 * "Your mail attempted to be delivered on:" opens the same list.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const kddi_from[] = {
	"no-reply@",
	".dion.ne.jp",
	"auone-net.jp",
	NULL
};

static const char *const kddi_banner[] = {
	"Could not be delivered to:",
	NULL
};

static const char *const kddi_starts[] = {
	"Your mail sent on",
	"Your mail attempted to be delivered on",
	NULL
};

static const struct common_phrase kddi_reasons[] = {
	{ "As their mailbox is full", BM_REASON_MAILBOXFULL },
	{ "As the remote domain doesnt exist", BM_REASON_HOSTUNKNOWN },
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
