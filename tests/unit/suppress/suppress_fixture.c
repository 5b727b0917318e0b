/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_fixture.c - a temp dir per test and small file helpers for the
 * suppression list's tests (see suppress_fixture.h).
 */
#include "config.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "suppress/suppress.h"
#include "suppress_fixture.h"

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

int
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

int
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
char *
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

void
put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

size_t
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

struct suppress_list *
open_or_fail(const char *path, enum suppress_format fmt, bool fold)
{
	struct suppress_opts o = { fmt, true, fold };
	char err[512] = "";
	struct suppress_list *l = suppress_open(path, &o, err, sizeof(err));

	if (l == NULL)
		fail_msg("suppress_open(%s): %s", path, err);
	return l;
}

int
append1(struct suppress_list *l, const char *addr, size_t *added)
{
	struct suppress_entry e = { addr, "5.1.1", "userunknown", "mx.example.net",
	                            "4Xyz1", T_WHEN };
	char err[512];

	return suppress_append(l, &e, 1, added, err, sizeof(err));
}

