/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.c - Sisimai's reason vocabulary, and diagnostic text or status
 * code -> reason.
 *
 * reason_from_text() folds the text once (ASCII lower case, white space and
 * control characters collapsed to one space, bounded copy on the stack) and
 * then looks for the fixed phrases of reason_phrases.c; the first reason in
 * the order of reason_rules[] with a phrase in the text wins, so the more
 * specific reasons come first ("mailbox full" wins over a generic
 * "rejected").  The phrases are indexed once per process by their first
 * four, eight or twelve bytes, so matching is one pass over the text.
 * reason_from_status() maps the subject.detail of an RFC 3463 code to the
 * reason the registry implies.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <threads.h>

#include "classify/reason.h"
#include "classify/reason_phrases.h"
#include "util/swar.h"

/* Bytes of diagnostic looked at; the rest is ignored. */
#define REASON_TEXT_MAX 4096

static const char *const reason_names[BM_REASON_COUNT] = {
	[BM_REASON_UNDEFINED] = "undefined",
	[BM_REASON_USERUNKNOWN] = "userunknown",
	[BM_REASON_HOSTUNKNOWN] = "hostunknown",
	[BM_REASON_HASMOVED] = "hasmoved",
	[BM_REASON_NOTACCEPT] = "notaccept",
	[BM_REASON_MAILBOXFULL] = "mailboxfull",
	[BM_REASON_SUSPEND] = "suspend",
	[BM_REASON_EXCEEDLIMIT] = "exceedlimit",
	[BM_REASON_MESGTOOBIG] = "mesgtoobig",
	[BM_REASON_SYSTEMERROR] = "systemerror",
	[BM_REASON_SYSTEMFULL] = "systemfull",
	[BM_REASON_NETWORKERROR] = "networkerror",
	[BM_REASON_EXPIRED] = "expired",
	[BM_REASON_TOOMANYCONN] = "toomanyconn",
	[BM_REASON_RATELIMITED] = "ratelimited",
	[BM_REASON_SPEEDING] = "speeding",
	[BM_REASON_BLOCKED] = "blocked",
	[BM_REASON_SPAMDETECTED] = "spamdetected",
	[BM_REASON_VIRUSDETECTED] = "virusdetected",
	[BM_REASON_POLICYVIOLATION] = "policyviolation",
	[BM_REASON_SECURITYERROR] = "securityerror",
	[BM_REASON_AUTHFAILURE] = "authfailure",
	[BM_REASON_BADREPUTATION] = "badreputation",
	[BM_REASON_REQUIREPTR] = "requireptr",
	[BM_REASON_REJECTED] = "rejected",
	[BM_REASON_NORELAYING] = "norelaying",
	[BM_REASON_FILTERED] = "filtered",
	[BM_REASON_CONTENTERROR] = "contenterror",
	[BM_REASON_SYNTAXERROR] = "syntaxerror",
	[BM_REASON_MAILERERROR] = "mailererror",
	[BM_REASON_NOTCOMPLIANTRFC] = "notcompliantrfc",
	[BM_REASON_FAILEDSTARTTLS] = "failedstarttls",
	[BM_REASON_SUPPRESSED] = "suppressed",
	[BM_REASON_ONHOLD] = "onhold",
	[BM_REASON_DELIVERED] = "delivered",
	[BM_REASON_VACATION] = "vacation",
	[BM_REASON_FEEDBACK] = "feedback",
};

const char *reason_name(enum bm_reason r)
{
	if ((int)r < 0 || r >= BM_REASON_COUNT || reason_names[r] == NULL)
		return "undefined";
	return reason_names[r];
}

int reason_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < BM_REASON_COUNT; i++)
		if (reason_names[i] != NULL && strcasecmp(reason_names[i], name) == 0)
			return i;
	/* names newer Sisimai versions use for the same thing */
	if (strcasecmp(name, "emailtoolarge") == 0)
		return BM_REASON_MESGTOOBIG;
	return -1;
}

