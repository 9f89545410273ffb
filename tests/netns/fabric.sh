# The reference fabric of docs/design.md (source after lib.sh):
#   leaf1, leaf2, spine3, spine4; leafN swp1 -> spine3, leafN swp2 -> spine4
#   (the spine's swpN faces leafN); loopbacks 10.255.0.N/32; links
#   10.0.<leaf><spine>.0/31 (leaf .0, spine .1); hosts h1 (10.1.1.10/24 behind
#   leaf1 swp3) and h2 (10.2.2.10/24 behind leaf2 swp3).
# IMPL_<node>=fabricd|frr chooses the daemon per switch (default fabricd).
# UNNUMBERED=1: every fabric link unnumbered, Cumulus style (no /31s: each
# switch's fabric ports carry its loopback /32, next hops go in on-link).
BFD_TX=${BFD_TX:-100}
BFD_RX=${BFD_RX:-100}
BFD_MULT=${BFD_MULT:-3}
SWITCHES="leaf1 leaf2 spine3 spine4"

node_id() { case $1 in leaf1) echo 1;; leaf2) echo 2;; spine3) echo 3;; spine4) echo 4;; esac; }

fabric_topology() {
	local n l s
	for n in $SWITCHES h1 h2; do ns_add "$n" || return 1; done
	for l in 1 2; do for s in 3 4; do
		veth "leaf$l" "swp$((s - 2))" "spine$s" "swp$l" || return 1
		if [ -n "${UNNUMBERED:-}" ]; then
			ip -n "$(ns leaf$l)" addr add "10.255.0.$l/32" dev "swp$((s - 2))"
			ip -n "$(ns spine$s)" addr add "10.255.0.$s/32" dev "swp$l"
		else
			ip -n "$(ns leaf$l)" addr add "10.0.$l$s.0/31" dev "swp$((s - 2))"
			ip -n "$(ns spine$s)" addr add "10.0.$l$s.1/31" dev "swp$l"
		fi
	done; done
	for n in $SWITCHES; do
		ip -n "$(ns $n)" addr add "10.255.0.$(node_id $n)/32" dev lo
		nsx "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
	done
	veth leaf1 swp3 h1 eth0 && veth leaf2 swp3 h2 eth0 || return 1
	ip -n "$(ns leaf1)" addr add 10.1.1.1/24 dev swp3
	ip -n "$(ns leaf2)" addr add 10.2.2.1/24 dev swp3
	ip -n "$(ns h1)" addr add 10.1.1.10/24 dev eth0
	ip -n "$(ns h2)" addr add 10.2.2.10/24 dev eth0
	ip -n "$(ns h1)" route add default via 10.1.1.1
	ip -n "$(ns h2)" route add default via 10.2.2.1
}

fabric_conf_fabricd() { # NODE -> prints the config
	local n=$1
	cat <<EOC
router-id = "10.255.0.$(node_id $n)";
ospf = {
  area = "0.0.0.0";
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; cost = 10; hello-interval = 1; dead-interval = 3; bfd = true; },
    { name = "swp2"; network = "point-to-point"; cost = 10; hello-interval = 1; dead-interval = 3; bfd = true; }$(
	case $n in leaf*) printf ',\n    { name = "swp3"; passive = true; }';; esac)
  );
};
bfd = { tx-interval-ms = $BFD_TX; rx-interval-ms = $BFD_RX; multiplier = $BFD_MULT; ${BFD_EXTRA:-} };
EOC
}

