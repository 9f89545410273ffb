#!/usr/bin/env bash
# Issue 3: OSPF adjacencies and LSDB sync, fabricd with fabricd and with
# FRR's ospfd: point-to-point and broadcast links reach Full on both sides
# with identical databases; MD5 with the right key forms an adjacency and
# the wrong key does not (drops counted); an MTU mismatch stays in ExStart;
# a stopped peer is lost within the dead interval and regained on restart.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ns_add r1 && ns_add r2 && ns_add r3 || exit 1
ip -n "$(ns r1)" addr add 10.255.0.1/32 dev lo
ip -n "$(ns r2)" addr add 10.255.0.2/32 dev lo
ip -n "$(ns r3)" addr add 10.255.0.3/32 dev lo
veth r1 swp1 r2 swp1 && veth r1 swp2 r2 swp2 && veth r1 swp3 r2 swp3 && veth r1 swp4 r2 swp4 || exit 1
veth r1 swp5 r3 swp1 || exit 1
ip -n "$(ns r1)" addr add 10.1.0.0/31 dev swp1; ip -n "$(ns r2)" addr add 10.1.0.1/31 dev swp1
ip -n "$(ns r1)" addr add 10.2.0.1/24 dev swp2; ip -n "$(ns r2)" addr add 10.2.0.2/24 dev swp2
ip -n "$(ns r1)" addr add 10.3.0.0/31 dev swp3; ip -n "$(ns r2)" addr add 10.3.0.1/31 dev swp3
ip -n "$(ns r1)" addr add 10.4.0.0/31 dev swp4; ip -n "$(ns r2)" addr add 10.4.0.1/31 dev swp4
ip -n "$(ns r1)" addr add 10.5.0.0/31 dev swp5; ip -n "$(ns r3)" addr add 10.5.0.1/31 dev swp1
ip -n "$(ns r2)" link set swp4 mtu 9000   # r2 announces a larger MTU in its DDs

cat >"$WORK/r1.conf" <<'EOC'
router-id = "10.255.0.1";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; },
    { name = "swp2"; network = "broadcast"; hello-interval = 1; dead-interval = 3;
      auth = "md5"; keys = ( { id = 1; secret = "fabric-secret"; } ); },
    { name = "swp3"; network = "point-to-point"; hello-interval = 1; dead-interval = 3;
      auth = "md5"; keys = ( { id = 1; secret = "wrong-secret"; } ); },
    { name = "swp4"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; },
    { name = "swp5"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; }
  );
};
EOC
cat >"$WORK/r3.conf" <<'EOC'
router-id = "10.255.0.3";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = 1; dead-interval = 3; }
  );
};
EOC

FRR_R2='frr defaults traditional
hostname r2
interface swp1
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
interface swp2
 ip ospf authentication message-digest
 ip ospf message-digest-key 1 md5 fabric-secret
 ip ospf hello-interval 1
 ip ospf dead-interval 3
interface swp3
 ip ospf network point-to-point
 ip ospf authentication message-digest
 ip ospf message-digest-key 1 md5 fabric-secret
 ip ospf hello-interval 1
 ip ospf dead-interval 3
interface swp4
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
router ospf
 ospf router-id 10.255.0.2
 network 10.0.0.0/8 area 0'

fabricd_start r1 "$WORK/r1.conf" || { fail "fabricd starts on r1"; finish; exit 1; }
fabricd_start r3 "$WORK/r3.conf" || { fail "fabricd starts on r3"; finish; exit 1; }
frr_start r2 "$FRR_R2" || { fail "FRR starts on r2"; finish; exit 1; }