/* Each byte as reason_fold() writes it: ASCII lower case, 0 for white
 * space and control characters (NUL included); built at compile time. */
#define FOLD(c) ((c) <= 0x20 || (c) == 0x7f ? 0 : \
                 (c) >= 'A' && (c) <= 'Z' ? ((c) | 0x20) : (c))
#define FOLD4(c) FOLD(c), FOLD((c) + 1), FOLD((c) + 2), FOLD((c) + 3)
#define FOLD16(c) FOLD4(c), FOLD4((c) + 4), FOLD4((c) + 8), FOLD4((c) + 12)
#define FOLD64(c) FOLD16(c), FOLD16((c) + 16), FOLD16((c) + 32), FOLD16((c) + 48)

static const unsigned char reason_fold_map[256] = {
	FOLD64(0), FOLD64(64), FOLD64(128), FOLD64(192),
};

/* Copy the leading run of t[0..n) (t[0] is no separator) that folds byte
 * for byte, ASCII lower-cased: it holds no control character, no 0x7f
 * and no two spaces in a row (a single space folds to itself).  Eight
 * bytes at a time: the word tests are exact about whether the word holds
 * such a byte or pair, and lower-case 'A'..'Z' only; a word that fails
 * them is walked byte by byte.  Returns the length copied. */
static size_t reason_fold_run(const unsigned char *t, size_t n, char *out)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w = swar_load(t + i);

		if (swar_has_control(w) || swar_has_byte_pair(w, ' ') ||
		    (i > 0 && t[i] == ' ' && t[i - 1] == ' '))
			break;
		swar_store(out + i, swar_ascii_lower(w));
	}
	for (; i < n; i++) {
		unsigned char c = t[i];

		if (c < 0x20 || c == 0x7f || (c == ' ' && t[i - 1] == ' '))
			break;
		out[i] = c == ' ' ? ' ' : (char)reason_fold_map[c];
	}
	return i;
}

/* Fold text into out: ASCII lower case, runs of white space and control
 * characters (NUL included) become one space, padded with a space at both
 * ends.  Returns the length written (out is NUL-terminated). */
static size_t reason_fold(const char *text, size_t len, char *out, size_t outsz)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0, n = 0, run;
	bool space = true;

	if (outsz < 3)
		return 0;
	out[n++] = ' ';
	while (i < len && n + 2 < outsz) {
		unsigned char m = reason_fold_map[t[i]];

		if (m == 0) {
			if (!space) {
				out[n++] = ' ';
				space = true;
			}
			i++;
			continue;
		}
		/* a run of bytes that fold one to one, as far as room allows */
		run = reason_fold_run(t + i, len - i < outsz - 2 - n ?
		                      len - i : outsz - 2 - n, out + n);
		n += run;
		i += run;
		space = out[n - 1] == ' ';
	}
	if (!space)
		out[n++] = ' ';
	out[n] = '\0';
	return n;
}

enum bm_reason reason_from_text(const char *text, size_t len)
{
	return reason_from_text_weak(text, len, NULL);
}

/* A phrase index built once (call_once): phrases bucketed by a hash of
 * their leading bytes, so that matching is one pass over the text with a
 * few compares per position instead of one strstr() per phrase.  Many
 * phrases share their first four bytes ("mail", "not ") and many the
 * first eight ("mailbox "), so each phrase is keyed by as many leading
 * bytes as it has, up to twelve: phrases of 4-7 bytes by four, of 8-11
 * by eight, longer ones by twelve, in three tables.  A flag on a bucket
 * of the four- and eight-byte tables says that longer keys share its
 * hash; a position looks at a longer table only then.  Each phrase keeps
 * its first eight bytes as a word (and a mask for shorter ones): most
 * entries of a bucket are rejected, and phrases of up to eight bytes
 * are matched, by one compare with a word loaded from the text. */
