/*
 * analysis.h - what the classifier learns about one message, each thing
 * learnt once and handed to the readers that need it.
 *
 * Many readers ask the same questions: the facade and every recogniser
 * whether From or Subject announce a bounce and which phrases of their
 * lists From, Subject and the notification text hold; the DSN parser, the
 * recognisers, the command pass and classify_rcpt() what a record's
 * diagnostic says.  The answers are kept with what they are about, never
 * in memos keyed by the bytes of a text:
 *
 * struct analysis, one per message.  bounce_parse() sets it up with
 * analysis_init() and keeps it on its stack; the recognisers reach it as
 * recog_ctx.an.  The bounce signal and the daemon sender are found at
 * set-up.  The first question about a field (analysis_has()) scans it once
 * for every phrase of the lists learnt so far; later questions are
 * answered from the hits (a DSN seldom asks about its text, so no scan is
 * made before a question).  The analysis points into the caller's
 * strings, which must outlive it.
 *
 * Every answer is the one common_has_any() gives.  The analysis belongs to
 * whoever owns the message and is never shared between threads; the only
 * state beyond it is a per-thread phrase index per field (util/tcache),
 * learnt from the constant lists asked about.
 */
#ifndef BM_ANALYSIS_H
#define BM_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fields of a message analysis_has() answers about. */
enum analysis_field {
	ANALYSIS_TEXT = 0,   /* the notification text */
	ANALYSIS_FROM,       /* top-level From, decoded */
	ANALYSIS_SUBJECT,    /* top-level Subject, decoded */
	ANALYSIS_FIELDS
};

#define ANALYSIS_SIGNAL_FROM    1  /* From names a mailer daemon / postmaster */
#define ANALYSIS_SIGNAL_SUBJECT 2  /* Subject is a typical bounce subject */

#define ANALYSIS_PHRASES 192       /* = PHRASESCAN_MAX (asserted) */

/* Which phrases of a field's per-thread index the field holds. */
struct analysis_scan {
	bool scanned;    /* hits is filled */
	size_t indexed;  /* phrases of the index the scan covered (ids
	                    0..indexed-1); later ones are searched directly */
	uint64_t hits[(ANALYSIS_PHRASES + 63) / 64];
};

struct analysis {
	const char *field[ANALYSIS_FIELDS];  /* never NULL ("" if none) */
	size_t len[ANALYSIS_FIELDS];
	int signal;      /* ANALYSIS_SIGNAL_* of From and Subject (0: none) */
	bool daemon;     /* From names a bounce daemon: the signal's From
	                    words, "<>" or a few more ("Mailer Daemon", ...) */
	struct analysis_scan scan[ANALYSIS_FIELDS];
};

/* Set up the analysis of a message: its decoded From and Subject (C
 * strings, NULL for none) and notification text (text_len bytes, NULL for
 * none); finds the bounce signal and the daemon sender. */
void analysis_init(struct analysis *an, const char *from, const char *subject,
                   const char *text, size_t text_len);

/* Does the field hold a phrase of the constant NULL-terminated list
 * (ASCII case-insensitive, as common_has_any())?  The list's address
 * identifies it: the per-thread index learns it the first time. */
bool analysis_has(struct analysis *an, enum analysis_field field,
                  const char *const *phrases);

#endif
