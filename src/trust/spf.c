/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf.c - SPF checks with libspf2 on a small pool of lookup threads.
 *
 * Threading choice: libspf2 promises no thread safety.  Its zone layer is
 * read-only during lookups and its cache layer takes a mutex, but the
 * resolver layer is only safe when res_ninit() is used, and none of that is
 * documented.  Sharing one server under one lock would serialise every DNS
 * wait.  So each lookup thread owns its own SPF_server_t (its own cache, or
 * its own copy of a test's in-memory zone) and no libspf2 object is ever touched
 * by two threads.  This module's lock guards only the queue, the pool and
 * the checks' state; it is never held during a lookup.
 *
 * The pool is BM_SPF_WORKERS detached threads, started lazily by the first
 * spf_start() (so a fork between spf_init() and serving mail is harmless)
 * and fed by a FIFO of at most BM_SPF_QUEUE_MAX checks; past that a check
 * reports temperror at once.  A check holds two references (caller and
 * pool); whoever drops the last one frees it, so spf_free() may run while
 * the lookup is still going.  A check whose caller has already gone is
 * dropped from the queue without a lookup.
 *
 * libspf2 aborts after calling its error handler (assertions, out of
 * memory).  Inside a lookup thread our handler logs at LOG_CRIT (through
 * log.h, like every message here, so -f shows it on stderr), completes
 * the current check as temperror and ends that thread only (the pool
 * starts a replacement); elsewhere it logs and the process aborts, which
 * can only happen in spf_init() before mail is served.
 *
 * libspf2 itself answers pass for loopback clients (127/8, ::1): "localhost
 * is always allowed".  A loopback client is any local user, so this module
 * never asks libspf2 about one: the result is none, decided before a lookup.
 */
#include "config.h"

#include <netinet/in.h>
#include <spf2/spf.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "trust/spf.h"
#include "util/log.h"

#define BM_SPF_WORKERS      8
#define BM_SPF_QUEUE_MAX    1024
#define BM_SPF_HELO_MAX     255     /* a domain name is at most 253 */
#define BM_SPF_FROM_MAX     320     /* 64 local + @ + 255 */
#define BM_SPF_NET_MAX      64      /* printable network with prefix */

struct spf_check {
	struct spf_check *next;     /* queue link */
	unsigned refs;
	bool done;
	enum spf_res res;
	int family;                 /* AF_INET or AF_INET6 */
	struct in_addr v4;
	struct in6_addr v6;
	char helo[BM_SPF_HELO_MAX + 1];
	char from[BM_SPF_FROM_MAX + 1];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* queue not empty, or stopping */
	pthread_cond_t done;        /* some check completed */
	pthread_cond_t gone;        /* a worker exited */
	bool inited;
	bool stopping;
	unsigned workers;           /* live or starting */
	struct spf_check *head, *tail;
	size_t queued;
} S = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.gone = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t spf_once = PTHREAD_ONCE_INIT;
static bool spf_done_cond_ok;

/* Set in lookup threads: the check being looked up (or NULL between checks). */
static _Thread_local bool spf_in_worker;
static _Thread_local struct spf_check *spf_current;
static _Thread_local SPF_server_t *spf_current_server;

/* Servers of lookup threads ended by a libspf2 internal error: their state
 * is unknown, so they are never freed, only kept (a few) reachable. */
#define BM_SPF_ABANDONED 16
static SPF_server_t *volatile spf_abandoned[BM_SPF_ABANDONED];
static size_t spf_nabandoned;

/* Returned when even a check cannot be allocated: already temperror. */
static struct spf_check spf_oom_check = { .done = true, .res = SPF_RES_TEMPERROR };

static void spf_once_init(void)
{
	pthread_condattr_t attr;

	if (pthread_condattr_init(&attr) != 0)
		return;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0
	    && pthread_cond_init(&S.done, &attr) == 0)
		spf_done_cond_ok = true;
	pthread_condattr_destroy(&attr);
}

