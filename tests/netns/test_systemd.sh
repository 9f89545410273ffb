#!/usr/bin/env bash
# Issue 10 (systemd): the unit file passes systemd-analyze verify and has
# the settings the service relies on; its ExecStartPre/ExecStart/ExecReload
# lines, run as written (binaries and config mapped to the build), bring up
# leaf1 of the reference fabric under the notification protocol: READY=1
# once the control socket answers, STATUS with the Full neighbors and BFD
# sessions (following a link failure), WATCHDOG=1 from the event loop at
# half of WATCHDOG_USEC, RELOADING=1/READY=1 around a reload, a reload of a
# broken file fails and keeps the running config, STOPPING=1 at SIGTERM.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
source "$(dirname "$0")/unit.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -f "$UNIT" ] || skip "no unit file at $UNIT (build first)"

# ---- the unit file itself ----
unit_for_build "$WORK/fabricd.service"
if out=$(systemd-analyze verify --man=no "$WORK/fabricd.service" 2>&1) && [ -z "$out" ]; then
	ok "systemd-analyze verify: no complaint"
else
	fail "systemd-analyze verify: $out"
fi
# systemd's own rating of the sandbox (0 best, 10 worst): "OK" or better.
exposure=$(systemd-analyze security --offline=yes "$WORK/fabricd.service" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
check "systemd-analyze security: exposure $exposure (OK or better)" bash -c "[[ '$exposure' =~ ' '(SAFE|OK)$ ]]"
has() { [ "$(unit_value "$1")" = "$2" ]; }
check "Type=notify" has Type notify
check "Restart=on-failure" has Restart on-failure
check "WatchdogSec is set" bash -c "[ -n \"\$(sed -n 's/^WatchdogSec=//p' '$UNIT')\" ]"
check "ProtectSystem=strict" has ProtectSystem strict
check "NoNewPrivileges=yes" has NoNewPrivileges yes
check "RuntimeDirectory=fabricd" has RuntimeDirectory fabricd
check "CapabilityBoundingSet: the two kept ones, the switch, nothing broad" bash -c "
	b=\$(sed -n 's/^CapabilityBoundingSet=//p' '$UNIT')
	for c in CAP_NET_RAW CAP_NET_ADMIN CAP_SETUID CAP_SETGID; do [[ \" \$b \" == *\" \$c \"* ]] || exit 1; done
	[[ \$b != *CAP_SYS_ADMIN* && \$b != *CAP_DAC_OVERRIDE* ]]"
check "RestrictAddressFamilies: unix, inet, inet6, netlink" has RestrictAddressFamilies "AF_UNIX AF_INET AF_INET6 AF_NETLINK"

# ---- the fabric, leaf1 started by the unit's lines ----
fabric_topology || exit 1
for n in leaf2 spine3 spine4; do
	fabric_conf_fabricd "$n" >"$WORK/$n.conf"
	fabricd_start "$n" "$WORK/$n.conf" || { fail "$n starts"; finish; exit 1; }
done
fabric_conf_fabricd leaf1 >"$WORK/leaf1.conf"   # control.socket: the default, /run/fabricd

mapfile -t pre < <(unit_cmd ExecStartPre "$WORK/leaf1.conf")
mapfile -t start < <(unit_cmd ExecStart "$WORK/leaf1.conf")
mapfile -t reload < <(unit_cmd ExecReload "$WORK/leaf1.conf")
check "ExecStartPre (the config check) passes" "${pre[@]}"

python3 "$(dirname "$0")/notify_recv.py" "$WORK/notify.sock" "$WORK/notify.log" &
remember_pid $!
wait_quiet 5 test -S "$WORK/notify.sock" || { fail "notification socket"; finish; exit 1; }

# Like systemd: a private /run (RuntimeDirectory=fabricd made empty), the
# notification socket and the watchdog interval in the environment.
ip netns exec "$(ns leaf1)" unshare --mount --propagation private sh -c \
	'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/fabricd && exec "$@"' sh \
	env NOTIFY_SOCKET="$WORK/notify.sock" WATCHDOG_USEC=200000 "${start[@]}" -d \
	>>"$WORK/leaf1.log" 2>&1 &
pid=$!
remember_pid $pid
in_leaf1() { nsenter -t "$pid" -m -n -- "$@"; }
got() { grep -q -- "$1" "$WORK/notify.log" 2>/dev/null; }
count() { grep -c -- "$1" "$WORK/notify.log" 2>/dev/null; }

if wait_for "READY=1 arrives" 15 got "READY=1"; then
	check "the control socket answers as soon as READY=1 is sent" \
		in_leaf1 "$FABRICCTL" show version
	check "it is fabricd's own process that runs (exec all the way)" \
		test "$(cat /proc/$pid/comm)" = fabricd
fi
wait_for "STATUS: 2 neighbors Full, 2 BFD up" 40 got "STATUS=2 neighbors Full, 2 BFD up"
wait_for "WATCHDOG=1 keeps coming (10 of them)" 10 bash -c "[ \$(grep -c WATCHDOG=1 '$WORK/notify.log') -ge 10 ]"
# WATCHDOG_USEC=200000: a keep-alive every 100 ms (half of it).
gap=$(grep WATCHDOG=1 "$WORK/notify.log" | head -10 | awk 'NR == 1 { a = $1 } { b = $1 } END { print int((b - a) / 9) }')
check "keep-alives every ~100 ms (mean gap ${gap} ms)" test "$gap" -ge 70 -a "$gap" -le 200

ip -n "$(ns spine3)" link set swp1 down
wait_for "STATUS follows a link failure: 1 neighbor Full, 1 BFD up" 10 got "STATUS=1 neighbor Full, 1 BFD up"
ip -n "$(ns spine3)" link set swp1 up
wait_for "and the repair: 2 neighbors Full again" 30 bash -c "tail -n +2 '$WORK/notify.log' | grep 'STATUS=1 neighbor' -A1000 | grep -q 'STATUS=2 neighbors Full, 2 BFD up'"

# ExecReload as given, in the daemon's namespaces.
r0=$(count "RELOADING=1")
check "ExecReload succeeds" in_leaf1 "${reload[@]}"
wait_for "RELOADING=1 then READY=1 around the reload" 5 bash -c \
	"[ \$(grep -c RELOADING=1 '$WORK/notify.log') -gt $r0 ] && grep -A1000 RELOADING=1 '$WORK/notify.log' | tail -n +2 | grep -q READY=1"
cp "$WORK/leaf1.conf" "$WORK/leaf1.good"
echo 'router-id = "10.255.0.1" ospf' >"$WORK/leaf1.conf"
if in_leaf1 "${reload[@]}" >"$WORK/reload.out" 2>&1; then
	fail "ExecReload of a broken file fails"
else
	ok "ExecReload of a broken file fails (exit $?): $(head -1 "$WORK/reload.out")"
fi
check "the daemon still runs on its running config" bash -c \
	"nsenter -t $pid -m -n -- '$FABRICCTL' --json show neighbors | jq -e '[.neighbors[] | select(.state == \"Full\")] | length == 2'"
cp "$WORK/leaf1.good" "$WORK/leaf1.conf"

kill -TERM "$pid"
wait_for "SIGTERM: fabricd exits" 10 bash -c "! kill -0 $pid 2>/dev/null"
wait "$pid"; rc=$?
check "exit status 0 (was $rc)" test "$rc" = 0
check "STOPPING=1 sent" got "STOPPING=1"
finish
