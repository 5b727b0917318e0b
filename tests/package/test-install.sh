#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make install into a scratch DESTDIR: everything lands, the unit names real
# paths, an existing bounce-milter.conf is never overwritten (the sample goes
# beside it as .new), and make uninstall removes the config only while it is
# the unchanged sample.  Needs only the build.
BUILD=${BUILD:-$(pwd)}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
MAKE=${MAKE:-make}
dest=$(mktemp -d /tmp/bm-install.XXXXXX) || exit 99
trap 'rm -rf "$dest"' EXIT
pass=0 fail=0
check() { # DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); echo "ok - $d"; else fail=$((fail + 1)); echo "not ok - $d"; fi
}
inst() { $MAKE -s -C "$BUILD" "$1" DESTDIR="$dest" >>"$dest.log" 2>&1; }

inst install || { cat "$dest.log"; rm -f "$dest.log"; exit 1; }
conf=$(find "$dest" -path '*/etc/bounce-milter.conf' | head -1)
sample=$SRCDIR/conf/bounce-milter.conf
check "the config is installed, equal to the sample" cmp -s "$sample" "$conf"
for f in sbin/bounce-milter sbin/bounce-milterctl bin/bounce-classify \
	share/bounce-milter/schema.sql lib/sysusers.d/bounce-milter.conf \
	lib/tmpfiles.d/bounce-milter.conf lib/systemd/system/bounce-milter.service \
	man/man8/bounce-milter.8 man/man8/bounce-milterctl.8 man/man5/bounce-milter.conf.5 \
	man/man1/bounce-classify.1 bin/bounce-sign man/man1/bounce-sign.1; do
	check "$f is installed" test -n "$(find "$dest" -path "*/$f" | head -1)"
done
unit=$(find "$dest" -name bounce-milter.service | head -1)
check "the unit names real paths (no @...@ left)" test "$(grep -c '@[A-Z]*@' "$unit")" -eq 0

printf '# edited by the admin\n' >> "$conf"
inst install
check "a second make install keeps the edited config" grep -q '^# edited by the admin$' "$conf"
check "... and puts the new sample beside it as .new" cmp -s "$sample" "$conf.new"

inst uninstall
check "make uninstall removes the .new sample" test ! -e "$conf.new"
check "make uninstall keeps an edited config" grep -q '^# edited by the admin$' "$conf"
cp "$sample" "$conf"
inst uninstall
check "make uninstall removes an unchanged config" test ! -e "$conf"
rm -f "$dest.log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
