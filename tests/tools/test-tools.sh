#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# test-tools.sh - checks the benchmark tools against each other: noop-milter
# on a unix socket in a temporary folder, milter-load in every mode (normal,
# split, drop, garbage, badneg, hold with /proc sampling), the milter still
# alive at the end, and milter-load failing when nothing listens.
# Needs only the build; skips (77) when no message fixture exists.
set -u

BUILD=${BUILD:-$(pwd)}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
LOAD=$BUILD/tests/tools/milter-load
NOOP=$BUILD/tests/tools/noop-milter
pass=0; fail=0

FILES=$(find "$SRCDIR/tests/data" -maxdepth 1 -type f -name '*.eml' 2>/dev/null | head -5)
[ -n "$FILES" ] || { echo "test-tools: skipped: no tests/data/*.eml fixture"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-tools.XXXXXX")
SOCK=$WORK/noop.sock
PID=""
alive() { local st; st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; ! echo "$st" | awk '{exit !($3=="Z")}'; }
cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		for i in $(seq 120); do alive "$PID" || break; sleep 0.1; done
		alive "$PID" && kill -9 "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
check() { # LABEL COMMAND...
	local label=$1; shift
	if "$@"; then pass=$((pass + 1)); echo "ok - $label"
	else fail=$((fail + 1)); echo "FAIL - $label"; fi
}

"$NOOP" -p "unix:$SOCK" > "$WORK/noop.log" 2>&1 &
PID=$!
for i in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
check "noop-milter listens on a unix socket" test -S "$SOCK"

# shellcheck disable=SC2086
run() { # MODE EXTRA...: milter-load output in $WORK/out
	local mode=$1; shift
	"$LOAD" -s "unix:$SOCK" -x "$mode" -t 10 "$@" $FILES > "$WORK/out" 2>&1
}
check "normal: 4 x 25 messages, no error" run normal -c 4 -m 25
check "normal: all 100 answered continue" grep -q '^final replies: continue=100$' "$WORK/out"
check "normal: latency line" grep -q '^eom latency us: p50=' "$WORK/out"
check "split: 1-byte writes, no error" run split -c 2 -m 3
check "split: health check after it" grep -q '^health check after split: ok' "$WORK/out"
check "drop: connections dropped mid-message" run drop -c 2 -m 8
check "garbage: bad framing and content" run garbage -c 2 -m 8
check "garbage: health check after it" grep -q '^health check after garbage: ok' "$WORK/out"
check "badneg: unexpected negotiations" run badneg -c 2 -m 12
check "hold: 16 connections inside a 256 KiB body" run hold -c 16 -b 262144 -P "$PID"
check "hold: memory sampled" grep -q '^milter memory: pid=[0-9]* VmRSS_kB=[0-9]' "$WORK/out"
check "noop-milter still running" alive "$PID"
check "milter-load fails when nothing listens" \
	bash -c "! '$LOAD' -s unix:$WORK/none.sock -t 2 $(echo $FILES) > /dev/null 2>&1"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
