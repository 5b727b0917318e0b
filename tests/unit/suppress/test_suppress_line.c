/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_suppress_line.c - the suppression list's lines: format names, the
 * exact line each format writes, loading every format (ours and
 * hand-written), a file in another format refused, hostile addresses
 * refused.
 */
#include "config.h"

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "suppress/suppress.h"
#include "suppress_fixture.h"

/* ------------------------------------------------------------ names */

static void
test_format_names(void **state)
{
	static const struct { const char *name; int f; } t[] = {
		{ "plain", SUPPRESS_PLAIN }, { "csv", SUPPRESS_CSV },
		{ "jsonl", SUPPRESS_JSONL }, { "postfix", SUPPRESS_POSTFIX },
		{ "json", -1 }, { "", -1 }, { "PLAIN", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(suppress_format_from_name(t[i].name), t[i].f);
		if (t[i].f >= 0)
			assert_string_equal(suppress_format_name(t[i].f), t[i].name);
	}
	assert_int_equal(suppress_format_from_name(NULL), -1);
}

/* ------------------------------------------------------------ exact lines */

static const struct line_case {
	const char *label;
	enum suppress_format fmt;
	bool fold;
	struct suppress_entry e;
	const char *want;          /* the whole file after one append */
} line_cases[] = {
	{ "plain", SUPPRESS_PLAIN, true,
	  { "Alice@Example.COM", "5.1.1", "userunknown", "mx", "q", T_WHEN },
	  "alice@example.com\n" },
	{ "plain, local part kept", SUPPRESS_PLAIN, false,
	  { "Alice@Example.COM", "5.1.1", "userunknown", "mx", "q", T_WHEN },
	  "Alice@example.com\n" },
	{ "csv", SUPPRESS_CSV, true,
	  { "alice@example.com", "5.1.1", "userunknown", "mx.example.net", "4Xyz1", T_WHEN },
	  "address,first_seen,status,reason,reporting_mta,queue_id\n"
	  "alice@example.com,2025-11-28T00:00:00Z,5.1.1,userunknown,mx.example.net,4Xyz1\n" },
	{ "csv quoting", SUPPRESS_CSV, true,
	  { "\"a,b\"@example.com", "", "mailboxfull", "mx, \"evil\"", "", T_WHEN },
	  "address,first_seen,status,reason,reporting_mta,queue_id\n"
	  "\"\"\"a,b\"\"@example.com\",2025-11-28T00:00:00Z,,mailboxfull,"
	  "\"mx, \"\"evil\"\"\",\n" },
	{ "csv control characters", SUPPRESS_CSV, true,
	  { "bob@example.com", "5.1.1\r\n", "user\r\nunknown", "mx\x01", "q\x7f", T_WHEN },
	  "address,first_seen,status,reason,reporting_mta,queue_id\n"
	  "bob@example.com,2025-11-28T00:00:00Z,5.1.1,user  unknown,mx,q\n" },
	{ "jsonl", SUPPRESS_JSONL, true,
	  { "alice@example.com", "5.1.1", "userunknown", "mx.example.net", "4Xyz1", T_WHEN },
	  "{\"address\":\"alice@example.com\",\"first_seen\":\"2025-11-28T00:00:00Z\","
	  "\"status\":\"5.1.1\",\"reason\":\"userunknown\","
	  "\"reporting_mta\":\"mx.example.net\",\"queue_id\":\"4Xyz1\"}\n" },
	{ "jsonl escaping", SUPPRESS_JSONL, true,
	  { "\"q\\x\"@example.com", NULL, "a\tb", "mx\"1\\", "\xff", T_WHEN },
	  "{\"address\":\"\\\"q\\\\x\\\"@example.com\",\"first_seen\":\"2025-11-28T00:00:00Z\","
	  "\"status\":\"\",\"reason\":\"a b\","
	  "\"reporting_mta\":\"mx\\\"1\\\\\",\"queue_id\":\"?\"}\n" },
	{ "postfix", SUPPRESS_POSTFIX, true,
	  { "alice@example.com", "5.1.1", "userunknown", "mx", "q", T_WHEN },
	  "alice@example.com REJECT 5.1.1 bounce-milter: userunknown\n" },
	{ "postfix, empty status", SUPPRESS_POSTFIX, true,
	  { "alice@example.com", "", "userunknown", "", "", T_WHEN },
	  "alice@example.com REJECT 5.1.1 bounce-milter: userunknown\n" },
	{ "postfix, soft status made permanent", SUPPRESS_POSTFIX, true,
	  { "alice@example.com", "4.2.2", "mailboxfull", "", "", T_WHEN },
	  "alice@example.com REJECT 5.2.2 bounce-milter: mailboxfull\n" },
	{ "postfix, junk status, no reason", SUPPRESS_POSTFIX, true,
	  { "alice@example.com", "5.1", NULL, NULL, NULL, T_WHEN },
	  "alice@example.com REJECT 5.1.1 bounce-milter: suppressed\n" },
	{ "postfix, UTF-8 local part", SUPPRESS_POSTFIX, true,
	  { "J\xc3\xbcrgen@Beispiel.DE", "5.7.1", "blocked", "", "", T_WHEN },
	  "j\xc3\xbcrgen@beispiel.de REJECT 5.7.1 bounce-milter: blocked\n" },
};

static void
test_format_lines(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *c = &line_cases[i];
		struct suppress_list *l;
		size_t added = 99;
		char err[512] = "";
		char *got;

		(void)unlink(f->path);
		l = open_or_fail(f->path, c->fmt, c->fold);
		if (suppress_append(l, &c->e, 1, &added, err, sizeof(err)) != 0)
			fail_msg("%s: %s", c->label, err);
		assert_int_equal(added, 1);
		suppress_close(l);
		got = slurp(f->path);
		assert_non_null(got);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s:\n got: %s\nwant: %s", c->label, got, c->want);
		free(got);
	}
}

