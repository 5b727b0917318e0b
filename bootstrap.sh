#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bootstrap.sh - set up a fresh Debian 12 machine, build, and run or test.
#
#   sudo ./bootstrap.sh run    install what building and running need (no
#                              MTA, no test tools), build, classify the
#                              sample bounce, then run bounce-milter in the
#                              foreground on 127.0.0.1:9704 with
#                              conf/quickstart.conf
#   sudo ./bootstrap.sh test   install those and the test tools (Postfix,
#                              swaks, clang, valgrind, Sisimai, debhelper,
#                              lintian...), build, run the whole test suite
#                              (unit, corpus, milter, end to end with a real
#                              Postfix, fault injection), build, lint, install
#                              and try the Debian package, make distcheck,
#                              the unit and corpus tests again on the
#                              portable scanners (--disable-simd), everything
#                              again under ASan+UBSan, then the fuzz smoke
#
# Each step prints what it does; any failure stops the script non-zero.
set -euo pipefail
cd "$(dirname "$0")"
TOP=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '\n==> %s\n' "$*"; }

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "bootstrap.sh: installing packages needs root (run it with sudo)" >&2
		exit 1
	fi
}

# What building and running need: `run` installs only these, so that the
# quick start never touches the machine's MTA (installing Postfix would
# replace an Exim or a Sendmail).
RUN_PKGS=(build-essential autoconf automake pkg-config
	libmilter-dev libspf2-dev libconfuse-dev libssl-dev libpq-dev)
# What the tests add: cmocka, a real Postfix and an SMTP client, miltertest,
# a PostgreSQL server for the shipper's tests, clang for the fuzz build,
# valgrind, Sisimai for the benchmarks, promtool (tests/ops: "stats
# prometheus" passes promtool check metrics), and the Debian packaging tools
# for tests/package/test-deb.sh.
TEST_PKGS=(libcmocka-dev postfix swaks miltertest python3 postgresql clang
	libclang-rt-14-dev valgrind procps util-linux iproute2 libsisimai-perl
	prometheus debhelper dh-autoreconf fakeroot lintian)

install_packages() { # PACKAGE...
	local pkgs=("$@")
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
			|| missing+=("$p")
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		say "all packages present"
		return
	fi
	need_root
	say "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Postfix (test only) must not configure (or start) a system instance:
	# tests run their own instance on loopback.
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# --- Sendmail for tests/e2e/test-sendmail.sh (issue 12) ---------------------
# sendmail-bin conflicts with postfix, so it is downloaded, never installed:
# the test unpacks the .debs it finds in SENDMAIL_DEBS with dpkg-deb -x.  m4
# builds its sendmail.cf; libwrap0 is a library the sendmail binary links.
# A failed download is not fatal: the test then says why and skips.
SENDMAIL_DEBS=/var/cache/bounce-milter/sendmail
fetch_sendmail() {
	install_packages m4 libwrap0
	if ls "$SENDMAIL_DEBS"/sendmail-bin_*.deb "$SENDMAIL_DEBS"/sendmail-cf_*.deb >/dev/null 2>&1; then
		return
	fi
	need_root
	say "downloading sendmail-bin and sendmail-cf to $SENDMAIL_DEBS (unpacked by the test, not installed)"
	mkdir -p "$SENDMAIL_DEBS"
	# apt fetches as the _apt user, who must be able to write there
	chown _apt "$SENDMAIL_DEBS" 2>/dev/null || true
	(cd "$SENDMAIL_DEBS" && apt-get download -q sendmail-bin sendmail-cf) \
		|| say "could not download Sendmail: tests/e2e/test-sendmail.sh will skip"
}
# --- end of the Sendmail block ------------------------------------------------

configure_build() { # DIR [configure args...]
	local dir=$1; shift
	[ -x "$TOP/configure" ] || (cd "$TOP" && autoreconf -fi)
	mkdir -p "$dir"
	(cd "$dir" && "$TOP/configure" -q "$@")
	make -C "$dir" -j"$JOBS"
}

case "${1:-}" in
run)
	install_packages "${RUN_PKGS[@]}"
	say "building in build/"
	configure_build "$TOP/build" --enable-werror
	say "classifying the sample bounce tests/data/sample-bounce.eml"
	"$TOP/build/bounce-classify" "$TOP/tests/data/sample-bounce.eml"
	mkdir -p "$TOP/build/run"
	# bounce-milter never keeps running as root: started by root, it drops
	# to an unprivileged user, who must be able to write the list's folder.
	runuser=""
	if [ "$(id -u)" -eq 0 ]; then
		runuser=nobody
		chown "$runuser" "$TOP/build/run"
		chmod 755 "$TOP/build/run"
	fi
	say "starting bounce-milter in the foreground on inet:9704@127.0.0.1 (Ctrl-C stops it)"
	say "suppression list: $TOP/build/run/suppressed.txt"
	sed -e "s|@RUNDIR@|$TOP/build/run|g" -e "s|@RUNUSER@|$runuser|g" \
		"$TOP/conf/quickstart.conf" > "$TOP/build/run/quickstart.conf"
	chmod 644 "$TOP/build/run/quickstart.conf"
	exec "$TOP/build/bounce-milter" -f -c "$TOP/build/run/quickstart.conf"
	;;
