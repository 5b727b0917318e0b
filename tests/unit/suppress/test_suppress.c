/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_suppress.c - the suppression list's append path: failures that roll
 * back (short write under a file size limit, unwritable directory, full
 * tmpfs when root may mount, fsync failing), group commit sharing one
 * fsync, rename-away and failed reopens, concurrent appends from threads
 * and from two processes.  Formats: test_suppress_line.c; safe open and
 * loading: test_suppress_file.c.
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

/* The seam: fsync is wrapped at link time (-Wl,--wrap=fsync) to count
 * calls, slow them down, or fail them on demand. */
int __real_fsync(int fd);
int __wrap_fsync(int fd);
static atomic_int fsync_calls, fsync_done, fsync_fail, fsync_delay_ms;

int
__wrap_fsync(int fd)
{
	int ms = atomic_load(&fsync_delay_ms);

	atomic_fetch_add(&fsync_calls, 1);
	if (ms > 0) {
		struct timespec ts = { 0, ms * 1000000L };

		(void)nanosleep(&ts, NULL);
	}
	if (atomic_load(&fsync_fail)) {
		atomic_fetch_add(&fsync_done, 1);
		errno = EIO;
		return -1;
	}
	fd = __real_fsync(fd);
	atomic_fetch_add(&fsync_done, 1);
	return fd;
}

/* ------------------------------------------------------------ failures */

/* A short write (file size limit) rolls back: nothing torn, nothing in
 * the set; the retry after raising the limit writes the entries once. */
