# The systemd unit as the tests run it (source after lib.sh): its Exec*
# lines taken from the built unit file and run as given, with only the
# installed paths of the binaries (and of the config) mapped to the build.
UNIT=${UNIT:-$BUILD/contrib/systemd/fabricd.service}

unit_value() { # KEY -> the value of KEY= in the unit (the last one)
	sed -n "s/^$1=//p" "$UNIT" | tail -1
}

# unit_cmd KEY CONF: the words of the unit's KEY= line, each on its own
# line, with the fabricd/fabricctl binaries mapped to the build and the
# config file the unit names mapped to CONF.
unit_cmd() {
	local key=$1 conf=$2 line w prev=
	line=$(unit_value "$key")
	[ -n "$line" ] || return 1
	for w in $line; do
		case $w in
		*/sbin/fabricd) w=$FABRICD ;;
		*/bin/fabricctl) w=$FABRICCTL ;;
		esac
		[ "$prev" = -c ] && w=$conf
		printf '%s\n' "$w"
		prev=$w
	done
}

# The unit with the build's binaries in place of the installed ones, for
# systemd-analyze verify (which wants the programs to exist).
unit_for_build() { # OUT
	sed -e "s|^\(Exec[A-Za-z]*=\)[^ ]*/sbin/fabricd|\1$FABRICD|" \
	    -e "s|^\(Exec[A-Za-z]*=\)[^ ]*/bin/fabricctl|\1$FABRICCTL|" "$UNIT" >"$1"
}
