#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench-postfix.sh - msgs/s through a real Postfix on loopback for three
# setups on the same load: no milter, tests/tools/noop-milter, bounce-milter.
#
# Three isolated Postfix instances (tests/e2e/lib.sh, the set-up of
# ../shared/docs/e2e-postfix.md) differ only in smtpd_milters: none,
# noop-milter -p inet:PORT@127.0.0.1, and bounce-milter on an inet socket
# (trust.spf = "off", the list on the real disk under the work dir, fsync
# always).  Every message goes to bounces@discard.test (transport discard),
# so delivery is not the bottleneck.  A run is timed from the start of the
# load until the instance's maillog shows N more ": removed" lines (end to
# end: accepted, filtered, queued and delivered).
#
# Loads (BENCH_PF_MSGS = N messages per setup and round, BENCH_PF_SESSIONS
# parallel SMTP sessions):
#   repeat:   smtp-source -4 -s SESSIONS -m N -f '' -F tests/data/e2e/hard.eml,
#             one SMTP connection per message: the same hard DSN every time,
#             as a burst of repeats after the first bounce.  bounce-milter
#             lists its recipient once and then finds it already listed (no
#             list write, no fsync).
#   distinct: (BENCH_PF_DISTINCT=1, default; needs python3)
#             tests/faults/smtp-load.py, SESSIONS threads, one SMTP
#             connection per message, the same DSN with a different failed
#             recipient each time: every message adds a list entry (a write
#             and an fsync, group-committed; max_suppress_per_hour is raised
#             since every message comes from 127.0.0.1).  Its generator is Python, so its
#             msgs/s are lower than the repeat load's for all three setups.
# The setups alternate in BENCH_PF_ROUNDS rounds (order rotated each round)
# after an untimed warm-up; medians are reported, with the ratios
# bounce-milter/noop (target >= 0.95) and bounce-milter/none, and one
# RESULT line per load.  The timing is printed, never judged: exit 1 only
# when a setup did not deliver every message, the list is wrong or a milter
# died; exit 77 (skip) unless root with postfix, smtp-source and the built
# daemon.  Run from the build directory (or set BUILD).
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"

MSGS=${BENCH_PF_MSGS:-2000}
ROUNDS=${BENCH_PF_ROUNDS:-3}
SESSIONS=${BENCH_PF_SESSIONS:-10}
WARMUP=${BENCH_PF_WARMUP:-100}
DISTINCT=${BENCH_PF_DISTINCT:-1}
RUNUSER=${BENCH_USER:-nobody}
NAME=${BENCH_PF_NAME:-bench-postfix}
DSN=$SRCDIR/tests/data/e2e/hard.eml
DSN_RCPT=alice.gone@remote.test
NOOP=$BUILD/tests/tools/noop-milter
SMTP_LOAD=$SRCDIR/tests/faults/smtp-load.py

e2e_require_postfix
SMTP_SOURCE=$(command -v smtp-source || true)
[ -n "$SMTP_SOURCE" ] || e2e_skip "smtp-source is not installed (package postfix, /usr/sbin/smtp-source)"
[ -x "$NOOP" ] || e2e_skip "$NOOP is not built"
[ -r "$DSN" ] || e2e_skip "$DSN not found"
if [ "$DISTINCT" = 1 ] && ! command -v python3 >/dev/null 2>&1; then
	echo "$NAME: python3 not found: the distinct-recipient load is left out"
	DISTINCT=0
fi

e2e_setup_work
SETUPS="none noop ours"
NOOP_PID=""
bench_teardown() {
	set +e
	[ -n "$NOOP_PID" ] && kill "$NOOP_PID" 2>/dev/null   # libmilter needs ~5 s: in parallel
	local s
	for s in $SETUPS; do PF=$WORK/pf-$s; e2e_postfix_down; done
	e2e_teardown
}
e2e_local_teardown() {
	local i
	[ -n "$NOOP_PID" ] || return 0
	for i in $(seq 150); do e2e_alive "$NOOP_PID" || break; sleep 0.1; done
	e2e_alive "$NOOP_PID" && kill -9 "$NOOP_PID" 2>/dev/null
	wait "$NOOP_PID" 2>/dev/null
}
trap bench_teardown EXIT

