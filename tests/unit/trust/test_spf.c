/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_spf.c - SPF checks against libspf2's in-memory zone (tests/data/spf/zone.txt).
 *
 * The zone reaches spf.c through the tests' DNS seam (tests/lib/spfseam.c,
 * linked with -Wl,--wrap=SPF_server_new): the environment variable
 * BM_TEST_DNS_ZONE names the file; the product has no zone option.
 *
 * Slow lookups are made deterministic with a link-time seam: the test binary
 * is linked with -Wl,--wrap=SPF_request_query_mailfrom, so every lookup
 * passes through __wrap_SPF_request_query_mailfrom below (and with
 * --wrap=SPF_request_new, used to raise a libspf2 internal error).  When the test
 * closes the gate, lookups block there until it opens it again; the test
 * knows a lookup is in flight when gate_waiting goes up.  No sleeps decide
 * an outcome.  (libspf2's types stay opaque here: only spf.c includes it.)
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "spfzone.h"
#include "trust/spf.h"
#include "util/log.h"

#define ZONE BM_TEST_DATA "/spf/zone.txt"
#define BAD_ZONE BM_TEST_DATA "/spf/bad-zone.txt"

/* ------------------------------------------------------------ the seam */

int __real_SPF_request_query_mailfrom(void *req, void **resp);
int __wrap_SPF_request_query_mailfrom(void *req, void **resp);
void *__real_SPF_request_new(void *server);
void *__wrap_SPF_request_new(void *server);
/* libspf2's fatal-error entry (spf_log.h): calls the error handler, then abort() */
void SPF_errorx(const char *file, int line, const char *format, ...);

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_closed;
static unsigned gate_waiting;
static unsigned lookups;
static bool crash_next;       /* the next lookup hits a libspf2 internal error */

int __wrap_SPF_request_query_mailfrom(void *req, void **resp)
{
	pthread_mutex_lock(&gate_lock);
	lookups++;
	if (gate_closed) {
		gate_waiting++;
		pthread_cond_broadcast(&gate_cond);
		while (gate_closed)
			pthread_cond_wait(&gate_cond, &gate_lock);
		gate_waiting--;
		pthread_cond_broadcast(&gate_cond);   /* gate_close() may wait */
	}
	pthread_mutex_unlock(&gate_lock);
	return __real_SPF_request_query_mailfrom(req, resp);
}

/* Raised before the request exists, so the abandoned thread leaks nothing
 * that a leak checker would report. */
void *__wrap_SPF_request_new(void *server)
{
	bool crash;

	pthread_mutex_lock(&gate_lock);
	crash = crash_next;
	crash_next = false;
	pthread_mutex_unlock(&gate_lock);
	if (crash)
		SPF_errorx(__FILE__, __LINE__, "%s", "simulated internal error");
	return __real_SPF_request_new(server);
}

/* A lookup let through by an earlier gate_open() may not have left the
 * gate yet; closing it then would hold that lookup too, and gate_wait_for()
 * would count it as one of the new ones (the full-queue test then saw its
 * last queued check refused, about one run in twenty). */
static void gate_close(void)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_waiting > 0)
		pthread_cond_wait(&gate_cond, &gate_lock);
	gate_closed = true;
	pthread_mutex_unlock(&gate_lock);
}

static void gate_open(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_closed = false;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

/* Wait until n lookups are blocked at the gate. */
static void gate_wait_for(unsigned n)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_waiting < n)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static unsigned lookup_count(void)
{
	unsigned n;

	pthread_mutex_lock(&gate_lock);
	n = lookups;
	pthread_mutex_unlock(&gate_lock);
	return n;
}

/* ------------------------------------------------------------ helpers */

struct addr {
	struct sockaddr_storage ss;
};

static const struct sockaddr *ip(struct addr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return (const struct sockaddr *)&a->ss;
}

static enum spf_res check(const char *ipt, const char *helo, const char *from,
                          const void *unused)
{
	struct addr a;
	struct spf_check *c = spf_start(ipt ? ip(&a, ipt) : NULL, helo, from);
	enum spf_res r;

	(void)unused;
	assert_non_null(c);
	r = spf_wait(c, 5000);
	spf_free(c);
	return r;
}

