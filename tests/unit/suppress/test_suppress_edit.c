/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_suppress_edit.c - removal and export (the control socket's list
 * commands): every format keeps its other lines, comments and header; an
 * absent address is a no-op that leaves the file alone; a removed address
 * is listed again by the next append; a consumer's rename is respected;
 * and removals racing appends from several threads lose nothing and
 * double nothing (the file read back equals the expected set).
 */
#include "config.h"

#include <sys/stat.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "suppress/suppress.h"

static char t_dir[] = "/tmp/test_suppress_edit.XXXXXX";
static char t_path[256];

static int
t_setup(void **state)
{
	(void)state;
	if (mkdtemp(t_dir) == NULL)
		return -1;
	snprintf(t_path, sizeof t_path, "%s/list", t_dir);
	return 0;
}

static int
t_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
t_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	(void)fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int
t_add(struct suppress_list *l, const char *addr)
{
	struct suppress_entry e = { addr, "5.1.1", "userunknown", "mx.example", "Q1", 1764288000 };
	char err[256];
	size_t added = 0;

	if (suppress_append(l, &e, 1, &added, err, sizeof err) != 0)
		fail_msg("append %s: %s", addr, err);
	return (int)added;
}

static void
test_formats(void **state)
{
	static const char *const fmts[] = { "plain", "csv", "jsonl", "postfix" };
	struct suppress_opts o = { SUPPRESS_PLAIN, true, true };
	char err[256];

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct suppress_list *l;
		struct stat st1, st2;
		char *text, *out;
		size_t len, n;
		bool removed;
		FILE *f;

		(void)unlink(t_path);
		o.format = (enum suppress_format)suppress_format_from_name(fmts[i]);
		assert_non_null(l = suppress_open(t_path, &o, err, sizeof err));
		assert_int_equal(t_add(l, "a@example.com"), 1);
		assert_int_equal(t_add(l, "b@example.com"), 1);
		/* a hand-written comment must survive */
		assert_non_null(f = fopen(t_path, "a"));
		fputs("# kept by hand\n", f);
		fclose(f);
		assert_int_equal(t_add(l, "c@example.com"), 1);

		assert_int_equal(suppress_remove(l, "B@Example.com", &removed, err, sizeof err), 0);
		assert_true(removed);
		assert_false(suppress_contains(l, "b@example.com"));
		assert_int_equal(suppress_count(l), 2);
		assert_non_null(text = t_read(t_path));
		assert_null(strstr(text, "b@example.com"));
		assert_non_null(strstr(text, "a@example.com"));
		assert_non_null(strstr(text, "c@example.com"));
		assert_non_null(strstr(text, "# kept by hand\n"));
		if (o.format == SUPPRESS_CSV)
			assert_true(strncmp(text, "address,first_seen", 18) == 0);
		free(text);
		assert_int_equal(stat(t_path, &st1), 0);
		assert_int_equal(st1.st_mode & 0777, 0640 & ~(mode_t)022);

		/* absent: no-op, same inode */
		assert_int_equal(suppress_remove(l, "b@example.com", &removed, err, sizeof err), 0);
		assert_false(removed);
		assert_int_equal(stat(t_path, &st2), 0);
		assert_int_equal(st1.st_ino, st2.st_ino);
		assert_int_equal(suppress_remove(l, "not an address", &removed, err, sizeof err), -1);

		/* listed again by the next append, once */
		assert_int_equal(t_add(l, "b@example.com"), 1);
		assert_int_equal(t_add(l, "b@example.com"), 0);
		assert_int_equal(suppress_export(l, &out, &len, &n, err, sizeof err), 0);
		assert_int_equal(n, 3);
		assert_int_equal(len, strlen("a@example.com\nb@example.com\nc@example.com\n"));
		assert_memory_equal(out, "a@example.com\nb@example.com\nc@example.com\n", len);
		free(out);
		suppress_close(l);

		/* what a fresh open loads agrees */
		assert_non_null(l = suppress_open(t_path, &o, err, sizeof err));
		assert_int_equal(suppress_count(l), 3);
		suppress_close(l);
	}
}

