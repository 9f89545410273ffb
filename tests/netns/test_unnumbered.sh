#!/usr/bin/env bash
# Issue 8 item 1: the reference fabric with every fabric link unnumbered,
# Cumulus style (each switch's swp1/swp2 carry only its loopback /32), all
# fabricd or (MIXED=spines) FRR spines: adjacencies Full, ECMP in leaf1's
# kernel through both spines as on-link next hops via the spines' loopbacks,
# show routes / show fib print them, h1 <-> h2 traffic; a silent failure of
# leaf1-spine3 (nftables ingress drop) is seen by BFD (single-hop to the
# neighbor's loopback on that port) and repaired; giving one port a /31
# makes it numbered, and the mixed numbered + unnumbered ECMP keeps both.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v nft >/dev/null || skip "nftables (nft) is not installed"
UNNUMBERED=1
[ "${MIXED:-}" = spines ] && { IMPL_spine3=frr; IMPL_spine4=frr; }
fabric_topology || exit 1
fabric_start || { fail "fabric starts"; finish; exit 1; }

# Next hops of NODE's kernel route to PREFIX, one "GW DEV onlink?" a line
# (resolving a nexthop group).
kernel_nh() { # NODE PREFIX
	local r id m
	r=$(ip -n "$(ns $1)" -j route show "$2" 2>/dev/null)
	id=$(echo "$r" | jq -r '.[0].nhid // empty')
	if [ -z "$id" ]; then
		echo "$r" | jq -r '.[0] | (.nexthops // [.])[] | "\(.gateway) \(.dev) \(if (.flags // []) | index("onlink") then "onlink" else "-" end)"'
		return
	fi
	for m in $(ip -n "$(ns $1)" -j nexthop show id "$id" | jq -r '.[0] | if .group then .group[].id else .id end'); do
		ip -n "$(ns $1)" -j nexthop show id "$m" | jq -r '.[0] | "\(.gateway) \(.dev) \(if (.flags // []) | index("onlink") then "onlink" else "-" end)"'
	done
}
has_nh() { kernel_nh "$1" "$2" | grep -x "$3" >/dev/null; } # NODE PREFIX "GW DEV FLAG"
onlink_ecmp() { # NODE PREFIX: both spines, on-link
	has_nh "$1" "$2" "10.255.0.3 swp1 onlink" && has_nh "$1" "$2" "10.255.0.4 swp2 onlink" &&
		[ "$(kernel_nh "$1" "$2" | wc -l)" = 2 ]
}

wait_for "leaf1: 2 neighbors Full over unnumbered ports" 30 neighbors_full leaf1 2
check "leaf1: the neighbors' addresses are the spines' loopbacks" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show neighbors | jq -e '[.neighbors[].address] | sort == [\"10.255.0.3\", \"10.255.0.4\"]'"
check "leaf1: show interfaces says swp1 is unnumbered (10.255.0.1/32)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp1\") | .unnumbered and .address == \"10.255.0.1/32\"'"
wait_for "leaf1: ECMP to h2's subnet, both next hops on-link" 30 onlink_ecmp leaf1 10.2.2.0/24
wait_for "leaf1: ECMP to leaf2's loopback, on-link" 10 onlink_ecmp leaf1 10.255.0.2/32
wait_for "leaf2: ECMP to h1's subnet, on-link" 20 onlink_ecmp leaf2 10.1.1.0/24
check "leaf1: the route to spine3's loopback is one on-link next hop" bash -c "[ \"\$(ip -n $(ns leaf1) -j route show 10.255.0.3/32 | jq -r '.[0].nhid // empty')\" ] || ip -n $(ns leaf1) route show 10.255.0.3/32 | grep -q onlink"
check "leaf1: show routes prints on-link next hops via the spines" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show routes | jq -e '.routes[] | select(.prefix == \"10.2.2.0/24\") | .installed and ([.nexthops[] | select(.onlink == true) | .via] | sort == [\"10.255.0.3\", \"10.255.0.4\"])'"
check "leaf1: show routes (text) says onlink" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show routes | grep '10.2.2.0/24' | grep -q '10.255.0.3 swp1 onlink'"
check "leaf1: show fib matches the kernel (on-link in both)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show fib | jq -e '([.fib[] | select(.match | not)] | length == 0) and ([.fib[] | select(.prefix == \"10.2.2.0/24\") | .kernel[] | select(.onlink)] | length == 2)'"
wait_for "h1 -> h2 ping across the unnumbered fabric" 10 nsx h1 ping -c1 -W1 10.2.2.10
check "h2 -> h1 ping" nsx h2 ping -c1 -W1 10.1.1.10

wait_for "leaf1: 2 BFD sessions Up (to the spines' loopbacks)" 20 bfd_up leaf1 2
check "leaf1: BFD session to 10.255.0.3 on swp1 from 10.255.0.1" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show bfd | jq -e '.sessions[] | select(.peer == \"10.255.0.3\") | .interface == \"swp1\" and .local == \"10.255.0.1\"'"
wait_spine3_bfd
if [ "${IMPL_spine3:-fabricd}" = frr ]; then
	check "FRR spine3: installed the route to h1 on-link" bash -c "ip -n $(ns spine3) route show 10.1.1.0/24 | grep -q onlink || ip -n $(ns spine3) nexthop show | grep -q onlink"
fi

silent() { fabric_silent "$1" leaf1 swp1 spine3 swp1; } # add|del
one_path_via_spine4() { has_nh leaf1 10.2.2.0/24 "10.255.0.4 swp2 onlink" && [ "$(kernel_nh leaf1 10.2.2.0/24 | wc -l)" = 1 ]; }
t0=$(now_ms)
silent add
wait_for "silent failure: leaf1's BFD session to spine3 leaves Up" 5 bfd_not_up leaf1 10.255.0.3
wait_for "silent failure: leaf1's route to h2 falls to the on-link path via spine4" 5 one_path_via_spine4
echo "silent failure: leaf1 repaired $(( $(now_ms) - t0 )) ms after the cut (dead interval 3000 ms)"
check "silent failure: leaf1's log says BFD went Up -> Down" grep -q "bfd 10.255.0.3 on swp1: Up -> Down" "$WORK/leaf1.log"
wait_for "silent failure: h1 -> h2 over spine4" 10 nsx h1 ping -c1 -W1 10.2.2.10
silent del
wait_for "restored: BFD Up again" 20 bfd_up leaf1 2
wait_for "restored: on-link ECMP back on leaf1" 20 onlink_ecmp leaf1 10.2.2.0/24

# Mixed: leaf1-spine4 becomes numbered (a /31 besides the /32 on both ends);
# leaf1's route to h2 keeps both paths, one on-link and one plain.
ip -n "$(ns leaf1)" addr add 10.0.14.0/31 dev swp2
ip -n "$(ns spine4)" addr add 10.0.14.1/31 dev swp1
mixed_ecmp() {
	has_nh leaf1 10.2.2.0/24 "10.255.0.3 swp1 onlink" && has_nh leaf1 10.2.2.0/24 "10.0.14.1 swp2 -" &&
		[ "$(kernel_nh leaf1 10.2.2.0/24 | wc -l)" = 2 ]
}
wait_for "mixed: leaf1 has ECMP over unnumbered swp1 and numbered swp2" 30 mixed_ecmp
check "mixed: show fib matches the kernel" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show fib | jq -e '[.fib[] | select(.match | not)] | length == 0'"
check "mixed: h1 -> h2 ping" nsx h1 ping -c1 -W1 10.2.2.10
finish