static int setup(void **state)
{
	char err[256];

	(void)state;
	if (setenv("BM_TEST_DNS_ZONE", ZONE, 1) != 0)
		return -1;
	return spf_init(err, sizeof(err)) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	spf_shutdown();
	return 0;
}

/* ------------------------------------------------------------ results */

struct row {
	const char *label, *ip, *helo, *from;
	enum spf_res want;
};

static const struct row results[] = {
	{ "pass: bounce from an address the HELO domain lists", "192.0.2.10", "mx.good.test", "", SPF_RES_PASS },
	{ "pass: HELO name with a trailing dot", "192.0.2.10", "mx.good.test.", "", SPF_RES_PASS },
	{ "pass: HELO name in capitals", "192.0.2.10", "MX.GOOD.TEST", "", SPF_RES_PASS },
	{ "pass: IPv6 client inside ip6:", "2001:db8:25::7", "mx.good.test", "", SPF_RES_PASS },
	{ "pass: IPv4-mapped IPv6 client is checked as IPv4", "::ffff:192.0.2.10", "mx.good.test", "", SPF_RES_PASS },
	{ "fail: forged bounce from an address the HELO domain excludes", "198.51.100.7", "mx.good.test", "", SPF_RES_FAIL },
	{ "fail: forged bounce over IPv6", "2001:db8:99::1", "mx.good.test", "", SPF_RES_FAIL },
	{ "fail: null sender written as <>", "198.51.100.7", "mx.good.test", "<>", SPF_RES_FAIL },
	{ "softfail: ~all", "198.51.100.7", "mx.soft.test", "", SPF_RES_SOFTFAIL },
	{ "neutral: ?all", "198.51.100.7", "mx.neutral.test", "", SPF_RES_NEUTRAL },
	{ "none: TXT record that is not SPF", "198.51.100.7", "mx.nospf.test", "", SPF_RES_NONE },
	{ "none: name not in DNS", "198.51.100.7", "mx.unknown.test", "", SPF_RES_NONE },
	{ "none: empty HELO with a null sender", "198.51.100.7", "", "", SPF_RES_NONE },
	{ "none: NULL HELO with a null sender", "198.51.100.7", NULL, NULL, SPF_RES_NONE },
	{ "none: HELO is an address literal", "198.51.100.7", "[198.51.100.7]", "", SPF_RES_NONE },
	{ "none: HELO is a single label", "198.51.100.7", "localhost", "", SPF_RES_NONE },
	{ "none: HELO with an @ is not a domain", "198.51.100.7", "evil@mx.good.test", "", SPF_RES_NONE },
	{ "none: HELO label longer than 63", "198.51.100.7",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.good.test", "", SPF_RES_NONE },
	{ "permerror: unknown mechanism in the record", "198.51.100.7", "mx.bad.test", "", SPF_RES_PERMERROR },
	{ "permerror: CIDR length out of range", "198.51.100.7", "mx.badcidr.test", "", SPF_RES_PERMERROR },
	{ "fail: exp= with hostile macros changes nothing", "198.51.100.7", "mx.exp.test", "", SPF_RES_FAIL },
	{ "temperror: DNS server failure", "198.51.100.7", "mx.tempfail.test", "", SPF_RES_TEMPERROR },
	{ "pass: include: and a: are followed", "198.51.100.7", "mx.include.test", "", SPF_RES_PASS },
	{ "pass: null-sender identity is postmaster@<helo>", "198.51.100.7", "mx.macro.test", "", SPF_RES_PASS },
	{ "fail: other local parts do not match the macro", "198.51.100.7", "mx.good.test", "bob@mx.macro.test", SPF_RES_FAIL },
	{ "pass: non-null sender uses the MAIL FROM domain", "192.0.2.25", "unrelated.test", "news@good.test", SPF_RES_PASS },
	{ "fail: non-null sender, MAIL FROM domain excludes the client", "198.51.100.7", "mx.good.test", "news@good.test", SPF_RES_FAIL },
	{ "pass: angle brackets around MAIL FROM are removed", "192.0.2.25", "unrelated.test", "<news@good.test>", SPF_RES_PASS },
	{ "none: MAIL FROM without a domain", "192.0.2.25", "mx.good.test", "news@", SPF_RES_NONE },
	{ "none: MAIL FROM with a control character", "192.0.2.25", "mx.good.test", "a\tb@good.test", SPF_RES_NONE },
};

static void test_results_follow_the_published_policy(void **state)
{
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		const struct row *r = &results[i];
		enum spf_res got = check(r->ip, r->helo, r->from, NULL);
		if (got != r->want) {
			print_message("%s: got %s, want %s\n", r->label,
			              spf_res_name(got), spf_res_name(r->want));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_null_ip_gives_none_without_lookup(void **state)
{
	unsigned before = lookup_count();

	(void)state;
	assert_int_equal(check(NULL, "mx.good.test", "", NULL), SPF_RES_NONE);
	assert_int_equal(lookup_count(), before);
}

static void test_non_ip_socket_gives_none(void **state)
{
	struct sockaddr_un un;
	struct spf_check *c;

	(void)state;
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	c = spf_start((const struct sockaddr *)&un, "mx.good.test", "");
	assert_int_equal(spf_wait(c, 1000), SPF_RES_NONE);
	spf_free(c);
}

/* ------------------------------------------------------------ loopback, check_host */

/* Attack 2 (issue 10): libspf2 answers pass for any loopback client, so a
 * local user (sendmail, or a direct connection to the milter) could pass
 * SPF for any name.  The module answers none for loopback, no lookup. */
static void test_loopback_is_never_spf_pass(void **state)
{
	static const char *const ips[] = { "127.0.0.1", "127.8.9.10", "::1",
	                                   "::ffff:127.0.0.1" };
	unsigned before = lookup_count();

	(void)state;
	for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		struct addr a;
		struct spf_check *c;

		if (check(ips[i], "mx.good.test", "", NULL) != SPF_RES_NONE)
			fail_msg("%s with HELO mx.good.test is not none", ips[i]);
		if (check(ips[i], "mx.open.test", "", NULL) != SPF_RES_NONE)
			fail_msg("%s with HELO mx.open.test (+all) is not none", ips[i]);
		c = spf_start_host(ip(&a, ips[i]), "open.test");
		if (spf_wait(c, 5000) != SPF_RES_NONE)
			fail_msg("%s: check_host(open.test) is not none", ips[i]);
		spf_free(c);
	}
	assert_int_equal(lookup_count(), before);
}

/* Aligned origin: check_host() for a domain of our choosing. */
static void test_check_host_for_a_recipient_domain(void **state)
{
	static const struct {
		const char *ip, *domain;
		enum spf_res want;
	} rows[] = {
		{ "192.0.2.25", "good.test", SPF_RES_PASS },       /* good.test's MX */
		{ "198.51.100.7", "good.test", SPF_RES_FAIL },
		{ "192.0.2.10", "mx.good.test", SPF_RES_PASS },
		{ "198.51.100.7", "nospf.example", SPF_RES_NONE },
		{ "198.51.100.7", "", SPF_RES_NONE },
		{ "198.51.100.7", "no dots", SPF_RES_NONE },
		{ "198.51.100.7", NULL, SPF_RES_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct addr a;
		struct spf_check *c = spf_start_host(ip(&a, rows[i].ip), rows[i].domain);
		enum spf_res got = spf_wait(c, 5000);

		spf_free(c);
		if (got != rows[i].want)
			fail_msg("check_host(%s, %s): got %s", rows[i].ip,
			         rows[i].domain ? rows[i].domain : "NULL", spf_res_name(got));
	}
}

/* ------------------------------------------------------------ timing */

static void test_slow_lookup_times_out_as_temperror(void **state)
{
	struct addr a;
	struct spf_check *c;

	(void)state;
	gate_close();
	c = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	gate_wait_for(1);                 /* the lookup is now in flight */
	assert_int_equal(spf_wait(c, 0), SPF_RES_TEMPERROR);
	assert_int_equal(spf_wait(c, 50), SPF_RES_TEMPERROR);
	gate_open();
	/* spf_wait may be called again: the real answer arrives */
	assert_int_equal(spf_wait(c, 5000), SPF_RES_PASS);
	spf_free(c);
}

static void test_free_while_lookup_runs_is_safe(void **state)
{
	struct addr a;
	struct spf_check *c;

	(void)state;
	gate_close();
	c = spf_start(ip(&a, "198.51.100.7"), "mx.good.test", "");
	gate_wait_for(1);
	spf_free(c);                      /* caller gone; the lookup still runs */
	gate_open();
	/* the pool is still healthy */
	assert_int_equal(check("198.51.100.7", "mx.good.test", "", NULL), SPF_RES_FAIL);
}

static void test_full_queue_gives_temperror_at_once(void **state)
{
	enum { WORKERS = 8, QUEUE = 1024 };
	struct addr a;
	struct spf_check *held[WORKERS + QUEUE], *extra;

	(void)state;
	gate_close();
	for (size_t i = 0; i < WORKERS; i++)
		held[i] = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	gate_wait_for(WORKERS);           /* every lookup thread is busy */
	for (size_t i = WORKERS; i < WORKERS + QUEUE; i++)
		held[i] = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	extra = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	assert_int_equal(spf_wait(extra, 0), SPF_RES_TEMPERROR);
	spf_free(extra);
	gate_open();
	for (size_t i = 0; i < WORKERS + QUEUE; i++) {
		assert_int_equal(spf_wait(held[i], 10000), SPF_RES_PASS);
		spf_free(held[i]);
	}
}

struct worker_arg {
	unsigned id;
	unsigned bad;
};

static void *concurrent_worker(void *p)
{
	struct worker_arg *w = p;
	static const struct {
		const char *ip, *helo;
		enum spf_res want;
	} mix[] = {
		{ "192.0.2.10", "mx.good.test", SPF_RES_PASS },
		{ "198.51.100.7", "mx.good.test", SPF_RES_FAIL },
		{ "198.51.100.7", "mx.soft.test", SPF_RES_SOFTFAIL },
		{ "198.51.100.7", "mx.include.test", SPF_RES_PASS },
		{ "2001:db8:25::1", "mx.good.test", SPF_RES_PASS },
		{ "198.51.100.7", "mx.tempfail.test", SPF_RES_TEMPERROR },
		{ "198.51.100.7", "mx.bad.test", SPF_RES_PERMERROR },
		{ "198.51.100.7", "mx.nospf.test", SPF_RES_NONE },
	};
	enum { PER = 25 };
	struct spf_check *c[PER];
	struct addr a;

	for (unsigned i = 0; i < PER; i++) {
		unsigned k = (w->id + i) % (sizeof(mix) / sizeof(mix[0]));
		c[i] = spf_start(ip(&a, mix[k].ip), mix[k].helo, "");
	}
	for (unsigned i = 0; i < PER; i++) {
		unsigned k = (w->id + i) % (sizeof(mix) / sizeof(mix[0]));
		if (spf_wait(c[i], 10000) != mix[k].want)
			w->bad++;
		spf_free(c[i]);
	}
	return NULL;
}

static void test_200_concurrent_checks_from_8_threads(void **state)
{
	enum { THREADS = 8 };
	pthread_t t[THREADS];
	struct worker_arg w[THREADS];

	(void)state;
	for (unsigned i = 0; i < THREADS; i++) {
		w[i].id = i;
		w[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL, concurrent_worker, &w[i]), 0);
	}
	for (unsigned i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].bad, 0);
	}
}

