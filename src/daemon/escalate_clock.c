/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * escalate_clock.c - the escalation clock, alone in its file: tests link
 * with -Wl,--wrap=escalate_clock_now to move the day (a link-time seam; the
 * product has no clock option).
 */
#include "config.h"

#include <time.h>

#include "daemon/escalate.h"

time_t
escalate_clock_now(void)
{
	return time(NULL);
}
