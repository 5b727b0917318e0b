/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_format.h - the vocabulary the suppression list's modules share
 * (internal to suppress, re-exported by suppress.h): the four line
 * formats and their names, one entry's fields, the open options.
 *
 * suppress.c, suppress_file.c and suppress_line.c all need these; they
 * live here, below all three, so none of them includes another's header
 * for its types.  suppress_format_from_name() and suppress_format_name()
 * map between a format and its name in the config ("plain", "csv",
 * "jsonl", "postfix").  Constant data only: thread-safe.
 */
#ifndef BM_SUPPRESS_FORMAT_H
#define BM_SUPPRESS_FORMAT_H

#include <stdbool.h>
#include <time.h>

enum suppress_format {
	SUPPRESS_PLAIN = 0,
	SUPPRESS_CSV,
	SUPPRESS_JSONL,
	SUPPRESS_POSTFIX,
};
#define SUPPRESS_NFORMATS 4        /* formats above are 0..SUPPRESS_NFORMATS-1 */

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

/* -1 if the name is unknown */
int suppress_format_from_name(const char *name);
/* "unknown" for a value outside the enum; never NULL. */
const char *suppress_format_name(enum suppress_format f);

#endif
