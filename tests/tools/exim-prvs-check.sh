#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# exim-prvs-check.sh - bounce-sign against Exim's own ${prvs} expansion.
#
# Exim conflicts with Postfix as a package, so it is unpacked, not
# installed: the script fetches Debian's exim4-daemon-light, exim4-base,
# exim4-config and libidn12 with `apt-get download`, extracts them with
# `dpkg-deb -x` into a temporary folder and runs `exim4 -be` from there
# with a minimal -C config.  Exim refuses to run without its compiled-in
# user "Debian-exim", and refuses uid 0 for it, so (as root) the script
# bind-mounts a copy of /etc/passwd and /etc/group with that user into a
# private mount namespace (unshare -m); nothing on the host changes.
# It then signs the same addresses with the same secrets and key ids with
# bounce-sign and compares the lines.  Needs root, apt-get, unshare and a
# Debian archive; skips (77) otherwise.  Not part of make check (it
# downloads packages); run it by hand:  BUILD=build tests/tools/exim-prvs-check.sh
set -u
BUILD=${BUILD:-$(pwd)}
SIGN=$BUILD/bounce-sign
[ -x "$SIGN" ] || { echo "SKIP: $SIGN is not built"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (mount namespace)"; exit 77; }
command -v apt-get >/dev/null && command -v unshare >/dev/null || { echo "SKIP: needs apt-get and unshare"; exit 77; }
W=$(mktemp -d /tmp/exim-prvs.XXXXXX)
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
(cd "$W" && apt-get download exim4-daemon-light exim4-base exim4-config libidn12 >/dev/null 2>&1) ||
	{ echo "SKIP: apt-get download failed (no archive?)"; exit 77; }
for d in "$W"/*.deb; do dpkg-deb -x "$d" "$W/root"; done
mkdir -p "$W/spool" "$W/log"
printf 'primary_hostname = test.example\nspool_directory = %s/spool\nlog_file_path = %s/log/%%s\n' "$W" "$W" > "$W/min.conf"
cp /etc/passwd "$W/passwd"; echo 'Debian-exim:x:64999:64999::/nonexistent:/bin/false' >> "$W/passwd"
cp /etc/group "$W/group"; echo 'Debian-exim:x:64999:' >> "$W/group"
chmod -R a+rX "$W"
# address | secret | key id
CASES=(
	'user@example.com|secret|1'
	'bounces@lists.example.com|correct horse battery staple|0'
	'Bounces+Alice=BigBank.example@Lists.Example.COM|correct horse battery staple|7'
	'bounces+alice=bigbank.example@lists.example.com|0123456789012345678901234567890123456789012345678901234567890123|9'
)
exprs=()
: > "$W/want.sign"
for c in "${CASES[@]}"; do
	IFS='|' read -r addr secret id <<<"$c"
	exprs+=("\${prvs{$addr}{$secret}{$id}}")
	printf '%s\n' "$secret" > "$W/key$id"; chmod 600 "$W/key$id"
	"$SIGN" -k "$id:$W/key$id" "$addr" >> "$W/want.sign"
done
unshare -m sh -c 'mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/group" /etc/group &&
	LD_LIBRARY_PATH="$0/root/usr/lib/x86_64-linux-gnu" "$0/root/usr/sbin/exim4" -C "$0/min.conf" -be "$@"' \
	"$W" "${exprs[@]}" > "$W/exim.out" 2>&1
if cmp -s "$W/exim.out" "$W/want.sign"; then
	echo "PASS: bounce-sign matches exim -be \${prvs} for ${#CASES[@]} addresses:"
	cat "$W/exim.out"
	exit 0
fi
echo "FAIL: exim and bounce-sign differ"; diff "$W/exim.out" "$W/want.sign"; exit 1
