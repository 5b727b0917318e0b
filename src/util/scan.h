/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scan.h - the byte scanners of the hot paths: one SIMD implementation
 * (SSE2, scan_sse2.h) beside its portable twin (scan_portable.h).
 *
 * Both give the same answer for the same input; which one the names
 * below call is chosen at build time: SSE2 where the compiler targets it
 * (every x86-64) unless configure --disable-simd defined BM_NO_SIMD.  The
 * portable twin compiles in every build, and the unit tests compare the
 * two.  Contract: a scanner reads only inside the span it is given
 * (a short last block is copied or masked, never read past the end);
 * nothing is allocated; no state, so any thread may call at any time.
 * Block masks have bit k set for the byte at u[i + k]; bytes past len
 * are in no class.
 */
#ifndef BM_SCAN_H
#define BM_SCAN_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__) && !defined(BM_NO_SIMD)
#define BM_SCAN_SSE2 1
#else
#define BM_SCAN_SSE2 0
#endif

/* Bytes per block mask. */
#define SCAN_BLOCK 32

/*
 * The three scanners, each in both implementations (scan_portable_* and,
 * where BM_SCAN_SSE2, scan_sse2_*); callers use the names below.
 *
 * find_either_case(from, stop, base, end, c): the first position in
 * [from, stop) whose byte is c, in either ASCII case when c is a letter;
 * NULL if none.  [base, end) is the whole buffer around [from, stop)
 * (base <= from <= stop <= end): a short last block may be read from
 * inside it, never outside.
 *
 * alnum_block(u, i, len, &letters) (i < len): bit k set when u[i + k] is
 * an ASCII letter or digit (the result) or an ASCII letter (letters).
 *
 * solid_block(u, i, len) (i < len): bit k set when u[i + k] is neither
 * white space nor a control byte (above ' ' and not 0x7f; bytes 0x80 and
 * above are solid).
 */
#include "util/scan_portable.h"
#if BM_SCAN_SSE2
#include "util/scan_sse2.h"
#endif

/* The build's choice of the three above. */
static inline const unsigned char *
scan_find_either_case(const unsigned char *from, const unsigned char *stop,
                      const unsigned char *base, const unsigned char *end,
                      unsigned char c)
{
#if BM_SCAN_SSE2
	return scan_sse2_find_either_case(from, stop, base, end, c);
#else
	return scan_portable_find_either_case(from, stop, base, end, c);
#endif
}

static inline uint32_t
scan_alnum_block(const unsigned char *u, size_t i, size_t len,
                 uint32_t *letters)
{
#if BM_SCAN_SSE2
	return scan_sse2_alnum_block(u, i, len, letters);
#else
	return scan_portable_alnum_block(u, i, len, letters);
#endif
}

static inline uint32_t
scan_solid_block(const unsigned char *u, size_t i, size_t len)
{
#if BM_SCAN_SSE2
	return scan_sse2_solid_block(u, i, len);
#else
	return scan_portable_solid_block(u, i, len);
#endif
}

/* Index of the lowest bit set in a block mask (m != 0). */
static inline size_t
scan_mask_lowest(uint32_t m)
{
#if defined(__GNUC__)
	return (size_t)__builtin_ctz(m);
#else
	size_t k = 0;

	while (!((m >> k) & 1))
		k++;
	return k;
#endif
}

/* Index of the highest bit set in a block mask (m != 0). */
static inline size_t
scan_mask_highest(uint32_t m)
{
#if defined(__GNUC__)
	return 31 - (size_t)__builtin_clz(m);
#else
	size_t k = 31;

	while (!((m >> k) & 1))
		k--;
	return k;
#endif
}

/* Bits set in a block mask (adding pairs, nibbles, then bytes: no
 * library call where the CPU lacks a population count). */
static inline size_t
scan_mask_count(uint32_t m)
{
	m = m - ((m >> 1) & 0x55555555u);
	m = (m & 0x33333333u) + ((m >> 2) & 0x33333333u);
	m = (m + (m >> 4)) & 0x0f0f0f0fu;
	return (size_t)((m * 0x01010101u) >> 24);
}

#endif
