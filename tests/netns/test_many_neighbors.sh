#!/usr/bin/env bash
# Issue 8 item 4: no fixed limit where a fabric grows. A hub fabricd with
# N (default 300, more than 256) point-to-point ports, each a veth to its own
# router: tests/netns/ospfpeer runs N proto/ospf engines (router ids
# 10.254.0.1 + k, a loopback /32 each) in one process. Asserts: N Full
# adjacencies on the hub, a kernel route to every peer's loopback (none
# dropped past the 256th neighbor), every peer holds the whole database, show
# interfaces lists every port; a BFD session Up on every port (the peers'
# side: tests/netns/bfdpeer), and a silent failure of the last port taken
# down by BFD before the dead interval. bench/many_neighbors.sh runs it
# bigger.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/hub.sh"
source "$(dirname "$0")/fabric.sh" # fabric_silent
N=${N:-300}
[ -x "$PEER" ] || skip "ospfpeer not built ($PEER)"

t0=$(now_ms)
hub_topology "$N" || exit 1
echo "$N veth pairs made in $(( $(now_ms) - t0 )) ms"
command -v nft >/dev/null || skip "nftables (nft) is not installed"
hub_conf_fabricd "$N" 3 15 500 >"$WORK/hub.conf"
t0=$(now_ms)
fabricd_start hub "$WORK/hub.conf" || { fail "fabricd starts with $N ports"; finish; exit 1; }
hub_peers_start "$N" 3 15
hub_bfd_start "$N" 500

# Hello 3 s, dead 15 s, BFD 500 ms x 3: some slack for a busy machine (and
# the sanitizer build). Polls of the hub's state are spaced (slow), so that
# 300-row show commands do not take the CPU the hub needs.
slow() { sleep 0.5; "$@"; }
hub_full() { [ "$(jctl hub show neighbors | jq '[.neighbors[] | select(.state == "Full")] | length')" = "$N" ]; }
routes_all() { [ "$(hub_routes)" = "$N" ]; }
wait_for "hub: $N neighbors Full" 240 slow hub_full
echo "hub: $N adjacencies Full $(( $(now_ms) - t0 )) ms after start"
wait_for "hub: a kernel route to each of the $N peers' loopbacks" 60 slow routes_all
echo "hub: $N routes installed $(( $(now_ms) - t0 )) ms after start"
wait_for "every peer Full with the hub and holding all $((N + 1)) Router-LSAs" 60 hub_peers_synced "$N"
echo "peers: $(tail -1 "$WORK/peers.out")"
check "hub: show interfaces lists all $N ports up" bash -c "'$FABRICCTL' -s '$WORK/hub.sock' --json show interfaces | jq -e '[.interfaces[] | select(.ospf_state == \"Point-To-Point\")] | length == $N'"
check "hub: the last peer's loopback goes via its own port" bash -c "ip -n $(ns hub) route show $(ip2s $(( (10 << 24 | 254 << 16) + N ))) | grep -q 'dev p$((N - 1)) '"
check "hub: show routes has every peer's loopback installed" bash -c "'$FABRICCTL' -s '$WORK/hub.sock' --json show routes | jq -e '[.routes[] | select((.prefix | startswith(\"10.254.\")) and .installed)] | length == $N'"

bfd_all_up() { [ "$(jctl hub show bfd | jq '[.sessions[] | select(.state == "Up")] | length')" = "$N" ]; }
wait_for "hub: $N BFD sessions Up" 60 slow bfd_all_up
check "hub: no BFD session refused" bash -c "'$FABRICCTL' -s '$WORK/hub.sock' --json show counters | jq -e '.bfd.sessions_refused == 0'"
last=$((N - 1)) lastlo=$(ip2s $(( (10 << 24 | 254 << 16) + N )))
fabric_silent add hub "p$last" peers "q$last"
t0=$(now_ms)
last_gone() { ! ip -n "$(ns hub)" route show "$lastlo" | grep -q .; }
wait_for "silent failure of port $last: BFD takes the route to $lastlo out" 10 last_gone
echo "silent failure: route to the last peer removed $(( $(now_ms) - t0 )) ms after the cut (dead interval 15000 ms)"
check "hub: the other $last peers' routes stay" test "$(hub_routes)" = "$last"
finish
