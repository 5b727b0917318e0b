#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench-milter.sh - bounce-milter against a no-op libmilter baseline, same load,
# same run.
#
# Starts the real daemon (bounce-milter -f -c CONF -p inet:PORT@127.0.0.1;
# trust.spf = "off", the list on a real disk under /var/tmp, fsync always)
# and tests/tools/noop-milter, then drives both with tests/tools/milter-load:
# BENCH_CONNS (32) connections x BENCH_MSGS (100) messages, mixed corpus
# bounces and corpus-ham messages (null sender for files that look like
# bounces), BENCH_ROUNDS (3) alternating rounds, median taken.  Prints msgs/s
# of each, the ratio (target: at most 5% fewer msgs/s than noop), the p99
# end-of-message latency (target <= 1 ms) under that load and on a single
# connection (no queueing behind other sessions), and the daemon's VmRSS/VmHWM with
# BENCH_HOLD (256) connections each inside a message of max_message_bytes.
# Run from the build directory (or set BUILD).  Exit 77 (skip) when the
# corpora or the daemon are missing; 1 on protocol errors or a crash.
set -eu

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$(pwd)}
BOUNCES=${BENCH_BOUNCES:-$SRCDIR/tests/corpus/bounces/emails}
HAM=${BENCH_HAM:-$SRCDIR/tests/corpus/ham/emails}
CONNS=${BENCH_CONNS:-32}
MSGS=${BENCH_MSGS:-100}
ROUNDS=${BENCH_ROUNDS:-3}
HOLD=${BENCH_HOLD:-256}
MAXBYTES=${BENCH_MAX_MESSAGE_BYTES:-1048576}
PORT_BM=${BENCH_PORT:-28891}
PORT_NOOP=$((PORT_BM + 1))
RUNUSER=${BENCH_USER:-nobody}

LOAD=$BUILD/tests/tools/milter-load
NOOP=$BUILD/tests/tools/noop-milter
DAEMON=$BUILD/bounce-milter

for d in "$BOUNCES" "$HAM"; do
	[ -d "$d" ] || { echo "bench-milter: skipped: corpus folder $d not found"; exit 77; }
done
[ -x "$DAEMON" ] || { echo "bench-milter: skipped: $DAEMON not built"; exit 77; }
for b in "$LOAD" "$NOOP"; do
	[ -x "$b" ] || { echo "bench-milter: $b not built" >&2; exit 1; }
done