#define REASON_MAX_PHRASES 2048
#define REASON_NBUCKETS 4096
#define REASON_NONE 0xffffu
#define REASON_WORD 8
#define REASON_PAD 16       /* zero bytes after the folded text */

enum { REASON_K4, REASON_K8, REASON_K12, REASON_NKEYS };

struct reason_index {
	uint16_t head[REASON_NKEYS][REASON_NBUCKETS];
	bool longer[REASON_NKEYS][REASON_NBUCKETS];  /* a longer key hashes here */
	bool busy4[REASON_NBUCKETS];    /* any phrase at all has this hash4 */
	uint16_t next[REASON_MAX_PHRASES];
	uint16_t rule[REASON_MAX_PHRASES];
	uint8_t len[REASON_MAX_PHRASES];
	uint64_t word[REASON_MAX_PHRASES];  /* first bytes, in memory order */
	uint64_t mask[REASON_MAX_PHRASES];  /* 0xff for each of them */
	const char *phrase[REASON_MAX_PHRASES];
	bool ok;            /* false: the tables outgrew the index */
};

static struct reason_index reason_idx;
static once_flag reason_idx_once = ONCE_FLAG_INIT;

/* Every phrase is at least REASON_KEY bytes long. */
#define REASON_KEY 4

static unsigned reason_hash4(const char *s)
{
	uint32_t h;

	memcpy(&h, s, sizeof(h));
	return (unsigned)((h * 2654435761u) >> 20) % REASON_NBUCKETS;
}

static unsigned reason_hash8(const char *s)
{
	uint64_t h;

	memcpy(&h, s, sizeof(h));
	return (unsigned)((h * 0x9e3779b97f4a7c15u) >> 52) % REASON_NBUCKETS;
}

static unsigned reason_hash12(const char *s)
{
	uint64_t h;
	uint32_t t;

	memcpy(&h, s, sizeof(h));
	memcpy(&t, s + 8, sizeof(t));
	return (unsigned)(((h ^ ((uint64_t)t * 0xff51afd7ed558ccdu)) *
	                   0x9e3779b97f4a7c15u) >> 52) % REASON_NBUCKETS;
}

static void reason_index_build(void)
{
	struct reason_index *x = &reason_idx;
	size_t r, n = 0, k, t;

	for (t = 0; t < REASON_NKEYS; t++)
		for (k = 0; k < REASON_NBUCKETS; k++) {
			x->head[t][k] = REASON_NONE;
			x->longer[t][k] = false;
		}
	for (k = 0; k < REASON_NBUCKETS; k++)
		x->busy4[k] = false;
	x->ok = false;
	/* rules inserted last to first at the heads of the chains: each chain
	 * runs in table order, so the first phrase that matches is the best
	 * one at that position */
	for (r = reason_nrules; r-- > 0;) {
		const char *const *p;

		for (p = reason_rules[r].phrases; *p != NULL; p++) {
			size_t pl = strlen(*p), w = pl < REASON_WORD ? pl : REASON_WORD;
			unsigned char bytes[REASON_WORD] = { 0 }, ones[REASON_WORD] = { 0 };
			unsigned h4, h8, h;

			if (n >= REASON_MAX_PHRASES || pl < REASON_KEY || pl > 255)
				return;
			h4 = reason_hash4(*p);
			x->busy4[h4] = true;
			if (pl < 8) {
				t = REASON_K4;
				h = h4;
			} else {
				h8 = reason_hash8(*p);
				x->longer[REASON_K4][h4] = true;
				t = REASON_K8;
				h = h8;
				if (pl >= 12) {
					x->longer[REASON_K8][h8] = true;
					t = REASON_K12;
					h = reason_hash12(*p);
				}
			}
			memcpy(bytes, *p, w);
			memset(ones, 0xff, w);
			memcpy(&x->word[n], bytes, sizeof(x->word[n]));
			memcpy(&x->mask[n], ones, sizeof(x->mask[n]));
			x->phrase[n] = *p;
			x->len[n] = (uint8_t)pl;
			x->rule[n] = (uint16_t)r;
			x->next[n] = x->head[t][h];
			x->head[t][h] = (uint16_t)n;
			n++;
		}
	}
	x->ok = true;
}

