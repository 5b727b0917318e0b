/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testclock.c - the escalation clock for tests that run the whole daemon
 * (tests/tools/bounce-milter-testclock: main.c linked with
 * -Wl,--wrap=escalate_clock_now).  When BM_TEST_CLOCK_FILE names a
 * readable file holding a number, that is "now" (unix seconds); otherwise
 * the real clock.  Not part of the installed daemon.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

time_t __wrap_escalate_clock_now(void);
time_t __real_escalate_clock_now(void);

time_t
__wrap_escalate_clock_now(void)
{
	const char *path = getenv("BM_TEST_CLOCK_FILE");
	long long v;
	FILE *f;

	if (path == NULL || (f = fopen(path, "re")) == NULL)
		return __real_escalate_clock_now();
	if (fscanf(f, "%lld", &v) != 1)
		v = (long long)__real_escalate_clock_now();
	(void)fclose(f);
	return (time_t)v;
}
