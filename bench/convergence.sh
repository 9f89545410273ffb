#!/usr/bin/env bash
# Convergence as a user feels it: constant-rate UDP flows h1 -> h2 across the
# reference fabric (1 packet/ms per flow, FLOWS flows on distinct ports,
# fib_multipath_hash_policy=1 so they spread over both spines), the longest
# gap per flow while leaf1-spine3 fails, silently (nftables ingress drop on
# both ends) or by carrier loss. The same lab with FRR on all four switches
# runs in the same invocation as the reference.
#   bench/convergence.sh [REPEATS] [TIMERS...]     e.g. bench/convergence.sh 3 300 100 50 10
# Prints one line per run and a min/median/max summary per row.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
REPEATS=${1:-3}; shift || true
TIMERS=${*:-300 100 50 10}
FLOWS=${FLOWS:-8}
IMPLS=${IMPLS:-fabricd frr}
export BUILD=${BUILD:-$top/build}
PROBE=$BUILD/bench/probe
[ -x "$PROBE" ] || { echo "build first (make bench/probe in $BUILD)"; exit 1; }
RESULTS=$(mktemp /tmp/convergence.XXXXXX)

# The silent failure starts on both ends at the same moment: one nft per
# end is started first, blocked reading its rules from a fifo, and both
# fifos are then written at once. (Adding the rules one after the other, a
# new nft process each, puts tens of ms between the ends: BFD detection on
# leaf1 would start before spine3 drops any data, and the measured loss
# would be shorter than the real one.)
silent_both_ends() {
	local rules='add table netdev silent
add chain netdev silent in { type filter hook ingress device swp1 priority 0; policy drop; }'
	rm -f "$WORK/nft-leaf1" "$WORK/nft-spine3"
	mkfifo "$WORK/nft-leaf1" "$WORK/nft-spine3"
	nsx leaf1 nft -f "$WORK/nft-leaf1" & local p1=$!
	nsx spine3 nft -f "$WORK/nft-spine3" & local p2=$!
	sleep 0.3   # both nft are up and blocked on their fifo
	printf '%s\n' "$rules" >"$WORK/nft-leaf1" & printf '%s\n' "$rules" >"$WORK/nft-spine3"
	wait $p1 $p2
}

run_lab() { # IMPL TIMER
	local impl=$1 timer=$2
	(
	T=cv$$-$timer; source "$top/tests/netns/lib.sh"
	source "$top/tests/netns/fabric.sh"
	BFD_TX=$timer BFD_RX=$timer BFD_MULT=3
	if [ "$impl" = frr ]; then IMPL_leaf1=frr IMPL_leaf2=frr IMPL_spine3=frr IMPL_spine4=frr; fi
	fabric_topology >/dev/null && fabric_start >/dev/null || exit 1
	wait_quiet 60 paths_are leaf1 10.2.2.0/24 2 && wait_quiet 60 paths_are leaf2 10.1.1.0/24 2 || { echo "no ECMP"; exit 1; }
	for failure in silent carrier; do
		for r in $(seq "$REPEATS"); do
			wait_quiet 60 paths_are leaf1 10.2.2.0/24 2 && wait_quiet 60 paths_are leaf2 10.1.1.0/24 2 || { echo "ECMP not back"; exit 1; }
			sleep 2   # let BFD settle at its negotiated rate after restore
			nsx h2 "$PROBE" recv 20000 "$FLOWS" 5000 >"$WORK/recv.out" &
			local rpid=$!
			sleep 0.2
			nsx h1 "$PROBE" send 10.2.2.10 20000 "$FLOWS" 1000 4500 &
			local spid=$!
			sleep 1.5
			if [ $failure = silent ]; then
				silent_both_ends
			else
				ip -n "$(ns spine3)" link set swp1 down
			fi
			wait $spid $rpid
			local worst lost
			worst=$(awk 'NR>1 && $5>m {m=$5} END {print m+0}' "$WORK/recv.out")
			# packets lost by the worst flow: at 1 packet/ms, ms of real loss
			# (the gap also counts delay, e.g. a host-wide scheduling stall)
			lost=$(awk 'NR>1 && $4>m {m=$4} END {print m+0}' "$WORK/recv.out")
			echo "$impl bfd=${timer}x3 $failure run=$r worst_gap_ms=$worst worst_lost=$lost flows=$FLOWS"
			echo "$impl $timer $failure $worst $lost" >>"$RESULTS"
			[ -n "${KEEP:-}" ] && cp "$WORK/recv.out" "$WORK/recv-$failure-$r.out"
			if [ $failure = silent ]; then
				nsx leaf1 nft delete table netdev silent; nsx spine3 nft delete table netdev silent
			else
				ip -n "$(ns spine3)" link set swp1 up
			fi
		done
	done
	)
}

for timer in $TIMERS; do
	for impl in $IMPLS; do
		run_lab "$impl" "$timer" || echo "$impl bfd=${timer}x3: lab failed"
	done
done
echo
stats() { # COLUMN IMPL TIMER FAILURE -> "min median max"
	local vals n
	vals=$(awk -v c="$1" -v i="$2" -v t="$3" -v f="$4" '$1==i && $2==t && $3==f {print $c}' "$RESULTS" | sort -n)
	n=$(echo "$vals" | wc -l)
	echo "$(echo "$vals" | head -1) $(echo "$vals" | sed -n "$(( (n + 1) / 2 ))p") $(echo "$vals" | tail -1)"
}
echo "impl bfd failure | worst gap min median max (ms) | packets lost by the worst flow min median max ($FLOWS flows, $REPEATS repeats)"
awk '{print $1, $2, $3}' "$RESULTS" | sort -u -k2,2n -k3,3 -k1,1 >"$RESULTS.rows"
while read -r impl timer failure; do
	echo "$impl ${timer}x3 $failure | $(stats 4 "$impl" "$timer" "$failure") | $(stats 5 "$impl" "$timer" "$failure")"
done <"$RESULTS.rows"
rm -f "$RESULTS.rows"
rm -f "$RESULTS"
