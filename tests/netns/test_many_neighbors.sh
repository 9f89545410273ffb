#!/usr/bin/env bash
# Issue 8 item 4: no fixed limit where a fabric grows. A hub fabricd with
# N (default 300, more than 256) point-to-point ports, each a veth to its own
# router: tests/netns/ospfpeer runs N proto/ospf engines (router ids
# 10.254.0.1 + k, a loopback /32 each) in one process. Asserts: N Full
# adjacencies on the hub, a kernel route to every peer's loopback (none
# dropped past the 256th neighbor), every peer holds the whole database, show
# interfaces lists every port. bench/many_neighbors.sh runs it bigger.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
N=${N:-300}
PEER=${PEER:-$BUILD/tests/netns/ospfpeer}
[ -x "$PEER" ] || skip "ospfpeer not built ($PEER)"
ip2s() { echo "$(( $1 >> 24 & 255 )).$(( $1 >> 16 & 255 )).$(( $1 >> 8 & 255 )).$(( $1 & 255 ))"; }
BASE=$(( 10 << 24 | 128 << 16 )) # 10.128.0.0: port k is 10.128.0.0 + 2k /31

ns_add hub && ns_add peers || exit 1
t0=$(now_ms)
for k in $(seq 0 $((N - 1))); do echo "link add p$k netns $(ns hub) type veth peer name q$k netns $(ns peers)"; done | ip -batch - || exit 1
for k in $(seq 0 $((N - 1))); do echo "addr add $(ip2s $((BASE + 2 * k)))/31 dev p$k"; echo "link set p$k up"; done | ip -n "$(ns hub)" -batch - || exit 1
for k in $(seq 0 $((N - 1))); do echo "addr add $(ip2s $((BASE + 2 * k + 1)))/31 dev q$k"; echo "link set q$k up"; done | ip -n "$(ns peers)" -batch - || exit 1
ip -n "$(ns hub)" addr add 10.255.0.1/32 dev lo
echo "$N veth pairs made in $(( $(now_ms) - t0 )) ms"

{
	echo 'router-id = "10.255.0.1";'
	echo 'ospf = { area = "0.0.0.0"; interfaces = ( { name = "lo"; passive = true; }'
	for k in $(seq 0 $((N - 1))); do
		echo ", { name = \"p$k\"; network = \"point-to-point\"; hello-interval = 2; dead-interval = 8; }"
	done
	echo '); };'
} >"$WORK/hub.conf"
t0=$(now_ms)
fabricd_start hub "$WORK/hub.conf" || { fail "fabricd starts with $N ports"; finish; exit 1; }
nsx peers "$PEER" q "$N" 10.254.0.1 2 8 >"$WORK/peers.out" 2>"$WORK/peers.err" &
remember_pid $!

hub_full() { [ "$(jctl hub show neighbors | jq '[.neighbors[] | select(.state == "Full")] | length')" = "$N" ]; }
hub_routes() { [ "$(ip -n "$(ns hub)" route show proto ospf | grep -c '^10\.254\.')" = "$N" ]; }
peers_synced() { tail -1 "$WORK/peers.out" | grep -q "full=$N/$N lsdb_min=$((N + 1)) "; }
wait_for "hub: $N neighbors Full" 180 hub_full
echo "hub: $N adjacencies Full $(( $(now_ms) - t0 )) ms after start"
wait_for "hub: a kernel route to each of the $N peers' loopbacks" 60 hub_routes
echo "hub: $N routes installed $(( $(now_ms) - t0 )) ms after start"
wait_for "every peer Full with the hub and holding all $((N + 1)) Router-LSAs" 60 peers_synced
echo "peers: $(tail -1 "$WORK/peers.out")"
check "hub: show interfaces lists all $N ports up" bash -c "'$FABRICCTL' -s '$WORK/hub.sock' --json show interfaces | jq -e '[.interfaces[] | select(.ospf_state == \"Point-To-Point\")] | length == $N'"
check "hub: the last peer's loopback goes via its own port" bash -c "ip -n $(ns hub) route show $(ip2s $(( (10 << 24 | 254 << 16) + N ))) | grep -q 'dev p$((N - 1)) '"
check "hub: show routes has every peer's loopback installed" bash -c "'$FABRICCTL' -s '$WORK/hub.sock' --json show routes | jq -e '[.routes[] | select((.prefix | startswith(\"10.254.\")) and .installed)] | length == $N'"
finish
