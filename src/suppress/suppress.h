/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress.h - the durable suppression list (DESIGN section 5).
 *
 * One file, one line per address: plain, csv (header row; address, first_seen,
 * status, reason, reporting_mta, queue_id), jsonl, postfix (access(5) line).
 * suppress_open() opens safely (O_NOFOLLOW, regular, one link, never group/
 * world-writable), cuts a torn last line, loads every listed address into a set.
 * suppress_append() writes each new entry as one whole line, one write(2) on an
 * O_APPEND fd under flock(2), and returns 0 only once the entries are durable
 * (fsync); concurrent callers share one fsync (group commit).  The set mirrors
 * the file at the path: when that names another inode (a consumer renamed it
 * away: it has taken those entries) the next append reopens and the set is
 * reset to the new file, so an address that bounces again is listed again.
 * Consumers: rename, then flock(LOCK_EX) the renamed file before reading it.
 * Thread-safe: one suppress_list may be shared by all threads.
 */
#ifndef BM_SUPPRESS_H
#define BM_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "suppress/suppress_format.h"

struct suppress_list;

/* NULL with err set ("suppression list /x/y: is a symbolic link").  The
 * directory must exist; the file is created mode 0640 (less the umask), a
 * new csv file gets its header row.  Blank and '#' lines are ignored; a file
 * whose entries are in another format than o->format is refused. */
struct suppress_list *suppress_open(const char *path, const struct suppress_opts *o,
                                    char *err, size_t errsz);
void suppress_close(struct suppress_list *l);

/* The checks suppress_open() makes on the path, without opening it (for
 * bounce-milter -t and the config loader): folder and file modes, links.
 * 0, or -1 with err. */
int suppress_check_path(const char *path, char *err, size_t errsz);

/* Can the list hold this address?  The one rule (suppress_line_addr, used
 * by suppress_append too): one '@' with text on both sides, no white space
 * or control characters, valid UTF-8, at most 254 octets, not starting
 * with '#'.  The daemon asks before it decides to list an address, so an
 * address the list refuses is logged and skipped, never a write error
 * (issue 10, attack 7).  Pure, thread-safe. */
bool suppress_addr_ok(const char *addr);

/* Durable entries only (a line being written is not "contained" yet);
 * addr is normalised first (domain lower-cased, local part per fold_local). */
bool suppress_contains(struct suppress_list *l, const char *addr);
size_t suppress_count(struct suppress_list *l);

/* Bytes cut from an unterminated last line by the latest open or reopen
 * (0 if the file ended cleanly): the caller logs it.  Added, compatible. */
size_t suppress_repaired_bytes(struct suppress_list *l);
/* Lines of the file with no valid address, skipped by the latest (re)open. */
size_t suppress_skipped_lines(struct suppress_list *l);

/* Append the entries not yet listed; *added gets how many were new.
 * Returns 0 when all new entries are durable, -1 (err set) when any failed:
 * the failed ones are not in the in-memory set, so a retry writes them.
 * Addresses must be valid (one '@', no whitespace or control characters,
 * UTF-8, <= 254 octets, not starting with '#'): an invalid one is refused
 * (never written, -1 with err) while the valid ones in the call are still
 * written and counted.  Other fields are sanitised (control characters
 * become spaces, invalid UTF-8 '?', lengths bounded); when 0 means now.
 * The postfix format writes "addr REJECT 5.x.y bounce-milter: reason"
 * (empty or malformed status: 5.1.1; 4.x.y becomes 5.x.y).
 * Each call checks the path's inode; after a failed reopen every append
 * fails (and retries the reopen) until one succeeds.  The set holds what
 * this list loaded or wrote: lines another process appends are seen at the
 * next reopen (flock keeps their lines and ours whole). */
int suppress_append(struct suppress_list *l, const struct suppress_entry *e,
                    size_t n, size_t *added, char *err, size_t errsz);

/* Reopen the path (SIGUSR1, or after a rename); 0 or -1.  Not from a
 * signal handler: call it from a thread that noticed the signal. */
int suppress_reopen(struct suppress_list *l, char *err, size_t errsz);

/* Edits for the control socket (suppress_edit.c).  suppress_remove() takes
 * the list as a writer would (appends queue behind it), reopens first if
 * the path names another file, then rewrites the file without addr's lines:
 * a new file in the same directory, fsync, exchanged atomically with the
 * path (renameat2 RENAME_EXCHANGE; plain rename where the file system lacks
 * it), the directory fsync'd, the list reopened and its set reloaded.  A
 * consumer that renamed the list away first keeps its file: the removal
 * then finds nothing.  *removed says whether anything was removed (an
 * absent address is not an error).  0 or -1 (err). */
int suppress_remove(struct suppress_list *l, const char *addr, bool *removed,
                    char *err, size_t errsz);
/* Every durable address, sorted, one per line ('\n'): *out is malloc'd
 * (the caller frees it; NULL when empty), *count the number of lines. */
int suppress_export(struct suppress_list *l, char **out, size_t *len,
                    size_t *count, char *err, size_t errsz);

#endif
