#!/bin/bash
# End to end through a real Postfix on loopback (issue: the milter daemon;
# issue: trust).  Postfix runs with bounce-milter in smtpd_milters; messages
# are injected over SMTP with swaks; the delivered Maildir files and the
# suppression list are checked.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
e2e_require
# libspf2 passes every loopback client, so the SPF cases need clients with
# ordinary addresses: run in a private network namespace whose lo also holds
# two documentation addresses (nothing on the host changes).
e2e_enter_netns "$0" "$@"
GOOD_IP=198.51.100.9
FORGED_IP=192.0.2.77
e2e_setup_work
DATA=$SRCDIR/tests/data/e2e
SMTP_PORT=$(e2e_free_port)
MILTER_PORT=$(e2e_free_port)
RUNUSER=nobody
LISTDIR=$WORK/list
LIST=$LISTDIR/suppressed.txt
mkdir -p "$LISTDIR"
chown "$RUNUSER" "$LISTDIR"
chmod 755 "$LISTDIR"

# SPF without DNS: an in-memory zone.  Both HELO domains allow only
# 198.51.100.0/24, so a bounce claiming HELO forged.test from $FORGED_IP
# fails SPF while the genuine one from $GOOD_IP passes.
cat > "$WORK/zone" <<ZONE
good.test TXT v=spf1 ip4:198.51.100.0/24 -all
forged.test TXT v=spf1 ip4:198.51.100.0/24 -all
ZONE
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
	spf = "pass"
	spf_timeout_ms = 2000
	dns_zone_file = "$WORK/zone"
}
CONF
chmod 644 "$WORK/bm.conf" "$WORK/zone"

"$BUILD/bounce-milter" -t -c "$WORK/bm.conf" >"$WORK/check.log" 2>&1
e2e_check "bounce-milter -t accepts the test config" test $? -eq 0 || cat "$WORK/check.log"

e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
e2e_wait_port "$MILTER_PORT" || { cat "$WORK/milter.log"; echo "milter did not start"; exit 1; }
e2e_postfix_up "$SMTP_PORT" "inet:127.0.0.1:$MILTER_PORT" || { echo "postfix did not start"; exit 1; }

listed() { grep -c -x -F -- "$1" "$LIST" 2>/dev/null || true; }
hdr_of() { e2e_headers "$1" | grep -i -c "^$2:" || true; }

# 1. A hard bounce, sent twice: tagged both times, listed once.
e2e_send '<>' bounces@sink.test "$DATA/hard.eml" good.test "$GOOD_IP"
e2e_send '<>' bounces@sink.test "$DATA/hard.eml" good.test "$GOOD_IP"
e2e_wait_delivered 2
n=0
for f in $(grep -l -F 'dsn-hard@mx.remote.test' "$PF"/mail/sink/new/* 2>/dev/null); do
	e2e_headers "$f" | grep -q '^X-Bounce-Class: hard$' && n=$((n + 1))
done
e2e_check "hard bounce delivered twice, tagged X-Bounce-Class: hard both times" test "$n" -eq 2
f=$(e2e_find_msg 'dsn-hard@mx.remote.test')
e2e_headers "$f" > "$WORK/hard.hdr"
e2e_check "hard bounce has X-Bounce-Recipient for alice with status and reason" \
	grep -q '^X-Bounce-Recipient: alice.gone@remote.test; class=hard; status=5.1.1; reason=userunknown' "$WORK/hard.hdr"
e2e_check "hard bounce has X-Bounce-Origin with spf=pass and suppressed=yes" \
	grep -q '^X-Bounce-Origin: spf=pass; helo=good.test; ip=198.51.100.9; suppressed=yes' "$WORK/hard.hdr"
e2e_check "added header lines stay within 78 octets (folded)" \
	test "$(sed '/^$/q' "$f" | grep -i -A3 '^X-Bounce-' | awk 'length($0) > 78' | wc -l)" -eq 0
e2e_check "hard bounce recipient listed exactly once" test "$(listed alice.gone@remote.test)" -eq 1
# The log lines name Postfix's queue id (the "with ESMTP id" of its own
# Received: line) and the client's address (tests/e2e/test-sendmail.sh
# checks the same through Sendmail, whose macros differ).
qids=$(for g in $(grep -l -F 'dsn-hard@mx.remote.test' "$PF"/mail/sink/new/*); do
	e2e_headers "$g" | grep -m1 '^Received:' | sed -n 's/.* id \([A-Za-z0-9]*\).*/\1/p'
done | sort | tr '\n' ' ')
logged=$(grep 'rcpt=<alice.gone@remote.test>' "$WORK/milter.log" |
	sed -n 's/.*: \([A-Za-z0-9]*\): bounce .*/\1/p' | sort | tr '\n' ' ')
e2e_check "the log lines carry Postfix's queue ids ($qids= $logged)" \
	test -n "$qids" -a "$qids" = "$logged"
e2e_check "the log lines carry the client address ip=$GOOD_IP" \
	test "$(grep 'rcpt=<alice.gone@remote.test>' "$WORK/milter.log" | grep -c " ip=$GOOD_IP\b")" -eq 2

