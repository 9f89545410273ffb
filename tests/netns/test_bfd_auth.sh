#!/usr/bin/env bash
# BFD authentication (RFC 5880 6.7) between two fabricd (a also runs with
# bfd.realtime-priority): sessions come Up
# with meticulous keyed SHA1; the key is rolled over by reloads without the
# session ever leaving Up; a wrong key on one side takes BFD (and with it the
# OSPF adjacency, RFC 5882) down and counts the drops, while OSPF comes back
# without waiting for BFD; the right key brings BFD back.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ns_add a && ns_add b || exit 1
ip -n "$(ns a)" addr add 10.255.0.1/32 dev lo
ip -n "$(ns b)" addr add 10.255.0.2/32 dev lo
veth a swp1 b swp1 || exit 1
ip -n "$(ns a)" addr add 10.9.0.0/31 dev swp1
ip -n "$(ns b)" addr add 10.9.0.1/31 dev swp1

conf() { # NODE ROUTER-ID KEYS: write NODE's config with those BFD keys
	cat >"$WORK/$1.conf" <<EOC
router-id = "$2";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; hello-interval = 1; dead-interval = 3; bfd = true; }
  );
};
bfd = {
  tx-interval-ms = 50; rx-interval-ms = 50; multiplier = 3;
  auth = "meticulous-keyed-sha1";
  keys = ( $3 );
  realtime-priority = $([ "$1" = a ] && echo 5 || echo 0);
};
EOC
}
K3='{ id = 3; secret = "fabric-bfd-key-three"; }'
K4='{ id = 4; secret = "fabric-bfd-key-4"; }'
K5='{ id = 5; secret = "not-the-right-key"; }'
conf a 10.255.0.1 "$K3"
conf b 10.255.0.2 "$K3"
fabricd_start a "$WORK/a.conf" && fabricd_start b "$WORK/b.conf" || { fail "fabricd starts"; finish; exit 1; }

bfd_state() { jctl "$1" show bfd | jq -r '.sessions[0].state // "none"'; }
bfd_is() { [ "$(bfd_state "$1")" = "$2" ]; }
bfd_not() { [ "$(bfd_state "$1")" != "$2" ]; }
full() { jctl "$1" show neighbors | jq -e '[.neighbors[] | select(.state == "Full")] | length == 1'; }
auth_drops() { jctl "$1" show counters | jq '.bfd.drops.auth_failed // 0'; }
pkts_in() { jctl "$1" show bfd | jq '.sessions[0].counters.packets_in // 0'; }
more_pkts() { [ "$(pkts_in "$1")" -gt "$2" ]; }
reload() { # NODE KEYS
	local rid=10.255.0.1
	[ "$1" = b ] && rid=10.255.0.2
	conf "$1" $rid "$2"
	ctl "$1" reload >/dev/null
}

wait_for "a and b Full" 20 full a
wait_for "a: BFD Up with meticulous keyed SHA1" 10 bfd_is a Up
wait_for "b: BFD Up" 5 bfd_is b Up
check "show bfd says meticulous-keyed-sha1" bash -c "'$FABRICCTL' -s '$WORK/a.sock' --json show bfd | jq -e '.sessions[0].auth == \"meticulous-keyed-sha1\"'"
check "running-config shows the BFD auth" bash -c "'$FABRICCTL' -s '$WORK/a.sock' show running-config | grep -q 'auth = \"meticulous-keyed-sha1\"'"
check "no authentication drops so far" test "$(auth_drops a)" = 0
bfd_tid() { grep -l '^fabricd-bfd$' /proc/$1/task/*/comm | head -1 | cut -d/ -f5; }
check "a's BFD thread runs SCHED_FIFO 5 (bfd.realtime-priority)" bash -c "chrt -p $(bfd_tid $PID_a) | grep -q 'SCHED_FIFO' && chrt -p $(bfd_tid $PID_a) | grep -q 'priority: 5'"
check "a's main thread stays in the normal class" bash -c "chrt -p $PID_a | grep -q 'SCHED_OTHER'"
check "b stays in the normal class" bash -c "chrt -p $(bfd_tid $PID_b) | grep -q 'SCHED_OTHER'"

# Hitless key rollover: a accepts 4 as well, b signs with 4, a signs with 4.
reload a "$K3, $K4"
reload b "$K4, $K3"
n=$(pkts_in a)
wait_for "rollover: a accepts b's packets signed with key 4" 5 more_pkts a $((n + 20))
reload a "$K4"
n=$(pkts_in b)
wait_for "rollover: b accepts a's packets signed with key 4" 5 more_pkts b $((n + 20))
check "rollover: a's session never left Up" bash -c "! grep -q 'bfd 10.9.0.1 on swp1: Up -> Down' '$WORK/a.log'"
check "rollover: b's session never left Up" bash -c "! grep -q 'bfd 10.9.0.0 on swp1: Up -> Down' '$WORK/b.log'"
check "rollover: still no authentication drops" test "$(auth_drops a)" = 0

# Wrong key on b: packets fail authentication, BFD goes down.
reload b "$K5"
wait_for "wrong key: a's BFD session leaves Up" 5 bfd_not a Up
drops_counted() { [ "$(auth_drops a)" -gt 0 ]; }
wait_for "wrong key: a counts authentication failures" 5 drops_counted
check "wrong key: a's log says BFD went Up -> Down" grep -q 'bfd 10.9.0.1 on swp1: Up -> Down' "$WORK/a.log"
wait_for "wrong key: OSPF Full again without BFD" 20 full a
check "wrong key: BFD is still not Up" bfd_not a Up
reload b "$K4"
wait_for "right key again: BFD Up on a" 10 bfd_is a Up
wait_for "right key again: BFD Up on b" 5 bfd_is b Up
finish