const char *spf_res_name(enum spf_res r)
{
	static const char *const names[] = {
		[SPF_RES_NONE] = "none",
		[SPF_RES_NEUTRAL] = "neutral",
		[SPF_RES_PASS] = "pass",
		[SPF_RES_FAIL] = "fail",
		[SPF_RES_SOFTFAIL] = "softfail",
		[SPF_RES_TEMPERROR] = "temperror",
		[SPF_RES_PERMERROR] = "permerror",
		[SPF_RES_OFF] = "off",
	};

	if ((unsigned)r < sizeof(names) / sizeof(names[0]) && names[r])
		return names[r];
	return "temperror";
}

static void spf_complete(struct spf_check *c, enum spf_res res);

/* ------------------------------------------------------------ libspf2 logging */

static void spf_log_error(const char *file, int line, const char *msg)
	__attribute__((noreturn));

static void spf_log_error(const char *file, int line, const char *msg)
{
	struct spf_check *c = spf_current;

	log_msg(LOG_CRIT, "spf: libspf2 internal error at %s:%d: %s",
	       file ? file : "?", line, msg ? msg : "?");
	if (!spf_in_worker)
		abort();
	/* A lookup thread: fail this check, leave the pool, never return into
	 * libspf2.  The thread's server is abandoned (leaked) on purpose. */
	if (pthread_mutex_lock(&S.lock) == 0) {
		if (c)
			spf_complete(c, SPF_RES_TEMPERROR);
		if (spf_current_server && spf_nabandoned < BM_SPF_ABANDONED)
			spf_abandoned[spf_nabandoned++] = spf_current_server;
		S.workers--;
		pthread_cond_broadcast(&S.gone);
		pthread_mutex_unlock(&S.lock);
	}
	spf_current = NULL;
	pthread_exit(NULL);
}

static void spf_log_warning(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	log_msg(LOG_WARNING, "spf: libspf2: %s", msg ? msg : "?");
}

static void spf_log_info(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	log_msg(LOG_INFO, "spf: libspf2: %s", msg ? msg : "?");
}

/* ------------------------------------------------------------ names, networks */

/* A domain name SPF can check: 1..253 chars, labels of 1..63 letters, digits,
 * '-' or '_', at least two labels.  Anything else makes check_host() give
 * "none" (RFC 7208 section 4.3), decided here before libspf2 sees it. */
static bool spf_domain_ok(const char *d)
{
	size_t n = strlen(d), label = 0, labels = 1;

	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)d[i];
		if (ch == '.') {
			if (label == 0)
				return false;
			label = 0;
			labels++;
		} else if (isalnum(ch) || ch == '-' || ch == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && labels >= 2;
}

/* ------------------------------------------------------------ servers */

/* A server for the calling thread: libspf2's cache over the system
 * resolver.  (Tests replace SPF_server_new at link time with a zone of
 * their own: tests/lib/spfseam.c.) */
static SPF_server_t *spf_server_make(void)
{
	return SPF_server_new(SPF_DNS_CACHE, 0);
}

/* Free a server and, when the server does not own it (a layer we built and
 * passed to SPF_server_new_dns), its DNS layer too. */
static void spf_server_drop(SPF_server_t *srv)
{
	SPF_dns_server_t *dns = srv->resolver;
	bool owned = srv->destroy_resolver != 0;

	SPF_server_free(srv);
	if (!owned && dns)
		SPF_dns_free(dns);
}

static enum spf_res spf_map(SPF_result_t r)
{
	switch (r) {
	case SPF_RESULT_PASS: return SPF_RES_PASS;
	case SPF_RESULT_FAIL: return SPF_RES_FAIL;
	case SPF_RESULT_SOFTFAIL: return SPF_RES_SOFTFAIL;
	case SPF_RESULT_NEUTRAL: return SPF_RES_NEUTRAL;
	case SPF_RESULT_NONE: return SPF_RES_NONE;
	case SPF_RESULT_PERMERROR: return SPF_RES_PERMERROR;
	case SPF_RESULT_TEMPERROR: return SPF_RES_TEMPERROR;
	default: return SPF_RES_TEMPERROR;
	}
}

