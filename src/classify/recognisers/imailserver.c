/*
 * imailserver.c - notices of Ipswitch IMail Server (SMTPD32):
 *
 *   Unknown user: kijitora@example.com
 *
 *   Original message follows.
 *
 * or "undeliverable to kijitora@example.jp" then "Body of message
 * generated response:" and the remote server's answer.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const imailserver_subject[] = {
	"Undeliverable Mail",
	NULL
};

static const char *const imailserver_banner[] = {
	"Original message follows",
	"Body of message generated response",
	"undeliverable to ",
	"Unknown user:",
	"Unknown host",
	"Invalid final delivery userid",
	"User mailbox exceeds allowed size",
	NULL
};

static const char *const imailserver_skip[] = {
	"To:",
	"CC:",
	"Date:",
	"Subject:",
	"Save to the following Address Book",
	NULL
};

static const struct common_phrase imailserver_reasons[] = {
	{ "Unknown user:", BM_REASON_USERUNKNOWN },
	{ "Invalid final delivery userid", BM_REASON_USERUNKNOWN },
	{ "Unknown host", BM_REASON_HOSTUNKNOWN },
	{ "User mailbox exceeds allowed size", BM_REASON_MAILBOXFULL },
	{ "Requested action not taken: virus detected", BM_REASON_VIRUSDETECTED },
	{ "Blacklisted URL in message", BM_REASON_SPAMDETECTED },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec imailserver_spec = {
	.subject = imailserver_subject,
	.banner = imailserver_banner,
	.skip = imailserver_skip,
	.reasons = imailserver_reasons,
	.shape = NOTICE_LINES,
};

static int
imailserver_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &imailserver_spec);
}

const struct recog recog_imailserver = {
	.name = "imailserver",
	.match = imailserver_match,
	.enrich = NULL,
};
