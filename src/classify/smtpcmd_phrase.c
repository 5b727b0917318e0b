/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smtpcmd_phrase.c - the phrase reader of smtpcmd.c (see smtpcmd_phrase.h).
 *
 * It looks for the MTAs' own wording in smtpcmd_phrases[] in the text as
 * folded (ASCII lower case, white space runs to one space, a blank line
 * to a paragraph mark); the earliest phrase wins.  It reads raw text in
 * place, as folded (a phrase's space matches a white space run, a
 * paragraph mark is a run with two line ends); its callers fold into a
 * buffer (smtpcmd_phrase_fold()) only where the raw bytes cannot stand
 * for the folded ones (a cut at a folded length).  Speed: word starts and
 * white space are found 32 bytes a step (util/scan.h block masks); a word
 * start is tried only when its first two, then three bytes may begin a
 * phrase (duo[], trio[]).
 */
#include "config.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include "classify/smtpcmd_phrase.h"
#include "util/scan.h"
#include "util/text.h"

/* The wording MTAs use to say which step failed, folded (lower case, one
 * space).  Matched as whole words. */
static const struct {
	const char *phrase;
	enum smtpcmd cmd;
} smtpcmd_phrases[] = {
	/* Postfix smtp(8): "(in reply to RCPT TO command)" and the
	 * "lost connection ... while sending RCPT TO" family */
	{ "in reply to rcpt to command", SMTPCMD_RCPT },
	{ "in reply to end of data command", SMTPCMD_DATA },
	{ "in reply to data command", SMTPCMD_DATA },
	{ "in reply to mail from command", SMTPCMD_MAIL },
	{ "in reply to ehlo command", SMTPCMD_HELO },
	{ "in reply to helo command", SMTPCMD_HELO },
	{ "in reply to lhlo command", SMTPCMD_HELO },
	{ "in reply to starttls command", SMTPCMD_HELO },
	{ "in reply to xforward command", SMTPCMD_HELO },
	{ "in reply to rcpt to", SMTPCMD_RCPT },
	{ "in reply to mail from", SMTPCMD_MAIL },
	{ "in reply to end of data", SMTPCMD_DATA },
	{ "while sending rcpt to", SMTPCMD_RCPT },
	{ "while sending mail from", SMTPCMD_MAIL },
	{ "while sending end of data", SMTPCMD_DATA },
	{ "while sending message body", SMTPCMD_DATA },
	{ "while sending data command", SMTPCMD_DATA },
	{ "while performing the ehlo handshake", SMTPCMD_HELO },
	{ "while performing the helo handshake", SMTPCMD_HELO },
	{ "while receiving the initial server greeting", SMTPCMD_CONN },
	{ "refused to talk to me", SMTPCMD_CONN },
	/* Exim: "SMTP error from remote mail server after RCPT TO:<a>:" */
	{ "after pipelined rcpt to", SMTPCMD_RCPT },
	{ "after pipelined mail from", SMTPCMD_MAIL },
	{ "after pipelined data", SMTPCMD_DATA },
	{ "after rcpt to", SMTPCMD_RCPT },
	{ "after rcpt command", SMTPCMD_RCPT },
	{ "after mail from", SMTPCMD_MAIL },
	{ "after end of data", SMTPCMD_DATA },
	{ "after data", SMTPCMD_DATA },
	{ "after ehlo", SMTPCMD_HELO },
	{ "after helo", SMTPCMD_HELO },
	{ "after starttls", SMTPCMD_HELO },
	{ "after initial connection", SMTPCMD_CONN },
	/* "SMTP error from remote server for TEXT command" (the body) */
	{ "for text command", SMTPCMD_DATA },
	/* qmail-remote and its descendants */
	{ "does not like recipient", SMTPCMD_RCPT },
	{ "but sender was rejected", SMTPCMD_MAIL },
	{ "but my name was rejected", SMTPCMD_HELO },
	{ "but greeting failed", SMTPCMD_CONN },
	{ "failed on data command", SMTPCMD_DATA },
	{ "failed after i sent the message", SMTPCMD_DATA },
	{ "most progress was rcpt to response", SMTPCMD_RCPT },
	{ "for rcpt to response", SMTPCMD_RCPT },
	{ "for mail from response", SMTPCMD_MAIL },
	{ "for data response", SMTPCMD_DATA },
	{ "most progress was mail from response", SMTPCMD_MAIL },
	{ "most progress was ehlo response", SMTPCMD_HELO },
	{ "most progress was helo response", SMTPCMD_HELO },
	/* DragonFly dma: "host [ip] did not like our RCPT TO:" */
	{ "did not like our rcpt", SMTPCMD_RCPT },
	{ "did not like our final data", SMTPCMD_DATA },
	{ "did not like our data", SMTPCMD_DATA },
	{ "did not like our mail", SMTPCMD_MAIL },
	{ "did not like our helo", SMTPCMD_HELO },
	{ "did not like our ehlo", SMTPCMD_HELO },
	/* "SMTP:RCPT host 192.0.2.8: 553 ..." (unnamed MTAs, X3 style) */
	{ "smtp:rcpt", SMTPCMD_RCPT },
	{ "smtp:mail", SMTPCMD_MAIL },
	{ "smtp:data", SMTPCMD_DATA },
	/* generic wording and field-like tokens */
	{ "rcpt to not accepted", SMTPCMD_RCPT },
	{ "mail from not accepted", SMTPCMD_MAIL },
	{ "rcpt to command", SMTPCMD_RCPT },
	{ "mail from command", SMTPCMD_MAIL },
	{ "end of data command", SMTPCMD_DATA },
	{ "data command", SMTPCMD_DATA },
	{ "rcpt_to", SMTPCMD_RCPT },
	{ "end of data", SMTPCMD_DATA },
};

