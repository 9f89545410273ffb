#!/usr/bin/env bash
# Issue 11 (hostile networks), in namespaces: r1 (fabricd) has a real
# neighbor r2 (fabricd) on swp1 and a hostile one, x (bench/ospfattack and
# forged Hellos), on swp2. Asserts that 300 forged router IDs do not hide r2 in
# `show neighbors`; that router IDs 0.0.0.0 and 255.255.255.255 are dropped
# and counted; that 128 idle or half-sent control connections do not lock
# fabricctl out; that `show running-config` redacts the OSPF and BFD
# secrets, which only root gets with `show running-config secrets`; and
# that a flood of AS-external-LSAs past ospf.max-lsa is refused and counted
# (RFC 1765 OverflowState) while r2 stays Full.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
ATTACK=${ATTACK:-$BUILD/bench/ospfattack}
$PY -c 'import scapy.contrib.ospf' 2>/dev/null || skip "python3-scapy is not installed"
[ -x "$ATTACK" ] || skip "no $ATTACK (build first)"
command -v setpriv >/dev/null && getent group nogroup >/dev/null || skip "setpriv or group nogroup missing"

ns_add r1 && ns_add r2 && ns_add x || exit 1
veth r1 swp1 r2 swp1 && veth r1 swp2 x swp1 || exit 1
ip -n "$(ns r1)" addr add 10.9.0.0/31 dev swp1
ip -n "$(ns r2)" addr add 10.9.0.1/31 dev swp1
ip -n "$(ns r1)" addr add 10.9.1.0/31 dev swp2
ip -n "$(ns x)" addr add 10.9.1.1/31 dev swp1
conf() { # ROUTER-ID EXTRA
	cat <<EOC
router-id = "$1";
ospf = { $2 interfaces = (
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 40; bfd = true;
    auth = "md5"; keys = ( { id = 1; secret = "ospf-s3cret"; } ); },
  { name = "swp2"; network = "point-to-point"; hello-interval = 1; dead-interval = 40; }
); };
bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3;
        auth = "keyed-sha1"; keys = ( { id = 1; secret = "bfd-s3cret"; } ); };
control = { group = "nogroup"; };
EOC
}
conf 10.255.0.1 "max-lsa = 1000;" >"$WORK/r1.conf"
conf 10.255.0.2 "" >"$WORK/r2.conf"
fabricd_start r1 "$WORK/r1.conf" || { fail "fabricd starts on r1"; finish; exit 1; }
fabricd_start r2 "$WORK/r2.conf" || { fail "fabricd starts on r2"; finish; exit 1; }
r2_full() { jctl r1 show neighbors | jq -e '[.neighbors[] | select(.router_id == "10.255.0.2" and .state == "Full")] | length == 1'; }
wait_for "r1: r2 Full (md5)" 20 r2_full

# 300 forged router IDs on swp2 (no authentication there).
ip netns exec "$(ns x)" $PY "$(dirname "$0")/ospf_hellos.py" swp1 10.9.1.1 255.255.255.254 1 40 10.200.0.1 300
many() { jctl r1 show neighbors | jq -e '(.neighbors | length) >= 301'; }
wait_for "r1: show neighbors lists all 301 neighbors" 10 many
check "r1: r2 is among them, Full" r2_full

# Router IDs that cannot name a router.
ip netns exec "$(ns x)" $PY "$(dirname "$0")/ospf_hellos.py" swp1 10.9.1.1 255.255.255.254 1 40 0.0.0.0 1
ip netns exec "$(ns x)" $PY "$(dirname "$0")/ospf_hellos.py" swp1 10.9.1.1 255.255.255.254 1 40 255.255.255.255 1
bad_counted() { jctl r1 show counters | jq -e '.ospf.drops.bad_router_id == 2'; }
wait_for "r1: router IDs 0.0.0.0 and 255.255.255.255 dropped and counted" 5 bad_counted
check "r1: neither became a neighbor" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '[.neighbors[] | select(.router_id == \"0.0.0.0\" or .router_id == \"255.255.255.255\")] | length == 0'"

# 64 idle and 64 half-sent control connections, then fabricctl.
$PY - "$WORK/r1.sock" <<'EOP' &
import socket, sys, time
socks = []
for i in range(128):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    if i % 2:
        s.send(b"show ver")
    socks.append(s)
time.sleep(15)
EOP
HOLD=$!; remember_pid $HOLD
sleep 0.5
t0=$(now_ms)
check "fabricctl gets in past 128 idle/half-sent connections (within 3 s)" timeout 3 "$FABRICCTL" -s "$WORK/r1.sock" show version
echo "  fabricctl answered in $(( $(now_ms) - t0 )) ms"
check "r1: evictions counted" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show counters | jq -e '.control.evicted + .control.timed_out > 0'"
stop_pid $HOLD

# Secrets: redacted for the control group, root only on request.
asuser() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
check "nobody (group nogroup) reads the running config" asuser "$FABRICCTL" -s "$WORK/r1.sock" show running-config
check "nobody: no OSPF or BFD secret in it" bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups '$FABRICCTL' -s '$WORK/r1.sock' show running-config | grep -q s3cret"
check "nobody: secrets shown as <redacted>" bash -c "setpriv --reuid=nobody --regid=nogroup --clear-groups '$FABRICCTL' -s '$WORK/r1.sock' show running-config | grep -q '<redacted>'"
check "nobody: 'show running-config secrets' refused" bash -c "! setpriv --reuid=nobody --regid=nogroup --clear-groups '$FABRICCTL' -s '$WORK/r1.sock' show running-config secrets"
check "root: 'show running-config' redacted too" bash -c "! '$FABRICCTL' -s '$WORK/r1.sock' show running-config | grep -q s3cret"
check "root: 'show running-config secrets' has both secrets" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' show running-config secrets | grep -q ospf-s3cret && '$FABRICCTL' -s '$WORK/r1.sock' show running-config secrets | grep -q bfd-s3cret"

# A flood of 2,000 AS-external-LSAs against max-lsa = 1000.
ip netns exec "$(ns x)" "$ATTACK" swp1 10.9.1.1 10.0.0.9 ext 2000 >"$WORK/x.log" 2>&1 &
XP=$!; remember_pid $XP
x_full() { jctl r1 show neighbors | jq -e '[.neighbors[] | select(.router_id == "10.0.0.9" and .state == "Full")] | length == 1'; }
wait_for "r1: the flooder is Full" 20 x_full
kill -USR1 $XP
overflow() { jctl r1 show counters | jq -e '.ospf.overflow_state and .ospf.external_lsas == 1000 and .ospf.lsa_refused_overflow > 0'; }
wait_for "r1: OverflowState, 1000 externals kept, the rest refused and counted" 20 overflow
r2_has() { jctl r2 show counters | jq -e '.ospf.external_lsas == 1000'; }
wait_for "r2 (no limit) got the 1000 r1 kept" 20 r2_has
check "r1: r2 still Full" r2_full
check "r1: BFD to r2 still Up" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show bfd | jq -e '.sessions[] | select(.peer == \"10.9.0.1\") | .state == \"Up\"'"
finish
