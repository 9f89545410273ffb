#!/usr/bin/env bash
# Issue 10 (least privilege): the reference fabric with user = "fabricd" on
# every switch. Each fabricd runs as that user with exactly CAP_NET_RAW and
# CAP_NET_ADMIN (plus CAP_SYS_NICE where bfd.realtime-priority is set) in
# its permitted, effective and bounding sets, none inheritable or ambient;
# the fabric still converges to ECMP, repairs a link failure and comes back,
# reloads (the file read as the user), and a clean stop still removes the
# routes and the socket. Bad input: an unknown user, or a user the process
# cannot become, gives one clear message and touches nothing.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v useradd >/dev/null || skip "useradd is not installed"

made_user=
if ! getent passwd fabricd >/dev/null; then
	groupadd --system fabricd && useradd --system --gid fabricd --no-create-home \
		--home-dir /nonexistent --shell /usr/sbin/nologin fabricd || skip "cannot create user fabricd"
	made_user=1
fi
drop_user() { [ -n "$made_user" ] && { userdel fabricd; getent group fabricd >/dev/null && groupdel fabricd; }; }
trap 'cleanup; drop_user' EXIT
uid=$(id -u fabricd) gid=$(id -g fabricd)

# ---- bad input first: nothing may be opened or changed ----
mkdir -m 755 "$WORK/bad"
printf 'router-id = "10.255.0.9";\nuser = "no-such-user-fabricd";\n' >"$WORK/bad/unknown.conf"
"$FABRICD" -c "$WORK/bad/unknown.conf" -s "$WORK/bad/x.sock" >"$WORK/bad/out" 2>&1; rc=$?
check "unknown user: exit 1 (was $rc)" test $rc = 1
check "unknown user: one line, file:line: message" bash -c "[ \$(wc -l <'$WORK/bad/out') = 1 ] && grep -qx '$WORK/bad/unknown.conf:2: user .no-such-user-fabricd. does not exist' '$WORK/bad/out'"
check "unknown user: no socket made" test ! -e "$WORK/bad/x.sock"
check "--check says the same" bash -c "'$FABRICD' -c '$WORK/bad/unknown.conf' --check 2>&1 | grep -q 'unknown.conf:2: user .no-such-user-fabricd. does not exist'"
printf 'router-id = "10.255.0.9";\nuser = "fabricd";\n' >"$WORK/bad/notroot.conf"
chmod 644 "$WORK/bad/notroot.conf"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$FABRICD" -c "$WORK/bad/notroot.conf" \
	-s "$WORK/bad/y.sock" >"$WORK/bad/out2" 2>&1; rc=$?
check "not root: exit 1 (was $rc)" test $rc = 1
check "not root: says why ($(grep -c . "$WORK/bad/out2") line: $(tail -1 "$WORK/bad/out2"))" \
	grep -q "cannot run as user 'fabricd': fabricd was not started as root" "$WORK/bad/out2"
check "not root: no socket made" test ! -e "$WORK/bad/y.sock"

# ---- the fabric, every switch as user fabricd; spine4 real-time ----
fabric_topology || exit 1
for n in $SWITCHES; do
	{ echo 'user = "fabricd";'; fabric_conf_fabricd "$n"; } >"$WORK/$n.conf"
done
sed -i 's/^bfd = { /bfd = { realtime-priority = 5; /' "$WORK/spine4.conf"
echo 'control = { group = "fabricd"; };' >>"$WORK/leaf2.conf"
echo 'control = { metrics-listen = "127.0.0.1:9342"; };' >>"$WORK/spine3.conf"
# swp9: configured now, created only after the drop
sed -i 's|{ name = "swp3"; passive = true; }|{ name = "swp3"; passive = true; },\n    { name = "swp9"; hello-interval = 1; }|' "$WORK/leaf1.conf"
# leaf1's socket in a directory of its own, like /run/fabricd
mkdir -m 755 "$WORK/run-leaf1"
ln -s run-leaf1/fabricd.sock "$WORK/leaf1.sock"
for n in $SWITCHES; do
	extra=(); [ $n = leaf1 ] && extra=(-s "$WORK/run-leaf1/fabricd.sock")
	fabricd_start "$n" "$WORK/$n.conf" "${extra[@]}" || { fail "$n starts as user fabricd"; finish; exit 1; }
done

field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
for n in $SWITCHES; do
	v="PID_$n"; p=${!v}
	want=0000000000003000                      # CAP_NET_ADMIN (12), CAP_NET_RAW (13)
	[ $n = spine4 ] && want=0000000000803000    # and CAP_SYS_NICE (23)
	check "$n: real, effective, saved uid = fabricd ($uid)" \
		bash -c "[ \"\$(awk '\$1 == \"Uid:\" { print \$2, \$3, \$4, \$5 }' /proc/$p/status)\" = '$uid $uid $uid $uid' ]"
	check "$n: gid = fabricd, no other groups" \
		bash -c "[ \"\$(awk '\$1 == \"Gid:\" { print \$2, \$3, \$4, \$5 }' /proc/$p/status)\" = '$gid $gid $gid $gid' ] && [ \"\$(awk '\$1 == \"Groups:\" { print \$2 }' /proc/$p/status)\" = '$gid' ]"
	for set in CapPrm CapEff CapBnd; do
		check "$n: $set = $want ($(field "$p" $set))" test "$(field "$p" $set)" = "$want"
	done
	check "$n: CapInh and CapAmb empty" test "$(field "$p" CapInh)$(field "$p" CapAmb)" = 00000000000000000000000000000000
	# Capabilities are per thread: every thread of the process, not only
	# the main one, must have been through the drop.
	check "$n: every thread ($(ls /proc/$p/task | wc -l)) has the same uid and sets" bash -c "
		for t in /proc/$p/task/*/status; do
			[ \"\$(awk '\$1 ~ /^(Uid|CapPrm|CapEff|CapBnd):\$/ { printf \"%s \", \$2 }' \$t)\" = '$uid $want $want $want ' ] || exit 1
		done"
done
# realtime-priority is the BFD thread's (fabricd-bfd), or the process's
# where BFD runs on the main thread.
check "spine4: BFD runs SCHED_FIFO, set before the drop" bash -c "
	t=\$(grep -lx fabricd-bfd /proc/$PID_spine4/task/*/comm | head -1 | cut -d/ -f5)
	chrt -p \${t:-$PID_spine4} | grep -q SCHED_FIFO"
