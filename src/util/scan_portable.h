/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scan_portable.h - the portable scanners of scan.h; included by scan.h
 * in every build, so that it always compiles: the build's choice where
 * no SIMD is used (configure --disable-simd, or a CPU without SSE2), and
 * the reference the unit tests hold scan_sse2.h to.  Plain C: eight
 * bytes a step (swar.h) for the search, a byte at a time for the block
 * masks.  Never reads outside [from, stop) or u[i..len).
 */
#ifndef BM_SCAN_PORTABLE_H
#define BM_SCAN_PORTABLE_H

#ifndef BM_SCAN_H
#error "include util/scan.h, not util/scan_portable.h"
#endif

#include <stddef.h>
#include <stdint.h>

#include "util/swar.h"

/* fold is 0x20 for a letter (b | 0x20 is its lower case), 0 otherwise;
 * a word's lowest mark is exact (swar.h), so it is the first match. */
static inline const unsigned char *
scan_portable_find_either_case(const unsigned char *p,
                               const unsigned char *stop,
                               const unsigned char *base,
                               const unsigned char *end, unsigned char c)
{
	unsigned char lo = (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
	unsigned char fold = (lo >= 'a' && lo <= 'z') ? 0x20 : 0;
	const uint64_t folds = swar_repeat(fold);

	(void)base;
	(void)end;
	for (; stop - p >= 8; p += 8) {
		uint64_t m = swar_mark_byte(swar_load(p) | folds, lo);

		if (m != 0)
			return p + swar_first_marked_byte(m);
	}
	for (; p < stop; p++)
		if ((*p | fold) == lo)
			return p;
	return NULL;
}

static inline uint32_t
scan_portable_alnum_block(const unsigned char *u, size_t i, size_t len,
                          uint32_t *letters)
{
	size_t k, n = len - i < SCAN_BLOCK ? len - i : SCAN_BLOCK;
	uint32_t w = 0, l = 0;

	for (k = 0; k < n; k++) {
		unsigned char c = u[i + k];
		uint32_t letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

		l |= letter << k;
		w |= (letter | (c >= '0' && c <= '9')) << k;
	}
	*letters = l;
	return w;
}

static inline uint32_t
scan_portable_solid_block(const unsigned char *u, size_t i, size_t len)
{
	size_t k, n = len - i < SCAN_BLOCK ? len - i : SCAN_BLOCK;
	uint32_t m = 0;

	for (k = 0; k < n; k++)
		m |= (uint32_t)(u[i + k] > ' ' && u[i + k] != 0x7f) << k;
	return m;
}

#endif
