#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# test-pg-sink.sh - several MX hosts, one suppression set (issue 14), with a
# real PostgreSQL started by the test in its own folder and three real
# bounce-milter daemons, each with its own local list (the journal), fed
# by tests/tools/milter-load:
#   - 3 x 2,000 hard bounces with overlapping addresses (4,000 distinct):
#     the table ends holding exactly that union, nothing lost or doubled,
#     in the three list formats (plain, csv, jsonl);
#   - PostgreSQL stopped in the middle of the load and started again: every
#     entry still arrives, no message is tempfailed, end-of-message p99
#     stays within the budget, and each milter logs the outage once;
#   - a consumer renames one journal away twice while it ships;
#   - each daemon's event log is shipped into its own table, once per line;
#   - kill -9 of a milter while its shipper works through a backlog, then a
#     restart: no loss, the repeats absorbed;
#   - a wrong password and a missing table each give a clear log line while
#     the milter keeps serving.
# Skips (77) unless root with PostgreSQL's server binaries, runuser,
# python3 and flock.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/pg/lib.sh"
LOAD=$BUILD/tests/tools/milter-load
P99_BUDGET_US=${PG_P99_BUDGET_US:-250000}

[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (PostgreSQL runs as user postgres)"
pg_find_bin >/dev/null || e2e_skip "PostgreSQL server binaries not installed (Debian: postgresql)"
id postgres >/dev/null 2>&1 || e2e_skip "no postgres user (Debian: postgresql)"
for c in runuser python3 flock; do
	command -v $c >/dev/null 2>&1 || e2e_skip "$c is not installed"
done
[ -x "$BUILD/bounce-milter" ] && [ -x "$LOAD" ] || e2e_skip "bounce-milter or milter-load not built"

WORK=$(mktemp -d /tmp/bm-pg.XXXXXX)
chmod 755 "$WORK"
PF=$WORK/no-postfix   # e2e_summary looks for a maillog there
declare -A MPID PORT
cleanup() {
	set +e
	for n in "${!MPID[@]}"; do
		kill -9 "${MPID[$n]}" 2>/dev/null
	done
	wait 2>/dev/null
	pg_down
	if [ -n "${E2E_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

pg_up "$WORK/pg" || { echo "cannot start PostgreSQL"; exit 1; }
e2e_check "PostgreSQL up with the schema applied" test "$(pg_sql 'SELECT max(version) FROM bounce_milter_schema')" = 1

# the connection string: readable by root only, read before the privilege drop
printf '# test cluster\nhost=%s dbname=mail user=bm\npassword=bm-pass\n' "$PG_SOCK" > "$WORK/conninfo"
chmod 600 "$WORK/conninfo"
printf 'host=%s dbname=mail user=bm password=wrong-pass\n' "$PG_SOCK" > "$WORK/conninfo.bad"
chmod 600 "$WORK/conninfo.bad"

# milter_conf NAME FORMAT [CONNINFO] [TABLE]
milter_conf() {
	local n=$1 fmt=$2 ci=${3:-$WORK/conninfo} table=${4:-bounce_suppressed}
	mkdir -p "$WORK/$n/list"
	chown nobody "$WORK/$n/list"
	PORT[$n]=$(e2e_free_port)
	cat > "$WORK/$n/bm.conf" <<CONF
socket = "inet:${PORT[$n]}@127.0.0.1"
user = "nobody"
max_suppress_per_hour = 1000000
max_suppress_per_domain = 1000000
suppress {
	file = "$WORK/$n/list/suppressed.txt"
	format = "$fmt"
}
trust {
	spf = "off"
	relays = {"192.0.2.10"}     # milter-load's client address
}
control {
	socket = "$WORK/$n/control.sock"
}
eventlog {
	file = "$WORK/$n/list/events.jsonl"
}
pgsql {
	conninfo_file = "$ci"
	table = "$table"
	host = "mx-$n"
	batch = 50
	retry_max_s = 2
}
CONF
	chmod 644 "$WORK/$n/bm.conf"
}

milter_up() { # NAME
	local n=$1 i
	"$BUILD/bounce-milter" -f -c "$WORK/$n/bm.conf" >>"$WORK/$n/milter.log" 2>&1 &
	MPID[$n]=$!
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/${PORT[$n]}") 2>/dev/null && return 0
		kill -0 "${MPID[$n]}" 2>/dev/null || break
		sleep 0.1
	done
	cat "$WORK/$n/milter.log"
	return 1
}

load() { # NAME DSNDIR CONNS -> $WORK/NAME/load.out
	local n=$1 dir=$2 conns=$3 count
	count=$(ls "$dir" | wc -l)
	"$LOAD" -s "inet:${PORT[$n]}@127.0.0.1" -c "$conns" -m $((count / conns)) -t 120 \
		"$dir"/*.eml > "$WORK/$n/load.out" 2>&1
}

# load_ok NAME: every message answered, none tempfailed, p99 within budget
load_ok() {
	local n=$1 p99
	e2e_check "$n: milter-load saw no protocol error" grep -q '^errors=0 ' "$WORK/$n/load.out"
	e2e_check "$n: no message tempfailed" sh -c "! grep -q 'tempfail=' '$WORK/$n/load.out'"
	p99=$(sed -n 's/^RESULT .* p99_us=\([0-9.]*\) .*/\1/p' "$WORK/$n/load.out")
	echo "# $n: $(grep '^messages:' "$WORK/$n/load.out"); eom p99 ${p99} us"
	e2e_check "$n: end-of-message p99 ${p99} us <= ${P99_BUDGET_US} us" \
		awk -v p="${p99:-999999999}" -v b="$P99_BUDGET_US" 'BEGIN { exit !(p <= b) }'
}

python3 "$SRCDIR/tests/pg/mkdsn.py" "$WORK/dsn-a" 0 2000
python3 "$SRCDIR/tests/pg/mkdsn.py" "$WORK/dsn-b" 1000 2000
python3 "$SRCDIR/tests/pg/mkdsn.py" "$WORK/dsn-c" 2000 2000
seq 0 3999 | sed 's/.*/user&@pg.example/' | sort > "$WORK/expected"

milter_conf a plain
milter_conf b csv
milter_conf c jsonl
for n in a b c; do
	milter_up $n || { echo "milter $n did not start"; exit 1; }
done

# ---- A and B under load; PostgreSQL stopped and restarted in the middle;
# a consumer takes A's list away twice while it ships
consume_a() {
	local t=$WORK/a/list/suppressed.txt.taken
	mv "$WORK/a/list/suppressed.txt" "$t" 2>/dev/null || return 0
	flock "$t" true
	cat "$t" >> "$WORK/a/consumed"
	rm -f "$t"
}
load a "$WORK/dsn-a" 4 & la=$!
load b "$WORK/dsn-b" 4 & lb=$!
sleep 0.5; consume_a
sleep 0.5
pg_stop; echo "# PostgreSQL stopped during the load"
sleep 3; consume_a
pg_start; echo "# PostgreSQL started again"
wait $la; wait $lb
load_ok a
load_ok b
for n in a b; do
	e2e_check "$n: the outage logged once (and its end once), not per retry" \
		test "$(grep -c 'pgsql: shipping stopped' "$WORK/$n/milter.log")" -eq 1
done

# ---- C: a backlog built while the server is down, then kill -9 while
# its shipper works through it, then a restart
pg_stop
load c "$WORK/dsn-c" 4
load_ok c
e2e_check "c: 2000 entries wait in the local journal" \
	test "$(grep -c . "$WORK/c/list/suppressed.txt")" -eq 2000
pg_start
killed_at=""
for i in $(seq 400); do
	k=$(pg_sql "SELECT count(*) FROM bounce_suppressed WHERE host = 'mx-c'")
	if [ "$k" -gt 0 ]; then killed_at=$k; kill -9 "${MPID[c]}"; break; fi
	sleep 0.02
done
wait "${MPID[c]}" 2>/dev/null
echo "# c: killed with $killed_at of its rows committed"
e2e_check "c: killed while shipping (some rows stored, not all)" \
	test -n "$killed_at"
milter_up c || { echo "milter c did not restart"; exit 1; }

# ---- everything arrives, once
total=""
for i in $(seq 300); do
	total=$(pg_sql "SELECT count(*) FROM bounce_suppressed")
	[ "$total" = 4000 ] && break
	sleep 0.2
done
pg_sql "SELECT address FROM bounce_suppressed ORDER BY 1" | sort > "$WORK/got"
e2e_check "the table holds exactly the union of the three journals (4000 rows; got $total)" \
	cmp -s "$WORK/expected" "$WORK/got"
e2e_check "no address twice" test "$(pg_sql 'SELECT count(DISTINCT address) FROM bounce_suppressed')" = "$total"
e2e_check "a's consumed and current files together hold what a listed" \
	test "$(cat "$WORK/a/consumed" "$WORK/a/list/suppressed.txt" 2>/dev/null | grep -c '@')" -eq 2000
e2e_check "rows from every host and format" \
	test "$(pg_sql "SELECT count(DISTINCT host) FROM bounce_suppressed")" = 3
# the counters move after each commit: the last batch may be in the table a
# moment before the shipper has recorded it
for i in $(seq 50); do
	"$BUILD/bounce-milterctl" -s "$WORK/a/control.sock" stats > "$WORK/a/stats.txt" 2>&1
	grep -q '^pgsql shipper  *up, .* backlog 0 bytes' "$WORK/a/stats.txt" && break
	sleep 0.1
done
"$BUILD/bounce-milterctl" -s "$WORK/a/control.sock" stats prometheus > "$WORK/a/stats.prom" 2>&1
grep 'pgsql' "$WORK/a/stats.txt" | sed 's/^/# /'
e2e_check "a: stats show the shipper up with no backlog" \
	grep -q '^pgsql shipper  *up, shipped [0-9]*, refused 0, backlog 0 bytes' "$WORK/a/stats.txt"
e2e_check "a: Prometheus output has pgsql_up 1 and the backlog gauge" \
	sh -c "grep -q '^bounce_milter_pgsql_up 1\$' '$WORK/a/stats.prom' && grep -q '^bounce_milter_pgsql_backlog_bytes 0\$' '$WORK/a/stats.prom'"
if command -v promtool >/dev/null 2>&1; then
	e2e_check "a: promtool check metrics accepts it" sh -c "promtool check metrics < '$WORK/a/stats.prom'"
fi
for n in a b c; do
	lines=$(cat "$WORK/$n/list/events.jsonl" 2>/dev/null | grep -c '^{')
	rows=""
	for i in $(seq 100); do
		rows=$(pg_sql "SELECT count(*) FROM bounce_events WHERE host = 'mx-$n'")
		[ "$rows" = "$lines" ] && break
		sleep 0.1
	done
	e2e_check "$n: every event log line shipped once ($lines lines, $rows rows)" \
		test "$rows" = "$lines" -a "$lines" -ge 2000
done
e2e_check "event rows are JSON with the recipient and class columns filled" \
	test "$(pg_sql "SELECT count(*) FROM bounce_events WHERE recipient LIKE 'user%@pg.example' AND class = 'hard'")" -ge 6000
e2e_check "csv and jsonl rows carry status and reason" \
	test "$(pg_sql "SELECT count(*) FROM bounce_suppressed WHERE host IN ('mx-b','mx-c') AND status = '5.1.1' AND reason = 'userunknown'")" -gt 0

# ---- a wrong password and a missing table: a clear line, and service goes on
milter_conf d plain "$WORK/conninfo.bad"
milter_conf e plain "$WORK/conninfo" no_such_table
python3 "$SRCDIR/tests/pg/mkdsn.py" "$WORK/dsn-d" 9000 10
for n in d e; do
	milter_up $n || { echo "milter $n did not start"; exit 1; }
	load $n "$WORK/dsn-d" 2
	load_ok $n
	e2e_check "$n: the local list still took every entry" \
		test "$(grep -c '@' "$WORK/$n/list/suppressed.txt")" -eq 10
done
sleep 4.5   # retries at 1, 2, 2, 2 s (retry_max_s = 2)
for n in d e; do
	e2e_check "$n: one line for the outage, not one per retry" \
		test "$(grep -c 'pgsql: shipping stopped' "$WORK/$n/milter.log")" -eq 1
done
e2e_check "d: the log says the password was refused" \
	grep -q 'pgsql: shipping stopped: cannot connect: .*password authentication failed' "$WORK/d/milter.log"
e2e_check "e: the log names the missing table and the fix" \
	grep -q 'pgsql: shipping stopped: table no_such_table does not exist (apply sql/schema.sql)' "$WORK/e/milter.log"
grep -h 'pgsql:' "$WORK"/d/milter.log "$WORK"/e/milter.log | sed 's/^/# /' | head -4
e2e_summary
