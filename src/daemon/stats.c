/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.c - counters since start (see stats.h): relaxed atomics, rendered
 * on demand as text for people or as Prometheus text exposition.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "classify/classify.h"
#include "daemon/stats.h"

static _Atomic uint64_t st_c[STATS_COUNTER_COUNT];
static _Atomic uint64_t st_cls[BM_CLASS_COUNT];
static _Atomic uint64_t st_reason[BM_REASON_COUNT];
static _Atomic uint64_t st_cause[STATS_CAUSE_COUNT];
static _Atomic uint64_t st_spf[STATS_SPF_COUNT];
static _Atomic uint64_t st_lat[STATS_LAT_BUCKETS + 1];
static _Atomic uint64_t st_lat_sum, st_lat_count;
static _Atomic int64_t st_eom_in_flight, st_connections, st_started;

/* microseconds; the Prometheus bounds are these divided by 1e6 */
static const uint64_t st_lat_us[STATS_LAT_BUCKETS] = {
	250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000,
	1000000, 5000000,
};

static const struct {
	const char *name;
	const char *prom;
	const char *help;
} st_counter_info[STATS_COUNTER_COUNT] = {
	[STATS_MSG_SEEN] = { "messages seen", "messages_seen_total",
		"Messages seen (MAIL FROM) since start." },
	[STATS_MSG_EXAMINED] = { "messages examined", "messages_examined_total",
		"Messages parsed at end of message (null sender, multipart/report, bounce address)." },
	[STATS_LISTED] = { "addresses listed", "listed_total",
		"Addresses appended to the suppression list by bounces, escalation or list add." },
	[STATS_LIST_WRITE_ERRORS] = { "list write errors", "list_write_errors_total",
		"Failed suppression list writes." },
	[STATS_EVENTLOG_WRITE_ERRORS] = { "event log write errors",
		"eventlog_write_errors_total", "Failed event log writes." },
	[STATS_TEMPFAILS] = { "tempfails", "tempfails_total",
		"Messages answered 451 4.3.0." },
	[STATS_ESCALATED] = { "escalated", "escalated_total",
		"Addresses listed by soft-bounce escalation." },
	[STATS_CONTROL_REQUESTS] = { "control requests", "control_requests_total",
		"Requests read on the control socket." },
};

static const char *const st_cause_names[STATS_CAUSE_COUNT] = {
	[STATS_CAUSE_ORIGIN] = "origin",
	[STATS_CAUSE_CAP] = "cap",
	[STATS_CAUSE_ALLOWLIST] = "allowlist",
	[STATS_CAUSE_ALREADY] = "already-listed",
	[STATS_CAUSE_INVALID] = "invalid",
	[STATS_CAUSE_WRITE_ERROR] = "write-error",
	[STATS_CAUSE_OTHER] = "other",
};

#define ST_ADD(v, n) atomic_fetch_add_explicit(&(v), (n), memory_order_relaxed)
#define ST_GET(v) atomic_load_explicit(&(v), memory_order_relaxed)

void
stats_init(void)
{
	atomic_store(&st_started, (int64_t)time(NULL));
}

void
stats_inc(enum stats_counter c)
{
	if ((unsigned)c < STATS_COUNTER_COUNT)
		ST_ADD(st_c[c], 1);
}

void
stats_rcpt(enum bm_class cls, enum bm_reason reason)
{
	if ((unsigned)cls < BM_CLASS_COUNT)
		ST_ADD(st_cls[cls], 1);
	if ((unsigned)reason < BM_REASON_COUNT)
		ST_ADD(st_reason[reason], 1);
}

void
stats_not_listed(enum stats_cause cause)
{
	if ((unsigned)cause >= STATS_CAUSE_COUNT)
		cause = STATS_CAUSE_OTHER;
	ST_ADD(st_cause[cause], 1);
}

