/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sign.h - signing keys and day stamps for signed return paths (BATV, VERP).
 *
 * A key is a secret read from a file (its first line, CR/LF removed, 1 to
 * 64 bytes: Exim's prvs refuses longer keys) with a key id, one decimal
 * digit 0..9, so that keys can be rotated: sign with the new id while the
 * old one still verifies.  sign_key_load() takes "K:PATH" and refuses a
 * file that is not a regular file, is a symlink, or is readable or
 * writable by group or others.  A day stamp is the last three decimal
 * digits of a day number (days since 1970-01-01 UTC); a tag carries the
 * day on which it expires, as Exim's prvs does (signing day + 7 there).
 * sign_expired() accepts a stamp from today up to valid_days ahead, so a
 * tag is good through its expiry day and refused the day after.  Pure
 * and thread-safe once loaded; keys are wiped by sign_keys_wipe().
 */
#ifndef BM_SIGN_H
#define BM_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SIGN_KEY_MAX 64
#define SIGN_KEYS_MAX 10

enum sign_status {
	SIGN_NONE = 0,       /* not in the signed form at all */
	SIGN_OK,             /* tag verified with a configured key, not expired */
	SIGN_BAD,            /* unknown key id or wrong tag */
	SIGN_EXPIRED,        /* right tag, day stamp outside the validity window */
};

const char *sign_status_name(enum sign_status st);   /* "none", "valid", "bad", "expired" */

struct sign_key {
	unsigned id;                    /* 0..9 */
	unsigned char key[SIGN_KEY_MAX];
	size_t len;
};

struct sign_keys {
	struct sign_key k[SIGN_KEYS_MAX];
	size_t n;                       /* 0 = no signing configured */
	unsigned valid_days;            /* stamps accepted up to this many days ahead */
};

/* "K:PATH": load the key into ks (a second key with the same id is an
 * error).  0, or -1 with err set. */
int sign_key_load(const char *spec, struct sign_keys *ks, char *err, size_t errsz);
const struct sign_key *sign_key_find(const struct sign_keys *ks, unsigned id);
void sign_keys_wipe(struct sign_keys *ks);

/* Three-digit day stamp of the day `now + days` into out[4]. */
void sign_stamp(time_t now, unsigned days, char out[4]);
/* Is the three-digit stamp p[0..2] outside [today, today + valid_days]? */
bool sign_expired(const char *p, time_t now, unsigned valid_days);

/* Lower-case hex of HMAC-{SHA1,SHA256}(key, msg), at most outsz - 1 digits.
 * 0 or -1. */
int sign_hmac_hex(bool sha256, const struct sign_key *k, const char *msg,
                  size_t len, char *out, size_t digits);

#endif
