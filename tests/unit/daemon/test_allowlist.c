/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_allowlist.c - never-list entries: exact addresses, domains, globs,
 * case, a file with comments, and refusals (bad entries, unreadable file,
 * a line too long).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/allowlist.h"

static void
test_match(void **state)
{
	char *entries[] = { "postmaster@*", "Boss@Example.COM", "partner.example",
	    "*.corp.example", "*@list?.example", NULL };
	static const struct {
		const char *addr;
		bool match;
	} t[] = {
		{ "postmaster@anything.example", true },
		{ "POSTMASTER@x.example", true },
		{ "boss@example.com", true },
		{ "boss2@example.com", false },
		{ "anyone@partner.example", true },
		{ "anyone@PARTNER.example", true },
		{ "anyone@sub.partner.example", false },
		{ "a@eu.corp.example", true },
		{ "a@corp.example", false },
		{ "a@list1.example", true },
		{ "a@list12.example", false },
		{ "nobody@example.net", false },
		{ "no-at-sign", false },
	};
	char err[256];
	struct allowlist *a = allowlist_new(entries, NULL, err, sizeof err);

	(void)state;
	assert_non_null(a);
	assert_int_equal(allowlist_size(a), 5);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (allowlist_match(a, t[i].addr) != t[i].match)
			fail_msg("%s: want %d", t[i].addr, t[i].match);
	allowlist_free(a);
	assert_false(allowlist_match(NULL, "a@b"));
}

static void
test_file(void **state)
{
	char path[] = "/tmp/test_allowlist.XXXXXX", err[256];
	char *bad[] = { "has space@x", NULL };
	struct allowlist *a;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "# our own domains\n\n  example.org  \nroot@*\r\n");
	assert_int_equal(fclose(f), 0);
	assert_non_null(a = allowlist_new(NULL, path, err, sizeof err));
	assert_true(allowlist_match(a, "x@example.org"));
	assert_true(allowlist_match(a, "root@host.example"));
	assert_false(allowlist_match(a, "x@example.net"));
	allowlist_free(a);

	/* a bad line names the file and line */
	assert_non_null(f = fopen(path, "a"));
	fprintf(f, "bad\x01entry\n");
	assert_int_equal(fclose(f), 0);
	assert_null(allowlist_new(NULL, path, err, sizeof err));
	assert_non_null(strstr(err, ":5:"));

	/* a line longer than any entry */
	assert_non_null(f = fopen(path, "w"));
	for (int i = 0; i < 500; i++)
		fputc('a', f);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	assert_null(allowlist_new(NULL, path, err, sizeof err));
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(unlink(path), 0);

	assert_null(allowlist_new(NULL, path, err, sizeof err));
	assert_non_null(strstr(err, "No such file"));
	assert_null(allowlist_new(bad, NULL, err, sizeof err));
	assert_false(allowlist_entry_ok(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