#define SMTPCMD_NPHRASES (sizeof(smtpcmd_phrases) / sizeof(smtpcmd_phrases[0]))

bool smtpcmd_phrase_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* ------------------------------------------------------------ tables */

_Static_assert(SMTPCMD_NPHRASES <= 128, "phrase set fits two 64-bit words");

/* Tables derived from the constant phrase table.  They depend on nothing
 * else, so each thread builds them once (building them per call cost as
 * much as the scan); bounce_parse() stays free of shared state. */
struct smtpcmd_group {
	unsigned char key[4];     /* its phrases' first klen bytes, no space */
	unsigned char klen;
	/* the key as four text bytes u[i..i+4) read as smtpcmd_le32() would:
	 * they start with it when (w | kor) & kmask == kword (kor folds the
	 * case of a letter); never, when a key byte is no folded byte */
	uint32_t kword, kor, kmask;
	/* bit (c & 31) set when some phrase of the group goes on with the
	 * byte c right after the common start (all bits when one ends there
	 * or goes on with a space): a filter of the text byte there */
	uint32_t next;
	unsigned char common;     /* bytes all its phrases start with */
	unsigned char b, e;       /* its phrases: order[b..e) */
};

struct smtpcmd_index {
	size_t plen[SMTPCMD_NPHRASES];
	unsigned char order[SMTPCMD_NPHRASES];  /* by letter, then group */
	struct smtpcmd_group group[SMTPCMD_NPHRASES];
	unsigned char glo[256], ghi[256]; /* groups of byte b (a letter, either
	                                     case): group[glo[b]..ghi[b]) */
	/* trio[a][b & 31]: bit (c & 31) set when some phrase starts with
	 * the letter 'a' + a, then bytes b and c as folded (0: white space);
	 * all bits when the third byte has no fixed place in raw text (the
	 * second is a space: the run may be longer) or the phrase is
	 * shorter.  A filter: most words fail it. */
	uint32_t trio[26][32];
	/* duo[b]: bit (a & 31) set when trio[] lets a word start with the
	 * letter a (either case), then the byte b: the first filter, one
	 * look-up for the two raw bytes */
	uint32_t duo[256];
	unsigned char word[256];  /* smtpcmd_phrase_alnum(), asked per byte */
	unsigned char fold[256];  /* byte as folded; 0: white space/control */
};

/* Bytes of ph before its first space, at most 4: what a group shares. */
static size_t smtpcmd_key_len(const char *ph)
{
	size_t n = 0;

	while (n < 4 && ph[n] != '\0' && ph[n] != ' ')
		n++;
	return n;
}

