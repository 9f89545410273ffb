#!/bin/bash
# tests/netns/test_fib.sh: fib/ against a real kernel, in its own namespaces.
#
#   sudo tests/netns/test_fib.sh        (FIBTOOL=path overrides the binary)
#
# Namespace fib (lib.sh names it) has veth ports swp1/swp2 to peer, next hops
# 10.0.1.1 and 10.0.2.1.  tests/netns/fibtool drives the fib API; results are
# checked with `ip -n NS route` / `ip -n NS nexthop`.  Prints PASS/FAIL lines,
# exits 0 when all pass, 1 otherwise; removes every namespace and process it
# made, also on failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
FIBTOOL=${FIBTOOL:-$BUILD/tests/netns/fibtool}
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$FIBTOOL" ] || { echo "FAIL fibtool not built: $FIBTOOL"; exit 1; }
TMP=$WORK
MONPID=
# the tool runs as a co-process; lib.sh's cleanup stops it by pid
pass() { ok "$@"; }
# wait_until DEADLINE_MS COMMAND...: poll until the command succeeds.
wait_until() {
	local end=$(( $(now_ms) + $1 )); shift
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.01
	done
}

# ---- topology ----
ns_add fib && ns_add peer || exit 1
NS=$(ns fib); PEER=$(ns peer)
for i in 1 2; do
	veth fib swp$i peer swp$i || exit 1
	ip -n "$NS" addr add 10.0.$i.0/31 dev swp$i
	ip -n "$PEER" addr add 10.0.$i.1/31 dev swp$i
done

# ---- fibtool as a co-process: one command, reply lines up to ok/err ----
TOOLPID=
start_tool() {
	coproc FT { exec ip netns exec "$NS" "$FIBTOOL" "$@" 2>&1; }
	TOOLPID=$FT_PID
	remember_pid "$TOOLPID"
}
stop_tool() {
	[ -n "$TOOLPID" ] || return 0
	{ echo quit >&"${FT[1]}"; } 2>/dev/null
	wait_until 3000 eval '! kill -0 "$TOOLPID" 2>/dev/null' || kill "$TOOLPID" 2>/dev/null
	wait "$TOOLPID" 2>/dev/null
	TOOLPID=
}
OUT=()
LAST=
ask() {
	OUT=(); LAST=timeout
	echo "$*" >&"${FT[1]}" || return 1
	while IFS= read -t 10 -r line <&"${FT[0]}"; do
		OUT+=("$line")
		case $line in ok*|err*) LAST=$line; return 0 ;; esac
	done
	return 1
}
ask_ok() { ask "$@" && [[ $LAST == ok* ]]; }

route() { ip -n "$NS" route show "$1"; }
has_multipath() { # PREFIX: proto ospf, metric 20, both next hops
	local r; r=$(route "$1")
	[[ $r == *"proto ospf"* && $r == *"metric 20"* && \
	   $r == *"nexthop via 10.0.1.1 dev swp1"* && $r == *"nexthop via 10.0.2.1 dev swp2"* ]]
}
only_swp2() { # PREFIX: a single next hop via swp2
	local r; r=$(route "$1")
	[[ $r == *"via 10.0.2.1 dev swp2"* && $r != *"10.0.1.1"* && $r == *"proto ospf"* ]]
}
gone() { [ -z "$(route "$1")" ]; }
no_ospf_state() {
	[ -z "$(ip -n "$NS" route show proto ospf)" ] && [ -z "$(ip -n "$NS" nexthop show 2>/dev/null)" ]
}

