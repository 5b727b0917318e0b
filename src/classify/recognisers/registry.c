/*
 * registry.c - the list of recognisers, in the order they are tried.
 *
 * To add a family: write recog/<family>.c defining
 *     const struct recog recog_<family> = { "<family>", match, enrich };
 * add it to libbmcore_a_SOURCES in Makefile.am, and add one X(<family>)
 * line below, above X(generic).  Specific families go first; the generic
 * fall-back stays last.
 */
#include "config.h"

#include <stddef.h>

#include "classify/recog.h"

#define RECOG_FAMILIES(X) \
	X(googlegroups) \
	X(gmail) \
	X(yahoo) \
	X(exchange2003) \
	X(exchange2007) \
	X(amazonworkmail) \
	X(amazonses) \
	X(zoho) \
	X(notes) \
	X(domino) \
	X(mxlogic) \
	X(mfilter) \
	X(interscanmss) \
	X(imailserver) \
	X(activehunter) \
	X(gmx) \
	X(x3) \
	X(x6) \
	X(x1) \
	X(mailfoundry) \
	X(mailmarshal) \
	X(kddi) \
	X(ezweb) \
	X(verizon) \
	X(biglobe) \
	X(fml) \
	X(messagingserver) \
	X(smail) \
	X(mimecast) \
	X(facebook) \
	X(exim) \
	X(qmail) \
	X(dragonfly) \
	X(sendmail) \
	X(postfix) \
	X(opensmtpd) \
	X(courier) \
	X(apachejames) \
	X(generic)

#define RECOG_DECLARE(fam) extern const struct recog recog_##fam;
#define RECOG_ENTRY(fam) &recog_##fam,

RECOG_FAMILIES(RECOG_DECLARE)

const struct recog *const recog_registry[] = {
	RECOG_FAMILIES(RECOG_ENTRY)
	NULL,
};
