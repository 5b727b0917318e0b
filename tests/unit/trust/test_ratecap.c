/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_ratecap.c - per-IP hourly cap: cap reached, window slides, a take
 * given back, eviction, concurrency.  Time is passed in, so every case is deterministic.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "trust/ratecap.h"

#define T0 ((time_t)1700000000)      /* a minute boundary plus 20 s */

static unsigned take_n(struct ratecap *rc, const char *ip, unsigned per_hour,
                       time_t now, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += ratecap_take(rc, ip, per_hour, now);
	return ok;
}

static void test_cap_is_reached_per_ip(void **state)
{
	struct ratecap *rc = ratecap_new(16);

	(void)state;
	assert_non_null(rc);
	assert_int_equal(take_n(rc, "192.0.2.1", 5, T0, 5), 5);
	assert_false(ratecap_take(rc, "192.0.2.1", 5, T0));
	assert_false(ratecap_take(rc, "192.0.2.1", 5, T0 + 600));
	/* another client has its own budget */
	assert_int_equal(take_n(rc, "192.0.2.2", 5, T0, 7), 5);
	assert_int_equal(take_n(rc, "2001:db8::1", 5, T0, 7), 5);
	/* a refused take does not consume: raising the cap allows more at once */
	assert_true(ratecap_take(rc, "192.0.2.1", 6, T0));
	/* per_hour 0 allows nothing */
	assert_false(ratecap_take(rc, "198.51.100.1", 0, T0));
	ratecap_free(rc);
}

static void test_window_slides_by_the_minute(void **state)
{
	struct ratecap *rc = ratecap_new(4);
	time_t m0 = T0 - T0 % 60;   /* start of a minute */

	(void)state;
	assert_non_null(rc);
	assert_int_equal(take_n(rc, "192.0.2.1", 10, m0, 4), 4);          /* minute 0 */
	assert_int_equal(take_n(rc, "192.0.2.1", 10, m0 + 30 * 60, 6), 6); /* minute 30 */
	assert_false(ratecap_take(rc, "192.0.2.1", 10, m0 + 59 * 60 + 59));
	/* minute 60: the four from minute 0 have left the window */
	assert_int_equal(take_n(rc, "192.0.2.1", 10, m0 + 60 * 60, 10), 4);
	/* minute 90: the six from minute 30 have left too */
	assert_int_equal(take_n(rc, "192.0.2.1", 10, m0 + 90 * 60, 10), 6);
	/* after a long silence everything is forgotten */
	assert_int_equal(take_n(rc, "192.0.2.1", 10, m0 + 86400, 20), 10);
	/* a clock stepping backwards counts in the newest minute, loses nothing */
	assert_false(ratecap_take(rc, "192.0.2.1", 10, m0));
	ratecap_free(rc);
}

/* ratecap_give: a take whose entry was never written (the list write failed
 * and the MTA will retry) is given back, the newest one. */
static void test_give_undoes_the_newest_take(void **state)
{
	struct ratecap *rc = ratecap_new(4);
	time_t m0 = T0 - T0 % 60;

	(void)state;
	assert_non_null(rc);
	assert_int_equal(take_n(rc, "192.0.2.1", 3, m0, 2), 2);            /* minute 0 */
	assert_true(ratecap_take(rc, "192.0.2.1", 3, m0 + 30 * 60));        /* minute 30 */
	assert_false(ratecap_take(rc, "192.0.2.1", 3, m0 + 30 * 60));
	ratecap_give(rc, "192.0.2.1", m0 + 30 * 60 + 5);
	assert_true(ratecap_take(rc, "192.0.2.1", 3, m0 + 30 * 60 + 5));
	assert_false(ratecap_take(rc, "192.0.2.1", 3, m0 + 30 * 60 + 5));
	ratecap_give(rc, "192.0.2.1", m0 + 30 * 60 + 9);
	/* minute 60: minute 0's two leave; the minute-30 take was given back */
	assert_int_equal(take_n(rc, "192.0.2.1", 3, m0 + 60 * 60, 5), 3);
	/* an unknown IP or an empty window: nothing to give, nothing goes wrong */
	ratecap_give(rc, "198.51.100.1", m0);
	assert_int_equal(take_n(rc, "198.51.100.1", 3, m0, 5), 3);
	ratecap_give(rc, "192.0.2.1", m0 + 86400);
	assert_int_equal(take_n(rc, "192.0.2.1", 3, m0 + 86400, 5), 3);
	ratecap_give(NULL, "192.0.2.1", m0);
	ratecap_free(rc);
}

