/*
 * test_suppress.c - the suppression list: exact lines per format, loading
 * every format, dedupe across reopen, safe-open refusals, torn lines,
 * failures that roll back (file size limit, unwritable directory, full
 * tmpfs when root may mount), rename-away, concurrent appends.
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

#define T_WHEN 1764288000   /* 2025-11-28T00:00:00Z */

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

struct fx {
	char dir[256];
	char path[300];
};

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(f);
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test-suppress.XXXXXX",
	               tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	(void)snprintf(f->path, sizeof(f->path), "%s/list", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char tiny[300];

	(void)snprintf(tiny, sizeof(tiny), "%s/tiny", f->dir);
	(void)umount2(tiny, MNT_DETACH);
	(void)chmod(f->dir, 0700);
	(void)nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* The whole file as a string (caller frees); "" when absent. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return strdup("");
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static size_t
count_lines_eq(const char *text, const char *line)
{
	size_t n = 0, len = strlen(line);
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l == len && memcmp(p, line, len) == 0)
			n++;
		p += l + (nl ? 1 : 0);
	}
	return n;
}

static struct suppress_list *
open_or_fail(const char *path, enum suppress_format fmt, bool fold)
{
	struct suppress_opts o = { fmt, true, fold };
	char err[512] = "";
	struct suppress_list *l = suppress_open(path, &o, err, sizeof(err));

	if (l == NULL)
		fail_msg("suppress_open(%s): %s", path, err);
	return l;
}

static int
append1(struct suppress_list *l, const char *addr, size_t *added)
{
	struct suppress_entry e = { addr, "5.1.1", "userunknown", "mx.example.net",
	                            "4Xyz1", T_WHEN };
	char err[512];

	return suppress_append(l, &e, 1, added, err, sizeof(err));
}

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
		cmocka_unit_test(test_format_names),
		cmocka_unit_test_setup_teardown(test_format_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedupe_across_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_each_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_mismatch_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_last_line_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_writable_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_created_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_addresses_refused, setup, teardown),
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
