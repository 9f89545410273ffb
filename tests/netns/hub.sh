# A hub router with N point-to-point ports, each a veth to its own OSPF
# router of tests/netns/ospfpeer (source after lib.sh). Port k: hub side
# p<k> 10.128.0.0 + 2k /31, peer side q<k> (+1); peer k's router id and
# loopback 10.254.0.1 + k; the hub's router id 10.255.0.1. Used by
# test_many_neighbors.sh and bench/many_neighbors.sh.
PEER=${PEER:-$BUILD/tests/netns/ospfpeer}
HUB_BASE=$(( 10 << 24 | 128 << 16 ))
ip2s() { echo "$(( $1 >> 24 & 255 )).$(( $1 >> 16 & 255 )).$(( $1 >> 8 & 255 )).$(( $1 & 255 ))"; }

hub_topology() { # N: namespaces hub and peers, N veth pairs (ip -batch)
	local n=$1 k
	ns_add hub && ns_add peers || return 1
	for k in $(seq 0 $((n - 1))); do echo "link add p$k netns $(ns hub) type veth peer name q$k netns $(ns peers)"; done | ip -batch - || return 1
	for k in $(seq 0 $((n - 1))); do echo "addr add $(ip2s $((HUB_BASE + 2 * k)))/31 dev p$k"; echo "link set p$k up"; done | ip -n "$(ns hub)" -batch - || return 1
	for k in $(seq 0 $((n - 1))); do echo "addr add $(ip2s $((HUB_BASE + 2 * k + 1)))/31 dev q$k"; echo "link set q$k up"; done | ip -n "$(ns peers)" -batch - || return 1
	ip -n "$(ns hub)" addr add 10.255.0.1/32 dev lo
	# FRR's ospfd joins AllSPFRouters on every port with one socket: past
	# igmp_max_memberships (20) its ports stay silent. (fabricd: a socket each.)
	nsx hub sysctl -qw net.ipv4.igmp_max_memberships=$((n + 16))
}

hub_conf_fabricd() { # N HELLO DEAD [BFD_MS]: with BFD_MS, BFD on every port
	local k bfd=${4:+" bfd = true;"}
	echo 'router-id = "10.255.0.1";'
	echo 'ospf = { area = "0.0.0.0"; interfaces = ( { name = "lo"; passive = true; }'
	for k in $(seq 0 $(($1 - 1))); do
		echo ", { name = \"p$k\"; network = \"point-to-point\"; hello-interval = $2; dead-interval = $3;$bfd }"
	done
	echo '); };'
	[ -z "${4:-}" ] || echo "bfd = { tx-interval-ms = $4; rx-interval-ms = $4; multiplier = 3; };"
}

hub_conf_frr() { # N HELLO DEAD
	local k
	printf 'frr defaults datacenter\nhostname hub\n'
	for k in $(seq 0 $(($1 - 1))); do
		printf 'interface p%s\n ip ospf network point-to-point\n ip ospf hello-interval %s\n ip ospf dead-interval %s\n' "$k" "$2" "$3"
	done
	printf 'router ospf\n ospf router-id 10.255.0.1\n network 10.0.0.0/8 area 0\n'
}

hub_peers_start() { # N HELLO DEAD: the peers' process (status lines in $WORK/peers.out)
	# (not through nsx: $! must be the peers' own pid, to stop it)
	ip netns exec "$(ns peers)" "$PEER" q "$1" 10.254.0.1 "$2" "$3" >"$WORK/peers.out" 2>"$WORK/peers.err" &
	remember_pid $!
}
hub_bfd_start() { # N MS: tests/netns/bfdpeer with a session to the hub on every port
	local k args=()
	for k in $(seq 0 $(($1 - 1))); do
		args+=(q$k "$(ip2s $((HUB_BASE + 2 * k + 1)))" "$(ip2s $((HUB_BASE + 2 * k)))" "$2" "$2" 3)
	done
	ip netns exec "$(ns peers)" "$BUILD/tests/netns/bfdpeer" "${args[@]}" >"$WORK/bfdpeer.out" 2>&1 &
	remember_pid $!
}
# Kernel routes of the hub to the peers' loopbacks.
hub_routes() { ip -n "$(ns hub)" route show proto ospf | grep -c '^10\.254\.'; }
# Every peer Full with the hub and holding all N+1 Router-LSAs.
hub_peers_synced() { tail -1 "$WORK/peers.out" | grep -q "full=$1/$1 lsdb_min=$(($1 + 1)) "; }
