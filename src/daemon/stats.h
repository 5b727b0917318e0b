/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.h - the daemon's counters since start, for the control socket.
 *
 * Every update is one relaxed atomic add on a 64-bit counter (no lock; a
 * reader may see one counter a step ahead of another, never a torn value).
 * Counters: messages seen (MAIL FROM) and examined; recipients per class and
 * per reason; listed; not listed by cause; SPF results of examined bounces;
 * list and event-log write errors; tempfails; escalations; an end-of-message
 * latency histogram (fixed buckets, microseconds) and two gauges (ends of
 * message in progress, open MTA connections), and the PostgreSQL shipper's
 * state, rows shipped and refused, and backlog (sink_pg.h) when it runs.  stats_render() writes the
 * human or the Prometheus text form (exposition format 0.0.4) into a buf;
 * stats_snapshot() copies every value for the periodic syslog summary.
 * Thread-safe; no allocation except in the caller's buf.
 */
#ifndef BM_STATS_H
#define BM_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "classify/reason.h"
#include "classify/record.h"
#include "daemon/sink_pg.h"
#include "trust/spf.h"
#include "util/buf.h"

enum stats_counter {
	STATS_MSG_SEEN = 0,
	STATS_MSG_EXAMINED,
	STATS_LISTED,
	STATS_LIST_WRITE_ERRORS,
	STATS_EVENTLOG_WRITE_ERRORS,
	STATS_TEMPFAILS,
	STATS_ESCALATED,
	STATS_CONTROL_REQUESTS,
	STATS_COUNTER_COUNT
};

/* Why a candidate recipient was not listed. */
enum stats_cause {
	STATS_CAUSE_ORIGIN = 0,    /* origin level not allowed; tag missing, bad, expired */
	STATS_CAUSE_CAP,           /* per-message, per-network or per-domain cap */
	STATS_CAUSE_ALLOWLIST,
	STATS_CAUSE_ALREADY,       /* already on the list */
	STATS_CAUSE_INVALID,       /* no valid address */
	STATS_CAUSE_WRITE_ERROR,   /* on_error = accept after a failed write */
	STATS_CAUSE_OTHER,
	STATS_CAUSE_COUNT
};

#define STATS_SPF_COUNT (SPF_RES_OFF + 1)
#define STATS_LAT_BUCKETS 12

struct stats_snap {
	uint64_t c[STATS_COUNTER_COUNT];
	uint64_t cls[BM_CLASS_COUNT];
	uint64_t reason[BM_REASON_COUNT];
	uint64_t cause[STATS_CAUSE_COUNT];
	uint64_t spf[STATS_SPF_COUNT];
	uint64_t lat[STATS_LAT_BUCKETS + 1];   /* per bucket (not cumulative), last = +Inf */
	uint64_t lat_sum_us, lat_count;
	int64_t eom_in_flight, connections;
	int64_t started;                       /* unix time of stats_init */
	struct sink_pg_status pg;              /* the PostgreSQL shipper (off if none) */
};

void stats_init(void);
void stats_inc(enum stats_counter c);
void stats_rcpt(enum bm_class cls, enum bm_reason reason);
void stats_not_listed(enum stats_cause cause);
/* The log's why= words ("spf-policy", "rate-cap", ...) -> a cause. */
enum stats_cause stats_cause_from_why(const char *why);
void stats_spf(enum spf_res r);
void stats_eom_begin(void);
void stats_eom_end(uint64_t micros);
void stats_connection(int delta);

void stats_snapshot(struct stats_snap *s);
/* Append the text; -1 when the buf's cap was reached (output truncated). */
int stats_render(struct buf *b, bool prometheus);
/* Upper bound of latency bucket i in seconds (i < STATS_LAT_BUCKETS). */
double stats_lat_bound(unsigned i);
const char *stats_cause_name(enum stats_cause c);

#endif
