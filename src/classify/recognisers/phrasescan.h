/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * phrasescan.h - many phrases found in one pass over a span.
 *
 * Recognisers ask whether a text holds any phrase of a list, for many
 * lists (banners of every family) or for many short spans (reason words
 * in each diagnostic).  A struct phrasescan indexes up to PHRASESCAN_MAX
 * phrases and phrasescan_run() reports which of them occur, reading the
 * span once (a multi-phrase search after Wu and Manber: a table of safe
 * shifts over three-byte blocks).  It finds exactly what text_find() finds:
 * ASCII case-insensitive, a phrase may start mid-word.  An index is plain
 * data with no hidden state: whoever builds it owns it (analysis.c and
 * recognisers/common.c keep theirs per thread, in tcache.h blocks).
 */
#ifndef BM_RECOG_PHRASESCAN_H
#define BM_RECOG_PHRASESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An index of phrases searched in one pass (a multi-phrase search after
 * Wu and Manber: a table of safe shifts over three-byte blocks).  It finds
 * exactly what text_find() finds: ASCII case-insensitive, a phrase may
 * start mid-word.  It holds only phrases of at least `window` bytes
 * without a line break (text_find() matches those CRLF-tolerantly); the
 * caller searches the others one by one.  phrasescan_init() makes an
 * empty index; phrases are only ever added, so a phrase keeps its id.
 * The phrases are not copied: they must outlive the index (constant
 * tables). */
#define PHRASESCAN_MAX 192        /* phrases an index holds (ids fit a byte) */
#define PHRASESCAN_WINDOW_MAX 32  /* the longest window */
#define PHRASESCAN_HASH 4096      /* three-byte blocks hash into this many */
#define PHRASESCAN_HEADS PHRASESCAN_HASH /* one chain per block hash */
#define PHRASESCAN_WORDS ((PHRASESCAN_MAX + 63) / 64)

struct phrasescan {
	size_t window;                      /* bytes of each phrase indexed */
	size_t n;                           /* phrases held, ids 0..n-1 */
	const char *phrase[PHRASESCAN_MAX];
	unsigned short plen[PHRASESCAN_MAX];
	unsigned char first[PHRASESCAN_MAX]; /* lower-cased first byte */
	/* how far a window of the text that ends in a block of this hash
	 * may move on: window-2 when no phrase's window holds such a block,
	 * else window-1-q for the last q where one ends (0: compare) */
	unsigned char shift[PHRASESCAN_HASH];
	/* 1 + first phrase whose window ends in a block of this hash (a
	 * chain per hash: only phrases whose blocks share the hash are
	 * compared) */
	unsigned char head[PHRASESCAN_HEADS];
	unsigned char next[PHRASESCAN_MAX];  /* 1 + next phrase of its chain */
	unsigned char lc[256];                /* ASCII lower case */
	/* the block hash of bytes a, b, c is hb[0][a] ^ hb[1][b] ^ hb[2][c]
	 * (lower-casing and the hash's shifts folded into the tables) */
	unsigned short hb[3][256];
};

/* Empty the index; window is clamped to 3..PHRASESCAN_WINDOW_MAX.  (A
 * zero-filled index must be initialised before use.) */
void phrasescan_init(struct phrasescan *ix, size_t window);
/* Can the index hold this phrase (long enough, no line break, shorter
 * than 64 KiB)?  Says nothing about room. */
bool phrasescan_fits(const struct phrasescan *ix, const char *phrase);
/* Add a phrase: its id, or -1 when it does not fit or the index is full. */
int phrasescan_add(struct phrasescan *ix, const char *phrase);
/* Which indexed phrases occur in s[0..len): bit `id` of hits (an array
 * of PHRASESCAN_WORDS words, cleared first) is set for each. */
void phrasescan_run(const struct phrasescan *ix, const char *s, size_t len,
                     uint64_t *hits);
/* true when any phrase of ids first..first+n-1 is in hits. */
bool phrasescan_any(const uint64_t *hits, size_t first, size_t n);

#endif