static void test_libspf2_internal_error_fails_one_check_not_the_process(void **state)
{
	struct addr a;
	struct spf_check *c;

	(void)state;
	pthread_mutex_lock(&gate_lock);
	crash_next = true;
	pthread_mutex_unlock(&gate_lock);
	c = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	/* the handler completes the check before its thread ends: no timeout */
	assert_int_equal(spf_wait(c, 10000), SPF_RES_TEMPERROR);
	spf_free(c);
	/* the pool replaces the lost thread and carries on */
	for (int i = 0; i < 20; i++)
		assert_int_equal(check("192.0.2.10", "mx.good.test", "", NULL), SPF_RES_PASS);
}

/* libspf2's messages go through log.h: a daemon in the foreground (-f)
 * shows them on stderr as well as in syslog. */
static void test_libspf2_errors_reach_stderr_in_foreground(void **state)
{
	char path[] = "/tmp/test_spf.XXXXXX", text[4096];
	struct addr a;
	struct spf_check *c;
	int fd, saved;
	ssize_t n;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	log_open("test_spf", LOG_USER, true);
	pthread_mutex_lock(&gate_lock);
	crash_next = true;
	pthread_mutex_unlock(&gate_lock);
	c = spf_start(ip(&a, "192.0.2.10"), "mx.good.test", "");
	/* the handler logs before it completes the check */
	assert_int_equal(spf_wait(c, 10000), SPF_RES_TEMPERROR);
	spf_free(c);
	log_open("test_spf", LOG_USER, false);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	text[n] = '\0';
	assert_non_null(strstr(text, "test_spf["));
	assert_non_null(strstr(text, "spf: libspf2 internal error at "));
	assert_non_null(strstr(text, "simulated internal error"));
}