/* The first entry of chain k (in rule order, below best) that matches at
 * buf + i, w being the eight bytes there; its rule, or best if none.
 * With all != NULL, every matching entry's rule is added to *all (the
 * groups found, for the evidence) and the chain is walked to its end. */
static inline bool reason_entry_at(const struct reason_index *x, uint16_t k,
                                   const char *buf, size_t n, size_t i, uint64_t w)
{
	return (w & x->mask[k]) == x->word[k] &&
	       (x->len[k] <= REASON_WORD ||
	        (x->len[k] <= n - i &&
	         memcmp(buf + i + REASON_WORD, x->phrase[k] + REASON_WORD,
	                x->len[k] - REASON_WORD) == 0));
}

static inline size_t reason_walk(const struct reason_index *x, uint16_t k,
                                 const char *buf, size_t n, size_t i, uint64_t w,
                                 size_t best, uint64_t *all)
{
	if (all == NULL) {
		for (; k != REASON_NONE && x->rule[k] < best; k = x->next[k])
			if (reason_entry_at(x, k, buf, n, i, w))
				return x->rule[k];
		return best;
	}
	for (; k != REASON_NONE; k = x->next[k])
		if (reason_entry_at(x, k, buf, n, i, w)) {
			*all |= (uint64_t)1 << x->rule[k];
			if (x->rule[k] < best)
				best = x->rule[k];
		}
	return best;
}

/* The first rule (in table order) with a phrase in buf[0..n); buf holds
 * REASON_PAD zero bytes past n, so a key loads from any position and
 * never matches past the text (phrases hold no NUL).  With all != NULL,
 * every rule found is added to *all. */
static size_t reason_match_indexed(const char *buf, size_t n, uint64_t *all)
{
	const struct reason_index *x = &reason_idx;
	size_t best = reason_nrules, i;

	for (i = 0; i + REASON_KEY <= n && (best > 0 || all != NULL); i++) {
		unsigned h4 = reason_hash4(buf + i), h8;
		uint64_t w;

		if (!x->busy4[h4])
			continue;
		memcpy(&w, buf + i, sizeof(w));
		best = reason_walk(x, x->head[REASON_K4][h4], buf, n, i, w, best, all);
		if (!x->longer[REASON_K4][h4])
			continue;
		h8 = reason_hash8(buf + i);
		best = reason_walk(x, x->head[REASON_K8][h8], buf, n, i, w, best, all);
		if (x->longer[REASON_K8][h8])
			best = reason_walk(x, x->head[REASON_K12][reason_hash12(buf + i)],
			                   buf, n, i, w, best, all);
	}
	return best;
}

/* The same by plain search, used if the index could not be built. */
static size_t reason_match_plain(const char *buf, uint64_t *all)
{
	size_t r, best = reason_nrules;

	for (r = 0; r < reason_nrules; r++) {
		const char *const *p;

		for (p = reason_rules[r].phrases; *p != NULL; p++)
			if (strstr(buf, *p) != NULL) {
				if (best == reason_nrules)
					best = r;
				if (all == NULL)
					return best;
				*all |= (uint64_t)1 << r;
				break;
			}
	}
	return best;
}

