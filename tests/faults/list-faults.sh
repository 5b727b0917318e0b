#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# list-faults.sh - the suppression list on a broken file system, through a
# real Postfix: a full file system (the append on the open descriptor fails;
# then a freshly created file's first append fails), a symbolic link planted
# at the list path, a read-only file system, a list directory without
# permissions for the run-time user (000 with the list in place, 500 after
# the list was renamed away).  Each time Postfix must answer 4xx and keep
# nothing (the sender keeps the bounce); once the fault is gone and the same
# bounces are re-sent, each address is on the list exactly once.
#
# The list directory is a small tmpfs in a private mount namespace.  Note
# what each fault does to the descriptor the milter holds: a full disk fails
# the append itself; permissions and a read-only mount do not affect an open
# descriptor, so those cases rename the list away first (the milter must
# create a new file) or take away the search permission (the milter cannot
# even check the path's inode).  A read-only remount is refused while any
# file is open for writing, so the symlink case (the milter's reopen fails
# and it closes its descriptor) comes first.
set -uo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$(pwd)}
. "$SRCDIR/tests/faults/lib.sh"
fl_init "$0" "$@"
T0=$(date +%s)

PAGE=$(getconf PAGESIZE)
mount -t tmpfs -o "size=$((64 * PAGE)),mode=0755,uid=$(id -u "$RUNUSER")" bm-faults "$LISTDIR" \
	|| e2e_skip "cannot mount a tmpfs here"
e2e_local_teardown() {
	chmod 755 "$LISTDIR" 2>/dev/null
	umount -l "$LISTDIR" 2>/dev/null
}
fl_conf
fl_start

