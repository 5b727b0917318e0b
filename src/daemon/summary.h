/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * summary.h - the optional periodic syslog summary (summary_minutes).
 *
 * summary_start() starts one thread that wakes every 30 s, reads
 * summary_minutes from the current config (0 = off, so a reload turns it on
 * or off), and when that many minutes have passed since the last summary
 * logs one LOG_INFO line with the change of the main counters since then:
 *   summary minutes=15 seen=+120 examined=+40 hard=+12 soft=+20 block=+3
 *   listed=+12 not_listed=+5 write_errors=+0 tempfails=+0 escalated=+1
 *   eom_avg_ms=1.8
 * summary_line() formats that line from two snapshots (tests, and the
 * thread).  0 or -1 (thread not started, err).
 */
#ifndef BM_SUMMARY_H
#define BM_SUMMARY_H

#include <stddef.h>

#include "daemon/stats.h"

int summary_start(char *err, size_t errsz);
void summary_line(const struct stats_snap *prev, const struct stats_snap *cur,
                  unsigned minutes, char *out, size_t outsz);

#endif
