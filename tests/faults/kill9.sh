#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# kill9.sh - SIGKILL of the milter under load, through a real Postfix.
#
# N hard bounces with distinct failed recipients go in over SMTP from
# several parallel senders (tests/faults/smtp-load.py) that retry on 4xx as
# an MTA does (milter_default_action = tempfail: while the milter is down
# Postfix answers 451).  The milter is killed with SIGKILL twice in the
# middle of the load and restarted each time; before the first restart the
# list gets a torn last line, as a crash in the middle of a write would
# leave it, which the milter must cut at start-up.  Then a queue flush
# (postqueue -f) for anything Postfix deferred.  At the end the list holds
# exactly the N addresses: none lost, no duplicate, no torn line.
# FAULT_N (default 200) and FAULT_CONNS (default 4) size the load.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/faults/lib.sh"
fl_init "$0" "$@"
N=${FAULT_N:-200}
CONNS=${FAULT_CONNS:-4}
T0=$(date +%s.%N)
fl_conf
fl_start

lines() { [ -f "$LIST" ] && wc -l < "$LIST" || echo 0; }
wait_lines() { # COUNT: until the list has COUNT lines (or the load ended)
	local i
	for i in $(seq 1200); do
		[ "$(lines)" -ge "$1" ] && return 0
		e2e_alive "$LOAD_PID" || return 1
		sleep 0.025
	done
	return 1
}

fl_load --count "$N" --conns "$CONNS" --delay 0.01 --per-conn 10 --retry 90 --pause 0.3 \
	--results "$WORK/results" > "$WORK/load.out" 2>&1 &
LOAD_PID=$!

kills=0
torn=""
frag=""
for at in $((N * 3 / 10)) $((N * 6 / 10)); do
	wait_lines "$at" || break
	kill -9 "$MILTER_PID"
	wait "$MILTER_PID" 2>/dev/null
	kills=$((kills + 1))
	echo "# SIGKILL $kills with $(lines) entries on the list"
	if [ -z "$torn" ]; then
		# what a crash in the middle of a write would leave: a prefix of
		# an address that is still to come, without its LF
		torn=$(fl_addr $((N - 1)))
		frag=${torn%???}
		printf '%s' "$frag" >> "$LIST"
	fi
	sleep 0.5   # senders meet 451 meanwhile
	fl_start
done
e2e_check "the milter was killed twice in the middle of the load" test "$kills" -eq 2

wait "$LOAD_PID"; rc=$?
cat "$WORK/load.out"
e2e_check "every bounce was finally accepted (senders retried on 4xx)" test "$rc" -eq 0
e2e_check "some transactions met 4xx while the milter was down" \
	grep -q -E 'temp_failures=[1-9]' "$WORK/load.out"
postqueue -c "$PF/etc" -f >/dev/null 2>&1
e2e_check "Postfix queue empty after a flush" fl_wait_queue_empty
e2e_check "milter logged the torn last line it cut at start-up (${#frag} bytes)" \
	grep -q -F "cut a torn last line (${#frag} bytes" "$WORK/milter.log"
e2e_check "list: exactly the $N addresses, no duplicate" fl_exactly 0 "$N" "$LIST"
e2e_check "list: every line an address, ends with LF" fl_lines_ok "$LIST"
e2e_wait_delivered "$N"
e2e_check "delivered: $N messages (each accepted bounce once): $(e2e_delivered)" \
	test "$(e2e_delivered)" -eq "$N"
e2e_check "milter running after the restarts" e2e_alive "$MILTER_PID"
echo "# kill9: N=$N conns=$CONNS kills=$kills total $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
e2e_check "no sanitizer report in the milter log" fl_sanitizer_clean
e2e_summary
