/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notice.h - a table-driven reader for the notices that providers and
 * appliance / groupware MTAs write (Gmail, Yahoo, Exchange, Zoho, Notes,
 * the Japanese carriers, ...).
 *
 * A family describes its notice as data (struct notice_spec): the From,
 * Subject and text phrases that identify it, where the list of failed
 * recipients starts and ends, and its own wording for reasons.  Nothing
 * matches without a failure statement of the family in the text (the
 * banner) and a bounce sender or subject, so ordinary mail that quotes a
 * bounce is not taken for one.  notice_match() then reads the section
 * line by line: a line naming an address (not the notice's own From / To)
 * opens a record; the line and the lines under it are its diagnostic,
 * from which common_fill() takes status, reply code and remote MTA.
 * Texts in other charsets (iso-2022-jp, Shift_JIS) are read through their
 * ASCII parts: addresses, codes and English phrases.  Pure and
 * thread-safe.
 */
#ifndef BM_RECOG_NOTICE_H
#define BM_RECOG_NOTICE_H

#include <stdbool.h>

#include "classify/recog.h"
#include "classify/recognisers/common.h"

struct recog_ctx;
struct bounce_result;

/* How the records of a notice are laid out. */
enum notice_shape {
	NOTICE_LINES = 0, /* address line, its error on it and under it */
	NOTICE_HEADER,    /* recipients only in X-Failed-Recipients */
	NOTICE_RETURNED,  /* the text names none: the returned message's To */
};

#define NOTICE_BLANK_ENDS 1u   /* a blank line ends a record's error */
#define NOTICE_SECTION_DIAG 2u /* the section is the error of every record */
#define NOTICE_BRACKETED 4u    /* only an address in <> opens a record */
#define NOTICE_DAEMON 8u       /* From must also name a bounce daemon */
#define NOTICE_ENRICH 16u      /* a row's enrich hook: notice_enrich() */

struct notice_spec {
	const char *const *from;    /* From contains one (NULL: any bounce From) */
	const char *const *subject; /* Subject contains one (NULL: not checked) */
	const char *const *banner;  /* text contains one: required */
	const char *const *starts;  /* records follow the first (NULL: top) */
	const char *const *ends;    /* line prefixes ending the records */
	const char *const *skip;    /* lines that are neither head nor error */
	const char *const *delayed; /* text phrases meaning action delayed */
	const char *const *error;   /* the error of all records follows one
	                               (up to `starts` or an end line) */
	const struct common_phrase *reasons; /* own wording -> reason hint */
	enum notice_shape shape;
	unsigned flags;
};

/* The data-only families: the rows of notice_table.c, named after
 * the product or format whose notice they read.  Each row is a recogniser
 * (struct recog with .notice set, recog.h); registry.c lists the rows in
 * the order tried, among the recognisers that have code. */
enum notice_row {
	NOTICE_GOOGLE_GROUPS,
	NOTICE_YAHOO,
	NOTICE_EXCHANGE2003,
	NOTICE_ZOHO,
	NOTICE_LOTUS_NOTES,
	NOTICE_DOMINO,
	NOTICE_MXLOGIC,
	NOTICE_MFILTER,
	NOTICE_INTERSCAN_MSS,
	NOTICE_IMAIL_SERVER,
	NOTICE_ACTIVE_HUNTER,
	NOTICE_GMX,
	NOTICE_TECHNICAL_DETAILS,  /* "x3" */
	NOTICE_TROUBLE_DELIVERING, /* "x6" */
	NOTICE_DELIVERY_ERRORS,    /* "x1" */
	NOTICE_MAILFOUNDRY,
	NOTICE_MAILMARSHAL,
	NOTICE_KDDI,
	NOTICE_EZWEB,
	NOTICE_EZWEB_TITLED,       /* "ezweb" too, tried after NOTICE_EZWEB */
	NOTICE_VERIZON,
	NOTICE_BIGLOBE,
	NOTICE_FML,
	NOTICE_MESSAGING_SERVER,
	NOTICE_SMAIL,
	NOTICE_MIMECAST,
	NOTICE_ROWS
};

extern const struct recog notice_table[NOTICE_ROWS];

/* Identify, then add one record per failed recipient; 1 when at least
 * one was added, else 0. */
int notice_match(const struct recog_ctx *ctx, struct bounce_result *res,
                 const struct notice_spec *spec);

/* For a DSN: fill each record's missing diagnostic, status, reply code
 * and reason hint from the family's notice text (matched by recipient, or
 * one record to one), then give records still without a hint the reason
 * of the family's wording found in their diagnostic. */
void notice_enrich(const struct recog_ctx *ctx, struct bounce_result *res,
                   const struct notice_spec *spec);

/* The identification step alone: family signature and bounce signal. */
bool notice_is_family(const struct recog_ctx *ctx,
                      const struct notice_spec *spec);

#endif
