#!/usr/bin/env bash
# Time to a Full adjacency on one point-to-point link (hello 1 s, dead 3 s):
# a fabricd pair against an FRR pair (zebra + ospfd each), in the same run.
#   bench/adjacency.sh [REPEATS]          (default 5; needs root and FRR 8.4)
# fabricd: both daemons are started at (nearly) the same moment; the time is
# from the start of the first to the moment both report the neighbor Full.
# FRR: zebra is started first on both routers; the time is from the start of
# the first ospfd to both reporting Full. Each router is polled by its own
# loop (fabricctl --json / vtysh json, about every 5 ms), so the figure is
# max(Full seen on r1, Full seen on r2) - start, to within one poll.
# Every run uses fresh namespaces "$T-<impl><run>r1/r2" (T=bA<pid> unless
# set); everything is stopped by pid and deleted on exit, even on failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
REPEATS=${1:-5}
TIMEOUT=${TIMEOUT:-30}       # seconds per run before it counts as failed
IMPLS=${IMPLS:-fabricd frr}
export T=${T:-bA$$}
echo "# command: $0 $*  (REPEATS=$REPEATS IMPLS='$IMPLS' T=$T, $(date -u +%FT%TZ), $(uname -r), $(nproc) cpus)"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
source "$top/tests/netns/lib.sh"
[ -x "$FABRICD" ] && [ -x "$FABRICCTL" ] || { echo "build first: no $FABRICD or $FABRICCTL"; exit 1; }
[ -x /usr/lib/frr/ospfd ] || { echo "FRR ospfd not installed"; exit 77; }
RESULTS=$WORK/results

# topology NAME: two routers NAME-r1/r2, loopbacks, swp1 with a /31
topology() {
	local n=$1
	ns_add "${n}r1" && ns_add "${n}r2" || return 1
	ip -n "$(ns "${n}r1")" addr add 10.255.0.1/32 dev lo
	ip -n "$(ns "${n}r2")" addr add 10.255.0.2/32 dev lo
	veth "${n}r1" swp1 "${n}r2" swp1 || return 1
	ip -n "$(ns "${n}r1")" addr add 10.1.0.0/31 dev swp1
	ip -n "$(ns "${n}r2")" addr add 10.1.0.1/31 dev swp1
}
drop_topology() { ip netns del "$(ns "${1}r1")" 2>/dev/null; ip netns del "$(ns "${1}r2")" 2>/dev/null; }

# poll_full FILE CMD...: run CMD every ~5 ms until its output shows a Full
# neighbor, then write $EPOCHREALTIME into FILE (nothing on timeout).
poll_full() {
	local file=$1; shift
	local end=$(( ${EPOCHREALTIME/./} + TIMEOUT * 1000000 )) out
	while [ "${EPOCHREALTIME/./}" -lt $end ]; do
		out=$("$@" 2>/dev/null)
		if [[ $out == *'"state":"Full'* || $out == *'"state": "Full'* || $out == *'"nbrState":"Full'* ]]; then
			echo "$EPOCHREALTIME" >"$file"; return 0
		fi
		sleep 0.005
	done
	return 1
}
# elapsed_ms T0 FILE1 FILE2: max(FILE1, FILE2) - T0 in ms, or "fail"
elapsed_ms() {
	[ -s "$2" ] && [ -s "$3" ] || { echo fail; return; }
	awk -v t0="$1" -v a="$(cat "$2")" -v b="$(cat "$3")" 'BEGIN { m = a > b ? a : b; printf "%.0f\n", (m - t0) * 1000 }'
}

# run_IMPL RUN: one measurement, into $RESULT (ms or "fail")
run_fabricd() { # RUN
	local n=f$1 r pids=()
	topology "$n" || { RESULT=fail; return; }
	for r in 1 2; do
		cat >"$WORK/$n-r$r.conf" <<EOC
router-id = "10.255.0.$r";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; }
  );
};
EOC
	done
	rm -f "$WORK/$n-full1" "$WORK/$n-full2"
	local t0=$EPOCHREALTIME
	for r in 1 2; do
		ip netns exec "$(ns "${n}r$r")" "$FABRICD" -c "$WORK/$n-r$r.conf" -s "$WORK/$n-r$r.sock" \
			>>"$WORK/$n-r$r.log" 2>&1 &
		pids+=($!); remember_pid $!
	done
	poll_full "$WORK/$n-full1" "$FABRICCTL" -s "$WORK/$n-r1.sock" --json show neighbors & local p1=$!
	poll_full "$WORK/$n-full2" "$FABRICCTL" -s "$WORK/$n-r2.sock" --json show neighbors & local p2=$!
	wait $p1 $p2
	RESULT=$(elapsed_ms "$t0" "$WORK/$n-full1" "$WORK/$n-full2")
	for r in "${pids[@]}"; do stop_pid "$r"; done
	drop_topology "$n"
}

