#!/usr/bin/env bash
# bench/flood.sh: memory and CPU of the router under test while a neighbor
# floods it (issue 11, bounded resources).
#
# v (the daemon under test) has a legitimate fabricd neighbor p with BFD at
# 100 ms x 3 on swp1 and a flooder x (bench/ospfattack) on swp2 that, once
# Full, sends N LSAs in 1,500-byte updates (40 LSAs each) at PPS packets a
# second:
#
#   ext      N AS-external-LSAs (a full Internet table is ~950,000)
#   ext-max  the same with ospf.max-lsa = LIMIT (RFC 1765 overflow)
#   rtr      N Router-LSAs of N made-up routers
#
# It prints, per run: the LSAs v holds at the end (externals only for the
# ext runs), the time from the first
# update until v is quiet, v's RSS before and at the end and its peak
# (VmHWM), the CPU v used (% of one core over that time), and whether v's
# BFD session to p left Up. With FRR=1 the same floods go to FRR's ospfd
# (zebra + ospfd, no BFD) as the reference, its RSS and CPU measured the
# same way (ospfd's only).
#
# usage: [N=100000] [PPS=1000] [LIMIT=10000] [RUNS="ext ext-max rtr"] [FRR=1] bench/flood.sh
set -uo pipefail
source "$(dirname "$0")/../tests/netns/lib.sh"
ATTACK=${ATTACK:-$BUILD/bench/ospfattack}
[ -x "$ATTACK" ] || { echo "no $ATTACK (build first)"; exit 1; }
N=${N:-100000}
PPS=${PPS:-1000}
LIMIT=${LIMIT:-10000}
RUNS=${RUNS:-"ext ext-max rtr"}

setup() { # MAXLSA
	ns_add v && ns_add p && ns_add x || exit 1
	veth v swp1 p swp1 && veth v swp2 x swp1 || exit 1
	ip -n "$(ns v)" addr add 10.8.0.0/31 dev swp1
	ip -n "$(ns p)" addr add 10.8.0.1/31 dev swp1
	ip -n "$(ns v)" addr add 10.8.1.0/31 dev swp2
	ip -n "$(ns x)" addr add 10.8.1.1/31 dev swp1
	cat >"$WORK/v.conf" <<EOC
router-id = "10.255.0.2";
ospf = { max-lsa = $1; interfaces = (
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; bfd = true; },
  { name = "swp2"; network = "point-to-point"; hello-interval = 1; dead-interval = 40; }
); };
bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };
EOC
	cat >"$WORK/p.conf" <<EOC
router-id = "10.255.0.3";
ospf = { interfaces = (
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; bfd = true; }
); };
bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; };
EOC
}

teardown() {
	local p n
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	for n in "${NSLIST[@]}"; do ip netns del "$n" 2>/dev/null; done
	PIDS=(); NSLIST=()
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# fabricd side
f_full() { jctl v show neighbors | jq -e --arg r "$1" '[.neighbors[] | select(.router_id == $r and .state == "Full")] | length == 1'; }
f_lsas() { jctl v show counters | jq '.ospf.lsa_received'; }
# LSAs held: from the counters for externals (a 950,000-row show database
# is itself a load), from show database for Router-LSAs.
f_count() {
	if [ "$kind" = ext ]; then jctl v show counters | jq '.ospf.external_lsas'
	else jctl v show database | jq '.lsas | length'; fi
}
f_bfd() { jctl v show bfd | jq -r '[.sessions[].counters.state_changes] | add // 0'; }
# FRR side
r_full() { vty v 'show ip ospf neighbor json' | jq -e --arg r "$1" '.neighbors[$r][0].state // .neighbors[$r][0].nbrState | startswith("Full")'; }
r_count() { vty v 'show ip ospf database json' | jq '[.. | objects | select(has("lsId"))] | length'; }

# quiet: the LSA count (fabricd: LSAs received) has not moved for 3 s
settle() { # COUNT-FUNCTION
	local last=-1 cur same=0 end=$(( $(now_ms) + 600000 ))
	while [ "$(now_ms)" -lt $end ]; do
		cur=$($1 2>/dev/null || echo -2)
		if [ "$cur" = "$last" ]; then same=$((same + 1)); [ $same -ge 15 ] && return 0; else same=0; fi
		last=$cur
		sleep 0.2
	done
	return 1
}

frr_v() {
	frr_start v "frr defaults traditional
hostname v
interface swp1
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
interface swp2
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 40
router ospf
 ospf router-id 10.255.0.2
 network 10.8.0.0/16 area 0"
	VPID=$(cat "$WORK/frr-v/ospfd.pid")
}

printf '%-8s %-8s %8s %8s %9s %9s %9s %7s %s\n' impl run lsas time_ms rss0_mb rss_mb peak_mb cpu_pct bfd_drop
for impl in fabricd ${FRR:+frr}; do
	for run in $RUNS; do
		[ $impl = frr ] && [ $run = ext-max ] && continue # no RFC 1765 limit in FRR 8.4
		max=0; [ "$run" = ext-max ] && max=$LIMIT
		kind=ext; [ "$run" = rtr ] && kind=rtr
		setup $max
		fabricd_start p "$WORK/p.conf" || exit 1
		if [ $impl = fabricd ]; then
			fabricd_start v "$WORK/v.conf" || exit 1
			VPID=$PID_v; FULL=f_full; COUNT=f_count; QUIET=f_lsas
		else
			frr_v || { echo "frr did not start"; teardown; continue; }
			FULL=r_full; COUNT=r_count; QUIET=r_count
		fi
		ip netns exec "$(ns x)" env OSPFATTACK_PPS=$PPS "$ATTACK" swp1 10.8.1.1 10.0.0.9 $kind $N >"$WORK/x.log" 2>&1 &
		XP=$!; remember_pid $XP
		wait_quiet 60 $FULL 10.0.0.9 || { echo "$impl $run: flooder not Full"; teardown; continue; }
		[ $impl = fabricd ] && { wait_quiet 30 $FULL 10.255.0.3 || echo "$impl $run: p not Full"; }
		sleep 1
		rss0=$(rss_kb $VPID); c0=$(cpu_ticks $VPID); b0=$([ $impl = fabricd ] && f_bfd || echo 0)
		t0=$(now_ms)
		kill -USR1 $XP
		settle $QUIET || echo "$impl $run: not quiet in 600 s"
		t1=$(( $(now_ms) - 3000 ))
		c1=$(cpu_ticks $VPID); rss1=$(rss_kb $VPID); hwm=$(hwm_kb $VPID)
		b1=$([ $impl = fabricd ] && f_bfd || echo 0)
		drop=no; [ "$b1" != "$b0" ] && drop=yes; [ $impl = frr ] && drop=n/a
		cpu=$(( (c1 - c0) * 1000 * 100 / $(getconf CLK_TCK) / (t1 - t0 > 0 ? t1 - t0 : 1) ))
		printf '%-8s %-8s %8s %8s %9s %9s %9s %7s %s\n' $impl $run "$($COUNT)" $((t1 - t0)) \
			$((rss0 / 1024)) $((rss1 / 1024)) $((hwm / 1024)) $cpu $drop
		teardown
	done
done
