/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_regressions.c - replays every saved fuzz crash input through
 * bounce_parse() under the normal build.
 *
 * One cmocka test per file in tests/fuzz/regressions/ (names starting with
 * a dot are ignored).  Each input is parsed from an exactly sized heap copy,
 * with the default limits and with tight ones, and the result must keep the
 * promises of bounce.h (tests/lib/result_check.c).  An empty folder passes,
 * and says so.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/bounce.h"
#include "result_check.h"

#ifndef BM_REGRESSIONS_DIR
#error "BM_REGRESSIONS_DIR must name tests/fuzz/regressions"
#endif

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);
			if (nb == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static void parse_checked(const char *path, const char *data, size_t len,
                          const struct bounce_limits *lim)
{
	struct bounce_result res;
	char why[256];

	memset(&res, 0, sizeof res);
	if (bounce_parse(data, len, lim, &res) == 0) {
		int ok = result_check(&res, lim, why, sizeof why);
		if (ok != 0)
			print_error("%s: %s\n", path, why);
		assert_int_equal(ok, 0);
	}
	bounce_result_free(&res);
}

static void test_replay(void **state)
{
	const char *path = *state;
	size_t len = 0;
	char *data = slurp(path, &len);

	assert_non_null(data);
	struct bounce_limits lim, tight;
	bounce_limits_default(&lim);
	parse_checked(path, data, len, &lim);
	result_check_tight_limits(&tight);  /* as tests/fuzz/fuzz_bounce.c */
	parse_checked(path, data, len, &tight);
	free(data);
}

int main(void)
{
	DIR *d = opendir(BM_REGRESSIONS_DIR);
	struct CMUnitTest *tests = NULL;
	char **paths = NULL;
	size_t n = 0;
	struct dirent *de;
	int rc;

	if (d == NULL) {
		fprintf(stderr, "test_regressions: cannot open %s\n", BM_REGRESSIONS_DIR);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		size_t need = strlen(BM_REGRESSIONS_DIR) + strlen(de->d_name) + 2;
		char *p = malloc(need);
		struct CMUnitTest *nt = realloc(tests, (n + 1) * sizeof *tests);
		char **np = realloc(paths, (n + 1) * sizeof *paths);
		if (np != NULL)
			paths = np;
		if (nt != NULL)
			tests = nt;
		if (p == NULL || nt == NULL || np == NULL) {
			fprintf(stderr, "test_regressions: out of memory\n");
			free(p);
			closedir(d);
			return 1;
		}
		snprintf(p, need, "%s/%s", BM_REGRESSIONS_DIR, de->d_name);
		paths[n] = p;
		memset(&tests[n], 0, sizeof tests[n]);
		tests[n].name = p + strlen(BM_REGRESSIONS_DIR) + 1;
		tests[n].test_func = test_replay;
		tests[n].initial_state = p;
		n++;
	}
	closedir(d);
	if (n == 0) {
		printf("test_regressions: no saved crash inputs in %s: nothing to replay (pass)\n",
		       BM_REGRESSIONS_DIR);
		return 0;
	}
	printf("test_regressions: replaying %zu inputs from %s\n", n, BM_REGRESSIONS_DIR);
	rc = _cmocka_run_group_tests("regressions", tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(tests);
	return rc == 0 ? 0 : 1;
}
