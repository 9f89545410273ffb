#!/usr/bin/env bash
# Issue 10 (items 6-8): everyday commands (show route PREFIX, show database
# detail TYPE ID, clear counters, clear neighbor, Passive in show
# interfaces), events (monitor streams a silent link failure as BFD,
# neighbor, local repair, SPF and route events; show events keeps them) and
# the topology commands (show topology --dot renders with Graphviz, check
# topology against a cabling plan, show paths) on the reference fabric.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v nft >/dev/null || skip "nftables (nft) is not installed"
command -v dot >/dev/null || skip "Graphviz (dot) is not installed"
fabric_topology || exit 1
fabric_start || { fail "fabric starts"; finish; exit 1; }
wait_for "leaf1: ECMP to h2" 40 paths_are leaf1 10.2.2.0/24 2
wait_for "leaf2: ECMP to h1" 20 paths_are leaf2 10.1.1.0/24 2

# ---- show route PREFIX ----
jctl leaf1 show route 10.2.2.10 >"$WORK/route.json"
check "show route 10.2.2.10: longest match 10.2.2.0/24, 2 next hops via both spines" \
	jq -e '.prefix == "10.2.2.0/24" and .query == "10.2.2.10/32" and .installed and
	       ([.nexthops[].router_id] | sort) == ["10.255.0.3", "10.255.0.4"]' "$WORK/route.json"
check "show route: the 2 SPF paths leaf1 -> spine -> leaf2" \
	jq -e '(.paths | map(join(" ")) | sort) == ["10.255.0.1 10.255.0.3 10.255.0.2", "10.255.0.1 10.255.0.4 10.255.0.2"]' "$WORK/route.json"
check "show route (text): the path is shown" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show route 10.2.2.0/24 | grep -q 'path 10.255.0.1 -> 10.255.0.3 -> 10.255.0.2'"
check "show route 10.255.0.4 (a spine's loopback): one path" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show route 10.255.0.4 | jq -e '.prefix == \"10.255.0.4/32\" and (.paths | length) == 1'"
out=$(ctl leaf1 show route 192.0.2.1 2>&1); rc=$?
check "show route to an unknown address: exit 1, 'no route'" bash -c "[ $rc = 1 ] && grep -q 'no route to 192.0.2.1' <<<'$out'"
out=$(ctl leaf1 show route 10.2.2.300 2>&1); rc=$?
check "show route with a bad address: exit 1, 'invalid argument'" bash -c "[ $rc = 1 ] && grep -q \"invalid argument '10.2.2.300'\" <<<\"\$0\"" "$out"

# ---- show database detail [TYPE] [ID] ----
check "show database detail router 10.255.0.3: spine3's Router-LSA only" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show database detail router 10.255.0.3 | jq -e '(.lsas | length) == 1 and .lsas[0].type == \"router\" and .lsas[0].adv_router == \"10.255.0.3\" and (.lsas[0].links | length) > 0'"
check "show database detail rou (abbreviated): 4 Router-LSAs" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show database detail rou | jq -e '(.lsas | length) == 4'"
check "show database detail network: none on point-to-point links" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show database detail network | jq -e '(.lsas | length) == 0'"
check "show database detail 10.255.0.2 (any type)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show database detail 10.255.0.2 | jq -e '[.lsas[].ls_id] == [\"10.255.0.2\"]'"

# ---- show interfaces: Passive ----
check "show interfaces: swp3 and lo are Passive" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '[.interfaces[] | select(.ospf_state == \"Passive\") | .name] | sort == [\"lo\", \"swp3\"]'"
check "show interfaces (text): swp3 Passive" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show interfaces | grep '^swp3 ' | grep -q Passive"

# ---- clear counters ----
rx() { jctl leaf1 show counters | jq '.ospf.rx_packets'; }
before=$(rx)
check "clear counters (--json)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json clear counters | jq -e '.cleared == \"counters\"'"
after=$(rx)
check "clear counters: rx_packets restarts from 0 ($before -> $after)" test "$after" -lt "$before" -a "$after" -lt 20
check "clear counters: the metrics counters are not reset" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show metrics | awk '\$1 == \"fabricd_ospf_packets_received_total\" { exit !(\$2 >= $before) }'"

