/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdr.h - header values in and out.
 *
 * In: hdr_decode() turns an unfolded header value with RFC 2047 encoded
 * words (B and Q; UTF-8, US-ASCII and ISO-8859-1 are converted to UTF-8,
 * other charsets are kept as their raw decoded bytes) into text, bounded by
 * outsz.  Out: hdr_sanitise() makes a value safe to write into a header we
 * add: no CR, LF, NUL or other control characters, no invalid UTF-8, length
 * bounded.  hdr_fold() folds a sanitised value for a header named `name` at
 * white space so that no line passes 78 octets where possible and never
 * 998; folds are LF + one space (libmilter's convention, no CR).
 * Pure and thread-safe; all outputs NUL-terminated.
 */
#ifndef BM_HDR_H
#define BM_HDR_H

#include <stddef.h>

size_t hdr_decode(const char *in, size_t inlen, char *out, size_t outsz);
size_t hdr_sanitise(const char *in, size_t inlen, char *out, size_t outsz);
/* Returns the folded length, or (size_t)-1 if out is too small. */
size_t hdr_fold(const char *name, const char *value, char *out, size_t outsz);

#endif
