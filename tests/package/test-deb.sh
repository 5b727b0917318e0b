#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# tests/package/test-deb.sh - the Debian package, from the tree to a bounce.
#
# In a copy of the source tree in a temp dir (the tree itself stays as it
# was), dpkg-buildpackage -us -uc -b builds the package; lintian must report
# no error; dpkg -i installs it on this machine.  Then: the user, the list's
# folder, the conffile and the disabled unit are there, `bounce-milter -t`
# accepts the installed /etc/bounce-milter.conf, and the installed daemon,
# started as the packaged user with that config (as systemd would: -f, no
# root; only the port is moved by -p so a running milter cannot clash), gets
# one hard bounce through a real Postfix on loopback, which must arrive tagged
# and put the address on the installed list.  Finally the package is purged.
#
# Run by bootstrap.sh test after make check (not part of make check: it
# installs a system package).  Skips (77) unless root on Debian with
# dpkg-buildpackage, debhelper, lintian, postfix and swaks, and when
# bounce-milter is already installed here (it would be replaced).
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=/usr/sbin          # lib.sh's helpers look for $BUILD/bounce-milter
. "$SRCDIR/tests/e2e/lib.sh"

[ -z "${BM_SKIP_E2E:-}" ] || e2e_skip "BM_SKIP_E2E is set"
[ "$(id -u)" -eq 0 ] || e2e_skip "the package test needs root (it installs the package)"
for t in dpkg-buildpackage dh lintian swaks setpriv python3; do
	command -v "$t" >/dev/null 2>&1 || e2e_skip "$t is not installed"
done
export PATH="$PATH:/usr/sbin:/sbin"
command -v postfix >/dev/null 2>&1 || e2e_skip "postfix is not installed"
if dpkg-query -W -f='${Status}' bounce-milter 2>/dev/null | grep -q 'installed' \
	|| [ -e /etc/bounce-milter.conf ] || [ -e /usr/sbin/bounce-milter ]; then
	e2e_skip "bounce-milter is already installed on this machine; the package test would replace it"
fi

e2e_setup_work
INSTALLED=""
e2e_local_teardown() {
	[ -n "$INSTALLED" ] && dpkg --purge bounce-milter >>"$WORK/dpkg.log" 2>&1
	return 0
}

# ---------------------------------------------------------------- build
say() { printf '# %s\n' "$*"; }
tree_state() { git -C "$SRCDIR" status --porcelain --ignored=no 2>/dev/null; }
before=$(tree_state)
mkdir -p "$WORK/src"
if git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked and new files as they are in the work tree, nothing ignored
	(cd "$SRCDIR" && git ls-files -z --cached --others --exclude-standard \
		| tar --null --ignore-failed-read -T - -cf -) | tar -C "$WORK/src" -xf -
else
	tar -C "$SRCDIR" --exclude='./build*' --exclude=./autom4te.cache -cf - . | tar -C "$WORK/src" -xf -
fi
[ -f "$WORK/src/debian/control" ] || { echo "no debian/ in the copy of $SRCDIR"; exit 1; }

