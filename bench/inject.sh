#!/usr/bin/env bash
# A large fabric through one real adjacency (issue 9, item 3).
#
#   [MODES="fabricd frr ipbatch"] [SHAPE=32,8,304,4] [HELLO=1 DEAD=10] [PRIO=-5] bench/inject.sh
#
# For each mode, in fresh namespaces: the router under test ("dut") has one
# point-to-point link (veth, MTU 9000) to tests/netns/lsinject, which is
# router 0 of a synthetic 5-stage fabric (SHAPE = pods,planes,leaves,supers;
# default 10,016 routers, 98,592 prefixes) and hands the dut the whole LSDB
# through a database exchange. Once every route is in the dut's kernel, the
# injector withdraws spine plane 0 (flushes its spines' and super-spines'
# Router-LSAs).
#   fabricd: fabricd as the dut;  frr: FRR zebra + ospfd as the dut;
#   ipbatch: the reference: `ip -batch` of the same routes (one next hop).
# Measured per mode (times from CLOCK_MONOTONIC stamps of the injector and
# of `lsinject watch`, which counts the dut's kernel routes over rtnetlink):
#   exch->routes: from the start of the database exchange to all routes in
#                 the kernel; loaded->routes: from the injector having sent
#                 the last LSA the dut asked for (the dut goes Full on it);
#   SPF: as the daemon reports it (fabricd: last_duration_us of show spf, which
#        includes handing the routes to the FIB; for the run that installed
#        everything, the same figure from its log; FRR: spfLastDurationMsecs
#        of show ip ospf json, ospfd's SPF only, zebra installs after);
#   RSS: peak (VmHWM) of the daemon(s) over the whole run; CPU: user+system seconds of the
#        daemon(s) until the routes were in (for ip -batch: of ip), and the
#        time they were runnable but waited for a CPU (schedstat: on a
#        shared machine, much of the wall time); withdrawal: from the injector's
#        flush to the last of the withdrawn routes gone from the kernel.
set -uo pipefail
source "$(dirname "$0")/../tests/netns/lib.sh"
LSINJECT=${LSINJECT:-$BUILD/tests/netns/lsinject}
MODES=${MODES:-"fabricd frr ipbatch"}
SHAPE=${SHAPE:-32,8,304,4}
HELLO=${HELLO:-1}
DEAD=${DEAD:-10}
LIMIT=${LIMIT:-300}       # seconds allowed for all routes to arrive
# PRIO=-5: run everything measured (daemons, injector, watcher, ip) at that
# nice level, the same for every mode, to take less of the noise of a shared
# machine (default: no change)
NICE=${PRIO:+nice -n $PRIO}
[ -x "$LSINJECT" ] || { echo "build first: $LSINJECT"; exit 1; }

