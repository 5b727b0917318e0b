/*
 * exchange2003.c - non-delivery reports of Microsoft Exchange 2000/2003
 * (the "MSEXCH:" diagnostics):
 *
 *   Your message
 *     To:      someone@example.jp
 *     Subject: ...
 *   did not reach the following recipient(s):
 *   kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500
 *       The recipient name is not recognized
 *       The MTS-ID of the original message is: c=jp;a= ;p=neko
 *       MSEXCH:IMS:NEKO:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient
 *
 * Each recipient line opens a record, the indented lines under it are its
 * error.  The Exchange error number (000C05A6: unknown recipient) and the
 * fixed English sentences state the reason.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const exchange2003_banner[] = {
	"did not reach the following recipient(s)",
	"following recipient(s) could not be reached",
	"did not reach some or all of the intended recipients",
	NULL
};

static const char *const exchange2003_starts[] = {
	"did not reach the following recipient(s):",
	"following recipient(s) could not be reached:",
	NULL
};

static const char *const exchange2003_skip[] = {
	"The MTS-ID of the original message",
	";l=",
	NULL
};

static const struct common_phrase exchange2003_reasons[] = {
	{ "(000C05A6)", BM_REASON_USERUNKNOWN },
	{ "The recipient name is not recognized", BM_REASON_USERUNKNOWN },
	{ "(00120270)", BM_REASON_NETWORKERROR },
	{ "(00050311)", BM_REASON_CONTENTERROR },
	{ "(000502CC)", BM_REASON_CONTENTERROR },
	{ "(000B0981)", BM_REASON_SECURITYERROR },
	{ "The destination server for this recipient could not be found", BM_REASON_HOSTUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec exchange2003_spec = {
	.banner = exchange2003_banner,
	.starts = exchange2003_starts,
	.skip = exchange2003_skip,
	.reasons = exchange2003_reasons,
	.shape = NOTICE_LINES,
};

static int
exchange2003_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &exchange2003_spec);
}

const struct recog recog_exchange2003 = {
	.name = "exchange2003",
	.match = exchange2003_match,
	.enrich = NULL,
};
