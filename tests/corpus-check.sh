#!/bin/sh
# corpus-check.sh - score bounce-classify on the shared bounce corpus and
# make sure no ordinary message (the ham corpus) gets a failure class, and
# that both corpora give identical rows when converted to CRLF line ends.
#
# Thresholds (percent; fp = false positives allowed) come from the
# environment (BM_REQUIRE_DETECT, _RECIPIENT, _STATUS_IN, _CLASS, _FP,
# _HARD_PRECISION, _HARD_RECALL); the
# defaults sit just under what the tree reaches (2026-12-07: detect 99.8,
# recipient 99.1, status_in 99.1, class 98.0, fp 0), at issue 11's targets
# (detect 99, recipient 99, status_in 99, class 98), and only ever go up:
# a change that loses accuracy fails here.  Hard precision (no live
# address called hard) must stay at 100 (issue 11).  Hard recall is held at
# what the evidence rules reach (2026-12-07: 93.8); issue 11 asks 97, which
# the corpus' labels allow only by rules fitted to single samples (see the
# README, "Evidence, then verdict").
# Skips (exit 77) when ../shared next to the source tree is missing.
set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$(pwd)}
SHARED=${BM_SHARED:-$SRCDIR/../shared}
CLASSIFY=$BUILD/bounce-classify

: "${BM_REQUIRE_DETECT:=99}"
: "${BM_REQUIRE_RECIPIENT:=99}"
: "${BM_REQUIRE_STATUS_IN:=99}"
: "${BM_REQUIRE_CLASS:=98}"
: "${BM_REQUIRE_FP:=0}"
: "${BM_REQUIRE_HARD_PRECISION:=100}"
: "${BM_REQUIRE_HARD_RECALL:=93.5}"

if [ ! -d "$SHARED/corpus/emails" ] || [ ! -x "$SHARED/tools/score" ]; then
	echo "corpus-check: SKIP: $SHARED/corpus/emails or $SHARED/tools/score missing"
	exit 77
fi
if [ ! -x "$CLASSIFY" ]; then
	echo "corpus-check: $CLASSIFY not built" >&2
	exit 1
fi
PYTHON=${PYTHON3:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "corpus-check: SKIP: python3 is needed by the score tool"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corpus-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0

"$CLASSIFY" -o tsv "$SHARED/corpus/emails" > "$tmp/bounces.tsv"
st=$?
if [ $st -ne 0 ]; then
	echo "corpus-check: bounce-classify exited $st on the bounce corpus" >&2
	rc=1
fi
if ! "$PYTHON" "$SHARED/tools/score" "$tmp/bounces.tsv" \
	--require "detect=$BM_REQUIRE_DETECT" \
	--require "recipient=$BM_REQUIRE_RECIPIENT" \
	--require "status_in=$BM_REQUIRE_STATUS_IN" \
	--require "class=$BM_REQUIRE_CLASS" \
	--require "fp=$BM_REQUIRE_FP" \
	--require "hard_precision=$BM_REQUIRE_HARD_PRECISION" \
	--require "hard_recall=$BM_REQUIRE_HARD_RECALL"; then
	echo "corpus-check: FAIL: the bounce corpus score is below the thresholds" >&2
	rc=1
fi

if [ -d "$SHARED/corpus-ham/emails" ]; then
	"$CLASSIFY" -o tsv "$SHARED/corpus-ham/emails" > "$tmp/ham.tsv"
	st=$?
	if [ $st -ne 0 ]; then
		echo "corpus-check: bounce-classify exited $st on the ham corpus" >&2
		rc=1
	fi
	# columns: file rcpt_index recipient status reason class ...
	awk -F '\t' 'NR > 1 && ($6 == "hard" || $6 == "soft" || $6 == "block" ||
	    $6 == "undetermined") { print $1 ": class " $6 " (" $9 ", " $11 ")"; n++ }
	    END { exit n > 0 }' "$tmp/ham.tsv" > "$tmp/ham-fp.txt"
	if [ -s "$tmp/ham-fp.txt" ]; then
		echo "corpus-check: FAIL: ordinary messages classified as failures:" >&2
		cat "$tmp/ham-fp.txt" >&2
		rc=1
	else
		echo "corpus-check: ham: no failure class on $(ls "$SHARED/corpus-ham/emails" | wc -l) messages"
	fi
else
	echo "corpus-check: $SHARED/corpus-ham/emails missing: ham check skipped"
fi

# Line ends: the same messages with CRLF line ends (as the milter gets them
# from Postfix) must give exactly the same rows as with LF.
for set in corpus corpus-ham; do
	[ -d "$SHARED/$set/emails" ] || continue
	lf=$tmp/bounces.tsv
	[ "$set" = corpus-ham ] && lf=$tmp/ham.tsv
	mkdir "$tmp/crlf-$set" || { rc=1; continue; }
	if ! "$PYTHON" - "$SHARED/$set/emails" "$tmp/crlf-$set" <<'PYEOF'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in os.listdir(src):
    path = os.path.join(src, name)
    if not os.path.isfile(path):
        continue
    with open(path, 'rb') as f:
        data = f.read()
    with open(os.path.join(dst, name), 'wb') as f:
        f.write(data.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n'))
PYEOF
	then
		echo "corpus-check: could not convert $set to CRLF" >&2
		rc=1
		continue
	fi
	"$CLASSIFY" -o tsv "$tmp/crlf-$set" > "$tmp/crlf-$set.tsv"
	if ! diff "$lf" "$tmp/crlf-$set.tsv" > "$tmp/crlf-$set.diff"; then
		echo "corpus-check: FAIL: $set rows differ with CRLF line ends (< LF, > CRLF):" >&2
		head -n 40 "$tmp/crlf-$set.diff" >&2
		rc=1
	else
		echo "corpus-check: $set: identical rows with CRLF line ends"
	fi
done
exit $rc