test)
	install_packages "${RUN_PKGS[@]}" "${TEST_PKGS[@]}"
	fetch_sendmail
	say "build with -Werror, then make check (unit, corpus, milter, end to end)"
	configure_build "$TOP/build" --enable-werror
	make -C "$TOP/build" -j"$JOBS" check || { find "$TOP/build" -name '*.log' -newer "$TOP/build/config.status" -path '*tests*' -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null | while read -r f; do echo "--- $f"; tail -40 "$f"; done; exit 1; }
	say "the Debian package: build in a copy of the tree, lintian, install, one bounce through Postfix, purge"
	rc=0; BUILD="$TOP/build" SRCDIR="$TOP" bash "$TOP/tests/package/test-deb.sh" || rc=$?
	case $rc in 0) ;; 77) echo "(package test skipped)" ;; *) exit 1 ;; esac
	say "make distcheck: the release tarball builds and passes its tests (Postfix tests ran above)"
	make -C "$TOP/build" distcheck BM_SKIP_E2E=1 >"$TOP/build/distcheck.log" 2>&1 \
		|| { tail -60 "$TOP/build/distcheck.log"; exit 1; }
	say "portable scanners (--disable-simd, no SSE2): util, mime and classify unit tests and the corpus check"
	configure_build "$TOP/build-nosimd" --disable-simd --enable-werror
	make -C "$TOP/build-nosimd" -j"$JOBS" check \
		TESTS='$(UTIL_TESTS) $(MIME_TESTS) $(CLASSIFY_TESTS) tests/corpus-check.sh' \
		|| { find "$TOP/build-nosimd" -name '*.log' -path '*tests*' -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null | while read -r f; do echo "--- $f"; tail -40 "$f"; done; exit 1; }
	say "build with ASan+UBSan and run the unit and milter tests under them"
	configure_build "$TOP/build-san" --enable-sanitizers
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		make -C "$TOP/build-san" -j"$JOBS" check BM_SANITIZED=1 || { find "$TOP/build-san" -name '*.log' -path '*tests*' -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null | while read -r f; do echo "--- $f"; tail -40 "$f"; done; exit 1; }
	say "fuzz smoke (clang libFuzzer, about 75 s in all)"
	configure_build "$TOP/build-fuzz" CC=clang --enable-fuzz
	make -C "$TOP/build-fuzz" fuzz FUZZ_SECONDS=15
	say "all tests passed"
	;;
*)
	echo "usage: sudo ./bootstrap.sh run|test" >&2
	exit 2
	;;
esac
