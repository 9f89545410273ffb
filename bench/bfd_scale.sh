#!/usr/bin/env bash
# BFD at scale: N single-hop sessions at 50 ms x 3 between two namespaces,
# one veth pair (p0..pN-1, a /31 each) per session.
#   bench/bfd_scale.sh [N...]       (default: 100 500 1000; needs root)
#   env: DURATION=60 (s of measurement), MODES="fabricd frr mixed",
#        RT=N (run bfdpeer with SCHED_FIFO priority N, as fabricd's
#        bfd.realtime-priority does),
#        UP_TIMEOUT=90 (s for all sessions to come Up), T (namespace prefix)
# Modes, all on the same links in the same run:
#   fabricd  bfdpeer (the daemon's BFD code, all N sessions in one process)
#            on both sides
#   frr      FRR bfdd (+ zebra, which bfdd needs for the interfaces) on both
#   mixed    FRR bfdd on side a, bfdpeer on side b
# Once every session is Up on both sides, the CPU time (utime+stime from
# /proc/PID/stat) of each BFD process is sampled before and after DURATION
# seconds: % of one core. "drops" counts sessions leaving Up during the
# window (bfdpeer's STATE lines; bfdd's session-down counters); any drop is
# a false one, nothing fails on purpose. "rx pps" is what bfdpeer received
# per second over the window (a check that the load is really there).
# Neighbors are permanent ARP entries, so that 2N dynamic entries do not
# overflow the host-wide neighbor table (gc_thresh3 1024 by default).
# Namespaces are "$T-s<N>a/b" (T=bB<pid>); processes are stopped by pid and
# namespaces deleted on exit, even on failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${*:-100 500 1000}
DURATION=${DURATION:-60}
MODES=${MODES:-fabricd frr mixed}
UP_TIMEOUT=${UP_TIMEOUT:-90}
TX_MS=50 RX_MS=50 MULT=3
export T=${T:-bB$$}
echo "# command: $0 $*  (sizes: $SIZES; DURATION=$DURATION MODES='$MODES' RT=${RT:-} T=$T, $TX_MS/$RX_MS ms x $MULT, $(date -u +%FT%TZ), $(uname -r), $(nproc) cpus)"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
source "$top/tests/netns/lib.sh"
BFDPEER=${BFDPEER:-$BUILD/tests/netns/bfdpeer}
[ -x "$BFDPEER" ] || { echo "build first: no $BFDPEER"; exit 1; }
if [[ $MODES == *frr* || $MODES == *mixed* ]] && [ ! -x /usr/lib/frr/bfdd ]; then
	echo "FRR bfdd not installed: fabricd mode only"; MODES=fabricd
fi
ulimit -n 65536 2>/dev/null || true   # one socket per session, both sides
HZ=$(getconf CLK_TCK)
TABLE=$WORK/table

# session I: addresses 10.200.x.y/31 (side a even, side b odd), MACs 02:aa|bb:..
# (set variables rather than print: thousands of $(...) forks take seconds)
addr() { local b=$(( 2 * $1 + $2 )); ADDR="10.200.$(( b / 256 )).$(( b % 256 ))"; }  # I SIDE(0|1)
mac() { printf -v MAC '02:%s:00:00:%02x:%02x' "$2" $(( $1 / 256 )) $(( $1 % 256 )); }  # I aa|bb

# topology N: namespaces s<N>a / s<N>b, N veth pairs with /31s, static ARP
topology() {
	local n=$1 a b i
	a=$(ns "s${n}a"); b=$(ns "s${n}b")
	ns_add "s${n}a" && ns_add "s${n}b" || return 1
	for x in "$a" "$b"; do   # no IPv6 chatter (DAD, RS) on thousands of ports
		ip netns exec "$x" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
	done
	for ((i = 0; i < n; i++)); do
		mac $i aa; local ma=$MAC; mac $i bb
		echo "link add p$i address $ma netns $a type veth peer name p$i address $MAC netns $b"
	done >"$WORK/links.batch"
	ip -batch "$WORK/links.batch" || return 1
	local me other side om
	for side in a b; do
		me=0 other=1 om=bb; [ $side = b ] && me=1 other=0 om=aa
		for ((i = 0; i < n; i++)); do
			addr $i $me; echo "addr add $ADDR/31 dev p$i"
			echo "link set p$i up"
			addr $i $other; mac $i $om
			echo "neigh replace $ADDR lladdr $MAC dev p$i nud permanent"
		done >"$WORK/$side.batch"
	done
	ip -n "$a" -batch "$WORK/a.batch" && ip -n "$b" -batch "$WORK/b.batch"
}
drop_topology() { ip netns del "$(ns "s${1}a")" 2>/dev/null; ip netns del "$(ns "s${1}b")" 2>/dev/null; }

