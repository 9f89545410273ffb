#!/usr/bin/env bash
# Issue 8 item 2: AS-external and inter-area routes, and redistribution.
# (a) The reference fabric with FRR on leaf2, which redistributes a
#     connected subnet OSPF does not run on (192.168.50.0/24, host hx): the
#     fabricd switches install it (proto ospf, E2) and h1 reaches hx.
# (b) fabricd on leaf1 redistributes connected subnets through a prefix
#     list that admits 192.168.60.0/24 (host h3) and refuses
#     192.168.61.0/24: FRR's leaf2 learns the first as OSPF E2 metric 20,
#     not the second, and reaches h3; withdrawing the subnet flushes it.
#     leaf1's static route (E1 30) and kernel route (E2 40) go out too,
#     and never its own OSPF routes. A reload widens the prefix list.
# (c) An FRR area border router between area 0 and area 0.0.0.1, fabricd
#     in area 0.0.0.1: the backbone's subnet is an inter-area route, and an
#     external of a backbone ASBR (reached through a type-4 LSA) a route too.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v jq >/dev/null || skip "jq is not installed"
[ -x /usr/lib/frr/ospfd ] || skip "FRR is not installed"

route_proto() { # NODE PREFIX -> protocol of the kernel route, or nothing
	ip -n "$(ns $1)" -j route show "$2" 2>/dev/null | jq -r '.[0].protocol // empty'
}
route_is_ospf() { [ "$(route_proto "$1" "$2")" = ospf ]; }
no_route() { [ -z "$(ip -n "$(ns $1)" route show "$2" 2>/dev/null)" ]; }
fd_route() { # NODE PREFIX -> the route of show routes
	jctl "$1" show routes | jq -c --arg p "$2" '.routes[] | select(.prefix == $p)'
}
fd_route_is() { # NODE PREFIX JQ-CONDITION
	fd_route "$1" "$2" | jq -e "$3"
}
frr_route() { # NODE PREFIX -> FRR's route entry (JSON)
	vty "$1" "show ip route $2 json" | jq -c --arg p "$2" '.[$p][0] // empty'
}
frr_has_ospf() { [ "$(frr_route "$1" "$2" | jq -r '.protocol // empty')" = ospf ]; }
frr_lacks_ospf() { ! frr_has_ospf "$1" "$2"; }
frr_route_is() { frr_route "$1" "$2" | jq -e "$3"; }
frr_ospf_route_is() { vty "$1" 'show ip ospf route json' | jq -e --arg p "$2" ".[\$p] | $3"; }
db_has() { jctl "$1" show database detail | jq -e "$2"; }

# ---- (a) and (b): the reference fabric, FRR on leaf2 ----
IMPL_leaf2=frr
fabric_topology || exit 1
ns_add hx && ns_add h3 || exit 1
veth leaf2 swp4 hx eth0 && veth leaf1 swp4 h3 eth0 || exit 1
ip -n "$(ns leaf2)" addr add 192.168.50.1/24 dev swp4
ip -n "$(ns hx)" addr add 192.168.50.10/24 dev eth0
ip -n "$(ns hx)" route add default via 192.168.50.1
ip -n "$(ns leaf1)" addr add 192.168.60.1/24 dev swp4
ip -n "$(ns leaf1)" addr add 192.168.61.1/24 dev swp4
ip -n "$(ns h3)" addr add 192.168.60.10/24 dev eth0
ip -n "$(ns h3)" route add default via 192.168.60.1

for n in spine3 spine4 leaf1; do
	fabric_conf_fabricd "$n" >"$WORK/$n.conf"
done
# leaf1: the first "  );" closes the interface list.
sed -i '0,/^  );$/s//  );\n  redistribute = ( { from = "connected"; prefixes = ( "192.168.60.0\/24 le 28" ); },\n    { from = "static"; metric = 30; metric-type = 1; }, { from = "kernel"; metric = 40; } );/' \
	"$WORK/leaf1.conf"
# leaf1's static and kernel (proto boot) routes to addresses behind h3
ip -n "$(ns h3)" addr add 192.168.70.10/32 dev lo
ip -n "$(ns h3)" addr add 192.168.80.10/32 dev lo
ip -n "$(ns leaf1)" route add 192.168.70.0/24 via 192.168.60.10 proto static
ip -n "$(ns leaf1)" route add 192.168.80.0/24 via 192.168.60.10
for n in spine3 spine4 leaf1; do
	fabricd_start "$n" "$WORK/$n.conf" || { fail "$n starts"; finish; exit 1; }
done
frr_start leaf2 "$(fabric_conf_frr leaf2 | sed '/^router ospf/a\ redistribute connected')" ||
	{ fail "FRR starts on leaf2"; finish; exit 1; }

# (a) FRR's external on the fabricd switches
wait_for "leaf1: kernel route to FRR's redistributed 192.168.50.0/24 (proto ospf)" 40 \
	route_is_ospf leaf1 192.168.50.0/24
