#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run-fuzz.sh SECONDS - run every built libFuzzer target for SECONDS each.
#
# Seeds: tests/data, tests/fuzz/regressions and, when present,
# ../shared/corpus/emails (relative to the source tree), copied into a
# temporary corpus per target (header and address targets get lines cut
# from those files; the config target gets the sample configs).  Prints the
# executions of each target.  Exit 1 if a target crashed (the input is kept
# and its path printed: copy it into tests/fuzz/regressions/), 2 on usage.
# Environment: FUZZ_BUILDDIR (default: the current directory), FUZZ_TARGETS
# (default: fuzz_bounce fuzz_hdr fuzz_addr fuzz_config fuzz_ctlproto).
set -eu

SECONDS_EACH=${1:-}
case "$SECONDS_EACH" in
''|*[!0-9]*) echo "usage: $0 SECONDS" >&2; exit 2 ;;
esac
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILDDIR=${FUZZ_BUILDDIR:-$(pwd)}
TARGETS=${FUZZ_TARGETS:-"fuzz_bounce fuzz_hdr fuzz_addr fuzz_config fuzz_ctlproto"}
SHARED="$SRCDIR/../shared/corpus/emails"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/run-fuzz.XXXXXX")
failed=0

# message-like seed files, one path per line
seed_files() {
	for d in "$SRCDIR/tests/data" "$SRCDIR/tests/fuzz/regressions" "$SHARED"; do
		[ -d "$d" ] && find "$d" -type f ! -name '.*' ! -name '*.conf' ! -name '*.tsv' -size -1024k
	done
	return 0
}

# cut lines matching a pattern out of the seed files, one small file each,
# behind a varying first byte (the targets read it as a size selector)
seed_lines() { # PATTERN DIR MAX
	seed_files | while IFS= read -r f; do cat "$f"; done 2>/dev/null | tr -d '\r' |
	grep -aiE "$1" | sort -u | head -n "$3" |
	awk -v dir="$2" '{ f = sprintf("%s/l%05d", dir, NR);
	                   printf "%c%s", 65 + NR % 26, $0 > f; close(f) }'
}

fill_corpus() { # TARGET DIR
	case "$1" in
	fuzz_bounce)
		seed_files | while IFS= read -r f; do
			cp "$f" "$2/$(echo "$f" | cksum | cut -d' ' -f1)" 2>/dev/null || true
		done ;;
	fuzz_hdr)
		seed_lines '^(subject|from|to|diagnostic-code|final-recipient|x-[a-z-]+):' "$2" 600 ;;
	fuzz_addr)
		seed_lines '@' "$2" 600 ;;
	fuzz_ctlproto)
		i=0
		for r in "stats" "stats prometheus" "list query a@b.example" \
			"list add a@b.example manual" "list remove a@b.example" "list count" \
			"list export" "reload" "help" "OK 3 stats" "ERR busy"; do
			i=$((i + 1)); printf '%s' "$r" > "$2/seed$i"
		done ;;
	fuzz_config)
		for f in "$SRCDIR"/conf/*.conf "$SRCDIR"/tests/data/*.conf "$SRCDIR"/tests/data/*/*.conf; do
			[ -f "$f" ] && cp "$f" "$2/$(echo "$f" | cksum | cut -d' ' -f1)"
		done ;;
	esac
	return 0
}

ran=0
for t in $TARGETS; do
	bin="$BUILDDIR/tests/fuzz/$t"
	if [ ! -x "$bin" ]; then
		echo "$t: not built (configure with CC=clang --enable-fuzz), skipped"
		continue
	fi
	ran=$((ran + 1))
	corpus="$WORK/$t/corpus"; art="$WORK/$t/artifacts"
	mkdir -p "$corpus" "$art"
	fill_corpus "$t" "$corpus"
	nseeds=$(find "$corpus" -type f | wc -l)
	rc=0
	(cd "$WORK/$t" && "$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$art/" "$corpus" \
		> "$WORK/$t/log" 2>&1) || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t/log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$t/log" | tail -1)
	ncorp=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -ne 0 ]; then
		failed=1
		echo "$t: FAILED (exit $rc) after ${execs:-?} executions; seeds $nseeds"
		grep -aE '^(==[0-9]+==ERROR|SUMMARY|fuzz_[a-z]+:)' "$WORK/$t/log" | head -5 | sed 's/^/    /'
		for a in "$art"/*; do [ -f "$a" ] && echo "    input: $a"; done
		echo "    log: $WORK/$t/log"
	else
		echo "$t: ${execs:-?} executions in ${SECONDS_EACH} s (${rate:-?}/s), seeds $nseeds, corpus $ncorp, no crash"
	fi
done
[ "$ran" -gt 0 ] || { echo "no fuzz target built (configure with CC=clang --enable-fuzz)"; rm -rf "$WORK"; exit 1; }
if [ "$failed" -eq 0 ]; then
	rm -rf "$WORK"
else
	echo "crash inputs and logs kept in $WORK"
fi
exit "$failed"
