/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verp.h - decoding VERP envelope recipients, with an optional HMAC tag.
 *
 * A pattern is an address template with the placeholders {local} and
 * {domain}, and optionally {tag}: "bounces+{local}={domain}@lists.example.com"
 * or "bounces+{tag}+{local}={domain}@lists.example.com".  verp_decode()
 * matches an envelope recipient (case-insensitive outside the placeholders)
 * and rebuilds local@domain.  When signing keys are configured (sign.h),
 * the tag must be K DDD HHHH...: the key id K, the three-digit day stamp
 * DDD of the day the tag expires, then the first tag_len lower-case hex
 * digits of HMAC-SHA256(secret of key K, "K" "DDD" lower-case(local@domain))
 * (OpenSSL libcrypto), compared in constant time, the stamp inside the
 * validity window.  Pure and thread-safe.
 *
 * Tag algorithm, for mailing software: message = the key id digit, the
 * day stamp, then the recipient address "local@domain", ASCII lower-cased,
 * no angle brackets; tag = K DDD + the first tag_len characters of the
 * lower-case hex HMAC-SHA256 digest.  Shell:
 *   printf %s "$K$DDD$addr" | tr A-Z a-z | openssl dgst -sha256 -hmac "$secret" |
 *     awk -v p="$K$DDD" '{print p substr($NF,1,16)}'
 * or bounce-sign(1).  Decoding details: literal
 * text matches case-insensitively; {tag} is hex (any case), {domain} is
 * letters, digits, '-', '_', '.', {local} a dot-atom local part of at most
 * 64 octets (so with "{local}={domain}" the last '=' ends the local part);
 * the decoded address keeps the local part's case and lower-cases the
 * domain.  Keys with a pattern lacking {tag} give VERP_BAD_TAG; a bad or
 * expired tag still writes the decoded address to out.
 */
#ifndef BM_VERP_H
#define BM_VERP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "trust/sign.h"

enum verp_status {
	VERP_NO_MATCH = 0,   /* no pattern matched */
	VERP_OK,             /* decoded; tag verified or no secret configured */
	VERP_BAD_TAG,        /* decoded, but the tag is missing or wrong */
	VERP_EXPIRED,        /* decoded, right tag, day stamp out of the window */
};

#define VERP_TAG_MIN 8
#define VERP_TAG_MAX 60      /* hex digits after K DDD ({tag} is at most 64) */

struct verp_check {
	const struct sign_keys *keys;   /* NULL or none: no tag required */
	unsigned tag_len;               /* hex digits after K DDD */
	time_t now;
};

/* Check a pattern's syntax for the config loader. */
bool verp_pattern_valid(const char *pattern);

/* Try patterns (NULL-terminated) against rcpt; on a match writes the decoded,
 * normalised address to out. */
enum verp_status verp_decode(const char *const *patterns, const char *rcpt,
                             const struct verp_check *chk, char *out,
                             size_t outsz);

/* Fill a pattern with addr (split at its last '@') and tag (NULL or "" when
 * the pattern has no {tag}); 0, or -1 (bad pattern or address, no room). */
int verp_render(const char *pattern, const char *addr, const char *tag,
                char *out, size_t outsz);

/* The tag K DDD HHHH... for addr, expiring `days` after now (bounce-sign). */
int verp_tag(const struct sign_key *k, unsigned tag_len, const char *addr,
             time_t now, unsigned days, char *out, size_t outsz);

#endif
