/*
 * domino.c - delivery failure reports of IBM / HCL (Lotus) Domino, in
 * English or the server's language (Spanish, French, Japanese in
 * iso-2022-jp, read through its ASCII parts):
 *
 *   Your message
 *     Subject: Test Bounce
 *   was not delivered to:
 *     kijitora@example.jp
 *   because:
 *     User some.name (kijitora@example.jp) not listed in Domino Directory
 *
 * The Subject starts "DELIVERY FAILURE:" (or has DELIVERY_FAILURE); the
 * recipients are the address lines, the error follows "because:".
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const domino_subject[] = {
	"DELIVERY FAILURE",
	"DELIVERY_FAILURE",
	NULL
};

static const char *const domino_banner[] = {
	"was not delivered to",
	"Domino Directory",
	"Name & Address Book",
	"Directorio de Domino",
	"annuaire Domino",
	"%G%#%l%/%H%j",
	"Diagnostic-Code:",
	NULL
};

static const char *const domino_ends[] = {
	"because:",
	NULL
};

static const char *const domino_error[] = {
	"because:",
	NULL
};

static const struct common_phrase domino_reasons[] = {
	{ "not listed in Domino Directory", BM_REASON_USERUNKNOWN },
	{ "not listed in public Name & Address Book", BM_REASON_USERUNKNOWN },
	{ "no se encuentra en el Directorio de Domino", BM_REASON_USERUNKNOWN },
	{ "dans l'annuaire Domino", BM_REASON_USERUNKNOWN },
	{ "%G%#%l%/%H%j$K$O8+$D$+$j$^$;$s", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec domino_spec = {
	.subject = domino_subject,
	.banner = domino_banner,
	.ends = domino_ends,
	.error = domino_error,
	.reasons = domino_reasons,
	.shape = NOTICE_LINES,
};

static int
domino_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &domino_spec);
}

const struct recog recog_domino = {
	.name = "domino",
	.match = domino_match,
	.enrich = NULL,
};
