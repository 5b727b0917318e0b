/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_ctype.h - a part's type from its Content-Type and
 * Content-Transfer-Encoding values (internal to mime).
 *
 * mime_ctype_parse() sets type (lower case; text/plain, or message/rfc822
 * inside a multipart/digest, when the field is absent or its type token is
 * not "x/y"; an unknown multipart/x becomes multipart/mixed), boundary,
 * charset and report-type (lower case) of a struct mime_part.  Parameters
 * are found in one pass: quoted strings, RFC 2231 extended values and
 * continuations (up to 32 segments) are undone; a later parameter of the
 * same name replaces an earlier one; a value that does not fit its array
 * is dropped.  mime_ctype_encoding() sets encoding ("" for 7bit).  Values
 * are read within the given length (no NUL needed).  No allocation, no
 * state: thread-safe.
 */
#ifndef BM_MIME_CTYPE_H
#define BM_MIME_CTYPE_H

#include <stdbool.h>
#include <stddef.h>

struct mime_part;

/* v == NULL: no Content-Type field.  Returns false when the boundary did
 * not fit (pt->boundary is then "" and the message counts as truncated). */
bool mime_ctype_parse(struct mime_part *pt, const char *v, size_t vlen,
                      bool digest);
void mime_ctype_encoding(struct mime_part *pt, const char *v, size_t vlen);

/* Whether a part of this type (lower case) holds one embedded message,
 * to be parsed as its child part. */
bool mime_ctype_embeds_message(const char *type);

#endif