enum bm_reason reason_scan(const char *text, size_t len, bool *weak,
                           uint64_t *groups)
{
	char buf[REASON_TEXT_MAX + 3 + REASON_PAD];
	size_t n, r;

	if (weak != NULL)
		*weak = false;
	if (groups != NULL)
		*groups = 0;
	if (text == NULL || len == 0)
		return BM_REASON_UNDEFINED;
	n = reason_fold(text, len, buf, REASON_TEXT_MAX + 3);
	memset(buf + n, 0, REASON_PAD);
	if (n <= 1)
		return BM_REASON_UNDEFINED;
	call_once(&reason_idx_once, reason_index_build);
	r = reason_idx.ok ? reason_match_indexed(buf, n, groups) :
	    reason_match_plain(buf, groups);
	if (r >= reason_nrules)
		return BM_REASON_UNDEFINED;
	if (weak != NULL)
		*weak = reason_rules[r].weak;
	return reason_rules[r].reason;
}

enum bm_reason reason_from_text_weak(const char *text, size_t len, bool *weak)
{
	return reason_scan(text, len, weak, NULL);
}

size_t reason_group_count(void)
{
	return reason_nrules;
}

const char *reason_group_name(size_t g)
{
	return g < reason_nrules ? reason_rules[g].name : "";
}

const char *reason_group_source(size_t g)
{
	return g < reason_nrules ? reason_rules[g].source : "";
}

enum bm_reason reason_group_reason(size_t g)
{
	return g < reason_nrules ? reason_rules[g].reason : BM_REASON_UNDEFINED;
}

uint64_t reason_group_bit(const char *name)
{
	size_t g;

	for (g = 0; g < reason_nrules; g++)
		if (strcmp(reason_rules[g].name, name) == 0)
			return (uint64_t)1 << g;
	return 0;
}

bool reason_group_specific(size_t g)
{
	return g < reason_nrules && reason_rules[g].specific;
}

/* ------------------------------------------------------------ status codes */

/* Largest subject and detail the table below names. */
#define REASON_SUBJECT_MAX 7
#define REASON_DETAIL_MAX 30

/* subject.detail -> reason, from the registry meaning of each code.
 * Codes missing here (X.0.0, X.1.0, X.2.0, X.5.0, X.7.0 ...) say too
 * little to name a reason (BM_REASON_UNDEFINED, 0).  Indexed by subject
 * and detail, built at compile time. */
