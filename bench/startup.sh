#!/usr/bin/env bash
# Start-up at wire speed (issue 9, item 1): on a leaf/spine fabric of S
# spines x L leaves (hello 1 s, dead 3 s, BFD 100 x 3, point-to-point /31s),
# fabricd on every switch against FRR 8.4 on every switch, in the same run:
#   start -> ECMP   time from starting the routing daemons to leaf1's kernel
#                   having the route to the last leaf's loopback with S paths
#   LSAs            Router-LSA instances each router originated in the first
#                   10 s (its own Router-LSA's sequence number in leaf1's
#                   database, minus 0x80000000): max and total over routers
#   return -> ECMP  spine1's port to leaf1 is set down (leaf1 loses carrier),
#                   the route narrows to S-1 paths, RETURN_AFTER seconds
#                   later the port is set up again: time from that to S paths
#   bench/startup.sh [REPEATS]      (default 3; root; FRR 8.4 for IMPLS=frr)
# Env: FABRICS="2x2 4x8" (SxL), IMPLS="fabricd frr" (also: mixed, FRR on
# the spines and fabricd on the leaves), RETURN_AFTER=2 (s), CAPTURE=1
# (tcpdump leaf1's ports; with KEEP=1 the pcaps stay),
# TIMEOUT=30 (s per wait). For FRR, zebra is started on every switch first
# (as an init system would) and the clock starts with ospfd and bfdd; for
# fabricd it starts with the first fabricd. leaf1's kernel is polled about
# every 5 ms. Namespaces are "$T-<run id>-<node>", all removed on exit;
# every process is stopped by pid.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
REPEATS=${1:-3}
FABRICS=${FABRICS:-2x2 4x8}
IMPLS=${IMPLS:-fabricd frr}
RETURN_AFTER=${RETURN_AFTER:-2}
TIMEOUT=${TIMEOUT:-30}
export T=${T:-bS$$}
echo "# command: $0 $*  (FABRICS='$FABRICS' IMPLS='$IMPLS' RETURN_AFTER=$RETURN_AFTER T=$T, $(date -u +%FT%TZ), $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
source "$top/tests/netns/lib.sh"
[ -x "$FABRICD" ] && [ -x "$FABRICCTL" ] || { echo "build first: no $FABRICD or $FABRICCTL"; exit 1; }
case " $IMPLS " in *" frr "*) [ -x /usr/lib/frr/ospfd ] || { echo "FRR ospfd not installed"; exit 77; };; esac

usec() { echo "${EPOCHREALTIME/./}"; }
ms_since() { echo $(( ($(usec) - $1) / 1000 )); }

# Node names within one run: l<i> (leaf i), s<j> (spine j). Link leaf i -
# spine j: 10.i.j.0/31 (leaf .0 on swp<j>, spine .1 on swp<i>). Loopbacks
# 10.255.0.<i> (leaves) and 10.255.0.<100+j> (spines): spines have the
# higher router ids, as in DESIGN.md's reference fabric.
topology() { # RUN S L
	local r=$1 S=$2 L=$3 i j
	for i in $(seq "$L"); do ns_add "$r-l$i" || return 1; ip -n "$(ns "$r-l$i")" addr add "10.255.0.$i/32" dev lo; done
	for j in $(seq "$S"); do ns_add "$r-s$j" || return 1; ip -n "$(ns "$r-s$j")" addr add "10.255.0.$((100 + j))/32" dev lo; done
	for i in $(seq "$L"); do for j in $(seq "$S"); do
		veth "$r-l$i" "swp$j" "$r-s$j" "swp$i" || return 1
		ip -n "$(ns "$r-l$i")" addr add "10.$i.$j.0/31" dev "swp$j"
		ip -n "$(ns "$r-s$j")" addr add "10.$i.$j.1/31" dev "swp$i"
	done; done
}
drop_topology() { # RUN S L
	local i j
	for i in $(seq "$3"); do ip netns del "$(ns "$1-l$i")" 2>/dev/null; done
	for j in $(seq "$2"); do ip netns del "$(ns "$1-s$j")" 2>/dev/null; done
}

