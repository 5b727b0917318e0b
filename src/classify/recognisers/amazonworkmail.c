/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amazonworkmail.c - notices of Amazon WorkMail (sent through SES), a
 * sentence and a delivery-status block written as plain text:
 *
 *   An error occurred while trying to deliver the mail to the following
 *   recipients:
 *   kijitora@example.jp
 *
 *   Technical report:
 *
 *   Reporting-MTA: dsn; a27-85.smtp-out.us-west-2.amazonses.com
 *   Action: failed
 *   Final-Recipient: rfc822; kijitora@example.jp
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.jp>... User Unknown
 *   Status: 5.1.1
 *
 * The recipients are listed between the sentence and "Technical report:";
 * the block's Status and Diagnostic-Code complete them.
 */
#include "config.h"

#include <stddef.h>

#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const amazonworkmail_banner[] = {
	"An error occurred while trying to deliver the mail to the following recipients",
	NULL
};

static const char *const amazonworkmail_starts[] = {
	"An error occurred while trying to deliver the mail to the following recipients:",
	NULL
};

static const char *const amazonworkmail_ends[] = {
	"Technical report:",
	NULL
};

static const struct notice_spec amazonworkmail_spec = {
	.banner = amazonworkmail_banner,
	.starts = amazonworkmail_starts,
	.ends = amazonworkmail_ends,
	.shape = NOTICE_LINES,
};

static int
amazonworkmail_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i, before = res->nrcpt;

	if (!notice_match(ctx, res, &amazonworkmail_spec))
		return 0;
	/* the technical report is the error: its fields replace the line */
	for (i = before; i < res->nrcpt; i++) {
		res->rcpt[i].diagnostic[0] = '\0';
		analysis_diag_forget(&res->rcpt[i]);
	}
	(void)common_dsn_text(ctx, res);
	return 1;
}

const struct recog recog_amazonworkmail = {
	.name = "amazonworkmail",
	.match = amazonworkmail_match,
	.enrich = NULL,
};