# five distinct free ports on 127.0.0.1 at once (all bound together, so no
# duplicates; one python3 start instead of five: slow on a loaded machine)
read -r P1 P2 P3 P4 P5 < <(python3 -c 'import socket
ss = [socket.socket() for _ in range(5)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
[ -n "${P5:-}" ] || { echo "$NAME: no free ports"; exit 1; }
declare -A SMTP MILTER_SPEC
SMTP[none]=$P1; SMTP[noop]=$P2; SMTP[ours]=$P3
NOOP_PORT=$P4
BM_PORT=$P5
MILTER_SPEC[none]=""
MILTER_SPEC[noop]="inet:127.0.0.1:$NOOP_PORT"
MILTER_SPEC[ours]="inet:127.0.0.1:$BM_PORT"

LISTDIR=$WORK/list
LIST=$LISTDIR/suppressed.txt
mkdir -p "$LISTDIR"
chown "$RUNUSER" "$LISTDIR"
chmod 755 "$LISTDIR"
cat > "$WORK/bm.conf" <<CONF
socket = "inet:$BM_PORT@127.0.0.1"
user = "$RUNUSER"
max_suppress_per_hour = 10000000
max_suppress_per_domain = 10000000
suppress {
	file = "$LIST"
	format = "plain"
	classes = {"hard"}
	fsync = "always"
	on_error = "tempfail"
}
trust {
	spf = "off"
	origins = {"unaligned"}   # list as before: the bench measures the write path
}
CONF
chmod 644 "$WORK/bm.conf"

"$NOOP" -p "inet:$NOOP_PORT@127.0.0.1" > "$WORK/noop.log" 2>&1 &
NOOP_PID=$!
e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
e2e_wait_port "$NOOP_PORT" || { cat "$WORK/noop.log"; echo "$NAME: noop-milter did not start"; exit 1; }
e2e_wait_port "$BM_PORT" || { cat "$WORK/milter.log"; echo "$NAME: bounce-milter did not start"; exit 1; }
declare -A UP_PID
for s in $SETUPS; do   # in parallel: a first start on a fresh queue takes seconds
	( PF=$WORK/pf-$s; e2e_postfix_up "${SMTP[$s]}" "${MILTER_SPEC[$s]}" ) > "$WORK/up-$s.log" 2>&1 &
	UP_PID[$s]=$!
done
for s in $SETUPS; do
	wait "${UP_PID[$s]}" || { cat "$WORK/up-$s.log"; echo "$NAME: postfix ($s) did not start"; exit 1; }
done

maillog_size() { stat -c %s "$WORK/pf-$1/log/maillog" 2>/dev/null || echo 0; }
removed_since() { # SETUP BYTE_OFFSET: ": removed" lines logged after the offset
	tail -c +$(($2 + 1)) "$WORK/pf-$1/log/maillog" 2>/dev/null | grep -c ': removed$' || true
}

# send SETUP LOAD COUNT FIRST: the load against SETUP's Postfix, in the
# background; sets SENDER_PID.
send() {
	local s=$1 load=$2 n=$3 first=$4
	if [ "$load" = repeat ]; then
		"$SMTP_SOURCE" -4 -s "$SESSIONS" -m "$n" -M mx.remote.test -f '' \
			-t bounces@discard.test -F "$DSN" "127.0.0.1:${SMTP[$s]}" \
			>> "$WORK/sender.log" 2>&1 &
	else
		python3 "$SMTP_LOAD" --port "${SMTP[$s]}" --template "$DSN" --placeholder "$DSN_RCPT" \
			--rcpt-fmt 'gone%07d@remote.test' --first "$first" --count "$n" \
			--conns "$SESSIONS" --per-conn 1 --to bounces@discard.test \
			>> "$WORK/sender.log" 2>&1 &
	fi
	SENDER_PID=$!
}

# run SETUP LOAD COUNT FIRST: prints msgs/s end to end (start of the load
# until COUNT more messages were removed from the queue); returns 1 when the
# sender failed or not every message arrived within 30 s + 1 s per 20.
run() {
	local s=$1 n=$3 off t0 t1 rc got=0 deadline
	off=$(maillog_size "$s")
	t0=$EPOCHREALTIME
	send "$@"
	wait "$SENDER_PID"; rc=$?
	deadline=$(( ${t0%.*} + 30 + n / 20 ))
	while :; do
		got=$(removed_since "$s" "$off")
		[ "$got" -ge "$n" ] && break
		[ "${EPOCHREALTIME%.*}" -ge "$deadline" ] && break
		sleep 0.02
	done
	t1=$EPOCHREALTIME
	if [ "$rc" -ne 0 ] || [ "$got" -lt "$n" ]; then
		echo "$NAME: $s ($2): sender exit $rc, $got of $n delivered" >&2
		tail -5 "$WORK/sender.log" >&2
		echo 0
		return 1
	fi
	awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", n / (b - a) }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
label() { case $1 in none) echo "no milter" ;; noop) echo "noop-milter" ;; ours) echo "bounce-milter" ;; esac; }