fabric_conf_frr() { # NODE -> prints FRR's config
	local n=$1 p
	echo "frr defaults datacenter"
	# FRR 8.4 zebra loses group members the kernel flushes on carrier
	# loss and never puts them back: keep its routes as RTA_MULTIPATH.
	echo "no zebra nexthop kernel enable"
	echo "hostname $n"
	for p in swp1 swp2; do
		printf 'interface %s\n ip ospf network point-to-point\n ip ospf bfd\n ip ospf hello-interval 1\n ip ospf dead-interval 3\n' "$p"
	done
	printf 'router ospf\n ospf router-id 10.255.0.%s\n network 10.0.0.0/8 area 0\n' "$(node_id $n)"
	[ "${n#leaf}" != "$n" ] && printf ' passive-interface swp3\n'
	printf 'bfd\n'
	case $n in
	leaf*) for s in 3 4; do fabric_frr_peer "$(fabric_peer_addr "$n" spine$s)" swp$((s - 2)); done;;
	spine*) for l in 1 2; do fabric_frr_peer "$(fabric_peer_addr "$n" leaf$l)" swp$l; done;;
	esac
}
fabric_frr_peer() { # ADDR PORT
	printf ' peer %s interface %s\n  receive-interval %s\n  transmit-interval %s\n  detect-multiplier %s\n' "$1" "$2" "$BFD_RX" "$BFD_TX" "$BFD_MULT"
}
# The address NODE's neighbor PEER has on their link (unnumbered: its loopback).
fabric_peer_addr() { # NODE PEER
	local l s
	case $1 in leaf*) l=$(node_id $1); s=$(node_id $2);; *) l=$(node_id $2); s=$(node_id $1);; esac
	if [ -n "${UNNUMBERED:-}" ]; then echo "10.255.0.$(node_id $2)"
	elif [ "${2#leaf}" != "$2" ]; then echo "10.0.$l$s.0"
	else echo "10.0.$l$s.1"; fi
}

fabric_start() {
	local n impl
	for n in $SWITCHES; do
		impl=$(eval echo "\${IMPL_$n:-fabricd}")
		if [ "$impl" = frr ]; then
			frr_start "$n" "$(fabric_conf_frr "$n")" || return 1
		else
			fabric_conf_fabricd "$n" >"$WORK/$n.conf"
			fabricd_start "$n" "$WORK/$n.conf" || return 1
		fi
	done
}

bfd_up() { # NODE COUNT: that many sessions Up (fabricd)
	[ "$(jctl "$1" show bfd | jq '[.sessions[] | select(.state == "Up")] | length')" = "$2" ]
}
bfd_not_up() { # NODE PEER: the session left Up (it is removed with the OSPF neighbor)
	jctl "$1" show bfd | jq -e --arg p "$2" '[.sessions[] | select(.peer == $p and .state == "Up")] | length == 0'
}
frr_bfd_up() { vty "$1" 'show bfd peers json' | jq -e --argjson n "$2" '[.[] | select(.status == "up")] | length == $n'; }
wait_spine3_bfd() { # spine3's 2 BFD sessions Up, FRR or fabricd
	if [ "${IMPL_spine3:-fabricd}" = frr ]; then
		wait_for "FRR spine3: its BFD peers are up" 10 frr_bfd_up spine3 2
	else
		wait_for "spine3: 2 BFD sessions Up" 10 bfd_up spine3 2
	fi
}

# A silent failure of the link between NODE1 IF1 and NODE2 IF2: every frame
# lost (nftables netdev ingress drop on both ends), carrier stays on.
fabric_silent() { # add|del NODE1 IF1 NODE2 IF2
	local op=$1 n i
	for n in "$2 $3" "$4 $5"; do set -- $n
		if [ "$op" = add ]; then
			nsx "$1" nft add table netdev silent
			nsx "$1" nft add chain netdev silent in "{ type filter hook ingress device $2 priority 0; policy drop; }"
		else
			nsx "$1" nft delete table netdev silent
		fi
	done
}

# Number of next hops of the kernel route to PREFIX in NODE's main table.
kernel_nexthops() { # NODE PREFIX
	ip -n "$(ns $1)" -j route show "$2" 2>/dev/null | jq -r '
	  if length == 0 then 0 else (.[0] | if .nexthops then (.nexthops | length)
	    elif .nhid then "nhid" else 1 end) end'
}
# With nexthop groups, "ip route" shows nhid; resolve the group size.
route_paths() { # NODE PREFIX -> number of paths
	local out nh
	out=$(ip -n "$(ns $1)" -j route show "$2" 2>/dev/null)
	[ -z "$out" ] || [ "$out" = "[]" ] && { echo 0; return; }
	nh=$(echo "$out" | jq -r '.[0].nhid // empty')
	if [ -n "$nh" ]; then
		ip -n "$(ns $1)" -j nexthop show id "$nh" | jq -r '.[0] | if .group then (.group | length) else 1 end'
	else
		echo "$out" | jq -r '.[0] | if .nexthops then (.nexthops | length) else 1 end'
	fi
}
paths_are() { [ "$(route_paths "$1" "$2")" = "$3" ]; }
neighbors_full() { # NODE COUNT (fabricd)
	[ "$(jctl "$1" show neighbors | jq '[.neighbors[] | select(.state == "Full")] | length')" = "$2" ]
}