want=$(sed -n 's/^AC_INIT(\[bounce-milter\], \[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")
have=$(cd "$WORK/src" && dpkg-parsechangelog -S Version)
e2e_check "debian/changelog's version ($have) is configure.ac's ($want)" test "$have" = "$want"

say "dpkg-buildpackage -us -uc -b in $WORK/src"
if ! (cd "$WORK/src" && dpkg-buildpackage -us -uc -b -j"$(nproc 2>/dev/null || echo 2)") >"$WORK/build.log" 2>&1; then
	tail -60 "$WORK/build.log"
	echo "dpkg-buildpackage failed"
	exit 1
fi
deb=$(ls "$WORK"/bounce-milter_*.deb 2>/dev/null | head -1)
changes=$(ls "$WORK"/bounce-milter_*.changes 2>/dev/null | head -1)
e2e_check "the build made bounce-milter_*.deb" test -f "$deb"

say "lintian $(basename "$changes")"
lintian --fail-on error "$changes" >"$WORK/lintian.log" 2>&1
lrc=$?
sed 's/^/#   /' "$WORK/lintian.log"
say "lintian: $(grep -c '^E:' "$WORK/lintian.log") errors, $(grep -c '^W:' "$WORK/lintian.log") warnings, $(grep -c '^I:' "$WORK/lintian.log") info"
e2e_check "lintian reports no error" test "$lrc" -eq 0

# ---------------------------------------------------------------- install
say "dpkg -i $(basename "$deb")"
INSTALLED=yes
if ! dpkg -i "$deb" >"$WORK/dpkg.log" 2>&1; then
	# missing run-time libraries: let apt bring them and finish the install
	DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q >>"$WORK/dpkg.log" 2>&1
fi
if ! dpkg-query -W -f='${Status}' bounce-milter 2>/dev/null | grep -q 'install ok installed'; then
	cat "$WORK/dpkg.log"
	echo "the package did not install"
	exit 1
fi
e2e_ok "the package is installed"
e2e_check "/etc/bounce-milter.conf is a conffile" \
	sh -c "dpkg-query -W -f='\${Conffiles}' bounce-milter | grep -q ' /etc/bounce-milter.conf '"
for f in /usr/sbin/bounce-milter /usr/sbin/bounce-milterctl /usr/bin/bounce-classify \
	/lib/systemd/system/bounce-milter.service /usr/share/bounce-milter/schema.sql \
	/usr/share/man/man8/bounce-milter.8.gz /usr/share/man/man8/bounce-milterctl.8.gz \
	/usr/share/man/man5/bounce-milter.conf.5.gz /usr/share/man/man1/bounce-classify.1.gz \
	/usr/bin/bounce-sign /usr/share/man/man1/bounce-sign.1.gz; do
	e2e_check "the package holds $f" sh -c "dpkg -L bounce-milter | grep -qx '$f'"
done
e2e_check "the system user bounce-milter exists, without a login shell" \
	sh -c 'getent passwd bounce-milter | grep -q ":/var/lib/bounce-milter:/usr/sbin/nologin$"'
uid=$(id -u bounce-milter 2>/dev/null || echo none)
e2e_check "/var/lib/bounce-milter belongs to bounce-milter, mode 750" \
	test "$(stat -c '%U:%G %a' /var/lib/bounce-milter 2>/dev/null)" = "bounce-milter:bounce-milter 750"
e2e_check "the service is installed but not enabled" \
	test ! -e /etc/systemd/system/multi-user.target.wants/bounce-milter.service
# systemd's own check of the unit: syntax, the executables and the man
# pages it names exist (it needs no running systemd)
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify /lib/systemd/system/bounce-milter.service >"$WORK/verify.log" 2>&1
	e2e_check "systemd-analyze verify accepts the installed unit" test $? -eq 0
	sed 's/^/#   /' "$WORK/verify.log"
fi
e2e_check "the installed bounce-milter -V says $want" \
	test "$(/usr/sbin/bounce-milter -V)" = "bounce-milter $want"

AS_USER=(setpriv --reuid=bounce-milter --regid=bounce-milter --init-groups --)
"${AS_USER[@]}" /usr/sbin/bounce-milter -t -c /etc/bounce-milter.conf >"$WORK/check.log" 2>&1
e2e_check "bounce-milter -t accepts the installed /etc/bounce-milter.conf" test $? -eq 0
sed 's/^/#   /' "$WORK/check.log"

# ---------------------------------------------------------------- one bounce through Postfix
SMTP_PORT=$(e2e_free_port)
MILTER_PORT=$(e2e_free_port)
# The installed config trusts no one: a bounce from loopback is tagged and
# never listed (issue 10, attack 2).  The admin names the relays; here the
# test's own Postfix hands the bounce over from 127.0.0.1.
sed -i 's/^\trelays = {}$/\trelays = {"127.0.0.1"}/' /etc/bounce-milter.conf
e2e_check "the installed config has a relays line to edit" grep -q '^	relays = {"127.0.0.1"}$' /etc/bounce-milter.conf
# the installed daemon, as the packaged user, with the installed config
"${AS_USER[@]}" /usr/sbin/bounce-milter -f -c /etc/bounce-milter.conf \
	-p "inet:$MILTER_PORT@127.0.0.1" >"$WORK/milter.log" 2>&1 &
MILTER_PID=$!
e2e_wait_port "$MILTER_PORT" || { cat "$WORK/milter.log"; echo "the installed milter did not start"; exit 1; }
e2e_check "the installed daemon runs as bounce-milter (uid $uid)" \
	test "$(awk '/^Uid:/ { print $2 }' "/proc/$MILTER_PID/status")" = "$uid"
e2e_postfix_up "$SMTP_PORT" "inet:127.0.0.1:$MILTER_PORT" || { echo "postfix did not start"; exit 1; }

e2e_send '<>' bounces@sink.test "$SRCDIR/tests/data/e2e/hard.eml" good.test
f=$(e2e_find_msg 'dsn-hard@mx.remote.test')
e2e_check "the hard bounce was delivered" test -n "$f"
e2e_headers "${f:-/dev/null}" > "$WORK/hard.hdr"
e2e_check "it is tagged X-Bounce-Class: hard" grep -q '^X-Bounce-Class: hard$' "$WORK/hard.hdr"
e2e_check "it has X-Bounce-Recipient for alice.gone@remote.test, 5.1.1 userunknown" \
	grep -q '^X-Bounce-Recipient: alice.gone@remote.test; class=hard; status=5.1.1; reason=userunknown' "$WORK/hard.hdr"
e2e_check "its X-Bounce-Origin says suppressed=yes" grep -q '^X-Bounce-Origin: .*suppressed=yes' "$WORK/hard.hdr"
LIST=/var/lib/bounce-milter/suppressed.txt
e2e_check "alice.gone@remote.test is on the installed list $LIST" grep -qx 'alice.gone@remote.test' "$LIST"
e2e_check "the list belongs to bounce-milter" test "$(stat -c %U "$LIST" 2>/dev/null)" = bounce-milter
# -f: the log line is on stderr, once
e2e_check "the daemon logged the bounce to stderr, once" \
	test "$(grep -c 'bounce class=hard rcpt=<alice.gone@remote.test>' "$WORK/milter.log")" -eq 1

e2e_postfix_down
e2e_milter_stop

# ---------------------------------------------------------------- purge
dpkg --purge bounce-milter >>"$WORK/dpkg.log" 2>&1
e2e_check "dpkg --purge removes the package" \
	sh -c "! dpkg-query -W -f='\${Status}' bounce-milter 2>/dev/null | grep -q 'install ok installed'"
INSTALLED=""
e2e_check "the purge removed the config, the binaries and /var/lib/bounce-milter" \
	test ! -e /etc/bounce-milter.conf -a ! -e /usr/sbin/bounce-milter -a ! -e /var/lib/bounce-milter

e2e_check "the source tree is as it was" test "$(tree_state)" = "$before"
e2e_summary || { echo "--- dpkg"; tail -20 "$WORK/dpkg.log"; exit 1; }
