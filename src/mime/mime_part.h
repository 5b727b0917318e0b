/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_part.h - what the MIME parser knows of one part (struct mime_part).
 *
 * mime.h hands these out (mime_get_part()); mime_ctype.h fills the type,
 * boundary, charset, report-type and encoding of one from its fields, so
 * the struct lives here, below both.  The strings are NUL-terminated and
 * bounded by their arrays; body points into the caller's buffer (see
 * mime.h for its lifetime).
 */
#ifndef BM_MIME_PART_H
#define BM_MIME_PART_H

#include <stddef.h>

struct mime_part {
	int parent;              /* index of the parent part, -1 for part 0 */
	unsigned depth;          /* 0 for part 0 */
	char type[80];           /* "text/plain" lower case; default text/plain */
	char boundary[128];      /* multipart boundary, "" if none */
	char charset[40];        /* lower case, "" if none */
	char report_type[40];    /* multipart/report report-type, lower case */
	char encoding[32];       /* Content-Transfer-Encoding, lower case, "" = 7bit */
	const char *body;        /* raw body bytes (inside the caller's buffer) */
	size_t body_len;
	size_t nheaders;
};

#endif
