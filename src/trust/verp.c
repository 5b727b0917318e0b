/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verp.c - VERP pattern matching, decoding and HMAC tags.
 *
 * Matching is anchored at both ends; the literal text of a pattern matches
 * case-insensitively; {tag} matches 1..64 hex digits, {domain} a domain name
 * (letters, digits, '-', '_', '.'), {local} a dot-atom local part (RFC 5322
 * atext, '.', and UTF-8 bytes).  Because {domain} cannot contain '=' or '+'
 * and {tag} is hex, the usual separators make a decode unambiguous; the
 * matcher still backtracks over the possible splits; each placeholder stops
 * at its length cap or its first invalid character, so hostile input costs
 * bounded time (at most 64 * 64 * 253 literal compares).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "trust/verp.h"

#define BM_VERP_MAX       512   /* longest recipient or pattern considered */
#define BM_VERP_LOCAL_MAX 64
#define BM_VERP_DOM_MAX   253
#define BM_VERP_TAG_MAX   64

enum verp_ph { VERP_PH_LOCAL, VERP_PH_DOMAIN, VERP_PH_TAG, VERP_PH_NONE };

static const struct {
	const char *name;
	enum verp_ph ph;
} verp_names[] = {
	{ "{local}", VERP_PH_LOCAL },
	{ "{domain}", VERP_PH_DOMAIN },
	{ "{tag}", VERP_PH_TAG },
};

/* A pattern split into literal / placeholder pieces. */
struct verp_piece {
	enum verp_ph ph;            /* VERP_PH_NONE: literal */
	const char *lit;
	size_t len;
};

#define BM_VERP_PIECES 7        /* lit ph lit ph lit ph lit */

struct verp_span {
	const char *p;
	size_t len;
};

struct verp_match {
	struct verp_span span[3];   /* indexed by enum verp_ph */
	bool have[3];
};

static bool verp_local_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || (c && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

static bool verp_domain_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

static bool verp_class_ok(enum verp_ph ph, unsigned char c)
{
	return ph == VERP_PH_LOCAL ? verp_local_char(c)
		: ph == VERP_PH_DOMAIN ? verp_domain_char(c) : isxdigit(c) != 0;
}

static bool verp_span_ok(enum verp_ph ph, const char *p, size_t len)
{
	switch (ph) {
	case VERP_PH_LOCAL:
		if (len == 0 || len > BM_VERP_LOCAL_MAX)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!verp_local_char((unsigned char)p[i]))
				return false;
		return true;
	case VERP_PH_DOMAIN:
		if (len == 0 || len > BM_VERP_DOM_MAX || p[0] == '.'
		    || p[len - 1] == '.')
			return false;
		for (size_t i = 0; i < len; i++) {
			if (!verp_domain_char((unsigned char)p[i]))
				return false;
			if (p[i] == '.' && i + 1 < len && p[i + 1] == '.')
				return false;
		}
		return true;
	case VERP_PH_TAG:
		if (len == 0 || len > BM_VERP_TAG_MAX)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!isxdigit((unsigned char)p[i]))
				return false;
		return true;
	default:
		return false;
	}
}

/* Split a pattern; -1 if its syntax is wrong. */
static int verp_split(const char *pat, struct verp_piece *pc, size_t *npc)
{
	size_t n = 0, len;
	bool seen[3] = { false, false, false };
	const char *p = pat, *last_lit = NULL;
	size_t last_lit_len = 0;
	bool prev_is_ph = false;

	if (pat == NULL)
		return -1;
	len = strlen(pat);
	if (len == 0 || len > BM_VERP_MAX)
		return -1;
	while (*p) {
		if (*p == '{') {
			size_t i;
			for (i = 0; i < sizeof(verp_names) / sizeof(verp_names[0]); i++)
				if (strncmp(p, verp_names[i].name,
				            strlen(verp_names[i].name)) == 0)
					break;
			if (i == sizeof(verp_names) / sizeof(verp_names[0]))
				return -1;                   /* unknown placeholder */
			if (seen[verp_names[i].ph] || prev_is_ph || n == BM_VERP_PIECES)
				return -1;                   /* twice, or adjacent */
			seen[verp_names[i].ph] = true;
			pc[n].ph = verp_names[i].ph;
			pc[n].lit = NULL;
			pc[n].len = 0;
			n++;
			p += strlen(verp_names[i].name);
			prev_is_ph = true;
			continue;
		}
		{
			size_t l = strcspn(p, "{");
			for (size_t i = 0; i < l; i++) {
				unsigned char c = (unsigned char)p[i];
				if (c <= ' ' || c >= 0x7f || c == '}' || c == '<'
				    || c == '>' || c == '"' || c == '\\')
					return -1;
			}
			if (n == BM_VERP_PIECES)
				return -1;
			pc[n].ph = VERP_PH_NONE;
			pc[n].lit = p;
			pc[n].len = l;
			last_lit = p;
			last_lit_len = l;
			n++;
			p += l;
			prev_is_ph = false;
		}
	}
	if (!seen[VERP_PH_LOCAL] || !seen[VERP_PH_DOMAIN] || prev_is_ph)
		return -1;
	/* The one '@' sits in the final literal, followed by a domain. */
	{
		const char *at = memchr(last_lit, '@', last_lit_len);
		size_t ats = 0;
		for (size_t i = 0; i < n; i++)
			if (pc[i].ph == VERP_PH_NONE)
				for (size_t j = 0; j < pc[i].len; j++)
					ats += pc[i].lit[j] == '@';
		if (ats != 1 || at == NULL
		    || !verp_span_ok(VERP_PH_DOMAIN, at + 1,
		                     last_lit_len - (size_t)(at + 1 - last_lit)))
			return -1;
	}
	*npc = n;
	return 0;
}

