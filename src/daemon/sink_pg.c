/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_pg.c - ship the local suppression list to PostgreSQL (see sink_pg.h).
 *
 * One thread, one connection.  The SQL is built per batch with one
 * parameter per field ($1..$8 per row), so no value is ever pasted into
 * the statement; the table name is checked and quoted once at start.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "daemon/sink_pg.h"
#include "suppress/journal.h"
#include "util/log.h"

#define SINK_PG_COLS 8
#define SINK_PG_BATCH_MAX 1000
#define SINK_PG_SQL_ROW 96
#define SINK_PG_CONNINFO_MAX 4096          /* "($1,COALESCE(...)...,$8)," at most */

static const char sink_pg_sql_head[] =
	"INSERT INTO %s (address, first_seen, status, reason, reporting_mta, "
	"queue_id, host, origin) VALUES ";
static const char sink_pg_sql_tail[] = " ON CONFLICT (address) DO NOTHING";

/* Events: the row's key is a hash of host and line, so a batch sent again
 * after a crash is absorbed like the list's. */
#define SINK_PG_EV_BATCH 100
#define SINK_PG_EV_LINE_MAX 8192    /* longer lines are not ours: passed over */
static const char sink_pg_ev_head[] = "INSERT INTO %s (event_id, host, event) VALUES ";
static const char sink_pg_ev_row[] =
	"%s(encode(sha256(convert_to($1 || E'\\n' || $%u, 'UTF8')), 'hex'), $1, $%u::jsonb)";
static const char sink_pg_ev_tail[] = " ON CONFLICT (event_id) DO NOTHING";

struct sink_pg {
	struct sink_pg_opts o;      /* strings below are owned copies */
	char *conninfo, *host, *list, *position, *table;
	char *events, *events_position, *events_table;
	char qtable[160];           /* "schema"."table", quoted */
	char qevents[160];
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;       /* stop flag, wake-up, status */
	pthread_cond_t wake;
	bool stop;
	struct sink_pg_status st;
	bool down_logged;           /* an outage is logged and not yet over */
};

static struct sink_pg S = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
};

const char *
sink_pg_state_name(enum sink_pg_state s)
{
	switch (s) {
	case SINK_PG_CONNECTING: return "connecting";
	case SINK_PG_UP: return "up";
	case SINK_PG_DOWN: return "down";
	default: return "off";
	}
}

static bool
sink_pg_ident_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

bool
sink_pg_table_valid(const char *table)
{
	const char *dot = strchr(table, '.');

	if (dot == NULL)
		return sink_pg_ident_ok(table, strlen(table));
	return sink_pg_ident_ok(table, (size_t)(dot - table)) &&
	    sink_pg_ident_ok(dot + 1, strlen(dot + 1));
}

/* "a.b" -> "\"a\".\"b\"" (valid names hold no quote to escape). */
static void
sink_pg_quote_table(const char *table, char *out, size_t outsz)
{
	const char *dot = strchr(table, '.');

	if (dot == NULL)
		snprintf(out, outsz, "\"%s\"", table);
	else
		snprintf(out, outsz, "\"%.*s\".\"%s\"", (int)(dot - table), table, dot + 1);
}

/* An RFC 3339 UTC stamp as the list writes it, or "" (the server's now()):
 * a malformed hand-written stamp must not make the whole batch fail. */
static const char *
sink_pg_stamp(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return "";
	}
	return s[sizeof(shape) - 1] == '\0' ? s : "";
}

/* ------------------------------------------------------------ state */

static void
sink_pg_set_state(enum sink_pg_state s)
{
	pthread_mutex_lock(&S.lock);
	S.st.state = s;
	pthread_mutex_unlock(&S.lock);
}

/* One log line when shipping stops (with the first reason) and one when
 * it resumes, never one per retry: an outage that changes its symptom
 * (server gone, then refusing connections) is still one outage. */
