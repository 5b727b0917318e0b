/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * batv.h - BATV signed return paths in the form of Exim's prvs.
 *
 *   prvs=KDDDSSSSSS=local@domain
 *
 * K is the key id (one digit), DDD the day stamp of the day the tag
 * expires (sign.h: last three digits of days since 1970-01-01 UTC, i.e.
 * floor(unix_time / 86400) + days, mod 1000; Exim always adds 7), SSSSSS
 * the first six lower-case hex digits (three bytes) of
 *   HMAC-SHA1(secret, K DDD local@domain)
 * over the address exactly as it appears in the tag (no case change).
 * This is what Exim's ${prvs{local@domain}{secret}{K}} expansion writes,
 * checked against Exim 4.96's own output (tests/unit/trust/test_batv.c gives
 * vectors).  batv_check() takes an envelope recipient ("prvs=" in any
 * case, angle brackets allowed), verifies the tag with the key of that id
 * (constant-time compare; hex in either case) and the day stamp against
 * ks->valid_days, and writes the inner address local@domain to inner
 * whatever the verdict (SIGN_NONE: inner is ""). Pure and thread-safe.
 */
#ifndef BM_BATV_H
#define BM_BATV_H

#include <stddef.h>
#include <time.h>

#include "trust/sign.h"

/* out gets "prvs=KDDDSSSSSS=addr"; 0, or -1 (bad address, no room). */
int batv_sign(const struct sign_key *k, const char *addr, time_t now,
              unsigned days, char *out, size_t outsz);

enum sign_status batv_check(const struct sign_keys *ks, const char *rcpt,
                            time_t now, char *inner, size_t innersz);

#endif