wait_for "leaf1: it has both spines as next hops" 10 paths_are leaf1 192.168.50.0/24 2
check "spine3: kernel route to 192.168.50.0/24" route_is_ospf spine3 192.168.50.0/24
check "leaf1: show routes says external-2, metric 20 via leaf2" fd_route_is leaf1 192.168.50.0/24 \
	'.path_type == "external-2" and .type2_cost == 20 and .adv_router == "10.255.0.2" and .installed'
check "leaf1: show database has leaf2's AS-external-LSA" db_has leaf1 \
	'.lsas[] | select(.type == "external" and .ls_id == "192.168.50.0" and .adv_router == "10.255.0.2" and .metric_type == 2 and .metric == 20)'
check "leaf1: leaf2's host subnet stays intra-area" fd_route_is leaf1 10.2.2.0/24 '.path_type == "intra-area"'
wait_for "h1 -> hx (behind FRR's redistributed subnet) ping" 10 nsx h1 ping -c1 -W1 192.168.50.10

# (b) fabricd's externals on FRR
wait_for "FRR leaf2: learns 192.168.60.0/24 from fabricd" 30 frr_has_ospf leaf2 192.168.60.0/24
check "FRR leaf2: it is the selected route, metric 20" frr_route_is leaf2 192.168.60.0/24 \
	'.metric == 20 and .selected'
check "FRR leaf2: OSPF says external type 2, cost 20" frr_ospf_route_is leaf2 192.168.60.0/24 \
	'.routeType == "N E2" and .type2cost == 20'
check "FRR leaf2: the refused 192.168.61.0/24 is not learned" frr_lacks_ospf leaf2 192.168.61.0/24
wait_for "FRR leaf2: learns leaf1's static 192.168.70.0/24 as E1 (30 + 20)" 10 frr_ospf_route_is leaf2 \
	192.168.70.0/24 '.routeType == "N E1" and .cost == 50'
wait_for "FRR leaf2: learns leaf1's kernel 192.168.80.0/24 as E2 40" 10 frr_ospf_route_is leaf2 \
	192.168.80.0/24 '.routeType == "N E2" and .type2cost == 40'
check "leaf1: announces no type-5 for OSPF's subnets or its own OSPF routes" db_has leaf1 \
	'[.lsas[] | select(.type == "external" and .self)] | map(.ls_id) == ["192.168.60.0", "192.168.70.0", "192.168.80.0"]'
wait_for "hx -> 192.168.70.10 (leaf1's static route) ping" 10 nsx hx ping -c1 -W1 192.168.70.10
check "hx -> 192.168.80.10 (leaf1's kernel route) ping" nsx hx ping -c1 -W1 192.168.80.10
check "leaf1: FRR counts it as an ASBR (Router-LSA E bit)" frr_ospf_route_is leaf2 10.255.0.1 '.routerType == "asbr"'
wait_for "hx -> h3 (both externals) ping" 10 nsx hx ping -c1 -W1 192.168.60.10
check "h3 -> h1 ping" nsx h3 ping -c1 -W1 10.1.1.10

# withdrawal: the subnet goes, the LSA is flushed, FRR forgets the route
ip -n "$(ns leaf1)" addr del 192.168.60.1/24 dev swp4
wait_for "withdrawn: FRR leaf2 drops 192.168.60.0/24" 15 frr_lacks_ospf leaf2 192.168.60.0/24
ip -n "$(ns leaf1)" addr add 192.168.60.1/24 dev swp4
wait_for "re-added: FRR leaf2 learns it again" 15 frr_has_ospf leaf2 192.168.60.0/24

# reload: the prefix list now admits 192.168.61.0/24 too
sed -i 's|"192.168.60.0/24 le 28"|"192.168.60.0/24 le 28", "192.168.61.0/24"|' "$WORK/leaf1.conf"
check "leaf1: reload with the wider prefix list" ctl leaf1 reload
wait_for "reloaded: FRR leaf2 learns 192.168.61.0/24" 15 frr_has_ospf leaf2 192.168.61.0/24
check "leaf1: show running-config has the new list" bash -c \
	"'$FABRICCTL' -s '$WORK/leaf1.sock' show running-config | grep -q '\"192.168.61.0/24\"'"

# FRR stops redistributing: the route leaves leaf1's kernel
vty leaf2 'configure terminal' 'router ospf' 'no redistribute connected' >/dev/null
wait_for "FRR withdraws: leaf1 removes 192.168.50.0/24" 15 no_route leaf1 192.168.50.0/24

# a clean stop flushes leaf1's AS-external-LSAs (14.1)
frr_ext_from_leaf1() { vty leaf2 'show ip ospf database external adv-router 10.255.0.1' | grep -q 'Link State ID'; }
check "FRR leaf2: holds leaf1's AS-external-LSAs" frr_ext_from_leaf1
# A flush sooner than MinLSArrival (1 s) after the previous instance is
# dropped by its receivers (RFC 2328 13 (5a)): let the newest one age first.
frr_age_61() { vty leaf2 'show ip ospf database external 192.168.61.0 adv-router 10.255.0.1' |
	awk '/LS age/ { print $3; exit }'; }
