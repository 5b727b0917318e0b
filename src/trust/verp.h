/*
 * verp.h - decoding VERP envelope recipients, with an optional HMAC tag.
 *
 * A pattern is an address template with the placeholders {local} and
 * {domain}, and optionally {tag}: "bounces+{local}={domain}@lists.example.com"
 * or "bounces+{tag}+{local}={domain}@lists.example.com".  verp_decode()
 * matches an envelope recipient (case-insensitive outside the placeholders)
 * and rebuilds local@domain.  When a secret is set, the tag must equal the
 * first `tag_len` hex digits of HMAC-SHA256(secret, lower-case(local@domain))
 * (OpenSSL libcrypto), compared in constant time.  Pure and thread-safe.
 *
 * Tag algorithm, for mailing software: key = the bytes of the secret file's
 * first line (no CR/LF); message = the recipient address "local@domain",
 * ASCII lower-cased, no angle brackets; tag = the first tag_len characters
 * of the lower-case hex HMAC-SHA256 digest.  Secret "correct horse battery
 * staple", alice@example.com, tag_len 16 -> 150c6c66ecb64819.  Shell:
 *   printf %s "$addr" | tr A-Z a-z | openssl dgst -sha256 -hmac "$secret" |
 *     awk '{print substr($NF,1,16)}'
 * or tests/tools/verp-tag SECRET_FILE ADDRESS.  Decoding details: literal
 * text matches case-insensitively; {tag} is hex (any case), {domain} is
 * letters, digits, '-', '_', '.', {local} a dot-atom local part of at most
 * 64 octets (so with "{local}={domain}" the last '=' ends the local part);
 * the decoded address keeps the local part's case and lower-cases the
 * domain.  A secret with a pattern lacking {tag} gives VERP_BAD_TAG; a bad
 * tag still writes the decoded address to out.  Secret files: regular file,
 * no symlink, mode 0600 or stricter (no group/other bits), secret 1..256 bytes.
 */
#ifndef BM_VERP_H
#define BM_VERP_H

#include <stdbool.h>
#include <stddef.h>

enum verp_status {
	VERP_NO_MATCH = 0,   /* no pattern matched */
	VERP_OK,             /* decoded; tag verified or no secret configured */
	VERP_BAD_TAG,        /* decoded, but the tag is missing or wrong */
};

struct verp_secret {
	unsigned char key[256];
	size_t key_len;      /* 0 = no secret */
	unsigned tag_len;    /* hex digits, 8..64 */
};

/* Check a pattern's syntax for the config loader. */
bool verp_pattern_valid(const char *pattern);

/* Load a secret from a file (first line, trailing newline removed); the file
 * must not be group- or world-readable.  0 or -1 with err set. */
int verp_secret_load(const char *path, unsigned tag_len, struct verp_secret *s,
                     char *err, size_t errsz);

/* Try patterns (NULL-terminated) against rcpt; on a match writes the decoded,
 * normalised address to out. */
enum verp_status verp_decode(const char *const *patterns, const char *rcpt,
                             const struct verp_secret *secret, char *out,
                             size_t outsz);

/* Compute the tag for an address (for mailing software and tests). */
int verp_tag(const struct verp_secret *s, const char *addr, char *out,
             size_t outsz);

#endif