/* ------------------------------------------------------------ life cycle */

static void test_init_reports_zone_errors_with_line(void **state)
{
	char err[256];

	struct spfzone z;

	(void)state;
	spf_shutdown();
	assert_int_equal(spfzone_load(BAD_ZONE, &z, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad-zone.txt:3:"));
	assert_int_equal(spfzone_load(BM_TEST_DATA "/spf/no-such-file", &z, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-file"));
	/* a zone that does not load makes the seam's server NULL: start-up fails */
	assert_int_equal(setenv("BM_TEST_DNS_ZONE", BAD_ZONE, 1), 0);
	assert_int_equal(spf_init(err, sizeof(err)), -1);
	/* not initialised: a check is temperror, never a crash */
	assert_int_equal(check("192.0.2.10", "mx.good.test", "", NULL), SPF_RES_TEMPERROR);
	/* resolver mode sets up without touching the network (no lookup made) */
	assert_int_equal(unsetenv("BM_TEST_DNS_ZONE"), 0);
	assert_int_equal(spf_init(err, sizeof(err)), 0);
	assert_int_equal(check(NULL, "mx.good.test", "", NULL), SPF_RES_NONE);
	spf_shutdown();
	assert_int_equal(setenv("BM_TEST_DNS_ZONE", ZONE, 1), 0);
	assert_int_equal(spf_init(err, sizeof(err)), 0);
	assert_int_equal(spf_init(err, sizeof(err)), -1);   /* once only */
	assert_int_equal(check("192.0.2.10", "mx.good.test", "", NULL), SPF_RES_PASS);
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(spf_res_name(SPF_RES_PASS), "pass");
	assert_string_equal(spf_res_name(SPF_RES_FAIL), "fail");
	assert_string_equal(spf_res_name(SPF_RES_SOFTFAIL), "softfail");
	assert_string_equal(spf_res_name(SPF_RES_NEUTRAL), "neutral");
	assert_string_equal(spf_res_name(SPF_RES_NONE), "none");
	assert_string_equal(spf_res_name(SPF_RES_TEMPERROR), "temperror");
	assert_string_equal(spf_res_name(SPF_RES_PERMERROR), "permerror");
	assert_string_equal(spf_res_name(SPF_RES_OFF), "off");
	assert_string_equal(spf_res_name((enum spf_res)99), "temperror");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_follow_the_published_policy),
		cmocka_unit_test(test_null_ip_gives_none_without_lookup),
		cmocka_unit_test(test_non_ip_socket_gives_none),
		cmocka_unit_test(test_loopback_is_never_spf_pass),
		cmocka_unit_test(test_check_host_for_a_recipient_domain),
		cmocka_unit_test(test_slow_lookup_times_out_as_temperror),
		cmocka_unit_test(test_free_while_lookup_runs_is_safe),
		cmocka_unit_test(test_full_queue_gives_temperror_at_once),
		cmocka_unit_test(test_200_concurrent_checks_from_8_threads),
		cmocka_unit_test(test_libspf2_internal_error_fails_one_check_not_the_process),
		cmocka_unit_test(test_libspf2_errors_reach_stderr_in_foreground),
		cmocka_unit_test(test_init_reports_zone_errors_with_line),
		cmocka_unit_test(test_result_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
