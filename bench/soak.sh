#!/usr/bin/env bash
# Soak on the reference fabric (fabricd on all four switches, BFD 300 ms x 3
# unless BFD_TX/BFD_RX/BFD_MULT say otherwise) with traffic h1 -> h2
# (bench/probe, FLOWS flows at 1 packet/ms each) through three phases:
#   flap: leaf1-spine3's carrier flaps FLAP_HZ times a second for FLAP_S s
#   loss: LOSS_PCT % random loss on every fabric link (nftables
#         `numgen random mod 100 < N` at ingress on both ends) for LOSS_S s
#   kill: spine3's fabricd is killed (-9) and restarted every KILL_EVERY s
#         for KILL_S s
# After each phase, once the fabric has settled: RSS of every fabricd against
# the figure before the phase, stuck routes (`show fib` rows whose kernel
# route differs from the wanted one), whether the four LSDBs are identical
# (type, LS ID, advertising router, sequence), BFD Down events during the
# phase on links that were not flapped (false drops), adjacency dampening,
# and the traffic lost. One line per phase; nothing is asserted.
#   bench/soak.sh                        the full soak (2 + 5 + 2 minutes)
#   FLAP_S=20 LOSS_S=30 KILL_S=40 bench/soak.sh     a short one
# bfd.dampening is on (threshold 3, 1 s doubling to 60 s) unless DAMPENING=0.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$top/build}
PROBE=$BUILD/bench/probe
[ -x "$PROBE" ] || { echo "build first (bench/probe in $BUILD)"; exit 1; }
FLAP_S=${FLAP_S:-120}; FLAP_HZ=${FLAP_HZ:-5}
LOSS_S=${LOSS_S:-300}; LOSS_PCT=${LOSS_PCT:-5}
KILL_S=${KILL_S:-120}; KILL_EVERY=${KILL_EVERY:-20}
FLOWS=${FLOWS:-8}
PHASES=${PHASES:-flap loss kill}
T=soak$$; source "$top/tests/netns/lib.sh"
source "$top/tests/netns/fabric.sh"
BFD_TX=${BFD_TX:-300} BFD_RX=${BFD_RX:-300} BFD_MULT=${BFD_MULT:-3}
# DAMPENING=0 runs without bfd.dampening (to compare)
[ "${DAMPENING:-1}" = 1 ] && BFD_EXTRA='dampening = { threshold = 3; initial-hold-ms = 1000; maximum-hold-ms = 60000; };'

fabric_topology >/dev/null && fabric_start >/dev/null || { echo "fabric did not start"; exit 1; }
wait_quiet 60 paths_are leaf1 10.2.2.0/24 2 && wait_quiet 60 paths_are leaf2 10.1.1.0/24 2 ||
	{ echo "no ECMP"; exit 1; }

