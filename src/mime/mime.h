/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime.h - MIME structure of one message, parsed with hard caps.
 *
 * mime_parse() reads data[0..len) (no NUL needed; CRLF, LF or mixed line
 * ends; an mbox "From " first line is skipped) into a flat array of parts in
 * document order.  Part 0 is the top-level message.  A message/rfc822 or
 * message/global part gets the embedded message as its single child part, so
 * its headers are reachable like any other part's.  Header fields are
 * unfolded (CR/LF of folds removed) and bounded by max_header_bytes; NUL
 * bytes in values become spaces.  Multipart nesting is bounded by max_depth,
 * the part count by max_parts, the input by max_bytes; a boundary that never
 * closes ends at end of input.  Any cap hit sets mime_truncated().
 *
 * Bodies and header fields point into the caller's buffer (which must
 * outlive the mime_msg); a field is unfolded the first time it is asked
 * for, mime_body_decoded() decodes base64 / quoted-printable once per part,
 * and both results are cached in the mime_msg and stay valid until
 * mime_free().  Not thread-safe per object, not even for the lookups that
 * take a const mime_msg (they fill that cache); separate objects are
 * independent.
 */
#ifndef BM_MIME_H
#define BM_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/mime_part.h"

struct bounce_limits;
struct mime_msg;

struct mime_msg *mime_parse(const char *data, size_t len,
                            const struct bounce_limits *lim);
void mime_free(struct mime_msg *m);

size_t mime_nparts(const struct mime_msg *m);
const struct mime_part *mime_get_part(const struct mime_msg *m, size_t i);
/* True when part i sits inside a returned or forwarded message (an
 * ancestor is a message/ part). */
bool mime_in_message(const struct mime_msg *m, size_t i);
bool mime_truncated(const struct mime_msg *m);

/* First header field of that name (case-insensitive) in a part, or NULL
 * (also when out of memory).  The value is unfolded and NUL-terminated;
 * *value_len (may be NULL) gets its length. */
const char *mime_header(const struct mime_msg *m, size_t part,
                        const char *name, size_t *value_len);

/* Body with its transfer encoding undone.  Returns 0 and a pointer valid
 * until mime_free(); invalid base64 is decoded as far as possible (and
 * marks the message truncated).  -1 only when out of memory. */
int mime_body_decoded(struct mime_msg *m, size_t part, const char **out,
                      size_t *outlen);

/* Index of the first part (depth-first, document order) whose type equals
 * `type` (lower case), starting at index `from`; -1 if none. */
int mime_find_type(const struct mime_msg *m, const char *type, size_t from);

#endif
