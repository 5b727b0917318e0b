#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# list-control.sh - the control socket against the running daemon (no MTA):
# 10,000 distinct hard bounces through milter-load (4 connections) while a
# loop of bounce-milterctl "list add" / "list remove" / "list export" runs
# beside it, also removing load addresses that are already listed.  At the
# end the list file must equal the expected set (every load address not
# removed, the loop's own addresses as it left them) with no duplicate, and
# every removed address must be listed again by a new bounce.  Also: the
# socket is mode 0600 and refuses another user (as root), malformed and
# overlong requests get an error line and the daemon lives on, the stats
# add up, "stats prometheus" passes promtool (skipped with a note when
# promtool is missing), --textfile writes the file atomically.
# Needs only the build; as root the daemon drops to nobody.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
LOAD=$BUILD/tests/tools/milter-load
CTL=$BUILD/bounce-milterctl
N=${OPS_LOAD_MSGS:-10000}
[ -x "$BUILD/bounce-milter" ] || e2e_skip "$BUILD/bounce-milter is not built"
[ -x "$LOAD" ] || e2e_skip "$LOAD is not built"
[ -x "$CTL" ] || e2e_skip "$CTL is not built"
command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed"

WORK=$(mktemp -d /tmp/bm-ops.XXXXXX)
chmod 755 "$WORK"
MILTER_PID=""
E2E_PASS=0; E2E_FAIL=0
trap 'e2e_milter_stop; rm -rf "$WORK"' EXIT
RUNUSER=""
mkdir -p "$WORK/list" "$WORK/msgs" "$WORK/again"
if [ "$(id -u)" -eq 0 ]; then
	RUNUSER=nobody
	chown "$RUNUSER" "$WORK/list"
fi
CSOCK=$WORK/list/control.sock
cat > "$WORK/bm.conf" <<CONF
socket = "unix:$WORK/list/milter.sock"
user = "$RUNUSER"
max_suppress_per_hour = 10000000
max_suppress_per_domain = 10000000
suppress {
	file = "$WORK/list/suppressed.txt"
	format = "csv"
}
trust {
	spf = "off"
	relays = {"192.0.2.10"}     # milter-load's client address
}
control {
	socket = "$CSOCK"
	max_requests_per_second = 10000
}
allowlist { entries = {"allowed.example"} }
CONF
chmod 644 "$WORK/bm.conf"

# N distinct RFC 3464 bounces, user-I@load.example, 5.1.1
python3 - "$WORK/msgs" "$N" <<'PY'
import sys, os
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    a = "user-%d@load.example" % i
    with open(os.path.join(d, "m%05d.eml" % i), "w") as f:
        f.write("From: MAILER-DAEMON@mx.load.example\r\nTo: news@example.org\r\n"
                "Subject: Undelivered Mail\r\nMessage-ID: <b%d@mx.load.example>\r\n"
                "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
                " boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n<%s>: 550 5.1.1 "
                "user unknown\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
                "Reporting-MTA: dns; mx.load.example\r\n\r\nFinal-Recipient: rfc822; %s\r\n"
                "Action: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n" % (i, a, a))
PY

e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
for i in $(seq 100); do [ -S "$CSOCK" ] && break; sleep 0.05; done
e2e_check "control socket is there" test -S "$CSOCK"
e2e_check "control socket mode 0600" test "$(stat -c %a "$CSOCK")" = 600
sed 's/^socket = .*/socket = "unix:'"${WORK//\//\\/}"'\/list\/second.sock"/' "$WORK/bm.conf" > "$WORK/second.conf"
chmod 644 "$WORK/second.conf"
"$BUILD/bounce-milter" -f -c "$WORK/second.conf" > "$WORK/second.log" 2>&1
e2e_check "a second daemon refuses the control socket in use" grep -q 'control socket .*: in use' "$WORK/second.log"
e2e_check "the first daemon's socket is still there" test -S "$CSOCK"
ctl() { "$CTL" -s "$CSOCK" "$@"; }

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	# another user: the mode refuses it (and SO_PEERCRED would)
	e2e_check "another user is refused" \
		bash -c "! setpriv --reuid=1 --regid=1 --clear-groups '$CTL' -s '$CSOCK' stats >/dev/null 2>&1"
