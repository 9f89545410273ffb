# Shared by the integration tests and tools/demo (source it).
# Every namespace it makes is named "$T-<node>" and every process it starts
# is remembered by pid; cleanup (on EXIT) stops those pids and deletes those
# namespaces, and nothing else.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$top/build}
FABRICD=${FABRICD:-$BUILD/fabricd/fabricd}
FABRICCTL=${FABRICCTL:-$BUILD/cli/fabricctl}
T=${T:-fd$$}
WORK=$(mktemp -d /tmp/fabricd-$T.XXXXXX)
chmod 755 "$WORK"
NSLIST=()
PIDS=()
NPASS=0
NFAIL=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
log() { echo "[$(date +%T.%3N)] $*"; }
ok() { NPASS=$((NPASS + 1)); echo "PASS: $*"; }
fail() { NFAIL=$((NFAIL + 1)); echo "FAIL: $*"; }
check() { # description command...: PASS/FAIL by the command's status
	local desc=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$desc"; else fail "$desc"; fi
}
skip() { echo "SKIP: $*"; exit 77; }

# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local desc=$1 secs=$2; shift 2
	local end=$(( $(now_ms) + secs * 1000 ))
	while :; do
		if "$@" >/dev/null 2>&1; then ok "$desc"; return 0; fi
		if [ "$(now_ms)" -ge $end ]; then fail "$desc (not within ${secs}s)"; return 1; fi
		sleep 0.02
	done
}
# wait_quiet: like wait_for, but no PASS line (a step, not an assertion)
wait_quiet() {
	local secs=$1; shift
	local end=$(( $(now_ms) + secs * 1000 ))
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -ge $end ] && return 1
		sleep 0.02
	done
}

ns() { echo "$T-$1"; }
nsx() { local n=$1; shift; ip netns exec "$T-$n" "$@"; }
ns_add() {
	ip netns add "$T-$1" || return 1
	NSLIST+=("$T-$1")
	ip -n "$T-$1" link set lo up
}
# veth NODE1 IF1 NODE2 IF2: a cable between two nodes
veth() {
	ip link add "$2" netns "$T-$1" type veth peer name "$4" netns "$T-$3" &&
		ip -n "$T-$1" link set "$2" up && ip -n "$T-$3" link set "$4" up
}

remember_pid() { PIDS+=("$1"); }
stop_pid() { # stop one process by pid, wait for it
	local p=$1 i
	kill "$p" 2>/dev/null || return 0
	for i in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.02; done
	kill -9 "$p" 2>/dev/null
}

cleanup() {
	local p n
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	for n in "${NSLIST[@]}"; do ip netns del "$n" 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	echo "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
}

# ---- fabricd ----
fabricd_start() { # NODE CONF [extra args]
	local n=$1 conf=$2; shift 2
	ip netns exec "$T-$n" "$FABRICD" -c "$conf" -s "$WORK/$n.sock" -d "$@" >>"$WORK/$n.log" 2>&1 &
	local pid=$!
	remember_pid $pid
	eval "PID_${n//-/_}=$pid"
	wait_quiet 10 ctl "$n" show version || { echo "fabricd on $n did not start:"; tail -20 "$WORK/$n.log"; return 1; }
}
fabricd_stop() { local v="PID_${1//-/_}"; stop_pid "${!v}"; }
ctl() { local n=$1; shift; "$FABRICCTL" -s "$WORK/$n.sock" "$@"; }
jctl() { local n=$1; shift; "$FABRICCTL" -s "$WORK/$n.sock" --json "$@"; }
# Events instead of polling: monitor_start NODE starts `fabricctl --json
# monitor` on NODE into $WORK/NODE.events (its pid in MON_<node>) and waits
# until the daemon counts it as a subscriber; event NODE JQ-FILTER succeeds
# once an event matching the filter has arrived (use with wait_for).
monitor_start() {
	local n=$1 before
	before=$(ctl "$n" show metrics | awk '$1 == "fabricd_monitor_clients" { print $2 }')
	"$FABRICCTL" -s "$WORK/$n.sock" --json monitor >>"$WORK/$n.events" 2>>"$WORK/$n.log" &
	remember_pid $!
	eval "MON_${n//-/_}=$!"
	wait_quiet 5 bash -c "'$FABRICCTL' -s '$WORK/$n.sock' show metrics | grep -qx 'fabricd_monitor_clients $((before + 1))'"
}
event() { jq -e -n "[inputs | select($2)] | length > 0" "$WORK/$1.events" >/dev/null; }

# ---- FRR (see shared/notes/frr-as-test-peer.md) ----
frr_start() { # NODE CONFIG-TEXT
	local n=$1 D="$WORK/frr-$1" dmn
	mkdir -p "$D"
	printf '%s\n' "$2" >"$D/frr.conf"
	chown -R frr:frr "$D"
	for dmn in zebra ospfd bfdd; do
		ip netns exec "$T-$n" /usr/lib/frr/$dmn -d -N "$T-$n" -i "$D/$dmn.pid" -z "$D/zserv.api" \
			--vty_socket "$D" -f "$D/frr.conf" -u frr -g frr >>"$D/$dmn.out" 2>&1 || return 1
		wait_quiet "${FRR_START_WAIT:-10}" test -s "$D/$dmn.pid" || return 1
		remember_pid "$(cat "$D/$dmn.pid")"
	done
}
frr_stop() { local D="$WORK/frr-$1" dmn; for dmn in bfdd ospfd zebra; do [ -s "$D/$dmn.pid" ] && stop_pid "$(cat "$D/$dmn.pid")"; done; }
vty() { local n=$1; shift; local a=() c; for c in "$@"; do a+=(-c "$c"); done; ip netns exec "$T-$n" vtysh --vty_socket "$WORK/frr-$n" "${a[@]}"; }
