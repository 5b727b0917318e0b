# SPDX-License-Identifier: BSD-2-Clause
# tests/e2e/lib.sh - shared helpers for tests that drive a real Postfix on
# loopback (see ../shared/docs/e2e-postfix.md for the recipe and pitfalls).
# Source it from bash; it expects BUILD (the build dir holding bounce-milter)
# and SRCDIR (the source tree).  Everything lives under $WORK, removed on exit.

e2e_skip() { echo "SKIP: $*"; exit 77; }

# root, postfix and the built daemon (no SMTP client); puts /usr/sbin on PATH.
e2e_require_postfix() {
	# make distcheck repeats the suite in a copy of the tarball; the tests
	# that run Postfix already ran once in the main build (bootstrap.sh)
	[ -z "${BM_SKIP_E2E:-}" ] || e2e_skip "BM_SKIP_E2E is set: Postfix tests skipped here"
	[ "$(id -u)" -eq 0 ] || e2e_skip "end-to-end tests need root (Postfix runs its own instance)"
	command -v postfix >/dev/null 2>&1 || [ -x /usr/sbin/postfix ] || e2e_skip "postfix is not installed"
	[ -x "$BUILD/bounce-milter" ] || e2e_skip "$BUILD/bounce-milter is not built"
	[ -x "$BUILD/tests/tools/bounce-milter-testdns" ] || e2e_skip "$BUILD/tests/tools/bounce-milter-testdns is not built"
	export PATH="$PATH:/usr/sbin:/sbin"
}

e2e_require() {
	e2e_require_postfix
	command -v swaks >/dev/null 2>&1 || e2e_skip "swaks is not installed"
}

# A free TCP port on 127.0.0.1 (the kernel picks it; tiny race accepted).
e2e_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

e2e_alive() { [ -r "/proc/$1/stat" ] && ! awk '{exit !($3=="Z")}' "/proc/$1/stat" 2>/dev/null; }

