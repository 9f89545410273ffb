#!/usr/bin/env bash
# A hub router with N point-to-point neighbors (issue 8 item 4): fabricd
# against FRR 8.4 (zebra + ospfd) as the hub, the same peers for both
# (tests/netns/ospfpeer: N proto/ospf engines in one process, one veth
# each, hello 2 s, dead 8 s). Per hub and N: time from the hub daemon's start
# to all N adjacencies Full (as the peers see it), to N kernel routes to the
# peers' loopbacks, and the hub's CPU time (user+system, all its processes)
# and resident memory once converged.
#   bench/many_neighbors.sh [N...]        (default 300 600; needs root)
#   IMPLS="fabricd frr" TIMEOUT=300
# Every run uses fresh namespaces "$T-hub"/"$T-peers" (T=bMN<pid>-<impl><N>);
# everything is stopped by pid and deleted on exit, even on failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${*:-300 600}
IMPLS=${IMPLS:-fabricd frr}
TIMEOUT=${TIMEOUT:-300}
echo "# command: $0 $*  (IMPLS='$IMPLS', $(date -u +%FT%TZ), $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
export BUILD=${BUILD:-$top/build}

run_one() { # IMPL N -> one result line
	local impl=$1 n=$2 t0 full="-" routes="-" pids p cpu=0 rss=0
	T=bMN$$-$impl$n # (no dots: FRR takes it as its -N pathspace)
	source "$top/tests/netns/lib.sh"
	source "$top/tests/netns/hub.sh"
	[ -x "$PEER" ] || { echo "build first: no $PEER"; exit 1; }
	hub_topology "$n" >/dev/null || return 1
	hub_peers_start "$n" 2 8
	t0=$(now_ms)
	if [ "$impl" = frr ]; then
		# zebra and ospfd read N interface blocks before they write a pid file
		FRR_START_WAIT=$TIMEOUT frr_start hub "$(hub_conf_frr "$n" 2 8)" ||
			{ echo "$impl $n: FRR did not start"; return 1; }
		pids="$(cat "$WORK/frr-hub/zebra.pid") $(cat "$WORK/frr-hub/ospfd.pid")"
	else
		hub_conf_fabricd "$n" 2 8 >"$WORK/hub.conf"
		fabricd_start hub "$WORK/hub.conf" || { echo "$impl $n: fabricd did not start"; return 1; }
		pids=$PID_hub
	fi
	synced() { hub_peers_synced "$n"; }
	all_routes() { [ "$(hub_routes)" = "$n" ]; }
	wait_quiet "$TIMEOUT" synced && full=$(( $(now_ms) - t0 ))
	wait_quiet "$TIMEOUT" all_routes && routes=$(( $(now_ms) - t0 ))
	for p in $pids; do
		cpu=$(( cpu + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
		rss=$(( rss + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status") ))
	done
	printf '%-8s %6s %12s %14s %10s %10s\n' "$impl" "$n" "$full" "$routes" \
		"$(( cpu * 1000 / $(getconf CLK_TCK) ))" "$(( rss / 1024 ))"
}

printf '%-8s %6s %12s %14s %10s %10s\n' hub N full_ms routes_ms cpu_ms rss_MiB
for n in $SIZES; do
	for impl in $IMPLS; do
		# each run in a subshell: its own lib.sh state, cleaned up on exit
		( run_one "$impl" "$n" ) 2>&1 | grep -v '^\(PASS\|FAIL\)'
	done
done
