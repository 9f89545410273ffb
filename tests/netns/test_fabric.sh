#!/usr/bin/env bash
# Issue 4: the reference fabric, all fabricd (or mixed with FRR with
# MIXED=spines|leaves): 2-way ECMP routes in both leaves' kernels, h1 <-> h2
# traffic, a link failure updates both leaves and restoring it brings ECMP
# back; a fabricd restart leaves the routes in the kernel throughout.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
case ${MIXED:-} in
spines) IMPL_spine3=frr IMPL_spine4=frr ;;
leaves) IMPL_leaf1=frr IMPL_leaf2=frr ;;
esac
fabric_topology || exit 1
fabric_start || { fail "fabric starts"; finish; exit 1; }

for n in leaf1 leaf2; do
	wait_for "$n: route to the other host subnet has 2 next hops" 40 paths_are $n "$([ $n = leaf1 ] && echo 10.2.2.0/24 || echo 10.1.1.0/24)" 2
done
for n in leaf1 leaf2; do
	other=$([ $n = leaf1 ] && echo 2 || echo 1)
	wait_for "$n: route to leaf$other's loopback has 2 next hops" 10 paths_are $n 10.255.0.$other/32 2
	check "$n: routes are protocol ospf" bash -c "ip -n $(ns $n) route show 10.255.0.$other/32 | grep -q 'proto ospf'"
done
for s in spine3 spine4; do
	wait_for "$s: route to h1's subnet (1 path)" 10 paths_are $s 10.1.1.0/24 1
done
wait_for "h1 -> h2 ping" 10 nsx h1 ping -c1 -W1 10.2.2.10
check "h2 -> h1 ping" nsx h2 ping -c1 -W1 10.1.1.10

# a fabricd switch shows installed routes
fd_node=leaf1; [ "${IMPL_leaf1:-fabricd}" = frr ] && fd_node=spine3
check "$fd_node: show routes says installed" bash -c "'$FABRICCTL' -s '$WORK/$fd_node.sock' --json show routes | jq -e '[.routes[] | select(.installed)] | length > 0'"
check "$fd_node: show fib matches the kernel" bash -c "'$FABRICCTL' -s '$WORK/$fd_node.sock' --json show fib | jq -e '[.fib[] | select(.match | not)] | length == 0'"

# link failure: carrier loss on leaf1-spine3 (the spine side goes down)
ip -n "$(ns spine3)" link set swp1 down
wait_for "leaf1: falls to 1 next hop after leaf1-spine3 fails" 10 paths_are leaf1 10.2.2.0/24 1
wait_for "leaf2: falls to 1 next hop towards h1" 10 paths_are leaf2 10.1.1.0/24 1
wait_for "traffic flows over the other spine" 10 nsx h1 ping -c1 -W1 10.2.2.10
ip -n "$(ns spine3)" link set swp1 up
wait_for "leaf1: ECMP back after restore" 20 paths_are leaf1 10.2.2.0/24 2
wait_for "leaf2: ECMP back after restore" 10 paths_are leaf2 10.1.1.0/24 2

# restart: an unclean stop (kill -9) leaves our routes in the kernel; the
# new instance keeps them until its first SPF over a synchronized database,
# then replaces them and removes what is stale.
if [ "${IMPL_leaf1:-fabricd}" = fabricd ]; then
	watch_routes() { while :; do
		case "$(route_paths leaf1 10.2.2.0/24)" in
		0) echo gap >>"$WORK/gap" ;;
		1) echo "narrowed $(date +%T.%3N)" >>"$WORK/narrowed" ;;
		esac
		sleep 0.01; done; }
	watch_routes & wpid=$!; remember_pid $wpid
	kill -9 "$PID_leaf1"
	ip -n "$(ns leaf1)" route add 10.99.0.0/24 via 10.0.13.1 proto 188 metric 20
	fabricd_start leaf1 "$WORK/leaf1.conf"
	wait_for "restarted leaf1: 2 Full neighbors" 20 neighbors_full leaf1 2
	wait_for "restarted leaf1: stale route of the earlier run removed" 15 bash -c "[ -z \"\$(ip -n $(ns leaf1) route show 10.99.0.0/24)\" ]"
	wait_for "restarted leaf1: ECMP route present" 10 paths_are leaf1 10.2.2.0/24 2
	stop_pid $wpid
	check "no gap in leaf1's route across the restart" test ! -e "$WORK/gap"
	check "leaf1's route kept both next hops across the restart" test ! -e "$WORK/narrowed"
	fabricd_stop leaf1
	wait_for "clean stop: leaf1's routes removed" 5 paths_are leaf1 10.2.2.0/24 0
fi
finish
