/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scan_sse2.h - the SSE2 scanners of scan.h; included by scan.h only,
 * where the compiler targets SSE2 and BM_NO_SIMD is not defined.
 *
 * 16 bytes per vector compare, a bit per byte from _mm_movemask_epi8.
 * Every load lies inside the span the caller gave: a short last block
 * is either copied to a zeroed buffer (the block masks) or read from
 * inside the buffer with the bytes outside the span masked off
 * (scan_sse2_find_either_case).  scan_portable.h gives the same answers.
 * Inline, as swar.h: out of line, the calls (one per block or search)
 * cost 1.4% of bounce_parse's instructions over the corpus.
 */
#ifndef BM_SCAN_SSE2_H
#define BM_SCAN_SSE2_H

#ifndef BM_SCAN_H
#error "include util/scan.h, not util/scan_sse2.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <emmintrin.h>

/* Bytes b of the 16 at p with (b | fold) == lo. */
static inline unsigned int
scan_sse2_eq16(const unsigned char *p, __m128i vf, __m128i vl)
{
	return (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(
	    _mm_loadu_si128((const __m128i *)(const void *)p), vf), vl));
}

/* fold is 0x20 for a letter (both cases in one compare: b | 0x20 is the
 * lower case), 0 otherwise.  Blocks of 64 bytes while they fit, then of
 * 16; the rest is one 16-byte block that ends at stop (or starts at
 * base), the bytes outside [from, stop) masked off; byte by byte only
 * when the whole buffer is shorter than 16 bytes. */
static inline const unsigned char *
scan_sse2_find_either_case(const unsigned char *p, const unsigned char *stop,
                           const unsigned char *h, const unsigned char *end,
                           unsigned char c)
{
	unsigned char lo = (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
	unsigned char fold = (lo >= 'a' && lo <= 'z') ? 0x20 : 0;
	const __m128i vl = _mm_set1_epi8((char)lo);
	const __m128i vf = _mm_set1_epi8((char)fold);
	unsigned int m;

	while (stop - p >= 64) {
		__m128i a = _mm_cmpeq_epi8(_mm_or_si128(
		    _mm_loadu_si128((const __m128i *)(const void *)p), vf), vl);
		__m128i b = _mm_cmpeq_epi8(_mm_or_si128(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 16)), vf), vl);
		__m128i d = _mm_cmpeq_epi8(_mm_or_si128(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 32)), vf), vl);
		__m128i e = _mm_cmpeq_epi8(_mm_or_si128(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 48)), vf), vl);

		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b),
		    _mm_or_si128(d, e))) != 0) {
			uint64_t all = (uint64_t)(unsigned int)_mm_movemask_epi8(a) |
			    (uint64_t)(unsigned int)_mm_movemask_epi8(b) << 16 |
			    (uint64_t)(unsigned int)_mm_movemask_epi8(d) << 32 |
			    (uint64_t)(unsigned int)_mm_movemask_epi8(e) << 48;
			return p + __builtin_ctzll(all);
		}
		p += 64;
	}
	while (stop - p >= 16) {
		m = scan_sse2_eq16(p, vf, vl);
		if (m != 0)
			return p + __builtin_ctz(m);
		p += 16;
	}
	if (p == stop)
		return NULL;
	if (end - h >= 16) {
		/* one block inside the buffer covering p..stop */
		const unsigned char *q = stop - h >= 16 ? stop - 16 : h;

		m = scan_sse2_eq16(q, vf, vl);
		m >>= (unsigned int)(p - q);
		m &= (1u << (unsigned int)(stop - p)) - 1;
		return m != 0 ? p + __builtin_ctz(m) : NULL;
	}
	for (; p < stop; p++)
		if ((*p | fold) == lo)
			return p;
	return NULL;
}

/* Bytes of x in [lo, lo + n): x + (0x80 - lo) maps them, and only them,
 * to the n lowest signed bytes. */
static inline __m128i
scan_sse2_in_range(__m128i x, int lo, int n)
{
	return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo))),
	                      _mm_set1_epi8((char)(-128 + n)));
}

/* The two halves of the block at u[i], zeros past len. */
static inline void
scan_sse2_load(const unsigned char *u, size_t i, size_t len,
               __m128i *v0, __m128i *v1)
{
	if (len - i >= SCAN_BLOCK) {
		*v0 = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		*v1 = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 16));
	} else {
		unsigned char b[SCAN_BLOCK] = { 0 };

		memcpy(b, u + i, len - i);
		*v0 = _mm_loadu_si128((const __m128i *)(const void *)b);
		*v1 = _mm_loadu_si128((const __m128i *)(const void *)(b + 16));
	}
}

/* Letters (*l) and digits (*d) of a half block, a bit per byte. */
static inline void
scan_sse2_classes(__m128i v, uint32_t *l, uint32_t *d)
{
	/* a letter as lower case; no other byte lands in a..z that way */
	*l = (uint32_t)_mm_movemask_epi8(
	    scan_sse2_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26));
	*d = (uint32_t)_mm_movemask_epi8(scan_sse2_in_range(v, '0', 10));
}

/* The zeros past len are neither letters nor digits. */
static inline uint32_t
scan_sse2_alnum_block(const unsigned char *u, size_t i, size_t len,
                      uint32_t *letters)
{
	__m128i v0, v1;
	uint32_t l0, d0, l1, d1;

	scan_sse2_load(u, i, len, &v0, &v1);
	scan_sse2_classes(v0, &l0, &d0);
	scan_sse2_classes(v1, &l1, &d1);
	*letters = l0 | l1 << 16;
	return *letters | d0 | d1 << 16;
}

/* White space or control bytes (<= ' ', 0x7f) of a half block. */
static inline uint32_t
scan_sse2_spaces(__m128i v)
{
	return (uint32_t)_mm_movemask_epi8(
	    _mm_or_si128(scan_sse2_in_range(v, 0, ' ' + 1),
	                 _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))));
}

/* The zeros past len are white space, so not solid. */
static inline uint32_t
scan_sse2_solid_block(const unsigned char *u, size_t i, size_t len)
{
	__m128i v0, v1;

	scan_sse2_load(u, i, len, &v0, &v1);
	return ~(scan_sse2_spaces(v0) | scan_sse2_spaces(v1) << 16);
}
#endif
