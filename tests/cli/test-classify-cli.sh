#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# test-classify-cli.sh - bounce-classify's inputs and outputs: mbox files
# split per message (and a From_ line inside an ordinary file left alone),
# Maildir trees read recursively (cur/, new/, Maildir++ folders; tmp/,
# dot-files and symlinked directories skipped), the added TSV/JSON columns,
# and -o sisimai (valid JSON, Sisimai's key names, the same token as Sisimai
# computes when Debian's libsisimai-perl is installed).
set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
CLASSIFY=$BUILD/bounce-classify
DATA=$SRCDIR/tests/data
BOUNCES=$SRCDIR/tests/corpus/bounces/emails
PYTHON=${PYTHON3:-python3}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "test-classify-cli: SKIP: python3 is needed to read the JSON"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/classify-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
check() {   # check LABEL COMMAND...
	label=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $label" >&2
		fail=$((fail + 1))
	fi
}
# column N of the TSV rows (header skipped)
col() { awk -F '\t' -v c="$1" 'NR > 1 { print $c }'; }

# --- mbox: three messages, the middle one an ordinary message whose body
# quotes a From_-looking line (written ">From " as mboxrd does) -----------
{
	printf 'From MAILER-DAEMON  Tue Mar 10 08:14:03 2026\n'
	cat "$DATA/sample-bounce.eml"
	printf '\nFrom alice@example.com  Wed Mar 11 09:00:00 2026\n'
	printf 'From: alice@example.com\nTo: bob@example.net\nSubject: hi\n'
	printf 'Date: Wed, 11 Mar 2026 09:00:00 +0000\n\nbody\n>From me Mon Jan  1 00:00:00 2024\n\n'
	printf 'From MAILER-DAEMON Thu Mar 12 10:00:00 2026\n'
	cat "$DATA/dsn-multi.eml"
} > "$tmp/box.mbox"
"$CLASSIFY" "$tmp/box.mbox" > "$tmp/box.tsv"
check "mbox exit status" test $? -eq 0
check "mbox: message numbers per row" \
	test "$(col 23 < "$tmp/box.tsv" | tr '\n' ' ')" = "1 2 3 3 "
check "mbox: recipients per message" \
	test "$(col 3 < "$tmp/box.tsv" | tr '\n' ' ')" = "nosuchuser@example.net  gone@example.com full@example.net "
check "mbox: the ordinary message is not a bounce" \
	test "$(awk -F '\t' '$23 == 2 { print $6 }' "$tmp/box.tsv")" = none
# a header row and one per row set: the same rows as the files alone
"$CLASSIFY" "$DATA/sample-bounce.eml" | col 3 > "$tmp/alone.txt"
check "mbox: message 1 as the file alone" \
	test "$(awk -F '\t' '$23 == 1 { print $3 }' "$tmp/box.tsv")" = "$(cat "$tmp/alone.txt")"
# the same mbox on standard input
"$CLASSIFY" - < "$tmp/box.mbox" | col 23 > "$tmp/stdin.txt"
check "mbox on standard input" test "$(tr '\n' ' ' < "$tmp/stdin.txt")" = "1 2 3 3 "
# a file that does not start with a From_ line is one message, whatever it
# holds (a notice quoting a bounce after a From_ line)
{ cat "$DATA/qmail-text.eml"; printf '\nFrom MAILER-DAEMON  Thu Apr 29 23:34:45 2015\nmore\n'; } > "$tmp/notmbox.eml"
check "a From_ line inside an ordinary file does not split it" \
	test "$("$CLASSIFY" "$tmp/notmbox.eml" | col 23 | tr '\n' ' ')" = "1 "
# a line that only starts with "From " is no separator
{ printf 'From MAILER-DAEMON  Tue Mar 10 08:14:03 2026\n'; cat "$DATA/sample-bounce.eml";
  printf 'From the desk of the postmaster\n'; } > "$tmp/fromword.mbox"
check "\"From \" without a date is no separator" \
	test "$("$CLASSIFY" "$tmp/fromword.mbox" | col 23 | tr '\n' ' ')" = "1 "

# --- Maildir trees --------------------------------------------------------
md=$tmp/Maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp" "$md/.Archive/cur" "$md/.Archive/tmp" \
	"$md/.notes" "$tmp/elsewhere"
cp "$DATA/sample-bounce.eml" "$md/cur/1700000000.1.host:2,S"
cp "$DATA/dsn-delayed.eml" "$md/new/1700000001.2.host"
cp "$DATA/qmail-text.eml" "$md/.Archive/cur/1700000002.3.host:2,S"
cp "$DATA/dsn-multi.eml" "$md/tmp/1700000003.4.host"          # being delivered
cp "$DATA/dsn-multi.eml" "$md/.Archive/tmp/1700000004.5.host"
cp "$DATA/dsn-multi.eml" "$md/.notes/x"                        # no Maildir++ folder
cp "$DATA/dsn-multi.eml" "$md/cur/.hidden"
cp "$DATA/dsn-multi.eml" "$tmp/elsewhere/y"
ln -s "$tmp/elsewhere" "$md/cur/link"
"$CLASSIFY" "$md" > "$tmp/md.tsv"
check "Maildir exit status" test $? -eq 0
check "Maildir: cur/, new/ and .Archive/cur/ read, tmp/ and the rest skipped" \
	test "$(col 1 < "$tmp/md.tsv" | tr '\n' ' ')" = ".Archive/cur/1700000002.3.host:2,S cur/1700000000.1.host:2,S new/1700000001.2.host "
check "Maildir: rows as for the files" \
	test "$(col 3 < "$tmp/md.tsv" | tr '\n' ' ')" = "nobody@example.net nosuchuser@example.net slow@example.net "