# ---- bfdpeer ----
# bfdpeer_start N SIDE(a|b) LOG: all N sessions in one process; pid in LASTPID
bfdpeer_start() {
	local n=$1 me=0 other=1 i args=()
	[ "$2" = b ] && me=1 other=0
	local la lb
	for ((i = 0; i < n; i++)); do
		addr $i $me; la=$ADDR; addr $i $other; lb=$ADDR
		args+=(p$i "$la" "$lb" $TX_MS $RX_MS $MULT)
	done
	ip netns exec "$(ns "s${n}$2")" ${RT:+chrt -f "$RT"} "$BFDPEER" "${args[@]}" >"$3" 2>&1 &
	LASTPID=$!
	remember_pid $LASTPID
}
# bfdpeer_up LOG N: the last state of each of the N sessions is Up
bfdpeer_up() {
	awk -v n="$2" '$1 == "STATE" { st[$3 " " $4] = $7 }
		END { for (k in st) if (st[k] == "Up") u++; exit !(u == n) }' "$1"
}
# bfdpeer_counters PID LOG JQ: JQ applied to its counters now (asks with
# SIGUSR2: counters only; the full SHOW of SIGUSR1 would hold the loop for
# tens of ms)
bfdpeer_counters() {
	local c; c=$(grep -c '^COUNTERS' "$2")
	kill -USR2 "$1" || return 1
	wait_quiet 5 bash -c "[ \$(grep -c '^COUNTERS' '$2') -gt $c ]" || return 1
	grep '^COUNTERS' "$2" | tail -1 | cut -d' ' -f2- | jq -r "$3"
}
# packets_in so far; "max_ms over_10ms" of its session timers so far
bfdpeer_packets() { bfdpeer_counters "$1" "$2" .packets_in; }
bfdpeer_late() { bfdpeer_counters "$1" "$2" '"\(.timer_late_max_ms) \(.timers_late_over_10ms)"'; }

# ---- FRR bfdd ----
# frr_bfd_start N SIDE: zebra + bfdd with N peers on side SIDE
frr_bfd_start() {
	local n=$1 side=$2 other=1 me=0 i D=$WORK/frr-$1$2 dmn
	[ "$side" = b ] && me=1 other=0
	rm -rf "$D"; mkdir -p "$D"
	{
		echo "frr defaults traditional"
		echo "hostname s$n$side"
		echo "bfd"
		for ((i = 0; i < n; i++)); do
			addr $i $other
			printf ' peer %s interface p%d\n  receive-interval %d\n  transmit-interval %d\n  detect-multiplier %d\n !\n' \
				"$ADDR" $i $RX_MS $TX_MS $MULT
		done
		echo "!"
	} >"$D/frr.conf"
	chown -R frr:frr "$D"
	for dmn in zebra bfdd; do
		ip netns exec "$(ns "s${n}$side")" /usr/lib/frr/$dmn -d -N "$(ns "s${n}$side")" -i "$D/$dmn.pid" \
			-z "$D/zserv.api" --vty_socket "$D" -f "$D/frr.conf" -u frr -g frr >>"$D/$dmn.out" 2>&1 || return 1
		wait_quiet 20 test -S "$D/$dmn.vty" || return 1
		wait_quiet 5 test -s "$D/$dmn.pid" || return 1
		remember_pid "$(cat "$D/$dmn.pid")"
	done
	LASTPID=$(cat "$D/bfdd.pid")
}
frr_bfd_stop() { local D=$WORK/frr-$1$2 dmn; for dmn in bfdd zebra; do [ -s "$D/$dmn.pid" ] && stop_pid "$(cat "$D/$dmn.pid")"; done; }
frr_vty() { local n=$1 side=$2; shift 2; ip netns exec "$(ns "s${n}$side")" vtysh --vty_socket "$WORK/frr-$n$side" -c "$*"; }
# frr_up N SIDE: all N peers up
frr_up() { [ "$(frr_vty "$1" "$2" 'show bfd peers json' | jq '[.[] | select(.status == "up")] | length')" = "$1" ]; }
# frr_downs N SIDE: sum of the peers' session-down counters
frr_downs() { frr_vty "$1" "$2" 'show bfd peers counters json' | jq '[.[] | .["session-down"] // 0] | add // 0'; }

