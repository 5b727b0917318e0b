/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_swar.c - util/swar.h against byte-at-a-time models: loads and
 * stores at every offset, and every test and mask on words built to
 * reach the edges (each byte value at each position over several
 * backgrounds, runs of marks, pseudo-random words over bytes near the
 * thresholds and over all bytes).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/swar.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ models */

static unsigned char
byte_of(uint64_t w, size_t k)
{
	return (unsigned char)(w >> (8 * k));
}

static uint64_t
word_of(const unsigned char b[8])
{
	uint64_t w = 0;
	size_t k;

	for (k = 0; k < 8; k++)
		w |= (uint64_t)b[k] << (8 * k);
	return w;
}

/* Marks (0x80 per byte) of the bytes that pass, exactly. */
static uint64_t
model_marks(uint64_t w, bool (*pass)(unsigned char, unsigned, unsigned),
            unsigned a, unsigned b)
{
	uint64_t m = 0;
	size_t k;

	for (k = 0; k < 8; k++)
		if (pass(byte_of(w, k), a, b))
			m |= (uint64_t)0x80 << (8 * k);
	return m;
}

static bool
is_below(unsigned char c, unsigned n, unsigned unused)
{
	(void)unused;
	return c < n;
}

static bool
is_equal(unsigned char c, unsigned v, unsigned unused)
{
	(void)unused;
	return c == v;
}

static bool
is_in(unsigned char c, unsigned lo, unsigned hi)
{
	return c >= lo && c <= hi;
}

static bool
is_nonascii(unsigned char c, unsigned a, unsigned b)
{
	(void)a;
	(void)b;
	return c >= 0x80;
}

static bool
is_digit(unsigned char c, unsigned a, unsigned b)
{
	(void)a;
	(void)b;
	return c >= '0' && c <= '9';
}

static bool
is_control(unsigned char c, unsigned a, unsigned b)
{
	(void)a;
	(void)b;
	return c < 0x20 || c == 0x7f;
}

static bool
is_space_or_control(unsigned char c, unsigned a, unsigned b)
{
	(void)a;
	(void)b;
	return c <= 0x20 || c == 0x7f;
}

/* A plain mask is right when it is zero exactly when no byte passes and
 * its lowest mark is the first byte that passes. */
static void
check_plain(uint64_t got, uint64_t want, uint64_t w, const char *what,
            unsigned arg)
{
	if ((got == 0) != (want == 0))
		fail_msg("%s(%#llx, %#x): %#llx, want marks %#llx", what,
		         (unsigned long long)w, arg, (unsigned long long)got,
		         (unsigned long long)want);
	if (want != 0 && swar_first_marked_byte(got) !=
	    swar_first_marked_byte(want))
		fail_msg("%s(%#llx, %#x): first mark %zu, want %zu", what,
		         (unsigned long long)w, arg, swar_first_marked_byte(got),
		         swar_first_marked_byte(want));
	if ((got & ~SWAR_HIGHS) != 0)
		fail_msg("%s(%#llx): bits other than marks", what,
		         (unsigned long long)w);
}

static void
check_exact(uint64_t got, uint64_t want, uint64_t w, const char *what)
{
	if (got != want)
		fail_msg("%s(%#llx): %#llx, want %#llx", what,
		         (unsigned long long)w, (unsigned long long)got,
		         (unsigned long long)want);
}

/* The (lo, hi) pairs the range mask is tried with: the edges of 0..0x7f
 * and the ranges the code uses. */
static const unsigned char ranges[][2] = {
	{ 'A', 'Z' }, { 'a', 'z' }, { '0', '9' }, { 0, 0 }, { 0, 0x7f },
	{ 0x7f, 0x7f }, { 0, 0x20 }, { 1, 0x7e }, { 0x40, 0x40 },
};

/* The bytes the byte tests are tried with: every threshold the code
 * uses and its neighbours. */
static const unsigned char edges[] = {
	0x00, 0x01, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x21, 0x2f, '0',
	'9', ':', ';', '@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0x7e, 0x7f,
	0x80, 0x81, 0xa0, 0xc1, 0xdf, 0xe0, 0xfe, 0xff,
};

