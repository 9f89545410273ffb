#!/bin/sh
# The man pages document every setting the config loader knows (each
# `known[]` list in conf/) in fabricd.conf(5), every fabricctl command (the
# command table in cli/) in fabricctl(8), every fabricd option in fabricd(8),
# and render with man -l without a warning. Run by `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
pages=${builddir:-.}/doc
fail=0
no() { echo "FAIL: $*"; fail=1; }

# Names given as *name* (bold) in a page's source.
documented() { grep -qF -- "*$2*" "$top/doc/$1.scd"; }

for key in $(awk '/known[a-z_]*\[\] = \{/ { on = 1 } on { print } on && /\};/ { on = 0 }' "$top"/conf/*.c |
	     grep -o '"[a-z0-9-]*"' | tr -d '"' | sort -u); do
	documented fabricd.conf.5 "$key" || no "fabricd.conf(5) does not document setting '$key'"
done
sed -n 's/^[[:space:]]*\[CTL_CMD_[A-Z_]*\] = "\(.*\)",$/\1/p' "$top/cli/ctl_commands.c" | sort -u |
{ bad=0; while read -r cmd; do
	documented fabricctl.8 "$cmd" || { echo "FAIL: fabricctl(8) does not document command '$cmd'"; bad=1; }
done; exit $bad; } || fail=1
for opt in $(grep -o '{ "[a-z-]*", [a-z_]*argument' "$top/fabricd/main.c" | cut -d'"' -f2); do
	grep -qE -- "--$opt\*|--$opt[ *]" "$top/doc/fabricd.8.scd" || no "fabricd(8) does not document --$opt"
done
for opt in $(grep -o '{ "[a-z-]*", [a-z_]*argument' "$top/cli/fabricctl.c" | cut -d'"' -f2); do
	grep -qE -- "--$opt\*|--$opt[ *]" "$top/doc/fabricctl.8.scd" || no "fabricctl(8) does not document --$opt"
done

if command -v man >/dev/null; then
	for p in fabricd.8 fabricctl.8 fabricd.conf.5; do
		[ -f "$pages/$p" ] || p_path="$top/doc/$p"
		w=$(MANWIDTH=80 man --warnings -l "${p_path:-$pages/$p}" 2>&1 >/dev/null)
		[ -z "$w" ] || no "man -l $p: $w"
		MANWIDTH=80 man -l "${p_path:-$pages/$p}" 2>/dev/null | grep -q "^NAME" || no "man -l $p renders no NAME section"
		p_path=
	done
fi
[ $fail = 0 ] && echo "PASS: man pages document every setting, command and option, and render"
exit $fail