enum stats_cause
stats_cause_from_why(const char *why)
{
	static const struct {
		const char *prefix;
		enum stats_cause cause;
	} map[] = {
		{ "spf", STATS_CAUSE_ORIGIN }, { "verp", STATS_CAUSE_ORIGIN },
		{ "origin", STATS_CAUSE_ORIGIN }, { "untrusted", STATS_CAUSE_ORIGIN },
		{ "unsigned", STATS_CAUSE_ORIGIN }, { "bad-tag", STATS_CAUSE_ORIGIN },
		{ "expired-tag", STATS_CAUSE_ORIGIN },
		{ "message-cap", STATS_CAUSE_CAP }, { "rate-cap", STATS_CAUSE_CAP },
		{ "domain-cap", STATS_CAUSE_CAP },
		{ "cap", STATS_CAUSE_CAP }, { "allowlist", STATS_CAUSE_ALLOWLIST },
		{ "already", STATS_CAUSE_ALREADY }, { "no-address", STATS_CAUSE_INVALID },
		{ "unlistable", STATS_CAUSE_INVALID },
		{ "invalid", STATS_CAUSE_INVALID }, { "write-error", STATS_CAUSE_WRITE_ERROR },
	};

	if (why == NULL)
		return STATS_CAUSE_OTHER;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(why, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].cause;
	return STATS_CAUSE_OTHER;
}

void
stats_spf(enum spf_res r)
{
	if ((unsigned)r < STATS_SPF_COUNT)
		ST_ADD(st_spf[r], 1);
}

void
stats_eom_begin(void)
{
	ST_ADD(st_eom_in_flight, 1);
}

void
stats_eom_end(uint64_t micros)
{
	unsigned i = 0;

	while (i < STATS_LAT_BUCKETS && micros > st_lat_us[i])
		i++;
	ST_ADD(st_lat[i], 1);
	ST_ADD(st_lat_sum, micros);
	ST_ADD(st_lat_count, 1);
	ST_ADD(st_eom_in_flight, -1);
}

void
stats_connection(int delta)
{
	ST_ADD(st_connections, delta);
}

double
stats_lat_bound(unsigned i)
{
	return i < STATS_LAT_BUCKETS ? (double)st_lat_us[i] / 1e6 : 0.0;
}

const char *
stats_cause_name(enum stats_cause c)
{
	return (unsigned)c < STATS_CAUSE_COUNT ? st_cause_names[c] : "other";
}

void
stats_snapshot(struct stats_snap *s)
{
	memset(s, 0, sizeof *s);
	for (unsigned i = 0; i < STATS_COUNTER_COUNT; i++)
		s->c[i] = ST_GET(st_c[i]);
	for (unsigned i = 0; i < BM_CLASS_COUNT; i++)
		s->cls[i] = ST_GET(st_cls[i]);
	for (unsigned i = 0; i < BM_REASON_COUNT; i++)
		s->reason[i] = ST_GET(st_reason[i]);
	for (unsigned i = 0; i < STATS_CAUSE_COUNT; i++)
		s->cause[i] = ST_GET(st_cause[i]);
	for (unsigned i = 0; i < STATS_SPF_COUNT; i++)
		s->spf[i] = ST_GET(st_spf[i]);
	for (unsigned i = 0; i <= STATS_LAT_BUCKETS; i++)
		s->lat[i] = ST_GET(st_lat[i]);
	s->lat_sum_us = ST_GET(st_lat_sum);
	s->lat_count = ST_GET(st_lat_count);
	s->eom_in_flight = ST_GET(st_eom_in_flight);
	s->connections = ST_GET(st_connections);
	s->started = ST_GET(st_started);
	sink_pg_get_status(&s->pg);
}

/* ------------------------------------------------------------------ text */

static void
st_text_list(struct buf *b, const char *title, const uint64_t *v, unsigned n,
             const char *(*name)(unsigned))
{
	bool any = false;

	(void)buf_printf(b, "%-22s", title);
	for (unsigned i = 0; i < n; i++) {
		if (v[i] == 0)
			continue;
		(void)buf_printf(b, " %s=%llu", name(i), (unsigned long long)v[i]);
		any = true;
	}
	(void)buf_printf(b, "%s\n", any ? "" : " -");
}

static const char *st_cls_name_off1(unsigned i) { return bm_class_name((enum bm_class)(i + 1)); }
static const char *st_reason_name(unsigned i) { return reason_name((enum bm_reason)i); }
static const char *st_cause_name(unsigned i) { return stats_cause_name((enum stats_cause)i); }
static const char *st_spf_name(unsigned i) { return spf_res_name((enum spf_res)i); }

