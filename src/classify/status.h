/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * status.h - RFC 3463 enhanced status codes and SMTP reply codes.
 *
 * status_valid() checks the syntax class "." subject "." detail (class 2,
 * 4 or 5; subject and detail 0-999 without leading zeros beyond one
 * digit).  status_find() extracts an enhanced code, and the SMTP reply
 * code near it, from free text such as "550 5.1.1 ...", "550-5.1.1",
 * "#5.1.0", "(5.2.2)", "[5.7.1]", "status=5.1.1"; when several occur it
 * prefers the one in an SMTP reply line ("550 5.1.1"), then the first.  It
 * does not match version numbers, IP addresses, dates or longer digit runs.
 * All functions are pure and thread-safe; output buffers are bounded.
 */
#ifndef BM_STATUS_H
#define BM_STATUS_H

#include <stdbool.h>
#include <stddef.h>

bool status_valid(const char *code);
/* Normalise "5.01.1" etc. into out ("5.1.1"); returns false if invalid. */
bool status_normalise(const char *in, char *out, size_t outsz);

/* Find an enhanced status code in text[0..len).  On success copies it to
 * status (bounded) and returns true; *replycode gets the SMTP reply code found
 * next to it or alone (e.g. "550"), 0 if none.  Either may be found alone:
 * returns true if at least one of them was found. */
bool status_find(const char *text, size_t len, char *status, size_t statussz,
                 int *replycode);

/* true for a plausible SMTP reply code: 2xx, 4xx, 5xx with digits 0-5 / 0-9 */
bool status_replycode_valid(int code);

/* The class digit of a code ('2', '4', '5'), or 0. */
char status_class(const char *code);

#endif
