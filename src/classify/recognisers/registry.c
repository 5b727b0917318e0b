/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * registry.c - the list of recognisers, in the order they are tried, and
 * trying them (registry.h).
 *
 * Two kinds of entry: CODE(<family>) is a recogniser with code of its own,
 * recognisers/<family>.c defining
 *     const struct recog recog_<family> = { "<family>", match, enrich };
 * ROW(<ROW>) is a data-only family, the row NOTICE_<ROW> of
 * recognisers/notice_table.c (enum notice_row, notice.h).  To add a family
 * that notice_match() can read as it is, add a row there; else write the
 * file and add it to libbmclassify_a_SOURCES in Makefile.am.  Then add
 * one line below, above CODE(generic): specific families go first, the
 * generic fall-back stays last.  The order decides which family a
 * message is credited to.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "classify/record.h"
#include "classify/recog.h"
#include "classify/recognisers/notice.h"
#include "classify/recognisers/registry.h"

#define RECOG_FAMILIES(CODE, ROW) \
	ROW(GOOGLE_GROUPS) \
	CODE(gmail) \
	ROW(YAHOO) \
	ROW(EXCHANGE2003) \
	CODE(exchange2007) \
	CODE(amazonworkmail) \
	CODE(amazonses) \
	ROW(ZOHO) \
	ROW(LOTUS_NOTES) \
	ROW(DOMINO) \
	ROW(MXLOGIC) \
	ROW(MFILTER) \
	ROW(INTERSCAN_MSS) \
	ROW(IMAIL_SERVER) \
	ROW(ACTIVE_HUNTER) \
	ROW(GMX) \
	ROW(TECHNICAL_DETAILS) \
	ROW(TROUBLE_DELIVERING) \
	ROW(DELIVERY_ERRORS) \
	ROW(MAILFOUNDRY) \
	ROW(MAILMARSHAL) \
	ROW(KDDI) \
	ROW(EZWEB) \
	ROW(EZWEB_TITLED) \
	ROW(VERIZON) \
	ROW(BIGLOBE) \
	ROW(FML) \
	ROW(MESSAGING_SERVER) \
	ROW(SMAIL) \
	ROW(MIMECAST) \
	CODE(facebook) \
	CODE(exim) \
	CODE(qmail) \
	CODE(dragonfly) \
	CODE(sendmail) \
	CODE(postfix) \
	CODE(opensmtpd) \
	CODE(courier) \
	CODE(apachejames) \
	CODE(generic)

#define RECOG_NONE(x)
#define RECOG_DECLARE(fam) extern const struct recog recog_##fam;
#define RECOG_CODE(fam) &recog_##fam,
#define RECOG_ROW(row) &notice_table[NOTICE_##row],

RECOG_FAMILIES(RECOG_DECLARE, RECOG_NONE)

const struct recog *const registry_list[] = {
	RECOG_FAMILIES(RECOG_CODE, RECOG_ROW)
	NULL,
};

int
registry_run(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i, keep = res->nrcpt;

	for (i = 0; registry_list[i] != NULL; i++) {
		const struct recog *r = registry_list[i];
		int found;

		if (r->match != NULL)
			found = r->match(ctx, res);
		else if (r->notice != NULL)
			found = notice_match(ctx, res, r->notice);
		else
			continue;
		if (found == 1 && res->nrcpt > keep) {
			size_t n = strlen(r->name);

			/* snprintf("%s") without the formatting machinery */
			if (n >= sizeof(res->recogniser))
				n = sizeof(res->recogniser) - 1;
			memcpy(res->recogniser, r->name, n);
			res->recogniser[n] = '\0';
			return 1;
		}
		res->nrcpt = keep;
	}
	return 0;
}

void
registry_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i;

	for (i = 0; registry_list[i] != NULL; i++) {
		const struct recog *r = registry_list[i];

		if (r->enrich != NULL)
			r->enrich(ctx, res);
		else if (r->notice != NULL && (r->notice->flags & NOTICE_ENRICH))
			notice_enrich(ctx, res, r->notice);
	}
}