rid_of() { case $1 in l*) echo "10.255.0.${1#l}";; s*) echo "10.255.0.$((100 + ${1#s}))";; esac; }
ports_of() { case $1 in l*) seq "$S";; s*) seq "$L";; esac; } # uses S, L of the run
peer_addr() { # NODE PORT: the other end's address
	case $1 in l*) echo "10.${1#l}.$2.1";; s*) echo "10.$2.${1#s}.0";; esac
}

conf_fabricd() { # NODE
	local p
	printf 'router-id = "%s";\nospf = {\n  interfaces = (\n    { name = "lo"; passive = true; }' "$(rid_of "$1")"
	for p in $(ports_of "$1"); do
		printf ',\n    { name = "swp%s"; network = "point-to-point"; cost = 10; hello-interval = 1; dead-interval = 3; bfd = true; }' "$p"
	done
	printf '\n  );\n};\nbfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };\n'
}

conf_frr() { # NODE
	local p
	printf 'frr defaults datacenter\nno zebra nexthop kernel enable\nhostname %s\n' "$1"
	for p in $(ports_of "$1"); do
		printf 'interface swp%s\n ip ospf network point-to-point\n ip ospf bfd\n ip ospf hello-interval 1\n ip ospf dead-interval 3\n' "$p"
	done
	printf 'router ospf\n ospf router-id %s\n network 10.0.0.0/8 area 0\nbfd\n' "$(rid_of "$1")"
	for p in $(ports_of "$1"); do
		printf ' peer %s interface swp%s\n  receive-interval 100\n  transmit-interval 100\n  detect-multiplier 3\n' "$(peer_addr "$1" "$p")" "$p"
	done
}

frr_daemon() { # RUN-NODE DIR DAEMON
	ip netns exec "$(ns "$1")" /usr/lib/frr/$3 -d -N "$(ns "$1")" -i "$2/$3.pid" -z "$2/zserv.api" \
		--vty_socket "$2" -f "$2/frr.conf" -u frr -g frr >>"$2/$3.out" 2>&1
}

# Paths of leaf1's kernel route to PREFIX (nexthop group or multipath).
paths() { # RUN PREFIX
	local out nh
	out=$(ip -n "$(ns "$1-l1")" -j route show "$2" 2>/dev/null)
	[ -z "$out" ] || [ "$out" = "[]" ] && { echo 0; return; }
	nh=$(jq -r '.[0].nhid // empty' <<<"$out")
	if [ -n "$nh" ]; then
		ip -n "$(ns "$1-l1")" -j nexthop show id "$nh" 2>/dev/null | jq -r '.[0] | if .group then (.group | length) else 1 end'
	else
		jq -r '.[0] | if .nexthops then (.nexthops | length) else 1 end' <<<"$out"
	fi
}
# wait_paths RUN PREFIX N: poll until N paths; prints ms waited or "fail"
wait_paths() {
	local t0=$(usec) end=$(( $(usec) + TIMEOUT * 1000000 ))
	while [ "$(usec)" -lt $end ]; do
		[ "$(paths "$1" "$2")" = "$3" ] && { ms_since "$t0"; return 0; }
		sleep 0.005
	done
	echo fail; return 1
}

