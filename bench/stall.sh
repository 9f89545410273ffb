#!/usr/bin/env bash
# bench/stall.sh: does OSPF or control work delay BFD? (issue 11)
#
# v (fabricd, the router under test) has two point-to-point ports: swp1 to p,
# a legitimate fabricd with BFD at 100 ms x 3, and swp2 to x, a hostile
# neighbor (bench/ospfattack) that becomes Full and then sends one load:
#
#   lsr    one LS Request naming a 60 KB Router-LSA 5,450 times
#   dd     a database exchange advertising 40 x 3,270 AS-external headers
#   flush  5,000 AS-external-LSAs flushed at once (v floods the flush to p)
#   lsu    5,000 new AS-external-LSAs in three 64 KB updates
#   ctl    64 clients asking `show database detail` (of 5,000 LSAs) without
#          reading, plus 64 idle connections; then one fabricctl call
#
# For each load, in a fresh set of daemons, it prints v's BFD timer lateness
# (`show counters`: timer_late_max_ms, timers_late_over_10ms, over the load
# only: counters are read before and after), whether v's BFD session to p
# left Up, and what the load cost (packets v sent, the time until v is
# quiet again). BFD's detection time is 300 ms: a timer later than that is
# a false session drop. Target: never later than 10 ms.
#
# usage: [LOADS="lsr dd flush lsu ctl"] [RT=N] bench/stall.sh
# (FABRICD=... to measure another build of the daemon; RT=N sets v's
# bfd.realtime-priority, which an older build applies to the whole process)
set -uo pipefail
source "$(dirname "$0")/../tests/netns/lib.sh"
ATTACK=${ATTACK:-$BUILD/bench/ospfattack}
[ -x "$ATTACK" ] || { echo "no $ATTACK (build first)"; exit 1; }
LOADS=${LOADS:-"lsr dd flush lsu ctl"}

setup() {
	ns_add v && ns_add p && ns_add x || exit 1
	veth v swp1 p swp1 && veth v swp2 x swp1 || exit 1
	ip -n "$(ns v)" addr add 10.8.0.0/31 dev swp1
	ip -n "$(ns p)" addr add 10.8.0.1/31 dev swp1
	ip -n "$(ns v)" addr add 10.8.1.0/31 dev swp2
	ip -n "$(ns x)" addr add 10.8.1.1/31 dev swp1
	cat >"$WORK/v.conf" <<EOC
router-id = "10.255.0.2";
ospf = { interfaces = (
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; bfd = true; },
  { name = "swp2"; network = "point-to-point"; hello-interval = 1; dead-interval = 40; }
); };
bfd = { tx-interval-ms = 100; rx-interval-ms = 100; multiplier = 3; realtime-priority = ${RT:-0}; };
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

full() { jctl v show neighbors | jq -e --arg r "$1" '[.neighbors[] | select(.router_id == $r and .state == "Full")] | length == 1'; }
bfd_up() { jctl v show bfd | jq -e '[.sessions[] | select(.state == "Up")] | length == 1'; }
bfd_changes() { jctl v show bfd | jq '[.sessions[].counters.state_changes] | add // 0'; }
counter() { jctl v show counters | jq "$1"; }
# v is quiet: no LSA received or retransmitted, nothing on any neighbor's
# lists, for 2 s.
quiet_key() {
	echo "$(counter '[.ospf.lsa_received, .ospf.retransmissions]')$(jctl v show neighbors |
		jq -c '[.neighbors[] | .retransmit_count + .request_count] | add')"
}
settle() {
	local last=-1 cur same=0 end=$(( $(now_ms) + 120000 ))
	while [ "$(now_ms)" -lt $end ]; do
		cur=$(quiet_key 2>/dev/null || echo -2)
		if [ "$cur" = "$last" ] && [ "${cur##*]}" = 0 ]; then
			same=$((same + 1)); [ $same -ge 10 ] && return 0
		else
			same=0
		fi
		last=$cur
		sleep 0.2
	done
	return 1
}

start_attacker() { # SCENARIO N
	ip netns exec "$(ns x)" "$ATTACK" swp1 10.8.1.1 10.0.0.9 "$1" "$2" >"$WORK/x.log" 2>&1 &
	ATTACKER=$!; remember_pid $ATTACKER
}

# ctl load: 64 clients that ask for a big reply and never read, 64 that
# never send; then a well-behaved fabricctl call, timed.
ctl_load() {
	/usr/bin/python3 - "$WORK/v.sock" <<'EOP' &
import socket, sys, time
socks = []
for i in range(64):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        s.connect(sys.argv[1]); s.send(b"show database detail\n"); socks.append(s)
    except OSError:
        pass
for i in range(64):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sys.argv[1]); socks.append(s)
    except OSError:
        pass
time.sleep(12)
EOP
	local py=$!
	remember_pid $py
	sleep 0.5
	local t0; t0=$(now_ms)
	if ctl v show version >/dev/null 2>&1; then CTL_MS=$(( $(now_ms) - t0 )); else CTL_MS="failed"; fi
	wait $py
}

printf '%-6s %14s %16s %9s %10s %10s %s\n' load late_max_ms late_over_10ms bfd_drop v_tx_pkts settle_ms note
for load in $LOADS; do
	setup
	fabricd_start v "$WORK/v.conf" || exit 1
	fabricd_start p "$WORK/p.conf" || exit 1
	wait_quiet 30 full 10.255.0.3 && wait_quiet 20 bfd_up || { echo "$load: v-p not up"; teardown; continue; }
	note=""
	case $load in
	lsr) start_attacker lsr 5450; wait_quiet 30 full 10.0.0.9 || { echo "$load: attacker not Full"; teardown; continue; }
	     kill -USR1 $ATTACKER ;; # the 60 KB LSA goes in first
	dd) ;;
	flush) start_attacker flush 5000; wait_quiet 120 full 10.0.0.9 || { echo "$load: attacker not Full"; teardown; continue; } ;;
	lsu) start_attacker lsu 5000; wait_quiet 30 full 10.0.0.9 || { echo "$load: attacker not Full"; teardown; continue; } ;;
	ctl) start_attacker lsu 5000; wait_quiet 30 full 10.0.0.9 && kill -USR1 $ATTACKER; settle ;;
	esac
	settle
	late0=$(counter .bfd.timer_late_max_ms); over0=$(counter .bfd.timers_late_over_10ms)
	bfd0=$(bfd_changes); tx0=$(counter .ospf.tx_packets)
	t0=$(now_ms)
	case $load in
	dd) start_attacker dd 130800; wait_quiet 300 full 10.0.0.9 || note="attacker not Full in 300 s" ;;
	ctl) ctl_load; note="fabricctl answered in ${CTL_MS} ms" ;;
	*) kill -USR1 $ATTACKER ;;
	esac
	settle || note="$note; v not quiet in 120 s"
	t1=$(now_ms)
	late1=$(counter .bfd.timer_late_max_ms); over1=$(counter .bfd.timers_late_over_10ms)
	bfd1=$(bfd_changes); tx1=$(counter .ospf.tx_packets)
	late="$late1"; [ "$late1" = "$late0" ] && late="<=$late0"
	drop=no; [ "$bfd1" != "$bfd0" ] && drop=yes
	printf '%-6s %14s %16s %9s %10s %10s %s\n' "$load" "$late" "$((over1 - over0))" "$drop" \
		"$((tx1 - tx0))" "$((t1 - t0 - 2000))" "$note"
	teardown
done