/* libspf2 reports "no SPF record" and "record does not compile" with the
 * same code (SPF_E_NOT_SPF); the compile errors sit in the message list. */
static bool spf_syntax_error(SPF_response_t *resp)
{
	int n = SPF_response_messages(resp);

	for (int i = 0; i < n; i++) {
		SPF_error_t *e = SPF_response_message(resp, i);
		SPF_errcode_t code;
		if (e == NULL || !SPF_error_errorp(e))
			continue;
		code = SPF_error_code(e);
		if (code != SPF_E_NOT_SPF && code != SPF_E_DNS_ERROR
		    && code != SPF_E_SUCCESS)
			return true;
	}
	return false;
}

static enum spf_res spf_lookup(SPF_server_t *srv, const struct spf_check *c)
{
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_errcode_t err;
	enum spf_res res = SPF_RES_TEMPERROR;

	req = SPF_request_new(srv);
	if (req == NULL)
		return SPF_RES_TEMPERROR;
	if (c->family == AF_INET)
		err = SPF_request_set_ipv4(req, c->v4);
	else
		err = SPF_request_set_ipv6(req, c->v6);
	if (err != SPF_E_SUCCESS)
		goto out;
	/* HELO first: an empty env-from then becomes postmaster@<helo>. */
	if (c->helo[0] && SPF_request_set_helo_dom(req, c->helo) != SPF_E_SUCCESS)
		goto out;
	if (SPF_request_set_env_from(req, c->from) != SPF_E_SUCCESS)
		goto out;
	err = SPF_request_query_mailfrom(req, &resp);
	if (resp == NULL)
		goto out;
	res = spf_map(SPF_response_result(resp));
	if (SPF_response_result(resp) == SPF_RESULT_INVALID) {
		/* libspf2 returns an error code without a result for a few
		 * cases: no v=spf1 record among the TXT records (none), DNS
		 * trouble (temperror), a record that does not compile
		 * (permerror, RFC 7208 section 4.6). */
		if (err == SPF_E_NOT_SPF)
			res = spf_syntax_error(resp) ? SPF_RES_PERMERROR : SPF_RES_NONE;
		else if (err == SPF_E_DNS_ERROR || err == SPF_E_NO_MEMORY
		         || err == SPF_E_INTERNAL_ERROR || err == SPF_E_SUCCESS)
			res = SPF_RES_TEMPERROR;
		else
			res = SPF_RES_PERMERROR;
	}
out:
	if (resp)
		SPF_response_free(resp);
	SPF_request_free(req);
	return res;
}

/* ------------------------------------------------------------ pool */

/* Under S.lock: record the result and drop the pool's reference. */
static void spf_complete(struct spf_check *c, enum spf_res res)
{
	c->res = res;
	c->done = true;
	if (spf_done_cond_ok)
		pthread_cond_broadcast(&S.done);
	if (--c->refs == 0)
		free(c);
}

static void *spf_worker(void *arg)
{
	SPF_server_t *srv;

	(void)arg;
	spf_in_worker = true;
	srv = spf_server_make();
	spf_current_server = srv;
	if (pthread_mutex_lock(&S.lock) != 0)
		return NULL;
	if (srv == NULL)
		log_msg(LOG_ERR, "spf: cannot create a libspf2 server");
	for (;;) {
		struct spf_check *c;

		while (!S.stopping && S.head == NULL && srv != NULL)
			pthread_cond_wait(&S.work, &S.lock);
		if (S.stopping || srv == NULL)
			break;
		c = S.head;
		S.head = c->next;
		if (S.head == NULL)
			S.tail = NULL;
		S.queued--;
		if (c->refs == 1) {        /* the caller has gone */
			free(c);
			continue;
		}
		spf_current = c;
		pthread_mutex_unlock(&S.lock);
		enum spf_res res = spf_lookup(srv, c);
		pthread_mutex_lock(&S.lock);
		spf_current = NULL;
		spf_complete(c, res);
	}
	/* Free the server before leaving the count, so that spf_shutdown()
	 * returns only when every libspf2 object is gone. */
	pthread_mutex_unlock(&S.lock);
	spf_current_server = NULL;
	if (srv)
		spf_server_drop(srv);
	pthread_mutex_lock(&S.lock);
	S.workers--;
	pthread_cond_broadcast(&S.gone);
	pthread_mutex_unlock(&S.lock);
	return NULL;
}

