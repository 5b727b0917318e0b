#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The build dependencies are written in four places; this keeps them equal.
# Every library configure.ac asks for, by its "(Debian: PACKAGE)" hint, must
# be in debian/control's Build-Depends, in bootstrap.sh's package lists, and
# in the README's apt lines.  A library configure cannot build without
# (AC_MSG_ERROR) must be in RUN_PKGS, which `bootstrap.sh run` installs; an
# optional one (AC_MSG_WARN, e.g. cmocka for the unit tests) may be in
# TEST_PKGS instead.  Needs only the source tree.
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
pass=0 fail=0
check() { # DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); echo "ok - $d"; else fail=$((fail + 1)); echo "not ok - $d"; fi
}
# the Build-Depends field, one package name a line
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$SRCDIR/debian/control" \
	| sed -e 's/^Build-Depends://' -e '/^[A-Z]/d' | tr ',' '\n' \
	| sed -e 's/[(<].*//' -e 's/[[:space:]]//g' | grep -v '^$')
# a bash array's words: NAME=(...) up to the closing parenthesis
array_words() { sed -n "/^$1=(/,/)/p" "$SRCDIR/bootstrap.sh" | sed -e "s/^$1=(//" -e 's/)//' | tr -s ' \t' '\n' | grep -v '^$'; }
run_pkgs=$(array_words RUN_PKGS)
test_pkgs=$(array_words TEST_PKGS)
readme_apt=$(sed -n '/^sudo apt install/,/^[^ ]/p' "$SRCDIR/README.md" | tr -s ' \\\t' '\n')
has() { printf '%s\n' "$2" | grep -qx -- "$1"; }

hints=$(grep -o '(Debian: [a-z0-9.+-]*)' "$SRCDIR/configure.ac" | sed 's/(Debian: \(.*\))/\1/' | sort -u)
check "configure.ac names its Debian packages" test -n "$hints"
for p in $hints; do
	check "$p is in debian/control's Build-Depends" has "$p" "$build_deps"
	if grep -q "AC_MSG_ERROR(\[.*(Debian: $p)" "$SRCDIR/configure.ac"; then
		check "$p (required) is in bootstrap.sh's RUN_PKGS" has "$p" "$run_pkgs"
	else
		check "$p (optional) is in bootstrap.sh's RUN_PKGS or TEST_PKGS" has "$p" "$run_pkgs
$test_pkgs"
	fi
	check "$p is in the README's apt lines" has "$p" "$readme_apt"
done
for p in debhelper dh-autoreconf lintian; do
	check "$p (the package test) is in bootstrap.sh's TEST_PKGS" has "$p" "$test_pkgs"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
