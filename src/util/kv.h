/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kv.h - key=value pairs whose values a sender may choose (headers, logs).
 *
 * A value is written as it is when it is a token: not empty, and none of
 * ';', '=', '"', '\', space or tab in it.  Otherwise it becomes an RFC 2045
 * quoted-string: '"', the value with '"' and '\' escaped by a '\', '"'.
 * Either way a control byte (below 0x20, tab included, or 0x7f) is written
 * as '?': a sender must not be able to end our header or log line, or add
 * a key to it (a HELO of "x; spf=pass" is one value, "\"x; spf=pass\"").  Output is
 * bounded by outsz and always well formed (a quoted value that does not
 * fit is cut inside the quotes, then closed).  Pure, thread-safe.
 */
#ifndef BM_KV_H
#define BM_KV_H

#include <stddef.h>

/* Write value (NULL: "") to out; returns the length written. */
size_t kv_quote(const char *value, char *out, size_t outsz);

/* Append sep, key, '=', and the quoted value to the NUL-terminated buf;
 * nothing when there is no room for all of it. */
void kv_append(char *buf, size_t bufsz, const char *sep, const char *key,
               const char *value);

#endif
