#!/bin/bash
# BFD in network namespaces: bfdpeer <-> bfdpeer, bfdpeer <-> FRR bfdd,
# silent link failure (nftables ingress drop) and AdminDown.
# Needs root, iproute2, nftables, FRR (zebra, bfdd, vtysh) and a built
# tests/netns/bfdpeer. Usage: tests/netns/test_bfd_frr.sh [path/to/bfdpeer]
set -uo pipefail
source "$(dirname "$0")/lib.sh"
BFDPEER=${1:-$BUILD/tests/netns/bfdpeer}
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$BFDPEER" ] || skip "no bfdpeer binary at $BFDPEER (make first)"
command -v nft >/dev/null || skip "nftables (nft) not installed"
[ -x /usr/lib/frr/bfdd ] || skip "FRR bfdd not installed"
mono() { date +%s.%N; }   # bfdpeer stamps its lines with CLOCK_REALTIME too

ns_add a && ns_add b || exit 1
NA=$(ns a)           # 10.1.0.0: bfdpeer, later FRR
NB=$(ns b)           # 10.1.0.1: bfdpeer
veth a swp1 b swp1 || exit 1
ip -n $NA addr add 10.1.0.0/31 dev swp1
ip -n $NB addr add 10.1.0.1/31 dev swp1
TMPD=$WORK

# start_peer NS LOG LOCAL PEER: run bfdpeer (100 ms x 3); its pid in $LASTPID.
start_peer() {
	ip netns exec "$1" "$BFDPEER" swp1 "$3" "$4" 100 100 3 >"$2" 2>&1 &
	LASTPID=$!
	remember_pid $!
}
# show NS PID LOG: ask bfdpeer for its JSON, print the last SHOW line.
show_json() {
	local n; n=$(grep -c '^SHOW' "$3")
	kill -USR1 "$2"
	wait_quiet 5 bash -c "[ \$(grep -c '^SHOW' '$3') -gt $n ]" || return 1
	grep '^SHOW' "$3" | tail -1 | cut -d' ' -f2-
}
# jq-free JSON checks with python
json_check() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$1"; }
count() { grep -c -- "$2" "$1" 2>/dev/null; }
# A silent failure: every frame dropped at ingress on both ends, link up.
# The chains are made beforehand and the drop rules go in in parallel, so
# that neither end hears the other's Down once its own detection fires.
nft_prepare() { ip netns exec "$1" nft add table netdev hbfd && ip netns exec "$1" nft add chain netdev hbfd in \
	"{ type filter hook ingress device swp1 priority 0; policy accept; }"; }
cut_link() {
	nft_prepare $NA && nft_prepare $NB || return 1
	T0=$(mono)
	ip netns exec $NA nft add rule netdev hbfd in drop & local p1=$!
	ip netns exec $NB nft add rule netdev hbfd in drop & local p2=$!
	wait $p1 && wait $p2 || return 1
	T1=$(mono)
}
heal_link() { ip netns exec $NA nft delete table netdev hbfd; ip netns exec $NB nft delete table netdev hbfd; }
# down_delay LOG T0: seconds from T0 to the first control_expired Down in LOG
down_delay() { awk -v t0="$2" '/-> Down diag=control_expired/ { printf "%.3f\n", $2 - t0; exit }' "$1"; }

# ---- 1. bfdpeer <-> bfdpeer -------------------------------------------------
LA=$TMPD/a.log; LB=$TMPD/b.log
start_peer $NA "$LA" 10.1.0.0 10.1.0.1; PA=$LASTPID
start_peer $NB "$LB" 10.1.0.1 10.1.0.0; PB=$LASTPID
if wait_quiet 10 grep -q -- '-> Up' "$LA" && wait_quiet 10 grep -q -- '-> Up' "$LB"; then
	ok "bfdpeer <-> bfdpeer reaches Up"
else
	fail "bfdpeer <-> bfdpeer Up"; cat "$LA" "$LB"
fi
J=$(show_json $NB "$PB" "$LB")
if json_check "$J" 'd["sessions"][0]["state"]=="Up" and d["sessions"][0]["tx_interval_ms"]==100 and d["sessions"][0]["rx_interval_ms"]==100 and d["sessions"][0]["detect_time_ms"]==300 and d["sessions"][0]["peer"]=="10.1.0.0" and d["sessions"][0]["remote_discr"]!=0'; then
	ok "show json: Up, 100/100 ms, detect 300 ms"
else
	fail "show json: $J"
fi

# ---- GTSM: a packet with TTL != 255 is dropped and counted ------------------
ip netns exec $NA python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 64)
s.sendto(bytes.fromhex("20400318000000070000000000989680000f424000000000"), ("10.1.0.1", 3784))'
ttl_counted() {
	show_json $NB "$PB" "$LB" >/dev/null
	json_check "$(grep '^COUNTERS' "$LB" | tail -1 | cut -d' ' -f2-)" 'd["drops"]["ttl"]>=1'
}
if wait_quiet 5 ttl_counted; then
	ok "TTL 64 packet dropped and counted (GTSM)"