static void
test_consumer_rename(void **state)
{
	struct suppress_opts o = { SUPPRESS_PLAIN, true, true };
	struct suppress_list *l;
	char taken[300], err[256], *text;
	bool removed;

	(void)state;
	(void)unlink(t_path);
	assert_non_null(l = suppress_open(t_path, &o, err, sizeof err));
	assert_int_equal(t_add(l, "x@example.com"), 1);
	snprintf(taken, sizeof taken, "%s.taken", t_path);
	assert_int_equal(rename(t_path, taken), 0);
	/* the consumer has it: nothing to remove in the list at the path */
	assert_int_equal(suppress_remove(l, "x@example.com", &removed, err, sizeof err), 0);
	assert_false(removed);
	assert_non_null(text = t_read(taken));
	assert_string_equal(text, "x@example.com\n");
	free(text);
	assert_int_equal(t_add(l, "x@example.com"), 1);
	assert_non_null(text = t_read(t_path));
	assert_string_equal(text, "x@example.com\n");
	free(text);
	suppress_close(l);
}

/* ------------------------------------------------------------------ race */

#define R_THREADS 4
#define R_PER_THREAD 1500
#define R_OWN 40

static struct suppress_list *r_list;
static atomic_int r_done;

static void *
r_appender(void *arg)
{
	int id = (int)(intptr_t)arg;
	char a[64];

	for (int i = 0; i < R_PER_THREAD; i++) {
		snprintf(a, sizeof a, "t%d-%d@example.org", id, i);
		(void)t_add(r_list, a);
	}
	atomic_fetch_add(&r_done, 1);
	return NULL;
}

static void
test_race(void **state)
{
	struct suppress_opts o = { SUPPRESS_CSV, true, true };
	pthread_t t[R_THREADS];
	bool own[R_OWN] = { false };
	char err[256], a[64], *out, *p;
	size_t len, n, lines = 0, removals = 0;
	bool removed;

	(void)state;
	(void)unlink(t_path);
	assert_non_null(r_list = suppress_open(t_path, &o, err, sizeof err));
	for (int i = 0; i < R_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, r_appender, (void *)(intptr_t)i), 0);
	/* the control side: add, remove and export its own addresses while the
	 * appenders run, and remove appender addresses that are already in */
	for (unsigned k = 0; atomic_load(&r_done) < R_THREADS || k < 200; k++) {
		int i = (int)(k * 7 % R_OWN);

		snprintf(a, sizeof a, "own-%d@example.org", i);
		if (own[i]) {
			assert_int_equal(suppress_remove(r_list, a, &removed, err, sizeof err), 0);
			assert_true(removed);
			removals++;
		} else {
			assert_int_equal(t_add(r_list, a), 1);
		}
		own[i] = !own[i];
		if (k % 50 == 0) {
			assert_int_equal(suppress_export(r_list, &out, &len, &n, err, sizeof err), 0);
			free(out);
		}
		if (k % 10 == 0) {
			snprintf(a, sizeof a, "t%u-%u@example.org", k % R_THREADS, k % 97);
			if (suppress_contains(r_list, a)) {
				assert_int_equal(suppress_remove(r_list, a, &removed, err, sizeof err), 0);
				assert_true(removed);
				/* listed again by a new "bounce" */
				assert_int_equal(t_add(r_list, a), 1);
			}
		}
	}
	for (int i = 0; i < R_THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_true(removals > 10);
	suppress_close(r_list);

	/* the file read back: every appended address once, own ones as left */
	assert_non_null(r_list = suppress_open(t_path, &o, err, sizeof err));
	for (int id = 0; id < R_THREADS; id++) {
		for (int i = 0; i < R_PER_THREAD; i++) {
			snprintf(a, sizeof a, "t%d-%d@example.org", id, i);
			if (!suppress_contains(r_list, a))
				fail_msg("lost %s", a);
		}
	}
	for (int i = 0; i < R_OWN; i++) {
		snprintf(a, sizeof a, "own-%d@example.org", i);
		assert_int_equal(suppress_contains(r_list, a), own[i]);
	}
	n = suppress_count(r_list);
	suppress_close(r_list);
	assert_non_null(out = t_read(t_path));
	for (p = out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	free(out);
	/* header + one line per address: no duplicate line anywhere */
	assert_int_equal(lines, n + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_consumer_rename),
		cmocka_unit_test(test_race),
	};

	return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
