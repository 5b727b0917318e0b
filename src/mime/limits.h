/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * limits.h - the caps that bound the work done on one message.
 *
 * Every parser below the facade takes its caps from struct bounce_limits:
 * bytes looked at, MIME depth and parts, header field size and count, and
 * recipient results kept.  bounce_limits_default() gives the sane defaults
 * used when a caller passes no limits.  Hitting a cap is reported by the
 * parsers (result->truncated), never a silent cut.
 */
#ifndef BM_LIMITS_H
#define BM_LIMITS_H

#include <stddef.h>

struct bounce_limits {
	size_t max_bytes;        /* bytes of input looked at */
	size_t max_depth;        /* MIME nesting depth */
	size_t max_parts;        /* MIME parts in all */
	size_t max_header_bytes; /* one unfolded header field */
	size_t max_headers;      /* header fields per part */
	size_t max_rcpt;         /* recipient results kept */
};

/* Sane defaults: 4 MiB, depth 16, 256 parts, 16 KiB headers, 512 fields, 1000 rcpts. */
void bounce_limits_default(struct bounce_limits *lim);

#endif
