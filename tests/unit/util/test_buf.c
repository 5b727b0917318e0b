/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_buf.c - buf: bounded appends, visible truncation, reset, reuse after
 * free.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

struct append_case {
	const char *label;
	size_t cap;
	const char *parts[4];
	const char *want;
	int want_rc;            /* rc of the last append */
	bool want_trunc;
};

static const struct append_case append_cases[] = {
	{ "fits", 16, { "abc", "def", NULL }, "abcdef", 0, false },
	{ "exact cap", 6, { "abc", "def", NULL }, "abcdef", 0, false },
	{ "one over", 5, { "abc", "def", NULL }, "abcde", -1, true },
	{ "zero cap", 0, { "x", NULL }, "", -1, true },
	{ "empty appends", 4, { "", "", NULL }, "", 0, false },
	{ "growth past 64", 200, { "0123456789012345678901234567890123456789",
	    "0123456789012345678901234567890123456789",
	    "0123456789012345678901234567890123456789", NULL },
	    "012345678901234567890123456789012345678901234567890123456789"
	    "012345678901234567890123456789012345678901234567890123456789", 0,
	    false },
};

static void
test_append_table(void **state)
{
	size_t i, j;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(append_cases) / sizeof(append_cases[0]); i++) {
		const struct append_case *c = &append_cases[i];
		struct buf b;

		buf_init(&b, c->cap);
		rc = 0;
		for (j = 0; c->parts[j] != NULL; j++)
			rc = buf_append(&b, c->parts[j], strlen(c->parts[j]));
		if (strcmp(b.data, c->want) != 0 || rc != c->want_rc ||
		    b.truncated != c->want_trunc || b.len != strlen(c->want))
			fail_msg("%s: got \"%s\" rc=%d trunc=%d", c->label,
			    b.data, rc, b.truncated);
		assert_true(b.len <= b.cap);
		buf_free(&b);
	}
}

static void
test_nul_bytes_kept(void **state)
{
	struct buf b;
	static const char in[] = { 'a', '\0', 'b', '\0' };

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_append(&b, in, sizeof(in)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, in, 4);
	assert_int_equal(b.data[4], '\0');
	buf_free(&b);
}

static void
test_full_stays_full(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_append(&b, "x", 1), 0);
	assert_int_equal(buf_append(&b, "42-ab", 5), 0);
	assert_string_equal(b.data, "x42-ab");
	assert_int_equal(buf_append(&b, "0123456789", 10), -1);
	assert_true(b.truncated);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "x42-ab0123");
	assert_int_equal(buf_append(&b, "y", 1), -1);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "x42-ab0123");
	buf_free(&b);
}

static void
test_putc_and_printf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_putc(&b, 'x'), 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_string_equal(b.data, "x42-ab");
	assert_int_equal(buf_printf(&b, "%s", "0123456789"), -1);
	assert_true(b.truncated);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "x42-ab0123");
	assert_int_equal(buf_putc(&b, 'y'), -1);
	assert_int_equal(b.len, 10);
	buf_free(&b);
}

static void
test_always_terminated(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_reset(&b);
	assert_string_equal(b.data, "");
	buf_free(&b);
	assert_string_equal(b.data, "");
}

static void
test_reset(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_append(&b, "abcdef", 6), -1);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_false(b.truncated);
	assert_int_equal(b.cap, 4);
	assert_int_equal(buf_append(&b, "xy", 2), 0);
	assert_string_equal(b.data, "xy");
	buf_free(&b);
}

/* buf_free() leaves an empty buf that takes appends again, cap kept */
static void
test_reuse_after_free(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_append(&b, "abcdef", 6), -1);
	assert_true(b.truncated);
	buf_free(&b);
	assert_int_equal(b.len, 0);
	assert_false(b.truncated);
	assert_int_equal(b.cap, 4);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_append(&b, "xy", 2), 0);
	assert_string_equal(b.data, "xy");
	assert_int_equal(buf_append(&b, "zzz", 3), -1);
	assert_string_equal(b.data, "xyzz");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_table),
		cmocka_unit_test(test_nul_bytes_kept),
		cmocka_unit_test(test_full_stays_full),
		cmocka_unit_test(test_putc_and_printf),
		cmocka_unit_test(test_always_terminated),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_reuse_after_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
