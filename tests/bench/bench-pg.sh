#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench-pg.sh - the PostgreSQL shipper (issue 14), measured in one run:
#   1. catch-up: a 100,000-entry backlog already in the local list, the
#      daemon started with shipping on: seconds until the table holds it
#      all, and entries/s;
#   2. the milter's msgs/s with the sink on against the same load with it
#      off (alternating rounds of new hard bounces, every one a list write;
#      target ratio >= 0.97), medians over BENCH_PG_ROUNDS rounds.
# Needs root, PostgreSQL's server binaries, python3; exits 77 otherwise.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/pg/lib.sh"
LOAD=$BUILD/tests/tools/milter-load
ROUNDS=${BENCH_PG_ROUNDS:-3}
MSGS=${BENCH_PG_MSGS:-2000}
BACKLOG=${BENCH_PG_BACKLOG:-100000}
[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (PostgreSQL runs as user postgres)"
pg_find_bin >/dev/null || e2e_skip "PostgreSQL server binaries not installed"
command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed"
[ -x "$BUILD/bounce-milter" ] && [ -x "$LOAD" ] || e2e_skip "bounce-milter or milter-load not built"

WORK=$(mktemp -d /tmp/bm-bench-pg.XXXXXX)
chmod 755 "$WORK"
MPID=""
trap '[ -n "$MPID" ] && kill "$MPID" 2>/dev/null; wait 2>/dev/null; pg_down; rm -rf "$WORK"' EXIT
pg_up "$WORK/pg" || { echo "cannot start PostgreSQL"; exit 1; }
printf 'host=%s dbname=mail user=bm password=bm-pass\n' "$PG_SOCK" > "$WORK/conninfo"
chmod 600 "$WORK/conninfo"

conf() { # NAME SINK(on|off)
	local n=$1 port
	port=$(e2e_free_port)
	mkdir -p "$WORK/$n"
	chown nobody "$WORK/$n"
	cat > "$WORK/$n.conf" <<CONF
socket = "inet:$port@127.0.0.1"
user = "nobody"
max_suppress_per_hour = 10000000
max_suppress_per_domain = 10000000
suppress {
	file = "$WORK/$n/list.txt"
}
trust {
	spf = "off"
	relays = {"192.0.2.10"}     # milter-load's client address
}
CONF
	[ "$2" = on ] && printf 'pgsql {\n\tconninfo_file = "%s"\n\thost = "%s"\n}\n' "$WORK/conninfo" "$n" >> "$WORK/$n.conf"
	echo "$port"
}
up() { # NAME PORT
	"$BUILD/bounce-milter" -f -c "$WORK/$1.conf" >>"$WORK/$1.log" 2>&1 &
	MPID=$!
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
down() { kill "$MPID" 2>/dev/null; wait "$MPID" 2>/dev/null; MPID=""; }

# ---- 1. catch-up of a backlog
port=$(conf catchup on)
seq 1 "$BACKLOG" | sed 's/.*/backlog&@pg.example/' > "$WORK/catchup/list.txt"
chown nobody "$WORK/catchup/list.txt"
chmod 640 "$WORK/catchup/list.txt"
t0=$(date +%s.%N)
up catchup "$port" || { cat "$WORK/catchup.log"; exit 1; }
for i in $(seq 1200); do
	n=$(pg_sql "SELECT count(*) FROM bounce_suppressed WHERE host = 'catchup'")
	[ "$n" -ge "$BACKLOG" ] && break
	sleep 0.1
done
t1=$(date +%s.%N)
down
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "catch-up: $n of $BACKLOG entries in $secs s ($(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') entries/s, start-up included)"

# ---- 2. msgs/s with the sink on and off, alternating
results_on=() results_off=()
first=1000000     # every round lists new addresses: each message is a write
for r in $(seq "$ROUNDS"); do
	for mode in off on; do
		name="$mode$r"
		port=$(conf "$name" "$mode")
		python3 "$SRCDIR/tests/pg/mkdsn.py" "$WORK/dsn-$name" "$first" "$MSGS"
		first=$((first + MSGS))
		up "$name" "$port" || { cat "$WORK/$name.log"; exit 1; }
		"$LOAD" -s "inet:$port@127.0.0.1" -c 8 -m $((MSGS / 8)) -t 300 "$WORK/dsn-$name"/*.eml > "$WORK/$name.out" 2>&1
		down
		rate=$(sed -n 's/^RESULT .* msgs_per_s=\([0-9.]*\) .*/\1/p' "$WORK/$name.out")
		echo "round $r sink $mode: ${rate:-?} msgs/s"
		if [ "$mode" = on ]; then results_on+=("$rate"); else results_off+=("$rate"); fi
	done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mon=$(median "${results_on[@]}")
moff=$(median "${results_off[@]}")
echo "msgs/s median: sink on $mon, sink off $moff, ratio $(awk -v a="$mon" -v b="$moff" 'BEGIN { printf "%.3f", a / b }') (target >= 0.97)"
