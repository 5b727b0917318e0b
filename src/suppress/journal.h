/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journal.h - the suppression list read back as a journal, for a shipper.
 *
 * The local list is the durable record; a shipper (daemon/sink_pg.c) copies
 * its entries elsewhere and must never skip or invent one.  journal_read()
 * returns whole lines after the committed position, parsed into fields
 * (suppress_line_fields()), read under a shared flock(2) so that an append
 * in flight (written, not yet fsync'd) is never seen half done.  When a
 * consumer renames the list away, the journal first drains the old file
 * (the descriptor it holds) to its end, then follows the path to the new
 * file: no entry is skipped, and one batch never spans two files.
 * journal_commit() makes the position of the last batch durable (temporary
 * file, fsync, rename, fsync of the directory); entries read but not
 * committed are read again by the next journal_read() after
 * journal_rewind(), or after a restart.  One journal per thread: no locking.
 */
#ifndef BM_JOURNAL_H
#define BM_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "suppress/suppress.h"
#include "suppress/suppress_line.h"

struct journal;

/* list: the suppression list's path; pos: the position file.  Neither need
 * exist yet.  NULL with err set on a bad position file or no memory. */
struct journal *journal_open(const char *list, const char *pos,
                             enum suppress_format fmt, bool fold,
                             char *err, size_t errsz);
void journal_close(struct journal *j);

/* Called for each meaningful line (not blank, not '#') of a read, with the
 * index the entry would take: 1 taken, 0 not an entry (passed over
 * silently), -1 invalid (passed over and counted).  The line is not
 * NUL-terminated and lives only during the call. */
typedef int (*journal_take_fn)(void *arg, size_t i, const char *line, size_t len);

/* As journal_read(), for any line-oriented file written under the same
 * protocol (the event log): the caller's function keeps what it takes. */
int journal_read_with(struct journal *j, journal_take_fn take, void *arg,
                      size_t max, size_t *n, char *err, size_t errsz);

/* Up to max entries after the committed position into out; *n gets how
 * many.  0 (with *n == 0 when there is nothing new), or -1 with err set on
 * an I/O error (the position is unchanged).  Lines with no valid entry are
 * passed over and counted (journal_skipped()). */
int journal_read(struct journal *j, struct suppress_line_fields *out,
                 size_t max, size_t *n, char *err, size_t errsz);
/* The entries of the last read are safe elsewhere: save the position. */
int journal_commit(struct journal *j, char *err, size_t errsz);
/* They are not: the next read starts again at the committed position. */
void journal_rewind(struct journal *j);

/* Bytes of the current file after the committed position (0 if none). */
uint64_t journal_backlog(struct journal *j);
/* Lines passed over since open (unparsable, invalid address). */
uint64_t journal_skipped(const struct journal *j);
/* True once, after open found a position for a file that the path no
 * longer names (the list was renamed away while no shipper ran). */
bool journal_take_replaced(struct journal *j);

#endif
