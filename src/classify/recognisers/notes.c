/*
 * notes.c - non-delivery notices of Lotus Notes (the SMTP MTA of Notes R4/R5),
 * whose reason is usually written in Japanese (iso-2022-jp) or English:
 *
 *   ------- Failure Reasons  --------
 *   User not listed in public Name & Address Book
 *   kijitora@example.co.jp
 *   ------- Returned Message --------
 *
 * The text between the two rulers is read through its ASCII parts: each
 * address is a failed recipient, the English sentences are the error.
 */
#include "config.h"

#include "classify/recog.h"
#include "classify/recognisers/notice.h"

static const char *const notes_banner[] = {
	"------- Failure Reasons",
	NULL
};

static const char *const notes_starts[] = {
	"------- Failure Reasons",
	NULL
};

static const char *const notes_ends[] = {
	"------- Returned Message",
	NULL
};

static const char *const notes_skip[] = {
	"---",
	NULL
};

static const struct common_phrase notes_reasons[] = {
	{ "User not listed in public Name & Address Book", BM_REASON_USERUNKNOWN },
	{ "not listed in Domino Directory", BM_REASON_USERUNKNOWN },
	{ "$B%G%#%l%/%H%j$N%j%9%H$K$\"$j$^$;$s", BM_REASON_USERUNKNOWN },
	{ NULL, BM_REASON_UNDEFINED }
};

static const struct notice_spec notes_spec = {
	.banner = notes_banner,
	.starts = notes_starts,
	.ends = notes_ends,
	.skip = notes_skip,
	.reasons = notes_reasons,
	.shape = NOTICE_LINES,
	.flags = NOTICE_SECTION_DIAG,
};

static int
notes_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	return notice_match(ctx, res, &notes_spec);
}

const struct recog recog_notes = {
	.name = "notes",
	.match = notes_match,
	.enrich = NULL,
};