/* Under S.lock: top the pool up to its size.  False if no worker exists. */
static bool spf_pool_fill(void)
{
	while (S.workers < BM_SPF_WORKERS) {
		pthread_t t;
		pthread_attr_t attr;
		int rc;

		if (pthread_attr_init(&attr) != 0)
			break;
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&t, &attr, spf_worker, NULL);
		pthread_attr_destroy(&attr);
		if (rc != 0) {
			log_msg(LOG_ERR, "spf: cannot start a lookup thread: %s",
			       strerror(rc));
			break;
		}
		S.workers++;
	}
	return S.workers > 0;
}

/* ------------------------------------------------------------ public */

int spf_init(char *err, size_t errsz)
{
	char dummy[1];

	if (err == NULL || errsz == 0) {
		err = dummy;
		errsz = sizeof(dummy);
	}
	err[0] = '\0';
	pthread_once(&spf_once, spf_once_init);
	if (!spf_done_cond_ok) {
		snprintf(err, errsz, "spf: cannot set up a monotonic condition variable");
		return -1;
	}

	SPF_error_handler = spf_log_error;
	SPF_warning_handler = spf_log_warning;
	SPF_info_handler = spf_log_info;
	SPF_debug_handler = NULL;

	pthread_mutex_lock(&S.lock);
	if (S.inited) {
		pthread_mutex_unlock(&S.lock);
		snprintf(err, errsz, "spf: already initialised");
		return -1;
	}
	S.inited = true;
	S.stopping = false;
	pthread_mutex_unlock(&S.lock);

	/* Build one server now so that a broken set-up fails at start-up. */
	{
		SPF_server_t *probe = spf_server_make();
		if (probe == NULL) {
			snprintf(err, errsz, "spf: cannot create a libspf2 server");
			spf_shutdown();
			return -1;
		}
		spf_server_drop(probe);
	}
	return 0;
}

void spf_shutdown(void)
{
	pthread_mutex_lock(&S.lock);
	if (!S.inited) {
		pthread_mutex_unlock(&S.lock);
		return;
	}
	S.stopping = true;
	pthread_cond_broadcast(&S.work);
	while (S.head) {
		struct spf_check *c = S.head;
		S.head = c->next;
		S.queued--;
		spf_complete(c, SPF_RES_TEMPERROR);
	}
	S.tail = NULL;
	while (S.workers > 0)      /* each finishes its current lookup */
		pthread_cond_wait(&S.gone, &S.lock);
	S.inited = false;
	S.stopping = false;
	pthread_mutex_unlock(&S.lock);
}

/* Copy a MAIL FROM without its angle brackets; "" for the null sender. */
static bool spf_copy_from(const char *in, char *out, size_t outsz)
{
	size_t n;

	out[0] = '\0';
	if (in == NULL)
		return true;
	n = strlen(in);
	if (n >= 2 && in[0] == '<' && in[n - 1] == '>') {
		in++;
		n -= 2;
	}
	if (n >= outsz)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in[i] <= ' ' || in[i] == 0x7f)
			return false;
	memcpy(out, in, n);
	out[n] = '\0';
	return true;
}