static void
test_short_write_rolled_back(void **state)
{
	struct fx *f = *state;
	struct suppress_entry e[200];
	char addrs[200][40], err[512] = "";
	struct suppress_list *l;
	struct rlimit old, lim;
	struct stat st;
	size_t i, added = 99;
	char *got;

	(void)signal(SIGXFSZ, SIG_IGN);
	l = open_or_fail(f->path, SUPPRESS_CSV, true);
	assert_int_equal(append1(l, "first@example.com", &added), 0);
	assert_int_equal(stat(f->path, &st), 0);
	memset(e, 0, sizeof(e));
	for (i = 0; i < 200; i++) {
		(void)snprintf(addrs[i], sizeof(addrs[i]), "user%zu@example.com", i);
		e[i].addr = addrs[i];
		e[i].when = T_WHEN;
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)st.st_size + 100;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(suppress_append(l, e, 200, &added, err, sizeof(err)), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_non_null(strstr(err, "short write"));
	assert_int_equal(added, 0);
	for (i = 0; i < 200; i++)
		assert_false(suppress_contains(l, addrs[i]));
	assert_true(suppress_contains(l, "first@example.com"));
	assert_int_equal(suppress_count(l), 1);
	got = slurp(f->path);
	assert_int_equal((off_t)strlen(got), st.st_size);
	free(got);

	assert_int_equal(suppress_append(l, e, 200, &added, err, sizeof(err)), 0);
	assert_int_equal(added, 200);
	assert_int_equal(suppress_count(l), 201);
	suppress_close(l);
	got = slurp(f->path);
	for (i = 0; i < 200; i++) {
		char line[8192];

		(void)snprintf(line, sizeof(line),
		               "%s,2025-11-28T00:00:00Z,,,,", addrs[i]);
		assert_int_equal(count_lines_eq(got, line), 1);
	}
	free(got);
}

#define CHECK(c) do { if (!(c)) return __LINE__; } while (0)

/* Run as a non-root user (directory permissions must bite). */
static int
unwritable_scenario(const char *dir)
{
	char path[400], taken[400], err[512];
	struct suppress_opts o = { SUPPRESS_PLAIN, true, true };
	struct suppress_list *l;
	size_t added = 99;
	char *got;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/list", dir);
	(void)snprintf(taken, sizeof(taken), "%s/taken", dir);
	/* an unwritable file cannot be opened; fixed, it can */
	CHECK(close(open(path, O_WRONLY | O_CREAT, 0440)) == 0);
	CHECK(suppress_open(path, &o, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "Permission denied") != NULL);
	CHECK(chmod(path, 0640) == 0);
	CHECK((l = suppress_open(path, &o, err, sizeof(err))) != NULL);
	CHECK(append1(l, "a@example.com", &added) == 0 && added == 1);
	/* the list is taken away and the directory turns unwritable */
	CHECK(rename(path, taken) == 0);
	CHECK(chmod(dir, 0555) == 0);
	rc = append1(l, "b@example.com", &added);
	CHECK(rc == -1 && added == 0);
	CHECK(!suppress_contains(l, "b@example.com"));
	rc = suppress_append(l, &(struct suppress_entry){ .addr = "b@example.com" },
	                     1, &added, err, sizeof(err));
	CHECK(rc == -1 && strstr(err, "Permission denied") != NULL);
	CHECK(suppress_reopen(l, err, sizeof(err)) == -1);
	/* fixed: the retry writes the entry, once */
	CHECK(chmod(dir, 0755) == 0);
	CHECK(append1(l, "b@example.com", &added) == 0 && added == 1);
	CHECK(append1(l, "b@example.com", &added) == 0 && added == 0);
	suppress_close(l);
	got = slurp(path);
	CHECK(got != NULL && strcmp(got, "b@example.com\n") == 0);
	free(got);
	got = slurp(taken);
	CHECK(got != NULL && strcmp(got, "a@example.com\n") == 0);
	free(got);
	return 0;
}

static void
test_unwritable_then_fixed(void **state)
{
	struct fx *f = *state;
	char dir[300];
	pid_t pid;
	int status;

	(void)snprintf(dir, sizeof(dir), "%s/d", f->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_int_equal(chmod(f->dir, 0755), 0);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
		                       setuid(65534) != 0))
			_exit(200);
		status = unwritable_scenario(dir);
		if (status != 0)
			fprintf(stderr, "unwritable scenario: check at line %d failed\n",
			        status);
		_exit(status != 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("unwritable scenario failed (exit %d)", WEXITSTATUS(status));
}

static void
test_full_disk(void **state)
{
	struct fx *f = *state;
	char dir[300], fill[320], path[320], blk[4096], err[512];
	struct suppress_list *l;
	size_t added = 99;
	char *got;
	int fd, rc;

	(void)snprintf(dir, sizeof(dir), "%s/tiny", f->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	if (geteuid() != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0755") != 0) {
		skip();
		return;
	}
	(void)snprintf(fill, sizeof(fill), "%s/fill", dir);
	(void)snprintf(path, sizeof(path), "%s/list", dir);
	l = open_or_fail(path, SUPPRESS_PLAIN, true);
	memset(blk, 'x', sizeof(blk));
	fd = open(fill, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	while (write(fd, blk, sizeof(blk)) > 0)
		;
	(void)close(fd);
	rc = suppress_append(l, &(struct suppress_entry){ .addr = "full@example.com" },
	                     1, &added, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_int_equal(added, 0);
	assert_false(suppress_contains(l, "full@example.com"));
	got = slurp(path);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(unlink(fill), 0);
	assert_int_equal(append1(l, "full@example.com", &added), 0);
	assert_int_equal(added, 1);
	suppress_close(l);
	got = slurp(path);
	assert_string_equal(got, "full@example.com\n");
	free(got);
	assert_int_equal(umount2(dir, MNT_DETACH), 0);
}

/* Start n threads on fn(args + i * size), then join them all. */
static void
run_threads(void *(*fn)(void *), void *args, size_t size, size_t n)
{
	pthread_t th[16];
	size_t i;

	assert_true(n <= sizeof(th) / sizeof(th[0]));
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fn,
		                                (char *)args + i * size), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
}

/* fsync fails (EIO): -1, the lines are cut back, nothing enters the set;
 * the retry writes each entry once. */
static void
test_fsync_failure_rolled_back(void **state)
{
	struct fx *f = *state;
	struct suppress_entry e[2] = { { .addr = "x@example.com" },
	                               { .addr = "y@example.com" } };
	struct suppress_list *l;
	char err[512] = "";
	size_t added = 99;
	char *got;

	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	assert_int_equal(append1(l, "w@example.com", &added), 0);
	atomic_store(&fsync_fail, 1);
	assert_int_equal(suppress_append(l, e, 2, &added, err, sizeof(err)), -1);
	atomic_store(&fsync_fail, 0);
	assert_non_null(strstr(err, "fsync: Input/output error"));
	assert_int_equal(added, 0);
	assert_false(suppress_contains(l, "x@example.com"));
	assert_int_equal(suppress_count(l), 1);
	got = slurp(f->path);
	assert_string_equal(got, "w@example.com\n");
	free(got);
	assert_int_equal(suppress_append(l, e, 2, &added, err, sizeof(err)), 0);
	assert_int_equal(added, 2);
	suppress_close(l);
	got = slurp(f->path);
	assert_string_equal(got, "w@example.com\nx@example.com\ny@example.com\n");
	free(got);
}

/* Group commit: callers arriving while an fsync runs share the next one,
 * and no caller returns before an fsync that began after its call. */
#define G_THREADS 8
#define G_EACH    25

/* A writer of its own addresses "w<id>-<n>@example.com": each append must
 * add exactly one entry (and, with check_fsync, return only after an fsync
 * that completed after the call began). */
struct dworker {
	struct suppress_list *l;
	int id;
	size_t count;
	bool check_fsync;
	int failures;
};

static void *
dworker_run(void *arg)
{
	struct dworker *w = arg;
	char addr[64];
	size_t i, added;

	for (i = 0; i < w->count; i++) {
		int before = atomic_load(&fsync_done);

		(void)snprintf(addr, sizeof(addr), "w%d-%zu@example.com", w->id, i);
		if (append1(w->l, addr, &added) != 0 || added != 1 ||
		    (w->check_fsync && atomic_load(&fsync_done) <= before))
			w->failures++;
	}
	return NULL;
}

static void
test_group_commit_shares_fsync(void **state)
{
	struct fx *f = *state;
	struct dworker w[G_THREADS];
	struct suppress_list *l;
	int i, calls;

	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	atomic_store(&fsync_calls, 0);
	atomic_store(&fsync_delay_ms, 5);
	for (i = 0; i < G_THREADS; i++)
		w[i] = (struct dworker){ l, i, G_EACH, true, 0 };
	run_threads(dworker_run, w, sizeof(w[0]), G_THREADS);
	atomic_store(&fsync_delay_ms, 0);
	calls = atomic_load(&fsync_calls);
	for (i = 0; i < G_THREADS; i++)
		assert_int_equal(w[i].failures, 0);
	assert_int_equal(suppress_count(l), G_THREADS * G_EACH);
	suppress_close(l);
	/* 200 durable entries; with 8 writers most fsyncs carry several */
	if (calls > G_THREADS * G_EACH / 2)
		fail_msg("%d fsyncs for %d entries: no group commit", calls,
		         G_THREADS * G_EACH);
}

/* ------------------------------------------------------------ rename, reopen */

static void
test_rename_away_then_append(void **state)
{
	struct fx *f = *state;
	struct suppress_list *l;
	char taken[320];
	size_t added;
	char *got;

	(void)snprintf(taken, sizeof(taken), "%s/taken", f->dir);
	l = open_or_fail(f->path, SUPPRESS_CSV, true);
	assert_int_equal(append1(l, "old@example.com", &added), 0);
	assert_int_equal(rename(f->path, taken), 0);
	assert_int_equal(append1(l, "new@example.com", &added), 0);
	assert_int_equal(added, 1);
	got = slurp(f->path);
	assert_string_equal(got,
	    "address,first_seen,status,reason,reporting_mta,queue_id\n"
	    "new@example.com,2025-11-28T00:00:00Z,5.1.1,userunknown,mx.example.net,4Xyz1\n");
	free(got);
	/* the set now mirrors the new file: a repeat bounce is listed again */
	assert_false(suppress_contains(l, "old@example.com"));
	assert_int_equal(suppress_count(l), 1);
	assert_int_equal(append1(l, "old@example.com", &added), 0);
	assert_int_equal(added, 1);
	got = slurp(taken);
	assert_int_equal(count_lines_eq(got, "old@example.com,2025-11-28T00:00:00Z,"
	                                "5.1.1,userunknown,mx.example.net,4Xyz1"), 1);
	assert_null(strstr(got, "new@"));
	free(got);

	/* removed: a duplicate of a known address still reopens first */
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(append1(l, "new@example.com", &added), 0);
	assert_int_equal(added, 1);
	suppress_close(l);
	got = slurp(f->path);
	assert_int_equal(count_lines_eq(got, "new@example.com,2025-11-28T00:00:00Z,"
	                                "5.1.1,userunknown,mx.example.net,4Xyz1"), 1);
	free(got);
}

static void
test_reopen_failure_blocks_appends(void **state)
{
	struct fx *f = *state;
	struct suppress_list *l;
	char err[512] = "", other[320];
	size_t added;

	(void)snprintf(other, sizeof(other), "%s/other", f->dir);
	l = open_or_fail(f->path, SUPPRESS_PLAIN, true);
	assert_int_equal(append1(l, "a@example.com", &added), 0);
	assert_int_equal(suppress_reopen(l, err, sizeof(err)), 0);
	assert_true(suppress_contains(l, "a@example.com"));
	put_file(other, "", 0600);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(symlink(other, f->path), 0);
	assert_int_equal(suppress_reopen(l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a symbolic link"));
	assert_int_equal(suppress_append(l, &(struct suppress_entry){ .addr = "b@example.com" },
	                                 1, &added, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a symbolic link"));
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(append1(l, "b@example.com", &added), 0);
	assert_int_equal(added, 1);
	suppress_close(l);
}

/* ------------------------------------------------------------ threads */

#define T_THREADS 8
#define T_ADDRS   600
#define T_ROUNDS  3

struct worker {
	struct suppress_list *l;
	unsigned seed;
	size_t added;
	int failures;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	char addr[3][64], err[512];
	struct suppress_entry e[3];
	size_t r, k, i, n, added;

	memset(e, 0, sizeof(e));
	for (r = 0; r < T_ROUNDS * T_ADDRS; r += n) {
		n = 1 + rand_r(&w->seed) % 3;
		for (k = 0; k < n; k++) {
			i = (r + k + w->seed) % T_ADDRS;
			(void)snprintf(addr[k], sizeof(addr[k]), "%s%zu@Example.com",
			               (i & 1) ? "User" : "user", i);
			e[k].addr = addr[k];
			e[k].reason = "userunknown";
		}
		if (suppress_append(w->l, e, n, &added, err, sizeof(err)) != 0)
			w->failures++;
		w->added += added;
		for (k = 0; k < n; k++)
			if (!suppress_contains(w->l, addr[k]))
				w->failures++;
	}
	return NULL;
}

static void
test_threads_overlapping(void **state)
{
	struct fx *f = *state;
	struct worker w[T_THREADS];
	struct suppress_list *l;
	size_t i, total = 0, lines = 0;
	char *got, *p;

	l = open_or_fail(f->path, SUPPRESS_JSONL, true);
	for (i = 0; i < T_THREADS; i++) {
		w[i].l = l;
		w[i].seed = (unsigned)(i * 7919 + 1);
		w[i].added = 0;
		w[i].failures = 0;
	}
	run_threads(worker_run, w, sizeof(w[0]), T_THREADS);
	for (i = 0; i < T_THREADS; i++) {
		assert_int_equal(w[i].failures, 0);
		total += w[i].added;
	}
	assert_int_equal(total, T_ADDRS);
	assert_int_equal(suppress_count(l), T_ADDRS);
	suppress_close(l);

	got = slurp(f->path);
	assert_non_null(got);
	assert_true(*got == '\0' || got[strlen(got) - 1] == '\n');
	for (p = got; *p != '\0'; p = strchr(p, '\n') + 1) {
		assert_true(strncmp(p, "{\"address\":\"user", 16) == 0);
		lines++;
	}
	assert_int_equal(lines, T_ADDRS);
	for (i = 0; i < T_ADDRS; i++) {
		char needle[64];

		(void)snprintf(needle, sizeof(needle), "\"user%zu@example.com\"", i);
		p = strstr(got, needle);
		assert_non_null(p);
		assert_null(strstr(p + 1, needle));
	}
	free(got);
}

/* Two lists (two open file descriptions, as two processes) on one file:
 * flock keeps every line whole. */
static void
test_two_writers_whole_lines(void **state)
{
	struct fx *f = *state;
	struct dworker t[2];
	char *got, *p;
	size_t i, lines = 0;

	for (i = 0; i < 2; i++) {
		t[i] = (struct dworker){ open_or_fail(f->path, SUPPRESS_POSTFIX, true),
		                         (int)i, 300, false, 0 };
	}
	run_threads(dworker_run, t, sizeof(t[0]), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(t[i].failures, 0);
		suppress_close(t[i].l);
	}
	got = slurp(f->path);
	for (p = got; *p != '\0'; p = strchr(p, '\n') + 1) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(p[0] == 'w');
		assert_true(nl - p > 20 && strncmp(nl - 40, " REJECT 5.1.1 bounce-milter: userunknown", 40) == 0);
		lines++;
	}
	assert_int_equal(lines, 600);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_short_write_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_then_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fsync_failure_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_shares_fsync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_away_then_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_failure_blocks_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_overlapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_writers_whole_lines, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