nbr_state() { # NODE IFACE STATE
	jctl "$1" show neighbors | jq -e --arg i "$2" --arg s "$3" \
		'[.neighbors[] | select(.interface == $i and .state == $s)] | length == 1'
}
frr_state() { # IFACE STATE-PREFIX: FRR's view of its neighbor on IFACE
	vty r2 'show ip ospf neighbor json' | jq -e --arg i "$1" --arg s "$2" \
		'[.. | objects | select(has("ifaceName") or has("interfaceName")) |
		  select(((.ifaceName // .interfaceName) | startswith($i))) |
		  select(((.nbrState // .state) | tostring | startswith($s)))] | length >= 1'
}

# fabricd <-> fabricd, point-to-point
wait_for "fabricd-fabricd p2p: r1 sees r3 Full" 15 nbr_state r1 swp5 Full
wait_for "fabricd-fabricd p2p: r3 sees r1 Full" 5 nbr_state r3 swp1 Full

# fabricd <-> FRR, point-to-point
wait_for "fabricd-FRR p2p: fabricd sees FRR Full" 20 nbr_state r1 swp1 Full
wait_for "fabricd-FRR p2p: FRR sees fabricd Full" 10 frr_state swp1 Full
# broadcast with MD5 (DR/BDR election)
wait_for "fabricd-FRR broadcast+MD5: fabricd Full" 30 nbr_state r1 swp2 Full
wait_for "fabricd-FRR broadcast+MD5: FRR Full" 10 frr_state swp2 Full
check "broadcast: a DR is elected on swp2" bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name==\"swp2\") | .dr != null'"

# MD5 with the wrong key: no adjacency, drops counted
check "wrong MD5 key: no neighbor on swp3" bash -c "! '$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '.neighbors[] | select(.interface==\"swp3\" and .state==\"Full\")'"
wait_for "wrong MD5 key: auth drops counted" 5 bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show counters | jq -e '.ospf.drops.auth_fail > 0'"

# MTU mismatch: stays in ExStart, and says so
wait_for "MTU mismatch: neighbor on swp4 held in ExStart" 10 bash -c "'$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '.neighbors[] | select(.interface==\"swp4\") | .state == \"ExStart\" and .mtu_mismatch'"

# identical databases
lsdb_fabricd() { jctl "$1" show database | jq -r '.lsas[] | "\(.type) \(.ls_id) \(.adv_router) \(.sequence|ltrimstr("0x")|ascii_downcase)"' | sort; }
lsdb_frr() {
	vty r2 'show ip ospf database json' | jq -r '
	  [paths(objects and has("lsId")) as $p | getpath($p) as $l |
	   ($p | map(tostring) | join("/")) as $ps |
	   (if ($ps | test("[Rr]outer")) then "router" elif ($ps | test("[Nn]et")) then "network" else "other" end) as $t |
	   "\($t) \($l.lsId) \($l.advertisedRouter) \($l.sequenceNumber|tostring|ltrimstr("0x")|ascii_downcase)"] | .[]' | sort
}
same_lsdb() { [ "$(lsdb_fabricd r1)" = "$(lsdb_frr)" ] && [ -n "$(lsdb_frr)" ]; }
if ! wait_for "fabricd and FRR hold the same LSAs (type, id, adv router, seq)" 20 same_lsdb; then
	echo "--- fabricd r1:"; lsdb_fabricd r1; echo "--- FRR r2:"; lsdb_frr
fi
wait_for "fabricd r1 and r3 hold the same LSAs" 10 bash -c "[ \"\$('$FABRICCTL' -s '$WORK/r1.sock' --json show database | jq -c '[.lsas[] | [.type,.ls_id,.adv_router,.sequence]] | sort')\" = \"\$('$FABRICCTL' -s '$WORK/r3.sock' --json show database | jq -c '[.lsas[] | [.type,.ls_id,.adv_router,.sequence]] | sort')\" ]"
check "router LSAs of all three routers present" bash -c "[ \$('$FABRICCTL' -s '$WORK/r1.sock' --json show database | jq '[.lsas[] | select(.type==\"router\")] | length') -eq 3 ]"

# the peer stops: lost within the dead interval (3 s); it comes back: Full again
frr_stop r2
t0=$(now_ms)
wait_for "FRR stopped: neighbor on swp1 lost within the dead interval" 5 bash -c "! '$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '.neighbors[] | select(.interface==\"swp1\" and .state==\"Full\")'"
echo "lost after $(( $(now_ms) - t0 )) ms"
frr_start r2 "$FRR_R2"
wait_for "FRR restarted: Full again on swp1" 30 nbr_state r1 swp1 Full
fabricd_stop r3
wait_for "fabricd r3 stopped: r1 drops it" 5 bash -c "! '$FABRICCTL' -s '$WORK/r1.sock' --json show neighbors | jq -e '.neighbors[] | select(.interface==\"swp5\" and .state==\"Full\")'"
fabricd_start r3 "$WORK/r3.conf"
wait_for "fabricd r3 restarted: Full again" 15 nbr_state r1 swp5 Full
finish