# Router-LSA sequence numbers in leaf1's database: lines "ADV_ROUTER SEQ_HEX".
router_seqs_fabricd() { # RUN
	"$FABRICCTL" -s "$WORK/$1-l1.sock" --json show database 2>/dev/null |
		jq -r '.lsas[] | select(.type == "router") | "\(.adv_router) \(.sequence)"'
}
router_seqs_frr() { # RUN
	ip netns exec "$(ns "$1-l1")" vtysh --vty_socket "$WORK/$1-frr-l1" -c 'show ip ospf database router json' 2>/dev/null |
		jq -r '.. | objects | select(has("lsaSeqNumber") and .lsaType == "router-LSA") |
		       "\(.advertisingRouter) 0x\(.lsaSeqNumber)"'
}
# "max total" Router-LSA instances per router, from "ADV SEQ" lines
lsa_counts() { # N_ROUTERS < lines
	local adv seq v m=0 t=0 k=0
	while read -r adv seq; do
		v=$(( 16#${seq#0x} - 0x80000000 )); k=$((k + 1)); t=$((t + v)); [ $v -gt $m ] && m=$v
	done
	[ $k = "$1" ] || printf 'fail(%d/%d routers) ' "$k" "$1"
	echo "$m $t"
}

start_fabricd() { # RUN NODES...
	local r=$1 n; shift
	for n in "$@"; do conf_fabricd "$n" >"$WORK/$r-$n.conf"; done
	T0=$(usec)
	for n in "$@"; do
		ip netns exec "$(ns "$r-$n")" "$FABRICD" -c "$WORK/$r-$n.conf" -s "$WORK/$r-$n.sock" -d \
			>>"$WORK/$r-$n.log" 2>&1 &
		remember_pid $!; RUN_PIDS+=($!)
	done
	for n in "$@"; do wait_quiet 10 "$FABRICCTL" -s "$WORK/$r-$n.sock" show version || return 1; done
}
start_frr() { # RUN NODES...
	local r=$1 n D d; shift
	for n in "$@"; do
		D=$WORK/$r-frr-$n; mkdir -p "$D"; conf_frr "$n" >"$D/frr.conf"; chown -R frr:frr "$D"
		frr_daemon "$r-$n" "$D" zebra || return 1
	done
	for n in "$@"; do
		D=$WORK/$r-frr-$n
		wait_quiet 10 test -s "$D/zebra.pid" || return 1
		remember_pid "$(cat "$D/zebra.pid")"; RUN_PIDS+=("$(cat "$D/zebra.pid")")
		wait_quiet 10 test -S "$D/zebra.vty" || return 1
	done
	sleep 0.5 # zebra has read the interfaces before ospfd asks
	T0=$(usec)
	for n in "$@"; do
		D=$WORK/$r-frr-$n
		frr_daemon "$r-$n" "$D" ospfd & frr_daemon "$r-$n" "$D" bfdd &
	done
	for n in "$@"; do
		D=$WORK/$r-frr-$n
		for d in ospfd bfdd; do
			wait_quiet 10 test -s "$D/$d.pid" || return 1
			remember_pid "$(cat "$D/$d.pid")"; RUN_PIDS+=("$(cat "$D/$d.pid")")
		done
	done
}

# mixed: FRR on the spines, fabricd on the leaves (zebra first, then the
# spines' ospfd/bfdd and the leaves' fabricd at the same moment).
start_mixed() { # RUN NODES...
	local r=$1 n D d spines=() leaves=(); shift
	for n in "$@"; do case $n in s*) spines+=("$n");; *) leaves+=("$n");; esac; done
	for n in "${spines[@]}"; do
		D=$WORK/$r-frr-$n; mkdir -p "$D"; conf_frr "$n" >"$D/frr.conf"; chown -R frr:frr "$D"
		frr_daemon "$r-$n" "$D" zebra || return 1
	done
	for n in "${spines[@]}"; do
		D=$WORK/$r-frr-$n
		wait_quiet 10 test -S "$D/zebra.vty" && remember_pid "$(cat "$D/zebra.pid")" || return 1
		RUN_PIDS+=("$(cat "$D/zebra.pid")")
	done
	for n in "${leaves[@]}"; do conf_fabricd "$n" >"$WORK/$r-$n.conf"; done
	sleep 0.5
	T0=$(usec)
	for n in "${spines[@]}"; do
		D=$WORK/$r-frr-$n
		frr_daemon "$r-$n" "$D" ospfd & frr_daemon "$r-$n" "$D" bfdd &
	done
	for n in "${leaves[@]}"; do
		ip netns exec "$(ns "$r-$n")" "$FABRICD" -c "$WORK/$r-$n.conf" -s "$WORK/$r-$n.sock" -d \
			>>"$WORK/$r-$n.log" 2>&1 &
		remember_pid $!; RUN_PIDS+=($!)
	done
	for n in "${spines[@]}"; do
		for d in ospfd bfdd; do
			wait_quiet 10 test -s "$WORK/$r-frr-$n/$d.pid" || return 1
			remember_pid "$(cat "$WORK/$r-frr-$n/$d.pid")"; RUN_PIDS+=("$(cat "$WORK/$r-frr-$n/$d.pid")")
		done
	done
}
router_seqs_mixed() { router_seqs_fabricd "$@"; }

