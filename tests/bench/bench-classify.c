/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-classify.c - in-process speed of bounce_parse() against reading the
 * same bytes, measured in one run.
 *
 * Usage: bench-classify [-t SECONDS] [DIR...]  (default tests/corpus/bounces/emails
 * in the source tree, or BENCH_CORPUS).  Every regular file of the
 * folders is read into memory once.  Pass (a) only reads the bytes (sums
 * them into a volatile sink); pass (b) runs bounce_parse() and
 * bounce_result_free() over every message.  Each pass repeats whole rounds
 * over all messages until at least SECONDS (default 2) have gone by.
 * Prints msgs/s and MB/s of both and the ratio of (b) to (a), plus a
 * machine-readable RESULT line.  Exits 77 (skip) when no folder exists.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classify/bounce.h"

#ifndef BM_DEFAULT_CORPUS
#define BM_DEFAULT_CORPUS "tests/corpus/bounces/emails"
#endif

struct blob {
	char *data;
	size_t len;
};

static struct blob *blobs;
static size_t nblobs, total_bytes;
static volatile uint64_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;

	if (fp == NULL || fstat(fileno(fp), &st) != 0 || st.st_size < 0) {
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	size_t len = (size_t)st.st_size;
	char *buf = malloc(len ? len : 1);
	if (buf == NULL || fread(buf, 1, len, fp) != len) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	struct blob *nb = realloc(blobs, (nblobs + 1) * sizeof *blobs);
	if (nb == NULL) {
		free(buf);
		return -1;
	}
	blobs = nb;
	blobs[nblobs].data = buf;
	blobs[nblobs].len = len;
	nblobs++;
	total_bytes += len;
	return 0;
}

static int load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
			continue;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (load_file(path) != 0)
			fprintf(stderr, "bench-classify: %s: cannot read: %s\n", path, strerror(errno));
	}
	closedir(d);
	return 0;
}

/* (a): touch every byte; the sum keeps the compiler from dropping it */
static void pass_read(void)
{
	uint64_t s = 0;

	for (size_t i = 0; i < nblobs; i++) {
		const unsigned char *p = (const unsigned char *)blobs[i].data;
		for (size_t k = 0; k < blobs[i].len; k++)
			s += p[k];
	}
	sink += s;
}

/* (b): parse, classify and free every message */
static size_t failures;

static void pass_parse(void)
{
	struct bounce_result res;
	uint64_t s = 0;

	for (size_t i = 0; i < nblobs; i++) {
		memset(&res, 0, sizeof res);
		if (bounce_parse(blobs[i].data, blobs[i].len, NULL, &res) != 0)
			failures++;
		s += res.nrcpt + (uint64_t)res.cls;
		bounce_result_free(&res);
	}
	sink += s;
}

struct timing {
	double secs;
	unsigned long rounds;
};

static struct timing run(void (*pass)(void), double min_secs)
{
	struct timing t = {0, 0};
	double t0 = now_s();

	do {
		pass();
		t.rounds++;
		t.secs = now_s() - t0;
	} while (t.secs < min_secs);
	return t;
}

int main(int argc, char **argv)
{
	double min_secs = 2.0;
	int ch;

	while ((ch = getopt(argc, argv, "t:h")) != -1) {
		switch (ch) {
		case 't': min_secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: bench-classify [-t SECONDS] [DIR...]\n");
			return 2;
		}
	}
	if (min_secs <= 0)
		min_secs = 2.0;
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			if (load_dir(argv[i]) != 0)
				fprintf(stderr, "bench-classify: %s: %s\n", argv[i], strerror(errno));
	} else {
		const char *dir = getenv("BENCH_CORPUS");
		if (dir == NULL)
			dir = BM_DEFAULT_CORPUS;
		if (load_dir(dir) != 0) {
			printf("bench-classify: skipped: corpus folder %s not found\n", dir);
			return 77;
		}
	}
	if (nblobs == 0) {
		printf("bench-classify: skipped: no message files\n");
		return 77;
	}
	double mb = (double)total_bytes / 1e6;
	printf("bench-classify: %zu messages, %.2f MB in memory\n", nblobs, mb);

	pass_parse(); /* warm up caches and the allocator */
	struct timing ra = run(pass_read, min_secs);
	struct timing rb = run(pass_parse, min_secs);
	double a_msgs = (double)nblobs * (double)ra.rounds / ra.secs;
	double b_msgs = (double)nblobs * (double)rb.rounds / rb.secs;
	printf("  (a) read only       : %12.0f msgs/s %9.1f MB/s (%lu rounds, %.2f s)\n", a_msgs,
	       mb * (double)ra.rounds / ra.secs, ra.rounds, ra.secs);
	printf("  (b) bounce_parse+free: %11.0f msgs/s %9.1f MB/s (%lu rounds, %.2f s)\n", b_msgs,
	       mb * (double)rb.rounds / rb.secs, rb.rounds, rb.secs);
	printf("  ratio (b)/(a): %.4f (parsing costs %.1fx the time of reading)\n", b_msgs / a_msgs,
	       a_msgs / b_msgs);
	if (failures)
		printf("  bounce_parse returned -1 (out of memory) %zu times\n", failures);
	printf("RESULT bench=classify msgs=%zu bytes=%zu read_msgs_per_s=%.1f parse_msgs_per_s=%.1f parse_mb_per_s=%.2f ratio=%.5f\n",
	       nblobs, total_bytes, a_msgs, b_msgs, mb * (double)rb.rounds / rb.secs, b_msgs / a_msgs);
	for (size_t i = 0; i < nblobs; i++)
		free(blobs[i].data);
	free(blobs);
	return failures ? 1 : 0;
}
