#!/usr/bin/env bash
# Bigger fabrics in namespaces (issue 9, item 4): SPINES x LEAVES leaf/spine
# fabrics with the same daemon on every switch (fabricd, then FRR zebra +
# ospfd + bfdd), BFD on every link (100 ms x 3), hello 1 s / dead 3 s.
#
#   [IMPLS="fabricd frr"] [FLOWS=8] [REST=20] [STATIC_ARP=1] bench/fabric_scale.sh [SxL ...]
#   (default 4x8 8x16)
#
# Leaf i's swpJ goes to spine J's swpI (link 172.16.0.0/12, leaf .0 spine
# .1 of each /31); loopbacks 10.255.1.I (leaves) and 10.255.2.J (spines);
# host h1 (10.1.1.10/24) behind leaf 1, h2 (10.2.2.10/24) behind the last
# leaf. The link ends know each other's MAC as permanent neighbor entries
# (STATIC_ARP=0: learned by ARP, limited by the machine-wide neighbor table).
# Per fabric and daemon:
#   start -> ECMP: from starting the first daemon until every leaf has its
#       full route table and an S-way route to the last leaf's (leaf 1: to
#       the first leaf's) loopback and to the far host subnet; also from
#       the last daemon started (the daemons are started one after the
#       other, each once it answers);
#   RSS per switch: VmRSS of its daemon(s) once converged, median / max;
#   CPU at rest: user+system of all daemons over REST seconds once
#       converged, % of one core, in total and per switch;
#   silent-failure loss: FLOWS UDP flows h1 -> h2 at 1 packet/ms each, the
#       link leaf1-spine1 drops everything on both ends (nftables ingress,
#       no carrier change); packets lost by the worst flow (ms of loss).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
SIZES=${*:-4x8 8x16}
IMPLS=${IMPLS:-fabricd frr}
FLOWS=${FLOWS:-8}
REST=${REST:-20}
STATIC_ARP=${STATIC_ARP:-1}
PROBE=$BUILD/bench/probe
[ -x "$PROBE" ] || { echo "build first (make bench/probe in $BUILD)"; exit 1; }
ROWS=$(mktemp /tmp/fabric_scale.XXXXXX)