else
	fail "TTL drop not counted: $(grep '^COUNTERS' "$LB" | tail -1)"
fi

# ---- 2. silent failure between two bfdpeers ---------------------------------
# The delay counts from when both drops are in place (T1): at most the
# detection time (0.3 s) plus scheduling slack.
cut_link || fail "nft ingress drop"
if wait_quiet 5 grep -q 'Down diag=control_expired' "$LA" && wait_quiet 5 grep -q 'Down diag=control_expired' "$LB"; then
	DA=$(down_delay "$LA" "$T1"); DB=$(down_delay "$LB" "$T1")
	SA=$(down_delay "$LA" "$T0"); SB=$(down_delay "$LB" "$T0")
	if awk -v a="$DA" -v b="$DB" 'BEGIN { exit !(a <= 0.33 && b <= 0.33) }'; then
		ok "silent failure: Down (control_expired) ${SA}s / ${SB}s after the cut started, ${DA}s / ${DB}s after it completed (detect time 0.3 s)"
	else
		fail "silent failure detected too late: ${DA}s / ${DB}s"
	fi
else
	fail "silent failure not detected"; cat "$LA" "$LB"
fi
heal_link
if wait_quiet 10 bash -c "[ \$(grep -c -- '-> Up' '$LB') -ge 2 ]"; then
	ok "session back Up after the link heals"
else
	fail "no Up after heal"
fi

# ---- 3. AdminDown: stopping one side is not a failure -----------------------
kill -TERM "$PA"
if wait_quiet 5 grep -q 'Up -> Down diag=neighbor_down peer_admin_down=1' "$LB"; then
	ok "peer AdminDown -> Down diag 3, flagged peer_admin_down"
else
	fail "peer AdminDown not seen"; cat "$LB"
fi
wait "$PA" 2>/dev/null

# ---- 4. bfdpeer <-> FRR bfdd -------------------------------------------------
frr_start a "hostname a
bfd
 peer 10.1.0.1 interface swp1
  receive-interval 100
  transmit-interval 100
 !
!" || fail "start FRR"
frr_peer() { vty a 'show bfd peers json' 2>/dev/null; }
frr_up() { json_check "$(frr_peer)" '[p for p in d if p.get("peer")=="10.1.0.1" and p.get("status")=="up"]'; }
NUP=$(count "$LB" '-> Up')
if wait_quiet 15 bash -c "[ \$(grep -c -- '-> Up' '$LB') -gt $NUP ]" && wait_quiet 10 frr_up; then
	ok "bfdpeer <-> FRR bfdd reaches Up on both sides"
else
	fail "bfdpeer <-> FRR Up"; cat "$LB"; frr_peer
fi
F=$(frr_peer)
if json_check "$F" '[p for p in d if p["peer"]=="10.1.0.1" and p["transmit-interval"]==100 and p["receive-interval"]==100 and p["remote-transmit-interval"]==100 and p["remote-receive-interval"]==100 and p["remote-detect-multiplier"]==3]'; then
	ok "FRR sees our timers: 100/100 ms x 3"
else
	fail "FRR timers: $F"
fi
J=$(show_json $NB "$PB" "$LB")
if json_check "$J" 'd["sessions"][0]["state"]=="Up" and d["sessions"][0]["tx_interval_ms"]==100 and d["sessions"][0]["detect_time_ms"]==300'; then
	ok "bfdpeer with FRR: Up, tx 100 ms, detect 300 ms"
else
	fail "bfdpeer show with FRR: $J"
fi
C=$(grep '^COUNTERS' "$LB" | tail -1 | cut -d' ' -f2-)
json_check "$C" 'd["drops"]["ttl"]==1 and d["drops"]["bad_version"]==0 and d["drops"]["no_session"]==0' &&
	ok "with FRR: no drops but our TTL probe" || fail "counters: $C"

# ---- 5. silent failure against FRR -------------------------------------------
NDOWN=$(count "$LB" 'Down diag=control_expired')
cut_link || fail "nft ingress drop"
if wait_quiet 5 bash -c "[ \$(grep -c 'Down diag=control_expired' '$LB') -gt $NDOWN ]"; then
	D=$(awk -v t0="$T1" '/-> Down diag=control_expired/ { d = $2 - t0 } END { printf "%.3f\n", d }' "$LB")
	if awk -v a="$D" 'BEGIN { exit !(a <= 0.33) }'; then
		ok "silent failure vs FRR: bfdpeer Down after ${D}s"
	else
		fail "silent failure vs FRR too late: ${D}s"
	fi
else
	fail "silent failure vs FRR not detected"
fi
frr_down() { json_check "$(frr_peer)" '[p for p in d if p.get("peer")=="10.1.0.1" and p.get("status")!="up"]'; }
wait_quiet 5 frr_down && ok "FRR side went down too" || fail "FRR still up: $(frr_peer)"
heal_link

finish
