/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * swar.h - eight bytes at a time in a 64-bit word ("SIMD within a
 * register"), behind names that say what each trick tests.
 *
 * Contract: swar_load() reads eight bytes from any address (memcpy, no
 * alignment needed) into a word whose byte k holds the k-th byte in
 * memory on every machine (little-endian order; a big-endian CPU swaps),
 * and swar_store() writes it back the same way, so "lower byte" means
 * "earlier in memory" everywhere.  A mark is the high bit (0x80) of a
 * byte of a mask.  The swar_mark_*() masks come in two kinds: the plain
 * ones mark every byte that passes and may falsely mark bytes above the
 * first true mark (a borrow runs upwards), so they are nonzero exactly
 * when some byte passes and their lowest mark is exact (so is an OR of
 * them); the _exact ones mark exactly the bytes that pass.  Pure
 * functions, no state, no allocation; a caller reads only the eight
 * bytes it loads.
 */
#ifndef BM_SWAR_H
#define BM_SWAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* c in every byte of the word */
static inline uint64_t
swar_repeat(unsigned char c)
{
	return (uint64_t)0x0101010101010101u * c;
}

#define SWAR_HIGHS ((uint64_t)0x8080808080808080u)
#define SWAR_LOWS ((uint64_t)0x7f7f7f7f7f7f7f7fu)

/* Eight bytes from p (any alignment), byte k of the word = p[k]. */
static inline uint64_t
swar_load(const void *p)
{
	uint64_t w;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, p, sizeof(w));
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	memcpy(&w, p, sizeof(w));
	w = __builtin_bswap64(w);
#else
	const unsigned char *b = p;
	int k;

	for (w = 0, k = 7; k >= 0; k--)
		w = w << 8 | b[k];
#endif
	return w;
}

/* The word to p[0..8) (any alignment), byte k of the word to p[k]. */
static inline void
swar_store(void *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &w, sizeof(w));
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
	memcpy(p, &w, sizeof(w));
#else
	unsigned char *b = p;
	int k;

	for (k = 0; k < 8; k++, w >>= 8)
		b[k] = (unsigned char)w;
#endif
}

/* Bytes below n (n <= 0x80); plain mask (lowest mark exact). */
static inline uint64_t
swar_mark_below(uint64_t w, unsigned char n)
{
	return (w - swar_repeat(n)) & ~w & SWAR_HIGHS;
}

/* Zero bytes; plain mask (lowest mark exact). */
static inline uint64_t
swar_mark_zero(uint64_t w)
{
	return swar_mark_below(w, 1);
}

/* Bytes equal to c; plain mask (lowest mark exact). */
static inline uint64_t
swar_mark_byte(uint64_t w, unsigned char c)
{
	return swar_mark_zero(w ^ swar_repeat(c));
}

/* Bytes with the high bit set (not ASCII); exact. */
static inline uint64_t
swar_mark_nonascii(uint64_t w)
{
	return w & SWAR_HIGHS;
}

/* Zero bytes, exactly: the low seven bits are added to 0x7f so that no
 * carry leaves a byte, then the byte's own high bit is or-ed in. */
static inline uint64_t
swar_mark_zero_exact(uint64_t w)
{
	return ~(((w & SWAR_LOWS) + SWAR_LOWS) | w) & SWAR_HIGHS;
}

/* Bytes equal to c, exactly. */
static inline uint64_t
swar_mark_byte_exact(uint64_t w, unsigned char c)
{
	return swar_mark_zero_exact(w ^ swar_repeat(c));
}

/* Bytes in lo..hi (lo <= hi <= 0x7f), exactly: each byte's low seven bits
 * plus 0x80 - lo reach the high bit when at least lo, plus 0x7f - hi when
 * above hi; neither sum carries out of its byte; bytes with the high bit
 * set are ruled out. */
static inline uint64_t
swar_mark_range_exact(uint64_t w, unsigned char lo, unsigned char hi)
{
	uint64_t x = w & SWAR_LOWS;

	return (x + swar_repeat((unsigned char)(0x80 - lo))) &
	       ~(x + swar_repeat((unsigned char)(0x7f - hi))) & ~w & SWAR_HIGHS;
}

/* Some byte is zero. */
static inline bool
swar_has_zero(uint64_t w)
{
	return swar_mark_zero(w) != 0;
}

/* Some byte equals c. */
static inline bool
swar_has_byte(uint64_t w, unsigned char c)
{
	return swar_mark_byte(w, c) != 0;
}

/* Some byte is below n (n <= 0x80). */
static inline bool
swar_has_below(uint64_t w, unsigned char n)
{
	return swar_mark_below(w, n) != 0;
}

/* Some byte is an ASCII digit: a byte XOR '0' is below 10 exactly when
 * the byte is '0'..'9'. */
static inline bool
swar_has_digit(uint64_t w)
{
	return swar_has_below(w ^ swar_repeat('0'), 10);
}

/* Some byte is an ASCII control character: below 0x20 (NUL included) or
 * 0x7f (DEL). */
static inline bool
swar_has_control(uint64_t w)
{
	return (swar_mark_below(w, 0x20) | swar_mark_byte(w, 0x7f)) != 0;
}

/* Some byte is ASCII white space or a control character: at most ' '
 * (0x20) or 0x7f. */
static inline bool
swar_has_space_or_control(uint64_t w)
{
	return (swar_mark_below(w, 0x21) | swar_mark_byte(w, 0x7f)) != 0;
}

/* Two adjacent bytes of the word both equal c (a pair that straddles two
 * words is the caller's to check). */
static inline bool
swar_has_byte_pair(uint64_t w, unsigned char c)
{
	uint64_t m = swar_mark_byte_exact(w, c);

	return (m & (m << 8)) != 0;
}

/* The word with 'A'..'Z' in lower case (the case bit 0x20 set on exactly
 * those bytes), every other byte unchanged. */
static inline uint64_t
swar_ascii_lower(uint64_t w)
{
	return w | swar_mark_range_exact(w, 'A', 'Z') >> 2;
}

/* Index (0..7, in memory order) of the lowest marked byte of m (m != 0):
 * with a plain mask, the first byte that passes. */
static inline size_t
swar_first_marked_byte(uint64_t m)
{
#if defined(__GNUC__)
	return (size_t)__builtin_ctzll(m) / 8;
#else
	size_t k = 0;

	while (!((m >> (8 * k + 7)) & 1))
		k++;
	return k;
#endif
}

#endif
