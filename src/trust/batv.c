/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * batv.c - Exim-compatible prvs signing and checking.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "trust/batv.h"

#define BATV_ADDR_MAX 320      /* 64 local + @ + 255 domain */

/* One '@', neither end empty, no white space or control bytes, bounded. */
static int
batv_addr_ok(const char *a, size_t n)
{
	const char *at = memchr(a, '@', n);

	if (n == 0 || n > BATV_ADDR_MAX || at == NULL || at == a || at == a + n - 1 ||
	    memchr(at + 1, '@', (size_t)(a + n - at - 1)) != NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a[i] <= ' ' || a[i] == 0x7f || a[i] == '<' || a[i] == '>')
			return 0;
	return 1;
}

/* "K" "DDD" "local@domain": the bytes Exim hashes. */
static int
batv_hash(const struct sign_key *k, unsigned id, const char *day, const char *addr,
          size_t n, char out[7])
{
	char msg[4 + BATV_ADDR_MAX + 1];

	msg[0] = (char)('0' + id);
	memcpy(msg + 1, day, 3);
	memcpy(msg + 4, addr, n);
	return sign_hmac_hex(false, k, msg, 4 + n, out, 6);
}

int
batv_sign(const struct sign_key *k, const char *addr, time_t now, unsigned days,
          char *out, size_t outsz)
{
	char day[4], hash[7];
	size_t n;

	if (k == NULL || addr == NULL || out == NULL)
		return -1;
	n = strlen(addr);
	if (!batv_addr_ok(addr, n))
		return -1;
	sign_stamp(now, days, day);
	if (batv_hash(k, k->id, day, addr, n, hash) != 0)
		return -1;
	if ((size_t)snprintf(out, outsz, "prvs=%u%s%s=%s", k->id, day, hash, addr) >= outsz)
		return -1;
	return 0;
}

enum sign_status
batv_check(const struct sign_keys *ks, const char *rcpt, time_t now, char *inner,
           size_t innersz)
{
	const struct sign_key *k;
	char want[7], got[7];
	const char *p, *addr;
	size_t len, n;

	if (inner != NULL && innersz > 0)
		inner[0] = '\0';
	if (rcpt == NULL || inner == NULL || innersz == 0)
		return SIGN_NONE;
	len = strnlen(rcpt, BATV_ADDR_MAX + 20);
	if (len >= 2 && rcpt[0] == '<' && rcpt[len - 1] == '>') {
		rcpt++;
		len -= 2;
	}
	/* prvs= K DDD SSSSSS = local@domain */
	if (len < 5 + 10 + 1 + 3 || strncasecmp(rcpt, "prvs=", 5) != 0 || rcpt[15] != '=')
		return SIGN_NONE;
	p = rcpt + 5;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return SIGN_NONE;
	for (int i = 4; i < 10; i++)
		if (!isxdigit((unsigned char)p[i]))
			return SIGN_NONE;
	addr = rcpt + 16;
	n = len - 16;
	if (!batv_addr_ok(addr, n) || n + 1 > innersz)
		return SIGN_NONE;
	memcpy(inner, addr, n);
	inner[n] = '\0';
	k = sign_key_find(ks, (unsigned)(p[0] - '0'));
	if (k == NULL || batv_hash(k, k->id, p + 1, addr, n, want) != 0)
		return SIGN_BAD;
	for (int i = 0; i < 6; i++)
		got[i] = (char)tolower((unsigned char)p[4 + i]);
	got[6] = '\0';
	if (CRYPTO_memcmp(got, want, 6) != 0)
		return SIGN_BAD;
	if (sign_expired(p + 1, now, ks->valid_days))
		return SIGN_EXPIRED;
	return SIGN_OK;
}