static const enum bm_reason
    reason_codes[REASON_SUBJECT_MAX + 1][REASON_DETAIL_MAX + 1] = {
	[1][1] = BM_REASON_USERUNKNOWN,
	[1][2] = BM_REASON_HOSTUNKNOWN,
	[1][3] = BM_REASON_USERUNKNOWN,
	[1][6] = BM_REASON_HASMOVED,
	[1][7] = BM_REASON_REJECTED,
	[1][8] = BM_REASON_REJECTED,
	[1][10] = BM_REASON_NOTACCEPT,
	[2][1] = BM_REASON_SUSPEND,
	[2][2] = BM_REASON_MAILBOXFULL,
	[2][3] = BM_REASON_EXCEEDLIMIT,
	[2][4] = BM_REASON_SYSTEMERROR,
	[3][0] = BM_REASON_SYSTEMERROR,
	[3][1] = BM_REASON_SYSTEMFULL,
	[3][2] = BM_REASON_NOTACCEPT,
	[3][3] = BM_REASON_SYSTEMERROR,
	[3][4] = BM_REASON_MESGTOOBIG,
	[3][5] = BM_REASON_SYSTEMERROR,
	[4][0] = BM_REASON_NETWORKERROR,
	[4][1] = BM_REASON_NETWORKERROR,
	[4][2] = BM_REASON_NETWORKERROR,
	[4][3] = BM_REASON_SYSTEMERROR,
	[4][4] = BM_REASON_HOSTUNKNOWN,
	[4][5] = BM_REASON_TOOMANYCONN,
	[4][6] = BM_REASON_NETWORKERROR,
	[4][7] = BM_REASON_EXPIRED,
	[5][1] = BM_REASON_SYNTAXERROR,
	[5][2] = BM_REASON_SYNTAXERROR,
	[5][3] = BM_REASON_EXCEEDLIMIT,
	[5][4] = BM_REASON_SYNTAXERROR,
	[5][5] = BM_REASON_SYSTEMERROR,
	[5][6] = BM_REASON_SYNTAXERROR,
	[6][0] = BM_REASON_CONTENTERROR,
	[6][1] = BM_REASON_CONTENTERROR,
	[6][2] = BM_REASON_CONTENTERROR,
	[6][3] = BM_REASON_CONTENTERROR,
	[6][4] = BM_REASON_CONTENTERROR,
	[6][5] = BM_REASON_CONTENTERROR,
	[6][6] = BM_REASON_CONTENTERROR,
	[6][7] = BM_REASON_CONTENTERROR,
	[6][8] = BM_REASON_CONTENTERROR,
	[6][9] = BM_REASON_CONTENTERROR,
	[6][10] = BM_REASON_CONTENTERROR,
	[7][1] = BM_REASON_BLOCKED,
	[7][2] = BM_REASON_REJECTED,
	[7][3] = BM_REASON_SECURITYERROR,
	[7][4] = BM_REASON_SECURITYERROR,
	[7][5] = BM_REASON_SECURITYERROR,
	[7][6] = BM_REASON_SECURITYERROR,
	[7][7] = BM_REASON_SECURITYERROR,
	[7][8] = BM_REASON_SECURITYERROR,
	[7][9] = BM_REASON_SECURITYERROR,
	[7][10] = BM_REASON_FAILEDSTARTTLS,
	[7][11] = BM_REASON_FAILEDSTARTTLS,
	[7][12] = BM_REASON_SECURITYERROR,
	[7][13] = BM_REASON_SUSPEND,
	[7][14] = BM_REASON_SECURITYERROR,
	[7][15] = BM_REASON_POLICYVIOLATION,
	[7][16] = BM_REASON_MESGTOOBIG,
	[7][17] = BM_REASON_HASMOVED,
	[7][18] = BM_REASON_HASMOVED,
	[7][20] = BM_REASON_AUTHFAILURE,
	[7][21] = BM_REASON_AUTHFAILURE,
	[7][22] = BM_REASON_AUTHFAILURE,
	[7][23] = BM_REASON_AUTHFAILURE,
	[7][24] = BM_REASON_AUTHFAILURE,
	[7][25] = BM_REASON_REQUIREPTR,
	[7][26] = BM_REASON_AUTHFAILURE,
	[7][27] = BM_REASON_NOTACCEPT,
	[7][28] = BM_REASON_SPEEDING,
	[7][29] = BM_REASON_AUTHFAILURE,
	[7][30] = BM_REASON_FAILEDSTARTTLS,
};

/* Parse "c.s.d"; false unless class is 2, 4 or 5 and both numbers fit. */
static bool reason_parse_code(const char *s, char *cls, unsigned *subject,
                              unsigned *detail)
{
	unsigned v[2] = { 0, 0 };
	int k, digits;

	if (s == NULL || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return false;
	*cls = s[0];
	s += 2;
	for (k = 0; k < 2; k++) {
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits >= 3)
				return false;
			v[k] = v[k] * 10 + (unsigned)(*s - '0');
		}
		if (digits == 0)
			return false;
		if (k == 0) {
			if (*s != '.')
				return false;
			s++;
		}
	}
	if (*s != '\0')
		return false;
	*subject = v[0];
	*detail = v[1];
	return true;
}

enum bm_reason reason_from_status(const char *status)
{
	char cls;
	unsigned subject, detail;

	if (!reason_parse_code(status, &cls, &subject, &detail))
		return BM_REASON_UNDEFINED;
	if (cls == '2')
		return BM_REASON_DELIVERED;
	if (subject > REASON_SUBJECT_MAX || detail > REASON_DETAIL_MAX)
		return BM_REASON_UNDEFINED;
	return reason_codes[subject][detail];
}
