#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end through a real Postfix (issue 13, operations): the daemon built
# with its escalation clock read from a file (tests/tools/bounce-milter-testclock,
# a link-time seam) runs in smtpd_milters with a control socket, an
# allowlist, an event log and escalation on (3 days within 7).  A soft
# bounce (mailbox full) sent on three distinct "days" is listed on the third
# with reason escalated:mailboxfull, and not before; a hard bounce for an
# allowlisted domain is tagged but never listed (why=allowlist); the event
# log holds one line per recipient with the returned message's Message-ID;
# bounce-milterctl removes an address that a new bounce then lists again;
# the counters match, and "stats prometheus" passes promtool (skipped with a
# note when promtool is missing).
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
e2e_require
TESTCLOCK=$BUILD/tests/tools/bounce-milter-testclock
CTL=$BUILD/bounce-milterctl
[ -x "$TESTCLOCK" ] || e2e_skip "$TESTCLOCK is not built"
[ -x "$CTL" ] || e2e_skip "$CTL is not built"
e2e_setup_work
DATA=$SRCDIR/tests/data/e2e
SMTP_PORT=$(e2e_free_port)
MILTER_PORT=$(e2e_free_port)
RUNUSER=nobody
LISTDIR=$WORK/list
LIST=$LISTDIR/suppressed.csv
EVENTS=$LISTDIR/events.jsonl
CSOCK=$LISTDIR/control.sock
CLOCK=$WORK/clock
mkdir -p "$LISTDIR"
chown "$RUNUSER" "$LISTDIR"
chmod 755 "$LISTDIR"
DAY0=20000
setday() { echo $(($1 * 86400 + 43200)) > "$CLOCK"; chmod 644 "$CLOCK"; }
setday $DAY0

# a hard bounce for an allowlisted domain: hard2.eml with bob at partner.test
sed 's/bob\.gone@remote\.test/bob.gone@partner.test/g; s/dsn-hard2@/dsn-partner@/' \
	"$DATA/hard2.eml" > "$WORK/partner.eml"

cat > "$WORK/bm.conf" <<CONF
socket = "inet:$MILTER_PORT@127.0.0.1"
user = "$RUNUSER"
suppress {
	file = "$LIST"
	format = "csv"
	classes = {"hard"}
}
trust {
	spf = "off"                 # no DNS in this test
	relays = {"127.0.0.1"}      # swaks from loopback: our relay here
}
control { socket = "$CSOCK" }
allowlist { entries = {"partner.test", "postmaster@*"} }
eventlog { file = "$EVENTS" }
escalate {
	enabled = true
	days = 3
	window_days = 7
	state_file = "$LISTDIR/escalate.state"
}
CONF
chmod 644 "$WORK/bm.conf"
"$TESTCLOCK" -t -c "$WORK/bm.conf" >"$WORK/check.log" 2>&1
e2e_check "the test config is accepted" test $? -eq 0 || cat "$WORK/check.log"

BM_TEST_CLOCK_FILE=$CLOCK "$TESTCLOCK" -f -c "$WORK/bm.conf" >>"$WORK/milter.log" 2>&1 &
MILTER_PID=$!
e2e_wait_port "$MILTER_PORT" || { cat "$WORK/milter.log"; echo "milter did not start"; exit 1; }
e2e_postfix_up "$SMTP_PORT" "inet:127.0.0.1:$MILTER_PORT" || { echo "postfix did not start"; exit 1; }
ctl() { "$CTL" -s "$CSOCK" "$@"; }
listed() { grep -c -F -- "$1," "$LIST" 2>/dev/null || true; }
n=0
send() { # FILE: send and wait for its delivery
	e2e_send '<>' bounces@sink.test "$1" mx.remote.test
	n=$((n + 1))
	e2e_wait_delivered "$n"
}

# 1. soft bounce, mailbox full: day 0 twice, day 1, then day 2
send "$DATA/soft.eml"
send "$DATA/soft.eml"
e2e_check "soft bounce, day 0 (twice): not listed" test "$(listed carol.full@remote.test)" -eq 0
setday $((DAY0 + 1))
send "$DATA/soft.eml"
e2e_check "soft bounce, day 1: not listed (2 distinct days)" test "$(listed carol.full@remote.test)" -eq 0
setday $((DAY0 + 2))
send "$DATA/soft.eml"
e2e_check "soft bounce, day 2: listed (3 distinct days)" test "$(listed carol.full@remote.test)" -eq 1
e2e_check "listed with reason escalated:mailboxfull" \
	grep -q '^carol.full@remote.test,.*,4.2.2,escalated:mailboxfull,' "$LIST"