# 2. Soft and block bounces: tagged, not listed.
e2e_send '<>' bounces@sink.test "$DATA/soft.eml" good.test "$GOOD_IP"
e2e_send '<>' bounces@sink.test "$DATA/block.eml" good.test "$GOOD_IP"
f=$(e2e_find_msg 'dsn-soft@mx.remote.test')
e2e_check "soft bounce tagged X-Bounce-Class: soft" grep -q '^X-Bounce-Class: soft$' "$f"
e2e_check "soft bounce recipient not listed" test "$(listed carol.full@remote.test)" -eq 0
f=$(e2e_find_msg 'dsn-block@mx.remote.test')
e2e_check "block bounce tagged X-Bounce-Class: block" grep -q '^X-Bounce-Class: block$' "$f"
e2e_check "block bounce recipient not listed" test "$(listed dave.ok@remote.test)" -eq 0

# 3. Ordinary mail arrives byte-identical (after what Postfix prepends).
e2e_send grace@sender.test team@sink.test "$DATA/ordinary.eml" good.test "$GOOD_IP"
f=$(e2e_find_msg 'minutes-20261128@sender.test')
e2e_strip_prepended "$f" "$(head -1 "$DATA/ordinary.eml")" > "$WORK/ordinary.got"
e2e_check "ordinary mail is byte-identical" cmp -s "$DATA/ordinary.eml" "$WORK/ordinary.got"
e2e_check "ordinary mail has no X-Bounce header" test "$(grep -ic '^x-bounce-' "$f")" -eq 0

# 4. Forged X-Bounce-* headers are removed; nothing else changes.
e2e_send mallory@sender.test team@sink.test "$DATA/forged.eml" good.test "$GOOD_IP"
f=$(e2e_find_msg 'forged-20261128@sender.test')
grep -v -i '^x-bounce-' "$DATA/forged.eml" > "$WORK/forged.want"
e2e_strip_prepended "$f" "$(head -1 "$DATA/forged.eml")" > "$WORK/forged.got"
e2e_check "forged X-Bounce-* headers removed" test "$(grep -ic '^x-bounce-' "$f")" -eq 0
e2e_check "message with forged headers otherwise byte-identical" cmp -s "$WORK/forged.want" "$WORK/forged.got"
e2e_check "the forged victim is not listed" test "$(listed victim@sink.test)" -eq 0

# 5. Forged bounce (HELO forged.test, SPF fail from 127.0.0.1): tagged, never
#    listed.  Genuine one (HELO good.test, SPF pass): listed.
e2e_send '<>' bounces@sink.test "$DATA/spf-forged.eml" forged.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-spf-forged@mx.remote.test')
e2e_check "forged bounce is still tagged hard" grep -q '^X-Bounce-Class: hard$' "$f"
e2e_headers "$f" > "$WORK/forged.hdr"
e2e_check "forged bounce records spf=fail and suppressed=no" \
	grep -q '^X-Bounce-Origin: spf=fail; helo=forged.test; ip=192.0.2.77; suppressed=no' "$WORK/forged.hdr"
e2e_check "forged bounce recipient never listed" test "$(listed frank.live@remote.test)" -eq 0
e2e_send '<>' bounces@sink.test "$DATA/spf-genuine.eml" good.test "$GOOD_IP"
f=$(e2e_find_msg 'dsn-spf-genuine@mx.remote.test')
e2e_check "genuine bounce recipient listed" test "$(listed erin.gone@remote.test)" -eq 1

# 6. An unwritable list: Postfix answers 4xx (the sender keeps the bounce);
#    once writable again, the retried bounce is listed exactly once.
mv "$LIST" "$LIST.taken"
chmod 555 "$LISTDIR"
: > "$WORK/swaks.log"
e2e_send '<>' bounces@sink.test "$DATA/hard2.eml" good.test "$GOOD_IP"
rc=$?
e2e_check "unwritable list: the SMTP transaction is refused (swaks rc=$rc)" test "$rc" -ne 0
e2e_check "unwritable list: Postfix answers 4xx after DATA" \
	grep -q -E '<\*\* +4[0-9][0-9]' "$WORK/swaks.log"
e2e_check "unwritable list: the bounce was not delivered" \
	test -z "$(grep -l -F 'dsn-hard2@mx.remote.test' "$PF"/mail/sink/new/* 2>/dev/null)"
chmod 755 "$LISTDIR"
e2e_send '<>' bounces@sink.test "$DATA/hard2.eml" good.test "$GOOD_IP"
e2e_check "retried after repair: accepted" test $? -eq 0
f=$(e2e_find_msg 'dsn-hard2@mx.remote.test')
e2e_check "retried after repair: listed exactly once" test "$(listed bob.gone@remote.test)" -eq 1
e2e_check "entries before the failure are still in the renamed list" test "$(grep -c -x -F alice.gone@remote.test "$LIST.taken")" -eq 1

e2e_summary
