#!/usr/bin/env bash
# Issue 11.3: a malformed-packet suite against a live fabricd. The device
# under test (dut) has a legitimate fabricd neighbor on swp1 (OSPF Full, BFD
# 100 ms x 3) and, on swp2, a second fabricd neighbor whose port an attacker
# also writes to: tests/netns/malformed.py sends over 300 crafted OSPF and BFD
# packets (every header field out of range, lengths short and long, counts
# that overrun, unknown LSA types, MaxAge and sequence edge cases, LSAs in the
# dut's name, each RFC 5880 6.8.6 check violated, TTL below 255) as raw frames
# in the attacker's own name. For each packet a counter in `show counters`
# (or the session's counters in `show bfd`) must move; at the end the dut
# still runs, the legitimate adjacency is Full and its BFD session Up and
# never flapped. Then two floods (BFD packets with unknown discriminators,
# and Router-LSAs of fake routers) run for 10 s each while the
# script measures how long `show neighbors` takes (reported, not asserted).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x $PY ] || skip "no /usr/bin/python3"
[ "$(id -u)" = 0 ] || skip "needs root"

ns_add dut && ns_add legit && ns_add atk || exit 1
veth dut swp1 legit swp1 && veth dut swp2 atk swp1 || exit 1
ip -n "$(ns dut)" addr add 10.255.0.1/32 dev lo
ip -n "$(ns legit)" addr add 10.255.0.2/32 dev lo
ip -n "$(ns atk)" addr add 10.255.0.3/32 dev lo
ip -n "$(ns dut)" addr add 10.9.1.0/31 dev swp1; ip -n "$(ns legit)" addr add 10.9.1.1/31 dev swp1
ip -n "$(ns dut)" addr add 10.9.2.0/31 dev swp2; ip -n "$(ns atk)" addr add 10.9.2.1/31 dev swp1

conf() { # RID PORTS...
	local rid=$1 p; shift
	echo "router-id = \"$rid\";"
	echo 'ospf = { interfaces = ( { name = "lo"; passive = true; }'
	for p in "$@"; do
		echo ", { name = \"$p\"; network = \"point-to-point\"; hello-interval = 1; dead-interval = 3; bfd = true; }"
	done
	echo '); };'
	echo 'bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };'
}
conf 10.255.0.1 swp1 swp2 >"$WORK/dut.conf"
conf 10.255.0.2 swp1 >"$WORK/legit.conf"
conf 10.255.0.3 swp1 >"$WORK/atk.conf"
fabricd_start dut "$WORK/dut.conf" && fabricd_start legit "$WORK/legit.conf" &&
	fabricd_start atk "$WORK/atk.conf" || exit 1

nbr_full() { jctl dut show neighbors | jq -e --arg r "$1" '.neighbors[] | select(.router_id == $r and .state == "Full" and .bfd == "Up")'; }
wait_for "dut: legit neighbor Full, BFD Up" 20 nbr_full 10.255.0.2 || { finish; exit 1; }
wait_for "dut: attacker's neighbor Full, BFD Up" 20 nbr_full 10.255.0.3 || { finish; exit 1; }
bfd_changes() { jctl dut show bfd | jq '.sessions[] | select(.peer == "10.9.1.1") | .counters.state_changes'; }
changes0=$(bfd_changes)

mac=$(ip -n "$(ns dut)" -j link show swp2 | jq -r '.[0].address')
discr=$(jctl dut show bfd | jq '.sessions[] | select(.peer == "10.9.2.1") | .local_discr')
args=("$FABRICCTL" "$WORK/dut.sock" swp1 10.9.2.1 10.9.2.0 "$mac" 10.255.0.3 10.255.0.1 "$discr")

nsx atk $PY "$(dirname "$0")/malformed.py" "${args[@]}" >"$WORK/malformed.out" 2>&1
rc=$?
grep -E '^(MISS|packets:)' "$WORK/malformed.out"
total=$(sed -n 's/^packets: \([0-9]*\),.*/\1/p' "$WORK/malformed.out")
check "at least 300 crafted packets sent (${total:-0})" test "${total:-0}" -ge 300
check "every crafted packet moved a named counter" test $rc = 0
check "dut still answers" ctl dut show version
check "legit neighbor still Full with BFD Up" nbr_full 10.255.0.2
check "legit BFD session never left Up" test "$(bfd_changes)" = "$changes0"
# Hellos in other routers' names from the neighbor's address must not take
# the real neighbor's BFD session with them when they expire (dead 3 s).
sleep_until() { local end=$(( $(now_ms) + $1 )); while [ "$(now_ms)" -lt $end ]; do sleep 0.1; done; }
sleep_until 3500
check "attacker's own adjacency still Full with its BFD session Up" nbr_full 10.255.0.3

for f in "bfd 10 20000" "lsa 10 2000"; do
	set -- $f
	nsx atk $PY "$(dirname "$0")/malformed.py" --flood-$1 "$2" "$3" "${args[@]}" >"$WORK/flood-$1.out" 2>&1
	cat "$WORK/flood-$1.out"
	check "dut answers after the $1 flood" ctl dut show version
	check "legit neighbor Full with BFD Up after the $1 flood" nbr_full 10.255.0.2
done
check "legit BFD session never left Up during the floods" test "$(bfd_changes)" = "$changes0"
[ -n "${KEEP:-}" ] && cp "$WORK/malformed.out" /tmp/malformed.out
finish
