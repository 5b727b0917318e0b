#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# corpus-check.sh - score bounce-classify on the project's own copy of the
# bounce corpus (tests/corpus/bounces) with the project's scorer
# (tests/corpus/score.py), make sure no ordinary message (tests/corpus/ham)
# gets a failure class, and that both corpora give identical rows when
# converted to CRLF line ends.  Nothing here needs ../shared: a fresh clone
# scores itself.  When ../shared/tools/score is there too, the project's
# scorer must give the same figures as that reference scorer on the same
# TSV (and on a deliberately damaged copy of it, so that every figure
# moves).
#
# Thresholds (percent; fp = false positives allowed) come from the
# environment (BM_REQUIRE_DETECT, _RECIPIENT, _STATUS_IN, _CLASS, _FP,
# _HARD_PRECISION, _HARD_RECALL); the defaults sit just under what the tree
# reaches (2026-12-07: detect 99.8, recipient 99.1, status_in 99.1, class
# 98.0, fp 0), at issue 11's targets (detect 99, recipient 99, status_in 99,
# class 98), and only ever go up: a change that loses accuracy fails here.
# Hard precision (no live address called hard) must stay at 100 (issue 11).
# Hard recall is held at what the evidence rules reach (2026-12-07: 93.8);
# issue 11 asks 97, which the corpus' labels allow only by rules fitted to
# single samples (see the README, "Evidence, then verdict").
set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$(pwd)}
CORPUS=$SRCDIR/tests/corpus
SCORE=$CORPUS/score.py
SHARED=${BM_SHARED:-$SRCDIR/../shared}
CLASSIFY=$BUILD/bounce-classify

: "${BM_REQUIRE_DETECT:=99}"
: "${BM_REQUIRE_RECIPIENT:=99}"
: "${BM_REQUIRE_STATUS_IN:=99}"
: "${BM_REQUIRE_CLASS:=98}"
: "${BM_REQUIRE_HARD_PRECISION:=100}"
: "${BM_REQUIRE_HARD_RECALL:=93.5}"
: "${BM_REQUIRE_FP:=0}"

for d in "$CORPUS/bounces/emails" "$CORPUS/ham/emails"; do
	if [ ! -d "$d" ]; then
		echo "corpus-check: $d missing (it is part of the source tree)" >&2
		exit 1
	fi
done
if [ ! -x "$CLASSIFY" ]; then
	echo "corpus-check: $CLASSIFY not built" >&2
	exit 1
fi
PYTHON=${PYTHON3:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "corpus-check: SKIP: python3 is needed by tests/corpus/score.py"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corpus-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0

"$CLASSIFY" -o tsv "$CORPUS/bounces/emails" > "$tmp/bounces.tsv"
st=$?
if [ $st -ne 0 ]; then
	echo "corpus-check: bounce-classify exited $st on the bounce corpus" >&2
	rc=1
fi
if ! "$PYTHON" "$SCORE" "$tmp/bounces.tsv" \
	--require "detect=$BM_REQUIRE_DETECT" \
	--require "recipient=$BM_REQUIRE_RECIPIENT" \
	--require "status_in=$BM_REQUIRE_STATUS_IN" \
	--require "class=$BM_REQUIRE_CLASS" \
	--require "hard_precision=$BM_REQUIRE_HARD_PRECISION" \
	--require "hard_recall=$BM_REQUIRE_HARD_RECALL" \
	--require "fp=$BM_REQUIRE_FP"; then
	echo "corpus-check: FAIL: the bounce corpus score is below the thresholds" >&2
	rc=1
fi

# The scorer must say no when it should: an empty runner output detects
# nothing, so a detect requirement above 0 must fail.
printf 'file\trcpt_index\trecipient\tstatus\treason\tclass\n' > "$tmp/empty.tsv"
if "$PYTHON" "$SCORE" "$tmp/empty.tsv" --require detect=1 > /dev/null 2>&1; then
	echo "corpus-check: FAIL: score.py accepted an empty runner output" >&2
	rc=1
fi

# Same figures as the reference scorer, on the real output and on a damaged
# copy (every 3rd row called hard, every 4th row's status and every 5th
# row's recipient dropped), when ../shared has it.
if [ -x "$SHARED/tools/score" ]; then
	awk -F '\t' 'BEGIN { OFS = "\t" }
	    NR > 1 && (NR % 3) == 0 { $6 = "hard" }
	    NR > 1 && (NR % 4) == 0 { $4 = "" }
	    NR > 1 && (NR % 5) == 0 { $3 = "" }
	    { print }' "$tmp/bounces.tsv" > "$tmp/damaged.tsv"
	for t in bounces damaged; do
		# the reference scorer's --brief columns: name files detect
		# fp_notbounce fp_all recipient status status_in class perm
		# hard_precision hard_recall
		ref=$("$PYTHON" "$SHARED/tools/score" "$tmp/$t.tsv" \
		    --labels "$CORPUS/bounces/labels.tsv" --brief 2>/dev/null |
		    awk -F '\t' 'NR == 1 { split($5, fp, "/");
		        printf "detect=%s recipient=%s status=%s status_in=%s class=%s hard_precision=%s hard_recall=%s fp=%s\n",
		        $3, $6, $7, $8, $9, $11, $12, fp[1] }')
		own=$("$PYTHON" "$SCORE" "$tmp/$t.tsv" --figures |
		    grep -v '^reason=' | tr '\n' ' ' | sed 's/ $//')
		if [ -z "$ref" ] || [ "$ref" != "$own" ]; then
			echo "corpus-check: FAIL: score.py and ../shared/tools/score disagree on $t.tsv:" >&2
			echo "  reference: $ref" >&2
			echo "  score.py:  $own" >&2
			rc=1
		else
			echo "corpus-check: score.py = ../shared/tools/score on $t.tsv: $own"
		fi
	done
else
	echo "corpus-check: $SHARED/tools/score not there: the comparison with the reference scorer is left out"
fi

"$CLASSIFY" -o tsv "$CORPUS/ham/emails" > "$tmp/ham.tsv"
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
	echo "corpus-check: ham: no failure class on $(ls "$CORPUS/ham/emails" | wc -l) messages"
fi

# Line ends: the same messages with CRLF line ends (as the milter gets them
# from Postfix) must give exactly the same rows as with LF.
for set in bounces ham; do
	lf=$tmp/$set.tsv
	mkdir "$tmp/crlf-$set" || { rc=1; continue; }
	if ! "$PYTHON" - "$CORPUS/$set/emails" "$tmp/crlf-$set" <<'PYEOF'
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
