#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end through a real Sendmail 8.17 (Debian's sendmail-bin, unpacked
# with dpkg-deb -x: it conflicts with Postfix, so it is never installed),
# with bounce-milter in INPUT_MAIL_FILTER.  Sendmail runs as a foreground
# daemon (-bD) on a loopback port, in a private network namespace (clients
# with ordinary addresses) and UTS namespace (an FQDN host name: without
# one Sendmail waits 60 s); messages go in with swaks.  The same checks as
# test-postfix.sh: tags, the list, forged X-Bounce-* headers stripped; and
# the log line's queue id and client address, which reach the milter
# through Sendmail's own macros ({i} at MAIL FROM) and the connect call.
#
# The packages come from $BM_SENDMAIL_DEBS (a folder holding
# sendmail-bin_*.deb and sendmail-cf_*.deb; default
# /var/cache/bounce-milter/sendmail, which bootstrap.sh test fills) or,
# failing that, `apt-get download` into a temporary folder.
# Skips (77) unless root with swaks, m4, unshare, ip and libwrap0, or when
# the packages cannot be had.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
# the packages this script downloaded itself go whichever way the inner run
# ends, a skip included (e2e_setup_work's trap replaces this one later and
# e2e_local_teardown removes them then)
if [ -n "${E2E_IN_NETNS:-}" ] && [ -n "${BM_SENDMAIL_DEBS_TEMP:-}" ]; then
	trap 'rm -rf "$BM_SENDMAIL_DEBS"' EXIT
fi

[ -z "${BM_SKIP_E2E:-}" ] || e2e_skip "BM_SKIP_E2E is set: Sendmail test skipped here"
[ "$(id -u)" -eq 0 ] || e2e_skip "the Sendmail test needs root (it runs a Sendmail daemon)"
[ -x "$BUILD/bounce-milter" ] || e2e_skip "$BUILD/bounce-milter is not built"
command -v swaks >/dev/null 2>&1 || e2e_skip "swaks is not installed"
command -v m4 >/dev/null 2>&1 || e2e_skip "m4 is not installed (apt-get install m4)"
export PATH="$PATH:/usr/sbin:/sbin"
# (no grep -q: under pipefail its early exit fails the pipeline)
ldconfig -p 2>/dev/null | grep 'libwrap\.so\.0' >/dev/null ||
	e2e_skip "libwrap0 is not installed (Sendmail links libwrap.so.0: apt-get install libwrap0)"
# --- Sendmail from the Debian packages, unpacked --------------------------
# Fetched (when no folder holds them) before the script moves into its
# network namespace, which has no route to the archive.
DEBS=${BM_SENDMAIL_DEBS:-/var/cache/bounce-milter/sendmail}
if [ -z "${E2E_IN_NETNS:-}" ] &&
    ! ls "$DEBS"/sendmail-bin_*.deb "$DEBS"/sendmail-cf_*.deb >/dev/null 2>&1; then
	DEBS=$(mktemp -d /tmp/bm-sendmail-debs.XXXXXX) || exit 1
	# apt fetches as the _apt user, who must be able to write there
	chmod 777 "$DEBS"
	if ! (cd "$DEBS" && apt-get download -q sendmail-bin sendmail-cf) >"$DEBS/apt.log" 2>&1; then
		why=$(tail -1 "$DEBS/apt.log")
		rm -rf "$DEBS"
		e2e_skip "could not fetch sendmail-bin and sendmail-cf with apt-get download ($why)"
	fi
	export BM_SENDMAIL_DEBS=$DEBS BM_SENDMAIL_DEBS_TEMP=1
fi
e2e_enter_netns "$0" "$@"
GOOD_IP=198.51.100.9
e2e_setup_work
SM_PID=""
e2e_local_teardown() {
	[ -n "${BM_SENDMAIL_DEBS_TEMP:-}" ] && rm -rf "$BM_SENDMAIL_DEBS"
	[ -n "$SM_PID" ] || return 0
	kill -- "-$SM_PID" 2>/dev/null
	for _ in $(seq 50); do e2e_alive "$SM_PID" || break; sleep 0.1; done
	kill -9 -- "-$SM_PID" 2>/dev/null
	wait "$SM_PID" 2>/dev/null
}
SMROOT=$WORK/smroot
for d in "$DEBS"/sendmail-bin_*.deb "$DEBS"/sendmail-cf_*.deb; do
	dpkg-deb -x "$d" "$SMROOT" || e2e_skip "dpkg-deb -x $d failed"
done
SMB=$SMROOT/usr/libexec/sendmail/sendmail
CFDIR=$SMROOT/usr/share/sendmail/cf
[ -x "$SMB" ] && [ -f "$CFDIR/m4/cf.m4" ] || e2e_skip "the unpacked packages lack sendmail or cf.m4"