status=0
NEXT=1000000   # distinct recipients: never reused, so every one is a new list entry
bench_load() { # LOAD
	local load=$1 r s order rate line
	# untimed warm-up: spawns smtpd/cleanup processes, fills caches
	for s in $SETUPS; do
		run "$s" "$load" "$WARMUP" "$NEXT" > /dev/null || status=1
		[ "$s" = ours ] || continue
		NEXT=$((NEXT + WARMUP))
	done
	for s in $SETUPS; do : > "$WORK/$load.$s"; done
	order="none noop ours"
	for r in $(seq "$ROUNDS"); do
		line="  round $r:"
		for s in $order; do
			rate=$(run "$s" "$load" "$MSGS" "$NEXT") || status=1
			[ "$s" = ours ] && NEXT=$((NEXT + MSGS))
			echo "$rate" >> "$WORK/$load.$s"
			line="$line $(label "$s") $rate,"
		done
		echo "${line%,} msgs/s"
		order="${order#* } ${order%% *}"   # rotate: the next round starts with the next setup
	done
	local none noop ours
	none=$(median < "$WORK/$load.none"); noop=$(median < "$WORK/$load.noop"); ours=$(median < "$WORK/$load.ours")
	awk -v l="$load" -v m="$MSGS" -v r="$ROUNDS" -v s="$SESSIONS" \
		-v z="$none" -v n="$noop" -v o="$ours" 'BEGIN {
		rn = n > 0 ? o / n : 0; rz = z > 0 ? o / z : 0
		printf "  medians: no milter %.0f msgs/s, noop-milter %.0f msgs/s, bounce-milter %.0f msgs/s\n", z, n, o
		printf "  bounce-milter/noop-milter %.3f (target >= 0.95: %s), bounce-milter/no milter %.3f\n", rn, (r < 3 ? "not judged on fewer than 3 rounds" : (rn >= 0.95 ? "met" : "NOT met")), rz
		printf "RESULT bench=postfix load=%s msgs=%d rounds=%d sessions=%d none_msgs_per_s=%.1f noop_msgs_per_s=%.1f milter_msgs_per_s=%.1f ratio_noop=%.4f ratio_none=%.4f\n", l, m, r, s, z, n, o, rn, rz
	}'
}

echo "$NAME: $MSGS messages per setup and round, $SESSIONS SMTP sessions, $ROUNDS round(s),"
echo "  setups alternating; timed until Postfix removed every message (delivered to discard)"
echo "repeat load: smtp-source -4 -s $SESSIONS -m $MSGS -f '' -F $(basename "$DSN"), the same hard DSN each time"
echo "  (bounce-milter lists its recipient once, then finds it listed: no list write)"
bench_load repeat
n=$(grep -c -x -F "$DSN_RCPT" "$LIST" 2>/dev/null || true)
e2e_check "repeat load: the repeated recipient is listed exactly once" test "${n:-0}" -eq 1 || status=1

if [ "$DISTINCT" = 1 ]; then
	before=$NEXT
	echo "distinct load: smtp-load.py, $SESSIONS threads, one connection per message, the same DSN with"
	echo "  a new failed recipient each time (bounce-milter adds a list entry: write + fsync per message)"
	start_lines=$(wc -l < "$LIST")
	bench_load distinct
	added=$(( $(wc -l < "$LIST") - start_lines ))
	e2e_check "distinct load: every message added one list entry ($added of $((NEXT - before)))" \
		test "$added" -eq $((NEXT - before)) || status=1
fi
e2e_alive "$MILTER_PID" || { echo "$NAME: bounce-milter died"; tail "$WORK/milter.log"; status=1; }
e2e_alive "$NOOP_PID" || { echo "$NAME: noop-milter died"; tail "$WORK/noop.log"; status=1; }
[ "$status" -eq 0 ] || { echo "--- milter log"; tail -20 "$WORK/milter.log"; for s in $SETUPS; do echo "--- maillog $s"; tail -10 "$WORK/pf-$s/log/maillog"; done; }
exit "$status"