listfiles() { find "$LISTDIR" -maxdepth 1 -type f -name 'suppressed*' | sort; }
delivered() { grep -l -F -- "Message-ID: <n$1-" "$PF"/mail/sink/new/* 2>/dev/null | wc -l; }

# refused LABEL CAUSE I...: each bounce gets 4xx from Postfix (swaks sees
# it), is not delivered, is not queued and is not on any list file; the
# milter logged a write failure with CAUSE (strerror text) for each one, so
# the intended failure path was the one taken.
failures() { grep -c "suppression list write failed: .*$1" "$WORK/milter.log"; }
refused() { # LABEL CAUSE I...
	local label=$1 cause=$2 i rc n0; shift 2
	n0=$(failures "$cause")
	for i in "$@"; do
		: > "$WORK/swaks.log"
		fl_send "$i"; rc=$?
		e2e_check "$label: bounce $i refused (swaks rc=$rc)" test "$rc" -ne 0
		e2e_check "$label: bounce $i gets 4xx" grep -q -E '<\*\* +4[0-9][0-9] ' "$WORK/swaks.log"
		grep -E '<\*\* +4[0-9][0-9] ' "$WORK/swaks.log" | head -1 >> "$WORK/replies"
		e2e_check "$label: bounce $i not listed" test "$(fl_count "$i" $(listfiles))" -eq 0
		e2e_check "$label: bounce $i not delivered" test "$(delivered "$i")" -eq 0
	done
	e2e_check "$label: Postfix queue empty (nothing kept)" fl_queue_empty
	e2e_check "$label: milter logged \"$cause\" for each" test "$(failures "$cause")" -eq $((n0 + $#))
}
# accepted I...: re-sent after the repair: 250, delivered, listed once
accepted() { # LABEL I...
	local label=$1 i rc; shift
	for i in "$@"; do
		fl_send "$i"; rc=$?
		e2e_check "$label: bounce $i accepted (swaks rc=$rc)" test "$rc" -eq 0
		e2e_check "$label: bounce $i listed exactly once over all list files" \
			test "$(fl_count "$i" $(listfiles))" -eq 1
	done
}

# 0. Baseline.
accepted "baseline" 1 2

# 1a. Full file system, list in place: pad the list (a comment line, which
#     readers ignore) to a page boundary, so the next append needs a new
#     page, then fill the tmpfs.
size=$(stat -c %s "$LIST")
need=$(( PAGE - size % PAGE )); [ "$need" -lt 3 ] && need=$((need + PAGE))
pad=$(printf '#%*s' $((need - 2)) '' | tr ' ' p)
flock "$LIST" bash -c 'printf "%s\n" "$1" >> "$2"' pad "$pad" "$LIST"
e2e_check "list padded to a page boundary" test $(( $(stat -c %s "$LIST") % PAGE )) -eq 0
dd if=/dev/zero of="$LISTDIR/filler" bs="$PAGE" 2>/dev/null
e2e_check "tmpfs is full" test "$(df --output=avail -B1 "$LISTDIR" | tail -1 | tr -d ' ')" -eq 0
before=$(stat -c %s "$LIST")
refused "full fs, open list" "No space left on device" 11 12
e2e_check "full fs: the failed appends left no bytes behind" test "$(stat -c %s "$LIST")" -eq "$before"
# 1b. Still full; the consumer takes the list: the milter creates a new file
#     and its first append fails.
mv "$LIST" "$LISTDIR/suppressed.taken1"
refused "full fs, new list" "No space left on device" 13
e2e_check "full fs: the new list file is empty" test ! -s "$LIST"
rm -f "$LISTDIR/filler"
accepted "full fs repaired" 11 12 13

# 2a. A symbolic link planted at the list path: refused, never followed.
mv "$LIST" "$LISTDIR/suppressed.taken2"
ln -s "$LISTDIR/target" "$LIST"
refused "symlink at the list path" "is a symbolic link" 21
e2e_check "symlink: its target was not created" test ! -e "$LISTDIR/target"
rm -f "$LIST"
# 2b. Read-only file system (the failed reopen above closed the milter's
#     descriptor, so the remount is possible).
e2e_check "remount read-only (no file open for writing)" mount -o remount,ro "$LISTDIR"
refused "read-only fs" "Read-only file system" 22 23
e2e_check "read-only fs: no list file" test ! -e "$LIST"
mount -o remount,rw "$LISTDIR"
accepted "read-only fs repaired" 21 22 23

# 3a. The directory loses every permission: the milter (user nobody) cannot
#     even check the list's inode, though its descriptor still works.
chmod 000 "$LISTDIR"
refused "directory mode 000" "Permission denied" 31
chmod 755 "$LISTDIR"
accepted "directory mode 000 repaired" 31
# 3b. Mode 500 after the consumer took the list: no new file can be created.
mv "$LIST" "$LISTDIR/suppressed.taken3"
chmod 500 "$LISTDIR"
e2e_check "mode 500: nobody cannot create files there" \
	bash -c "! runuser -u $RUNUSER -- touch '$LISTDIR/probe' 2>/dev/null"
refused "directory mode 500" "Permission denied" 32 33
chmod 755 "$LISTDIR"
accepted "directory mode 500 repaired" 32 33

# 4. Refused attempts must not use up the hourly cap of new entries per
#    client (max_suppress_per_hour): with a cap of 2, a client that meets
#    the fault three times must still get its bounces listed afterwards.
n0=$(grep -c 'configuration reloaded' "$WORK/milter.log")
FL_PER_HOUR=2 fl_conf
kill -USR1 "$MILTER_PID"
for i in $(seq 100); do [ "$(grep -c 'configuration reloaded' "$WORK/milter.log")" -gt "$n0" ] && break; sleep 0.05; done
e2e_check "reloaded with max_suppress_per_hour = 2" \
	test "$(grep -c 'configuration reloaded' "$WORK/milter.log")" -gt "$n0"
FL_IP=192.0.2.77
chmod 000 "$LISTDIR"
refused "cap 2, client 192.0.2.77, directory mode 000" "Permission denied" 41 41 41
chmod 755 "$LISTDIR"
accepted "cap 2, repaired" 41 42
FL_IP=

# Overall: every bounce exactly once over the list files, no torn line,
# everything accepted was delivered, the milter still running.
all=(1 2 11 12 13 21 22 23 31 32 33 41 42)
for i in "${all[@]}"; do fl_addr "$i"; echo; done | sort > "$WORK/want"
grep -h -v '^#' $(listfiles) | sort > "$WORK/got"
e2e_check "all ${#all[@]} addresses listed, each exactly once over $(listfiles | wc -l) files" \
	cmp -s "$WORK/want" "$WORK/got"
e2e_check "list files: whole lines only, each ends with LF" fl_lines_ok $(listfiles)
e2e_wait_delivered "${#all[@]}"
e2e_check "delivered: each accepted bounce once ($(e2e_delivered))" test "$(e2e_delivered)" -eq "${#all[@]}"
e2e_check "milter still running" e2e_alive "$MILTER_PID"
e2e_check "milter logged the write failures" grep -q 'suppression list write failed' "$WORK/milter.log"
echo "# replies seen: $(sort "$WORK/replies" | uniq -c | sed 's/^ */ /' | tr '\n' ';')"
echo "# list-faults: ${#all[@]} bounces, $(wc -l < "$WORK/replies") refusals, $(( $(date +%s) - T0 )) s"
e2e_check "no sanitizer report in the milter log" fl_sanitizer_clean
e2e_summary