static void
sink_pg_down(const char *why)
{
	bool changed;

	pthread_mutex_lock(&S.lock);
	changed = !S.down_logged;
	S.st.state = SINK_PG_DOWN;
	S.down_logged = true;
	pthread_mutex_unlock(&S.lock);
	if (changed)
		log_msg(LOG_ERR, "pgsql: shipping stopped: %s; entries wait in the "
		    "local list, retrying", why);
}

static void
sink_pg_up(uint64_t backlog)
{
	bool changed;

	pthread_mutex_lock(&S.lock);
	changed = S.st.state != SINK_PG_UP;
	S.st.state = SINK_PG_UP;
	S.down_logged = false;
	pthread_mutex_unlock(&S.lock);
	if (changed)
		log_msg(LOG_INFO, "pgsql: connected, shipping to %s (backlog %llu bytes)",
		    S.o.table, (unsigned long long)backlog);
}

/* Sleep ms, or less when stopped; returns true when stopping. */
static bool
sink_pg_sleep(unsigned ms)
{
	struct timespec ts;
	bool stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&S.lock);
	while (!S.stop) {
		if (pthread_cond_timedwait(&S.wake, &S.lock, &ts) == ETIMEDOUT)
			break;
	}
	stop = S.stop;
	pthread_mutex_unlock(&S.lock);
	return stop;
}

/* ------------------------------------------------------------ SQL */

