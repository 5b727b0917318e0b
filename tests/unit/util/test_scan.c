/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_scan.c - util/scan.h against byte-at-a-time models, at every
 * length, start and stop: the build's choice (scan_*), the portable twin
 * and, where the build has it, the SSE2 implementation.  Buffers sit
 * against a page that may not be read (before their first byte or after
 * their last), so a read outside the span crashes the test in any build.
 * Also: the build picks SSE2 on x86-64 unless BM_NO_SIMD, and the
 * portable path when BM_NO_SIMD (configure --disable-simd).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/scan.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXLEN 130              /* past two 64-byte steps and a 16-byte tail */

/* ------------------------------------------------------------ guarded buffers */

/* Three pages: the middle one readable, its neighbours not. */
static unsigned char *pages;
static size_t pagesz;

static int
setup(void **state)
{
	long ps = sysconf(_SC_PAGESIZE);
	void *p;

	(void)state;
	if (ps <= 0 || (size_t)ps < 2 * MAXLEN)
		return -1;
	pagesz = (size_t)ps;
	p = mmap(NULL, 3 * pagesz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	pages = p;
	if (mprotect(pages + pagesz, pagesz, PROT_READ | PROT_WRITE) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return munmap(pages, 3 * pagesz);
}

/* A buffer of len bytes that ends where the readable page ends (at_end)
 * or starts where it starts. */
static unsigned char *
guarded(size_t len, bool at_end)
{
	return at_end ? pages + 2 * pagesz - len : pages + pagesz;
}

/* ------------------------------------------------------------ models */

static unsigned char
lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool
is_letter(unsigned char c)
{
	return lc(c) >= 'a' && lc(c) <= 'z';
}

static const unsigned char *
model_find(const unsigned char *p, const unsigned char *stop, unsigned char c)
{
	for (; p < stop; p++)
		if (*p == c || (is_letter(c) && lc(*p) == lc(c)))
			return p;
	return NULL;
}

static uint32_t
model_alnum(const unsigned char *u, size_t i, size_t len, uint32_t *letters)
{
	uint32_t w = 0, l = 0;
	size_t k;

	for (k = 0; k < SCAN_BLOCK && i + k < len; k++) {
		unsigned char c = u[i + k];

		if (is_letter(c))
			l |= (uint32_t)1 << k;
		if (is_letter(c) || (c >= '0' && c <= '9'))
			w |= (uint32_t)1 << k;
	}
	*letters = l;
	return w;
}

static uint32_t
model_solid(const unsigned char *u, size_t i, size_t len)
{
	uint32_t m = 0;
	size_t k;

	for (k = 0; k < SCAN_BLOCK && i + k < len; k++)
		if (u[i + k] > ' ' && u[i + k] != 0x7f)
			m |= (uint32_t)1 << k;
	return m;
}

/* ------------------------------------------------------------ the implementations */

typedef const unsigned char *(*find_fn)(const unsigned char *,
    const unsigned char *, const unsigned char *, const unsigned char *,
    unsigned char);
typedef uint32_t (*alnum_fn)(const unsigned char *, size_t, size_t,
    uint32_t *);
typedef uint32_t (*solid_fn)(const unsigned char *, size_t, size_t);

static const struct impl {
	const char *name;
	find_fn find;
	alnum_fn alnum;
	solid_fn solid;
} impls[] = {
	{ "build", scan_find_either_case, scan_alnum_block, scan_solid_block },
	{ "portable", scan_portable_find_either_case, scan_portable_alnum_block,
	  scan_portable_solid_block },
#if BM_SCAN_SSE2
	{ "sse2", scan_sse2_find_either_case, scan_sse2_alnum_block,
	  scan_sse2_solid_block },
#endif
};

/* A deterministic generator (xorshift64). */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Fill u[0..len) from a small alphabet around c (both cases, its
 * neighbours, bytes whose | 0x20 or & ~0x20 is c's) so that matches and
 * near misses are dense, or with one match at pos (and near misses). */
static void
fill(unsigned char *u, size_t len, unsigned char c, uint64_t *s, long pos)
{
	const unsigned char near[] = {
		c, (unsigned char)(c ^ 0x20), (unsigned char)(c + 1),
		(unsigned char)(c - 1), (unsigned char)(c ^ 0x80), 0, ' ', 'q',
	};
	size_t k;

	for (k = 0; k < len; k++) {
		u[k] = near[next_rand(s) % N(near)];
		if (pos >= 0 && (u[k] == c || (is_letter(c) && lc(u[k]) == lc(c))))
			u[k] = 'q' == lc(c) ? '#' : 'q';
	}
	if (pos >= 0 && (size_t)pos < len)
		u[pos] = is_letter(c) && (pos & 1) ? (unsigned char)(c ^ 0x20) : c;
}

static void
check_find(const unsigned char *u, size_t len, unsigned char c)
{
	size_t from, stop, m;
	const unsigned char *want, *got;

	for (from = 0; from <= len; from++)
		for (stop = from; stop <= len; stop++) {
			want = model_find(u + from, u + stop, c);
			for (m = 0; m < N(impls); m++) {
				got = impls[m].find(u + from, u + stop, u, u + len, c);
				if (got != want)
					fail_msg("%s find %#x len %zu [%zu, %zu): %ld, want %ld",
					         impls[m].name, c, len, from, stop,
					         got ? (long)(got - u) : -1L,
					         want ? (long)(want - u) : -1L);
			}
		}
}

/* ------------------------------------------------------------ tests */

/* The search, at every length up to MAXLEN, every start and every stop,
 * in a buffer against either guard page: letters (both cases), a digit,
 * '@', NUL, a space, '\n', bytes 0x80 and 0xff, and characters whose
 * case bit means nothing ('[' ^ 0x20 is '{'). */
static void
test_find_every_span(void **state)
{
	static const unsigned char needles[] = {
		'a', 'Z', 'q', '5', '@', 0, ' ', '\n', 0x80, 0xff, '[', '{',
	};
	uint64_t s = 0x2545f4914f6cdd1du;
	size_t len, n;
	unsigned char *u;

	(void)state;
	for (n = 0; n < N(needles); n++)
		for (len = 0; len <= MAXLEN; len += (len < 40 ? 1 : 7)) {
			u = guarded(len, (len + n) & 1);
			fill(u, len, needles[n], &s, -1);
			check_find(u, len, needles[n]);
		}
}

/* One match at every position (and none), the buffer at either guard. */
static void
test_find_every_position(void **state)
{
	static const unsigned char needles[] = { 'e', 'X', ':' };
	uint64_t s = 0x1234567887654321u;
	const unsigned char *want, *got;
	size_t len = 100, n, m, from;
	long pos;
	unsigned char *u;
	int end;

	(void)state;
	for (n = 0; n < N(needles); n++)
		for (end = 0; end < 2; end++)
			for (pos = -1; pos < (long)len; pos++) {
				u = guarded(len, end);
				fill(u, len, needles[n], &s, pos);
				for (from = 0; from <= len; from += 5) {
					want = model_find(u + from, u + len, needles[n]);
					for (m = 0; m < N(impls); m++) {
						got = impls[m].find(u + from, u + len, u,
						                    u + len, needles[n]);
						if (got != want)
							fail_msg("%s find %#x at %ld from %zu",
							         impls[m].name, needles[n], pos,
							         from);
					}
				}
			}
}

/* The block masks at every length up to MAXLEN and every offset i, over
 * buffers of every byte value (each block sees all 256 values across
 * the offsets) and of random bytes, against either guard page. */
static void
test_blocks_every_offset(void **state)
{
	uint64_t s = 0x0f1e2d3c4b5a6978u;
	uint32_t lw, lg, w, g;
	size_t len, i, k, m, round;
	unsigned char *u;

	(void)state;
	for (round = 0; round < 4; round++)
		for (len = 1; len <= MAXLEN; len++) {
			u = guarded(len, (len + round) & 1);
			for (k = 0; k < len; k++)
				u[k] = round < 2 ? (unsigned char)(k * 7 + round * 128 + len)
				                 : (unsigned char)next_rand(&s);
			for (i = 0; i < len; i++) {
				w = model_alnum(u, i, len, &lw);
				for (m = 0; m < N(impls); m++) {
					lg = 0xdeadbeef;
					g = impls[m].alnum(u, i, len, &lg);
					if (g != w || lg != lw)
						fail_msg("%s alnum len %zu i %zu: %#x/%#x, want %#x/%#x",
						         impls[m].name, len, i, g, lg, w, lw);
					g = impls[m].solid(u, i, len);
					if (g != model_solid(u, i, len))
						fail_msg("%s solid len %zu i %zu: %#x, want %#x",
						         impls[m].name, len, i, g,
						         model_solid(u, i, len));
				}
			}
		}
}

/* Each byte value alone in a block, at every position: the class edges
 * ('/' '0' '9' ':', '@' 'A' 'Z' '[', '`' 'a' 'z' '{', ' ' '!', 0x7f,
 * 0x80) are all among them. */
static void
test_blocks_every_byte(void **state)
{
	uint32_t lw, lg, w, g;
	size_t k, m;
	unsigned v;
	unsigned char *u = guarded(SCAN_BLOCK, true);

	(void)state;
	for (v = 0; v < 256; v++)
		for (k = 0; k < SCAN_BLOCK; k++) {
			memset(u, '-', SCAN_BLOCK);
			u[k] = (unsigned char)v;
			w = model_alnum(u, 0, SCAN_BLOCK, &lw);
			for (m = 0; m < N(impls); m++) {
				g = impls[m].alnum(u, 0, SCAN_BLOCK, &lg);
				if (g != w || lg != lw)
					fail_msg("%s alnum byte %#x at %zu", impls[m].name,
					         v, k);
				if (impls[m].solid(u, 0, SCAN_BLOCK) !=
				    model_solid(u, 0, SCAN_BLOCK))
					fail_msg("%s solid byte %#x at %zu", impls[m].name,
					         v, k);
			}
		}
}

/* The mask helpers against bit loops. */
static void
test_mask_helpers(void **state)
{
	uint64_t s = 0x5851f42d4c957f2du;
	uint32_t m;
	size_t i, k, lo, hi, cnt;

	(void)state;
	for (i = 0; i < 20000; i++) {
		m = i < 32 ? (uint32_t)1 << i : i < 64 ? ~(uint32_t)0 << (i - 32)
		    : (uint32_t)next_rand(&s);
		if (m == 0)
			continue;
		lo = 32;
		hi = 0;
		cnt = 0;
		for (k = 0; k < 32; k++)
			if ((m >> k) & 1) {
				if (lo == 32)
					lo = k;
				hi = k;
				cnt++;
			}
		assert_int_equal(scan_mask_lowest(m), lo);
		assert_int_equal(scan_mask_highest(m), hi);
		assert_int_equal(scan_mask_count(m), cnt);
	}
	assert_int_equal(scan_mask_count(0), 0);
}

/* The build's choice: configure --disable-simd must give the portable
 * scanners, a default x86-64 build the SSE2 ones. */
static void
test_build_choice(void **state)
{
	(void)state;
#if defined(BM_NO_SIMD)
	assert_int_equal(BM_SCAN_SSE2, 0);
#elif defined(__x86_64__)
	assert_int_equal(BM_SCAN_SSE2, 1);
#endif
	print_message("scanners: %s\n", BM_SCAN_SSE2 ? "sse2" : "portable");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_choice),
		cmocka_unit_test(test_find_every_span),
		cmocka_unit_test(test_find_every_position),
		cmocka_unit_test(test_blocks_every_offset),
		cmocka_unit_test(test_blocks_every_byte),
		cmocka_unit_test(test_mask_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
