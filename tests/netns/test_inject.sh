#!/usr/bin/env bash
# Issue 9: a whole fabric through one adjacency. tests/netns/lsinject is
# router 0 of a synthetic 5-stage fabric (208 routers) and hands fabricd its
# LSDB through a database exchange: every prefix of the fabric reaches the
# kernel through the injector; then the injector flushes spine plane 0, and
# exactly the routes only that plane carried (its routers' loopbacks and
# spine-super-spine links) leave the kernel, the rest stays. Also with FRR's
# ospfd as the router under test when FRR is installed. No timings asserted
# (bench/inject.sh measures them at full size).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
LSINJECT=${LSINJECT:-$BUILD/tests/netns/lsinject}
[ -x "$LSINJECT" ] || skip "no $LSINJECT (build first)"
SHAPE=4,4,46,2    # 4 pods x (4 spines + 46 leaves) + 4 planes x 2 super-spines
mapfile -t FAB < <("$LSINJECT" prefixes -5 "$SHAPE")
NPFX=${#FAB[@]}
# Router ids: 10.0.0.1 + index; leaves 0..183, spines 184..199 (pod-major,
# plane = index % 4), super-spines 200..207 (plane-major, 2 per plane).
SS_PLANE0=10.0.0.201/32     # super-spine 0 of plane 0 (index 200)
SS_PLANE1=10.0.0.203/32     # super-spine 0 of plane 1 (index 202)
SPINE_P0=10.0.0.185/32      # pod 0, plane 0 spine (index 184)
FAR_LEAF=10.0.0.184/32      # the last leaf (index 183), in pod 3

ospf_routes() { ip -n "$(ns "$1-dut")" route show proto ospf | wc -l; }
routes_are() { [ "$(ospf_routes "$1")" -eq "$2" ]; }
has_route() { ip -n "$(ns "$1-dut")" route show "$2" proto ospf | grep -q .; }
no_route() { ! has_route "$@"; }

run() { # NAME: fabricd | frr
	local m=$1
	ns_add "$m-dut" && ns_add "$m-inj" || return 1
	veth "$m-dut" swp1 "$m-inj" swp1 || return 1
	ip -n "$(ns "$m-dut")" link set swp1 mtu 9000
	ip -n "$(ns "$m-inj")" link set swp1 mtu 9000
	ip -n "$(ns "$m-dut")" addr add 10.254.0.1/31 dev swp1
	ip -n "$(ns "$m-inj")" addr add 10.254.0.0/31 dev swp1
	ip -n "$(ns "$m-dut")" addr add 10.255.0.1/32 dev lo
	if [ "$m" = fabricd ]; then
		cat >"$WORK/dut.conf" <<'EOC'
router-id = "10.255.0.1";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 4; }
  );
};
EOC
		fabricd_start fabricd-dut "$WORK/dut.conf" || { fail "fabricd starts"; return 1; }
	else
		frr_start frr-dut 'frr defaults traditional
hostname dut
interface swp1
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 4
router ospf
 ospf router-id 10.255.0.1
 network 10.0.0.0/8 area 0' || { fail "FRR starts"; return 1; }
	fi
	ip netns exec "$(ns "$m-inj")" "$LSINJECT" inject -i swp1 -a 10.254.0.0 -p 10.255.0.1 \
		-5 "$SHAPE" -H 1 -D 4 >"$WORK/$m.inj" 2>&1 &
	local inj=$!
	remember_pid $inj
	wait_for "$m: all $NPFX prefixes of the fabric in the kernel" 60 routes_are "$m" "$NPFX"
	check "$m: a far leaf's loopback" has_route "$m" $FAR_LEAF
	check "$m: a plane-0 super-spine's loopback" has_route "$m" $SS_PLANE0
	check "$m: the adjacency is Full on the injector's side" grep -q ' full$' "$WORK/$m.inj"
	kill -USR1 $inj
	wait_quiet 5 grep -q ' withdraw ' "$WORK/$m.inj"
	local gone; gone=$(awk '$2 == "withdraw" { print $5; exit }' "$WORK/$m.inj")
	check "$m: the plane's withdrawal takes routes away (${gone:-?})" test "${gone:-0}" -gt 0
	wait_for "$m: $((NPFX - gone)) routes left after plane 0 is withdrawn" 30 \
		routes_are "$m" $((NPFX - gone))
	check "$m: plane-0 super-spine gone" no_route "$m" $SS_PLANE0
	check "$m: plane-0 spine gone" no_route "$m" $SPINE_P0
	check "$m: plane-1 super-spine stays" has_route "$m" $SS_PLANE1
	check "$m: the far leaf stays" has_route "$m" $FAR_LEAF
	wait_for "$m: the flush is acknowledged" 10 grep -q ' withdraw-acked$' "$WORK/$m.inj"
}

run fabricd
if [ -x /usr/lib/frr/ospfd ]; then run frr; else echo "FRR not installed: fabricd only"; fi
finish
