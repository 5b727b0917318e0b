/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * phrasescan.c - many phrases found in one pass over a span (see
 * phrasescan.h).
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "classify/recognisers/phrasescan.h"

_Static_assert(PHRASESCAN_MAX < 255, "phrase ids + 1 fit a byte");
_Static_assert(PHRASESCAN_WINDOW_MAX < 255, "a shift fits a byte");

/* Hash of the three-byte block of lower-cased bytes a, b, c.  Blocks of
 * three: with two, the blocks common in English ("e ", "th") closed the
 * window of some phrase so often that a quarter of the steps did not
 * skip. */
static inline size_t
phrasescan_hash(unsigned char a, unsigned char b, unsigned char c)
{
	return ((size_t)a << 6 ^ (size_t)b << 3 ^ c) & (PHRASESCAN_HASH - 1);
}

void
phrasescan_init(struct phrasescan *ix, size_t window)
{
	size_t c;

	memset(ix, 0, sizeof(*ix));
	if (window < 3)
		window = 3;
	if (window > PHRASESCAN_WINDOW_MAX)
		window = PHRASESCAN_WINDOW_MAX;
	ix->window = window;
	memset(ix->shift, (int)(window - 2), sizeof(ix->shift));
	for (c = 0; c < 256; c++) {
		ix->lc[c] = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		/* the hash masks an exclusive or: each term can be masked */
		ix->hb[0][c] = (unsigned short)phrasescan_hash(ix->lc[c], 0, 0);
		ix->hb[1][c] = (unsigned short)phrasescan_hash(0, ix->lc[c], 0);
		ix->hb[2][c] = (unsigned short)phrasescan_hash(0, 0, ix->lc[c]);
	}
}

bool
phrasescan_fits(const struct phrasescan *ix, const char *phrase)
{
	size_t len = strlen(phrase);

	/* a line break makes text_find() compare CRLF-tolerantly: left to it */
	return len >= ix->window && len <= USHRT_MAX &&
	       memchr(phrase, '\n', len) == NULL;
}

int
phrasescan_add(struct phrasescan *ix, const char *phrase)
{
	const unsigned char *p = (const unsigned char *)phrase;
	size_t id = ix->n, q, h, w = ix->window;

	if (id >= PHRASESCAN_MAX || !phrasescan_fits(ix, phrase))
		return -1;
	ix->phrase[id] = phrase;
	ix->plen[id] = (unsigned short)strlen(phrase);
	ix->first[id] = ix->lc[p[0]];
	/* the block ending at q may close the window q bytes into it */
	for (q = 2; q < w; q++) {
		h = phrasescan_hash(ix->lc[p[q - 2]], ix->lc[p[q - 1]],
		                     ix->lc[p[q]]);
		if (ix->shift[h] > w - 1 - q)
			ix->shift[h] = (unsigned char)(w - 1 - q);
	}
	h = phrasescan_hash(ix->lc[p[w - 3]], ix->lc[p[w - 2]],
	                     ix->lc[p[w - 1]]);
	ix->next[id] = ix->head[h % PHRASESCAN_HEADS];
	ix->head[h % PHRASESCAN_HEADS] = (unsigned char)(id + 1);
	ix->n++;
	return (int)id;
}

/* Does phrase `id` start at s[at..len)?  Compared from its end: the
 * variants of one notice share their start ("Delivery to the following
 * recipient failed permanently" / "... has been delayed"). */
static bool
phrasescan_at(const struct phrasescan *ix, size_t id, const unsigned char *s,
               size_t at, size_t len)
{
	const unsigned char *p = (const unsigned char *)ix->phrase[id];
	size_t i = ix->plen[id];

	if (i > len - at)
		return false;
	/* the block hash says nothing of the window's first byte: most
	 * phrases that do not start here differ in it */
	if (ix->lc[s[at]] != ix->first[id])
		return false;
	while (i-- > 1)
		if (ix->lc[s[at + i]] != ix->lc[p[i]])
			return false;
	return true;
}

void
phrasescan_run(const struct phrasescan *ix, const char *str, size_t len,
                uint64_t *hits)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned short *hb0 = ix->hb[0], *hb1 = ix->hb[1],
	                     *hb2 = ix->hb[2];
	size_t w1 = ix->window - 1, pos = w1;

	memset(hits, 0, PHRASESCAN_WORDS * sizeof(*hits));
	if (s == NULL || ix->n == 0)
		return;
	/* pos: the last byte of a window of `window` bytes starting at
	 * pos - w1.  A block that ends no phrase's window moves the window
	 * on so that its last occurrence in a phrase's window would line up,
	 * or past the block when it has none. */
	while (pos < len) {
		size_t h = (size_t)(hb0[s[pos - 2]] ^ hb1[s[pos - 1]] ^
		                    hb2[s[pos]]);
		size_t k;

		if (ix->shift[h] != 0) {
			pos += ix->shift[h];
			continue;
		}
		for (k = ix->head[h % PHRASESCAN_HEADS]; k != 0;
		     k = ix->next[k - 1])
			if (!(hits[(k - 1) / 64] & (UINT64_C(1) << ((k - 1) % 64))) &&
			    phrasescan_at(ix, k - 1, s, pos - w1, len))
				hits[(k - 1) / 64] |= UINT64_C(1) << ((k - 1) % 64);
		pos++;
	}
}

bool
phrasescan_any(const uint64_t *hits, size_t first, size_t n)
{
	size_t end = first + n;

	if (end > PHRASESCAN_MAX)
		end = PHRASESCAN_MAX;
	/* a word at a time: the bits of ids first..end-1 in each */
	while (first < end) {
		size_t w = first / 64, lo = first % 64;
		size_t hi = end - w * 64 < 64 ? end - w * 64 : 64;
		uint64_t mask = (hi == 64 ? ~UINT64_C(0) : (UINT64_C(1) << hi) - 1) &
		                ~((UINT64_C(1) << lo) - 1);

		if (hits[w] & mask)
			return true;
		first = w * 64 + hi;
	}
	return false;
}
