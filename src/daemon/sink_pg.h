/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_pg.h - ship the local suppression list to PostgreSQL (DESIGN 10).
 *
 * The local list stays the durable journal: a bounce is acknowledged once
 * its entry is fsync'd locally, and nothing here ever runs inside a milter
 * callback.  sink_pg_start() starts one thread that reads new entries
 * (suppress/journal.h), writes each batch with one idempotent
 * "INSERT ... ON CONFLICT (address) DO NOTHING" (its own transaction), and
 * only then records its position durably.  A crash between the commit and
 * the position re-sends that batch, which the upsert absorbs.  While the
 * server is down or refuses (wrong password, missing table), entries wait
 * in the journal; the thread retries with a doubling back-off (capped) and
 * logs each change of state once, not every retry.  A row that the server
 * refuses for its data (SQLSTATE class 22) is logged and passed over, so
 * one bad hand-written line cannot stall the rest.
 * Only this module includes <libpq-fe.h>.
 */
#ifndef BM_SINK_PG_H
#define BM_SINK_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "suppress/suppress.h"

struct sink_pg_opts {
	const char *conninfo;       /* libpq connection string (key=value or URI) */
	const char *table;          /* [schema.]table, checked by sink_pg_table_valid() */
	const char *host;           /* this MX's name, written in every row */
	const char *list;           /* the suppression list (the journal) */
	const char *position;       /* the shipper's position file */
	enum suppress_format format;
	bool fold_local;
	unsigned batch;             /* rows per INSERT, 1..1000 */
	unsigned retry_max_s;       /* back-off cap, seconds */
	unsigned poll_ms;           /* how often an idle shipper looks */
	/* the event log (eventlog.h), shipped the same way into its own
	 * table, one row per line keyed by a hash of host and line; NULL or
	 * "" file: not shipped */
	const char *events;
	const char *events_position;
	const char *events_table;
};

enum sink_pg_state { SINK_PG_OFF = 0, SINK_PG_CONNECTING, SINK_PG_UP, SINK_PG_DOWN };

struct sink_pg_status {
	enum sink_pg_state state;
	uint64_t shipped;           /* rows sent in committed batches */
	uint64_t refused;           /* rows the server refused for their data */
	uint64_t backlog_bytes;     /* journal bytes not yet committed */
	uint64_t events_shipped;    /* event log lines stored */
	uint64_t events_backlog_bytes;
};

/* Letters, digits and '_', one optional "schema." prefix, <= 63 per part. */
bool sink_pg_table_valid(const char *table);

/* The connection string from its file (at most 4096 bytes; '#' lines and
 * line ends dropped), malloc'd; NULL with err set. */
char *sink_pg_read_conninfo(const char *path, char *err, size_t errsz);

/* Copies the options and starts the thread; 0, or -1 with err set. */
int sink_pg_start(const struct sink_pg_opts *o, char *err, size_t errsz);
/* Stops the thread after its current batch (the position stays right). */
void sink_pg_stop(void);
void sink_pg_get_status(struct sink_pg_status *st);
const char *sink_pg_state_name(enum sink_pg_state s);

#endif
