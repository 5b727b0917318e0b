/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf.h - SPF check of a bounce's origin (libspf2 lives only in spf.c).
 *
 * For null-sender mail the identity is the HELO name (RFC 7208 section 2.3,
 * MAIL FROM becomes postmaster@<helo>); otherwise MAIL FROM.  spf_start()
 * begins the lookup at once on a thread of this module, so that DNS never
 * blocks libmilter's worker pool; spf_wait() at end-of-message waits at most
 * timeout_ms and reports SPF_RES_TEMPERROR past that.  A DNS failure is a
 * result (temperror), never a crash: no NULL ever reaches libspf2's
 * asserting setters.  spf_init() runs once per process (the system resolver
 * with libspf2's cache; tests swap the server at link time); lookups run on
 * a fixed pool of 8 threads, each owning its own libspf2 server (libspf2
 * promises no thread safety), fed by a queue of at most 1024 checks (past
 * that: temperror at once).  An unusable identity (no IP, null sender with
 * no HELO, HELO not a domain name) gives none, and so does a loopback
 * client (127/8, ::1): libspf2 would pass it, but any local user is one.
 * spf_start_host() is RFC 7208 check_host() for a domain of the caller's
 * choosing (the failed recipient's, for alignment).  All calls are
 * thread-safe.
 */
#ifndef BM_SPF_H
#define BM_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

enum spf_res {
	SPF_RES_NONE = 0,
	SPF_RES_NEUTRAL,
	SPF_RES_PASS,
	SPF_RES_FAIL,
	SPF_RES_SOFTFAIL,
	SPF_RES_TEMPERROR,
	SPF_RES_PERMERROR,
	SPF_RES_OFF,         /* checking disabled by policy */
};

struct spf_check;

/* Once per process, before threads serve mail.  Returns 0, or -1 with err set. */
int spf_init(char *err, size_t errsz);
void spf_shutdown(void);

/* Start a check; never NULL (out of memory gives a check that reports temperror).
 * ip may be NULL (non-socket client): the result is then none. */
struct spf_check *spf_start(const struct sockaddr *ip, const char *helo,
                            const char *mail_from);
/* check_host(ip, domain, "postmaster@domain"): is ip allowed to send for
 * domain?  Same pool, same rules (loopback and a bad domain give none). */
struct spf_check *spf_start_host(const struct sockaddr *ip, const char *domain);
/* Wait up to timeout_ms for the result; may be called more than once. */
enum spf_res spf_wait(struct spf_check *c, unsigned timeout_ms);
/* Free the check; safe while the lookup is still running (it is detached). */
void spf_free(struct spf_check *c);

const char *spf_res_name(enum spf_res r);  /* "pass", "fail", ... */

#endif