bool verp_pattern_valid(const char *pattern)
{
	struct verp_piece pc[BM_VERP_PIECES];
	size_t n;

	return verp_split(pattern, pc, &n) == 0;
}

/* Backtracking match of pieces[i..] against s[0..len). */
static bool verp_match_from(const struct verp_piece *pc, size_t n, size_t i,
                            const char *s, size_t len, struct verp_match *m)
{
	if (i == n)
		return len == 0;
	if (pc[i].ph == VERP_PH_NONE) {
		if (pc[i].len > len || strncasecmp(s, pc[i].lit, pc[i].len) != 0)
			return false;
		return verp_match_from(pc, n, i + 1, s + pc[i].len,
		                       len - pc[i].len, m);
	}
	/* A placeholder is always followed by a literal (checked by verp_split):
	 * try each position where that literal occurs. */
	{
		const struct verp_piece *next = &pc[i + 1];
		size_t max = pc[i].ph == VERP_PH_LOCAL ? BM_VERP_LOCAL_MAX
			: pc[i].ph == VERP_PH_TAG ? BM_VERP_TAG_MAX : BM_VERP_DOM_MAX;
		for (size_t k = 1; k <= max && k + next->len <= len; k++) {
			if (!verp_class_ok(pc[i].ph, (unsigned char)s[k - 1]))
				break;     /* no longer span can be valid either */
			if (strncasecmp(s + k, next->lit, next->len) != 0)
				continue;
			if (!verp_span_ok(pc[i].ph, s, k))
				continue;
			if (verp_match_from(pc, n, i + 2, s + k + next->len,
			                    len - k - next->len, m)) {
				m->span[pc[i].ph].p = s;
				m->span[pc[i].ph].len = k;
				m->have[pc[i].ph] = true;
				return true;
			}
		}
	}
	return false;
}

static void verp_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* HMAC over K DDD lower(addr): tag_len hex digits into out. */
static int verp_mac(const struct sign_key *k, const char *kd, const char *addr,
                    unsigned tag_len, char *out)
{
	char buf[4 + BM_VERP_MAX + 1];
	size_t n = strlen(addr);

	if (n == 0 || n > BM_VERP_MAX || tag_len < VERP_TAG_MIN || tag_len > VERP_TAG_MAX)
		return -1;
	memcpy(buf, kd, 4);
	memcpy(buf + 4, addr, n + 1);
	verp_lower(buf + 4);
	return sign_hmac_hex(true, k, buf, 4 + n, out, tag_len);
}

int verp_tag(const struct sign_key *k, unsigned tag_len, const char *addr,
             time_t now, unsigned days, char *out, size_t outsz)
{
	char kd[5];

	if (k == NULL || addr == NULL || out == NULL || outsz < (size_t)tag_len + 5)
		return -1;
	kd[0] = (char)('0' + k->id);
	sign_stamp(now, days, kd + 1);
	memcpy(out, kd, 4);
	return verp_mac(k, kd, addr, tag_len, out + 4);
}