fi

# malformed requests: an error line each, and the daemon answers afterwards
python3 - "$CSOCK" > "$WORK/malformed.out" <<'PY'
import socket, sys
def ask(data):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(data)
    s.settimeout(5); out = b""
    try:
        while not out.endswith(b"\n"):
            d = s.recv(4096)
            if not d: break
            out += d
    except Exception: pass
    s.close(); print(out.decode(errors="replace").strip())
ask(b"A" * 5000)
ask(b"stats\x00\n")
ask(b"\xff\xfe\n")
ask(b"list add\n")
ask(b"list remove not-an-address\n")
ask(b"list add x@allowed.example\n")
PY
e2e_check "overlong request: error line" grep -q '^ERR request too long' "$WORK/malformed.out"
e2e_check "NUL in request: error line" grep -q '^ERR control character' "$WORK/malformed.out"
e2e_check "every malformed request answered ERR" test "$(grep -c '^ERR' "$WORK/malformed.out")" -eq 6
e2e_check "allowlisted address refused by list add" grep -q 'matches the allowlist' "$WORK/malformed.out"
e2e_check "daemon alive after malformed requests" e2e_alive "$MILTER_PID"

# the load, and the control loop beside it
"$LOAD" -s "unix:$WORK/list/milter.sock" -c 4 -m $((N / 4)) -t 60 "$WORK/msgs" \
	> "$WORK/load.out" 2>&1 &
LOADPID=$!
declare -A own
: > "$WORK/removed"
k=0
while e2e_alive "$LOADPID" || [ "$k" -lt 100 ]; do
	i=$((k * 7 % 40))
	if [ -n "${own[$i]:-}" ]; then
		ctl list remove "own-$i@ctl.example" > /dev/null || echo "remove own-$i failed" >> "$WORK/loop.err"
		unset "own[$i]"
	else
		ctl list add "own-$i@ctl.example" > /dev/null || echo "add own-$i failed" >> "$WORK/loop.err"
		own[$i]=1
	fi
	if [ $((k % 5)) -eq 0 ]; then
		# a load address that is listed by now: take it off again
		j=$((k * 37 % N))
		if ctl list query "user-$j@load.example" > /dev/null; then
			if ctl list remove "user-$j@load.example" | grep -q '^removed'; then
				echo "$j" >> "$WORK/removed"
			fi
		fi
	fi
	[ $((k % 25)) -eq 0 ] && { ctl list export > "$WORK/export.$((k % 2))" || echo "export failed" >> "$WORK/loop.err"; }
	k=$((k + 1))
done
wait "$LOADPID"; lrc=$?
e2e_check "milter-load: $N messages, no error (rc $lrc)" \
	grep -q "^RESULT mode=normal msgs=$N .* errors=0" "$WORK/load.out"
e2e_check "control loop: no failed command ($k rounds)" test ! -s "$WORK/loop.err"
sort -u "$WORK/removed" -o "$WORK/removed"
nrem=$(wc -l < "$WORK/removed")
echo "# control loop: $k rounds, $nrem load addresses removed while the load ran"
e2e_check "some load addresses were removed under load" test "$nrem" -gt 0

expected() { # the expected set, sorted
	{
		for ((i = 0; i < N; i++)); do echo "user-$i@load.example"; done | \
			grep -vxF -f <(sed 's/.*/user-&@load.example/' "$WORK/removed")
		for i in "${!own[@]}"; do echo "own-$i@ctl.example"; done
	} | LC_ALL=C sort
}
listed() { tail -n +2 "$WORK/list/suppressed.txt" | cut -d, -f1 | LC_ALL=C sort; }
expected > "$WORK/expected"
listed > "$WORK/listed"
e2e_check "no duplicate line in the list" test -z "$(uniq -d "$WORK/listed")"
e2e_check "list file equals the expected set ($(wc -l < "$WORK/expected") addresses)" \
	cmp -s "$WORK/expected" "$WORK/listed"
ctl list export > "$WORK/export.final"
e2e_check "list export equals the file" cmp -s "$WORK/listed" "$WORK/export.final"
e2e_check "list count equals the file" test "$(ctl list count)" -eq "$(wc -l < "$WORK/listed")"

