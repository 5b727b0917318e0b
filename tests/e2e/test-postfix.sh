#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end through a real Postfix on loopback (issue: the milter daemon;
# issue: trust).  Postfix runs with bounce-milter in smtpd_milters; messages
# are injected over SMTP with swaks; the delivered Maildir files and the
# suppression list are checked.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/e2e/lib.sh"
e2e_require
# The origin cases need clients with ordinary addresses: run in a private
# network namespace whose lo also holds three documentation addresses
# (nothing on the host changes).  GOOD_IP is our own relay (trust.relays),
# FORGED_IP an attacker's host with an SPF record of its own, ALIGNED_IP
# bigbank.test's mail server (SPF-authorised for bigbank.test only).
e2e_enter_netns "$0" "$@"
GOOD_IP=198.51.100.9
FORGED_IP=192.0.2.77
ALIGNED_IP=203.0.113.25
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

# SPF without DNS: a zone given to the test daemon (the tests' DNS seam).
# forged.test allows only 198.51.100.0/24 (HELO forged.test from
# $FORGED_IP fails); attacker.test is the attacker's own domain and passes
# from $FORGED_IP; remote.test's addresses are at home on 198.51.100.0/24;
# bigbank.test authorises $ALIGNED_IP.
cat > "$WORK/zone" <<ZONE
good.test TXT v=spf1 ip4:198.51.100.0/24 -all
forged.test TXT v=spf1 ip4:198.51.100.0/24 -all
attacker.test TXT v=spf1 ip4:$FORGED_IP -all
remote.test TXT v=spf1 ip4:198.51.100.0/24 -all
bigbank.test TXT v=spf1 ip4:$ALIGNED_IP -all
mx.bigbank.test TXT v=spf1 ip4:$ALIGNED_IP -all
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
	relays = {"$GOOD_IP"}
	spf_timeout_ms = 2000
}
CONF
cp "$WORK/bm.conf" "$WORK/bm.conf.base"
chmod 644 "$WORK/bm.conf" "$WORK/zone"
export BM_TEST_DNS_ZONE=$WORK/zone

"$BUILD/bounce-milter" -t -c "$WORK/bm.conf" >"$WORK/check.log" 2>&1
e2e_check "bounce-milter -t accepts the test config" test $? -eq 0 || cat "$WORK/check.log"

e2e_milter_start "$WORK/bm.conf" "$WORK/milter.log"
e2e_wait_port "$MILTER_PORT" || { cat "$WORK/milter.log"; echo "milter did not start"; exit 1; }
# local submission (sendmail) goes through the milter too, as the README
# suggests: a local user's forgery must not be listed
E2E_NON_SMTPD_MILTERS="inet:127.0.0.1:$MILTER_PORT" \
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
e2e_check "hard bounce from the trusted relay has X-Bounce-Origin with origin=trusted and suppressed=yes" \
	grep -q '^X-Bounce-Origin: origin=trusted; spf=pass; helo=good.test; ip=198.51.100.9; suppressed=yes' "$WORK/hard.hdr"
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

# 5. Origin levels (issue 10).  Without signing keys: trusted and aligned
#    bounces list, unaligned ones are tagged and never listed.
dsn_for() { # ADDRESS ID: a copy of spf-genuine.eml about ADDRESS
	sed -e "s/erin.gone@remote.test/$1/g" -e "s/dsn-spf-genuine/dsn-$2/g" \
		"$DATA/spf-genuine.eml" > "$WORK/$2.eml"
	echo "$WORK/$2.eml"
}
origin_of() { e2e_headers "$1" | grep '^X-Bounce-Origin:'; }
# 5a. attack 1: the attacker's own host, HELO of its own SPF-passing domain
e2e_send '<>' bounces@sink.test "$DATA/spf-forged.eml" attacker.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-spf-forged@mx.remote.test')
e2e_check "forged bounce from an own SPF-passing domain is still tagged hard" grep -q '^X-Bounce-Class: hard$' "$f"
e2e_check "forged bounce from an own SPF-passing domain: origin=unaligned, spf=pass, suppressed=no" \
	test "$(origin_of "$f")" = "X-Bounce-Origin: origin=unaligned; spf=pass; helo=attacker.test; ip=$FORGED_IP; suppressed=no"