/* One pattern against rcpt (brackets already removed). */
static enum verp_status verp_try(const char *pat, const char *rcpt, size_t len,
                                 const struct verp_check *chk, char *out,
                                 size_t outsz)
{
	struct verp_piece pc[BM_VERP_PIECES];
	struct verp_match m;
	size_t n, ll, dl;
	char addr[BM_VERP_LOCAL_MAX + 1 + BM_VERP_DOM_MAX + 1];
	char want[BM_VERP_TAG_MAX + 1], got[BM_VERP_TAG_MAX + 1];
	const struct sign_key *k;
	const char *tag;

	if (verp_split(pat, pc, &n) != 0)
		return VERP_NO_MATCH;
	memset(&m, 0, sizeof(m));
	if (!verp_match_from(pc, n, 0, rcpt, len, &m))
		return VERP_NO_MATCH;
	ll = m.span[VERP_PH_LOCAL].len;
	dl = m.span[VERP_PH_DOMAIN].len;
	memcpy(addr, m.span[VERP_PH_LOCAL].p, ll);
	addr[ll] = '@';
	memcpy(addr + ll + 1, m.span[VERP_PH_DOMAIN].p, dl);
	addr[ll + 1 + dl] = '\0';
	verp_lower(addr + ll + 1);              /* domain lower-cased, local kept */
	if (ll + 1 + dl + 1 > outsz)
		return VERP_NO_MATCH;
	memcpy(out, addr, ll + 1 + dl + 1);

	if (chk == NULL || chk->keys == NULL || chk->keys->n == 0)
		return VERP_OK;
	if (!m.have[VERP_PH_TAG] || m.span[VERP_PH_TAG].len != chk->tag_len + 4)
		return VERP_BAD_TAG;
	tag = m.span[VERP_PH_TAG].p;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)tag[i]))
			return VERP_BAD_TAG;
	k = sign_key_find(chk->keys, (unsigned)(tag[0] - '0'));
	if (k == NULL || verp_mac(k, tag, addr, chk->tag_len, want) != 0)
		return VERP_BAD_TAG;
	memcpy(got, tag + 4, chk->tag_len);
	got[chk->tag_len] = '\0';
	verp_lower(got);                        /* some MTAs fold the whole address */
	if (CRYPTO_memcmp(got, want, chk->tag_len) != 0)
		return VERP_BAD_TAG;
	if (sign_expired(tag + 1, chk->now, chk->keys->valid_days))
		return VERP_EXPIRED;
	return VERP_OK;
}

enum verp_status verp_decode(const char *const *patterns, const char *rcpt,
                             const struct verp_check *chk, char *out,
                             size_t outsz)
{
	enum verp_status best = VERP_NO_MATCH;
	char bad[BM_VERP_LOCAL_MAX + 1 + BM_VERP_DOM_MAX + 1];
	size_t len;

	if (patterns == NULL || rcpt == NULL || out == NULL || outsz == 0)
		return VERP_NO_MATCH;
	len = strnlen(rcpt, BM_VERP_MAX + 3);
	if (len >= 2 && rcpt[0] == '<' && rcpt[len - 1] == '>') {
		rcpt++;
		len -= 2;
	}
	if (len == 0 || len > BM_VERP_MAX)
		return VERP_NO_MATCH;
	for (const char *const *p = patterns; *p; p++) {
		char tmp[sizeof(bad)];
		enum verp_status st = verp_try(*p, rcpt, len, chk, tmp, sizeof(tmp));
		if (st == VERP_OK) {
			if (strlen(tmp) + 1 > outsz)
				return VERP_NO_MATCH;
			memcpy(out, tmp, strlen(tmp) + 1);
			return VERP_OK;
		}
		if ((st == VERP_BAD_TAG && best == VERP_NO_MATCH) ||
		    (st == VERP_EXPIRED && best != VERP_EXPIRED)) {
			best = st;
			memcpy(bad, tmp, sizeof(bad));
		}
	}
	if (best != VERP_NO_MATCH) {
		if (strlen(bad) + 1 > outsz)
			return VERP_NO_MATCH;
		memcpy(out, bad, strlen(bad) + 1);
	}
	return best;
}

int verp_render(const char *pattern, const char *addr, const char *tag,
                char *out, size_t outsz)
{
	struct verp_piece pc[BM_VERP_PIECES];
	const char *at;
	size_t n, o = 0;

	if (addr == NULL || out == NULL || outsz == 0 || verp_split(pattern, pc, &n) != 0)
		return -1;
	at = strrchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = pc[i].lit;
		size_t len = pc[i].len;

		if (pc[i].ph == VERP_PH_LOCAL) {
			p = addr;
			len = (size_t)(at - addr);
		} else if (pc[i].ph == VERP_PH_DOMAIN) {
			p = at + 1;
			len = strlen(at + 1);
		} else if (pc[i].ph == VERP_PH_TAG) {
			p = tag != NULL ? tag : "";
			len = strlen(p);
			if (len == 0)
				return -1;
		}
		if (o + len + 1 > outsz)
			return -1;
		memcpy(out + o, p, len);
		o += len;
	}
	out[o] = '\0';
	return 0;
}