e2e_check "the log says escalated=mailboxfull" \
	grep -q 'rcpt=<carol.full@remote.test>.*suppressed=yes escalated=mailboxfull' "$WORK/milter.log"
e2e_check "the state file holds the three days" \
	test "$(grep -c 'mailboxfull.carol.full@remote.test' "$LISTDIR/escalate.state")" -eq 3
send "$DATA/soft.eml"
e2e_check "a fourth soft bounce: still listed once" test "$(listed carol.full@remote.test)" -eq 1

# 2. the allowlisted domain: tagged, never listed
send "$WORK/partner.eml"
send "$WORK/partner.eml"
f=$(e2e_find_msg 'dsn-partner@')
e2e_check "allowlisted bounce still tagged X-Bounce-Class: hard" grep -q '^X-Bounce-Class: hard' "$f"
e2e_check "allowlisted bounce says suppressed=no" grep -q 'suppressed=no' "$f"
e2e_check "allowlisted address never listed" test "$(listed bob.gone@partner.test)" -eq 0
e2e_check "the log says why=allowlist" \
	grep -q 'rcpt=<bob.gone@partner.test>.*suppressed=no why=allowlist' "$WORK/milter.log"
e2e_check "list add refuses the allowlisted address" \
	bash -c "! '$CTL' -s '$CSOCK' list add bob.gone@partner.test 2>/dev/null"

# 3. a hard bounce: listed; removed by the control command; listed again
send "$DATA/hard.eml"
e2e_check "hard bounce listed" test "$(listed alice.gone@remote.test)" -eq 1
e2e_check "list query finds it" ctl list query alice.gone@remote.test
e2e_check "list remove takes it off" bash -c "'$CTL' -s '$CSOCK' list remove alice.gone@remote.test | grep -q '^removed'"
e2e_check "gone from the file" test "$(listed alice.gone@remote.test)" -eq 0
e2e_check "list remove again: a clean no-op" \
	bash -c "'$CTL' -s '$CSOCK' list remove alice.gone@remote.test | grep -q 'nothing to remove'"
send "$DATA/hard.eml"
e2e_check "listed again by a new bounce" test "$(listed alice.gone@remote.test)" -eq 1

# 4. the event log: one line per recipient, parseable, with the original Message-ID
e2e_check "event log: one line per examined recipient (9)" test "$(wc -l < "$EVENTS")" -eq 9
e2e_check "event log: every line is JSON with the schema's keys" python3 - "$EVENTS" <<'PY'
import json, sys
keys = {"time", "queue_id", "kind", "class", "reason", "status", "action", "recipient",
        "original_recipient", "reporting_mta", "origin_spf", "origin_trusted", "listed",
        "why", "message_id", "list_id", "diagnostic"}
ev = [json.loads(l) for l in open(sys.argv[1])]
assert all(set(e) == keys for e in ev), "keys"
whys = [e["why"] for e in ev]
assert whys == ["not-candidate"] * 3 + ["escalated", "already", "allowlist", "allowlist",
                                         "new", "new"][:len(whys) - 3], whys
soft = [e for e in ev if e["class"] == "soft"]
assert len(soft) == 5 and all(e["reason"] == "mailboxfull" for e in soft)
assert all(e["message_id"] for e in ev), "message_id"
PY

# 5. counters and the exposition
ctl stats > "$WORK/stats.txt"
echo "--- bounce-milterctl stats"; cat "$WORK/stats.txt"; echo "---"
e2e_check "stats: 9 messages examined" grep -Eq '^messages examined +9$' "$WORK/stats.txt"
e2e_check "stats: 1 escalated" grep -Eq '^escalated +1$' "$WORK/stats.txt"
e2e_check "stats: allowlist counted" grep -q 'allowlist=2' "$WORK/stats.txt"
ctl stats prometheus > "$WORK/metrics.prom"
if command -v promtool >/dev/null 2>&1; then
	e2e_check "promtool check metrics" bash -c "promtool check metrics < '$WORK/metrics.prom'"
else
	echo "# SKIP promtool check metrics: promtool is not installed (apt-get install prometheus)"
fi
e2e_check "the milter is still running" e2e_alive "$MILTER_PID"
e2e_summary