static PGconn *
sink_pg_connect(char *why, size_t whysz)
{
	/* our defaults first: the admin's connection string, expanded at
	 * "dbname", comes last and wins (libpq keeps the last value) */
	const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
	const char *const vals[] = { "10", "bounce-milter", S.conninfo, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (c == NULL) {
		snprintf(why, whysz, "cannot connect: out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		const char *m = PQerrorMessage(c);
		size_t n;

		snprintf(why, whysz, "cannot connect: %s", m != NULL && *m ? m : "unknown error");
		n = strlen(why);
		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			why[--n] = '\0';
		for (char *p = why; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* The server's words for a failed statement, on one line. */
static void
sink_pg_why(PGconn *c, PGresult *r, char *why, size_t whysz)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *m = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (m == NULL)
		m = PQerrorMessage(c);
	if (state != NULL && strcmp(state, "42P01") == 0)
		snprintf(why, whysz, "table %s does not exist (apply sql/schema.sql): %s",
		    S.o.table, m);
	else
		snprintf(why, whysz, "%s%s%s", state != NULL ? state : "", state != NULL ? " " : "",
		    m != NULL && *m ? m : "unknown error");
	for (char *p = why; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

/* The statement and its parameters, on the shipper's heap. */
#define SINK_PG_SQL_MAX (sizeof(sink_pg_sql_head) + 160 + \
	SINK_PG_BATCH_MAX * SINK_PG_SQL_ROW + sizeof(sink_pg_sql_tail))
struct sink_pg_stmt {
	char sql[SINK_PG_SQL_MAX];
	const char *vals[SINK_PG_BATCH_MAX * SINK_PG_COLS];
};

/* INSERT rows[0..n); 0, or the result's SQLSTATE class in *cls and -1. */
static int
sink_pg_insert(PGconn *c, struct sink_pg_stmt *q,
               const struct suppress_line_fields *rows, size_t n,
               char *cls, char *why, size_t whysz)
{
	char *sql = q->sql;
	const char **vals = q->vals;
	const size_t sqlsz = sizeof q->sql;
	size_t len;
	PGresult *r;
	int rc = -1;

	len = (size_t)snprintf(sql, sqlsz, sink_pg_sql_head, S.qtable);
	for (size_t i = 0; i < n; i++) {
		unsigned b = (unsigned)(i * SINK_PG_COLS);

		len += (size_t)snprintf(sql + len, sqlsz - len,
		    "%s($%u,COALESCE(NULLIF($%u::text,'')::timestamptz,now()),"
		    "$%u,$%u,$%u,$%u,$%u,$%u)", i ? "," : "",
		    b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8);
		vals[b] = rows[i].addr;
		vals[b + 1] = sink_pg_stamp(rows[i].first_seen);
		vals[b + 2] = rows[i].status;
		vals[b + 3] = rows[i].reason;
		vals[b + 4] = rows[i].reporting_mta;
		vals[b + 5] = rows[i].queue_id;
		vals[b + 6] = S.host;
		vals[b + 7] = rows[i].origin;
	}
	snprintf(sql + len, sqlsz - len, "%s", sink_pg_sql_tail);
	cls[0] = '\0';
	r = PQexecParams(c, sql, (int)(n * SINK_PG_COLS), NULL, vals, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK) {
		rc = 0;
	} else {
		const char *st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

		if (st != NULL && strlen(st) >= 2) {
			cls[0] = st[0];
			cls[1] = st[1];
			cls[2] = '\0';
		}
		sink_pg_why(c, r, why, whysz);
	}
	PQclear(r);
	return rc;
}

/* One batch in one statement; on a data error (class 22), row by row,
 * passing over the rows the server refuses.  0 when every row is either
 * stored or passed over; -1 (why set) when the batch must be retried. */
static int
sink_pg_ship(PGconn *c, struct sink_pg_stmt *q,
             const struct suppress_line_fields *rows, size_t n,
             char *why, size_t whysz)
{
	char cls[3];

	if (sink_pg_insert(c, q, rows, n, cls, why, whysz) == 0)
		return 0;
	if (strcmp(cls, "22") != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (sink_pg_insert(c, q, &rows[i], 1, cls, why, whysz) == 0)
			continue;
		if (strcmp(cls, "22") != 0)
			return -1;
		log_msg(LOG_WARNING, "pgsql: entry <%s> refused by the server, passed over: %s",
		    rows[i].addr, why);
		pthread_mutex_lock(&S.lock);
		S.st.refused++;
		pthread_mutex_unlock(&S.lock);
	}
	return 0;
}

/* ------------------------------------------------------------ events */

/* One batch of event lines, copied out of the journal's buffer. */
struct sink_pg_events {
	char *arena;                        /* SINK_PG_EV_BATCH lines */
	size_t len[SINK_PG_EV_BATCH];
	char sql[sizeof(sink_pg_ev_head) + 160 + SINK_PG_EV_BATCH * 96 + sizeof(sink_pg_ev_tail)];
	const char *vals[SINK_PG_EV_BATCH + 1];
};

static int
sink_pg_ev_take(void *arg, size_t i, const char *line, size_t len)
{
	struct sink_pg_events *e = arg;

	if (len >= SINK_PG_EV_LINE_MAX || line[0] != '{')
		return -1;
	memcpy(e->arena + i * SINK_PG_EV_LINE_MAX, line, len);
	e->arena[i * SINK_PG_EV_LINE_MAX + len] = '\0';
	e->len[i] = len;
	return 1;
}

/* INSERT lines [from, from + n); 0, or -1 with the SQLSTATE class. */
static int
sink_pg_ev_insert(PGconn *c, struct sink_pg_events *e, size_t from, size_t n,
                  char *cls, char *why, size_t whysz)
{
	size_t len = (size_t)snprintf(e->sql, sizeof e->sql, sink_pg_ev_head, S.qevents);
	PGresult *r;
	int rc = -1;

	e->vals[0] = S.host;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(e->sql + len, sizeof e->sql - len, sink_pg_ev_row,
		    i ? "," : "", (unsigned)(i + 2), (unsigned)(i + 2));
		e->vals[i + 1] = e->arena + (from + i) * SINK_PG_EV_LINE_MAX;
	}
	snprintf(e->sql + len, sizeof e->sql - len, "%s", sink_pg_ev_tail);
	cls[0] = '\0';
	r = PQexecParams(c, e->sql, (int)(n + 1), NULL, e->vals, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK) {
		rc = 0;
	} else {
		const char *st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

		if (st != NULL && strlen(st) >= 2) {
			cls[0] = st[0];
			cls[1] = st[1];
			cls[2] = '\0';
		}
		sink_pg_why(c, r, why, whysz);
		if (st != NULL && strcmp(st, "42P01") == 0)
			snprintf(why, whysz, "table %s does not exist (apply sql/schema.sql)",
			    S.o.events_table);
	}
	PQclear(r);
	return rc;
}

static int
sink_pg_ev_ship(PGconn *c, struct sink_pg_events *e, size_t n, char *why, size_t whysz)
{
	char cls[3];

	if (sink_pg_ev_insert(c, e, 0, n, cls, why, whysz) == 0)
		return 0;
	if (strcmp(cls, "22") != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (sink_pg_ev_insert(c, e, i, 1, cls, why, whysz) == 0)
			continue;
		if (strcmp(cls, "22") != 0)
			return -1;
		log_msg(LOG_WARNING, "pgsql: event log line refused by the server, passed over: %s",
		    why);
		pthread_mutex_lock(&S.lock);
		S.st.refused++;
		pthread_mutex_unlock(&S.lock);
	}
	return 0;
}

/* One batch of the event log: 1 shipped, 0 nothing new, -1 (why set). */
static int
sink_pg_events_step(PGconn *c, struct journal *ej, struct sink_pg_events *e,
                    char *why, size_t whysz)
{
	size_t n = 0;

	if (journal_read_with(ej, sink_pg_ev_take, e, SINK_PG_EV_BATCH, &n, why, whysz) < 0)
		return -1;
	if (n == 0) {
		if (journal_commit(ej, why, whysz) < 0)
			log_msg(LOG_ERR, "pgsql: %s", why);
		return 0;
	}
	if (sink_pg_ev_ship(c, e, n, why, whysz) < 0) {
		journal_rewind(ej);
		return -1;
	}
	if (journal_commit(ej, why, whysz) < 0)
		log_msg(LOG_ERR, "pgsql: %s (the batch will be sent again; the server "
		    "absorbs the repeat)", why);
	pthread_mutex_lock(&S.lock);
	S.st.events_shipped += n;
	pthread_mutex_unlock(&S.lock);
	return 1;
}

/* ------------------------------------------------------------ the thread */

struct sink_pg_journals {
	struct journal *list;
	struct journal *events;     /* NULL: the event log is not shipped */
};

static void
sink_pg_backlog(struct sink_pg_journals *js)
{
	uint64_t l = journal_backlog(js->list);
	uint64_t e = js->events != NULL ? journal_backlog(js->events) : 0;

	pthread_mutex_lock(&S.lock);
	S.st.backlog_bytes = l;
	S.st.events_backlog_bytes = e;
	pthread_mutex_unlock(&S.lock);
}

static void *
sink_pg_main(void *arg)
{
	struct sink_pg_journals *js = arg;
	struct journal *j = js->list;
	struct suppress_line_fields *rows = calloc(S.o.batch, sizeof *rows);
	struct sink_pg_stmt *q = malloc(sizeof *q);
	struct sink_pg_events *ev = js->events != NULL ? malloc(sizeof *ev) : NULL;
	PGconn *c = NULL;
	unsigned backoff_ms = 1000;
	char err[512], why[512];

	if (ev != NULL && (ev->arena = malloc(SINK_PG_EV_BATCH * SINK_PG_EV_LINE_MAX)) == NULL) {
		free(ev);
		ev = NULL;
	}
	if (rows == NULL || q == NULL || (js->events != NULL && ev == NULL)) {
		log_msg(LOG_CRIT, "pgsql: out of memory; shipping disabled");
		goto out;
	}
	if (journal_take_replaced(j))
		log_msg(LOG_WARNING, "pgsql: %s was replaced while no shipper ran; "
		    "entries of the old file after the recorded position were not "
		    "shipped (a consumer took them)", S.list);
	for (;;) {
		size_t n = 0;
		int evrc = 0;

		pthread_mutex_lock(&S.lock);
		if (S.stop) {
			pthread_mutex_unlock(&S.lock);
			break;
		}
		pthread_mutex_unlock(&S.lock);
		if (c == NULL) {
			sink_pg_set_state(SINK_PG_CONNECTING);
			if ((c = sink_pg_connect(why, sizeof why)) == NULL)
				goto retry;
		}
		if (journal_read(j, rows, S.o.batch, &n, err, sizeof err) < 0) {
			sink_pg_down(err);
			goto retry_keep;
		}
		if (n == 0) {
			if (journal_commit(j, err, sizeof err) < 0)
				log_msg(LOG_ERR, "pgsql: %s", err);
		} else if (sink_pg_ship(c, q, rows, n, why, sizeof why) < 0) {
			journal_rewind(j);
			goto failed;
		} else {
			/* stored: only now may the position move past these entries */
			if (journal_commit(j, err, sizeof err) < 0)
				log_msg(LOG_ERR, "pgsql: %s (the batch will be sent again; "
				    "the server absorbs the repeat)", err);
			pthread_mutex_lock(&S.lock);
			S.st.shipped += n;
			pthread_mutex_unlock(&S.lock);
		}
		if (js->events != NULL &&
		    (evrc = sink_pg_events_step(c, js->events, ev, why, sizeof why)) < 0)
			goto failed;
		sink_pg_backlog(js);
		sink_pg_up(journal_backlog(j));
		backoff_ms = 1000;
		if (n == 0 && evrc == 0 && sink_pg_sleep(S.o.poll_ms))
			break;
		continue;
failed:
		if (PQstatus(c) != CONNECTION_OK) {
			PQfinish(c);
			c = NULL;
		}
retry:
		sink_pg_down(why);
retry_keep:
		sink_pg_backlog(js);
		if (sink_pg_sleep(backoff_ms))
			break;
		backoff_ms = backoff_ms * 2 > S.o.retry_max_s * 1000u
		    ? S.o.retry_max_s * 1000u : backoff_ms * 2;
	}
out:
	if (c != NULL)
		PQfinish(c);
	free(rows);
	free(q);
	if (ev != NULL)
		free(ev->arena);
	free(ev);
	journal_close(js->list);
	journal_close(js->events);
	free(js);
	return NULL;
}

static char *
sink_pg_dup(const char *s, bool *ok)
{
	char *d = strdup(s != NULL ? s : "");

	if (d == NULL)
		*ok = false;
	return d;
}

char *
sink_pg_read_conninfo(const char *path, char *err, size_t errsz)
{
	char *buf = malloc(SINK_PG_CONNINFO_MAX + 1);
	size_t n = 0;
	FILE *f;

	if (buf == NULL) {
		snprintf(err, errsz, "pgsql.conninfo_file %s: out of memory", path);
		return NULL;
	}
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "pgsql.conninfo_file %s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, SINK_PG_CONNINFO_MAX + 1, f);
	if (ferror(f) || n > SINK_PG_CONNINFO_MAX) {
		snprintf(err, errsz, "pgsql.conninfo_file %s: %s", path,
		    ferror(f) ? "read error" : "longer than 4096 bytes");
		fclose(f);
		memset(buf, 0, n > SINK_PG_CONNINFO_MAX ? SINK_PG_CONNINFO_MAX : n);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	/* one connection string: comment lines and line ends are dropped */
	{
		char *in = buf, *out = buf;

		while (*in != '\0') {
			char *eol = strchr(in, '\n');
			size_t len = eol != NULL ? (size_t)(eol - in) : strlen(in);
			char *s = in;

			while (len > 0 && (*s == ' ' || *s == '\t')) {
				s++;
				len--;
			}
			while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
				len--;
			if (len > 0 && *s != '#') {
				if (out != buf)
					*out++ = ' ';
				memmove(out, s, len);
				out += len;
			}
			in = eol != NULL ? eol + 1 : in + strlen(in);
		}
		*out = '\0';
	}
	if (buf[0] == '\0') {
		snprintf(err, errsz, "pgsql.conninfo_file %s: holds no connection string", path);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Free the copied options; the connection string may hold a password. */
static void
sink_pg_forget(void)
{
	if (S.conninfo != NULL)
		memset(S.conninfo, 0, strlen(S.conninfo));
	free(S.conninfo);
	free(S.host);
	free(S.list);
	free(S.position);
	free(S.table);
	free(S.events);
	free(S.events_position);
	free(S.events_table);
	S.conninfo = S.host = S.list = S.position = S.table = NULL;
	S.events = S.events_position = S.events_table = NULL;
}

int
sink_pg_start(const struct sink_pg_opts *o, char *err, size_t errsz)
{
	struct sink_pg_journals *js;
	bool ok = true, events = o->events != NULL && o->events[0] != '\0';
	int e;

	if (S.running) {
		snprintf(err, errsz, "pgsql: the shipper is already running");
		return -1;
	}
	if (!sink_pg_table_valid(o->table) ||
	    (events && !sink_pg_table_valid(o->events_table != NULL ? o->events_table : ""))) {
		snprintf(err, errsz, "pgsql: \"%s\" is not a table name",
		    !sink_pg_table_valid(o->table) ? o->table : o->events_table);
		return -1;
	}
	S.o = *o;
	if (S.o.batch == 0)
		S.o.batch = 1;
	if (S.o.batch > SINK_PG_BATCH_MAX)
		S.o.batch = SINK_PG_BATCH_MAX;
	if (S.o.retry_max_s == 0)
		S.o.retry_max_s = 1;
	if (S.o.poll_ms == 0)
		S.o.poll_ms = 200;
	S.conninfo = sink_pg_dup(o->conninfo, &ok);
	S.host = sink_pg_dup(o->host, &ok);
	S.list = sink_pg_dup(o->list, &ok);
	S.position = sink_pg_dup(o->position, &ok);
	S.table = sink_pg_dup(o->table, &ok);
	if (events) {
		S.events = sink_pg_dup(o->events, &ok);
		S.events_position = sink_pg_dup(o->events_position, &ok);
		S.events_table = sink_pg_dup(o->events_table, &ok);
	}
	js = calloc(1, sizeof *js);
	if (!ok || js == NULL) {
		snprintf(err, errsz, "pgsql: out of memory");
		free(js);
		goto fail;
	}
	S.o.conninfo = S.conninfo;
	S.o.host = S.host;
	S.o.list = S.list;
	S.o.position = S.position;
	S.o.table = S.table;
	S.o.events = S.events;
	S.o.events_position = S.events_position;
	S.o.events_table = S.events_table;
	sink_pg_quote_table(S.table, S.qtable, sizeof S.qtable);
	if (events)
		sink_pg_quote_table(S.events_table, S.qevents, sizeof S.qevents);
	js->list = journal_open(S.list, S.position, o->format, o->fold_local, err, errsz);
	if (js->list == NULL ||
	    (events && (js->events = journal_open(S.events, S.events_position,
	    SUPPRESS_JSONL, false, err, errsz)) == NULL))
		goto fail_js;
	S.stop = false;
	S.down_logged = false;
	memset(&S.st, 0, sizeof S.st);
	S.st.state = SINK_PG_CONNECTING;
	if ((e = pthread_create(&S.thread, NULL, sink_pg_main, js)) != 0) {
		snprintf(err, errsz, "pgsql: cannot start the shipper: %s", strerror(e));
		goto fail_js;
	}
	S.running = true;
	return 0;
fail_js:
	journal_close(js->list);
	journal_close(js->events);
	free(js);
fail:
	sink_pg_forget();
	return -1;
}

void
sink_pg_stop(void)
{
	if (!S.running)
		return;
	pthread_mutex_lock(&S.lock);
	S.stop = true;
	pthread_cond_broadcast(&S.wake);
	pthread_mutex_unlock(&S.lock);
	(void)pthread_join(S.thread, NULL);
	S.running = false;
	S.st.state = SINK_PG_OFF;
	sink_pg_forget();
}

void
sink_pg_get_status(struct sink_pg_status *st)
{
	pthread_mutex_lock(&S.lock);
	*st = S.st;
	pthread_mutex_unlock(&S.lock);
}