pid_of() { local v="PID_$1"; echo "${!v}"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$(pid_of "$1")/status" 2>/dev/null || echo 0; }
rss_all() { local n; for n in $SWITCHES; do printf '%s=%s ' "$n" "$(rss_kb "$n")"; done; }
stuck() { # routes whose kernel next hops differ from the wanted ones, all switches
	local n c=0 r
	for n in $SWITCHES; do
		r=$(jctl "$n" show fib | jq '[.fib[] | select(.match | not)] | length')
		[ -n "$r" ] || { echo "unknown ($n does not answer)"; return; }
		c=$((c + r))
	done
	echo $c
}
lsdb() { jctl "$1" show database | jq -c '[.lsas[] | [.type, .ls_id, .adv_router, .sequence]] | sort'; }
lsdb_same() { local a; a=$(lsdb leaf1); for n in leaf2 spine3 spine4; do [ "$(lsdb "$n")" = "$a" ] || return 1; done; }
bfd_downs() { # NODE -> total BFD state changes away from Up (per session counters)
	jctl "$1" show bfd | jq '[.sessions[] | .counters.state_changes] | add // 0'
}
no_stuck() { [ "$(stuck)" = 0 ]; }
settle() {
	wait_quiet 60 paths_are leaf1 10.2.2.0/24 2 && wait_quiet 60 paths_are leaf2 10.1.1.0/24 2 &&
		wait_quiet 30 lsdb_same && wait_quiet 30 no_stuck
}

traffic() { # SECONDS: start a probe for that long; sets RPID SPID
	local ms=$(( $1 * 1000 + 3000 ))
	nsx h2 "$PROBE" recv 20000 "$FLOWS" $((ms + 2000)) >"$WORK/recv.out" &
	RPID=$!
	sleep 0.3
	nsx h1 "$PROBE" send 10.2.2.10 20000 "$FLOWS" 1000 "$ms" &
	SPID=$!
}
traffic_report() {
	wait "$SPID" "$RPID"
	[ -n "${KEEP:-}" ] && cat "$WORK/recv.out" >&2
	awk 'NR>1 {lost += $4; if ($5 > g) g = $5} END {printf "lost=%d packets, worst gap %d ms", lost, g}' "$WORK/recv.out"
}

loss_rules() { # NODE PORT PCT
	printf 'add table netdev soak\nadd chain netdev soak in { type filter hook ingress device %s priority 0; policy accept; }\nadd rule netdev soak in numgen random mod 100 < %s drop\n' "$2" "$3"
}

phase_flap() {
	# one ip process reads the commands as they come (-batch), so a flap
	# costs no process start-up and the rate holds
	local n=$(( FLAP_S * FLAP_HZ )) half k
	half=$(awk "BEGIN { print 0.5 / $FLAP_HZ }")
	for k in $(seq $n); do
		echo "link set swp1 down"; sleep "$half"; echo "link set swp1 up"; sleep "$half"
	done | ip -n "$(ns spine3)" -batch -
	echo -n "flaps=$n "
}
phase_loss() {
	local n p
	for n in $SWITCHES; do for p in swp1 swp2; do
		loss_rules "$n" "$p" "$LOSS_PCT" | sed "s/netdev soak/netdev soak$p/g" | nsx "$n" nft -f -
	done; done
	sleep "$LOSS_S"
	for n in $SWITCHES; do for p in swp1 swp2; do nsx "$n" nft delete table netdev "soak$p"; done; done
}
phase_kill() {
	local end=$(( $(now_ms) + KILL_S * 1000 )) k=0
	while [ "$(now_ms)" -lt $end ]; do
		sleep "$KILL_EVERY"
		kill -9 "$(pid_of spine3)"
		fabricd_start spine3 "$WORK/spine3.conf" >/dev/null || { echo "spine3 did not restart"; return 1; }
		k=$((k + 1))
	done
	echo -n "restarts=$k "
}

for phase in $PHASES; do
	settle || echo "($phase: fabric not settled before the phase)"
	rss0=$(rss_all)
	declare -A downs0; for n in $SWITCHES; do downs0[$n]=$(bfd_downs "$n"); done
	case $phase in flap) secs=$FLAP_S;; loss) secs=$LOSS_S;; kill) secs=$KILL_S;; esac
	traffic "$secs"
	t0=$(now_ms)
	echo -n "$phase: "
	phase_$phase
	t=$(( $(now_ms) - t0 ))
	traffic_report >"$WORK/traffic.txt"   # not in $(...): wait needs this shell's children
	tr=$(cat "$WORK/traffic.txt")
	settled=yes; settle || settled=no
	changes=""
	for n in $SWITCHES; do changes+="$n=$(( $(bfd_downs "$n") - ${downs0[$n]} )) "; done
	echo "duration=${t}ms settled=$settled stuck_routes=$(stuck) lsdb_identical=$(lsdb_same && echo yes || echo no)"
	echo "  traffic: $tr"
	echo "  bfd state changes during the phase: $changes"
	echo "  rss before (kB): $rss0"
	echo "  rss after  (kB): $(rss_all)"
	jctl leaf1 show bfd | jq -c '{sessions: [.sessions[] | {peer, state}], dampened}' | sed 's/^/  leaf1 bfd: /'
done
