#!/usr/bin/env bash
# Cost of the observability commands on the reference fabric (leaf1, leaf2,
# spine3 fabricd; spine4 FRR 8.4 as the reference): wall time of one
# request, median of N, for fabricctl show version (the bare round trip),
# show routes, show metrics, HTTP GET /metrics (control.metrics-listen,
# curl), show topology, show paths, show route, show events; and FRR's
# vtysh -c 'show ip ospf route json' on spine4 for comparison.
#   bench/observe.sh [N]        (default 50; needs root and FRR 8.4)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-50}
export T=${T:-bO$$}
echo "# command: $0 $*  (N=$N T=$T, $(date -u +%FT%TZ), $(uname -r), $(nproc) cpus)"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
source "$top/tests/netns/lib.sh"
source "$top/tests/netns/fabric.sh"
[ -x /usr/lib/frr/ospfd ] || { echo "FRR ospfd not installed"; exit 77; }
IMPL_spine4=frr
fabric_topology || exit 1
for n in $SWITCHES; do
	if [ "$n" = spine4 ]; then frr_start spine4 "$(fabric_conf_frr spine4)" || exit 1; continue; fi
	fabric_conf_fabricd "$n" >"$WORK/$n.conf"
	[ "$n" = leaf1 ] && echo 'control = { metrics-listen = "127.0.0.1:9342"; };' >>"$WORK/$n.conf"
	fabricd_start "$n" "$WORK/$n.conf" || exit 1
done
wait_quiet 60 paths_are leaf1 10.2.2.0/24 2 || { echo "fabric did not converge"; exit 1; }
wait_quiet 20 bash -c "[ \"\$('$FABRICCTL' -s '$WORK/leaf1.sock' --json show paths | jq -c '[.paths[].paths]')\" = '[2,2]' ]"

# median wall time (ms) of N runs of a command
median_ms() {
	local i t0 t1
	for i in $(seq "$N"); do
		t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1; t1=$EPOCHREALTIME
		echo "($t1 - $t0) * 1000" | bc -l
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
base=
row() { # label command...: median ms, bytes, ratio to the first row
	local label=$1 ms bytes; shift
	ms=$(median_ms "$@")
	base=${base:-$ms}
	bytes=$("$@" 2>/dev/null | wc -c)
	printf '| %s | %s | %s | %.1f |\n' "$label" "$ms" "$bytes" "$(echo "$ms / $base" | bc -l)"
}
echo "| request (leaf1 unless said) | median ms | bytes | x show version |"
echo "| --- | --- | --- | --- |"
row "fabricctl show version" ctl leaf1 show version
row "fabricctl show routes" ctl leaf1 show routes
row "fabricctl --json show routes" jctl leaf1 show routes
row "fabricctl show metrics" ctl leaf1 show metrics
row "ip netns exec + fabricctl show metrics" nsx leaf1 "$FABRICCTL" -s "$WORK/leaf1.sock" show metrics
row "ip netns exec + curl http://127.0.0.1:9342/metrics" nsx leaf1 curl -sf http://127.0.0.1:9342/metrics
ct=$(for i in $(seq "$N"); do nsx leaf1 curl -s -o /dev/null -w '%{time_total}\n' http://127.0.0.1:9342/metrics; done |
	sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%.2f", a[int((NR + 1) / 2)] }')
printf '| the same request as curl times it (%%{time_total}: connect to last byte) | %s | | %.1f |\n' "$ct" "$(echo "$ct / $base" | bc -l)"
row "fabricctl show topology --dot" ctl leaf1 show topology --dot
row "fabricctl --json show paths" jctl leaf1 show paths
row "fabricctl --json show route 10.2.2.10" jctl leaf1 show route 10.2.2.10
row "fabricctl --json show events" jctl leaf1 show events
row "spine3: ip netns exec + fabricctl --json show routes" nsx spine3 "$FABRICCTL" -s "$WORK/spine3.sock" --json show routes
row "spine4 (FRR): ip netns exec + vtysh -c 'show ip ospf route json'" vty spine4 'show ip ospf route json'