# every removed address is listed again by a new bounce
while read -r j; do cp "$WORK/msgs/m$(printf %05d "$j").eml" "$WORK/again/"; done < "$WORK/removed"
"$LOAD" -s "unix:$WORK/list/milter.sock" -c 1 -m "$nrem" "$WORK/again" > "$WORK/again.out" 2>&1
N_ALL=$N
removed_none() { : > "$WORK/removed"; }
removed_none
expected > "$WORK/expected"
listed > "$WORK/listed"
e2e_check "every removed address listed again by a new bounce" cmp -s "$WORK/expected" "$WORK/listed"
e2e_check "still no duplicate" test -z "$(uniq -d "$WORK/listed")"

# the counters add up
ctl stats > "$WORK/stats.txt"
cat "$WORK/stats.txt"
e2e_check "stats: examined = $((N_ALL + nrem))" \
	grep -Eq "^messages examined +$((N_ALL + nrem))\$" "$WORK/stats.txt"
e2e_check "stats: no write error" grep -Eq '^list write errors +0$' "$WORK/stats.txt"
ctl stats prometheus > "$WORK/metrics.prom"
if command -v promtool >/dev/null 2>&1; then
	e2e_check "promtool check metrics" bash -c "promtool check metrics < '$WORK/metrics.prom'"
else
	echo "# SKIP promtool check metrics: promtool is not installed (apt-get install prometheus)"
fi
"$CTL" -s "$CSOCK" --textfile "$WORK/bm.prom"
e2e_check "--textfile wrote the exposition" grep -q '^bounce_milter_messages_examined_total ' "$WORK/bm.prom"
e2e_check "--textfile left no temporary file" test -z "$(ls "$WORK" | grep '^bm.prom.')"

# the caps, after a reload through the socket: 2 clients, 5 requests a second
sed -i 's/max_requests_per_second = 10000/max_requests_per_second = 5\n\tmax_clients = 2/' "$WORK/bm.conf"
e2e_check "reload through the socket answers OK" bash -c "'$CTL' -s '$CSOCK' reload | grep -q 'configuration reloaded'"
python3 - "$CSOCK" > "$WORK/caps.out" <<'PY'
import socket, sys, time
def conn():
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(3); return s
def drain(s):
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d: break
            out += d
    except Exception: pass
    return out
time.sleep(1.1)                     # a full bucket
s = conn(); s.sendall(b"list count\n" * 40)
out = drain(s); s.close()
print("busy", out.count(b"ERR busy"), "ok", out.count(b"OK 1 count"))
time.sleep(1.1)
a, b = conn(), conn()
time.sleep(0.3)
c = conn()
print("third", drain(c).decode().strip())
PY
cat "$WORK/caps.out"
e2e_check "requests over the rate answered ERR busy" \
	awk '/^busy/ { exit !($2 >= 30 && $4 >= 1 && $4 <= 10) }' "$WORK/caps.out"
e2e_check "a third client told ERR too many clients" grep -q '^third ERR too many clients' "$WORK/caps.out"
sleep 1.1
# a bad value in the control section (a second control { } section would
# be refused as a duplicate before the value is read)
sed -i "s|socket = \"$CSOCK\"|socket = \"relative\"|" "$WORK/bm.conf"
e2e_check "a bad config: reload answers ERR, exit 1" bash -c "! '$CTL' -s '$CSOCK' reload 2> '$WORK/reload.err'"
e2e_check "the ERR says why" grep -q 'control.socket' "$WORK/reload.err"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	# even with the mode opened up, the peer's uid is checked
	chmod 666 "$CSOCK"
	sleep 1.1
	setpriv --reuid=1 --regid=1 --clear-groups "$CTL" -s "$CSOCK" stats > /dev/null 2> "$WORK/peer.err"
	e2e_check "another user refused by SO_PEERCRED" grep -q 'ERR permission denied' "$WORK/peer.err"
	chmod 600 "$CSOCK"
fi
e2e_check "daemon still running" e2e_alive "$MILTER_PID"
echo "$E2E_PASS passed, $E2E_FAIL failed"
[ "$E2E_FAIL" -eq 0 ]
