/*
 * suppress.h - the durable suppression list (DESIGN section 5).
 *
 * One local file, one entry per address, in one of four formats: plain
 * (address per line), csv (header row; address, first_seen, status, reason,
 * reporting_mta, queue_id), jsonl, postfix (access(5): "addr REJECT 5.1.1 ...").
 * suppress_open() opens safely (O_NOFOLLOW, regular file, one link, not
 * group/world-writable unless asked), repairs a torn last line left by a crash,
 * and loads every address already listed into an in-memory set.
 * suppress_append() skips addresses already listed, writes each new entry as
 * one whole line with one write(2) on an O_APPEND descriptor under flock(2),
 * and returns only after fsync (when fsync is on): callers may acknowledge the
 * bounce once it returns 0.  Concurrent callers are group-committed: entries
 * that arrive while an fsync runs share the next one.  When the file was
 * renamed away or removed (inode changed), the next append reopens the path.
 * Thread-safe: one suppress_list may be shared by all threads.
 */
#ifndef BM_SUPPRESS_H
#define BM_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum suppress_format {
	SUPPRESS_PLAIN = 0,
	SUPPRESS_CSV,
	SUPPRESS_JSONL,
	SUPPRESS_POSTFIX,
};

struct suppress_entry {
	const char *addr;          /* normalised address (required) */
	const char *status;        /* "5.1.1" or "" */
	const char *reason;        /* "userunknown" */
	const char *reporting_mta; /* or "" */
	const char *queue_id;      /* or "" */
	time_t when;               /* first seen */
};

struct suppress_opts {
	enum suppress_format format;
	bool fsync;                /* fsync before returning from append */
	bool fold_local;           /* compare local parts case-insensitively */
};

struct suppress_list;

/* -1 if the name is unknown */
int suppress_format_from_name(const char *name);
const char *suppress_format_name(enum suppress_format f);

struct suppress_list *suppress_open(const char *path, const struct suppress_opts *o,
                                    char *err, size_t errsz);
void suppress_close(struct suppress_list *l);

bool suppress_contains(struct suppress_list *l, const char *addr);
size_t suppress_count(struct suppress_list *l);

/* Append the entries not yet listed; *added gets how many were new.
 * Returns 0 when all new entries are durable, -1 (err set) when any failed:
 * the failed ones are not in the in-memory set, so a retry writes them. */
int suppress_append(struct suppress_list *l, const struct suppress_entry *e,
                    size_t n, size_t *added, char *err, size_t errsz);

/* Reopen the path (SIGUSR1, or after a rename); 0 or -1. */
int suppress_reopen(struct suppress_list *l, char *err, size_t errsz);

#endif