/* Files written by hand or other tools: comments, blank lines, CRLF,
 * reordered JSON keys, escapes, quoted CSV fields. */
static const struct load_case {
	const char *label;
	enum suppress_format fmt;
	const char *text;
	size_t count;
	const char *present;
} load_cases[] = {
	{ "plain", SUPPRESS_PLAIN,
	  "# list\n\nA@Example.com\r\n  b@example.com  \nbogus\nA@example.COM\n", 2,
	  "a@example.com" },
	{ "csv", SUPPRESS_CSV,
	  "address,first_seen,status,reason,reporting_mta,queue_id\n"
	  "a@example.com,2025-01-01T00:00:00Z,5.1.1,userunknown,mx,q\n"
	  "\"x\"\"y@example.com\",2025-01-01T00:00:00Z,,,,\n"
	  "# comment\n\"unterminated,\n", 2, "x\"y@example.com" },
	{ "jsonl", SUPPRESS_JSONL,
	  "{\"status\":\"5.1.1\",\"n\":[1,{\"address\":\"no@x.y\"}],"
	  "\"address\":\"a\\u0040example.com\"}\n"
	  "{ \"address\" : \"B@EXAMPLE.COM\" }\n{\"other\":1}\n{broken\n", 2,
	  "b@example.com" },
	{ "postfix", SUPPRESS_POSTFIX,
	  "#comment\na@example.com\tREJECT 5.1.1 x\nb@example.com REJECT\n", 2,
	  "a@example.com" },
};

static void
test_load_each_format(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		const struct load_case *c = &load_cases[i];
		struct suppress_list *l;

		put_file(f->path, c->text, 0600);
		l = open_or_fail(f->path, c->fmt, true);
		if (suppress_count(l) != c->count)
			fail_msg("%s: count %zu, want %zu", c->label, suppress_count(l),
			         c->count);
		assert_true(suppress_contains(l, c->present));
		assert_true(suppress_skipped_lines(l) >= 1 || i == 3);
		suppress_close(l);
	}
}

static void
test_format_mismatch_refused(void **state)
{
	struct fx *f = *state;
	struct suppress_opts o = { SUPPRESS_CSV, true, true };
	char err[512] = "";

	put_file(f->path, "a@example.com\n", 0600);
	assert_null(suppress_open(f->path, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "holds plain entries, format is csv"));
}

/* ------------------------------------------------------------ hostile input */

static void
test_hostile_addresses_refused(void **state)
{
	struct fx *f = *state;
	static char big[10 * 1024 + 16];
	static const char nul[] = "a\0b@example.com";
	static const char *const bad[] = {
		"a\r@example.com", "a\n@example.com", "a@example.com\r\nX-Evil: 1",
		nul, big, "a b@example.com", "a\t@example.com", "a@b@example.com",
		"@example.com", "a@", "noat", "a\x7f@example.com", "a\xff@example.com",
		"\xc0\xaf@example.com", "#a@example.com", "", "ab",
	};
	struct suppress_entry e[sizeof(bad) / sizeof(bad[0]) + 1];
	struct suppress_list *l;
	char err[512] = "";
	size_t i, added = 99;
	char *got;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big + sizeof(big) - 14, "@example.com", 13);
	memset(e, 0, sizeof(e));
	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e[i].addr = bad[i];
		e[i].reason = "userunknown";
		assert_int_equal(suppress_append(l, &e[i], 1, &added, err, sizeof(err)), -1);
		assert_int_equal(added, 0);
		assert_non_null(strstr(err, "refused"));
		assert_false(suppress_contains(l, bad[i]));
	}
	/* 254 octets is the limit: 254 is fine, 255 is not */
	memset(big, 'b', 254 - 12);
	memcpy(big + 254 - 12, "@example.com", 13);
	assert_int_equal(strlen(big), 254);
	assert_int_equal(append1(l, big, &added), 0);
	assert_int_equal(added, 1);
	memset(big, 'c', 255 - 12);
	memcpy(big + 255 - 12, "@example.com", 13);
	assert_int_equal(append1(l, big, &added), -1);

	/* the valid entry in a mixed call is still written */
	e[i].addr = "good@example.com";
	assert_int_equal(suppress_append(l, e, i + 1, &added, err, sizeof(err)), -1);
	assert_int_equal(added, 1);
	assert_true(suppress_contains(l, "good@example.com"));
	assert_int_equal(suppress_append(l, NULL, 0, &added, err, sizeof(err)), 0);
	suppress_close(l);
	got = slurp(f->path);
	assert_int_equal(count_lines_eq(got, "good@example.com"), 1);
	assert_null(strchr(got, '\r'));
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test_setup_teardown(test_format_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_each_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_mismatch_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_addresses_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
