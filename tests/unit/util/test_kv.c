/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_kv.c - key=value quoting of sender-chosen values (util/kv.h).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/kv.h"

static void
test_tokens_and_quoted_strings(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "mx.example.net", "mx.example.net" },
		{ "<alice@example.com>", "<alice@example.com>" },
		{ "5.1.1", "5.1.1" },
		{ "b\xc3\xbc" "cher.example", "b\xc3\xbc" "cher.example" },   /* UTF-8 kept */
		{ "", "\"\"" },
		{ "bad.test; spf=pass; suppressed=yes", "\"bad.test; spf=pass; suppressed=yes\"" },
		{ "mx.evil; class=soft", "\"mx.evil; class=soft\"" },
		{ "a=b", "\"a=b\"" },
		{ "two words", "\"two words\"" },
		{ "tab\there", "\"tab?here\"" },          /* quoted for the tab, which becomes ? */
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "ctl\x01x", "ctl?x" },
		{ "ctl\x7f; x", "\"ctl?; x\"" },
		{ "cr\rlf\n", "cr?lf?" },
	};
	char out[128];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = kv_quote(rows[i].in, out, sizeof out);

		if (strcmp(out, rows[i].out) != 0 || n != strlen(out))
			fail_msg("kv_quote(%s) = %s, want %s", rows[i].in, out, rows[i].out);
	}
	assert_int_equal(kv_quote(NULL, out, sizeof out), 2);
	assert_string_equal(out, "\"\"");
}

static void
test_bounded_and_well_formed(void **state)
{
	char out[8];

	(void)state;
	kv_quote("a b c d e f g h", out, sizeof out);
	assert_string_equal(out, "\"a b c\"");          /* cut inside, then closed */
	kv_quote("x\"\"\"\"\"", out, sizeof out);
	assert_string_equal(out, "\"x\\\"\\\"\"");      /* an escape is never split */
	kv_quote("abcdefghijk", out, sizeof out);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(kv_quote("a b", out, 2), 0);
	assert_string_equal(out, "");
	assert_int_equal(kv_quote("a", NULL, 0), 0);
}

static void
test_append(void **state)
{
	char buf[48] = "class=hard";

	(void)state;
	kv_append(buf, sizeof buf, " ", "helo", "x; y=z");
	assert_string_equal(buf, "class=hard helo=\"x; y=z\"");
	kv_append(buf, sizeof buf, "; ", "ip", "192.0.2.1");
	assert_string_equal(buf, "class=hard helo=\"x; y=z\"; ip=192.0.2.1");
	kv_append(buf, sizeof buf, " ", "toolong", "0123456789");   /* no room: nothing */
	assert_string_equal(buf, "class=hard helo=\"x; y=z\"; ip=192.0.2.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_and_quoted_strings),
		cmocka_unit_test(test_bounded_and_well_formed),
		cmocka_unit_test(test_append),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
