/*
 * verizon.c - notices of Verizon Wireless' MMS gateway (vzwpix.com):
 *
 *   Message could not be delivered to mobile.
 *   Error: No valid recipients for this MM
 *
 * The text does not name the recipient; it is the To: of the returned
 * message.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const verizon_from[] = {
	"vzwpix.com",
	"vtext.com",
	NULL
};

static const char *const verizon_banner[] = {
	"Message could not be delivered to mobile",
	NULL
};

static const struct common_phrase verizon_reasons[] = {
	{ "No valid recipients for this MM", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec verizon_spec = {
	.from = verizon_from,
	.banner = verizon_banner,
	.reasons = verizon_reasons,
	.shape = NOTICE_RETURNED,
	.flags = NOTICE_SECTION_DIAG,
};

static int
verizon_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &verizon_spec);
}

const struct recog recog_verizon = {
	.name = "verizon",
	.match = verizon_match,
	.enrich = NULL,
};
