/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * escalate.h - soft-bounce escalation (off by default).
 *
 * escalate_note() records one trusted soft bounce for a persistent reason
 * on the day of escalate_clock_now(): in memory, and the first time a day
 * is seen for that address and reason, as a line "DAY<TAB>REASON<TAB>ADDRESS"
 * appended and fsync'd to the state file.  *reached: at least `days`
 * distinct UTC days within `window` (days stay until they leave the window;
 * the list's dedupe set makes a repeat a no-op).  escalate_configure()
 * reads the state at start-up (a million lines: 0.6 s, 45 MB), drops days
 * outside the window and rewrites it (new file, fsync, rename).  At most
 * ESCALATE_MAX_ENTRIES addresses are tracked.  Thread-safe.
 * escalate_clock_now() is alone in its file so tests can replace it
 * (-Wl,--wrap=escalate_clock_now).
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
