#!/usr/bin/env bash
# bfd.dampening: a port whose adjacency keeps failing is held out of OSPF
# for an exponentially growing time. Router a (threshold 2, 2 s doubling up
# to 8 s) and router b on one point-to-point link with BFD: a BFD Down (a
# silent failure, nftables) is the first failure and is not held; a carrier
# loss is the second and holds swp1 down for 2 s (`show bfd` and `show
# interfaces` say so, no adjacency meanwhile), after which the adjacency
# comes back by itself; the third failure holds it for 4 s.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || skip "nftables (nft) is not installed"

ns_add a && ns_add b || exit 1
veth a swp1 b swp1 || exit 1
ip -n "$(ns a)" addr add 10.255.0.1/32 dev lo; ip -n "$(ns b)" addr add 10.255.0.2/32 dev lo
ip -n "$(ns a)" addr add 10.8.0.0/31 dev swp1; ip -n "$(ns b)" addr add 10.8.0.1/31 dev swp1
conf() { # RID [DAMPENING]
	cat <<EOC
router-id = "$1";
ospf = { interfaces = ( { name = "lo"; passive = true; },
  { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; bfd = true; } ); };
bfd = { tx-interval-ms = 50; rx-interval-ms = 50; multiplier = 3; ${2:-} };
EOC
}
conf 10.255.0.1 'dampening = { threshold = 2; initial-hold-ms = 2000; maximum-hold-ms = 8000; };' >"$WORK/a.conf"
conf 10.255.0.2 >"$WORK/b.conf"
fabricd_start a "$WORK/a.conf" && fabricd_start b "$WORK/b.conf" || exit 1

full() { jctl a show neighbors | jq -e '.neighbors[] | select(.state == "Full" and .bfd == "Up")'; }
not_full() { ! full; }
held() { jctl a show bfd | jq -e --arg h "$1" '.dampened[] | select(.interface == "swp1" and .hold_ms == ($h | tonumber) and .remaining_ms > 0)'; }
wait_for "a and b Full with BFD Up" 20 full || { finish; exit 1; }
check "running-config shows dampening" bash -c "'$FABRICCTL' -s '$WORK/a.sock' show running-config | grep -q 'threshold = 2'"

# 1: BFD Down (silent failure); not held
for n in a b; do
	nsx $n nft add table netdev silent
	nsx $n nft add chain netdev silent in '{ type filter hook ingress device swp1 priority 0; policy drop; }'
done
wait_for "failure 1 (BFD Down): adjacency gone" 10 not_full
for n in a b; do nsx $n nft delete table netdev silent; done
check "failure 1 is not held" bash -c "[ \"\$('$FABRICCTL' -s '$WORK/a.sock' --json show bfd | jq '.dampened | length')\" = 0 ]"
wait_for "adjacency back after failure 1" 20 full

# 2: carrier loss; held 2 s
ip -n "$(ns b)" link set swp1 down
wait_for "failure 2 (carrier loss): swp1 held for 2000 ms" 5 held 2000
ip -n "$(ns b)" link set swp1 up
check "show interfaces says swp1 is dampened" bash -c "'$FABRICCTL' -s '$WORK/a.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp1\" and .dampened)'"
check "no adjacency while held" not_full
t0=$(now_ms)
wait_for "adjacency back by itself after the hold-down" 20 full
echo "back after $(( $(now_ms) - t0 )) ms (hold 2000 ms)"

# 3: another carrier loss; held 4 s (doubled)
ip -n "$(ns b)" link set swp1 down
wait_for "failure 3: swp1 held for 4000 ms" 5 held 4000
ip -n "$(ns b)" link set swp1 up
wait_for "adjacency back after the second hold-down" 20 full
check "events: swp1 held twice (2000, 4000 ms) and released" bash -c "'$FABRICCTL' -s '$WORK/a.sock' --json show events | jq -e '[.events[] | select(.event == \"dampening\" and .interface == \"swp1\")] | ([.[] | select(.held) | .hold_ms] == [2000, 4000]) and ([.[] | select(.held | not)] | length) >= 1'"
check "metrics: 2 dampening holds" bash -c "'$FABRICCTL' -s '$WORK/a.sock' show metrics | grep -qx 'fabricd_dampening_holds_total 2'"
finish