# CAPTURE=1: tcpdump OSPF on leaf1's ports into $WORK (kept with KEEP=1)
capture() { # RUN
	local p
	[ -n "${CAPTURE:-}" ] || return 0
	for p in $(seq "$S"); do
		ip netns exec "$(ns "$1-l1")" tcpdump -i "swp$p" -U -w "$WORK/$1-l1-swp$p.pcap" proto 89 >/dev/null 2>&1 &
		remember_pid $!; RUN_PIDS+=($!)
	done
	sleep 0.3
}

run_one() { # IMPL S L RUN -> prints one result line
	local impl=$1 r="${1:0:1}$2x$3r$4" nodes=() i j ecmp lsa back narrow p
	S=$2 L=$3
	for i in $(seq "$L"); do nodes+=("l$i"); done
	for j in $(seq "$S"); do nodes+=("s$j"); done
	RUN_PIDS=()
	topology "$r" "$S" "$L" || { echo "topology failed"; return; }
	capture "$r"
	if ! "start_$impl" "$r" "${nodes[@]}"; then
		echo "$impl ${S}x$L run $4: start failed"
	else
		local prefix="10.255.0.$L/32"
		# leaf1's view of every Router-LSA at 10 s after start, on the side
		( while [ "$(ms_since "$T0")" -lt 10000 ]; do sleep 0.05; done
		  "router_seqs_$impl" "$r" >"$WORK/$r.seqs" ) & local counter=$!
		if wait_paths "$r" "$prefix" "$S" >/dev/null; then ecmp=$(ms_since "$T0"); else ecmp=fail; fi
		wait $counter
		lsa=$(lsa_counts $((S + L)) <"$WORK/$r.seqs")
		# carrier: spine1's port to leaf1 down, leaf1 narrows to S-1, back up
		ip -n "$(ns "$r-s1")" link set swp1 down
		narrow=$(wait_paths "$r" "$prefix" $((S - 1)))
		sleep "$RETURN_AFTER"
		ip -n "$(ns "$r-s1")" link set swp1 up
		back=$(wait_paths "$r" "$prefix" "$S")
		printf '%-8s %s run %d: start->ECMP %s ms | Router-LSAs in 10 s: max %s total %s | carrier loss->%d paths %s ms | return->ECMP %s ms\n' \
			"$impl" "${S}x$L" "$4" "$ecmp" "${lsa% *}" "${lsa#* }" $((S - 1)) "$narrow" "$back"
		echo "$impl ${S}x$L $ecmp ${lsa% *} ${lsa#* } $back" >>"$WORK/results"
	fi
	for p in "${RUN_PIDS[@]}"; do stop_pid "$p"; done
	drop_topology "$r" "$S" "$L"
}

for fab in $FABRICS; do
	for i in $(seq "$REPEATS"); do
		for impl in $IMPLS; do
			run_one "$impl" "${fab%x*}" "${fab#*x}" "$i"
		done
	done
done

echo "# medians (ms; LSAs: max per router / total)"
[ -s "$WORK/results" ] && for fab in $FABRICS; do for impl in $IMPLS; do
	awk -v f="$fab" -v im="$impl" '$1 == im && $2 == f { e[++n] = $3; m[n] = $4; t[n] = $5; b[n] = $6 }
	function med(a, n,   i, j, x) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { x = a[i]; a[i] = a[j]; a[j] = x } return n ? a[int((n + 1) / 2)] : "-" }
	END { if (n) printf "%-8s %s: start->ECMP %s | Router-LSAs max %s total %s | return->ECMP %s  (%d runs)\n", im, f, med(e, n), med(m, n), med(t, n), med(b, n), n }' "$WORK/results"
done; done