/* Phrase ph (plen bytes) into the trio[] row of its first letter. */
static void smtpcmd_trio_add(uint32_t row[32], const char *ph, size_t plen)
{
	size_t b;

	if (plen < 2) {
		for (b = 0; b < 32; b++)
			row[b] = ~(uint32_t)0;
		return;
	}
	b = (ph[1] == ' ' ? 0 : (unsigned char)ph[1]) & 31;
	if (plen < 3 || ph[1] == ' ')
		row[b] = ~(uint32_t)0;
	else
		row[b] |= (uint32_t)1 << ((ph[2] == ' ' ? 0 : (unsigned char)ph[2]) & 31);
}

/* One index for the process, built once from the constant table and only
 * read after: `ready` is set (release) when it is whole, and a reader that
 * sees it set (acquire) sees the whole index; the first readers build it
 * through call_once(). */
static struct smtpcmd_index smtpcmd_index;
static atomic_bool smtpcmd_index_ready;
static once_flag smtpcmd_index_once = ONCE_FLAG_INIT;

/* Build smtpcmd_index (kept out of line: the callers only test that it is
 * ready). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void smtpcmd_index_build(void)
{
	struct smtpcmd_index *x = &smtpcmd_index;
	bool placed[SMTPCMD_NPHRASES];
	uint32_t lead[32] = { 0 };
	size_t k, j, c, ng = 0, pos = 0;

	memset(x, 0, sizeof(*x));
	memset(placed, 0, sizeof(placed));
	for (k = 0; k < SMTPCMD_NPHRASES; k++) {
		const char *ph = smtpcmd_phrases[k].phrase;

		x->plen[k] = strlen(ph);
		/* the scan finds phrases where a word starts with their first
		 * letter: a phrase starting otherwise would never be found */
		assert(ph[0] >= 'a' && ph[0] <= 'z');
	}
	/* letter by letter, phrases with the same key together */
	for (c = 0; c < 26; c++) {
		x->glo['a' + c] = x->glo['A' + c] = (unsigned char)ng;
		for (k = 0; k < SMTPCMD_NPHRASES; k++) {
			const char *ph = smtpcmd_phrases[k].phrase;
			struct smtpcmd_group *g = &x->group[ng];

			if (placed[k] || ph[0] != (char)('a' + c))
				continue;
			g->klen = (unsigned char)smtpcmd_key_len(ph);
			memcpy(g->key, ph, g->klen);
			g->b = (unsigned char)pos;
			for (j = k; j < SMTPCMD_NPHRASES; j++) {
				const char *q = smtpcmd_phrases[j].phrase;

				if (placed[j] || smtpcmd_key_len(q) != g->klen ||
				    memcmp(q, g->key, g->klen) != 0)
					continue;
				placed[j] = true;
				x->order[pos++] = (unsigned char)j;
				smtpcmd_trio_add(x->trio[c], q, x->plen[j]);
			}
			g->e = (unsigned char)pos;
			for (j = 0; j < g->klen; j++) {
				unsigned char b = g->key[j];

				g->kword |= (uint32_t)b << (8 * j);
				g->kmask |= (uint32_t)0xff << (8 * j);
				if (b >= 'a' && b <= 'z')
					g->kor |= (uint32_t)0x20 << (8 * j);
				else if (b <= ' ' || b == 0x7f || (b >= 'A' && b <= 'Z'))
					break;
			}
			if (j < g->klen) {        /* no text byte folds to key[j] */
				g->kmask = 0;
				g->kword = 1;
			}
			/* their common start, matched once per word */
			g->common = (unsigned char)x->plen[x->order[g->b]];
			for (j = g->b + 1; j < g->e; j++) {
				const char *a = smtpcmd_phrases[x->order[g->b]].phrase;
				const char *q = smtpcmd_phrases[x->order[j]].phrase;
				size_t n = 0;

				while (n < g->common && a[n] == q[n])
					n++;
				g->common = (unsigned char)n;
			}
			for (j = g->b; j < g->e; j++) {
				const char *q = smtpcmd_phrases[x->order[j]].phrase;

				if (g->common >= x->plen[x->order[j]] ||
				    q[g->common] == ' ')
					g->next = ~(uint32_t)0;
				else
					g->next |= (uint32_t)1 << ((unsigned char)q[g->common] & 31);
			}
			ng++;
		}
		x->ghi['a' + c] = x->ghi['A' + c] = (unsigned char)ng;
	}
	for (k = 0; k < 256; k++) {
		unsigned char b = (unsigned char)k;

		x->word[k] = smtpcmd_phrase_alnum(b);
		if (b <= ' ' || b == 0x7f)
			x->fold[k] = 0;
		else if (b >= 'A' && b <= 'Z')
			x->fold[k] = (unsigned char)(b - 'A' + 'a');
		else
			x->fold[k] = b;
	}
	/* duo[]: the letters each folded second byte (& 31) may follow */
	for (k = 0; k < 32; k++)
		for (c = 0; c < 26; c++)
			if (x->trio[c][k] != 0)
				lead[k] |= (uint32_t)1 << (('a' + c) & 31);
	for (k = 0; k < 256; k++)
		x->duo[k] = lead[x->fold[k] & 31];
	atomic_store_explicit(&smtpcmd_index_ready, true, memory_order_release);
}

