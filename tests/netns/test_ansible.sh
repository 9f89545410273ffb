#!/usr/bin/env bash
# Issue 10 (Ansible): contrib/ansible's role against the reference fabric.
# The switches run fabricd on a first config (slow hellos, no BFD, no auth);
# the inventory asks for fast hellos, BFD and MD5 keys. Each host's Python
# runs inside its namespace (a wrapper as ansible_python_interpreter, with
# ansible_connection: local). First run: every file changes and fabricd
# reloads once, the new settings are in force and the neighbors are Full
# again. Second run: nothing changes, nothing reloads. A run with a value
# fabricd refuses fails at the check, and leaves the file and the daemon as
# they were.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v ansible-playbook >/dev/null || skip "ansible-playbook is missing (Debian package ansible-core)"
[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is missing"
role_dir="$top/contrib/ansible"

fabric_topology || exit 1
for n in $SWITCHES; do
	fabric_conf_fabricd "$n" | sed 's/hello-interval = 1; dead-interval = 3; bfd = true;/hello-interval = 2; dead-interval = 8;/' >"$WORK/$n.conf"
	fabricd_start "$n" "$WORK/$n.conf" || { fail "$n starts"; finish; exit 1; }
done
for n in $SWITCHES; do wait_quiet 40 neighbors_full "$n" 2 || { fail "$n: first config converges"; finish; exit 1; }; done
ok "the fabric runs on the first config (hello 2 s, no BFD)"

# ---- inventory: the reference fabric, each host in its namespace ----
{
	echo "fabric:"
	echo "  vars:"
	echo "    ansible_connection: local"
	echo "    fabricd_binary: $FABRICD"
	echo "    fabricctl_binary: $FABRICCTL"
	echo "    fabricd_user: ''"
	echo "    fabricd_conf_group: root"
	echo "    fabricd_verify_delay: 1"
	echo "    fabricd_bfd: { tx_interval_ms: $BFD_TX, rx_interval_ms: $BFD_RX, multiplier: $BFD_MULT }"
	echo "    fabric_ports:"
	for p in swp1 swp2; do
		echo "      - { name: $p, network: point-to-point, cost: 10, hello_interval: 1, dead_interval: 3, bfd: true,"
		echo "          auth: md5, keys: [ { id: 1, secret: \"fabric\\\"key\" } ] }"
	done
	echo "  children:"
	echo "    leaves:"
	echo "      vars:"
	echo "        fabricd_interfaces: \"{{ [{'name': 'lo', 'passive': true}] + fabric_ports + [{'name': 'swp3', 'passive': true}] }}\""
	echo "      hosts:"
	for n in leaf1 leaf2; do echo "        $n:"; done
	echo "    spines:"
	echo "      vars:"
	echo "        fabricd_interfaces: \"{{ [{'name': 'lo', 'passive': true}] + fabric_ports }}\""
	echo "      hosts:"
	for n in spine3 spine4; do echo "        $n:"; done
} >"$WORK/inventory.yml"
mkdir -p "$WORK/host_vars"
for n in $SWITCHES; do
	printf '#!/bin/sh\nexec ip netns exec %s /usr/bin/python3 "$@"\n' "$(ns $n)" >"$WORK/py-$n"
	chmod 755 "$WORK/py-$n"
	cat >"$WORK/host_vars/$n.yml" <<EOH
fabricd_router_id: 10.255.0.$(node_id $n)
ansible_python_interpreter: $WORK/py-$n
fabricd_conf_path: $WORK/$n.conf
fabricd_socket: $WORK/$n.sock
EOH
done

export ANSIBLE_HOME="$WORK/ansible" ANSIBLE_LOCAL_TEMP="$WORK/ansible/tmp" ANSIBLE_REMOTE_TMP="$WORK/ansible/rtmp"
export ANSIBLE_ROLES_PATH="$role_dir/roles" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_FORCE_COLOR=0
play() { # LOGNAME [args...]
	local out=$1; shift
	ansible-playbook -i "$WORK/inventory.yml" "$role_dir/site.yml" "$@" >"$WORK/$out" 2>&1
}
recap() { # LOG HOST KEY -> the number in PLAY RECAP
	sed -n "s/^$2 *: .*$3=\([0-9]*\).*/\1/p" "$WORK/$1"
}
reloads() { grep -c "notice: reloaded" "$WORK/$1.log"; }

# ---- first run: changes, one reload each, verified ----
log "ansible-playbook, first run"
if play run1.out; then ok "first run succeeds"; else fail "first run:"; tail -40 "$WORK/run1.out"; fi
for n in $SWITCHES; do
	check "$n: first run changed the file and reloaded (changed=$(recap run1.out $n changed))" \
		test "$(recap run1.out $n changed)" = 2
	check "$n: fabricd reloaded once" test "$(reloads $n)" = 1
	check "$n: the rendered file is fabricd's running config (hello 1 s, BFD, md5)" bash -c \
		"'$FABRICCTL' -s '$WORK/$n.sock' --json show interfaces | jq -e '[.interfaces[] | select(.name == \"swp1\" or .name == \"swp2\") | select(.hello_interval == 1 and .bfd)] | length == 2' &&
		 '$FABRICCTL' -s '$WORK/$n.sock' show running-config | grep -q 'auth = \"md5\"'"
	check "$n: verified by the role: 2 neighbors Full" neighbors_full $n 2
done
wait_for "BFD sessions Up everywhere (8)" 20 bash -c "for n in $SWITCHES; do '$FABRICCTL' -s '$WORK/'\$n.sock --json show bfd | jq -e '[.sessions[] | select(.state == \"Up\")] | length == 2' || exit 1; done"
wait_for "leaf1: ECMP to h2's subnet" 20 paths_are leaf1 10.2.2.0/24 2

# ---- second run: idempotent ----
sums=$(sha256sum "$WORK"/*.conf)
log "ansible-playbook, second run"
if play run2.out; then ok "second run succeeds"; else fail "second run:"; tail -40 "$WORK/run2.out"; fi
for n in $SWITCHES; do
	check "$n: second run changed nothing (changed=$(recap run2.out $n changed))" test "$(recap run2.out $n changed)" = 0
	check "$n: and did not reload" test "$(reloads $n)" = 1
done
check "the files are byte for byte the same" test "$sums" = "$(sha256sum "$WORK"/*.conf)"

# ---- a value fabricd refuses: the check stops it ----
log "ansible-playbook with maximum-paths = 0 on leaf1"
if play run3.out -l leaf1 -e '{"fabricd_ospf": {"area": "0.0.0.0", "maximum_paths": 0}}'; then
	fail "a refused value fails the run"
else
	ok "a refused value fails the run"
fi
check "leaf1: the run says why (fabricd --check's file:line)" grep -q "maximum-paths" "$WORK/run3.out"
check "leaf1: the file is unchanged" test "$sums" = "$(sha256sum "$WORK"/*.conf)"
check "leaf1: no reload" test "$(reloads leaf1)" = 1
check "leaf1: still 2 neighbors Full" neighbors_full leaf1 2
finish