e2e_check "forged bounce recipient never listed" test "$(listed frank.live@remote.test)" -eq 0
# 5b. the same with a HELO that fails SPF
e2e_send '<>' bounces@sink.test "$(dsn_for frank2.live@remote.test forged2)" forged.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-forged2@mx.remote.test')
e2e_check "forged bounce with SPF fail: origin=unaligned, spf=fail, not listed" \
	test "$(origin_of "$f")" = "X-Bounce-Origin: origin=unaligned; spf=fail; helo=forged.test; ip=$FORGED_IP; suppressed=no" -a \
	"$(listed frank2.live@remote.test)" -eq 0
# 5c. attack 2: a local user runs sendmail (non_smtpd_milters); Postfix
#     reports such mail as from localhost: no implicit trust
sed '1{/^From /d}' "$(dsn_for victim.local@remote.test local)" |
	sendmail -C "$PF/etc" -f '<>' bounces@sink.test
e2e_check "local sendmail forgery: sendmail accepted it" test $? -eq 0
f=$(e2e_find_msg 'dsn-local@mx.remote.test')
e2e_check "local sendmail forgery is tagged (it went through the milter)" grep -q '^X-Bounce-Class: hard$' "$f"
e2e_check "local sendmail forgery: origin=unaligned, suppressed=no" \
	sh -c "grep -A1 '^X-Bounce-Origin:' '$f' | tr -d '\n' | grep -q 'origin=unaligned.*suppressed=no'"
e2e_check "local sendmail forgery never listed" test "$(listed victim.local@remote.test)" -eq 0
# 5d. a bounce from the configured trusted relay is listed
e2e_send '<>' bounces@sink.test "$DATA/spf-genuine.eml" good.test "$GOOD_IP"
f=$(e2e_find_msg 'dsn-spf-genuine@mx.remote.test')
e2e_check "bounce from the trusted relay: origin=trusted" \
	test "$(origin_of "$f")" = "X-Bounce-Origin: origin=trusted; spf=pass; helo=good.test; ip=$GOOD_IP; suppressed=yes"
e2e_check "bounce from the trusted relay listed" test "$(listed erin.gone@remote.test)" -eq 1
# 5e. aligned: bigbank.test's own server reports gone@bigbank.test
e2e_send '<>' bounces@sink.test "$(dsn_for gone@bigbank.test aligned)" mx.bigbank.test "$ALIGNED_IP"
f=$(e2e_find_msg 'dsn-aligned@mx.remote.test')
e2e_check "aligned bounce: origin=aligned, suppressed=yes" \
	test "$(origin_of "$f")" = "X-Bounce-Origin: origin=aligned; spf=pass; helo=mx.bigbank.test; ip=$ALIGNED_IP; suppressed=yes"
e2e_check "aligned bounce listed" test "$(listed gone@bigbank.test)" -eq 1
# ... and the same server is not aligned for another domain's address
e2e_send '<>' bounces@sink.test "$(dsn_for ceo@remote.test unaligned2)" mx.bigbank.test "$ALIGNED_IP"
f=$(e2e_find_msg 'dsn-unaligned2@mx.remote.test')
e2e_check "bigbank.test's server naming a remote.test address: origin=unaligned, not listed" \
	test "$(origin_of "$f")" = "X-Bounce-Origin: origin=unaligned; spf=pass; helo=mx.bigbank.test; ip=$ALIGNED_IP; suppressed=no" -a \
	"$(listed ceo@remote.test)" -eq 0