static inline const struct smtpcmd_index *smtpcmd_index_get(void)
{
	if (!atomic_load_explicit(&smtpcmd_index_ready, memory_order_acquire))
		call_once(&smtpcmd_index_once, smtpcmd_index_build);
	return &smtpcmd_index;
}

/* ------------------------------------------------------------ folding */

const unsigned char *smtpcmd_phrase_fold_map(void)
{
	return smtpcmd_index_get()->fold;
}

void smtpcmd_phrase_fold_run(struct smtpcmd_phrase_fold_state *st,
                             const unsigned char *s, size_t len, char *out,
                             size_t want, size_t outsz, bool para)
{
	const unsigned char *map = smtpcmd_index_get()->fold;
	size_t i = st->i, n = st->n;
	int nl = st->nl;

	while (i < len && n < want && n + 1 < outsz) {
		unsigned char c = s[i], m = map[c];
		size_t end;

		if (m == 0) {
			if (nl < 0)
				nl = 0;
			if (c == '\n')
				nl++;
			i++;
			continue;
		}
		if (nl >= 0 && n > 0 && n + 2 < outsz) {
			out[n++] = nl >= 2 ? '\n' : ' ';
			if (nl >= 2 && para) {
				nl = -1;      /* the byte at i is written next */
				break;
			}
		}
		nl = -1;
		/* the rest of the word: one table look-up per byte, bounded by
		 * both limits on what may be written */
		end = outsz - 1 - n;
		if (end > want + 1 - n)
			end = want + 1 - n;
		end = len - i < end ? len : i + end;
		do {
			out[n++] = (char)m;
			i++;
		} while (i < end && (m = map[s[i]]) != 0);
	}
	st->i = i;
	st->n = n;
	st->nl = nl;
}

size_t smtpcmd_phrase_fold(const char *s, size_t len, char *out,
                           size_t outsz)
{
	struct smtpcmd_phrase_fold_state st = { 0, 0, -1 };

	if (outsz == 0)
		return 0;
	smtpcmd_phrase_fold_run(&st, (const unsigned char *)s, len, out,
	                        SIZE_MAX - 1, outsz, false);
	out[st.n] = '\0';
	return st.n;
}

/* ------------------------------------------------------------ phrases */

/* The phrases found so far by smtpcmd_phrase_scan(). */
struct smtpcmd_found {
	size_t occ[SMTPCMD_NPHRASES], end[SMTPCMD_NPHRASES]; /* where */
	uint64_t bits[2];                     /* which */
	unsigned char hit[SMTPCMD_NPHRASES];  /* which, in table order */
	size_t nhit;
	size_t lim;   /* the scan's end: the text's, or the ends of those found */
};

/* Record phrase k found at s[occ..end). */
static void smtpcmd_hit(struct smtpcmd_found *fd, size_t k, size_t occ,
                        size_t end)
{
	size_t j = fd->nhit;

	fd->occ[k] = occ;
	fd->end[k] = end;
	if (j == 0 || fd->lim < end)
		fd->lim = end;
	fd->bits[k >> 6] |= (uint64_t)1 << (k & 63);
	while (j > 0 && fd->hit[j - 1] > k) {
		fd->hit[j] = fd->hit[j - 1];
		j--;
	}
	fd->hit[j] = (unsigned char)k;
	fd->nhit++;
}

