# SPDX-License-Identifier: BSD-2-Clause
# tests/pg/lib.sh - a real PostgreSQL for a test, in the test's own folder.
#
# pg_up DIR: initdb and pg_ctl as user postgres in DIR (no system cluster),
# a unix socket in DIR/sock only (listen_addresses = ''), password (SCRAM)
# authentication, a database "mail" with sql/schema.sql applied, and a
# role bm / bm-pass that may SELECT and INSERT.  Sets PG_SOCK and PGBIN.
# pg_stop / pg_start stop and restart it (fast shutdown); pg_down removes
# it.  pg_sql SQL runs one statement as the superuser in "mail".
# Needs root (initdb refuses to run as root: it runs as postgres).

pg_find_bin() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	return 1
}

pg_up() {
	PG_DIR=$1
	PGBIN=$(pg_find_bin) || return 1
	mkdir -p "$PG_DIR/sock"
	printf 'pg-super-pass\n' > "$PG_DIR/superpw"
	chown -R postgres "$PG_DIR"
	chmod 755 "$PG_DIR" "$PG_DIR/sock"
	chmod 600 "$PG_DIR/superpw"
	PG_SOCK=$PG_DIR/sock
	runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 \
		--auth-local=scram-sha-256 --auth-host=reject --pwfile="$PG_DIR/superpw" \
		>"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
	pg_start || return 1
	pg_sql "CREATE ROLE bm LOGIN PASSWORD 'bm-pass'" postgres >/dev/null &&
	pg_sql "CREATE DATABASE mail" postgres >/dev/null &&
	PGPASSWORD=pg-super-pass "$PGBIN/psql" -q -X -v ON_ERROR_STOP=1 -h "$PG_SOCK" \
		-U postgres -d mail -f "$SRCDIR/sql/schema.sql" >"$PG_DIR/schema.log" 2>&1 &&
	pg_sql "GRANT SELECT, INSERT ON bounce_suppressed, bounce_events TO bm" >/dev/null
}

pg_start() {
	# fsync=off: these tests check the milter's shipping, not PostgreSQL's
	# own durability (the server is stopped cleanly, never killed)
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
		-o "-c listen_addresses='' -k $PG_SOCK -c fsync=off" start >/dev/null 2>&1 ||
		{ tail -20 "$PG_DIR/server.log"; return 1; }
}

pg_stop() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
}

pg_down() {
	[ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
	pg_stop || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
	return 0
}

pg_sql() { # SQL [DB]: one statement as the superuser; rows on stdout
	PGPASSWORD=pg-super-pass "$PGBIN/psql" -q -X -A -t -v ON_ERROR_STOP=1 \
		-h "$PG_SOCK" -U postgres -d "${2:-mail}" -c "$1"
}
