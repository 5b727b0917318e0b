/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_stats.c - the counters: exact totals under concurrent updates,
 * latency buckets at their edges, the why= -> cause map, and the shape of
 * both renderings (Prometheus: HELP and TYPE before every family, one
 * sample per line, cumulative buckets ending in +Inf == _count).
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/stats.h"
#include "daemon/summary.h"

#define T_THREADS 4
#define T_ROUNDS 100000

static void *
t_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < T_ROUNDS; i++) {
		stats_inc(STATS_MSG_SEEN);
		stats_rcpt(BM_CLASS_HARD, BM_REASON_USERUNKNOWN);
		stats_not_listed(STATS_CAUSE_CAP);
		stats_spf(SPF_RES_PASS);
		stats_eom_begin();
		stats_eom_end((uint64_t)(i % 3000));
	}
	return NULL;
}

static void
test_concurrent(void **state)
{
	struct stats_snap a, b;
	pthread_t t[T_THREADS];
	uint64_t bucket_sum = 0;

	(void)state;
	stats_snapshot(&a);
	for (int i = 0; i < T_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, t_worker, NULL), 0);
	for (int i = 0; i < T_THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	stats_snapshot(&b);
	assert_int_equal(b.c[STATS_MSG_SEEN] - a.c[STATS_MSG_SEEN], T_THREADS * T_ROUNDS);
	assert_int_equal(b.cls[BM_CLASS_HARD] - a.cls[BM_CLASS_HARD], T_THREADS * T_ROUNDS);
	assert_int_equal(b.reason[BM_REASON_USERUNKNOWN] - a.reason[BM_REASON_USERUNKNOWN],
	    T_THREADS * T_ROUNDS);
	assert_int_equal(b.cause[STATS_CAUSE_CAP] - a.cause[STATS_CAUSE_CAP], T_THREADS * T_ROUNDS);
	assert_int_equal(b.spf[SPF_RES_PASS] - a.spf[SPF_RES_PASS], T_THREADS * T_ROUNDS);
	assert_int_equal(b.lat_count - a.lat_count, T_THREADS * T_ROUNDS);
	for (int i = 0; i <= STATS_LAT_BUCKETS; i++)
		bucket_sum += b.lat[i] - a.lat[i];
	assert_int_equal(bucket_sum, T_THREADS * T_ROUNDS);
	assert_int_equal(b.eom_in_flight, a.eom_in_flight);
}

static void
test_buckets(void **state)
{
	struct stats_snap a, b;

	(void)state;
	/* a value equal to a bound falls in that bucket, one more in the next */
	for (unsigned i = 0; i < STATS_LAT_BUCKETS; i++) {
		uint64_t us = (uint64_t)(stats_lat_bound(i) * 1e6 + 0.5);

		stats_snapshot(&a);
		stats_eom_begin();
		stats_eom_end(us);
		stats_eom_begin();
		stats_eom_end(us + 1);
		stats_snapshot(&b);
		assert_int_equal(b.lat[i] - a.lat[i], 1);
		assert_int_equal(b.lat[i + 1] - a.lat[i + 1], 1);
	}
}

static void
test_causes(void **state)
{
	static const struct {
		const char *why;
		enum stats_cause cause;
	} t[] = {
		{ "spf-policy", STATS_CAUSE_ORIGIN }, { "verp-tag", STATS_CAUSE_ORIGIN },
		{ "origin", STATS_CAUSE_ORIGIN }, { "unsigned", STATS_CAUSE_ORIGIN },
		{ "bad-tag", STATS_CAUSE_ORIGIN }, { "expired-tag", STATS_CAUSE_ORIGIN },
		{ "domain-cap", STATS_CAUSE_CAP }, { "unlistable", STATS_CAUSE_INVALID },
		{ "message-cap", STATS_CAUSE_CAP }, { "rate-cap", STATS_CAUSE_CAP },
		{ "allowlist", STATS_CAUSE_ALLOWLIST }, { "no-address", STATS_CAUSE_INVALID },
		{ "write-error", STATS_CAUSE_WRITE_ERROR }, { "mystery", STATS_CAUSE_OTHER },
		{ NULL, STATS_CAUSE_OTHER },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(stats_cause_from_why(t[i].why), t[i].cause);
	stats_not_listed((enum stats_cause)99);   /* out of range: counted as other */
}

/* Every sample line is "name[{labels}] value"; every family announced. */
static void
test_prometheus(void **state)
{
	struct buf b;
	char *line, *save = NULL, family[128] = "";
	unsigned long long prev = 0, inf = 0, count = 0;
	int samples = 0;

	(void)state;
	stats_eom_begin();
	stats_eom_end(700);
	buf_init(&b, 1u << 20);
	assert_int_equal(stats_render(&b, true), 0);
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		double v;

		if (strncmp(line, "# HELP ", 7) == 0)
			continue;
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_int_equal(sscanf(line + 7, "%127s", family), 1);
			assert_true(strncmp(family, "bounce_milter_", 14) == 0);
			continue;
		}
		assert_int_equal(sscanf(line, "%127[a-z_]", name), 1);
		assert_true(strncmp(name, family, strlen(family)) == 0);
		assert_non_null(strrchr(line, ' '));
		assert_int_equal(sscanf(strrchr(line, ' ') + 1, "%lf", &v), 1);
		if (strstr(line, "_bucket{") != NULL) {
			unsigned long long c = (unsigned long long)v;

			assert_true(c >= prev);
			prev = c;
			if (strstr(line, "le=\"+Inf\"") != NULL)
				inf = c;
		}
		if (strncmp(line, "bounce_milter_eom_duration_seconds_count ", 41) == 0)
			count = (unsigned long long)v;
		samples++;
	}
	assert_true(samples > 40);
	assert_true(inf > 0);
	assert_int_equal(inf, count);
	buf_free(&b);

	buf_init(&b, 1u << 20);
	assert_int_equal(stats_render(&b, false), 0);
	assert_non_null(strstr(b.data, "messages seen"));
	assert_non_null(strstr(b.data, "hard="));
	buf_free(&b);

	/* a cap too small: the truncation is reported, not hidden */
	buf_init(&b, 100);
	assert_int_equal(stats_render(&b, true), -1);
	buf_free(&b);
}

/* The syslog summary: the change between two snapshots, one line. */
static void
test_summary(void **state)
{
	struct stats_snap a, b;
	char line[512];

	(void)state;
	stats_snapshot(&a);
	for (int i = 0; i < 3; i++) {
		stats_inc(STATS_MSG_SEEN);
		stats_rcpt(BM_CLASS_SOFT, BM_REASON_MAILBOXFULL);
		stats_eom_begin();
		stats_eom_end(2000);
	}
	stats_inc(STATS_LISTED);
	stats_not_listed(STATS_CAUSE_ALLOWLIST);
	stats_not_listed(STATS_CAUSE_ORIGIN);
	stats_snapshot(&b);
	summary_line(&a, &b, 15, line, sizeof line);
	assert_string_equal(line, "summary minutes=15 seen=+3 examined=+0 hard=+0 soft=+3 "
	    "block=+0 listed=+1 not_listed=+2 write_errors=+0 tempfails=+0 escalated=+0 "
	    "eom_avg_ms=2.0");
	summary_line(&b, &b, 1, line, sizeof line);
	assert_non_null(strstr(line, "seen=+0 "));
	assert_non_null(strstr(line, "eom_avg_ms=0.0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_causes),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_summary),
	};

	stats_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