/* 127/8, ::1, and the IPv4-mapped form of 127/8 (after unmapping). */
static bool spf_loopback(const struct spf_check *c)
{
	if (c->family == AF_INET)
		return (ntohl(c->v4.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&c->v6);
}

struct spf_check *spf_start(const struct sockaddr *ip, const char *helo,
                            const char *mail_from)
{
	struct spf_check *c;
	const char *at;

	pthread_once(&spf_once, spf_once_init);
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return &spf_oom_check;
	c->refs = 1;
	c->done = true;
	c->res = SPF_RES_NONE;

	if (ip == NULL)
		return c;
	if (ip->sa_family == AF_INET) {
		c->family = AF_INET;
		memcpy(&c->v4, &((const struct sockaddr_in *)(const void *)ip)->sin_addr,
		       sizeof(c->v4));
	} else if (ip->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)(const void *)ip)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			c->family = AF_INET;
			memcpy(&c->v4, &a->s6_addr[12], sizeof(c->v4));
		} else {
			c->family = AF_INET6;
			c->v6 = *a;
		}
	} else {
		return c;                          /* not an IP client: none */
	}

	if (spf_loopback(c))
		return c;                          /* never libspf2's loopback pass */
	if (helo && strlen(helo) <= BM_SPF_HELO_MAX)
		memcpy(c->helo, helo, strlen(helo) + 1);
	if (!spf_copy_from(mail_from, c->from, sizeof(c->from)))
		return c;                          /* unusable MAIL FROM: none */
	if (c->helo[0] && !spf_domain_ok(c->helo))
		c->helo[0] = '\0';                 /* "[192.0.2.1]", junk: no HELO identity */
	if (c->from[0] == '\0') {
		if (c->helo[0] == '\0')
			return c;                  /* null sender, no usable HELO: none */
	} else {
		at = strrchr(c->from, '@');
		if (at == NULL || at == c->from || !spf_domain_ok(at + 1))
			return c;                  /* malformed domain: none (RFC 7208 4.3) */
	}

	pthread_mutex_lock(&S.lock);
	if (!S.inited || S.stopping || S.queued >= BM_SPF_QUEUE_MAX
	    || !spf_pool_fill()) {
		pthread_mutex_unlock(&S.lock);
		c->res = SPF_RES_TEMPERROR;
		return c;
	}
	c->done = false;
	c->refs = 2;
	c->next = NULL;
	if (S.tail)
		S.tail->next = c;
	else
		S.head = c;
	S.tail = c;
	S.queued++;
	pthread_cond_signal(&S.work);
	pthread_mutex_unlock(&S.lock);
	return c;
}

struct spf_check *spf_start_host(const struct sockaddr *ip, const char *domain)
{
	char from[BM_SPF_FROM_MAX + 1];

	if (domain == NULL || strlen(domain) > 253)
		domain = "";
	snprintf(from, sizeof from, "postmaster@%s", domain);
	return spf_start(ip, NULL, *domain != '\0' ? from : "");
}

enum spf_res spf_wait(struct spf_check *c, unsigned timeout_ms)
{
	struct timespec dl;
	enum spf_res res;

	if (c == NULL)
		return SPF_RES_TEMPERROR;
	if (c == &spf_oom_check)
		return spf_oom_check.res;
	if (clock_gettime(CLOCK_MONOTONIC, &dl) != 0)
		timeout_ms = 0;
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&S.lock);
	while (!c->done && timeout_ms > 0 && spf_done_cond_ok) {
		int rc = pthread_cond_timedwait(&S.done, &S.lock, &dl);
		if (rc == ETIMEDOUT)
			break;
	}
	res = c->done ? c->res : SPF_RES_TEMPERROR;
	pthread_mutex_unlock(&S.lock);
	return res;
}

void spf_free(struct spf_check *c)
{
	if (c == NULL || c == &spf_oom_check)
		return;
	pthread_mutex_lock(&S.lock);
	if (--c->refs == 0)
		free(c);
	pthread_mutex_unlock(&S.lock);
}
