#!/usr/bin/env bash
# Issue 5: BFD on every adjacency of the reference fabric (all fabricd, or
# spines FRR with MIXED=spines): sessions Up on both sides with the
# configured timers; a silent failure (nftables ingress drop on both ends of
# leaf1-spine3) takes BFD down, the OSPF neighbor down and the path out of
# both leaves' kernels; restoring brings it all back; a carrier loss does the
# same; BFD packets with a TTL below 255 are dropped and counted.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v nft >/dev/null || skip "nftables (nft) is not installed"
[ "${MIXED:-}" = spines ] && { IMPL_spine3=frr; IMPL_spine4=frr; }
fabric_topology || exit 1
fabric_start || { fail "fabric starts"; finish; exit 1; }

bfd_state_to() { # NODE PEER STATE
	jctl "$1" show bfd | jq -e --arg p "$2" --arg s "$3" '.sessions[] | select(.peer == $p) | .state == $s'
}
wait_for "leaf1: 2 neighbors Full" 30 neighbors_full leaf1 2
wait_for "leaf1: 2 BFD sessions Up" 20 bfd_up leaf1 2
wait_for "leaf2: 2 BFD sessions Up" 10 bfd_up leaf2 2
wait_for "leaf1: show neighbors shows BFD Up" 5 bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show neighbors | jq -e '[.neighbors[] | select(.bfd == \"Up\")] | length == 2'"
check "leaf1: BFD timers as configured (100 ms x 3)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show bfd | jq -e '.sessions[0] | .tx_interval_ms == 100 and .rx_interval_ms == 100 and .multiplier == 3 and .detect_time_ms == 300'"
wait_spine3_bfd
if [ "${IMPL_spine3:-fabricd}" = frr ]; then
	check "FRR spine3: agrees on the timers with leaf1" bash -c "ip netns exec $(ns spine3) vtysh --vty_socket '$WORK/frr-spine3' -c 'show bfd peers json' | jq -e '.[] | select(.peer == \"10.0.13.0\") | .\"remote-transmit-interval\" == 100 and .\"remote-receive-interval\" == 100 and .\"remote-detect-multiplier\" == 3'"
fi
wait_for "leaf1: ECMP to h2" 20 paths_are leaf1 10.2.2.0/24 2

# silent failure: every frame lost, carrier stays on
silent() { fabric_silent "$1" leaf1 swp1 spine3 swp1; } # add|del
t0=$(now_ms)
silent add
wait_for "silent failure: leaf1's BFD session to spine3 leaves Up" 5 bfd_not_up leaf1 10.0.13.1
t1=$(now_ms)
wait_for "silent failure: leaf1 route to h2 falls to 1 next hop" 5 paths_are leaf1 10.2.2.0/24 1
t2=$(now_ms)
# leaf2 is not on the failed link: it follows the LSAs, and its SPF may still
# be in the RFC 8405 long wait (2 s) from the start-up churn; with FRR spines
# it has been seen to take up to ~5 s (see the issue note), hence 10 s here.
wait_for "silent failure: leaf2 route to h1 falls to 1 next hop" 10 paths_are leaf2 10.1.1.0/24 1
echo "silent failure: leaf2 repaired $(( $(now_ms) - t0 )) ms after the cut"
check "silent failure: leaf1's log says BFD went Up -> Down" grep -q "bfd 10.0.13.1 on swp1: Up -> Down" "$WORK/leaf1.log"
check "silent failure: leaf1's OSPF neighbor spine3 is gone" bash -c "! '$FABRICCTL' -s '$WORK/leaf1.sock' --json show neighbors | jq -e '.neighbors[] | select(.router_id == \"10.255.0.3\" and .state == \"Full\")'"
# BFD, not OSPF's dead interval (3 s), must be what took the adjacency down:
# the neighbor's last Down in leaf1's events was a KillNbr from BFD.
spine3_down_reason() { jctl leaf1 show events | jq -r '[.events[] | select(.event == "neighbor" and .router_id == "10.255.0.3" and .new_state == "Down")] | last | .reason'; }
down_by_bfd() { [[ "$(spine3_down_reason)" == KillNbr* ]]; }
check "silent failure: BFD took spine3's adjacency down (KillNbr), not the inactivity timer" down_by_bfd
echo "silent failure: BFD down after $((t1 - t0)) ms, leaf1 route repaired after $((t2 - t0)) ms (dead interval 3000 ms), adjacency down by: $(spine3_down_reason)"
wait_for "traffic flows over spine4" 10 nsx h1 ping -c1 -W1 10.2.2.10
echo "silent failure: h1 -> h2 ping answered $(( $(now_ms) - t0 )) ms after the cut"
silent del
wait_for "restored: BFD Up again" 20 bfd_state_to leaf1 10.0.13.1 Up
wait_for "restored: ECMP back on leaf1" 20 paths_are leaf1 10.2.2.0/24 2

# carrier loss
ip -n "$(ns spine3)" link set swp1 down
wait_for "carrier loss: leaf1 route falls to 1 next hop" 5 paths_are leaf1 10.2.2.0/24 1
ip -n "$(ns spine3)" link set swp1 up
wait_for "carrier back: ECMP again" 20 paths_are leaf1 10.2.2.0/24 2

# GTSM: a BFD packet with TTL 254 is dropped and counted
ttl_drops() { jctl leaf1 show counters | jq '.bfd.drops.ttl'; }
before=$(ttl_drops)
# a BFD control packet (version 1, state Down, mult 3, length 24, my discr 1)
pkt='\x20\x40\x03\x18\x00\x00\x00\x01\x00\x00\x00\x00\x00\x0f\x42\x40\x00\x0f\x42\x40\x00\x00\x00\x00'
for k in 1 2 3; do printf "$pkt" | nsx spine3 socat -u - UDP4-DATAGRAM:10.0.13.0:3784,sourceport=$((49999 + k)),ttl=254 2>/dev/null; done
ttl_counted() { [ "$(ttl_drops)" -gt "$before" ]; }
wait_for "TTL 254 BFD packets dropped and counted" 5 ttl_counted
finish
