/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * facebook.c - Facebook's mail servers answer with their own response
 * codes, named in the diagnostic next to a link to their postmaster
 * pages:
 *
 *   550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp
 *   Refused due to recipient preferences
 *
 * The bounces come as RFC 3464 reports (or as any MTA's notice quoting
 * the answer), so this family only enriches: a record whose diagnostic
 * carries a Facebook response code and Facebook's postmaster link gets
 * the reason the code states.  Codes whose meaning is not specific
 * (policy, internal errors) are left to the general rules.
 */
#include "config.h"

#include <string.h>

#include "classify/record.h"
#include "classify/recog.h"
#include "classify/recognisers/common.h"

static const char *const facebook_marks[] = {
	"postmaster.facebook.com", NULL
};

/* Facebook response codes and what they state. */
static const struct common_phrase facebook_codes[] = {
	{ "RCP-P1", BM_REASON_USERUNKNOWN },   /* address does not exist */
	{ "RCP-P2", BM_REASON_FILTERED },      /* recipient's preferences */
	{ "RCP-P3", BM_REASON_FILTERED },      /* recipient's privacy settings */
	{ "RCP-T4", BM_REASON_SUSPEND },       /* address deactivated */
	{ "MBX-P1", BM_REASON_MAILBOXFULL },   /* storage quota exceeded */
	{ "MBX-T1", BM_REASON_MAILBOXFULL },
	{ "DNS-P3", BM_REASON_REQUIREPTR },    /* no reverse DNS for the server */
	{ "CON-T1", BM_REASON_TOOMANYCONN },   /* too many connections */
	{ "CON-T2", BM_REASON_TOOMANYCONN },
	{ "CON-T3", BM_REASON_TOOMANYCONN },
	{ "CON-T4", BM_REASON_TOOMANYCONN },
	{ NULL, BM_REASON_UNDEFINED }
};

static void
facebook_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		size_t len = strlen(r->diagnostic);

		if (r->reason_hint != BM_REASON_UNDEFINED ||
		    !common_has_any_indexed(r->diagnostic, len, facebook_marks))
			continue;
		r->reason_hint = common_reason(facebook_codes, r->diagnostic,
		                               len);
	}
}

const struct recog recog_facebook = {
	.name = "facebook",
	.match = NULL,
	.enrich = facebook_enrich,
};
