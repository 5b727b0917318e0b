#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# protocol-robustness.sh - milter-load's robustness modes against the daemon
# itself (no MTA): connections dropped mid-message (after MAIL, in the
# headers, in the body, right after end-of-body), garbage (random bytes,
# packet lengths 0x7fffffff / 0xffffffff / 16 MB, zero-length packets,
# malformed commands in order and out of it), every packet split into
# one-byte writes, and negotiations with unexpected versions and flags.
# After each mode the daemon must still be running and serve a normal run
# of milter-load.  When valgrind is installed the daemon runs under it
# (--leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99):
# any memory error or definite leak fails the test; "possibly lost" blocks
# (libmilter's detached thread stacks) do not.  FAULT_VALGRIND=0 turns
# valgrind off.  Needs only the build; as root the daemon drops to nobody,
# otherwise it runs as the current user.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
LOAD=$BUILD/tests/tools/milter-load
[ -x "$BUILD/bounce-milter" ] || e2e_skip "$BUILD/bounce-milter is not built"
[ -x "$BUILD/tests/tools/bounce-milter-testdns" ] || e2e_skip "$BUILD/tests/tools/bounce-milter-testdns is not built"
[ -x "$LOAD" ] || e2e_skip "$LOAD is not built"
command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed (free port)"
FILES=()
for f in "$SRCDIR"/tests/data/e2e/hard.eml "$SRCDIR"/tests/data/dsn-multi.eml \
	"$SRCDIR"/tests/data/sample-bounce.eml "$SRCDIR"/tests/data/ordinary.eml \
	"$SRCDIR"/tests/data/arf.eml "$SRCDIR"/tests/data/qmail-text.eml; do
	[ -f "$f" ] && FILES+=("$f")
done
[ "${#FILES[@]}" -gt 0 ] || e2e_skip "no message fixtures in tests/data"

WORK=$(mktemp -d /tmp/bm-faults.XXXXXX)
chmod 755 "$WORK"
MILTER_PID=""
PF=$WORK/no-postfix   # e2e_summary looks for a maillog there
trap 'e2e_milter_stop; rm -rf "$WORK"' EXIT
PORT=$(e2e_free_port)
SOCK="inet:$PORT@127.0.0.1"
RUNUSER=""
mkdir -p "$WORK/list"
if [ "$(id -u)" -eq 0 ]; then
	RUNUSER=nobody
	chown "$RUNUSER" "$WORK/list"
fi
printf 'mx.remote.test TXT v=spf1 ip4:127.0.0.0/8 -all\n' > "$WORK/zone"
cat > "$WORK/bm.conf" <<CONF
socket = "$SOCK"
user = "$RUNUSER"
max_suppress_per_hour = 1000000
max_suppress_per_domain = 1000000
suppress {
	file = "$WORK/list/suppressed.txt"
	classes = {"hard"}
}
trust {
	spf = "off"          # milter-load says HELO mx.example.net from 192.0.2.10
	relays = {"192.0.2.10"}
}
CONF
chmod 644 "$WORK/bm.conf" "$WORK/zone"
export BM_TEST_DNS_ZONE=$WORK/zone   # the daemon with the tests' DNS seam

VG=""
# a sanitizer build (bootstrap.sh test: make check BM_SANITIZED=1) checks
# itself; valgrind cannot run it
sanitized=""
if [ -n "${BM_SANITIZED:-}" ] || ldd "$BUILD/bounce-milter" 2>/dev/null | grep -q -E 'lib(a|ub)san'; then
	sanitized=yes
fi
if [ -n "$sanitized" ]; then
	echo "# sanitizer build: daemon runs without valgrind (ASan/UBSan report errors)"
