/*
 * interscanmss.c - notices of Trend Micro InterScan Messaging Security Suite:
 *
 *   ****** Message from InterScan Messaging Security Suite ******
 *   Sent <<< RCPT TO:<kijitora@example.co.jp>
 *   Received >>> 550 5.1.1 <kijitora@example.co.jp>... user unknown
 *
 * or only "Unable to deliver message to <kijitora@example.jp> (and other
 * recipients in the same domain)." when no server answered.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const interscanmss_banner[] = {
	"Message from InterScan Messaging Security Suite",
	"Received >>> ",
	NULL
};

static const char *const interscanmss_ends[] = {
	"*****     End of message",
	NULL
};

/* InterScan's own verdict, written when the recipient's domain would not
 * take the address ("Please check if address is correct"). */
static const struct common_phrase interscanmss_reasons[] = {
	{ "Unable to deliver message to", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec interscanmss_spec = {
	.banner = interscanmss_banner,
	.ends = interscanmss_ends,
	.reasons = interscanmss_reasons,
	.shape = NOTICE_LINES,
};

static int
interscanmss_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &interscanmss_spec);
}

const struct recog recog_interscanmss = {
	.name = "interscanmss",
	.match = interscanmss_match,
	.enrich = NULL,
};
