/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-suppress-load - how long suppress_open() takes on a big list.
 *
 * Writes an N-entry list (default 1,000,000, plain format; "csv", "jsonl"
 * or "postfix" as the second argument) into a fresh temp dir, then times
 * suppress_open() alone and prints the seconds and the peak RSS of the
 * whole process (getrusage ru_maxrss).  Targets: <= 1 s, <= 100 MB.
 * Exit 0 when both targets are met (time judged on CPU seconds), 1 when
 * one is missed, 2 on error.
 *   usage: bench-suppress-load [COUNT [FORMAT]]
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "suppress/suppress.h"

#define BENCH_MAX_SECONDS 1.0
#define BENCH_MAX_RSS_MB  100.0

static int
write_list(const char *path, enum suppress_format f, unsigned long n)
{
	FILE *fp = fopen(path, "w");
	unsigned long i;
	int rc = 0;

	if (fp == NULL)
		return -1;
	if (f == SUPPRESS_CSV)
		rc = fputs("address,first_seen,status,reason,reporting_mta,queue_id\n", fp);
	for (i = 0; i < n && rc >= 0; i++) {
		switch (f) {
		case SUPPRESS_CSV:
			rc = fprintf(fp, "user%lu@domain%lu.example,2026-01-01T00:00:00Z,"
			             "5.1.1,userunknown,mx%lu.example.net,4Xyz%lu\n",
			             i, i % 5000, i % 97, i);
			break;
		case SUPPRESS_JSONL:
			rc = fprintf(fp, "{\"address\":\"user%lu@domain%lu.example\","
			             "\"first_seen\":\"2026-01-01T00:00:00Z\",\"status\":"
			             "\"5.1.1\",\"reason\":\"userunknown\",\"reporting_mta\":"
			             "\"mx%lu.example.net\",\"queue_id\":\"4Xyz%lu\"}\n",
			             i, i % 5000, i % 97, i);
			break;
		case SUPPRESS_POSTFIX:
			rc = fprintf(fp, "user%lu@domain%lu.example REJECT 5.1.1 "
			             "bounce-milter: userunknown\n", i, i % 5000);
			break;
		default:
			rc = fprintf(fp, "user%lu@domain%lu.example\n", i, i % 5000);
			break;
		}
	}
	if (fclose(fp) != 0 || rc < 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000UL;
	int fmt = argc > 2 ? suppress_format_from_name(argv[2]) : SUPPRESS_PLAIN;
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600], err[512];
	struct suppress_opts o = { SUPPRESS_PLAIN, true, true };
	struct suppress_list *l;
	struct timespec t0, t1, c0, c1;
	struct rusage ru;
	double secs, cpu, rss_mb;
	size_t count;

	if (fmt < 0 || n == 0) {
		fprintf(stderr, "usage: %s [COUNT [plain|csv|jsonl|postfix]]\n", argv[0]);
		return 2;
	}
	o.format = (enum suppress_format)fmt;
	(void)snprintf(dir, sizeof(dir), "%s/bench-suppress.XXXXXX",
	               tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	(void)snprintf(path, sizeof(path), "%s/list", dir);
	if (write_list(path, o.format, n) < 0) {
		perror(path);
		return 2;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t0) != 0 ||
	    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0) != 0)
		return 2;
	l = suppress_open(path, &o, err, sizeof(err));
	if (clock_gettime(CLOCK_MONOTONIC, &t1) != 0 ||
	    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1) != 0)
		return 2;
	if (l == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	count = suppress_count(l);
	suppress_close(l);
	(void)unlink(path);
	(void)rmdir(dir);
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 2;
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	rss_mb = (double)ru.ru_maxrss / 1024.0;    /* Linux: kilobytes */
	printf("suppress_open: format=%s entries=%zu seconds=%.3f cpu_seconds=%.3f "
	       "peak_rss_mb=%.1f (targets: <= %.1f s, <= %.0f MB)\n",
	       suppress_format_name(o.format), count, secs, cpu, rss_mb,
	       BENCH_MAX_SECONDS, BENCH_MAX_RSS_MB);
	if (count != n) {
		fprintf(stderr, "loaded %zu entries, wrote %lu\n", count, n);
		return 2;
	}
	/* judged on CPU time: wall time on a busy machine measures the others */
	return cpu <= BENCH_MAX_SECONDS && rss_mb <= BENCH_MAX_RSS_MB ? 0 : 1;
}