# ---- monitor: start it, then break things ----
monitor_start leaf1; mon=$MON_leaf1
"$FABRICCTL" -s "$WORK/leaf1.sock" monitor >"$WORK/mon.txt" 2>&1 &
remember_pid $!; mon_txt=$!
wait_for "2 monitor clients subscribed" 5 bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show metrics | grep -qx 'fabricd_monitor_clients 2'"

ev() { event leaf1 "$1"; }
# clear neighbor: the adjacency goes down and comes back
out=$(jctl leaf1 clear neighbor 10.255.0.3)
check "clear neighbor 10.255.0.3 (--json): that adjacency cleared" bash -c "jq -e '.cleared == [{\"router_id\": \"10.255.0.3\", \"address\": \"10.0.13.1\", \"interface\": \"swp1\"}]' <<<\"\$0\"" "$out"
wait_for "monitor: neighbor 10.255.0.3 Down by clear neighbor" 5 ev '.event == "neighbor" and .router_id == "10.255.0.3" and .new_state == "Down" and (.reason | test("clear neighbor"))'
wait_for "clear neighbor: the adjacency comes back Full" 20 neighbors_full leaf1 2
wait_for "monitor: neighbor 10.255.0.3 Full again (LoadingDone/ExchangeDone)" 5 ev '.event == "neighbor" and .router_id == "10.255.0.3" and .new_state == "Full"'
out=$(ctl leaf1 clear neighbor 10.9.9.9 2>&1); rc=$?
check "clear neighbor of an unknown router: exit 1" bash -c "[ $rc = 1 ] && grep -q 'no neighbor with router ID 10.9.9.9' <<<\"\$0\"" "$out"
wait_for "leaf1: ECMP to h2 again" 20 paths_are leaf1 10.2.2.0/24 2

# ---- topology while the fabric is whole ----
# (the re-originated Router-LSAs may be held back by MinLSInterval, 5 s)
wait_for "show topology: 4 routers, 4 two-way links, 2 leaves" 15 bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show topology | jq -e '(.routers | length) == 4 and ([.links[] | select(.two_way)] | length) == 4 and ([.routers[] | select(.leaf)] | length) == 2'"
check "show paths: leaf1 <-> leaf2 over 2 equal-cost paths" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show paths | jq -e '(.leaves | sort) == [\"10.255.0.1\", \"10.255.0.2\"] and ([.paths[].paths] == [2, 2])'"
check "show paths: complete (2 sources)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show paths | jq -e '.complete and .sources == 2 and .sources_done == 2'"
check "show paths 10.255.0.3: from spine3 to each leaf, 1 path" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show paths 10.255.0.3 | jq -e '[.paths[] | [.from, .to, .paths]] == [[\"10.255.0.3\", \"10.255.0.1\", 1], [\"10.255.0.3\", \"10.255.0.2\", 1]]'"
out=$(ctl leaf1 show paths 10.9.9.9 2>&1); rc=$?
check "show paths from a router not in the LSDB: exit 1" bash -c "[ $rc = 1 ] && grep -q 'router 10.9.9.9 is not in the LSDB' <<<\"\$0\"" "$out"
check "show paths (text)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show paths | grep -Eq '^10.255.0.1 +10.255.0.2 +2 +20 '"
ctl leaf1 show topology --dot >"$WORK/topo.dot"
check "show topology --dot renders with dot -Tsvg" bash -c "dot -Tsvg '$WORK/topo.dot' >'$WORK/topo.svg' && grep -q '<svg' '$WORK/topo.svg' && grep -q '10.255.0.3' '$WORK/topo.svg'"
check "check topology: show topology --dot is itself a matching plan" ctl leaf1 check topology "$WORK/topo.dot"

