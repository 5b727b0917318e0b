/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-escalate-load - the start-up cost of soft-bounce escalation.
 *
 * Writes a state file of N lines (default 1,000,000: N/3 addresses with
 * three days each, all inside the window) into a fresh temp dir, then
 * times escalate_configure() (read, prune, compacted rewrite with fsync)
 * and prints the seconds (wall and CPU) and the peak RSS of the process.
 *   usage: bench-escalate-load [LINES]
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/escalate.h"

static double
now_s(clockid_t c)
{
	struct timespec ts;

	(void)clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000UL;
	char dir[] = "/tmp/bench-escalate.XXXXXX", path[256], err[256];
	unsigned long today = (unsigned long)(time(NULL) / ESCALATE_DAY);
	struct bm_config cfg;
	struct rusage ru;
	double w0, c0, w1, c1;
	FILE *f;
	int rc;

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof path, "%s/escalate.state", dir);
	if ((f = fopen(path, "w")) == NULL)
		return 2;
	for (unsigned long i = 0; i < n; i++)
		fprintf(f, "%lu\tmailboxfull\tsubscriber-%lu@example-%lu.com\n",
		    today - i % 3, i / 3, i / 3 % 997);
	if (fclose(f) != 0)
		return 2;
	memset(&cfg, 0, sizeof cfg);
	cfg.ops.escalate = true;
	cfg.ops.escalate_days = 3;
	cfg.ops.escalate_window = 7;
	cfg.ops.escalate_state_file = path;
	w0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	rc = escalate_configure(&cfg, err, sizeof err);
	w1 = now_s(CLOCK_MONOTONIC);
	c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	(void)getrusage(RUSAGE_SELF, &ru);
	if (rc != 0)
		fprintf(stderr, "bench-escalate-load: %s\n", err);
	else
		printf("escalation state: %lu lines, %zu addresses: %.3f s wall, %.3f s CPU, "
		    "peak RSS %.1f MB\n", n, escalate_tracked(), w1 - w0, c1 - c0,
		    (double)ru.ru_maxrss / 1024.0);
	escalate_reset();
	(void)unlink(path);
	(void)rmdir(dir);
	return rc == 0 ? 0 : 2;
}