elif [ "${FAULT_VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
	VG="valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
	VG="$VG --error-exitcode=99 --num-callers=30 --log-file=$WORK/valgrind.log"
	echo "# daemon under valgrind"
else
	echo "# valgrind off or not installed: daemon runs natively"
fi
T0=$(date +%s.%N)
E2E_MILTER_WRAP=$VG e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
started=no
for i in $(seq 600); do
	e2e_alive "$MILTER_PID" || break
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { started=yes; break; }
	sleep 0.1
done
[ "$started" = yes ] || { cat "$WORK/milter.log" "$WORK/valgrind.log" 2>/dev/null; echo "daemon did not start"; exit 1; }

# load MODE ARGS...: milter-load output in $WORK/MODE.out
load() {
	local mode=$1; shift
	"$LOAD" -s "$SOCK" -x "$mode" -t 60 "$@" "${FILES[@]}" > "$WORK/$mode.out" 2>&1
}
# healthy LABEL: still running, and a normal run of 2 x 10 messages passes
healthy() {
	e2e_check "$1: daemon still running" e2e_alive "$MILTER_PID"
	"$LOAD" -s "$SOCK" -c 2 -m 10 -t 60 "${FILES[@]}" > "$WORK/health.out" 2>&1
	e2e_check "$1: then a normal run of 2 x 10 messages passes" test $? -eq 0
	e2e_check "$1: ... every one answered" grep -q -E '^final replies: .*' "$WORK/health.out"
	cat "$WORK/health.out" >> "$WORK/health.all"
}

load normal -c 2 -m 20
e2e_check "baseline: 2 x 20 messages, no protocol error" test $? -eq 0
grep -E '^(final replies|modifications|eom latency)' "$WORK/normal.out" | sed 's/^/# /'

load drop -c 2 -m 16
e2e_check "drop: 32 connections cut after MAIL, in headers, in body, after EOB" test $? -eq 0
healthy "after drop"

load garbage -c 2 -m 16 -S 7
e2e_check "garbage: 32 connections of bad framing, huge lengths, bad content" test $? -eq 0
e2e_check "garbage: milter-load's own health check" grep -q '^health check after garbage: ok' "$WORK/garbage.out"
healthy "after garbage"

load split -c 2 -m 3
e2e_check "split: 6 messages sent one byte per write" test $? -eq 0
e2e_check "split: milter-load's own health check" grep -q '^health check after split: ok' "$WORK/split.out"
healthy "after split"

load badneg -c 2 -m 12 -v
e2e_check "badneg: 24 negotiations with unexpected versions and flags" test $? -eq 0
# (an offer of 0 actions or steps gets libmilter's legacy defaults, "outside
# the offer" in milter-load's words: libmilter's rule for old MTAs, not ours)
sed -n 's/^badneg conn=0 case=/# badneg /p' "$WORK/badneg.out"
e2e_check "badneg: milter-load's own health check" grep -q '^health check after badneg: ok' "$WORK/badneg.out"
healthy "after badneg"

L=$WORK/list/suppressed.txt
e2e_check "list written meanwhile ($(cat "$L" 2>/dev/null | wc -l) entries): whole lines, ends with LF" \
	bash -c "[ -s '$L' ] && [ \"\$(tail -c1 '$L' | od -An -c | tr -d ' ')\" = '\\n' ]"

# Orderly stop (SIGTERM; libmilter takes ~5 s, more under valgrind), then
# valgrind's verdict through the exit status.
kill -TERM "$MILTER_PID"
for i in $(seq 900); do e2e_alive "$MILTER_PID" || break; sleep 0.1; done
if e2e_alive "$MILTER_PID"; then
	e2e_fail "daemon stopped within 90 s of SIGTERM"
	kill -9 "$MILTER_PID"
fi
wait "$MILTER_PID"; rc=$?
MILTER_PID=""
PF=$WORK/no-postfix   # e2e_summary looks for a maillog there
e2e_check "daemon exit status 0 after SIGTERM (99 = valgrind error or definite leak): $rc" test "$rc" -eq 0
if [ -n "$VG" ]; then
	grep -E 'ERROR SUMMARY|definitely lost|possibly lost' "$WORK/valgrind.log" | sed 's/^==[0-9]*== */# valgrind: /'
	e2e_check "valgrind: 0 errors" grep -q 'ERROR SUMMARY: 0 errors' "$WORK/valgrind.log"
	e2e_check "valgrind: nothing definitely lost" \
		bash -c "! grep -q -E 'definitely lost: [1-9]' '$WORK/valgrind.log'"
	[ "$E2E_FAIL" -eq 0 ] || sed -n '1,120p' "$WORK/valgrind.log"
fi
e2e_check "no sanitizer report in the daemon's log" \
	bash -c "! grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$WORK/milter.log'"
msgs=$(sed -n 's/^final replies: //p' "$WORK/normal.out" "$WORK/health.all" | tr ' ' '\n' | awk -F= '{s += $2} END {print s + 0}')
echo "# protocol-robustness: $( [ -n "$VG" ] && echo valgrind || echo "native${sanitized:+ (sanitizers)}")," \
	"$msgs normal messages + 32 drop + 32 garbage + 6 split + 24 badneg," \
	"total $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
e2e_summary