WORK=$(mktemp -d /var/tmp/bench-milter.XXXXXX)   # /var/tmp: a real disk, not tmpfs
chmod 755 "$WORK"
BM_PID=""; NOOP_PID=""
alive() { # a zombie or a vanished process counts as gone
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && ! echo "$st" | awk '{exit !($3=="Z")}'
}
stop() { # PID: SIGTERM, then up to 12 s (libmilter needs ~5 s), then SIGKILL
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || true
	for i in $(seq 120); do alive "$1" || break; sleep 0.1; done
	alive "$1" && kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null || true
}
cleanup() {
	set +e; stop "$BM_PID"; stop "$NOOP_PID"
	if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
wait_port() { # PORT PID
	for i in $(seq 200); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		alive "$2" || return 1
		sleep 0.05
	done
	return 1
}

mkdir -p "$WORK/list"
user_line=""
if [ "$(id -u)" -eq 0 ]; then
	chown "$RUNUSER" "$WORK/list"
	user_line="user = \"$RUNUSER\""
fi
cat > "$WORK/bm.conf" <<CONF
socket = "inet:$PORT_BM@127.0.0.1"
$user_line
max_message_bytes = $MAXBYTES
suppress {
	file = "$WORK/list/suppressed.txt"
	format = "plain"
	fsync = "always"
}
trust {
	spf = "off"
	origins = {"unaligned"}   # list as before: the bench measures the write path
}
CONF
chmod 644 "$WORK/bm.conf"

"$NOOP" -p "inet:$PORT_NOOP@127.0.0.1" > "$WORK/noop.log" 2>&1 &
NOOP_PID=$!
"$DAEMON" -f -c "$WORK/bm.conf" -p "inet:$PORT_BM@127.0.0.1" > "$WORK/milter.log" 2>&1 &
BM_PID=$!
wait_port "$PORT_NOOP" "$NOOP_PID" || { echo "bench-milter: noop-milter did not start"; cat "$WORK/noop.log"; exit 1; }
wait_port "$PORT_BM" "$BM_PID" || { echo "bench-milter: bounce-milter did not start"; cat "$WORK/milter.log"; exit 1; }

status=0
load() { # NAME PORT: one round; appends its RESULT line to $WORK/NAME.results
	if ! "$LOAD" -s "inet:$2@127.0.0.1" -c "$CONNS" -m "$MSGS" -f auto "$BOUNCES" "$HAM" \
		> "$WORK/$1.out" 2>&1; then
		echo "bench-milter: milter-load against $1 failed:"; tail -5 "$WORK/$1.out"
		status=1
	fi
	grep '^RESULT' "$WORK/$1.out" >> "$WORK/$1.results" || true
}
field() { sed -n "s/.* $1=\\([0-9.]*\\).*/\\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }

echo "bench-milter: $CONNS connections x $MSGS messages, $ROUNDS rounds each, files from"
echo "  $BOUNCES and $HAM"
# warm-up: page cache, thread pools, the list file
BENCH_MSGS_SAVE=$MSGS; MSGS=5; load noop "$PORT_NOOP"; load milter "$PORT_BM"; MSGS=$BENCH_MSGS_SAVE
: > "$WORK/noop.results"; : > "$WORK/milter.results"
for r in $(seq "$ROUNDS"); do
	load noop "$PORT_NOOP"
	load milter "$PORT_BM"
	printf "  round %s: noop %s msgs/s, bounce-milter %s msgs/s\n" "$r" \
		"$(tail -1 "$WORK/noop.results" | field msgs_per_s)" "$(tail -1 "$WORK/milter.results" | field msgs_per_s)"
done
grep -E '^(final replies|modifications)' "$WORK/milter.out" | sed 's/^/  bounce-milter (last round) /'
alive "$BM_PID" || { echo "bench-milter: bounce-milter died"; tail "$WORK/milter.log"; exit 1; }

noop_rate=$(field msgs_per_s < "$WORK/noop.results" | median)
bm_rate=$(field msgs_per_s < "$WORK/milter.results" | median)
noop_p99=$(field p99_us < "$WORK/noop.results" | median)
bm_p99=$(field p99_us < "$WORK/milter.results" | median)
bm_p50=$(field p50_us < "$WORK/milter.results" | median)
awk -v n="$noop_rate" -v b="$bm_rate" -v np="$noop_p99" -v bp="$bm_p99" -v b50="$bm_p50" 'BEGIN {
	loss = n > 0 ? (1 - b / n) * 100 : 0
	printf "noop-milter:   %8.0f msgs/s  p99 eom %7.1f us\n", n, np
	printf "bounce-milter: %8.0f msgs/s  p99 eom %7.1f us  (p50 %.1f us)\n", b, bp, b50
	printf "ratio bounce-milter/noop: %.3f (%.1f%% fewer msgs/s; target <= 5%%): %s\n", (n > 0 ? b / n : 0), loss, (loss <= 5 ? "met" : "NOT met")
	printf "p99 eom latency %.1f us (target <= 1000 us): %s\n", bp, (bp <= 1000 ? "met" : "NOT met")
	printf "RESULT bench=milter noop_msgs_per_s=%.1f milter_msgs_per_s=%.1f ratio=%.4f milter_p99_us=%.1f noop_p99_us=%.1f\n", n, b, (n > 0 ? b / n : 0), bp, np
}'

# latency without queueing: one connection, BENCH_SEQ_MSGS (500) messages in a row
seq_p99() { # NAME PORT
	"$LOAD" -s "inet:$2@127.0.0.1" -c 1 -m "${BENCH_SEQ_MSGS:-500}" -f auto "$BOUNCES" "$HAM" \
		> "$WORK/$1.seq" 2>&1 || { echo "bench-milter: sequential run against $1 failed"; status=1; }
	grep '^RESULT' "$WORK/$1.seq" | field p99_us
}
np1=$(seq_p99 noop "$PORT_NOOP"); bp1=$(seq_p99 milter "$PORT_BM")
bp50=$(grep '^RESULT' "$WORK/milter.seq" | field p50_us)
awk -v np="$np1" -v bp="$bp1" -v b50="$bp50" 'BEGIN {
	printf "1 connection: p99 eom noop %.1f us, bounce-milter %.1f us (p50 %.1f us) (target <= 1000 us): %s\n", np, bp, b50, (bp <= 1000 ? "met" : "NOT met")
	printf "RESULT bench=milter-seq noop_p99_us=%.1f milter_p99_us=%.1f\n", np, bp
}'

# memory: idle, then HOLD connections each inside a message of max_message_bytes
idle=$(awk '/^VmRSS/ { print $2 }' "/proc/$BM_PID/status")
if "$LOAD" -s "inet:$PORT_BM@127.0.0.1" -c "$HOLD" -x hold -b "$MAXBYTES" -P "$BM_PID" -f auto \
	"$BOUNCES" > "$WORK/hold.out" 2>&1; then
	mem=$(grep '^milter memory' "$WORK/hold.out")
	rss=$(echo "$mem" | field VmRSS_kB); hwm=$(echo "$mem" | field VmHWM_kB)
	echo "bounce-milter memory: idle VmRSS ${idle} kB; with $HOLD connections x $MAXBYTES body bytes: VmRSS ${rss} kB, VmHWM ${hwm} kB"
	echo "RESULT bench=milter-memory conns=$HOLD body_bytes=$MAXBYTES idle_rss_kb=$idle rss_kb=$rss hwm_kb=$hwm"
else
	echo "bench-milter: hold run failed:"; tail -5 "$WORK/hold.out"; status=1
fi
alive "$BM_PID" || { echo "bench-milter: bounce-milter died"; tail "$WORK/milter.log"; exit 1; }
exit "$status"
