#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# check-layers.sh - the layering of src/ (DESIGN.md section 1), checked.
#
# A file's layer is its folder under src/.  Each layer may include its own
# headers and those of the layers it is allowed to know, never one above:
#   util     -> (libc only)
#   mime     -> util
#   classify -> mime, util
#   suppress -> util
#   trust    -> util
#   control  -> util (the control socket's line protocol)
#   daemon   -> control, trust, suppress, classify, mime, util
#   cli      -> control, classify, suppress, mime, util
# Also: no two modules of one layer include each other's header (a circle),
# and only the named files include libmilter, libspf2 or libconfuse.
# Exit 0 when all hold, 1 with one line per violation otherwise.
SRC=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/src
[ -d "$SRC" ] || { echo "check-layers: no src/ at $SRC" >&2; exit 1; }

allowed() { # LAYER -> the layers it may include
	case $1 in
	util) echo "util" ;;
	mime) echo "mime util" ;;
	classify) echo "classify mime util" ;;
	suppress) echo "suppress util" ;;
	trust) echo "trust util" ;;
	control) echo "control util" ;;
	daemon) echo "daemon control trust suppress classify mime util" ;;
	cli) echo "cli control classify suppress mime util" ;;
	*) echo "" ;;
	esac
}

fail=0
bad() { echo "check-layers: $*"; fail=1; }

for f in $(cd "$SRC" && find . -name '*.[ch]' | sed 's|^\./||' | sort); do
	layer=${f%%/*}
	ok=$(allowed "$layer")
	[ -n "$ok" ] || { bad "$f: folder $layer is not a known layer"; continue; }
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$SRC/$f" |
	sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' |
	while read -r line inc; do
		case $inc in
		config.h) continue ;;
		*/*) ;;
		*) echo "check-layers: $f:$line: \"$inc\" names no layer (write \"<layer>/$inc\")"; continue ;;
		esac
		target=${inc%%/*}
		case " $ok " in
		*" $target "*) ;;
		*) echo "check-layers: $f:$line: layer $layer includes $inc from layer $target above or beside it" ;;
		esac
		[ -f "$SRC/$inc" ] || echo "check-layers: $f:$line: $inc does not exist"
	done
done > "${TMPDIR:-/tmp}/check-layers.$$"
if [ -s "${TMPDIR:-/tmp}/check-layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/check-layers.$$"; fail=1
fi
rm -f "${TMPDIR:-/tmp}/check-layers.$$"

# Circles: module a's files include b's header while b's include a's.
edges=$(cd "$SRC" && for f in $(find . -name '*.[ch]' | sed 's|^\./||'); do
	from=${f%.[ch]}
	grep -h '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]*/' "$f" |
	sed 's/.*"\(.*\)\.h".*/\1/' | while read -r to; do
		[ "$to" = "$from" ] || echo "$from $to"
	done
done | sort -u)
echo "$edges" | while read -r a b; do
	[ -n "$a" ] || continue
	if echo "$edges" | grep -qx "$b $a"; then
		# report each pair once
		[ "$a" \< "$b" ] && echo "check-layers: modules $a and $b include each other"
	fi
done > "${TMPDIR:-/tmp}/check-circles.$$"
if [ -s "${TMPDIR:-/tmp}/check-circles.$$" ]; then
	cat "${TMPDIR:-/tmp}/check-circles.$$"; fail=1
fi
rm -f "${TMPDIR:-/tmp}/check-circles.$$"

# Third-party headers stay in the modules that own them.
only() { # HEADER-REGEX ALLOWED-FILES...
	pat=$1; shift
	for f in $(cd "$SRC" && grep -rlE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<$pat" .); do
		f=${f#./}
		case " $* " in *" $f "*) ;; *) bad "$f includes <$pat...>, which only $* may" ;; esac
	done
}
only 'libmilter/' daemon/milter.c daemon/mta.c daemon/main.c
only 'spf2/' trust/spf.c
only 'confuse\.h' daemon/conf.c daemon/conf_schema.c daemon/conf_schema.h \
	daemon/conf_ops.c daemon/conf_ops_schema.h

[ $fail -eq 0 ] && echo "check-layers: every include points downward, no circles"
exit $fail