# ---- nexthop groups ----
start_tool run
if ask_ok mode && [ "$LAST" = "ok nhg=1" ]; then
	pass "nexthop groups detected"
	check "set: two multipath routes" ask_ok set 10.10.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
	ask_ok set 10.11.0.0/24 20 10.0.2.1@swp2 10.0.1.1@swp1
	ask_ok set 10.12.0.0/24 20 10.0.1.1@swp1
	check "kernel: multipath proto ospf via nexthop group" has_multipath 10.10.0.0/24
	nh10=$(route 10.10.0.0/24 | sed -n 's/.*nhid \([0-9]*\).*/\1/p')
	nh11=$(route 10.11.0.0/24 | sed -n 's/.*nhid \([0-9]*\).*/\1/p')
	check "one group shared by routes with the same next hops" \
		test -n "$nh10" -a "$nh10" = "$nh11"
	check "group object has protocol ospf" \
		eval '[[ $(ip -n "$NS" nexthop show id "$nh10") == *"group"*"proto ospf"* ]]'
	ask_ok state 10.10.0.0/24
	check "route reported installed" test "$LAST" = "ok installed=1 err=0"
	# replace: new next-hop set, then back
	ask_ok set 10.11.0.0/24 20 10.0.2.1@swp2
	check "replace changes the route" only_swp2 10.11.0.0/24
	ask_ok set 10.11.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
	check "replace back to multipath" has_multipath 10.11.0.0/24
	# a kernel refusal comes back as an error for that route
	ask set 10.13.0.0/24 20 10.9.9.9@swp1
	check "bad gateway reported as not installed" \
		eval '[[ $LAST == "ok installed=0" && "${OUT[*]}" == *"result 10.13.0.0/24 err"* ]]'
	ask_ok del 10.13.0.0/24
	# local repair of swp1: one message for all routes
	ask_ok repair-if swp1
	check "repair swp1 with groups takes one message ($LAST)" test "$LAST" = "ok msgs=1"
	check "repair: 10.10/24 left with swp2 only" only_swp2 10.10.0.0/24
	check "repair: 10.11/24 left with swp2 only" only_swp2 10.11.0.0/24
	check "repair: route only via swp1 removed" gone 10.12.0.0/24
	ask_ok state 10.12.0.0/24
	check "withdrawn route reported (ENETDOWN)" test "$LAST" = "ok installed=0 err=100"
	ask_ok set 10.12.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
	check "restored route after repair" has_multipath 10.12.0.0/24
	ask_ok del 10.12.0.0/24
	check "delete removes the route" gone 10.12.0.0/24
	stop_tool

	# a second run finds what the first one left, then reconciles
	start_tool run
	ask_ok list
	check "earlier run's routes listed (${#OUT[@]} lines)" \
		eval '[[ "${OUT[*]}" == *"route 10.10.0.0/24 metric 20 nh 10.0.2.1@swp2"* && "${OUT[*]}" == *"route 10.11.0.0/24 metric 20 nh 10.0.2.1@swp2"* && $LAST == "ok 2" ]]'
	ask_ok set 10.10.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
	ask_ok reconcile
	check "reconcile removes stale route and objects ($LAST)" \
		eval '[[ $LAST == "ok removed="[1-9]* ]] && gone 10.11.0.0/24 && has_multipath 10.10.0.0/24'
	check "only our live nexthop objects remain" \
		test "$(ip -n "$NS" nexthop show | wc -l)" = 3
	ask_ok flush
	check "flush removes every route and nexthop object" no_ospf_state
	stop_tool
else
	fail "nexthop groups detected ($LAST)"
fi

# ---- RTA_MULTIPATH (-m) ----
start_tool -m run
ask_ok mode
check "-m forces RTA_MULTIPATH" test "$LAST" = "ok nhg=0"
ask_ok set 10.20.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
ask_ok set 10.21.0.0/24 20 10.0.1.1@swp1 10.0.2.1@swp2
ask_ok set 10.22.0.0/24 20 10.0.1.1@swp1
check "multipath route without group" \
	eval 'has_multipath 10.20.0.0/24 && [[ $(route 10.20.0.0/24) != *nhid* ]]'
ask_ok set 10.21.0.0/24 30 10.0.2.1@swp2
check "metric change replaces (no duplicate)" \
	eval '[ "$(route 10.21.0.0/24 | grep -c proto)" = 1 ] && [[ $(route 10.21.0.0/24) == *"metric 30"* ]]'
ask_ok repair-nh 10.0.1.1 swp1
check "repair without groups: one message per affected route ($LAST)" test "$LAST" = "ok msgs=2"
check "repair -m: 10.20/24 left with swp2 only" only_swp2 10.20.0.0/24
check "repair -m: route only via swp1 removed" gone 10.22.0.0/24
ask_ok flush
check "flush (-m)" no_ospf_state
stop_tool