e2e_wait_port() { # PORT [tries]
	local i
	for i in $(seq "${2:-200}"); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

e2e_setup_work() {
	WORK=$(mktemp -d /tmp/bm-e2e.XXXXXX)
	chmod 755 "$WORK"   # postfix must traverse it
	PF=$WORK/pf
	MILTER_PID=""
	trap e2e_teardown EXIT
}

# e2e_postfix_up SMTP_PORT MILTER_SPEC   (MILTER_SPEC in Postfix syntax, inet:127.0.0.1:PORT)
# E2E_NON_SMTPD_MILTERS sets non_smtpd_milters (local sendmail); default none.
e2e_postfix_up() {
	local port=$1 milter=$2 uid gid
	mkdir -p "$PF"/{etc,spool,data,mail,log}
	chown root:root "$PF" "$PF/etc" "$PF/spool"
	chmod 755 "$PF" "$PF/etc" "$PF/spool"
	chown postfix:postfix "$PF/data" "$PF/mail"
	uid=$(id -u postfix); gid=$(id -g postfix)
	cat > "$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
myhostname = mx.e2e.test
mydomain = e2e.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_host_lookup = native
disable_dns_lookups = yes
virtual_mailbox_domains = sink.test
virtual_mailbox_base = $PF/mail
virtual_mailbox_maps = static:sink/
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
transport_maps = inline:{ discard.test=discard:silently }
relay_domains = discard.test
alias_maps =
alias_database =
local_recipient_maps =
local_header_rewrite_clients =
maillog_file = $PF/log/maillog
maillog_file_prefixes = $PF/log
smtpd_milters = $milter
non_smtpd_milters = ${E2E_NON_SMTPD_MILTERS:-}
milter_default_action = tempfail
milter_protocol = 6
smtpd_banner = \$myhostname ESMTP e2e
biff = no
append_dot_mydomain = no
readme_directory = no
smtputf8_enable = no
message_size_limit = 20480000
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 20s
CF
	cat > "$PF/etc/master.cf" <<CF
127.0.0.1:$port inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
	if ! postfix -c "$PF/etc" check >/dev/null 2>&1 || ! postfix -c "$PF/etc" start >/dev/null 2>&1; then
		# postfix prints its errors only to a tty
		script -qec "postfix -c $PF/etc check; postfix -c $PF/etc start" /dev/null || true
		tail -20 "$PF/log/maillog" 2>/dev/null
		return 1
	fi
	e2e_wait_port "$port"
}

e2e_postfix_down() {
	[ -f "$PF/etc/main.cf" ] || return 0
	local mp i
	mp=$(tr -d ' ' < "$PF/spool/pid/master.pid" 2>/dev/null || true)
	postfix -c "$PF/etc" stop >/dev/null 2>&1 || true
	for i in $(seq 100); do [ -n "$mp" ] && e2e_alive "$mp" || break; sleep 0.1; done
	[ -n "$mp" ] && e2e_alive "$mp" && kill -9 "$mp" 2>/dev/null
	return 0
}

# e2e_milter_start CONF LOGFILE [extra args]: starts bounce-milter -f, sets
# MILTER_PID.  E2E_MILTER_WRAP (e.g. "valgrind -q") is put in front of it;
# the wrapper must exec in place (valgrind does) so the pid is the milter's.
# With BM_TEST_DNS_ZONE set (a zone file, tests/lib/spfzone.h syntax) it
# starts tests/tools/bounce-milter-testdns instead: the same daemon linked
# with the tests' DNS seam, so SPF is answered from that zone, never DNS.
e2e_milter_bin() {
	if [ -n "${BM_TEST_DNS_ZONE:-}" ]; then
		echo "$BUILD/tests/tools/bounce-milter-testdns"
	else
		echo "$BUILD/bounce-milter"
	fi
}
e2e_milter_start() {
	local conf=$1 log=$2; shift 2
	# shellcheck disable=SC2086
	${E2E_MILTER_WRAP:-} "$(e2e_milter_bin)" -f -c "$conf" "$@" >>"$log" 2>&1 &
	MILTER_PID=$!
}

e2e_milter_stop() {
	[ -n "${MILTER_PID:-}" ] || return 0
	local i
	kill "$MILTER_PID" 2>/dev/null || true
	for i in $(seq 150); do e2e_alive "$MILTER_PID" || break; sleep 0.1; done
	e2e_alive "$MILTER_PID" && kill -9 "$MILTER_PID" 2>/dev/null
	wait "$MILTER_PID" 2>/dev/null || true
	MILTER_PID=""
}

e2e_teardown() {
	set +e
	e2e_postfix_down
	e2e_milter_stop
	# a script's own clean-up (unmount, restore modes) runs before rm -rf
	if declare -F e2e_local_teardown >/dev/null; then e2e_local_teardown; fi
	if [ -n "${E2E_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}

# e2e_send FROM RCPT FILE [HELO [CLIENT_IP]]: inject FILE (mbox From line
# dropped) over SMTP; appends swaks' transcript to $WORK/swaks.log; returns
# swaks' status.
e2e_send() {
	local from=$1 rcpt=$2 file=$3 helo=${4:-mx.sender.test} ip=${5:-} msg
	msg=$WORK/msg.$$.$RANDOM.eml
	sed '1{/^From /d}' "$file" > "$msg"
	swaks --server 127.0.0.1 --port "$SMTP_PORT" --helo "$helo" --from "$from" \
		${ip:+--local-interface "$ip"} --to "$rcpt" --data "@$msg" >>"$WORK/swaks.log" 2>&1
}

# Re-run the calling script in a private network namespace (unshare -n) whose
# loopback also carries 198.51.100.9, 192.0.2.77 and 203.0.113.25, unless
# already inside.
# With E2E_NS_MOUNT=1 it also gets a private mount namespace (unshare -m:
# tmpfs mounts and remounts made by the script are seen by nobody else).
e2e_enter_netns() { # SCRIPT ARGS...
	if [ -z "${E2E_IN_NETNS:-}" ]; then
		local ns=-n
		[ -n "${E2E_NS_MOUNT:-}" ] && ns="-n -m"
		command -v unshare >/dev/null 2>&1 || e2e_skip "unshare (util-linux) is not installed"
		command -v ip >/dev/null 2>&1 || e2e_skip "ip (iproute2) is not installed"
		# shellcheck disable=SC2086
		unshare $ns true 2>/dev/null || e2e_skip "cannot create a network${E2E_NS_MOUNT:+/mount} namespace here"
		# shellcheck disable=SC2086
		E2E_IN_NETNS=1 exec unshare $ns bash "$@"
	fi
	ip link set lo up
	ip addr add 198.51.100.9/32 dev lo
	ip addr add 192.0.2.77/32 dev lo
	ip addr add 203.0.113.25/32 dev lo
}

# Count of delivered messages in the sink Maildir.
e2e_delivered() { find "$PF/mail/sink/new" -type f 2>/dev/null | wc -l; }

e2e_wait_delivered() { # N
	local i
	for i in $(seq 200); do [ "$(e2e_delivered)" -ge "$1" ] && return 0; sleep 0.05; done
	return 1
}

# The newest delivered message.
e2e_last() { ls -t "$PF/mail/sink/new/"* 2>/dev/null | head -1; }

E2E_PASS=0
E2E_FAIL=0
e2e_ok()   { E2E_PASS=$((E2E_PASS + 1)); echo "ok - $*"; }
e2e_fail() { E2E_FAIL=$((E2E_FAIL + 1)); echo "not ok - $*"; }
e2e_check() { # DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then e2e_ok "$d"; else e2e_fail "$d"; fi
}
e2e_summary() {
	echo "$E2E_PASS passed, $E2E_FAIL failed"
	if [ "$E2E_FAIL" -ne 0 ]; then
		echo "--- milter log"; tail -30 "$WORK/milter.log" 2>/dev/null
		echo "--- maillog"; tail -30 "$PF/log/maillog" 2>/dev/null
		echo "--- swaks"; tail -30 "$WORK/swaks.log" 2>/dev/null
		return 1
	fi
}

# The delivered file holding Message-ID ID, waiting for it (first match).
e2e_find_msg() { # MESSAGE-ID-SUBSTRING
	local i f
	for i in $(seq 200); do
		f=$(grep -l -F -- "$1" "$PF"/mail/sink/new/* 2>/dev/null | head -1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.05
	done
	return 1
}

# Headers of a delivered file (up to the first empty line), unfolded: one
# field per line, as a consumer sees them after RFC 5322 unfolding.
e2e_headers() {
	sed '/^$/q' "$1" | awk '/^[ \t]/ { cur = cur $0; next } { if (NR > 1) print cur; cur = $0 } END { print cur }'
}

# The delivered message from its original first line on (drops what Postfix
# prepended: Return-Path, X-Original-To, Delivered-To, Received), without the
# one empty last line that swaks adds (it always writes CRLF before the
# final dot, even when the data already ends with one).
e2e_strip_prepended() { # FILE FIRST_LINE
	awk -v first="$2" 'found || $0 == first { found = 1; print }' "$1" | sed '${/^$/d}'
}