cat >"$WORK/plan.dot" <<'EOP'
// the reference fabric, by hostname
graph fabric {
	leaf1 [router_id="10.255.0.1"]; leaf2 [router_id="10.255.0.2"];
	spine3 [router_id="10.255.0.3"]; spine4 [router_id="10.255.0.4"];
	leaf1:swp1 -- spine3:swp1; leaf1:swp2 -- spine4:swp1;
	leaf2:swp1 -- spine3:swp2; leaf2:swp2 -- spine4:swp2;
}
EOP
out=$(ctl leaf1 check topology "$WORK/plan.dot"); rc=$?
check "check topology with the right plan: exit 0" bash -c "[ $rc = 0 ] && grep -q 'matches the plan' <<<\"\$0\"" "$out"
{ sed '$d' "$WORK/plan.dot"; echo '	leaf1 -- leaf2;'; echo '}'; } >"$WORK/plan-extra.dot"
out=$(ctl leaf1 check topology "$WORK/plan-extra.dot"); rc=$?
echo "$out"
check "check topology with a link the fabric lacks: exit 1, names it" bash -c "[ $rc = 1 ] && [ \"\$(wc -l <<<\"\$0\")\" = 1 ] && grep -q '^missing: leaf1 -- leaf2 (.*plan-extra.dot:7)' <<<\"\$0\"" "$out"
out=$(jctl leaf1 check topology "$WORK/plan-extra.dot"); rc=$?
check "check topology --json: the missing link as an object" bash -c "[ $rc = 1 ] && jq -e '(.match | not) and .differences == [{\"kind\": \"missing\", \"line\": 7, \"a\": {\"name\": \"leaf1\", \"router_id\": \"10.255.0.1\"}, \"b\": {\"name\": \"leaf2\", \"router_id\": \"10.255.0.2\"}}]' <<<\"\$0\"" "$out"
printf 'graph {\n  leaf1 -- spine3\n  leaf1 -> spine4;\n}\n' >"$WORK/plan-bad.dot"
out=$(ctl leaf1 check topology "$WORK/plan-bad.dot" 2>&1); rc=$?
echo "$out"
check "check topology with a syntax error: exit 2, file:line: message" bash -c "[ $rc = 2 ] && grep -q 'plan-bad.dot:3: .->. in an undirected graph' <<<\"\$0\"" "$out"

# ---- a silent failure of leaf1-spine3, seen by monitor ----
silent() { # add|del
	local end
	for end in "leaf1 swp1" "spine3 swp1"; do set -- $1 $end
		if [ "$1" = add ]; then
			nsx "$2" nft add table netdev silent
			nsx "$2" nft add chain netdev silent in "{ type filter hook ingress device $3 priority 0; policy drop; }"
		else
			nsx "$2" nft delete table netdev silent
		fi
	done
}
t_fail=$(now_ms)
silent add
# (only events from now on count)
wait_for "monitor: BFD to 10.0.13.1 Up -> Down (control_expired)" 5 ev ".ts_ms >= $t_fail and .event == \"bfd\" and .peer == \"10.0.13.1\" and .old_state == \"Up\" and .new_state == \"Down\" and .reason == \"control_expired\""
wait_for "monitor: neighbor 10.255.0.3 Down by BFD" 5 ev ".ts_ms >= $t_fail and .event == \"neighbor\" and .router_id == \"10.255.0.3\" and .new_state == \"Down\" and (.reason | test(\"BFD\"))"
wait_for "monitor: local repair via 10.0.13.1" 5 ev ".ts_ms >= $t_fail and .event == \"local_repair\" and .via == \"10.0.13.1\" and .interface == \"swp1\""
# SPF follows the RFC 8405 back-off, in its long wait (2 s) after the churn above
wait_for "monitor: route 10.2.2.0/24 from 2 next hops to 1" 10 ev ".ts_ms >= $t_fail and .event == \"route\" and .prefix == \"10.2.2.0/24\" and (.old_nexthops | length) == 2 and (.new_nexthops | length) == 1" ||
	jq -c --argjson t "$t_fail" 'select(.ts_ms >= $t - 3000) | del(.mono_ms)' "$WORK/leaf1.events"