# a plain tree: subfolders too
mkdir -p "$tmp/tree/a/b"
cp "$DATA/sample-bounce.eml" "$tmp/tree/a/b/m1"
cp "$DATA/arf.eml" "$tmp/tree/top"
check "a plain tree is read recursively" \
	test "$("$CLASSIFY" "$tmp/tree" | col 1 | tr '\n' ' ')" = "a/b/m1 top "
# an unreadable file is reported, the rest still read, exit 1
"$CLASSIFY" "$tmp/missing" "$DATA/arf.eml" > "$tmp/err.tsv" 2> "$tmp/err.txt"
check "a missing file: exit 1" test $? -eq 1
check "a missing file: the others still read" test "$(col 6 < "$tmp/err.tsv")" = feedback

# --- the added columns ----------------------------------------------------
"$CLASSIFY" "$DATA/sample-bounce.eml" > "$tmp/s.tsv"
check "TSV header keeps the old columns first and adds the new at the end" \
	test "$(head -n 1 "$tmp/s.tsv")" = "$(printf 'file\trcpt_index\trecipient\tstatus\treason\tclass\taction\treplycode\tkind\tdiagnostic\trecogniser\treporting_mta\tfeedback_type\tsmtp_command\tstatus_source\tevidence\trule\tfinal_recipient\tremote_mta\toriginal_recipient\tdate\tmessage_id\tmessage')"
check "TSV remote_mta, original_recipient, date, message_id" \
	test "$(cut -f 19-22 "$tmp/s.tsv" | tail -n 1)" = "$(printf 'mx1.example.net\tnosuchuser@example.net\t2026-03-10T08:14:02Z\t20260310081401.4Q2xYz1AbcZ@mx.example.org')"
"$CLASSIFY" -o json "$DATA/sample-bounce.eml" > "$tmp/s.json"
check "JSON carries the same fields" "$PYTHON" - "$tmp/s.json" <<'EOF'
import json, sys
row = json.loads(open(sys.argv[1]).read())
want = {"remote_mta": "mx1.example.net", "original_recipient": "nosuchuser@example.net",
        "date": "2026-03-10T08:14:02Z",
        "message_id": "20260310081401.4Q2xYz1AbcZ@mx.example.org", "message": 1}
sys.exit(0 if all(row.get(k) == v for k, v in want.items()) else 1)
EOF

# --- -o sisimai -----------------------------------------------------------
"$CLASSIFY" -o sisimai "$DATA/sample-bounce.eml" "$DATA/ordinary.eml" \
	"$DATA/dsn-success.eml" "$tmp/box.mbox" > "$tmp/sis.json"
check "sisimai: exit status" test $? -eq 0
check "sisimai: one JSON array, bounces only, Sisimai's keys" "$PYTHON" - "$tmp/sis.json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
keys = {"action", "addresser", "alias", "catch", "deliverystatus", "destination",
        "diagnosticcode", "diagnostictype", "feedbacktype", "lhost", "listid",
        "messageid", "origin", "reason", "recipient", "replycode", "rhost",
        "senderdomain", "smtpagent", "smtpcommand", "softbounce", "subject",
        "timestamp", "timezoneoffset", "token",
        "command", "decodedby", "hardbounce"}
ok = [r["recipient"] for r in rows] == [
    "nosuchuser@example.net", "nosuchuser@example.net", "gone@example.com", "full@example.net"]
first = rows[0]
ok = ok and all(set(r) == keys for r in rows)
ok = ok and first["deliverystatus"] == "5.1.1" and first["reason"] == "userunknown"
ok = ok and first["hardbounce"] == 1 and first["softbounce"] == 0
ok = ok and first["timestamp"] == 1773130442 and first["timezoneoffset"] == "+0100"
ok = ok and first["messageid"] == "20260310081401.4Q2xYz1AbcZ@mx.example.org"
ok = ok and first["replycode"] == "550" and first["rhost"] == "mx1.example.net"
ok = ok and isinstance(first["timestamp"], int) and len(first["token"]) == 40
if not ok:
    print(json.dumps(rows, indent=1))
sys.exit(0 if ok else 1)
EOF
"$CLASSIFY" -o sisimai "$DATA/ordinary.eml" > "$tmp/none.json"
check "sisimai: no bounce gives an empty array" "$PYTHON" -c \
	'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == [] else 1)' "$tmp/none.json"
# against Sisimai itself: its 4.25 key set is ours minus the 5.x names, and
# the token (SHA-1 of addresser, recipient, timestamp) is the same when the
# timestamp is (arf-01.eml: both read the bounce's Date)
if perl -MSisimai -e 1 2>/dev/null && [ -f "$BOUNCES/arf-01.eml" ]; then
	perl -MSisimai -e 'print Sisimai->dump($ARGV[0])' "$BOUNCES/arf-01.eml" > "$tmp/real.json"
	"$CLASSIFY" -o sisimai "$BOUNCES/arf-01.eml" > "$tmp/ours.json"
	check "sisimai: keys and token as Sisimai's own" "$PYTHON" - "$tmp/real.json" "$tmp/ours.json" <<'EOF'
import json, sys
real = json.load(open(sys.argv[1]))[0]
ours = json.load(open(sys.argv[2]))[0]
missing = set(real) - set(ours)
same = all(real[k] == ours[k] for k in ("token", "addresser", "recipient", "timestamp",
                                         "feedbacktype", "reason"))
if missing or not same:
    print("missing keys:", sorted(missing))
    print({k: (real.get(k), ours.get(k)) for k in real})
sys.exit(0 if not missing and same else 1)
EOF
else
	echo "test-classify-cli: Sisimai (libsisimai-perl) not installed: comparison with it left out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