SMTP_PORT=$(e2e_free_port)
MILTER_PORT=$(e2e_free_port)
RUNUSER=nobody
LISTDIR=$WORK/list
LIST=$LISTDIR/suppressed.txt
SM=$WORK/sm
OUT=$SM/out
mkdir -p "$LISTDIR" "$SM/queue" "$OUT"
chown "$RUNUSER" "$LISTDIR"
chmod 755 "$LISTDIR"
chmod 700 "$SM/queue"
chmod 1777 "$OUT"           # the local mailer runs as an unprivileged user

# The local mailer: each delivery becomes one file, as a Maildir would.
cat > "$SM/deliver" <<DELIVER
#!/bin/sh
f=\$(mktemp "$OUT/msg.XXXXXX") && cat > "\$f"
DELIVER
chmod 755 "$SM/deliver"
printf 'bounces: root\nteam: root\n' > "$SM/aliases"
: > "$SM/local-host-names"
cat > "$SM/test.mc" <<EOF
divert(-1)
include(\`$CFDIR/m4/cf.m4')
divert(0)dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mx.sink.test')dnl
define(\`QUEUE_DIR', \`$SM/queue')dnl
define(\`confPID_FILE', \`$SM/sendmail.pid')dnl
define(\`STATUS_FILE', \`$SM/statistics')dnl
define(\`ALIAS_FILE', \`$SM/aliases')dnl
define(\`confCW_FILE', \`$SM/local-host-names')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`GroupWritableDirPathSafe,TrustStickyBit,NonRootSafeAddr')dnl
define(\`confLOG_LEVEL', \`9')dnl
define(\`LOCAL_MAILER_PATH', \`$SM/deliver')dnl
define(\`LOCAL_MAILER_ARGS', \`deliver \$u')dnl
define(\`LOCAL_MAILER_FLAGS', \`Prmn9')dnl
DAEMON_OPTIONS(\`Port=$SMTP_PORT, Addr=0.0.0.0, Name=MTA')dnl
LOCAL_DOMAIN(\`sink.test')dnl
INPUT_MAIL_FILTER(\`bounce-milter', \`S=inet:$MILTER_PORT@127.0.0.1, F=T, T=C:10s;S:30s;R:30s;E:1m')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`nocanonify')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
EOF
m4 "$SM/test.mc" > "$SM/test.cf" 2>"$WORK/m4.log" || { cat "$WORK/m4.log"; echo "m4 failed"; exit 1; }
chmod 644 "$SM/test.cf" "$SM/aliases"
sm() { unshare -u sh -c 'hostname mx.sink.test && exec "$@"' sh "$SMB" -C "$SM/test.cf" "$@"; }
sm -bi >"$WORK/newaliases.log" 2>&1 || { cat "$WORK/newaliases.log"; echo "newaliases failed"; exit 1; }

cat > "$WORK/bm.conf" <<CONF
socket = "inet:$MILTER_PORT@127.0.0.1"
user = "$RUNUSER"
max_message_bytes = 1048576
suppress {
	file = "$LIST"
	format = "plain"
	classes = {"hard"}
	fsync = "always"
	on_error = "tempfail"
}
trust {
	spf = "off"
	relays = {"$GOOD_IP"}       # the test's sending MTA: our relay here
}
CONF
chmod 644 "$WORK/bm.conf"
"$BUILD/bounce-milter" -t -c "$WORK/bm.conf" >"$WORK/check.log" 2>&1
e2e_check "bounce-milter -t accepts the test config" test $? -eq 0 || cat "$WORK/check.log"
e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
e2e_wait_port "$MILTER_PORT" || { cat "$WORK/milter.log"; echo "milter did not start"; exit 1; }

# The daemon in a process group of its own (setsid, unshare and sh all
# exec in place, so $! is Sendmail's pid and its group's id): the clean-up
# ends the daemon and every child it forked for a connection or a delivery.
setsid unshare -u sh -c 'hostname mx.sink.test && exec "$@"' sh \
	"$SMB" -C "$SM/test.cf" -bD -odi >"$WORK/sendmail.log" 2>&1 &
SM_PID=$!
e2e_wait_port "$SMTP_PORT" 400 || { cat "$WORK/sendmail.log"; echo "sendmail did not start"; exit 1; }
"$SMB" -C "$SM/test.cf" -d0.1 -bt </dev/null 2>/dev/null | grep -m1 'Version' || true

listed() { grep -c -x -F -- "$1" "$LIST" 2>/dev/null || true; }
# the delivered file holding Message-ID ID (waits for it)
find_msg() {
	local i f
	for i in $(seq 200); do
		f=$(grep -l -F -- "$1" "$OUT"/msg.* 2>/dev/null | head -1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.05
	done
	return 1
}
# the queue id Sendmail gave the message: "... with ESMTP id QID" in its
# own Received: line (the first one)
queue_id() { e2e_headers "$1" | grep -m1 '^Received:' | sed -n 's/.* id \([A-Za-z0-9]*\).*/\1/p'; }
sent() { # FROM RCPT FILE
	e2e_send "$1" "$2" "$3" good.test "$GOOD_IP"
}

# 1. A hard bounce, sent twice: tagged both times, listed once; the log
#    names Sendmail's queue id and the client's address.
sent '<>' bounces@sink.test "$SRCDIR/tests/data/e2e/hard.eml"
sent '<>' bounces@sink.test "$SRCDIR/tests/data/e2e/hard.eml"
f=$(find_msg 'dsn-hard@mx.remote.test')
e2e_check "hard bounce delivered through Sendmail" test -n "$f"
for _ in $(seq 200); do
	[ "$(grep -l -F 'dsn-hard@mx.remote.test' "$OUT"/msg.* 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.05
done
n=0
for g in $(grep -l -F 'dsn-hard@mx.remote.test' "$OUT"/msg.* 2>/dev/null); do
	e2e_headers "$g" | grep -q '^X-Bounce-Class: hard$' && n=$((n + 1))
done
e2e_check "hard bounce delivered twice, tagged X-Bounce-Class: hard both times (got $n)" test "$n" -eq 2
e2e_headers "$f" > "$WORK/hard.hdr"
e2e_check "hard bounce has X-Bounce-Recipient for alice with status and reason" \
	grep -q '^X-Bounce-Recipient: alice.gone@remote.test; class=hard; status=5.1.1; reason=userunknown' "$WORK/hard.hdr"
e2e_check "hard bounce has X-Bounce-Origin with the client address" \
	grep -q "^X-Bounce-Origin: .*ip=$GOOD_IP" "$WORK/hard.hdr"
e2e_check "hard bounce recipient listed exactly once" test "$(listed alice.gone@remote.test)" -eq 1
qids=$(for g in $(grep -l -F 'dsn-hard@mx.remote.test' "$OUT"/msg.*); do queue_id "$g"; done | sort | tr '\n' ' ')
logged=$(grep 'rcpt=<alice.gone@remote.test>' "$WORK/milter.log" |
	sed -n 's/.*: \([A-Za-z0-9]*\): bounce .*/\1/p' | sort | tr '\n' ' ')
e2e_check "the log lines carry Sendmail's queue ids ($qids= $logged)" \
	test -n "$qids" -a "$qids" = "$logged"
e2e_check "the log lines carry the client address ip=$GOOD_IP" \
	test "$(grep 'rcpt=<alice.gone@remote.test>' "$WORK/milter.log" | grep -c " ip=$GOOD_IP\b")" -eq 2

# 2. Soft and block bounces: tagged, not listed.
sent '<>' bounces@sink.test "$SRCDIR/tests/data/e2e/soft.eml"
sent '<>' bounces@sink.test "$SRCDIR/tests/data/e2e/block.eml"
f=$(find_msg 'dsn-soft@mx.remote.test')
e2e_check "soft bounce tagged X-Bounce-Class: soft" grep -q '^X-Bounce-Class: soft$' "$f"
e2e_check "soft bounce recipient not listed" test "$(listed carol.full@remote.test)" -eq 0
f=$(find_msg 'dsn-block@mx.remote.test')
e2e_check "block bounce tagged X-Bounce-Class: block" grep -q '^X-Bounce-Class: block$' "$f"
e2e_check "block bounce recipient not listed" test "$(listed dave.ok@remote.test)" -eq 0

# 3. Ordinary mail passes with no X-Bounce header.
sent grace@sender.test team@sink.test "$SRCDIR/tests/data/e2e/ordinary.eml"
f=$(find_msg 'minutes-20261128@sender.test')
e2e_check "ordinary mail delivered" test -n "$f"
e2e_check "ordinary mail has no X-Bounce header" test "$(grep -ic '^x-bounce-' "$f")" -eq 0
e2e_strip_prepended "$f" "$(head -1 "$SRCDIR/tests/data/e2e/ordinary.eml")" > "$WORK/ordinary.got"
e2e_check "ordinary mail body and headers unchanged" \
	cmp -s "$SRCDIR/tests/data/e2e/ordinary.eml" "$WORK/ordinary.got"

# 4. Forged X-Bounce-* headers are removed through Sendmail too.
sent mallory@sender.test team@sink.test "$SRCDIR/tests/data/e2e/forged.eml"
f=$(find_msg 'forged-20261128@sender.test')
e2e_check "forged message delivered" test -n "$f"
e2e_check "forged X-Bounce-* headers removed" test "$(grep -ic '^x-bounce-' "$f")" -eq 0
grep -v -i '^x-bounce-' "$SRCDIR/tests/data/e2e/forged.eml" > "$WORK/forged.want"
e2e_strip_prepended "$f" "$(head -1 "$SRCDIR/tests/data/e2e/forged.eml")" > "$WORK/forged.got"
e2e_check "message with forged headers otherwise unchanged" cmp -s "$WORK/forged.want" "$WORK/forged.got"
e2e_check "the forged victim is not listed" test "$(listed victim@sink.test)" -eq 0

echo "$E2E_PASS passed, $E2E_FAIL failed"
if [ "$E2E_FAIL" -ne 0 ]; then
	echo "--- milter log"; tail -30 "$WORK/milter.log"
	echo "--- sendmail"; tail -30 "$WORK/sendmail.log"
	echo "--- swaks"; tail -40 "$WORK/swaks.log"
	exit 1
fi