wait_for "monitor: an SPF run" 5 ev ".ts_ms >= $t_fail and .event == \"spf\" and .duration_us >= 0"
check "monitor: every line is one JSON object with ts_ms" bash -c "jq -e -s 'all(.[]; (.ts_ms | type) == \"number\" and .ts_ms > 1600000000000 and (.event | type) == \"string\")' '$WORK/leaf1.events'"
wait_for "monitor (text): a BFD line" 5 grep -q ' bfd peer=10.0.13.1 .*new_state=Down' "$WORK/mon.txt"
check "show events lists the BFD and route events" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show events | jq -e '[.events[].event] | (index(\"bfd\") != null) and (index(\"route\") != null) and (index(\"local_repair\") != null)'"
check "show events 3: the last 3" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show events 3 | jq -e '(.events | length) == 3 and .events[2].seq == .published'"
check "show events (text)" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show events | grep -q 'Z neighbor router_id=10.255.0.3'"
wait_for "show paths: 1 path leaf1 <-> leaf2 with the link down" 20 bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show paths | jq -e '[.paths[].paths] == [1, 1]'" || ctl leaf1 show paths
out=$(ctl leaf1 check topology "$WORK/plan.dot"); rc=$?
echo "$out"
check "check topology with the link down: exit 1, missing leaf1:swp1 -- spine3:swp1" bash -c "[ $rc = 1 ] && grep -q '^missing: leaf1:swp1 -- spine3:swp1' <<<\"\$0\"" "$out"
silent del
wait_for "restored: ECMP back" 20 paths_are leaf1 10.2.2.0/24 2
check "monitor still running" kill -0 $mon
check "monitor (text) still running" kill -0 $mon_txt
# convergence from the events themselves (the daemon's monotonic clock)
conv=$(jq -rs --argjson t "$t_fail" 'def after(f): ([.[] | select(.ts_ms >= $t) | select(f)][0].ts_ms // null) as $x | if $x then "\($x - $t) ms" else "-" end;
	"BFD Down \(after(.event == "bfd" and .new_state == "Down")), local repair \(after(.event == "local_repair")), route 10.2.2.0/24 on 1 next hop \(after(.event == "route" and .prefix == "10.2.2.0/24" and (.new_nexthops | length) == 1))"' "$WORK/leaf1.events")
echo "leaf1, from monitor's events, after the silent failure began: $conv"
kill -INT $mon_txt
wait_for "monitor: Ctrl-C (SIGINT) ends it" 5 bash -c "! kill -0 $mon_txt 2>/dev/null"
wait $mon_txt; rc=$?
check "monitor: exit status 0 after Ctrl-C" test $rc = 0
stop_pid $mon
# carrier loss and maintenance, seen in show events
wait_for "leaf1: 2 Full neighbors again" 20 neighbors_full leaf1 2
sev() { jctl leaf1 show events | jq -e "[.events[] | select($1)] | length > 0"; }
t_carrier=$(now_ms)
ip -n "$(ns spine3)" link set swp1 down
wait_for "show events: leaf1 swp1 down, no carrier" 10 sev '.event == "interface" and .interface == "swp1" and (.up | not) and .reason == "no carrier"'
# (the kernel may tell the carrier loss after BFD has seen it: either cause)
wait_for "show events: neighbor 10.255.0.3 Down by InterfaceDown or BFD" 5 sev ".ts_ms >= $t_carrier and .event == \"neighbor\" and .router_id == \"10.255.0.3\" and .new_state == \"Down\" and (.reason | test(\"InterfaceDown|BFD\"))" ||
	jctl leaf1 show events 30 | jq -c '.events[] | del(.ts_ms, .mono_ms, .old_nexthops, .new_nexthops)'
ip -n "$(ns spine3)" link set swp1 up
wait_for "show events: leaf1 swp1 up again" 10 sev '.event == "interface" and .interface == "swp1" and .up'
ctl leaf1 maintenance on >/dev/null
# topo.dot (show topology --dot, above) holds the costs: leaf1's links now cost 65535 from leaf1
drained() { local o; o=$(ctl leaf1 check topology "$WORK/topo.dot"); [ "$(grep -c '^cost: 10.255.0.1 -- .* planned 10, found 65535 / 10 ' <<<"$o")" = 2 ]; }
wait_for "check topology: leaf1's 2 links drained (cost 65535) against the plan's cost=10" 15 drained
ctl leaf1 maintenance off >/dev/null
check "show events: maintenance on, then off" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show events | jq -e '[.events[] | select(.event == \"maintenance\") | .on] == [true, false]'"
check "metrics: adjacency flaps counted" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show metrics | awk '\$1 == \"fabricd_ospf_adjacency_flaps_total\" { exit !(\$2 >= 2) }'"
finish
