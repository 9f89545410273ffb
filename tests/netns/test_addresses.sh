#!/usr/bin/env bash
# Issue 8 item 3: every IPv4 address of an interface counts. On the
# reference fabric (all fabricd): a second /32 on leaf1's lo (an anycast
# service address) is advertised and reachable from leaf2; a second subnet
# on leaf1's host port is advertised and h2 reaches a host on it; a second
# subnet on a fabric port is advertised, and removing it (one address of
# several) keeps the adjacency; removed addresses leave leaf2's kernel.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
fabric_topology || exit 1
fabric_start || { fail "fabric starts"; finish; exit 1; }

wait_for "leaf1: 2 neighbors Full" 30 neighbors_full leaf1 2
wait_for "leaf2: ECMP to h1's subnet" 30 paths_are leaf2 10.1.1.0/24 2
no_route() { [ "$(route_paths "$1" "$2")" = 0 ]; }
lsa_has_stub() { # NODE ADV LINK_ID MASK: ADV's Router-LSA in NODE's database has that stub
	jctl "$1" show database detail | jq -e --arg a "$2" --arg i "$3" --arg m "$4" \
		'[.lsas[] | select(.adv_router == $a and .type == "router") | .links[] | select(.type == "stub" and .link_id == $i and .link_data == $m)] | length == 1'
}
nbr_changes() { jctl leaf1 show neighbors | jq -r '.neighbors[] | select(.router_id == "10.255.0.3") | "\(.state) \(.state_changes)"'; }

# a second /32 on lo: an anycast service address
ip -n "$(ns leaf1)" addr add 10.200.0.1/32 dev lo
wait_for "leaf2: route to leaf1's second loopback address 10.200.0.1/32 (ECMP)" 20 paths_are leaf2 10.200.0.1/32 2
check "leaf2's database: leaf1's Router-LSA lists both /32s as stubs" bash -c "$(declare -f jctl lsa_has_stub); FABRICCTL='$FABRICCTL' WORK='$WORK'; lsa_has_stub leaf2 10.255.0.1 10.200.0.1 255.255.255.255 && lsa_has_stub leaf2 10.255.0.1 10.255.0.1 255.255.255.255"
wait_for "leaf2 reaches 10.200.0.1 from its loopback" 10 nsx leaf2 ping -c1 -W1 -I 10.255.0.2 10.200.0.1

# a second subnet on the host port
ip -n "$(ns leaf1)" addr add 10.1.9.1/24 dev swp3
ip -n "$(ns h1)" addr add 10.1.9.10/24 dev eth0
wait_for "leaf2: route to leaf1's second host subnet 10.1.9.0/24 (ECMP)" 20 paths_are leaf2 10.1.9.0/24 2
check "leaf2: the first host subnet is still there" paths_are leaf2 10.1.1.0/24 2
check "leaf1: show interfaces lists both addresses of swp3" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp3\") | .addresses == [\"10.1.1.1/24\", \"10.1.9.1/24\"] and (.unnumbered | not)'"
wait_for "h2 reaches h1's address on the second subnet" 10 nsx h2 ping -c1 -W1 10.1.9.10

# a second subnet on a fabric port: advertised; removing it keeps the adjacency
before=$(nbr_changes)
ip -n "$(ns leaf1)" addr add 10.66.0.1/24 dev swp1
wait_for "leaf2: route to the fabric port's second subnet 10.66.0.0/24 (ECMP, via leaf1)" 20 paths_are leaf2 10.66.0.0/24 2
ip -n "$(ns leaf1)" addr del 10.66.0.1/24 dev swp1
wait_for "removed: 10.66.0.0/24 leaves leaf2's kernel" 20 no_route leaf2 10.66.0.0/24
check "removed: leaf1's adjacency with spine3 stayed Full throughout ($before)" test "$(nbr_changes)" = "$before"
check "removed: leaf1 still has ECMP to h2 over both spines" paths_are leaf1 10.2.2.0/24 2

ip -n "$(ns leaf1)" addr del 10.1.9.1/24 dev swp3
wait_for "removed: 10.1.9.0/24 leaves leaf2's kernel" 20 no_route leaf2 10.1.9.0/24
check "removed: the host port's other subnet stays" paths_are leaf2 10.1.1.0/24 2
ip -n "$(ns leaf1)" addr del 10.200.0.1/32 dev lo
wait_for "removed: 10.200.0.1/32 leaves leaf2's kernel" 20 no_route leaf2 10.200.0.1/32
check "removed: leaf1's router id /32 stays" paths_are leaf2 10.255.0.1/32 2
check "h1 -> h2 ping" nsx h1 ping -c1 -W1 10.2.2.10
finish