# ---- on-link next hops (unnumbered ports), with groups and without ----
onlink_mixed() { # PREFIX: on-link via 10.255.0.3 on swp1 plus the plain swp2 path
	local r; r=$(route "$1")
	[[ $r == *"via 10.255.0.3 dev swp1 weight 1 onlink"* && $r == *"via 10.0.2.1 dev swp2 weight 1"* ]]
}
for mode in "" -m; do
	start_tool $mode run
	ask_ok set 10.30.0.0/24 20 10.255.0.3@swp1:onlink 10.0.2.1@swp2
	ask_ok set 10.31.0.0/32 20 10.255.0.3@swp1:onlink
	check "onlink ${mode:-nhg}: ECMP of an on-link and a plain next hop" onlink_mixed 10.30.0.0/24
	check "onlink ${mode:-nhg}: a lone on-link next hop" \
		eval '[[ $(route 10.31.0.0/32) == *"via 10.255.0.3 dev swp1"*"onlink"* ]]'
	ask_ok list
	check "onlink ${mode:-nhg}: read back from the kernel as on-link" \
		eval '[[ "${OUT[*]}" == *"route 10.31.0.0/32 metric 20 nh 10.255.0.3@swp1:onlink"* ]]'
	ask_ok repair-nh 10.255.0.3 swp1
	check "onlink ${mode:-nhg}: repair leaves the plain path" only_swp2 10.30.0.0/24
	check "onlink ${mode:-nhg}: repair removes the on-link-only route" gone 10.31.0.0/32
	ask_ok flush
	stop_tool
done

# ---- link and address monitor ----
ip netns exec "$NS" "$FIBTOOL" monitor >"$TMP/mon" 2>&1 &
MONPID=$!
remember_pid $MONPID
mon_has() { grep -q -- "$1" "$TMP/mon"; }
mon_new() { tail -n +"$(( $2 + 1 ))" "$TMP/mon" | grep -q -- "$1"; }
if wait_until 5000 mon_has '^ready'; then
	check "replay reports links and addresses" \
		eval 'mon_has "name=swp1 admin=1 oper=1 carrier=1 mtu=1500 lo=0" && mon_has "name=lo .* lo=1" && mon_has "addr add ifindex=.* 10.0.2.0/31 secondary=0"'
	event() { # event NAME PATTERN DEADLINE_MS COMMAND...
		local name=$1 pat=$2 dl=$3; shift 3
		local from t0 t1 te
		from=$(wc -l <"$TMP/mon"); t0=$(now_ms)
		"$@"
		t1=$(now_ms)
		if wait_until "$dl" mon_new "$pat" "$from"; then
			# The monitor stamps each line when its callback runs.
			te=$(tail -n +"$(( from + 1 ))" "$TMP/mon" | grep -- "$pat" | head -1 |
				sed -n 's/.* t=\([0-9]*\)$/\1/p')
			pass "$name (callback $(( te - t0 )) ms after the command started; ip ran $(( t1 - t0 )) ms)"
		else
			fail "$name (no '$pat' within $dl ms)"
		fi
	}
	# Carrier changes go through the kernel's linkwatch (up to ~1 s).
	event "carrier down reported" "name=swp1 admin=1 oper=0 carrier=0" 3000 \
		ip -n "$PEER" link set swp1 down
	event "carrier up reported" "name=swp1 admin=1 oper=1 carrier=1" 3000 \
		ip -n "$PEER" link set swp1 up
	event "admin down reported" "name=swp2 admin=0" 1000 ip -n "$NS" link set swp2 down
	event "admin up reported" "name=swp2 admin=1" 1000 ip -n "$NS" link set swp2 up
	event "mtu change reported" "name=swp2 .*mtu=9000" 1000 ip -n "$NS" link set swp2 mtu 9000
	event "address add reported" "addr add ifindex=.* 10.77.0.1/24 secondary=0" 1000 \
		ip -n "$NS" addr add 10.77.0.1/24 dev swp2
	event "secondary address reported" "addr add ifindex=.* 10.77.0.2/24 secondary=1" 1000 \
		ip -n "$NS" addr add 10.77.0.2/24 dev swp2
	event "address del reported" "addr del ifindex=.* 10.77.0.2/24" 1000 \
		ip -n "$NS" addr del 10.77.0.2/24 dev swp2
	event "new link reported" "name=hfibx" 1000 \
		ip -n "$NS" link add hfibx type veth peer name hfiby
	event "link delete reported" "dellink ifindex=.* name=hfibx" 1000 \
		ip -n "$NS" link del hfibx
else
	fail "monitor did not start: $(cat "$TMP/mon")"
fi

stop_tool
finish