/* Where ph[0..plen) (folded, lower case, single spaces) ends when it
 * matches the text u[i..len) as folded: each phrase byte the byte as
 * folded, each space a white space run with fewer than para line ends
 * (SMTPCMD_PHRASE_FOLDED or SMTPCMD_PHRASE_RAW).  SIZE_MAX when it does
 * not match. */
static size_t smtpcmd_match(const unsigned char *u, size_t i, size_t len,
                            const char *ph, size_t plen, int para)
{
	const unsigned char *map = smtpcmd_index_get()->fold;
	size_t j;

	for (j = 0; j < plen; j++) {
		if (ph[j] == ' ') {
			int nl = 0;

			if (i >= len || map[u[i]] != 0)
				return SIZE_MAX;
			do {
				nl += u[i] == '\n';
				i++;
			} while (i < len && map[u[i]] == 0);
			if (nl >= para)
				return SIZE_MAX;
		} else {
			if (i >= len || map[u[i]] != (unsigned char)ph[j])
				return SIZE_MAX;
			i++;
		}
	}
	return i;
}

/* u[i..i+4) as a number, u[i] in the low byte. */
static inline uint32_t smtpcmd_le32(const unsigned char *u, size_t i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t w;

	memcpy(&w, u + i, 4);
	return w;
#else
	return (uint32_t)u[i] | (uint32_t)u[i + 1] << 8 |
	       (uint32_t)u[i + 2] << 16 | (uint32_t)u[i + 3] << 24;
#endif
}

/* The phrases not yet found that start at the word start u[i]: those of
 * the groups of its letter whose key it starts with (four bytes compared
 * at once while four are left), then those whose next byte follows (a
 * call of smtpcmd_match() each, mostly in vain, was the dearer part). */
#if defined(__GNUC__)
__attribute__((noinline))     /* the scan loop keeps its registers */
#endif
static void smtpcmd_word_start(const struct smtpcmd_index *x,
                               struct smtpcmd_found *fd,
                               const unsigned char *u, size_t i, size_t len,
                               int para)
{
	const unsigned char *map = x->fold, *word = x->word;
	const char *ph0;
	size_t g, ge, b, cm, c;
	uint32_t w = len - i >= 4 ? smtpcmd_le32(u, i) : 0;

	for (g = x->glo[u[i]], ge = x->ghi[u[i]]; g < ge; g++) {
		const struct smtpcmd_group *gr = &x->group[g];
		size_t j = 1, kl = gr->klen;

		if (len - i >= 4) {
			if (((w | gr->kor) & gr->kmask) != gr->kword)
				continue;
		} else {
			if (len - i < kl)
				continue;
			while (j < kl && map[u[i + j]] == gr->key[j])
				j++;
			if (j < kl)
				continue;
		}
		cm = gr->common;
		ph0 = smtpcmd_phrases[x->order[gr->b]].phrase;
		/* the byte after the key, as smtpcmd_match() would see it */
		if (cm > kl && (i + kl >= len ||
		                map[u[i + kl]] != (ph0[kl] == ' ' ? 0 :
		                                   (unsigned char)ph0[kl])))
			continue;
		c = smtpcmd_match(u, i + kl, len, ph0 + kl, cm - kl, para);
		if (c == SIZE_MAX ||
		    (c < len && !((gr->next >> (map[u[c]] & 31)) & 1)))
			continue;
		for (b = gr->b; b < gr->e; b++) {
			size_t k = x->order[b], pl = x->plen[k], e;
			const char *ph = smtpcmd_phrases[k].phrase;

			if ((fd->bits[k >> 6] >> (k & 63)) & 1)
				continue;
			/* its next byte, when no space, is u[c]'s as folded */
			if (cm < pl && ph[cm] != ' ' &&
			    (c >= len || map[u[c]] != (unsigned char)ph[cm]))
				continue;
			e = smtpcmd_match(u, c, len, ph + cm, pl - cm, para);
			if (e != SIZE_MAX &&
			    (e >= len || !word[u[e]] ||
			     !word[(unsigned char)ph[pl - 1]]))
				smtpcmd_hit(fd, k, i, e);
		}
	}
}

/* The fold of u[0..j) has one byte per solid byte and one separator
 * before each solid byte at k > 0 whose predecessor is white space: the
 * blocks the max-th folded byte lies past are counted whole, that one
 * byte by byte. */
