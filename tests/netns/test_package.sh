#!/usr/bin/env bash
# Issue 10 (Debian package): dpkg-buildpackage -us -uc -b on a clean copy of
# HEAD gives fabricd_<configure.ac version>-1_<arch>.deb, lintian-clean (its
# overrides explained in debian/); dpkg -i installs fabricd in /usr/sbin,
# fabricctl in /usr/bin, the example config as a conffile (root:fabricd
# 0640, user = "fabricd"), the unit (verified by systemd-analyze, neither
# enabled nor started), the man pages, and the fabricd system user; next to
# FRR's unrelated /usr/lib/frr/fabricd. The installed unit's ExecStart line,
# run as written in a namespace, starts, signals READY and runs as fabricd.
# dpkg -r leaves only the conffile, dpkg -P nothing. The package is never
# left installed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage is missing (Debian packages dpkg-dev, debhelper)"
command -v lintian >/dev/null || skip "lintian is missing"
command -v git >/dev/null && git -C "$top" rev-parse HEAD >/dev/null 2>&1 || skip "not a git checkout: nothing to build a clean copy from"
if dpkg-query -W -f='${db:Status-Abbrev}' fabricd 2>/dev/null | grep -q '^[ir]'; then
	skip "a fabricd package is already on this machine; this test would remove it"
fi

