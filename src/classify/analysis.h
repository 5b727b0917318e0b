/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analysis.h - what is read out of a message and its records, read once
 * and handed to every reader that asks (no memo keyed by a text's bytes).
 *
 * struct analysis, one per message: bounce_parse() sets it up on its stack
 * from the decoded From, Subject and notification text (which must outlive
 * it) and the recognisers reach it as recog_ctx.an.  The bounce signal and
 * the daemon sender are found at set-up; which phrases of the lists asked
 * about a field holds comes from one scan of the field, made at the first
 * question.  Per record, analysis_diag_*(): status_find() and
 * smtpcmd_find() of its diagnostic, each read at the first question and
 * kept in the record (struct record_diag, so it moves with the record);
 * whoever writes into a diagnostic calls analysis_diag_forget().  Answers
 * equal text_find_any(), status_find() and smtpcmd_find()'s.  Owned by
 * the owner of the message or record, never shared between threads; the
 * only other state is a per-thread phrase index per field (util/tcache).
 */
#ifndef BM_ANALYSIS_H
#define BM_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/smtpcmd.h"

struct bounce_rcpt;  /* record.h */

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
	const char *field[ANALYSIS_FIELDS];  /* NULL if the message has none */
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
 * (ASCII case-insensitive, as text_find_any())?  The list's address
 * identifies it: the per-thread index learns it the first time. */
bool analysis_has(struct analysis *an, enum analysis_field field,
                  const char *const *phrases);

/* A record's diagnostic, read once (see above): what was read is kept in
 * r->diag_read (struct record_diag, record.h). */

/* status_find() of r->diagnostic into status (statussz bytes) and
 * *replycode (either may be NULL), read once per diagnostic. */
bool analysis_diag_status(struct bounce_rcpt *r, char *status,
                          size_t statussz, int *replycode);
/* smtpcmd_find() of r->diagnostic, read once per diagnostic. */
enum smtpcmd analysis_diag_command(struct bounce_rcpt *r);
/* r->diagnostic was written: what was read of it no longer holds. */
void analysis_diag_forget(struct bounce_rcpt *r);

#endif