# 5f. Signed return paths: keys configured, reloaded (SIGUSR1).  The key
#     file belongs to the run-time user, who reads it on a reload.
printf 'e2e signing secret\n' > "$WORK/key1"
chown "$RUNUSER" "$WORK/key1"
chmod 600 "$WORK/key1"
{ cat "$WORK/bm.conf.base"; cat <<CONF; } > "$WORK/bm.conf.new"
verp {
	patterns = {"bounces+{tag}+{local}={domain}@sink.test"}
}
signing {
	keys = {"1:$WORK/key1"}
}
CONF
chmod 644 "$WORK/bm.conf.new"
mv "$WORK/bm.conf.new" "$WORK/bm.conf"
n0=$(grep -c 'configuration reloaded' "$WORK/milter.log")
kill -USR1 "$MILTER_PID"
for i in $(seq 100); do [ "$(grep -c 'configuration reloaded' "$WORK/milter.log")" -gt "$n0" ] && break; sleep 0.05; done
e2e_check "reloaded with signing keys" test "$(grep -c 'configuration reloaded' "$WORK/milter.log")" -gt "$n0"
SIGN=$BUILD/bounce-sign
signed() { "$SIGN" -k "1:$WORK/key1" -b -p 'bounces+{tag}+{local}={domain}@sink.test' "$@"; }
rcpt=$(signed carol.signed@remote.test)
e2e_check "bounce-sign wrote a BATV address around a VERP address ($rcpt)" \
	sh -c "echo '$rcpt' | grep -q -E '^prvs=1[0-9]{3}[0-9a-f]{6}=bounces\+1[0-9]{3}[0-9a-f]{16}\+carol.signed=remote.test@sink.test$'"
e2e_send '<>' "$rcpt" "$(dsn_for carol.signed@remote.test signed)" attacker.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-signed@mx.remote.test')
e2e_check "BATV-signed bounce from an unaligned host: origin=signed, tag=valid, suppressed=yes" \
	sh -c "grep -A1 '^X-Bounce-Origin:' '$f' | tr -d '\n' | grep -q 'origin=signed; tag=valid;.*suppressed=yes'"
e2e_check "BATV-signed bounce from an unaligned host listed" test "$(listed carol.signed@remote.test)" -eq 1
rcpt=$(signed -T $(( $(date +%s) - 10 * 86400 )) dan.expired@remote.test)
e2e_send '<>' "$rcpt" "$(dsn_for dan.expired@remote.test expired)" attacker.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-expired@mx.remote.test')
e2e_check "expired tag: tag=expired, not listed" \
	sh -c "grep -A1 '^X-Bounce-Origin:' '$f' | tr -d '\n' | grep -q 'tag=expired' && ! grep -q -x -F dan.expired@remote.test '$LIST'"
rcpt=$(signed eve.altered@remote.test)
h=${rcpt:10:1}; [ "$h" = 0 ] && h2=1 || h2=0
rcpt="${rcpt:0:10}$h2${rcpt:11}"                         # one hex digit of the BATV hash
e2e_send '<>' "$rcpt" "$(dsn_for eve.altered@remote.test altered)" attacker.test "$FORGED_IP"
f=$(e2e_find_msg 'dsn-altered@mx.remote.test')
e2e_check "altered tag: tag=bad, not listed" \
	sh -c "grep -A1 '^X-Bounce-Origin:' '$f' | tr -d '\n' | grep -q 'tag=bad' && ! grep -q -x -F eve.altered@remote.test '$LIST'"
# attack 3: with keys, an untagged bounce never lists, even from our relay
e2e_send '<>' bounces@sink.test "$(dsn_for fay.untagged@remote.test untagged)" good.test "$GOOD_IP"
f=$(e2e_find_msg 'dsn-untagged@mx.remote.test')
e2e_check "with keys, an untagged bounce from the trusted relay: tag=none, not listed" \
	sh -c "grep -A1 '^X-Bounce-Origin:' '$f' | tr -d '\n' | grep -q 'tag=none' && ! grep -q -x -F fay.untagged@remote.test '$LIST'"
e2e_check "the milter logged why (why=unsigned)" grep -q 'rcpt=<fay.untagged@remote.test>.*why=unsigned' "$WORK/milter.log"
# back to the configuration without keys for the list-failure case
cp "$WORK/bm.conf.base" "$WORK/bm.conf"
n0=$(grep -c 'configuration reloaded' "$WORK/milter.log")
kill -USR1 "$MILTER_PID"
for i in $(seq 100); do [ "$(grep -c 'configuration reloaded' "$WORK/milter.log")" -gt "$n0" ] && break; sleep 0.05; done

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
