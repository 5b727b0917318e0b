/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_suppress_file.c - the suppression list's file: torn last lines cut
 * on open, safe-open refusals (symbolic link, hard link, group-writable,
 * not a regular file, missing directory), the mode of a new file, and
 * dedupe across reopen.
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

/* ------------------------------------------------------------ loading, dedupe */

static void
test_dedupe_across_reopen(void **state)
{
	struct fx *f = *state;
	static const char *const addrs[] = {
		"one@example.com", "\"a,b\"@example.com", "\"q\\x\"@example.org",
		"two@sub.example.net",
	};
	int fmt;
	size_t i, added;

	for (fmt = SUPPRESS_PLAIN; fmt <= SUPPRESS_POSTFIX; fmt++) {
		struct suppress_list *l;
		char *before, *after;

		(void)unlink(f->path);
		l = open_or_fail(f->path, fmt, true);
		for (i = 0; i < 4; i++) {
			assert_int_equal(append1(l, addrs[i], &added), 0);
			assert_int_equal(added, 1);
		}
		suppress_close(l);
		before = slurp(f->path);

		l = open_or_fail(f->path, fmt, true);
		assert_int_equal(suppress_count(l), 4);
		assert_int_equal(suppress_skipped_lines(l), 0);
		for (i = 0; i < 4; i++) {
			assert_true(suppress_contains(l, addrs[i]));
			assert_int_equal(append1(l, addrs[i], &added), 0);
			assert_int_equal(added, 0);
		}
		assert_true(suppress_contains(l, "ONE@EXAMPLE.COM"));
		assert_int_equal(append1(l, "One@Example.Com", &added), 0);
		assert_int_equal(added, 0);
		assert_false(suppress_contains(l, "three@example.com"));
		suppress_close(l);
		after = slurp(f->path);
		assert_string_equal(before, after);
		free(before);
		free(after);
	}
}

/* ------------------------------------------------------------ torn lines */

static void
test_torn_last_line_repaired(void **state)
{
	struct fx *f = *state;
	struct suppress_list *l;
	size_t added;
	char *got;

	put_file(f->path, "a@example.com\nb@exam", 0600);
	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	assert_int_equal(suppress_repaired_bytes(l), 6);
	assert_int_equal(suppress_count(l), 1);
	got = slurp(f->path);
	assert_string_equal(got, "a@example.com\n");
	free(got);

	/* another writer dies mid-line while we hold the list open */
	put_file(f->path, "a@example.com\nc@half", 0600);
	assert_int_equal(append1(l, "b@example.com", &added), 0);
	assert_int_equal(added, 1);
	got = slurp(f->path);
	assert_string_equal(got, "a@example.com\nb@example.com\n");
	free(got);
	assert_int_equal(suppress_repaired_bytes(l), 6);
	suppress_close(l);

	/* nothing but a torn line */
	put_file(f->path, "x@y", 0600);
	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	assert_int_equal(suppress_repaired_bytes(l), 3);
	assert_int_equal(suppress_count(l), 0);
	suppress_close(l);
	got = slurp(f->path);
	assert_string_equal(got, "");
	free(got);
}

/* ------------------------------------------------------------ safe open */

static void
expect_refused(const char *path, const char *want)
{
	struct suppress_opts o = { SUPPRESS_PLAIN, true, true };
	char err[512] = "";
	struct suppress_list *l = suppress_open(path, &o, err, sizeof(err));

	if (l != NULL) {
		suppress_close(l);
		fail_msg("%s: opened, want \"%s\"", path, want);
	}
	if (strstr(err, want) == NULL || strstr(err, path) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, want);
}

static void
test_symlink_refused(void **state)
{
	struct fx *f = *state;
	char target[320];

	(void)snprintf(target, sizeof(target), "%s/target", f->dir);
	put_file(target, "", 0600);
	assert_int_equal(symlink(target, f->path), 0);
	expect_refused(f->path, "is a symbolic link");
	(void)unlink(f->path);
	assert_int_equal(symlink("/nonexistent/dangling", f->path), 0);
	expect_refused(f->path, "is a symbolic link");
}

static void
test_hardlink_refused(void **state)
{
	struct fx *f = *state;
	char other[320];

	put_file(f->path, "a@example.com\n", 0600);
	(void)snprintf(other, sizeof(other), "%s/other", f->dir);
	assert_int_equal(link(f->path, other), 0);
	expect_refused(f->path, "has 2 hard links");
}

static void
test_group_writable_refused(void **state)
{
	struct fx *f = *state;

	put_file(f->path, "", 0660);
	expect_refused(f->path, "is group- or world-writable (mode 0660)");
	assert_int_equal(chmod(f->path, 0602), 0);
	expect_refused(f->path, "is group- or world-writable (mode 0602)");
	assert_int_equal(chmod(f->path, 0640), 0);
	suppress_close(open_or_fail(f->path, SUPPRESS_PLAIN, true));
}

static void
test_not_regular_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(mkfifo(f->path, 0600), 0);
	expect_refused(f->path, "is not a regular file");
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(mkdir(f->path, 0700), 0);
	expect_refused(f->path, "is not a regular file");
}

static void
test_directory_missing(void **state)
{
	struct fx *f = *state;
	char path[400];

	(void)snprintf(path, sizeof(path), "%s/nodir/list", f->dir);
	expect_refused(path, "directory");
	expect_refused(path, "does not exist");
}

static void
test_created_mode(void **state)
{
	struct fx *f = *state;
	struct stat st;
	mode_t old = umask(0);

	suppress_close(open_or_fail(f->path, SUPPRESS_PLAIN, true));
	(void)umask(old);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dedupe_across_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_last_line_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_writable_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_created_mode, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
