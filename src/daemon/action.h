/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * action.h - what the milter does at end of message, without libmilter.
 *
 * action_eom() runs once per examined message: one bounce_parse() over the
 * kept bytes (a message past max_total_message_bytes is tempfailed
 * instead), the origin level per recipient (signed: a valid VERP/BATV tag;
 * trusted: a configured relay; aligned: SPF check_host() for the listed
 * address's domain, lookups bounded by trust.spf_timeout_ms, or our one
 * Authentication-Results for that domain; else unaligned), the suppression
 * decision (configured classes/reasons and trust.origins; with signing
 * keys, no valid tag never suppresses; caps per message, per client
 * network, per recipient domain; addresses the list cannot hold and those
 * already listed are skipped), one durable suppress_append() for the new
 * entries, then report.c's log lines and X-Bounce-* headers.  The caller
 * (milter.c) applies the plan: on plan.tempfail it answers 451 4.3.0 and
 * changes nothing; otherwise it deletes the forged headers and adds
 * plan.hdrs in order.  Not-bounces get no headers.
 * The shared suppression list is swapped under a read-write lock by
 * action_list_open() (start-up and SIGUSR1); everything else is per call.
 */
#ifndef BM_ACTION_H
#define BM_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/action_ctx.h"


struct bm_config;
struct session;
struct suppress_list;


/* Process-wide state: the rate table.  0 or -1.  It lives as long as the
 * process (the daemon never tears it down before exit). */
int action_init(void);

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