check "spine3: the metrics listener opened before the drop serves after it" bash -c \
	"ip netns exec $(ns spine3) curl -sf http://127.0.0.1:9342/metrics | grep -q '^fabricd_'"
check "running-config shows the user" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show running-config | grep -qx 'user = \"fabricd\";'"
check "leaf1: its socket's own directory is given to the user (for the clean-up at exit)" \
	test "$(stat -c %U "$WORK/run-leaf1")" = fabricd
check "a directory holding other files stays root's" test "$(stat -c %U "$WORK")" = root
check "leaf2's socket: control.group, mode 0660 ($(stat -c '%U:%G %a' "$WORK/leaf2.sock"))" \
	test "$(stat -c '%U:%G %a' "$WORK/leaf2.sock")" = "fabricd:fabricd 660"
check "a member of control.group (not root) may use fabricctl" \
	setpriv --reuid=nobody --regid=fabricd --clear-groups "$FABRICCTL" -s "$WORK/leaf2.sock" show version
setpriv --reuid=nobody --regid=nogroup --clear-groups "$FABRICCTL" -s "$WORK/leaf2.sock" show version >/dev/null 2>&1; rc=$?
check "someone else may not (exit $rc: daemon unreachable)" test $rc = 2

# converge, repair, restore
for n in leaf1 leaf2; do
	other=$([ $n = leaf1 ] && echo 10.2.2.0/24 || echo 10.1.1.0/24)
	wait_for "$n: ECMP route to $other (2 next hops)" 40 paths_are $n $other 2
done
wait_for "h1 -> h2 ping" 10 nsx h1 ping -c1 -W1 10.2.2.10
ip -n "$(ns spine3)" link set swp1 down
wait_for "leaf1: link failure narrows the route to 1 next hop" 10 paths_are leaf1 10.2.2.0/24 1
wait_for "leaf2: 1 next hop towards h1" 10 paths_are leaf2 10.1.1.0/24 1
ip -n "$(ns spine3)" link set swp1 up
wait_for "leaf1: ECMP back after the repair" 30 paths_are leaf1 10.2.2.0/24 2
wait_for "leaf2: ECMP back" 10 paths_are leaf2 10.1.1.0/24 2

# a port that appears now gets its raw socket (CAP_NET_RAW after the drop)
ip link add swp9 netns "$(ns leaf1)" type veth peer name swp9 netns "$(ns h1)"
ip -n "$(ns leaf1)" addr add 10.9.9.1/24 dev swp9
ip -n "$(ns leaf1)" link set swp9 up; ip -n "$(ns h1)" link set swp9 up
wait_for "swp9, created after the drop, runs OSPF" 10 bash -c \
	"'$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp9\") | .ospf_state == \"Point-To-Point\"'"
wait_for "leaf2 learns swp9's subnet over both spines" 20 paths_are leaf2 10.9.9.0/24 2

# reload reads the file again, as the user
sed -i 's|{ name = "swp9"; hello-interval = 1; }|{ name = "swp9"; hello-interval = 1; cost = 20; }|' "$WORK/leaf1.conf"
check "reload as the user" ctl leaf1 reload
check "the new cost is in force" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp9\") | .cost == 20'"

# a reload into an unknown user is refused; the running config stays
cp "$WORK/leaf1.conf" "$WORK/leaf1.good"
sed -i 's/^user = "fabricd";/user = "no-such-user-fabricd";/' "$WORK/leaf1.conf"
ctl leaf1 reload >"$WORK/reload.out" 2>&1; rc=$?
check "reload into an unknown user: refused (exit $rc): $(head -1 "$WORK/reload.out")" \
	bash -c "[ $rc = 1 ] && grep -q 'leaf1.conf:1: user .no-such-user-fabricd. does not exist' '$WORK/reload.out'"
check "the running config keeps user fabricd and cost 20" bash -c \
	"'$FABRICCTL' -s '$WORK/leaf1.sock' show running-config | grep -qx 'user = \"fabricd\";' && '$FABRICCTL' -s '$WORK/leaf1.sock' --json show interfaces | jq -e '.interfaces[] | select(.name == \"swp9\") | .cost == 20'"
check "leaf1: still 2 neighbors Full" neighbors_full leaf1 2
cp "$WORK/leaf1.good" "$WORK/leaf1.conf"

# clean stop as the user: routes flushed (netlink), socket removed
fabricd_stop leaf1
check "leaf1 stopped: its routes are gone" paths_are leaf1 10.2.2.0/24 0
check "leaf1 stopped: its socket is removed" test ! -e "$WORK/run-leaf1/fabricd.sock"
finish
