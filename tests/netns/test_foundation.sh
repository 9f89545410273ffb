#!/usr/bin/env bash
# Issue 2: fabricd follows its interfaces (link up/down, carrier, addresses,
# an interface created after start, one removed), reload keeps the running
# config when the new file is broken, SIGTERM removes the socket.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ns_add sw && ns_add peer || exit 1
veth sw swp1 peer swp1 && veth sw swp2 peer swp2 || exit 1
ip -n "$(ns sw)" addr add 10.255.0.1/32 dev lo

cat >"$WORK/sw.conf" <<'EOC'
router-id = "10.255.0.1";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; cost = 10; hello-interval = 1; dead-interval = 3; },
    { name = "swp2"; cost = 20; },
    { name = "swp9"; cost = 30; }
  );
};
EOC
fabricd_start sw "$WORK/sw.conf" || { fail "fabricd starts"; finish; exit 1; }
ok "fabricd starts and answers on its socket"

iface() { jctl sw show interfaces | jq -e --arg n "$1" ".interfaces[] | select(.name == \$n) | $2"; }
wait_for "swp1 present, admin up, carrier" 5 iface swp1 '.present and .admin_up and .carrier'
wait_for "swp9 (not created yet) shown as absent" 5 iface swp9 '.present == false'
check "socket mode is 0600" test "$(stat -c %a "$WORK/sw.sock")" = 600

ip -n "$(ns peer)" link set swp1 down
wait_for "swp1 loses carrier when the peer goes down" 5 iface swp1 '.carrier == false and .admin_up'
ip -n "$(ns peer)" link set swp1 up
wait_for "swp1 regains carrier" 5 iface swp1 '.carrier'
ip -n "$(ns sw)" link set swp2 down
wait_for "swp2 admin down" 5 iface swp2 '.admin_up == false'
ip -n "$(ns sw)" link set swp2 up
wait_for "swp2 admin up" 5 iface swp2 '.admin_up'

ip -n "$(ns sw)" addr add 10.0.13.0/31 dev swp1
wait_for "address added on swp1 is shown" 5 iface swp1 '.address == "10.0.13.0/31"'
ip -n "$(ns sw)" addr del 10.0.13.0/31 dev swp1
wait_for "address removed from swp1" 5 iface swp1 '.address == null'

ip link add swp9 netns "$(ns sw)" type veth peer name swp9 netns "$(ns peer)"
ip -n "$(ns sw)" link set swp9 up; ip -n "$(ns peer)" link set swp9 up
wait_for "swp9 created after start is picked up" 5 iface swp9 '.present and .carrier'
ip -n "$(ns sw)" link del swp9
wait_for "swp9 deleted is marked gone" 5 iface swp9 '.present == false'
check "daemon still running after the interface went away" kill -0 "$PID_sw"

# reload with a broken file keeps the running config
cp "$WORK/sw.conf" "$WORK/good.conf"
sed -i 's/cost = 20;/cost = 0;/' "$WORK/sw.conf"
out=$(ctl sw reload 2>&1); rc=$?
check "reload of a broken file fails (exit status $rc)" test $rc -ne 0
echo "$out"
check "reload error names file:line" grep -q "sw.conf:6: " <<<"$out"
check "daemon still running after a bad reload" kill -0 "$PID_sw"
check "running config unchanged (swp2 cost 20)" iface swp2 '.cost == 20'
sed -i 's/cost = 0;/cost = 25;/' "$WORK/sw.conf"
check "reload of a good file succeeds" ctl sw reload
wait_for "new cost in force (swp2 cost 25)" 5 iface swp2 '.cost == 25'
kill -HUP "$PID_sw"
check "SIGHUP reload keeps the daemon" ctl sw show version
check "show running-config shows the config" bash -c "'$FABRICCTL' -s '$WORK/sw.sock' show running-config | grep -q 'router-id'"
check "--check accepts the good file" "$FABRICD" -c "$WORK/sw.conf" --check
sed -i 's/router-id = "10.255.0.1"/router-id = "10.255.0"/' "$WORK/sw.conf"
check "--check rejects a bad file" bash -c "! '$FABRICD' -c '$WORK/sw.conf' --check"
check "an unknown command fails" bash -c "! '$FABRICCTL' -s '$WORK/sw.sock' show nonsense"

kill -TERM "$PID_sw"
wait_for "SIGTERM: fabricd exits" 5 bash -c "! kill -0 $PID_sw"
check "SIGTERM: socket file removed" test ! -e "$WORK/sw.sock"
check "fabricctl reports a dead daemon (exit 2)" bash -c "'$FABRICCTL' -s '$WORK/sw.sock' show version; [ \$? -eq 2 ]"
finish
