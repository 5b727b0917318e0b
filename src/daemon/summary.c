/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * summary.c - the periodic syslog summary thread (see summary.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/stats.h"
#include "daemon/summary.h"
#include "util/log.h"

#define SUMMARY_TICK 30

static unsigned long long
sum_d(uint64_t cur, uint64_t prev)
{
	return (unsigned long long)(cur - prev);
}

void
summary_line(const struct stats_snap *p, const struct stats_snap *c,
             unsigned minutes, char *out, size_t outsz)
{
	uint64_t nl = 0, pnl = 0, n = c->lat_count - p->lat_count;

	for (unsigned i = 0; i < STATS_CAUSE_COUNT; i++) {
		nl += c->cause[i];
		pnl += p->cause[i];
	}
	snprintf(out, outsz, "summary minutes=%u seen=+%llu examined=+%llu hard=+%llu "
	    "soft=+%llu block=+%llu listed=+%llu not_listed=+%llu write_errors=+%llu "
	    "tempfails=+%llu escalated=+%llu eom_avg_ms=%.1f", minutes,
	    sum_d(c->c[STATS_MSG_SEEN], p->c[STATS_MSG_SEEN]),
	    sum_d(c->c[STATS_MSG_EXAMINED], p->c[STATS_MSG_EXAMINED]),
	    sum_d(c->cls[BM_CLASS_HARD], p->cls[BM_CLASS_HARD]),
	    sum_d(c->cls[BM_CLASS_SOFT], p->cls[BM_CLASS_SOFT]),
	    sum_d(c->cls[BM_CLASS_BLOCK], p->cls[BM_CLASS_BLOCK]),
	    sum_d(c->c[STATS_LISTED], p->c[STATS_LISTED]), sum_d(nl, pnl),
	    sum_d(c->c[STATS_LIST_WRITE_ERRORS] + c->c[STATS_EVENTLOG_WRITE_ERRORS],
	        p->c[STATS_LIST_WRITE_ERRORS] + p->c[STATS_EVENTLOG_WRITE_ERRORS]),
	    sum_d(c->c[STATS_TEMPFAILS], p->c[STATS_TEMPFAILS]),
	    sum_d(c->c[STATS_ESCALATED], p->c[STATS_ESCALATED]),
	    n > 0 ? (double)(c->lat_sum_us - p->lat_sum_us) / (double)n / 1000.0 : 0.0);
}

static void *
summary_thread(void *arg)
{
	struct stats_snap prev, cur;
	struct timespec last, now;
	char line[512];

	(void)arg;
	stats_snapshot(&prev);
	(void)clock_gettime(CLOCK_MONOTONIC, &last);
	for (;;) {
		struct bm_config *cfg;
		unsigned minutes;

		(void)sleep(SUMMARY_TICK);
		cfg = conf_get();
		minutes = cfg != NULL ? cfg->ops.summary_minutes : 0;
		conf_put(cfg);
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		if (minutes == 0) {
			stats_snapshot(&prev);   /* the first summary after turning it on */
			last = now;              /* covers only the time since then */
			continue;
		}
		if (now.tv_sec - last.tv_sec < (time_t)minutes * 60)
			continue;
		stats_snapshot(&cur);
		summary_line(&prev, &cur, minutes, line, sizeof line);
		log_msg(LOG_INFO, "%s", line);
		prev = cur;
		last = now;
	}
	return NULL;
}

int
summary_start(char *err, size_t errsz)
{
	pthread_t t;
	int rc;

	if ((rc = pthread_create(&t, NULL, summary_thread, NULL)) != 0) {
		snprintf(err, errsz, "cannot start the summary thread: %s", strerror(rc));
		return -1;
	}
	(void)pthread_detach(t);
	return 0;
}
