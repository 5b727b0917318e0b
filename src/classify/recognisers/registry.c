/*
 * registry.c - the list of recognisers, in the order they are tried.
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

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

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

const struct recog *const recog_registry[] = {
	RECOG_FAMILIES(RECOG_CODE, RECOG_ROW)
	NULL,
};