# rcvbuf_errs N SIDE: UDP datagrams the kernel dropped for a full socket buffer
rcvbuf_errs() {
	ip netns exec "$(ns "s${1}$2")" cat /proc/net/snmp | awk '$1 == "Udp:" {
		if (!h) { for (i = 2; i <= NF; i++) k[$i] = i; h = 1 } else print $(k["RcvbufErrors"]) }'
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# measure N MODE: one row of the table
measure() {
	local n=$1 mode=$2 side pa pb la=$WORK/$mode-$1-a.log lb=$WORK/$mode-$1-b.log
	local impl_a=bfdpeer impl_b=bfdpeer
	[ "$mode" = frr ] && impl_a=bfdd impl_b=bfdd
	[ "$mode" = mixed ] && impl_a=bfdd
	local t_start
	for side in a b; do
		local impl=impl_$side
		if [ "${!impl}" = bfdd ]; then
			frr_bfd_start "$n" $side || { echo "$mode $n: FRR did not start on $side"; return 1; }
		else
			bfdpeer_start "$n" $side "$WORK/$mode-$n-$side.log"
		fi
		eval "p$side=\$LASTPID"
	done
	t_start=$EPOCHREALTIME   # up_s: from the start of the second side
	side_up() { # SIDE
		local impl=impl_$1 log=$WORK/$mode-$n-$1.log
		if [ "${!impl}" = bfdd ]; then frr_up "$n" "$1"; else bfdpeer_up "$log" "$n"; fi
	}
	if ! wait_quiet "$UP_TIMEOUT" side_up a || ! wait_quiet "$UP_TIMEOUT" side_up b; then
		echo "$mode $n: not all sessions Up within ${UP_TIMEOUT}s"
		printf '%-8s %5d %-15s %6s %8s %8s %6s %6s %9s %11s\n' "$mode" "$n" "${impl_a}/${impl_b}" ">$UP_TIMEOUT" - - NOTUP NOTUP - - | tee -a "$TABLE"
		stop_mode "$n" "$mode" "$pa" "$pb"; return 1
	fi
	local up_s; up_s=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	sleep 2   # settle: polls after Up, slow-start timers (RFC 5880 6.8.3) done
	# before
	local la0 lb0 da0 db0 ta0 tb0 pin0=- pin1=- t0 t1
	la0=$( [ -f "$la" ] && wc -l <"$la" || echo 0); lb0=$( [ -f "$lb" ] && wc -l <"$lb" || echo 0)
	[ $impl_a = bfdd ] && da0=$(frr_downs "$n" a)
	[ $impl_b = bfdd ] && db0=$(frr_downs "$n" b)
	[ $impl_b = bfdpeer ] && pin0=$(bfdpeer_packets "$pb" "$lb")
	local ea0 eb0; ea0=$(rcvbuf_errs "$n" a); eb0=$(rcvbuf_errs "$n" b)
	echo "    ($mode $n: all Up after ${up_s}s; UDP RcvbufErrors so far a/b: $ea0/$eb0)"
	local lta0="- 0" ltb0="- 0"
	[ $impl_a = bfdpeer ] && lta0=$(bfdpeer_late "$pa" "$la")
	[ $impl_b = bfdpeer ] && ltb0=$(bfdpeer_late "$pb" "$lb")
	t0=$EPOCHREALTIME; ta0=$(ticks "$pa"); tb0=$(ticks "$pb")
	sleep "$DURATION"
	ta1=$(ticks "$pa"); tb1=$(ticks "$pb"); t1=$EPOCHREALTIME
	[ $impl_b = bfdpeer ] && pin1=$(bfdpeer_packets "$pb" "$lb")
	local rbe="$(( $(rcvbuf_errs "$n" a) - ea0 ))/$(( $(rcvbuf_errs "$n" b) - eb0 ))"
	# drops during the window
	local dra drb
	if [ $impl_a = bfdd ]; then dra=$(( $(frr_downs "$n" a) - da0 )); else
		dra=$(tail -n +$((la0 + 1)) "$la" | grep -c '^STATE .* Up -> '); fi
	if [ $impl_b = bfdd ]; then drb=$(( $(frr_downs "$n" b) - db0 )); else
		drb=$(tail -n +$((lb0 + 1)) "$lb" | grep -c '^STATE .* Up -> '); fi
	local cpua cpub pps=-
	cpua=$(awk -v d=$((ta1 - ta0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", 100 * d / hz / (t1 - t0) }')
	cpub=$(awk -v d=$((tb1 - tb0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", 100 * d / hz / (t1 - t0) }')
	if [ "$pin0" != - ] && [ -n "$pin0" ] && [ -n "$pin1" ]; then
		pps=$(awk -v a="$pin0" -v b="$pin1" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", (b - a) / (t1 - t0) }')
	fi
	printf '%-8s %5d %-15s %6s %8s %8s %6s %6s %9s %11s\n' "$mode" "$n" "${impl_a}/${impl_b}" "$up_s" "$cpua" "$cpub" "$dra" "$drb" "$pps" "$rbe" | tee -a "$TABLE"
	# scheduling: a timer that ran > 10 ms late means the process was not
	# running; one late by more than a detection time explains false drops
	local lta1 ltb1
	if [ $impl_a = bfdpeer ] && lta1=$(bfdpeer_late "$pa" "$la") && [ $impl_b = bfdpeer ] && ltb1=$(bfdpeer_late "$pb" "$lb"); then
		echo "    (bfdpeer timers > 10 ms late in the window a/b: $(( ${lta1#* } - ${lta0#* } ))/$(( ${ltb1#* } - ${ltb0#* } )); max since start a/b: ${lta1% *}/${ltb1% *} ms)"
	fi
	if [ $impl_a = bfdpeer ] || [ $impl_b = bfdpeer ]; then   # the drops, if any, in detail
		{ [ $impl_a = bfdpeer ] && tail -n +$((la0 + 1)) "$la"; [ $impl_b = bfdpeer ] && tail -n +$((lb0 + 1)) "$lb"; } |
			grep '^STATE .* Up -> ' | awk '{ c[$8]++ } END { for (d in c) printf "    (bfdpeer Up -> Down, %s: %d)\n", d, c[d] }'
	fi
	stop_mode "$n" "$mode" "$pa" "$pb"
}
stop_mode() { # N MODE PIDA PIDB
	if [ "$2" = fabricd ]; then stop_pid "$3"; else frr_bfd_stop "$1" a; fi
	if [ "$2" = frr ]; then frr_bfd_stop "$1" b; else stop_pid "$4"; fi
	sleep 1
}

HDR=$(printf '%-8s %5s %-15s %6s %8s %8s %6s %6s %9s %11s' mode N "a/b" "up_s" "cpu_a%" "cpu_b%" "drop_a" "drop_b" "rx_pps_b" "rcvbuf_a/b")
echo "$HDR"
for n in $SIZES; do
	ts=$EPOCHREALTIME
	topology "$n" || { echo "topology for $n sessions failed"; drop_topology "$n"; continue; }
	for mode in $MODES; do measure "$n" "$mode"; done
	drop_topology "$n"
done
echo
echo "== BFD scale: $TX_MS/$RX_MS ms x $MULT, CPU in % of one core over ${DURATION}s (cpu_a: side a, cpu_b: side b)"
echo "$HDR"
cat "$TABLE"
echo "target: no false drops, bfdpeer under 50 % of one core at 1000 sessions"
