/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_fixture.h - what the suppression list's tests share
 * (test_suppress.c, test_suppress_file.c, test_suppress_line.c).
 *
 * setup() gives each test a fresh directory under $TMPDIR (or /tmp) in a
 * struct fx (*state), the list's path inside it; teardown() unmounts a
 * tmpfs a test mounted at dir/tiny, makes the directory writable again and
 * removes it.  The file helpers fail the test (cmocka) when the file
 * system refuses; slurp() returns NULL only when reading fails.
 */
#ifndef BM_TEST_SUPPRESS_FIXTURE_H
#define BM_TEST_SUPPRESS_FIXTURE_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "suppress/suppress.h"

#define T_WHEN 1764288000   /* 2025-11-28T00:00:00Z */

struct fx {
	char dir[256];
	char path[300];
};

int setup(void **state);
int teardown(void **state);

/* The whole file as a string (caller frees); "" when absent. */
char *slurp(const char *path);
/* Write text to path (created or truncated) with that mode. */
void put_file(const char *path, const char *text, mode_t mode);
/* How many lines of text are exactly line. */
size_t count_lines_eq(const char *text, const char *line);
/* suppress_open() with fsync on, or fail the test with its error. */
struct suppress_list *open_or_fail(const char *path, enum suppress_format fmt,
                                   bool fold);
/* suppress_append() of one entry for addr (status 5.1.1, userunknown). */
int append1(struct suppress_list *l, const char *addr, size_t *added);

#endif