static void
st_render_text(struct buf *b, const struct stats_snap *s)
{
	uint64_t cum = 0;

	(void)buf_printf(b, "%-22s %lld s\n", "uptime",
	    (long long)((int64_t)time(NULL) - s->started));
	for (unsigned i = 0; i < STATS_COUNTER_COUNT; i++)
		(void)buf_printf(b, "%-22s %llu\n", st_counter_info[i].name,
		    (unsigned long long)s->c[i]);
	st_text_list(b, "recipients by class", s->cls + 1, BM_CLASS_COUNT - 1,
	    st_cls_name_off1);
	st_text_list(b, "recipients by reason", s->reason, BM_REASON_COUNT, st_reason_name);
	st_text_list(b, "not listed", s->cause, STATS_CAUSE_COUNT, st_cause_name);
	st_text_list(b, "spf", s->spf, STATS_SPF_COUNT, st_spf_name);
	(void)buf_printf(b, "%-22s", "eom latency");
	for (unsigned i = 0; i <= STATS_LAT_BUCKETS; i++) {
		cum += s->lat[i];
		if (i < STATS_LAT_BUCKETS)
			(void)buf_printf(b, " <=%gms:%llu", (double)st_lat_us[i] / 1000.0,
			    (unsigned long long)cum);
	}
	(void)buf_printf(b, " all:%llu avg=%.3fms\n", (unsigned long long)cum,
	    s->lat_count > 0 ? (double)s->lat_sum_us / (double)s->lat_count / 1000.0 : 0.0);
	(void)buf_printf(b, "%-22s %lld\n", "eom in flight", (long long)s->eom_in_flight);
	(void)buf_printf(b, "%-22s %lld\n", "connections", (long long)s->connections);
	if (s->pg.state != SINK_PG_OFF)
		(void)buf_printf(b, "%-22s %s, shipped %llu, refused %llu, backlog %llu bytes\n",
		    "pgsql shipper", sink_pg_state_name(s->pg.state),
		    (unsigned long long)s->pg.shipped, (unsigned long long)s->pg.refused,
		    (unsigned long long)s->pg.backlog_bytes);
	if (s->pg.state != SINK_PG_OFF && (s->pg.events_shipped > 0 || s->pg.events_backlog_bytes > 0))
		(void)buf_printf(b, "%-22s shipped %llu, backlog %llu bytes\n", "pgsql events",
		    (unsigned long long)s->pg.events_shipped,
		    (unsigned long long)s->pg.events_backlog_bytes);
}

/* ------------------------------------------------------------------ prometheus */

#define ST_PFX "bounce_milter_"

static void
st_prom_head(struct buf *b, const char *name, const char *type, const char *help)
{
	(void)buf_printf(b, "# HELP " ST_PFX "%s %s\n# TYPE " ST_PFX "%s %s\n", name,
	    help, name, type);
}

static void
st_prom_labelled(struct buf *b, const char *name, const char *help,
                 const char *label, const uint64_t *v, unsigned from, unsigned n,
                 const char *(*vname)(unsigned))
{
	st_prom_head(b, name, "counter", help);
	for (unsigned i = from; i < n; i++)
		(void)buf_printf(b, ST_PFX "%s{%s=\"%s\"} %llu\n", name, label, vname(i),
		    (unsigned long long)v[i]);
}

static const char *st_cls_name(unsigned i) { return bm_class_name((enum bm_class)i); }

