/*
 * spf.h - SPF check of a bounce's origin (libspf2 lives only in spf.c).
 *
 * For null-sender mail the identity is the HELO name (RFC 7208 section 2.3,
 * MAIL FROM becomes postmaster@<helo>); otherwise MAIL FROM.  spf_start()
 * begins the lookup at once on a thread of this module, so that DNS never
 * blocks libmilter's worker pool; spf_wait() at end-of-message waits at most
 * timeout_ms and reports SPF_RES_TEMPERROR past that.  A DNS failure is a
 * result (temperror), never a crash: no NULL ever reaches libspf2's
 * asserting setters.  spf_init() runs once per process (resolver with a
 * cache, or an in-memory zone loaded from a file for tests); lookups run on
 * a fixed pool of 8 threads, each owning its own libspf2 server (libspf2
 * promises no thread safety), fed by a queue of at most 1024 checks (past
 * that: temperror at once).  Local overrides (HELO names and networks that
 * count as pass) are decided before any lookup.  An unusable identity
 * (no IP, null sender with no HELO, HELO not a domain name) gives none.
 * libspf2 itself gives loopback clients a pass.  All calls are thread-safe.
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

struct spf_overrides {
	const char *const *pass_helo;     /* NULL-terminated list of HELO names */
	const char *const *pass_networks; /* NULL-terminated "192.0.2.0/24", "2001:db8::/32", "127.0.0.1" */
};

struct spf_check;

/* Once per process, before threads serve mail.  zone_file NULL or "" uses the
 * system resolver; otherwise an in-memory DNS zone is loaded from the file
 * (lines "name TYPE data", e.g. "mx.example.net TXT v=spf1 ip4:192.0.2.0/24 -all").
 * Returns 0, or -1 with err set. */
int spf_init(const char *zone_file, char *err, size_t errsz);
void spf_shutdown(void);

/* Validate an override list entry ("10.0.0.0/8", "::1"); for config checks. */
bool spf_network_valid(const char *net);

/* Start a check; never NULL (out of memory gives a check that reports temperror).
 * ip may be NULL (non-socket client): the result is then none. */
struct spf_check *spf_start(const struct sockaddr *ip, const char *helo,
                            const char *mail_from, const struct spf_overrides *ov);
/* Wait up to timeout_ms for the result; may be called more than once. */
enum spf_res spf_wait(struct spf_check *c, unsigned timeout_ms);
/* Free the check; safe while the lookup is still running (it is detached). */
void spf_free(struct spf_check *c);

const char *spf_res_name(enum spf_res r);  /* "pass", "fail", ... */

#endif