static void test_least_recently_used_ip_is_evicted(void **state)
{
	struct ratecap *rc = ratecap_new(3);

	(void)state;
	assert_non_null(rc);
	assert_int_equal(take_n(rc, "10.0.0.1", 2, T0, 2), 2);   /* capped */
	assert_int_equal(take_n(rc, "10.0.0.2", 2, T0, 2), 2);   /* capped */
	assert_int_equal(take_n(rc, "10.0.0.3", 2, T0, 2), 2);   /* capped */
	assert_false(ratecap_take(rc, "10.0.0.1", 2, T0));       /* .1 now most recent */
	assert_true(ratecap_take(rc, "10.0.0.4", 2, T0));        /* evicts .2, the LRU */
	assert_true(ratecap_take(rc, "10.0.0.2", 2, T0));        /* .2 starts afresh, evicts .3 */
	assert_false(ratecap_take(rc, "10.0.0.1", 2, T0));       /* .1 kept its count */
	assert_true(ratecap_take(rc, "10.0.0.3", 2, T0));        /* .3 was evicted */
	ratecap_free(rc);
}

static void test_odd_keys_are_bounded(void **state)
{
	struct ratecap *rc = ratecap_new(2);
	char longip[300];

	(void)state;
	assert_non_null(rc);
	memset(longip, '1', sizeof(longip) - 1);
	longip[sizeof(longip) - 1] = '\0';
	assert_int_equal(take_n(rc, longip, 3, T0, 5), 3);
	assert_int_equal(take_n(rc, NULL, 3, T0, 5), 3);        /* no address: one shared key */
	assert_int_equal(take_n(rc, "", 3, T0, 5), 0);          /* the same key as NULL */
	assert_false(ratecap_take(NULL, "192.0.2.1", 3, T0));
	assert_null(ratecap_new(0));
	ratecap_free(NULL);
	ratecap_free(rc);
}

struct targ {
	struct ratecap *rc;
	unsigned ok;
};

static void *taker(void *p)
{
	struct targ *a = p;

	for (unsigned i = 0; i < 1000; i++)
		a->ok += ratecap_take(a->rc, i % 2 ? "192.0.2.7" : "192.0.2.8", 300, T0);
	return NULL;
}

static void test_concurrent_takes_never_exceed_the_cap(void **state)
{
	enum { N = 8 };
	struct ratecap *rc = ratecap_new(8);
	pthread_t t[N];
	struct targ a[N];
	unsigned total = 0;

	(void)state;
	assert_non_null(rc);
	for (unsigned i = 0; i < N; i++) {
		a[i].rc = rc;
		a[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, taker, &a[i]), 0);
	}
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		total += a[i].ok;
	}
	assert_int_equal(total, 600);   /* 300 per IP, two IPs */
	ratecap_free(rc);
}

/* Attack 6 (issue 10): six IPv6 addresses of one /64 each had their own
 * cap.  The daemon keys the cap by client network. */
static void test_network_keys(void **state)
{
	static const struct {
		const char *ip, *key;
	} rows[] = {
		{ "192.0.2.10", "192.0.2.0/24" },
		{ "192.0.2.255", "192.0.2.0/24" },
		{ "192.0.3.1", "192.0.3.0/24" },
		{ "2001:db8:1:2::1", "2001:db8:1:2::/64" },
		{ "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64" },
		{ "2001:db8:1:3::1", "2001:db8:1:3::/64" },
		{ "::ffff:192.0.2.77", "192.0.2.0/24" },
		{ "::1", "::/64" },
		{ "", "unknown" },
		{ NULL, "unknown" },
		{ "not an address", "not an address" },
	};
	char key[64];
	struct ratecap *rc = ratecap_new(16);

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(ratecap_net_key(rows[i].ip, key, sizeof(key)), 0);
		assert_string_equal(key, rows[i].key);
	}
	assert_int_equal(ratecap_net_key("2001:db8:1:2::1", key, 8), -1);
	/* six addresses of one /64 share one cap of 2 */
	assert_non_null(rc);
	{
		unsigned ok = 0;

		for (int i = 1; i <= 6; i++) {
			char ip[64];

			snprintf(ip, sizeof(ip), "2001:db8:66:1::%d", i);
			assert_int_equal(ratecap_net_key(ip, key, sizeof(key)), 0);
			ok += ratecap_take(rc, key, 2, T0);
		}
		assert_int_equal(ok, 2);
	}
	/* a 253-octet domain key is kept whole: two that differ at the end
	 * are two keys */
	{
		char d1[260], d2[260];

		d1[0] = '@';
		memset(d1 + 1, 'a', 253);
		d1[254] = '\0';
		memcpy(d2, d1, sizeof(d2));
		d2[253] = 'b';
		assert_true(ratecap_take(rc, d1, 1, T0));
		assert_false(ratecap_take(rc, d1, 1, T0));
		assert_true(ratecap_take(rc, d2, 1, T0));
	}
	ratecap_free(rc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_is_reached_per_ip),
		cmocka_unit_test(test_window_slides_by_the_minute),
		cmocka_unit_test(test_give_undoes_the_newest_take),
		cmocka_unit_test(test_least_recently_used_ip_is_evicted),
		cmocka_unit_test(test_odd_keys_are_bounded),
		cmocka_unit_test(test_concurrent_takes_never_exceed_the_cap),
		cmocka_unit_test(test_network_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
