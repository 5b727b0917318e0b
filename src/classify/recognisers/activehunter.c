/*
 * activehunter.c - notices of TransWARE Active!hunter, a sendmail-like
 * list with the address after ">>>":
 *
 *   ----- The following addresses had permanent fatal errors -----
 *   >>> kijitora@example.org <kijitora@example.org>
 *   ----- Transcript of session follows -----
 *   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const activehunter_subject[] = {
	"FAILURE NOTICE :",
	NULL
};

static const char *const activehunter_banner[] = {
	"----- The following addresses had permanent fatal errors -----",
	NULL
};

static const char *const activehunter_starts[] = {
	"----- The following addresses had permanent fatal errors -----",
	NULL
};

static const char *const activehunter_skip[] = {
	"----- Transcript of session follows",
	NULL
};

static const struct notice_spec activehunter_spec = {
	.subject = activehunter_subject,
	.banner = activehunter_banner,
	.starts = activehunter_starts,
	.skip = activehunter_skip,
	.shape = NOTICE_LINES,
};

static int
activehunter_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &activehunter_spec);
}

const struct recog recog_activehunter = {
	.name = "activehunter",
	.match = activehunter_match,
	.enrich = NULL,
};
