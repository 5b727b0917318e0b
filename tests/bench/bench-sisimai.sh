#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench-sisimai.sh [DIR] - our classifier against Sisimai, same files, same run.
#
# Times only the library calls: a Perl one-liner reads every file of DIR
# (default tests/corpus/bounces/emails in the source tree, or BENCH_CORPUS)
# into memory first, then calls Sisimai->make(\$text) over them in a loop for
# at least BENCH_SECONDS (default 2) seconds; bench-classify does the same
# with bounce_parse() on the same files.  BENCH_ROUNDS (3) alternating rounds,
# medians.  Prints both rates and the ratio (target: ours >= 50x Sisimai's
# msgs/s).  Needs Debian's libsisimai-perl
# (Sisimai 4.25); exits 77 (skip) without it or without the folder.
# Environment: BENCH_CLASSIFY (path of the bench-classify binary; default
# tests/bench/bench-classify under the current directory).
set -eu

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-${BENCH_CORPUS:-$SRCDIR/tests/corpus/bounces/emails}}
SECS=${BENCH_SECONDS:-2}
CLASSIFY=${BENCH_CLASSIFY:-./tests/bench/bench-classify}
TARGET=50

if [ ! -d "$DIR" ]; then
	echo "bench-sisimai: skipped: corpus folder $DIR not found"; exit 77
fi
if ! perl -MSisimai -e 1 2>/dev/null; then
	echo "bench-sisimai: skipped: Sisimai not installed (apt-get install libsisimai-perl)"; exit 77
fi
if [ ! -x "$CLASSIFY" ]; then
	echo "bench-sisimai: $CLASSIFY not built (make tests/bench/bench-classify)" >&2; exit 1
fi

out=$(mktemp "${TMPDIR:-/tmp}/bench-sisimai.XXXXXX")
trap 'rm -f "$out"' EXIT

# BENCH_ROUNDS (3) alternating rounds of Sisimai and bench-classify, median
# of each, so that a noisy machine does not favour either side.
sisimai_round() {
	# Sisimai: files in memory first, then only Sisimai->make in the timed loop
	perl -MSisimai -MTime::HiRes=time -e '
		my ($dir, $secs) = @ARGV;
		opendir(my $dh, $dir) or die "$dir: $!";
		my @texts;
		for my $f (sort grep { !/^\./ && -f "$dir/$_" } readdir $dh) {
			open(my $fh, "<:raw", "$dir/$f") or die "$dir/$f: $!";
			local $/; push @texts, scalar <$fh>; close $fh;
		}
		die "no files\n" unless @texts;
		my $found = 0;
		for my $t (@texts) { my $r = Sisimai->make(\$t); $found += scalar @$r if $r }  # warm-up
		my ($n, $t0) = (0, time);
		my $el;
		do {
			for my $t (@texts) { my $r = Sisimai->make(\$t); $n++ }
			$el = time - $t0;
		} while ($el < $secs);
		printf "  sisimai %s: %d messages (%d results) %.0f msgs/s (%d calls, %.2f s)\n",
			Sisimai->version, scalar @texts, $found, $n / $el, $n, $el;
		printf "RESULT bench=sisimai msgs=%d msgs_per_s=%.1f\n", scalar @texts, $n / $el;
	' "$DIR" "$SECS"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
: > "$out.sis"; : > "$out.ours"
for r in $(seq "${BENCH_ROUNDS:-3}"); do
	sisimai_round > "$out"
	grep -v '^RESULT' "$out"
	sed -n 's/^RESULT bench=sisimai .*msgs_per_s=\([0-9.]*\).*/\1/p' "$out" >> "$out.sis"
	"$CLASSIFY" -t "$SECS" "$DIR" > "$out"
	sed -n 's/^RESULT bench=classify .*parse_msgs_per_s=\([0-9.]*\).*/\1/p' "$out" | tee -a "$out.ours" |
		awk '{ printf "  bounce_parse: %.0f msgs/s\n", $1 }'
done
sis=$(median < "$out.sis")
ours=$(median < "$out.ours")
rm -f "$out.sis" "$out.ours"

awk -v o="$ours" -v s="$sis" -v t="$TARGET" 'BEGIN {
	r = o / s
	printf "bounce_parse vs Sisimai: %.0f / %.0f msgs/s = %.1fx (target >= %dx): %s\n", o, s, r, t, (r >= t ? "met" : "NOT met")
	printf "RESULT bench=sisimai-ratio ours_msgs_per_s=%.1f sisimai_msgs_per_s=%.1f ratio=%.2f target=%d\n", o, s, r, t
}'
