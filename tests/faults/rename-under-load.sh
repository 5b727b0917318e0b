#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# rename-under-load.sh - a consumer takes the list away again and again
# while bounces stream in through a real Postfix.
#
# The consumer is the shipped contrib/consumers/consume-list.sh (mv the
# list away, flock the old file to wait out an append in progress, read it,
# delete it), run every ~0.1 s during a load of N hard bounces with
# distinct recipients.  Every address must come out exactly once: either
# through the consumer or in the list left at the end (an append that
# landed in a file after the consumer read it would be lost; one written to
# both files would be a duplicate).  No transaction may be refused for it.
# FAULT_N (default 300) and FAULT_CONNS (default 4) size the load.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/faults/lib.sh"
fl_init "$0" "$@"
N=${FAULT_N:-300}
CONNS=${FAULT_CONNS:-4}
CONSUMER=$SRCDIR/contrib/consumers/consume-list.sh
[ -r "$CONSUMER" ] || e2e_skip "$CONSUMER is missing"
T0=$(date +%s.%N)
fl_conf
fl_start
mkdir -p "$WORK/spool"

fl_load --count "$N" --conns "$CONNS" --delay 0.02 --per-conn 10 --retry 60 --pause 0.3 \
	--results "$WORK/results" > "$WORK/load.out" 2>&1 &
LOAD_PID=$!

takes=0
nonempty=0
while e2e_alive "$LOAD_PID"; do
	sleep 0.1
	[ -s "$LIST" ] || continue
	before=$(wc -l < "$LIST")
	sh "$CONSUMER" "$LIST" "$WORK/spool" > "$WORK/taken.$takes" 2>>"$WORK/consumer.err" \
		|| echo "consumer run $takes failed" >> "$WORK/consumer.err"
	got=$(wc -l < "$WORK/taken.$takes")
	[ "$got" -gt 0 ] && nonempty=$((nonempty + 1))
	echo "# take $takes: about $before lines seen before mv, $got consumed"
	takes=$((takes + 1))
done
wait "$LOAD_PID"; rc=$?
cat "$WORK/load.out"
e2e_check "every bounce accepted" test "$rc" -eq 0
e2e_check "no transaction refused (4xx) because of a rename" grep -q 'temp_failures=0 ' "$WORK/load.out"
e2e_check "the consumer ran cleanly" test ! -s "$WORK/consumer.err"
e2e_check "the list was taken away under load at least 5 times ($nonempty)" test "$nonempty" -ge 5
e2e_check "the consumer left nothing behind in its spool" test -z "$(ls -A "$WORK/spool")"
sed -n 's/^suppress //p' "$WORK"/taken.* > "$WORK/consumed"
e2e_check "consumed + final list: all $N addresses, each exactly once" \
	fl_exactly 0 "$N" "$WORK/consumed" "$LIST"
e2e_check "final list: whole lines, ends with LF" fl_lines_ok "$LIST"
postqueue -c "$PF/etc" -f >/dev/null 2>&1
e2e_check "Postfix queue empty" fl_wait_queue_empty
e2e_check "milter logged no write failure" test "$(grep -c 'write failed' "$WORK/milter.log")" -eq 0
echo "# rename-under-load: N=$N conns=$CONNS takes=$takes (non-empty $nonempty)," \
	"consumed $(wc -l < "$WORK/consumed"), left $(cat "$LIST" 2>/dev/null | wc -l)," \
	"total $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
e2e_check "no sanitizer report in the milter log" fl_sanitizer_clean
e2e_summary