size_t smtpcmd_phrase_fold_reach(const unsigned char *u, size_t len,
                                 size_t max)
{
	size_t i, k, n = 0, rs = 0;   /* rs: where the last run of white space
	                                 starts (past the last solid byte) */
	uint32_t prev = 1;            /* no separator before u[0] */

	for (i = 0; i < len; i += SCAN_BLOCK) {
		uint32_t w = scan_solid_block(u, i, len);
		uint32_t sep = w & ~(w << 1 | prev);
		size_t cnt = scan_mask_count(w) + scan_mask_count(sep);

		prev = w >> (SCAN_BLOCK - 1);
		if (n + cnt <= max) {     /* folded byte max lies further on */
			n += cnt;
			if (w != 0)
				rs = i + scan_mask_highest(w) + 1;
			continue;
		}
		for (k = 0; k < SCAN_BLOCK; k++) {
			if ((sep >> k) & 1) {
				if (n == max)
					return rs;
				n++;
			}
			if ((w >> k) & 1) {
				if (n == max)
					return i + k;
				n++;
				rs = i + k + 1;
			}
		}
	}
	return len;
}

/* Raw text (SMTPCMD_PHRASE_RAW) reads as smtpcmd_phrase_fold() would
 * fold it: an address or a word sits at the same places, the phrases'
 * spaces match white space runs.
 *
 * The table is folded in order as a search per phrase did: a phrase
 * replaces the best so far only if it ends by the best's start.  So once
 * phrases are found, one that starts at or after the end of each of them
 * cannot change the outcome (it never replaces a found one, and whichever
 * found one comes after it in the table replaces it), and the scan stops
 * there.  The scan itself is one pass: each phrase's first whole-word
 * occurrence is tried only where a word starts with the bytes before its
 * first space (its group's key; one compare per group of its letter, most
 * letters have none), then the rest of it (a search per phrase cost sixty
 * scans of the text).  Word starts (a word byte whose predecessor is
 * none) are found a block of bytes at a time, not byte by byte.  Every
 * phrase starts with a lower-case letter (checked when the index is
 * built). */
enum smtpcmd smtpcmd_phrase_scan(const char *s, size_t len, int para)
{
	const struct smtpcmd_index *x = smtpcmd_index_get();
	const unsigned char *map = x->fold;
	const unsigned char *u = (const unsigned char *)s;
	struct smtpcmd_found fd;
	enum smtpcmd best = SMTPCMD_NONE;
	size_t best_at = len, k, i, lim;
	uint32_t prev = 0;            /* 1: the byte before u[i] is a word byte */
	uint32_t m;

	fd.bits[0] = fd.bits[1] = 0;
	fd.nhit = 0;
	fd.lim = len;
	lim = fd.lim;
	for (i = 0; i < lim; i += SCAN_BLOCK) {
		uint32_t lt, w = scan_alnum_block(u, i, len, &lt);
		/* words that start with a letter (the table's phrases
		 * do), before lim */
		uint32_t st = lt & ~(w << 1 | prev);

		prev = w >> (SCAN_BLOCK - 1);
		if (lim - i < SCAN_BLOCK)
			st &= ((uint32_t)1 << (lim - i)) - 1;
		while (st != 0) {
			size_t p = i + scan_mask_lowest(st);

			st &= st - 1;
			if (p + 1 < len && !((x->duo[u[p + 1]] >> (u[p] & 31)) & 1))
				continue;
			if (p + 2 < len) {
				m = x->trio[(u[p] | 0x20) - 'a'][map[u[p + 1]] & 31];
				if (!((m >> (map[u[p + 2]] & 31)) & 1))
					continue;
			}
			smtpcmd_word_start(x, &fd, u, p, len, para);
			lim = fd.lim;         /* past p: only fewer starts to try */
			if (lim - i < SCAN_BLOCK)
				st &= ((uint32_t)1 << (lim - i)) - 1;
		}
	}
	/* a phrase's end is by the best's start in the raw text exactly when
	 * it is in the folded text (both start and end on a word byte) */
	for (i = 0; i < fd.nhit; i++) {
		k = fd.hit[i];
		if (fd.end[k] <= best_at) {
			best = smtpcmd_phrases[k].cmd;
			best_at = fd.occ[k];
		}
	}
	return best;
}
