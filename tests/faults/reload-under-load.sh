#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# reload-under-load.sh - SIGUSR1 (reload the config, reopen the list) while
# bounces stream in through a real Postfix on long-lived SMTP sessions.
#
# During a load of N hard bounces (senders do NOT retry: every transaction
# must succeed first time, no connection may drop) the milter gets three
# SIGUSR1: first with a broken config (logged, ignored: the running one
# stays), then twice with a config that also suppresses soft bounces.
# Soft bounces sent before the reloads are tagged but not listed; soft
# bounces sent afterwards, on new connections, are listed: the new config
# is in effect.  At the end the list holds exactly the N hard addresses
# and the later soft ones.  FAULT_N (default 240), FAULT_CONNS (default 4).
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/faults/lib.sh"
fl_init "$0" "$@"
N=${FAULT_N:-240}
CONNS=${FAULT_CONNS:-4}
SOFT=(--template "$FL_SOFT" --placeholder carol.full@remote.test --conns 1 --count 5)
T0=$(date +%s.%N)
fl_conf
fl_start

lines() { cat "$LIST" 2>/dev/null | wc -l; }
reloads() { grep -c 'configuration reloaded' "$WORK/milter.log"; }

# Before: classes = {"hard"}: soft bounces 1000..1004 not listed.
fl_load "${SOFT[@]}" --first 1000 > "$WORK/soft1.out" 2>&1
e2e_check "soft bounces before the reload accepted" test $? -eq 0
e2e_check "soft bounces before the reload not listed" test "$(lines)" -eq 0
f=$(e2e_find_msg 'Message-ID: <n1000-')
e2e_check "soft bounce before the reload tagged X-Bounce-Class: soft" \
	grep -q '^X-Bounce-Class: soft$' "${f:-/dev/null}"

# Long sessions (60 messages each), no retry: a refused or dropped
# transaction fails the test.
fl_load --count "$N" --conns "$CONNS" --delay 0.01 --per-conn 60 --retry 0 \
	--results "$WORK/results" > "$WORK/load.out" 2>&1 &
LOAD_PID=$!

step=0
for at in $((N / 4)) $((N / 2)) $((N * 3 / 4)); do
	for i in $(seq 1200); do
		[ "$(lines)" -ge "$at" ] && break
		e2e_alive "$LOAD_PID" || break
		sleep 0.025
	done
	e2e_alive "$LOAD_PID" || break
	step=$((step + 1))
	case $step in
	1) fl_conf "no_such_option = 1" ;;                  # broken: ignored
	*) FL_CLASSES='{"hard", "soft"}' fl_conf ;;
	esac
	kill -USR1 "$MILTER_PID"
	echo "# SIGUSR1 $step at $(lines) entries"
done
wait "$LOAD_PID"; rc=$?
cat "$WORK/load.out"
e2e_check "three reloads happened during the load" test "$step" -eq 3
e2e_check "every transaction succeeded first time (no retry allowed)" test "$rc" -eq 0
e2e_check "no 4xx and no dropped connection" \
	grep -q 'temp_failures=0 perm_failures=0 conn_errors=0 ' "$WORK/load.out"
for i in $(seq 100); do [ "$(reloads)" -ge 2 ] && break; sleep 0.05; done
e2e_check "the broken config was refused and the running one kept" \
	grep -q 'has errors; keeping the running configuration' "$WORK/milter.log"
e2e_check "the two good configs were loaded ($(reloads))" test "$(reloads)" -eq 2

# After: classes = {"hard", "soft"}, new connections: soft bounces listed.
fl_load "${SOFT[@]}" --first 2000 > "$WORK/soft2.out" 2>&1
e2e_check "soft bounces after the reload accepted" test $? -eq 0
{ for ((i = 0; i < N; i++)); do fl_addr "$i"; echo; done
  for i in 2000 2001 2002 2003 2004; do fl_addr "$i"; echo; done; } | sort > "$WORK/want"
sort "$LIST" > "$WORK/got"
e2e_check "list: the $N hard and the 5 later soft addresses, each once, no earlier soft one" \
	cmp -s "$WORK/want" "$WORK/got"
e2e_check "list: whole lines, ends with LF" fl_lines_ok "$LIST"
# A config path that became a directory: libconfuse's scanner used to
# exit the process on the read error (issue 10).  Logged, old config kept.
mv "$CONF" "$CONF.saved" && mkdir "$CONF"
kill -USR1 "$MILTER_PID"
for i in $(seq 100); do grep -q 'not a regular file' "$WORK/milter.log" && break; sleep 0.05; done
e2e_check "a directory as the config: reload refused with a log line" \
	grep -q 'bm.conf: not a regular file' "$WORK/milter.log"
rmdir "$CONF" && mv "$CONF.saved" "$CONF"
e2e_check "milter running" e2e_alive "$MILTER_PID"
echo "# reload-under-load: N=$N conns=$CONNS reloads=$step (1 broken)," \
	"total $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
e2e_check "no sanitizer report in the milter log" fl_sanitizer_clean
e2e_summary
