/*
 * biglobe.c - notices of BIGLOBE and the Japanese cable providers on its
 * platform (inacatv, tmtv, ttv), From postmaster@..., Subject "Returned
 * mail: ...":
 *
 *      ----- The following addresses had delivery problems -----
 *   kijitora@example.biglobe.ne.jp
 *
 *      ----- Non-delivered information -----
 *   The number of messages in recipient's mailbox exceeded the local limit.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const biglobe_from[] = {
	"biglobe.ne.jp",
	"inacatv.ne.jp",
	"tmtv.ne.jp",
	"ttv.ne.jp",
	NULL
};

static const char *const biglobe_subject[] = {
	"Returned mail:",
	NULL
};

static const char *const biglobe_banner[] = {
	"----- The following addresses had delivery problems -----",
	NULL
};

static const char *const biglobe_starts[] = {
	"----- The following addresses had delivery problems -----",
	NULL
};

static const char *const biglobe_skip[] = {
	"----- Non-delivered information -----",
	NULL
};

static const struct common_phrase biglobe_reasons[] = {
	{ "The number of messages in recipient's mailbox exceeded the local limit", BM_REASON_MAILBOXFULL },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec biglobe_spec = {
	.from = biglobe_from,
	.subject = biglobe_subject,
	.banner = biglobe_banner,
	.starts = biglobe_starts,
	.skip = biglobe_skip,
	.reasons = biglobe_reasons,
	.shape = NOTICE_LINES,
};

static int
biglobe_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &biglobe_spec);
}

const struct recog recog_biglobe = {
	.name = "biglobe",
	.match = biglobe_match,
	.enrich = NULL,
};
