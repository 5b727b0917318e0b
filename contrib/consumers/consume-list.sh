#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# consume-list.sh LIST SPOOLDIR - take the suppression list away atomically
# and feed its addresses to mailing software.
#
# The contract (bounce-milter.conf(5), suppress.file): bounce-milter only
# ever appends whole lines under flock(2) and opens a new file when the path
# names a different inode.  So a consumer:
#   1. renames the list away (atomic; new entries go to a fresh file),
#   2. takes the same flock(2) once, to wait out an append in progress
#      on the old inode,
#   3. reads the renamed file at leisure and deletes it when done.
set -eu
list=${1:?usage: consume-list.sh LIST SPOOLDIR}
spool=${2:?usage: consume-list.sh LIST SPOOLDIR}
[ -e "$list" ] || exit 0
taken="$spool/suppressed.$(date -u +%Y%m%dT%H%M%SZ).$$"
mv "$list" "$taken"
# Wait for any writer still holding the lock on the old inode.
flock "$taken" true
while IFS= read -r line; do
	case $line in
	''|'#'*|address,*) continue ;;       # blank, comment, csv header
	esac
	addr=${line%%[ ,	]*}                   # first field of plain/csv/postfix
	case $addr in
	'{'*) addr=$(printf '%s\n' "$line" | sed -n 's/.*"address":"\([^"]*\)".*/\1/p') ;;  # jsonl
	esac
	[ -n "$addr" ] || continue
	# Replace this with your mailing software's unsubscribe/suppress call:
	printf 'suppress %s\n' "$addr"
done < "$taken"
rm -f "$taken"