mapfile -t FAB < <("$LSINJECT" prefixes -5 "$SHAPE")
NPFX=${#FAB[@]}
HZ=$(getconf CLK_TCK)
RESULTS=()

cpu_s() { # PID...: user+system seconds
	local p t=0
	for p in "$@"; do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	awk -v t="$t" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'
}
rq_wait_ms() { # PID...: time spent runnable but waiting for a CPU (schedstat), ms
	cat $(for p in "$@"; do echo /proc/"$p"/task/*/schedstat; done) 2>/dev/null |
		awk '{ t += $2 } END { printf "%d", t / 1e6 }'
}
hwm_mb() { # PID...: peak RSS, MB, summed
	local p t=0
	for p in "$@"; do t=$((t + $(awk '/^VmHWM/ {print $2}' "/proc/$p/status"))); done
	awk -v t="$t" 'BEGIN { printf "%.1f", t / 1024 }'
}
# first watch line at or past a count: "ms"; $1 file, $2 ge|le, $3 count, $4 after-ms
watch_time() {
	awk -v op="$2" -v n="$3" -v after="${4:-0}" '$1 >= after && $2 ~ /^[0-9]+$/ &&
		((op == "ge" && $2 >= n) || (op == "le" && $2 <= n)) { print $1; exit }' "$1"
}
event_time() { awk -v e="$2" '$2 == e { print $1; exit }' "$1"; }
route_count() { tail -1 "$1" | awk '{print $2}'; }
routes_ge() { [ "$(route_count "$1")" -ge "$2" ]; }
routes_le() { [ "$(route_count "$1")" -le "$2" ]; }
# wait_slow SECONDS COMMAND...: like wait_quiet, polling every 0.5 s. The
# times come from the watcher's stamps, not from this loop; a tight loop
# would only take CPU from the router under test (the machine is shared and
# this script's processes share one slice of it).
wait_slow() {
	local end=$(( $(now_ms) + $1 * 1000 )); shift
	until "$@"; do
		[ "$(now_ms)" -ge $end ] && return 1
		sleep 0.5
	done
}

setup() { # make dut and inj with the link
	local m=$1
	ns_add "$m-dut" && ns_add "$m-inj" || return 1
	veth "$m-dut" swp1 "$m-inj" swp1 || return 1
	ip -n "$(ns "$m-dut")" link set swp1 mtu 9000
	ip -n "$(ns "$m-inj")" link set swp1 mtu 9000
	ip -n "$(ns "$m-dut")" addr add 10.254.0.1/31 dev swp1
	ip -n "$(ns "$m-inj")" addr add 10.254.0.0/31 dev swp1
	ip -n "$(ns "$m-dut")" addr add 10.255.0.1/32 dev lo
}

start_watch() { # MODE
	ip netns exec "$(ns "$1-dut")" $NICE "$LSINJECT" watch >"$WORK/$1.watch" 2>&1 &
	remember_pid $!
	WATCH_PID=$!
	wait_quiet 10 test -s "$WORK/$1.watch"
}

start_inject() { # MODE
	ip netns exec "$(ns "$1-inj")" $NICE "$LSINJECT" inject -i swp1 -a 10.254.0.0 -p 10.255.0.1 \
		-5 "$SHAPE" -H "$HELLO" -D "$DEAD" >"$WORK/$1.inj" 2>&1 &
	remember_pid $!
	INJ_PID=$!
}

spf_ms() { # MODE: the daemon's last SPF duration as it shows it, ms
	case $1 in
	fabricd) jctl fabricd-dut show spf | jq -r '.spf.last_duration_us / 1000' ;;
	frr) vty frr-dut 'show ip ospf json' | jq -r '.spfLastDurationMsecs // empty' ;;
	esac
}
# fabricd: the duration of the SPF run that installed all routes (its log)
spf_install_ms() {
	awk -v n="$1" '/ SPF #/ && $(NF-5) + 0 >= n { printf "%.1f", $(NF-1) / 1000; exit }' \
		"$WORK/fabricd-dut.log"
}

run_daemon() { # MODE: fabricd | frr
	local m=$1 pids
	setup "$m" || return 1
	if [ "$m" = fabricd ]; then
		cat >"$WORK/fabricd.conf" <<EOC
router-id = "10.255.0.1";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; network = "point-to-point"; hello-interval = $HELLO; dead-interval = $DEAD; }
  );
};
EOC
		fabricd_start fabricd-dut "$WORK/fabricd.conf" || return 1
		pids=$PID_fabricd_dut
	else
		frr_start frr-dut "frr defaults traditional
hostname dut
interface swp1
 ip ospf network point-to-point
 ip ospf hello-interval $HELLO
 ip ospf dead-interval $DEAD
router ospf
 ospf router-id 10.255.0.1
 maximum-paths 64
 network 10.0.0.0/8 area 0" || return 1
		pids="$(cat "$WORK/frr-frr-dut/zebra.pid") $(cat "$WORK/frr-frr-dut/ospfd.pid")"
	fi
	[ -n "${PRIO:-}" ] && renice -n "$PRIO" -p $pids >/dev/null
	# MinLSInterval (5 s) from the daemon's first Router-LSA would hold back
	# the one with the new adjacency: start the injector after it.
	sleep 6
	start_watch "$m"
	local base; base=$(route_count "$WORK/$m.watch")
	local cpu0; cpu0=$(cpu_s $pids)
	local rq0; rq0=$(rq_wait_ms $pids)
	start_inject "$m"
	if ! wait_slow "$LIMIT" routes_ge "$WORK/$m.watch" $((base + NPFX)); then
		echo "$m: only $(route_count "$WORK/$m.watch") routes after ${LIMIT}s (want $((base + NPFX)))"
		tail -5 "$WORK/$m.inj"
		return 1
	fi
	local t_routes t_exch t_loaded
	t_routes=$(watch_time "$WORK/$m.watch" ge $((base + NPFX)))
	t_exch=$(event_time "$WORK/$m.inj" exchange)
	t_loaded=$(event_time "$WORK/$m.inj" loaded)
	local cpu; cpu=$(awk -v a="$(cpu_s $pids)" -v b="$cpu0" 'BEGIN { printf "%.2f", a - b }')
	local rq; rq=$(( $(rq_wait_ms $pids) - rq0 ))
	sleep 1 # let the SPF triggered by the last LSAs be reported
	local spf1
	if [ "$m" = fabricd ]; then spf1=$(spf_install_ms "$NPFX"); else spf1=$(spf_ms "$m"); fi
	# The withdrawal starts from a quiet SPF scheduler (RFC 8405 back-off:
	# HOLDDOWN 5 s; FRR's throttle resets after a quiet hold time).
	sleep 6
	# withdrawal of spine plane 0
	kill -USR1 "$INJ_PID"
	wait_quiet 10 grep -q ' withdraw ' "$WORK/$m.inj"
	local t_wd n_wd
	t_wd=$(awk '$2 == "withdraw" { print $1; exit }' "$WORK/$m.inj")
	n_wd=$(awk '$2 == "withdraw" { print $5; exit }' "$WORK/$m.inj")
	local want=$((base + NPFX - n_wd)) t_gone=
	if wait_slow 30 routes_le "$WORK/$m.watch" $want; then
		t_gone=$(watch_time "$WORK/$m.watch" le $want "$t_wd")
	fi
	sleep 1
	local spf2; spf2=$(spf_ms "$m")
	local rss; rss=$(hwm_mb $pids) # the peak of the whole run
	RESULTS+=("$(printf '| %s | %d | %s ms | %s ms | %s ms | %s ms | %s MB | %s s (waited %s s for a CPU) | %s ms (%s routes) |' \
		"$m" "$NPFX" "$((t_routes - t_exch))" "$((t_routes - t_loaded))" "$spf1" "$spf2" \
		"$rss" "$cpu" "$(awk -v w="$rq" 'BEGIN { printf "%.2f", w / 1000 }')" \
		"${t_gone:+$((t_gone - t_wd))}" "$n_wd")")
	echo "${RESULTS[-1]}"
}

run_ipbatch() {
	setup ipbatch || return 1
	local f="$WORK/routes.batch" p
	for p in "${FAB[@]}"; do echo "route add $p via 10.254.0.0 dev swp1 proto 188"; done >"$f"
	start_watch ipbatch
	local base; base=$(route_count "$WORK/ipbatch.watch")
	local t0 t1 t_routes
	t0=$(now_ms)
	$NICE /usr/bin/time -o "$WORK/ipbatch.time" -f '%U %S' ip -n "$(ns ipbatch-dut)" -batch "$f" || return 1
	t1=$(now_ms)
	local cpu; cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/ipbatch.time")
	wait_slow 60 routes_ge "$WORK/ipbatch.watch" $((base + NPFX)) || return 1
	# the watch's stamps are CLOCK_MONOTONIC: its last line vs. its first
	t_routes=$(watch_time "$WORK/ipbatch.watch" ge $((base + NPFX)))
	local first; first=$(watch_time "$WORK/ipbatch.watch" ge $((base + 1)))
	RESULTS+=("$(printf '| ip -batch (reference) | %d | %s ms (ip -batch wall), first to last route %s ms | - | - | - | - | %s s | - |' \
		"$NPFX" "$((t1 - t0))" "$((t_routes - first))" "$cpu")")
	echo "${RESULTS[-1]}"
}

log "fabric $SHAPE: $NPFX prefixes; modes: $MODES"
for m in $MODES; do
	case $m in
	fabricd | frr) run_daemon "$m" || fail "$m" ;;
	ipbatch) run_ipbatch || fail "$m" ;;
	esac
done
echo
echo "| dut | routes | exchange start -> all in kernel | loaded -> all in kernel | SPF that installed them | SPF after the withdrawal (show) | peak RSS | CPU until routes in | withdrawal -> kernel |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${RESULTS[@]}"
[ "$NFAIL" -eq 0 ]
