#!/usr/bin/env bash
# Issue 11: a Full neighbor's BFD session follows the adjacency, not any
# neighbor entry with the same address. A forged Hello from a second router
# ID with the neighbor's source address makes a second entry, which expires
# a dead interval later: the session (keyed by port and address) must stay.
# A neighbor that changes its router ID: the old entry dies, the new one
# forms, and BFD is Up with it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c 'import scapy.contrib.ospf' 2>/dev/null || skip "python3-scapy is not installed"

ns_add r1 && ns_add r2 || exit 1
veth r1 swp1 r2 swp1 || exit 1
ip -n "$(ns r1)" addr add 10.9.0.0/31 dev swp1
ip -n "$(ns r2)" addr add 10.9.0.1/31 dev swp1
conf() { # ROUTER-ID
	cat <<EOC
router-id = "$1";
ospf = { interfaces = (
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; bfd = true; }
); };
bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };
EOC
}
conf 10.255.0.1 >"$WORK/r1.conf"
conf 10.255.0.2 >"$WORK/r2.conf"
conf 10.255.0.22 >"$WORK/r2b.conf"
fabricd_start r1 "$WORK/r1.conf" || { fail "fabricd starts on r1"; finish; exit 1; }
fabricd_start r2 "$WORK/r2.conf" || { fail "fabricd starts on r2"; finish; exit 1; }

nbr_is() { # RID STATE
	jctl r1 show neighbors | jq -e --arg r "$1" --arg s "$2" '[.neighbors[] | select(.router_id == $r and .state == $s)] | length == 1'
}
nbr_gone() { jctl r1 show neighbors | jq -e --arg r "$1" '[.neighbors[] | select(.router_id == $r)] | length == 0'; }
bfd_up() { jctl r1 show bfd | jq -e '[.sessions[] | select(.peer == "10.9.0.1" and .state == "Up")] | length == 1'; }
wait_for "r1: r2 Full" 20 nbr_is 10.255.0.2 Full
wait_for "r1: BFD to 10.9.0.1 Up" 10 bfd_up

# The forged Hello: router ID 10.255.0.99, r2's source address.
ip netns exec "$(ns r2)" $PY "$(dirname "$0")/ospf_hellos.py" swp1 10.9.0.1 255.255.255.254 1 3 10.255.0.99 1
wait_for "r1: the forged router ID appears" 5 nbr_is 10.255.0.99 Init
wait_for "r1: the forged entry expires" 10 nbr_gone 10.255.0.99
check "r1: BFD session still Up after the forged entry went" bfd_up
check "r1: r2 still Full" nbr_is 10.255.0.2 Full
check "r1: BFD shows in show neighbors" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '.neighbors[] | select(.router_id == \"10.255.0.2\") | .bfd == \"Up\"'"

# r2 comes back with another router ID.
fabricd_stop r2
fabricd_start r2 "$WORK/r2b.conf" || { fail "fabricd restarts on r2"; finish; exit 1; }
wait_for "r1: r2 Full under its new router ID" 20 nbr_is 10.255.0.22 Full
wait_for "r1: the old router ID expires" 10 nbr_gone 10.255.0.2
wait_for "r1: BFD to 10.9.0.1 Up with the new adjacency" 10 bfd_up
finish
