/*
 * escalate.h - soft-bounce escalation (off by default).
 *
 * An address that soft-bounces for a persistent reason (escalate.reasons)
 * on at least escalate.days distinct UTC days within escalate.window_days
 * is listed with reason "escalated:REASON".  escalate_note() records one
 * trusted soft bounce: the day it happened on (escalate_clock_now()), in
 * memory and, the first time a day is seen for that address and reason,
 * as one line "DAY<TAB>REASON<TAB>ADDRESS" appended to the state file and
 * fsync'd before it returns; *reached says the threshold is met (the days
 * stay until they leave the window, so a later soft bounce reaches it
 * again: the list's dedupe set makes that a no-op).
 * The state file is the memory across restarts: escalate_configure() reads
 * it at start-up (a million lines: 0.6 s, 45 MB; bench-escalate-load), drops
 * days outside the window and rewrites it compacted (new file, fsync,
 * rename, directory fsync).  At most ESCALATE_MAX_ENTRIES addresses are
 * tracked; beyond that, new ones are not (logged once).  Thread-safe (one
 * mutex).  escalate_clock_now() lives in its own file so that tests can
 * replace it at link time (-Wl,--wrap=escalate_clock_now).
 */
#ifndef BM_ESCALATE_H
#define BM_ESCALATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define ESCALATE_MAX_ENTRIES 2000000
#define ESCALATE_DAY 86400

struct bm_config;

time_t escalate_clock_now(void);

/* Open (or switch to) the state file when escalation is enabled; a no-op
 * when it is already open at the same path.  0 or -1 (err). */
int escalate_configure(const struct bm_config *cfg, char *err, size_t errsz);
/* 0 (with *reached), or -1 (err: the state could not be saved; nothing
 * was recorded). */
int escalate_note(const char *addr, const char *reason, unsigned days,
                  unsigned window, bool *reached, char *err, size_t errsz);
/* Addresses tracked now. */
size_t escalate_tracked(void);
/* Close the state and forget it (tests). */
void escalate_reset(void);

#endif
