#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# test-sign.sh - bounce-sign(1) prints the documented vectors (Exim's own
# prvs output and the VERP tag of the man page) and refuses bad input.
set -u
BUILD=${BUILD:-$(pwd)}
SIGN=$BUILD/bounce-sign
[ -x "$SIGN" ] || { echo "SKIP: $SIGN is not built"; exit 77; }
W=$(mktemp -d "${TMPDIR:-/tmp}/test-sign.XXXXXX")
trap 'rm -rf "$W"' EXIT
pass=0; fail=0
check() { local what=$1; shift; if "$@"; then pass=$((pass + 1)); echo "ok - $what"; else fail=$((fail + 1)); echo "not ok - $what"; fi; }
T=1796601600   # 2026-12-07 00:00 UTC, day 20794: stamps 801
printf 'secret\n' > "$W/k1"; chmod 600 "$W/k1"
printf 'correct horse battery staple\n' > "$W/k2"; chmod 600 "$W/k2"
check "BATV equals Exim's \${prvs{user@example.com}{secret}{1}}" \
	test "$("$SIGN" -T $T -k "1:$W/k1" user@example.com)" = "prvs=18018d3c4c=user@example.com"
check "BATV equals Exim's output for key id 0" \
	test "$("$SIGN" -T $T -k "0:$W/k1" user@example.com)" = "prvs=0801aca3f5=user@example.com"
check "VERP tag equals the man page's vector" \
	test "$("$SIGN" -T $T -k "1:$W/k2" -p 'bounces+{tag}+{local}={domain}@lists.example.com' alice@example.com)" = \
	"bounces+1801e6dbbe2d6f272209+alice=example.com@lists.example.com"
check "-d sets the day stamp" \
	test "$("$SIGN" -T $T -d 30 -k "1:$W/k1" user@example.com | cut -c1-9)" = "prvs=1824"
check "one line per address" test "$("$SIGN" -k "1:$W/k1" a@example.com b@example.com | wc -l)" -eq 2
chmod 644 "$W/k1"
"$SIGN" -k "1:$W/k1" user@example.com >/dev/null 2>&1; rc=$?
check "a world-readable key file is refused (exit 1, got $rc)" test "$rc" -eq 1
chmod 600 "$W/k1"
"$SIGN" -k "1:$W/k1" not-an-address >/dev/null 2>&1; rc=$?
check "an address without @ is refused (exit 1, got $rc)" test "$rc" -eq 1
"$SIGN" user@example.com >/dev/null 2>&1; rc=$?
check "no key is a usage error (exit 2, got $rc)" test "$rc" -eq 2
"$SIGN" -k "1:$W/k1" -p 'bounces+{local}@x.example' a@example.com >/dev/null 2>&1; rc=$?
check "a bad VERP pattern is a usage error (exit 2, got $rc)" test "$rc" -eq 2
echo "# test-sign: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
