# SPDX-License-Identifier: BSD-2-Clause
# tests/faults/lib.sh - what the fault-injection scripts share, on top of
# tests/e2e/lib.sh (real Postfix on loopback, milter start/stop, teardown).
# Source it from bash after setting SRCDIR and BUILD.
#
# fl_init SCRIPT ARGS: skips (77) unless root with postfix, swaks, python3,
# unshare; re-runs the script in private network and mount namespaces; sets
# WORK (removed on exit), SMTP_PORT, MILTER_PORT, LISTDIR (owned by the
# run-time user nobody), LIST, CONF.  fl_conf writes $CONF; fl_dsn writes
# hard bounce number I (failed recipient user0000I@remote.test); fl_send
# injects one with swaks; fl_load sends many with tests/faults/smtp-load.py.

. "$SRCDIR/tests/e2e/lib.sh"

FL_HARD=$SRCDIR/tests/data/e2e/hard.eml
FL_SOFT=$SRCDIR/tests/data/e2e/soft.eml
FL_LOAD=$SRCDIR/tests/faults/smtp-load.py
RUNUSER=nobody

fl_init() { # SCRIPT ARGS...
	e2e_require
	command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed"
	id "$RUNUSER" >/dev/null 2>&1 || e2e_skip "no user $RUNUSER"
	E2E_NS_MOUNT=1 e2e_enter_netns "$@"
	e2e_setup_work
	SMTP_PORT=$(e2e_free_port)
	MILTER_PORT=$(e2e_free_port)
	LISTDIR=$WORK/list
	LIST=$LISTDIR/suppressed.txt
	CONF=$WORK/bm.conf
	mkdir -p "$LISTDIR"
	chown "$RUNUSER" "$LISTDIR"
	chmod 755 "$LISTDIR"
	# SPF from an in-memory zone: the bounces' HELO passes from loopback
	# and from the namespace's extra address 192.0.2.77
	printf 'mx.remote.test TXT v=spf1 ip4:127.0.0.0/8 ip4:192.0.2.77 -all\n' > "$WORK/zone"
	chmod 644 "$WORK/zone"
	export BM_TEST_DNS_ZONE=$WORK/zone   # the daemon with the tests' DNS seam
}

# fl_conf [LINES...]: the daemon's config; each extra argument is one line
# inserted at top level (e.g. "max_suppress_per_message = 1").  FL_CLASSES
# overrides suppress.classes (default {"hard"}), FL_PER_HOUR
# max_suppress_per_hour (default 1000000).
fl_conf() {
	local classes=${FL_CLASSES:-'{"hard"}'}
	{
		echo "socket = \"inet:$MILTER_PORT@127.0.0.1\""
		echo "user = \"$RUNUSER\""
		echo "max_suppress_per_hour = ${FL_PER_HOUR:-1000000}"
		echo "max_suppress_per_domain = 1000000"
		local l
		for l in "$@"; do echo "$l"; done
		cat <<CONF
suppress {
	file = "$LIST"
	format = "plain"
	classes = $classes
	fsync = "always"
	on_error = "tempfail"
}
trust {
	# the test's own relays: Postfix's loopback client and 192.0.2.77
	relays = {"127.0.0.1", "192.0.2.77"}
	spf_timeout_ms = 2000
}
CONF
	} > "$CONF.tmp"
	chmod 644 "$CONF.tmp"
	mv "$CONF.tmp" "$CONF"
}

fl_addr() { printf 'user%05d@remote.test' "$1"; }

fl_dsn() { # I OUTFILE [TEMPLATE PLACEHOLDER]: DSN whose failed recipient is user I
	local tpl=${3:-$FL_HARD} ph=${4:-alice.gone@remote.test}
	sed -e '1{/^From /d}' -e "s/$ph/$(fl_addr "$1")/g" \
		-e "s/^Message-ID: </Message-ID: <n$1-/" "$tpl" > "$2"
}

# fl_send I: swaks one hard bounce for user I (transcript in $WORK/swaks.log),
# from FL_IP when set (198.51.100.9 or 192.0.2.77), else 127.0.0.1
fl_send() {
	local f=$WORK/dsn.$1.eml
	[ -f "$f" ] || fl_dsn "$1" "$f"
	e2e_send '<>' bounces@sink.test "$f" mx.remote.test ${FL_IP:-}
}

# fl_start: milter up and listening, then Postfix (once).
fl_start() {
	e2e_milter_start "$CONF" "$WORK/milter.log"
	fl_wait_milter || { cat "$WORK/milter.log"; echo "milter did not start"; exit 1; }
	if [ ! -f "$PF/etc/main.cf" ]; then
		e2e_postfix_up "$SMTP_PORT" "inet:127.0.0.1:$MILTER_PORT" || { echo "postfix did not start"; exit 1; }
	fi
}

fl_wait_milter() {
	local i
	for i in $(seq 300); do
		e2e_alive "$MILTER_PID" || return 1
		(exec 3<>"/dev/tcp/127.0.0.1/$MILTER_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# fl_load ARGS...: smtp-load.py against our Postfix (output to stdout)
fl_load() {
	python3 "$FL_LOAD" --port "$SMTP_PORT" --template "$FL_HARD" "$@"
}

# Occurrences of user I's address over the given files (0 for none).
fl_count() { # I FILE...
	local a; a=$(fl_addr "$1"); shift
	cat "$@" 2>/dev/null | grep -c -x -F -- "$a" || true
}

# Every line of every file is a plain-format address ('#' comment lines
# allowed) and each file ends with LF (no torn line).  Prints what is wrong.
FL_LINE_RE='#.*|[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]+'
fl_lines_ok() { # FILE...
	local f bad=0
	for f in "$@"; do
		[ -s "$f" ] || continue
		if [ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
			echo "  $f does not end with LF"; bad=1
		fi
		if grep -v -q -x -E "$FL_LINE_RE" "$f"; then
			echo "  $f has lines that are not addresses:"
			grep -n -v -x -E "$FL_LINE_RE" "$f" | head -5 | cat -A
			bad=1
		fi
	done
	return $bad
}

# The addresses over FILES are exactly user FIRST .. FIRST+N-1, each once.
fl_exactly() { # FIRST N FILE...
	local first=$1 n=$2 i; shift 2
	for ((i = first; i < first + n; i++)); do fl_addr "$i"; echo; done | sort > "$WORK/want"
	cat "$@" 2>/dev/null | grep -v '^#' | sort > "$WORK/got"
	if ! cmp -s "$WORK/want" "$WORK/got"; then
		echo "  missing: $(comm -23 "$WORK/want" <(sort -u "$WORK/got") | wc -l)," \
			"unexpected: $(comm -13 "$WORK/want" <(sort -u "$WORK/got") | wc -l)," \
			"duplicated: $(uniq -d "$WORK/got" | wc -l)"
		comm -3 "$WORK/want" "$WORK/got" | head -5
		return 1
	fi
}

fl_queue_empty() { postqueue -c "$PF/etc" -p 2>/dev/null | grep -q 'Mail queue is empty'; }

fl_wait_queue_empty() { # [tries of 0.1 s]
	local i
	for i in $(seq "${1:-300}"); do fl_queue_empty && return 0; sleep 0.1; done
	return 1
}

# No AddressSanitizer / UBSan report in the milter's log (sanitizer builds).
fl_sanitizer_clean() {
	! grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK/milter.log"
}
