/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_line.h - one line of the suppression list (internal to suppress).
 *
 * suppress_line_addr() validates an address (one '@' with text on both
 * sides, no whitespace or control characters, valid UTF-8, at most
 * SUPPRESS_ADDR_MAX octets, not starting with '#', a comment in every
 * format) and writes its stored form: domain lower-cased, local part too
 * when fold.  suppress_line_format() writes one whole line, '\n' included,
 * with every field sanitised (control characters become spaces, invalid
 * UTF-8 '?', lengths bounded) and quoted per format (RFC 4180, JSON).
 * suppress_line_guess() and suppress_line_parse() read a line back (ours or
 * hand-written; the caller strips blank and '#' lines); suppress_line_fields()
 * reads every field of it, for the journal reader.  Pure, thread-safe;
 * output bounded by the caller's buffer sizes.
 */
#ifndef BM_SUPPRESS_LINE_H
#define BM_SUPPRESS_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "suppress/suppress_format.h"

#define SUPPRESS_ADDR_MAX   254        /* RFC 5321 path limit less brackets */
#define SUPPRESS_LINE_MAX   4096       /* any formatted entry fits */
#define SUPPRESS_CSV_HEADER \
	"address,first_seen,status,reason,reporting_mta,queue_id\n"

/* Length written to out (SUPPRESS_ADDR_MAX + 1 bytes), or -1 if invalid. */
int suppress_line_addr(const char *in, size_t len, bool fold, char *out);

/* Line length, or 0 if it did not fit; e->when 0 means now. */
size_t suppress_line_format(enum suppress_format f, const char *addr,
                            const struct suppress_entry *e, time_t now,
                            char *buf, size_t bufsz);

/* The format [p, end) looks like: '{' jsonl; the csv header or five
 * commas outside quotes csv; a key then more text postfix; else plain. */
enum suppress_format suppress_line_guess(const char *p, const char *end);

/* The raw address of [p, end) into out (not yet validated): 0, 1 for a
 * line that holds no entry (the csv header), -1 if unparsable. */
int suppress_line_parse(enum suppress_format f, const char *p, const char *end,
                        char *out, size_t outsz, size_t *n);

/* Every field of one line: the validated stored address (as
 * suppress_line_addr() with fold) and, where the format carries them,
 * first_seen, status, reason, reporting MTA, queue id and origin level
 * ("" when absent, unreadable or too long).  0, 1 for a line that holds no
 * entry (the csv header), -1 if unparsable or the address is invalid. */
struct suppress_line_fields {
	char addr[SUPPRESS_ADDR_MAX + 1];
	char first_seen[40];
	char status[16];
	char reason[64];
	char reporting_mta[256];
	char queue_id[64];
	char origin[32];
};
int suppress_line_fields(enum suppress_format fmt, const char *p, const char *end,
                         bool fold, struct suppress_line_fields *f);

#endif
