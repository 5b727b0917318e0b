#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end: msgs/s through a real Postfix for three setups on the same
# load (no milter, noop-milter, bounce-milter, each on an inet socket): a
# short run of tests/bench/bench-postfix.sh (THROUGHPUT_MSGS, 200 messages
# per setup, one round, the repeated-DSN load).  It prints the three figures
# and the ratios but passes or fails only on correctness: every message
# delivered in each setup, the repeated recipient listed once, both milters
# alive.  Timing is never judged here (a shared CI machine); `make bench`
# runs the full benchmark.  Skips (77) unless root with postfix, smtp-source
# and the built daemon.
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export SRCDIR BUILD=${BUILD:-$(pwd)}
BENCH_PF_MSGS=${THROUGHPUT_MSGS:-200} BENCH_PF_ROUNDS=1 BENCH_PF_WARMUP=20 \
	BENCH_PF_DISTINCT=${THROUGHPUT_DISTINCT:-0} BENCH_PF_NAME=test-throughput \
	exec bash "$SRCDIR/tests/bench/bench-postfix.sh"