lab() { # IMPL SPINES LEAVES
	local impl=$1 S=$2 L=$3
	(
	T=fs$$-$S-$L; source "$top/tests/netns/lib.sh"
	HZ=$(getconf CLK_TCK)
	leaf() { echo "l$1"; }
	spine() { echo "s$1"; }
	link_addr() { # LEAF SPINE END(0|1)
		local k=$(( (($1 - 1) * S + $2 - 1) * 2 + $3 ))
		echo "172.$((16 + k / 65536)).$(( (k / 256) % 256 )).$((k % 256))"
	}
	topology() {
		local i j
		for i in $(seq "$L"); do ns_add "$(leaf $i)" || return 1; done
		for j in $(seq "$S"); do ns_add "$(spine $j)" || return 1; done
		ns_add h1 && ns_add h2 || return 1
		for i in $(seq "$L"); do
			for j in $(seq "$S"); do
				veth "$(leaf $i)" "swp$j" "$(spine $j)" "swp$i" || return 1
				ip -n "$(ns "$(leaf $i)")" addr add "$(link_addr $i $j 0)/31" dev "swp$j"
				ip -n "$(ns "$(spine $j)")" addr add "$(link_addr $i $j 1)/31" dev "swp$i"
			done
			ip -n "$(ns "$(leaf $i)")" addr add "10.255.1.$i/32" dev lo
			nsx "$(leaf $i)" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
		done
		for j in $(seq "$S"); do
			ip -n "$(ns "$(spine $j)")" addr add "10.255.2.$j/32" dev lo
			nsx "$(spine $j)" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
		done
		[ "$STATIC_ARP" = 1 ] && { static_neighbors || return 1; }
		local hp=$((S + 1))
		veth "$(leaf 1)" "swp$hp" h1 eth0 && veth "$(leaf "$L")" "swp$hp" h2 eth0 || return 1
		ip -n "$(ns "$(leaf 1)")" addr add 10.1.1.1/24 dev "swp$hp"
		ip -n "$(ns "$(leaf "$L")")" addr add 10.2.2.1/24 dev "swp$hp"
		ip -n "$(ns h1)" addr add 10.1.1.10/24 dev eth0
		ip -n "$(ns h2)" addr add 10.2.2.10/24 dev eth0
		ip -n "$(ns h1)" route add default via 10.1.1.1
		ip -n "$(ns h2)" route add default via 10.2.2.1
	}
	# Permanent neighbor entries on every link end: the neighbor table's
	# limit (gc_thresh3, 1024 dynamic entries by default) is for the whole
	# machine, every namespace together, and a 16x32 fabric alone has 1,024
	# link ends. Permanent entries do not count against it.
	static_neighbors() {
		local -A MAC
		local n i j name mac
		for n in $(seq "$L" | sed 's/^/l/') $(seq "$S" | sed 's/^/s/'); do
			while read -r name mac; do MAC[$n:$name]=$mac; done < <(ip -n "$(ns "$n")" -j link show |
				jq -r '.[] | select(.ifname | startswith("swp")) | "\(.ifname) \(.address)"')
		done
		for i in $(seq "$L"); do
			for j in $(seq "$S"); do
				echo "neigh replace $(link_addr $i $j 1) lladdr ${MAC[s$j:swp$i]} dev swp$j nud permanent"
			done >"$WORK/neigh-l$i"
			ip -n "$(ns "l$i")" -batch "$WORK/neigh-l$i" || return 1
		done
		for j in $(seq "$S"); do
			for i in $(seq "$L"); do
				echo "neigh replace $(link_addr $i $j 0) lladdr ${MAC[l$i:swp$j]} dev swp$i nud permanent"
			done >"$WORK/neigh-s$j"
			ip -n "$(ns "s$j")" -batch "$WORK/neigh-s$j" || return 1
		done
	}
	ports() { # NODE -> its fabric ports
		case $1 in l*) seq "$S";; s*) seq "$L";; esac
	}
	rid() { case $1 in l*) echo "10.255.1.${1#l}";; s*) echo "10.255.2.${1#s}";; esac; }
	conf_fabricd() {
		local n=$1 p
		echo "router-id = \"$(rid "$n")\";"
		echo "ospf = { interfaces = ("
		echo '  { name = "lo"; passive = true; }'
		for p in $(ports "$n"); do
			echo "  ,{ name = \"swp$p\"; network = \"point-to-point\"; hello-interval = 1; dead-interval = 3; bfd = true; }"
		done
		case $n in "$(leaf 1)" | "$(leaf "$L")") echo "  ,{ name = \"swp$((S + 1))\"; passive = true; }";; esac
		echo '); };'
		echo 'bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };'
	}
	peer_addr() { # NODE PORT -> the far end's address
		case $1 in l*) link_addr "${1#l}" "$2" 1;; s*) link_addr "$2" "${1#s}" 0;; esac
	}
	conf_frr() {
		local n=$1 p
		echo "frr defaults datacenter"
		echo "no zebra nexthop kernel enable"
		echo "hostname $n"
		for p in $(ports "$n"); do
			printf 'interface swp%s\n ip ospf network point-to-point\n ip ospf bfd\n ip ospf hello-interval 1\n ip ospf dead-interval 3\n' "$p"
		done
		printf 'router ospf\n ospf router-id %s\n network 10.0.0.0/8 area 0\n network 172.16.0.0/12 area 0\n' "$(rid "$n")"
		case $n in "$(leaf 1)" | "$(leaf "$L")") printf ' passive-interface swp%s\n' $((S + 1));; esac
		echo "bfd"
		for p in $(ports "$n"); do
			printf ' peer %s interface swp%s\n  receive-interval 100\n  transmit-interval 100\n  detect-multiplier 3\n' "$(peer_addr "$n" "$p")" "$p"
		done
	}
	daemon_pids() { # NODE
		if [ "$impl" = frr ]; then
			local d; for d in zebra ospfd bfdd; do cat "$WORK/frr-$1/$d.pid"; done
		else
			local v="PID_$1"; echo "${!v}"
		fi
	}
	SWITCHES=$(for i in $(seq "$L"); do leaf $i; done; for j in $(seq "$S"); do spine $j; done)
	# routes a leaf gets from OSPF: the other switches' loopbacks, the
	# links it is not on, the host subnets not on it
	want_leaf() { # I
		local n=$((L + S - 1 + L * S - S + 2))
		{ [ "$1" = 1 ] || [ "$1" = "$L" ]; } && n=$((n - 1))
		echo $n
	}
	paths() { # NODE PREFIX -> number of paths of the kernel route
		local out nh
		out=$(ip -n "$(ns "$1")" -j route show "$2" 2>/dev/null)
		{ [ -z "$out" ] || [ "$out" = "[]" ]; } && { echo 0; return; }
		nh=$(echo "$out" | jq -r '.[0].nhid // empty')
		if [ -n "$nh" ]; then
			ip -n "$(ns "$1")" -j nexthop show id "$nh" | jq -r '.[0] | if .group then (.group | length) else 1 end'
		else
			echo "$out" | jq -r '.[0] | if .nexthops then (.nexthops | length) else 1 end'
		fi
	}
	leaf_done() { # I
		local i=$1 far=$L
		[ "$i" = "$L" ] && far=1
		[ "$(ip -n "$(ns "$(leaf "$i")")" route show proto ospf | wc -l)" -ge "$(want_leaf "$i")" ] &&
			[ "$(paths "$(leaf "$i")" "10.255.1.$far")" = "$S" ] || return 1
		case $i in
		1) [ "$(paths "$(leaf 1)" 10.2.2.0/24)" = "$S" ] ;;
		"$L") [ "$(paths "$(leaf "$L")" 10.1.1.0/24)" = "$S" ] ;;
		esac
	}
	all_leaves_done() {
		local i
		for i in $PENDING; do
			leaf_done "$i" || return 1
			PENDING=$(echo "$PENDING" | tr ' ' '\n' | grep -vx "$i" | tr '\n' ' ')
		done
	}
	cpu_ticks() { local p t=0; for p in $ALLPIDS; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
	silent_link() { # NODE1 IF1 NODE2 IF2: both ends drop all input at the same moment
		local rules1="add table netdev silent
add chain netdev silent in { type filter hook ingress device $2 priority 0; policy drop; }"
		local rules2="add table netdev silent
add chain netdev silent in { type filter hook ingress device $4 priority 0; policy drop; }"
		rm -f "$WORK/nft-a" "$WORK/nft-b"
		mkfifo "$WORK/nft-a" "$WORK/nft-b"
		nsx "$1" nft -f "$WORK/nft-a" & local p1=$!
		nsx "$3" nft -f "$WORK/nft-b" & local p2=$!
		sleep 0.3
		printf '%s\n' "$rules1" >"$WORK/nft-a" & printf '%s\n' "$rules2" >"$WORK/nft-b"
		wait $p1 $p2
	}

	topology >/dev/null || { echo "topology failed"; exit 1; }
	local t0 t_started t_ecmp n
	t0=$(now_ms)
	for n in $SWITCHES; do
		if [ "$impl" = frr ]; then
			frr_start "$n" "$(conf_frr "$n")" || { echo "FRR on $n did not start"; exit 1; }
		else
			conf_fabricd "$n" >"$WORK/$n.conf"
			fabricd_start "$n" "$WORK/$n.conf" >/dev/null || { echo "fabricd on $n did not start"; exit 1; }
		fi
	done
	t_started=$(now_ms)
	PENDING=$(seq "$L" | tr '\n' ' ')
	if ! wait_quiet 300 all_leaves_done; then
		echo "$impl ${S}x$L: no full ECMP within 300 s (leaves left: $PENDING)"
		exit 1
	fi
	t_ecmp=$(now_ms)
	ALLPIDS=$(for n in $SWITCHES; do daemon_pids "$n"; done)
	sleep 5
	# RSS per switch
	local rss
	rss=$(for n in $SWITCHES; do
		local kb=0 p
		for p in $(daemon_pids "$n"); do kb=$((kb + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done
		echo $kb
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f / %.1f MB", v[int((NR + 1) / 2)] / 1024, v[NR] / 1024 }')
	# CPU at rest
	local c0 c1 w0 w1
	c0=$(cpu_ticks); w0=$(now_ms)
	sleep "$REST"
	c1=$(cpu_ticks); w1=$(now_ms)
	local nsw; nsw=$(echo $SWITCHES | wc -w)
	local cpu
	cpu=$(awk -v c=$((c1 - c0)) -v hz="$HZ" -v ms=$((w1 - w0)) -v n="$nsw" \
		'BEGIN { t = c / hz * 100000 / ms; printf "%.1f %% (%.2f %% per switch)", t, t / n }')
	# silent failure of leaf1-spine1 under traffic h1 -> h2
	nsx h2 "$PROBE" recv 20000 "$FLOWS" 6000 >"$WORK/recv.out" &
	local rpid=$!
	sleep 0.3
	nsx h1 "$PROBE" send 10.2.2.10 20000 "$FLOWS" 1000 5000 &
	local spid=$!
	sleep 1.5
	silent_link "$(leaf 1)" swp1 "$(spine 1)" swp1
	wait $spid $rpid
	local lost
	lost=$(awk 'NR>1 && $4>m {m=$4} END {print m+0}' "$WORK/recv.out")
	printf '| %s | %sx%s (%s switches, %s links) | %s ms | %s ms | %s | %s | %s ms |\n' \
		"$impl" "$S" "$L" "$nsw" $((S * L)) $((t_ecmp - t0)) $((t_ecmp - t_started)) \
		"$rss" "$cpu" "$lost"
	)
}

echo "| daemon | fabric | first start -> ECMP everywhere | last start -> ECMP everywhere | RSS per switch (median / max) | CPU at rest (all daemons, % of one core) | silent failure: packets lost by the worst flow (1 pkt/ms) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for size in $SIZES; do
	for impl in $IMPLS; do
		lab "$impl" "${size%x*}" "${size#*x}" | tee -a "$ROWS"
	done
done
rm -f "$ROWS"