# frr_daemon NODE DIR DAEMON: start one FRR daemon (it daemonizes) and
# remember it by the pid it writes
frr_daemon() {
	ip netns exec "$(ns "$1")" /usr/lib/frr/$3 -d -N "$(ns "$1")" -i "$2/$3.pid" -z "$2/zserv.api" \
		--vty_socket "$2" -f "$2/frr.conf" -u frr -g frr >>"$2/$3.out" 2>&1
}
run_frr() { # RUN
	local n=q$1 r D
	topology "$n" || { RESULT=fail; return; }
	for r in 1 2; do
		D=$WORK/$n-frr$r; mkdir -p "$D"
		cat >"$D/frr.conf" <<EOC
frr defaults traditional
hostname r$r
interface swp1
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
router ospf
 ospf router-id 10.255.0.$r
 network 10.0.0.0/8 area 0
EOC
		chown -R frr:frr "$D"
		frr_daemon "${n}r$r" "$D" zebra || { RESULT=fail; return; }
		wait_quiet 10 test -s "$D/zebra.pid" && remember_pid "$(cat "$D/zebra.pid")"
	done
	for r in 1 2; do wait_quiet 10 test -S "$WORK/$n-frr$r/zebra.vty" || { RESULT=fail; return; }; done
	sleep 0.5   # let zebra finish reading the interfaces before ospfd asks
	rm -f "$WORK/$n-full1" "$WORK/$n-full2"
	local t0=$EPOCHREALTIME
	frr_daemon "${n}r1" "$WORK/$n-frr1" ospfd & local s1=$!
	frr_daemon "${n}r2" "$WORK/$n-frr2" ospfd & local s2=$!
	poll_full "$WORK/$n-full1" ip netns exec "$(ns "${n}r1")" vtysh --vty_socket "$WORK/$n-frr1" -c 'show ip ospf neighbor json' & local p1=$!
	poll_full "$WORK/$n-full2" ip netns exec "$(ns "${n}r2")" vtysh --vty_socket "$WORK/$n-frr2" -c 'show ip ospf neighbor json' & local p2=$!
	wait $s1 $s2
	for r in 1 2; do wait_quiet 10 test -s "$WORK/$n-frr$r/ospfd.pid" && remember_pid "$(cat "$WORK/$n-frr$r/ospfd.pid")"; done
	wait $p1 $p2
	RESULT=$(elapsed_ms "$t0" "$WORK/$n-full1" "$WORK/$n-full2")
	for r in 1 2; do
		D=$WORK/$n-frr$r
		[ -s "$D/ospfd.pid" ] && stop_pid "$(cat "$D/ospfd.pid")"
		[ -s "$D/zebra.pid" ] && stop_pid "$(cat "$D/zebra.pid")"
	done
	drop_topology "$n"
}

for i in $(seq "$REPEATS"); do
	for impl in $IMPLS; do
		RESULT=fail
		run_$impl "$i"
		printf '%-8s run %2d: %s ms\n' "$impl" "$i" "$RESULT"
		echo "$impl $RESULT" >>"$RESULTS"
		sleep 1
	done
done

# summary IMPL: "runs min median max failed" over the numeric results
summary() {
	awk -v impl="$1" '$1 == impl { print $2 }' "$RESULTS" | sort -n | awk '
		$1 == "fail" { f++; next }
		{ v[++n] = $1 }
		END {
			if (n == 0) { printf "%d - - - %d\n", f, f; exit }
			med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%d %d %.0f %d %d\n", n + f, v[1], med, v[n], f
		}'
}
echo
printf '%-8s %5s %8s %10s %8s %7s\n' impl runs min_ms median_ms max_ms failed
for impl in $IMPLS; do
	read -r runs min med max failed < <(summary "$impl")
	printf '%-8s %5s %8s %10s %8s %7s\n' "$impl" "$runs" "$min" "$med" "$max" "$failed"
	eval "MED_$impl=\$med"
done
if [ "${MED_fabricd:--}" != - ] && [ "${MED_frr:--}" != - ]; then
	awk -v a="$MED_fabricd" -v b="$MED_frr" \
		'BEGIN { if (b > 0) printf "ratio of medians fabricd/frr: %.2f (FRR takes %.1fx as long)\n", a / b, b / a }'
fi