version=$(sed -n 's/^AC_INIT(\[fabricd\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
arch=$(dpkg --print-architecture)
had_user=$(getent passwd fabricd >/dev/null && echo 1)
installed=
pkg_cleanup() {
	[ -n "$installed" ] && dpkg -P fabricd >/dev/null 2>&1
	if [ -z "$had_user" ] && getent passwd fabricd >/dev/null; then
		userdel fabricd; getent group fabricd >/dev/null && groupdel fabricd
	fi
}
trap 'pkg_cleanup; cleanup' EXIT

# configure names the Debian package of every library it requires; each
# must be a build dependency of the package.
for p in $(grep -o 'install the Debian packages\? [a-z0-9 .+-]*' "$top/configure.ac" | sed 's/.*Debian packages\? //' | tr ' ' '\n' | sort -u); do
	check "debian/control Build-Depends has $p (configure requires it)" \
		grep -qE "^[[:space:]]*(Build-Depends:)?[[:space:]]*$p( |,|$)" "$top/debian/control"
done

# ---- build from a clean copy ----
mkdir "$WORK/src"
git -C "$top" archive --prefix="fabricd-$version/" HEAD | tar -x -C "$WORK/src"
check "debian/changelog is at configure.ac's version $version" \
	bash -c "cd '$WORK/src/fabricd-$version' && [ \"\$(dpkg-parsechangelog -S Version)\" = '$version-1' ]"
# nocheck: the unit suites are make check's business (and with them the
# build takes twice as long); everything else is the plain command.
log "building the package"
if (cd "$WORK/src/fabricd-$version" &&
    DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	fail "dpkg-buildpackage -us -uc -b:"; tail -30 "$WORK/build.log"; finish; exit 1
fi
deb="$WORK/src/fabricd_${version}-1_${arch}.deb"
check "it made fabricd_${version}-1_${arch}.deb" test -f "$deb"
lint=$(lintian "$WORK/src/fabricd_${version}-1_${arch}.changes" 2>&1 | grep -v 'running with root privileges')
if [ -z "$lint" ]; then ok "lintian: clean"; else fail "lintian:"; echo "$lint"; fi

# ---- install ----
installed=1
dpkg -i "$deb" >"$WORK/install.log" 2>&1 || { fail "dpkg -i:"; cat "$WORK/install.log"; finish; exit 1; }
ok "dpkg -i (FRR installed: $(dpkg-query -W -f='${Version}' frr 2>/dev/null || echo no))"
check "fabricd --version: fabricd $version" test "$(/usr/sbin/fabricd --version)" = "fabricd $version"
check "fabricctl --version: fabricctl $version" test "$(/usr/bin/fabricctl --version)" = "fabricctl $version"
check "the config is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' fabricd | grep -q '^ /etc/fabricd/fabricd.conf '"
check "the config is root:fabricd 0640" test "$(stat -c '%U:%G %a' /etc/fabricd/fabricd.conf)" = "root:fabricd 640"
check "the config says user = \"fabricd\" and is valid" bash -c \
	"grep -qx 'user = \"fabricd\";' /etc/fabricd/fabricd.conf && /usr/sbin/fabricd -c /etc/fabricd/fabricd.conf --check"
check "fabricd: a system user and group, no login, no home" bash -c \
	"u=\$(getent passwd fabricd) && [ \$(id -u fabricd) -lt 1000 ] && [ \"\$(echo \$u | cut -d: -f7)\" = /usr/sbin/nologin ] && [ \"\$(echo \$u | cut -d: -f6)\" = /nonexistent ] && getent group fabricd >/dev/null"
check "the unit is installed and passes systemd-analyze verify" bash -c \
	"out=\$(systemd-analyze verify --man=no /lib/systemd/system/fabricd.service 2>&1) && [ -z \"\$out\" ]"
check "the unit is neither enabled nor started" bash -c "! ls /etc/systemd/system/*.wants/fabricd.service 2>/dev/null | grep -q ."
for m in man8/fabricd.8 man8/fabricctl.8 man5/fabricd.conf.5; do
	check "man -l renders $m" bash -c "MANWIDTH=80 man -l /usr/share/man/$m.gz 2>/dev/null | grep -q '^NAME'"
done
check "man fabricd finds ours (FRR's is frr-fabricd)" bash -c "[ \"\$(man -w fabricd)\" = /usr/share/man/man8/fabricd.8.gz ]"
if [ -e /usr/lib/frr/fabricd ]; then
	check "FRR's /usr/lib/frr/fabricd is still FRR's" bash -c "dpkg -S /usr/lib/frr/fabricd | grep -q '^frr:'"
	check "and /usr/sbin/fabricd is ours" bash -c "dpkg -S /usr/sbin/fabricd | grep -q '^fabricd:'"
fi

# ---- the installed unit's ExecStart, as written, in a namespace ----
ns_add sw || exit 1
ip -n "$(ns sw)" addr add 10.255.0.1/32 dev lo
python3 "$(dirname "$0")/notify_recv.py" "$WORK/notify.sock" "$WORK/notify.log" &
remember_pid $!
wait_quiet 5 test -S "$WORK/notify.sock"
execstart=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/fabricd.service)
# shellcheck disable=SC2086 # the line is split into words as systemd does
ip netns exec "$(ns sw)" unshare --mount --propagation private sh -c \
	'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/fabricd && exec "$@"' sh \
	env NOTIFY_SOCKET="$WORK/notify.sock" $execstart >"$WORK/sw.log" 2>&1 &
pid=$!
remember_pid $pid
wait_for "installed fabricd ($execstart) signals READY=1" 15 grep -q READY=1 "$WORK/notify.log"
check "it runs as user fabricd" test "$(awk '$1 == "Uid:" { print $3 }' /proc/$pid/status)" = "$(id -u fabricd)"
check "/run/fabricd and the socket are given to fabricd, the socket 0600" bash -c \
	"[ \"\$(stat -c '%U' /proc/$pid/root/run/fabricd) \$(stat -c '%U %a' /proc/$pid/root/run/fabricd/fabricd.sock)\" = 'fabricd fabricd 600' ]"
check "installed fabricctl talks to it on the default socket" \
	nsenter -t "$pid" -m -n -- /usr/bin/fabricctl show version
stop_pid $pid

check "installing it again (postinst run twice) is fine" dpkg -i "$deb"
check "the config is still root:fabricd 0640" test "$(stat -c '%U:%G %a' /etc/fabricd/fabricd.conf)" = "root:fabricd 640"

# ---- remove, purge ----
dpkg -r fabricd >"$WORK/remove.log" 2>&1 || { fail "dpkg -r"; cat "$WORK/remove.log"; }
left=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | while read -r f; do [ -e "$f" ] && echo "$f"; done)
check "dpkg -r: only the conffile is left (left: $(echo $left))" test "$left" = /etc/fabricd/fabricd.conf
check "dpkg -r: state rc" bash -c "dpkg-query -W -f='\${db:Status-Abbrev}' fabricd | grep -q '^rc'"
dpkg -P fabricd >"$WORK/purge.log" 2>&1 || { fail "dpkg -P"; cat "$WORK/purge.log"; }
installed=
check "dpkg -P: the conffile and /etc/fabricd are gone" test ! -e /etc/fabricd
check "dpkg -P: dpkg no longer knows fabricd" bash -c "! dpkg-query -W fabricd 2>/dev/null | grep -q ."
finish
