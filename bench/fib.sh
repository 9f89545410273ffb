#!/bin/bash
# bench/fib.sh: FIB install rate and failover time, fabricd's fib/ vs ip -batch.
#
#   sudo bench/fib.sh [ROUTES] [REPEATS]      (defaults 100000 3)
#
# Each measurement runs in a fresh network namespace (hfib-b*) whose swp1 and
# swp2 are veth ports to a peer namespace with next hops 10.0.1.1 and 10.0.2.1.
# Measured, per repeat:
#   ip-batch   `ip -batch` adding ROUTES two-way ECMP /32 routes
#              (route add ... proto 188 nexthop via A dev swp1 nexthop via B dev swp2),
#              then `ip -batch` replacing them all with next hop B only (failover);
#   fib nhg    bench_fib: same routes through kernel nexthop groups; failover =
#              fib_repair_nexthop(A, swp1): one RTM_DELNEXTHOP;
#   fib mpath  bench_fib -m: RTA_MULTIPATH routes; failover = one replace per route.
# Build without sanitizers for meaningful figures (./configure CFLAGS=-O2).
# BENCH_FIB=path overrides the bench_fib binary.
set -u
N=${1:-100000}
R=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${BENCH_FIB:-$HERE/bench_fib}
TMP=$(mktemp -d /tmp/hfib-bench.XXXXXX)
NSLIST=()

[ "$(id -u)" = 0 ] || { echo "bench/fib.sh: needs root" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench/fib.sh: $BIN not built (make bench/bench_fib)" >&2; exit 1; }

cleanup() {
	for ns in "${NSLIST[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

NSN=0
# fresh_ns: sets NS to a new namespace with swp1/swp2 up towards a peer.
fresh_ns() {
	NSN=$((NSN + 1))
	NS=hfib-b$$-$NSN
	local P=hfib-b$$-${NSN}p
	ip netns add "$NS" && ip netns add "$P" || exit 1
	NSLIST+=("$NS" "$P")
	ip -n "$NS" link set lo up; ip -n "$P" link set lo up
	for i in 1 2; do
		ip link add swp$i netns "$NS" type veth peer name swp$i netns "$P"
		ip -n "$NS" addr add 10.0.$i.0/31 dev swp$i
		ip -n "$P" addr add 10.0.$i.1/31 dev swp$i
		ip -n "$NS" link set swp$i up; ip -n "$P" link set swp$i up
	done
}

drop_ns() {
	ip netns del "$NS"; ip netns del "${NS}p"
}

count_routes() {
	ip -n "$NS" -o route show proto 188 | wc -l
}

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

# The same route set as bench_fib: 10.128.0.0 + i, /32.
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) {
	a = 128 + int(i / 65536); b = int(i / 256) % 256; c = i % 256
	printf "route add 10.%d.%d.%d/32 proto 188 metric 20 nexthop via 10.0.1.1 dev swp1 nexthop via 10.0.2.1 dev swp2\n", a, b, c
	printf "route replace 10.%d.%d.%d/32 proto 188 metric 20 via 10.0.2.1 dev swp2\n", a, b, c > "/dev/stderr"
} }' >"$TMP/add.batch" 2>"$TMP/fail.batch"

printf "%-4s %12s %12s %12s | %14s %16s %18s\n" run ip-batch/s fib-nhg/s fib-mpath/s \
	"ip-repl ms" "nhg-fail ms(msg)" "mpath-fail ms(msg)"
declare -a IPR NHR MPR IPF NHF MPF
fail=0
for r in $(seq 1 "$R"); do
	fresh_ns
	t0=$(now); ip -n "$NS" -batch "$TMP/add.batch" || fail=1; t1=$(now)
	[ "$(count_routes)" = "$N" ] || { echo "ip-batch: route count mismatch" >&2; fail=1; }
	ip -n "$NS" -batch "$TMP/fail.batch" || fail=1; t2=$(now)
	drop_ns
	ipr=$(calc "$N / ($t1 - $t0)"); ipf=$(calc "($t2 - $t1) * 1000")

	fresh_ns
	out=$(ip netns exec "$NS" "$BIN" "$N" 10.0.1.1@swp1 10.0.2.1@swp2) || fail=1
	[ "$(count_routes)" = "$N" ] || { echo "fib nhg: route count mismatch" >&2; fail=1; }
	ip -n "$NS" -o route show proto 188 | grep -q 'via 10.0.1.1' && { echo "fib nhg: failed next hop still used" >&2; fail=1; }
	drop_ns
	nhr=$(sed 's/.* rate=\([0-9.]*\).*/\1/' <<<"$out")
	nhf=$(sed 's/.* failover_ms=\([0-9.]*\).*/\1/' <<<"$out")
	nhm=$(sed 's/.* failover_msgs=\([0-9]*\).*/\1/' <<<"$out")

	fresh_ns
	out=$(ip netns exec "$NS" "$BIN" -m "$N" 10.0.1.1@swp1 10.0.2.1@swp2) || fail=1
	[ "$(count_routes)" = "$N" ] || { echo "fib mpath: route count mismatch" >&2; fail=1; }
	drop_ns
	mpr=$(sed 's/.* rate=\([0-9.]*\).*/\1/' <<<"$out")
	mpf=$(sed 's/.* failover_ms=\([0-9.]*\).*/\1/' <<<"$out")
	mpm=$(sed 's/.* failover_msgs=\([0-9]*\).*/\1/' <<<"$out")

	IPR+=("$ipr"); NHR+=("$nhr"); MPR+=("$mpr"); IPF+=("$ipf"); NHF+=("$nhf"); MPF+=("$mpf")
	printf "%-4s %12.0f %12.0f %12.0f | %14.1f %11.2f(%s) %13.1f(%s)\n" "$r" "$ipr" "$nhr" "$mpr" \
		"$ipf" "$nhf" "$nhm" "$mpf" "$mpm"
done

median() { printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ipr=$(median "${IPR[@]}"); nhr=$(median "${NHR[@]}"); mpr=$(median "${MPR[@]}")
ipf=$(median "${IPF[@]}"); nhf=$(median "${NHF[@]}"); mpf=$(median "${MPF[@]}")
printf "%-4s %12.0f %12.0f %12.0f | %14.1f %16.2f %18.1f\n" med "$ipr" "$nhr" "$mpr" "$ipf" "$nhf" "$mpf"
echo
printf "install rate vs ip -batch:   fib nhg %.2fx   fib mpath %.2fx   (>= 0.67x is within 1.5x)\n" \
	"$(calc "$nhr / $ipr")" "$(calc "$mpr / $ipr")"
printf "failover, nexthop group vs per-route replace: %.2f ms vs %.1f ms (%.0fx faster; ip -batch replace %.1f ms)\n" \
	"$nhf" "$mpf" "$(calc "$mpf / $nhf")" "$ipf"
exit $fail