age_61_over() { [ "$(frr_age_61)" -ge "$1" ] 2>/dev/null; }
wait_quiet 10 age_61_over 2
fabricd_stop leaf1
# flushed: every one MaxAge (FRR removes those from its database a minute later)
frr_ext_flushed() { vty leaf2 'show ip ospf database external adv-router 10.255.0.1' |
	awk '/LS age/ { n++; if ($3 < 3600) live++ } END { exit !(n > 0 && live == 0) }'; }
wait_for "leaf1 stopped: its AS-external-LSAs are flushed (MaxAge) in FRR's database" 15 frr_ext_flushed

# ---- (c) inter-area: r1 (fabricd, area 1) -- abr (FRR) -- core (FRR, area 0) ----
for n in r1 abr core; do ns_add "$n" || exit 1; done
veth r1 swp1 abr swp1 && veth abr swp2 core swp1 || exit 1
ip -n "$(ns r1)" addr add 10.9.1.0/31 dev swp1
ip -n "$(ns abr)" addr add 10.9.1.1/31 dev swp1
ip -n "$(ns abr)" addr add 10.9.0.0/31 dev swp2
ip -n "$(ns core)" addr add 10.9.0.1/31 dev swp1
ip -n "$(ns r1)" addr add 10.255.1.1/32 dev lo
ip -n "$(ns abr)" addr add 10.255.0.50/32 dev lo
ip -n "$(ns core)" addr add 10.255.0.100/32 dev lo
# core's subnets on a veth pair of its own: 172.30.0.0/24 in OSPF (area 0),
# 172.31.0.0/24 only redistributed.
ip -n "$(ns core)" link add sub0 type veth peer name sub1
ip -n "$(ns core)" link set sub0 up && ip -n "$(ns core)" link set sub1 up
ip -n "$(ns core)" addr add 172.30.0.1/24 dev sub0
ip -n "$(ns core)" addr add 172.31.0.1/24 dev sub1
for n in r1 abr core; do nsx "$n" sysctl -qw net.ipv4.ip_forward=1; done

P2P=$'interface %s\n ip ospf network point-to-point\n ip ospf hello-interval 1\n ip ospf dead-interval 3\n'
frr_start abr "$(printf 'frr defaults datacenter\nhostname abr\n'; printf "$P2P" swp1; printf "$P2P" swp2
	printf 'router ospf\n ospf router-id 10.255.0.50\n network 10.9.1.0/31 area 0.0.0.1\n network 10.9.0.0/31 area 0\n network 10.255.0.50/32 area 0\n')" ||
	{ fail "FRR starts on abr"; finish; exit 1; }
frr_start core "$(printf 'frr defaults datacenter\nhostname core\n'; printf "$P2P" swp1
	printf 'router ospf\n ospf router-id 10.255.0.100\n redistribute connected\n passive-interface sub0\n network 10.9.0.0/31 area 0\n network 10.255.0.100/32 area 0\n network 172.30.0.0/24 area 0\n')" ||
	{ fail "FRR starts on core"; finish; exit 1; }
cat >"$WORK/r1.conf" <<EOC
router-id = "10.255.1.1";
ospf = {
  area = "0.0.0.1";
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; }
  );
};
EOC
fabricd_start r1 "$WORK/r1.conf" || { fail "r1 starts"; finish; exit 1; }

wait_for "r1 (area 0.0.0.1): kernel route to the backbone's 172.30.0.0/24" 40 route_is_ospf r1 172.30.0.0/24
check "r1: show routes says inter-area via the ABR" fd_route_is r1 172.30.0.0/24 \
	'.path_type == "inter-area" and .adv_router == "10.255.0.50" and .installed'
check "r1: the backbone router's loopback is inter-area too" fd_route_is r1 10.255.0.100/32 '.path_type == "inter-area"'
check "r1: show database has the ABR's summary LSAs" db_has r1 '[.lsas[] | select(.type == "summary")] | length > 0'
wait_for "r1 -> 172.30.0.1 (backbone) ping" 10 nsx r1 ping -c1 -W1 172.30.0.1
wait_for "r1: kernel route to core's redistributed 172.31.0.0/24 (via type-4)" 20 route_is_ospf r1 172.31.0.0/24
check "r1: show database has the ABR's type-4 for core" db_has r1 \
	'.lsas[] | select(.type == "asbr-summary" and .ls_id == "10.255.0.100" and .adv_router == "10.255.0.50")'
check "r1: it is external-2" fd_route_is r1 172.31.0.0/24 '.path_type == "external-2" and .adv_router == "10.255.0.100"'
wait_for "r1 -> 172.31.0.1 (external behind the ABR) ping" 10 nsx r1 ping -c1 -W1 172.31.0.1
finish