static void
st_render_prom(struct buf *b, const struct stats_snap *s)
{
	uint64_t cum = 0;

	for (unsigned i = 0; i < STATS_COUNTER_COUNT; i++) {
		st_prom_head(b, st_counter_info[i].prom, "counter", st_counter_info[i].help);
		(void)buf_printf(b, ST_PFX "%s %llu\n", st_counter_info[i].prom,
		    (unsigned long long)s->c[i]);
	}
	st_prom_labelled(b, "recipients_total", "Recipients reported by examined bounces, by class.",
	    "class", s->cls, 1, BM_CLASS_COUNT, st_cls_name);
	st_prom_labelled(b, "recipient_reasons_total",
	    "Recipients reported by examined bounces, by reason.", "reason", s->reason, 0,
	    BM_REASON_COUNT, st_reason_name);
	st_prom_labelled(b, "not_listed_total",
	    "Recipients that were candidates for the list but not listed, by cause.", "cause",
	    s->cause, 0, STATS_CAUSE_COUNT, st_cause_name);
	st_prom_labelled(b, "spf_results_total", "SPF results of examined bounces.", "result",
	    s->spf, 0, STATS_SPF_COUNT, st_spf_name);
	st_prom_head(b, "eom_duration_seconds", "histogram",
	    "Time spent in end of message for examined messages.");
	for (unsigned i = 0; i <= STATS_LAT_BUCKETS; i++) {
		cum += s->lat[i];
		if (i < STATS_LAT_BUCKETS)
			(void)buf_printf(b, ST_PFX "eom_duration_seconds_bucket{le=\"%g\"} %llu\n",
			    (double)st_lat_us[i] / 1e6, (unsigned long long)cum);
		else
			(void)buf_printf(b, ST_PFX "eom_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			    (unsigned long long)cum);
	}
	(void)buf_printf(b, ST_PFX "eom_duration_seconds_sum %.6f\n",
	    (double)s->lat_sum_us / 1e6);
	(void)buf_printf(b, ST_PFX "eom_duration_seconds_count %llu\n",
	    (unsigned long long)s->lat_count);
	st_prom_head(b, "eom_in_flight", "gauge", "Ends of message being processed now.");
	(void)buf_printf(b, ST_PFX "eom_in_flight %lld\n", (long long)s->eom_in_flight);
	st_prom_head(b, "connections", "gauge", "Open MTA connections.");
	(void)buf_printf(b, ST_PFX "connections %lld\n", (long long)s->connections);
	st_prom_head(b, "start_time_seconds", "gauge", "Start time of the daemon, unix seconds.");
	(void)buf_printf(b, ST_PFX "start_time_seconds %lld\n", (long long)s->started);
	if (s->pg.state == SINK_PG_OFF)
		return;
	st_prom_head(b, "pgsql_up", "gauge",
	    "1 while the PostgreSQL shipper is connected and shipping, else 0.");
	(void)buf_printf(b, ST_PFX "pgsql_up %d\n", s->pg.state == SINK_PG_UP);
	st_prom_head(b, "pgsql_shipped_total", "counter",
	    "List entries stored in PostgreSQL by committed batches.");
	(void)buf_printf(b, ST_PFX "pgsql_shipped_total %llu\n", (unsigned long long)s->pg.shipped);
	st_prom_head(b, "pgsql_refused_total", "counter",
	    "List entries the server refused for their data and that were passed over.");
	(void)buf_printf(b, ST_PFX "pgsql_refused_total %llu\n", (unsigned long long)s->pg.refused);
	st_prom_head(b, "pgsql_backlog_bytes", "gauge",
	    "Bytes of the local list not yet stored in PostgreSQL.");
	(void)buf_printf(b, ST_PFX "pgsql_backlog_bytes %llu\n",
	    (unsigned long long)s->pg.backlog_bytes);
	st_prom_head(b, "pgsql_events_shipped_total", "counter",
	    "Event log lines stored in PostgreSQL by committed batches.");
	(void)buf_printf(b, ST_PFX "pgsql_events_shipped_total %llu\n",
	    (unsigned long long)s->pg.events_shipped);
	st_prom_head(b, "pgsql_events_backlog_bytes", "gauge",
	    "Bytes of the event log not yet stored in PostgreSQL.");
	(void)buf_printf(b, ST_PFX "pgsql_events_backlog_bytes %llu\n",
	    (unsigned long long)s->pg.events_backlog_bytes);
}

int
stats_render(struct buf *b, bool prometheus)
{
	struct stats_snap s;

	stats_snapshot(&s);
	if (prometheus)
		st_render_prom(b, &s);
	else
		st_render_text(b, &s);
	return b->truncated ? -1 : 0;
}
