/*
 * ezweb.c - notices of au by KDDI (ezweb.ne.jp), Japanese text in
 * iso-2022-jp or Shift_JIS around an English summary:
 *
 *   (Japanese: the message to the following address could not be sent ...)
 *   The user(s) account is disabled.
 *   <kijitora@ezweb.ne.jp>
 *
 * or a list "Each of the following recipients was rejected by a remote
 * mail server." with "Recipient: <...>" and the SMTP transcript.  Read
 * through the ASCII parts: addresses, codes and the English sentences.
 * A notice in Japanese only is known by the daemon's From and Subject.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

/* the carrier's daemon, not its subscribers (who write from the same
 * domains) */
static const char *const ezweb_from[] = {
	"postmaster@ezweb.ne.jp",
	"postmaster@au.com",
	"mailer-daemon@ezweb.ne.jp",
	NULL
};

static const char *const ezweb_subject[] = {
	"Mail System Error - Returned Mail", NULL
};

/* With the daemon's own Subject, any address line is a failed one. */
static const char *const ezweb_any_address[] = { "@", NULL };

static const char *const ezweb_banner[] = {
	"The user(s) account is disabled",
	"Each of the following recipients was rejected",
	"The following recipients did not receive this message",
	"was not delivered to the recipient",
	"The user(s) mailbox is full",
	"The user(s) account is temporarily",
	"Your message was not delivered within",
	"Recipient:",
	"RCPT TO:",
	NULL
};

static const char *const ezweb_ends[] = {
	"--- Original message",
	"--- Below this line",
	"--------------------------------------------------",
	NULL
};

static const struct common_phrase ezweb_reasons[] = {
	{ "The user(s) account is disabled", BM_REASON_SUSPEND },
	{ "The user(s) account is temporarily limited", BM_REASON_SUSPEND },
	{ "Your message was not delivered within ", BM_REASON_EXPIRED },
	{ "The user(s) account is temporarily over quota", BM_REASON_MAILBOXFULL },
	{ "The user(s) mailbox is full", BM_REASON_MAILBOXFULL },
	{ "The message was not delivered to the recipient because of a content filter", BM_REASON_FILTERED },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec ezweb_spec = {
	.from = ezweb_from,
	.banner = ezweb_banner,
	.ends = ezweb_ends,
	.reasons = ezweb_reasons,
	.shape = NOTICE_LINES,
};

static const struct notice_spec ezweb_titled_spec = {
	.from = ezweb_from,
	.subject = ezweb_subject,
	.banner = ezweb_any_address,
	.ends = ezweb_ends,
	.reasons = ezweb_reasons,
	.shape = NOTICE_LINES,
};

static int
ezweb_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &ezweb_spec) ||
	       notice_match(ctx, res, &ezweb_titled_spec);
}

const struct recog recog_ezweb = {
	.name = "ezweb",
	.match = ezweb_match,
	.enrich = NULL,
};
