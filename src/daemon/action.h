/*
 * action.h - what the milter does at end of message, without libmilter.
 *
 * action_eom() runs once per examined message: one bounce_parse() over the
 * kept bytes, the SPF verdict (spf_wait, or a trusted Authentication-Results
 * pass), VERP decoding, the suppression decision per recipient (configured
 * classes/reasons, trust.spf policy, per-message and per-client-IP caps,
 * addresses already listed are skipped), one durable suppress_append() for
 * the new entries, one log line per recipient, and the X-Bounce-* headers to
 * add (sanitised; one line up to 998 octets, folded at white space beyond).  The caller (milter.c) applies the plan: on
 * plan.tempfail it answers 451 4.3.0 and changes nothing; otherwise it deletes
 * the forged headers and adds plan.hdrs in order.  Not-bounces get no headers.
 * The shared suppression list is swapped under a read-write lock by
 * action_list_open() (start-up and SIGUSR1); everything else is per call.
 */
#ifndef BM_ACTION_H
#define BM_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#define BM_ACTION_VALUE_MAX 2048   /* one folded header value */
#define BM_ACTION_RCPT_HDRS 100    /* X-Bounce-Recipient headers per message */

struct bm_config;
struct session;
struct suppress_list;

struct action_header {
	const char *name;
	char value[BM_ACTION_VALUE_MAX];
};

struct action_plan {
	bool tempfail;                 /* answer 451 4.3.0, change nothing */
	struct action_header *hdrs;    /* headers to add, in order */
	size_t nhdrs;
};

/* Process-wide state: the rate table.  0 or -1. */
int action_init(void);
void action_shutdown(void);

/* Open the list named by cfg, or reopen the current one when path and
 * options are unchanged; on failure the old list stays.  0 or -1 (err). */
int action_list_open(const struct bm_config *cfg, char *err, size_t errsz);

/* The current list for the control socket, held (a read lock) until
 * action_list_release(): a reload cannot swap it meanwhile.  May be NULL. */
struct suppress_list *action_list_hold(void);
void action_list_release(void);

/* Decide, write and log; fill plan (free with action_plan_free). */
void action_eom(struct session *s, struct action_plan *plan);
void action_plan_free(struct action_plan *plan);

#endif
