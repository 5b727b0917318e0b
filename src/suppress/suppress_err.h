/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_err.h - the suppression list's error text (internal to suppress).
 *
 * Every failure of the list reaches its caller as one line in the caller's
 * buffer, "suppression list PATH: what is wrong".  suppress_err_set()
 * formats it (bounded by errsz and NUL-terminated; nothing is written when
 * err is NULL or errsz 0); suppress_err_str() is strerror() that any
 * thread may call, writing into the caller's buffer.  suppress.c and
 * suppress_file.c both report through it, so it lives below both.  No
 * state: thread-safe.
 */
#ifndef BM_SUPPRESS_ERR_H
#define BM_SUPPRESS_ERR_H

#include <stddef.h>

void suppress_err_set(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Thread-safe strerror into buf (returns buf or a static string). */
const char *suppress_err_str(int errnum, char *buf, size_t bufsz);
/* suppress_err_str() into the caller's local `char ebuf[...]`. */
#define SUPPRESS_ESTR(e) suppress_err_str((e), ebuf, sizeof(ebuf))

#endif
