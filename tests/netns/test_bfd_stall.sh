#!/usr/bin/env bash
# BFD on a busy host: when the BFD process is not scheduled for longer than
# its detection time while the peer keeps sending, the peer's packets wait in
# the socket; they count (RFC 5880 6.8.4), so the session must stay Up
# instead of timing out on wake-up and telling the peer Down.
# a: tx 200 ms, rx 20 ms x 3 -> a's detection time of b is 60 ms
# b: tx 20 ms, rx 20 ms x 3  -> b's detection time of a is 600 ms
# a is stopped (SIGSTOP) for 200 ms: b hears nothing wrong, a's detection
# time passes with b's packets queued.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
BFDPEER=${BFDPEER:-$BUILD/tests/netns/bfdpeer}
[ -x "$BFDPEER" ] || skip "no bfdpeer at $BFDPEER (build first)"

ns_add a && ns_add b || exit 1
veth a swp1 b swp1 || exit 1
ip -n "$(ns a)" addr add 10.7.0.0/31 dev swp1
ip -n "$(ns b)" addr add 10.7.0.1/31 dev swp1

ip netns exec "$(ns a)" "$BFDPEER" swp1 10.7.0.0 10.7.0.1 200 20 3 >"$WORK/a.log" 2>&1 &
PA=$!; remember_pid $PA
ip netns exec "$(ns b)" "$BFDPEER" swp1 10.7.0.1 10.7.0.0 20 20 3 >"$WORK/b.log" 2>&1 &
PB=$!; remember_pid $PB

up() { grep -q -- '-> Up' "$WORK/$1.log"; }
wait_for "a: session Up" 10 up a
wait_for "b: session Up" 10 up b

# a's packets_in, from its SHOW line (SIGUSR1)
pkts_in() {
	local n; n=$(grep -c '^SHOW' "$WORK/a.log")
	kill -USR1 $PA
	wait_quiet 5 bash -c "[ \$(grep -c '^SHOW' '$WORK/a.log') -gt $n ]" || { echo 0; return; }
	grep '^SHOW' "$WORK/a.log" | tail -1 | cut -d' ' -f2- | jq '.sessions[0].counters.packets_in'
}
more_than() { [ "$(pkts_in)" -gt "$1" ]; }

for stall in 1 2 3; do
	before=$(pkts_in)
	kill -STOP $PA
	sleep 0.2           # the stall itself: 200 ms > a's 60 ms detection time
	kill -CONT $PA
	wait_for "stall $stall: a hears b again" 5 more_than $((before + 10))
done
check "a never left Up across the stalls" bash -c "! grep -q 'Up -> Down' '$WORK/a.log'"
check "b never left Up across the stalls" bash -c "! grep -q 'Up -> Down' '$WORK/b.log'"
finish