/* Every test of swar.h on one word against the models. */
static void
check_word(uint64_t w)
{
	unsigned n, c;
	size_t k, r;
	uint64_t want, lower;
	bool pair;

	for (n = 0; n <= 0x80; n++) {
		want = model_marks(w, is_below, n, 0);
		check_plain(swar_mark_below(w, (unsigned char)n), want, w,
		            "swar_mark_below", n);
		if (swar_has_below(w, (unsigned char)n) != (want != 0))
			fail_msg("swar_has_below(%#llx, %#x)",
			         (unsigned long long)w, n);
	}
	for (c = 0; c < 256; c++) {
		want = model_marks(w, is_equal, c, 0);
		check_plain(swar_mark_byte(w, (unsigned char)c), want, w,
		            "swar_mark_byte", c);
		check_exact(swar_mark_byte_exact(w, (unsigned char)c), want, w,
		            "swar_mark_byte_exact");
		if (swar_has_byte(w, (unsigned char)c) != (want != 0))
			fail_msg("swar_has_byte(%#llx, %#x)",
			         (unsigned long long)w, c);
		pair = false;
		for (k = 0; k + 1 < 8; k++)
			if (byte_of(w, k) == c && byte_of(w, k + 1) == c)
				pair = true;
		if (swar_has_byte_pair(w, (unsigned char)c) != pair)
			fail_msg("swar_has_byte_pair(%#llx, %#x)",
			         (unsigned long long)w, c);
	}
	want = model_marks(w, is_equal, 0, 0);
	check_plain(swar_mark_zero(w), want, w, "swar_mark_zero", 0);
	check_exact(swar_mark_zero_exact(w), want, w, "swar_mark_zero_exact");
	if (swar_has_zero(w) != (want != 0))
		fail_msg("swar_has_zero(%#llx)", (unsigned long long)w);
	check_exact(swar_mark_nonascii(w), model_marks(w, is_nonascii, 0, 0),
	            w, "swar_mark_nonascii");
	for (r = 0; r < N(ranges); r++)
		check_exact(swar_mark_range_exact(w, ranges[r][0], ranges[r][1]),
		            model_marks(w, is_in, ranges[r][0], ranges[r][1]), w,
		            "swar_mark_range_exact");
	if (swar_has_digit(w) != (model_marks(w, is_digit, 0, 0) != 0))
		fail_msg("swar_has_digit(%#llx)", (unsigned long long)w);
	if (swar_has_control(w) != (model_marks(w, is_control, 0, 0) != 0))
		fail_msg("swar_has_control(%#llx)", (unsigned long long)w);
	if (swar_has_space_or_control(w) !=
	    (model_marks(w, is_space_or_control, 0, 0) != 0))
		fail_msg("swar_has_space_or_control(%#llx)",
		         (unsigned long long)w);
	lower = 0;
	for (k = 0; k < 8; k++) {
		unsigned char b = byte_of(w, k);

		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b + 32);
		lower |= (uint64_t)b << (8 * k);
	}
	check_exact(swar_ascii_lower(w), lower, w, "swar_ascii_lower");
}

/* A small deterministic generator (xorshift64). */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ------------------------------------------------------------ tests */

/* swar_load() and swar_store() at every offset: byte k of the word is
 * the k-th byte in memory, whatever the machine's byte order. */
static void
test_load_store(void **state)
{
	unsigned char buf[32], out[32], b[8];
	size_t off, k;
	uint64_t w;

	(void)state;
	for (k = 0; k < sizeof(buf); k++)
		buf[k] = (unsigned char)(0x11 * k + 3);
	for (off = 0; off + 8 <= sizeof(buf); off++) {
		w = swar_load(buf + off);
		for (k = 0; k < 8; k++)
			assert_int_equal(byte_of(w, k), buf[off + k]);
		memset(out, 0xee, sizeof(out));
		swar_store(out + off, w);
		assert_memory_equal(out + off, buf + off, 8);
		for (k = 0; k < sizeof(out); k++)
			if (k < off || k >= off + 8)
				assert_int_equal(out[k], 0xee);
	}
	for (k = 0; k < 8; k++)
		b[k] = (unsigned char)(k + 1);
	assert_true(swar_load(b) == word_of(b));
	assert_true(swar_repeat(0x5a) == 0x5a5a5a5a5a5a5a5au);
}

/* Each byte value at each position over backgrounds that sit on either
 * side of the thresholds: a borrow or carry that leaks into a
 * neighbouring byte shows here. */
static void
test_every_byte_everywhere(void **state)
{
	static const unsigned char backgrounds[] = {
		0x00, 0x01, 0x20, 0x21, '0', 'a', 'A', 'Z', 0x7f, 0x80, 0xff,
	};
	unsigned char b[8];
	size_t g, k;
	unsigned v;

	(void)state;
	for (g = 0; g < N(backgrounds); g++)
		for (k = 0; k < 8; k++)
			for (v = 0; v < 256; v++) {
				memset(b, backgrounds[g], sizeof(b));
				b[k] = (unsigned char)v;
				check_word(word_of(b));
			}
}

/* Two chosen bytes over a background, at every pair of positions: the
 * first-mark index with a false mark possible above a true one. */
static void
test_pairs(void **state)
{
	unsigned char b[8];
	size_t i, j, x, y;

	(void)state;
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++)
			for (x = 0; x < N(edges); x += 3)
				for (y = 1; y < N(edges); y += 3) {
					memset(b, 'm', sizeof(b));
					b[i] = edges[x];
					b[j] = edges[y];
					check_word(word_of(b));
				}
}

/* Pseudo-random words over the edge bytes, then over all bytes. */
static void
test_random_words(void **state)
{
	uint64_t s = 0x9e3779b97f4a7c15u, r;
	unsigned char b[8];
	size_t i, k;

	(void)state;
	for (i = 0; i < 3000; i++) {
		r = next_rand(&s);
		for (k = 0; k < 8; k++)
			b[k] = edges[(r >> (8 * k)) % N(edges)];
		check_word(word_of(b));
		check_word(next_rand(&s));
	}
}

/* swar_first_marked_byte() on every single mark and on every mask whose
 * lowest mark is at k with anything above it. */
static void
test_first_marked(void **state)
{
	size_t k, j;
	uint64_t m;

	(void)state;
	for (k = 0; k < 8; k++) {
		m = (uint64_t)0x80 << (8 * k);
		assert_int_equal(swar_first_marked_byte(m), k);
		for (j = k + 1; j < 8; j++)
			assert_int_equal(swar_first_marked_byte(
			    m | (uint64_t)0x80 << (8 * j)), k);
		assert_int_equal(swar_first_marked_byte(m | (SWAR_HIGHS << (8 * k))),
		                 k);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_store),
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_random_words),
		cmocka_unit_test(test_first_marked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
