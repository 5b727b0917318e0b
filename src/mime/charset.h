/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * charset.h - text in a declared charset, converted to UTF-8 with
 * iconv(3) so that phrase tables written in UTF-8 match it.
 *
 * Only the charsets of charset_known() are converted: ISO-2022-JP,
 * Shift_JIS (and CP932), EUC-JP, GB2312, GBK, GB18030, Big5, KOI8-R,
 * KOI8-U, windows-1250 to windows-1258 and ISO-8859-1 to -16.  Any other
 * name is refused, so a sender cannot make us load an arbitrary gconv
 * module.  charset_to_utf8() writes at most outsz - 1 bytes and a NUL,
 * never cuts a UTF-8 sequence, and returns the length written; it returns
 * (size_t)-1 (out is then "") when the charset is not one of ours, iconv
 * cannot open it, or the text holds a byte sequence the charset does not
 * allow (a wrong label: the caller keeps the text as it is).  Thread-safe:
 * each call opens and closes its own converter.
 */
#ifndef BM_CHARSET_H
#define BM_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/* The name (any case) is UTF-8 or a subset of it: "", us-ascii, utf-8. */
bool charset_is_utf8(const char *name);
/* The name is one charset_to_utf8() converts. */
bool charset_known(const char *name);
size_t charset_to_utf8(const char *name, const char *in, size_t len,
                       char *out, size_t outsz);

#endif
