#!/usr/bin/env bash
# Issue 10 (item 5): `fabricctl show metrics` is valid Prometheus text
# (promtool check metrics), control.metrics-listen serves the same at
# /metrics, and a real Prometheus server scrapes fabricd (up == 1, fabricd
# metrics queryable). A busy port is one clear error: at start fabricd
# exits non-zero; on reload the running config (and listener) stays.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fabric.sh"
command -v promtool >/dev/null || skip "promtool (Debian prometheus) is not installed"
command -v prometheus >/dev/null || skip "prometheus (Debian prometheus) is not installed"
command -v curl >/dev/null || skip "curl is not installed"
PORT=9342
fabric_topology || exit 1
for n in $SWITCHES; do
	fabric_conf_fabricd "$n" >"$WORK/$n.conf"
	[ "$n" = leaf1 ] && echo "control = { metrics-listen = \"127.0.0.1:$PORT\"; };" >>"$WORK/$n.conf"
	fabricd_start "$n" "$WORK/$n.conf" || { fail "fabric starts"; finish; exit 1; }
done
wait_for "leaf1: ECMP to h2" 40 paths_are leaf1 10.2.2.0/24 2
wait_for "leaf1: 2 BFD sessions Up" 10 bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show bfd | jq -e '[.sessions[] | select(.state == \"Up\")] | length == 2'"

# ---- show metrics ----
ctl leaf1 show metrics >"$WORK/metrics.txt"
check "show metrics passes promtool check metrics" bash -c "promtool check metrics <'$WORK/metrics.txt'"
m() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/metrics.txt"; }
check "fabricd_ospf_neighbors{state=\"Full\"} 2" test "$(m 'fabricd_ospf_neighbors{state="Full"}')" = 2
check "fabricd_bfd_sessions{state=\"Up\"} 2" test "$(m 'fabricd_bfd_sessions{state="Up"}')" = 2
check "fabricd_ospf_lsas{type=\"router\"} 4" test "$(m 'fabricd_ospf_lsas{type="router"}')" = 4
check "SPF histogram: +Inf bucket == count == runs > 0" bash -c "[ '$(m 'fabricd_spf_duration_seconds_bucket{le="+Inf"}')' = '$(m fabricd_spf_duration_seconds_count)' ] && [ '$(m fabricd_spf_runs_total)' = '$(m fabricd_spf_duration_seconds_count)' ] && [ '$(m fabricd_spf_runs_total)' -gt 0 ]"
check "FIB routes, install errors, drops by reason, BFD timer lateness present" bash -c "grep -q '^fabricd_fib_routes [1-9]' '$WORK/metrics.txt' && grep -q '^fabricd_fib_install_errors_total 0' '$WORK/metrics.txt' && grep -q '^fabricd_ospf_packets_dropped_total{reason=' '$WORK/metrics.txt' && grep -q '^fabricd_bfd_timer_late_max_seconds ' '$WORK/metrics.txt' && grep -q '^fabricd_ospf_adjacency_flaps_total 0' '$WORK/metrics.txt'"
check "per interface: hellos received on swp1" bash -c "[ '$(m 'fabricd_ospf_interface_packets_total{interface="swp1",type="hello",direction="rx"}')' -gt 0 ]"
check "show metrics on a switch without metrics-listen" bash -c "'$FABRICCTL' -s '$WORK/spine3.sock' show metrics | promtool check metrics"

# ---- HTTP ----
check "GET /metrics: 200, Prometheus content type" bash -c "nsx() { ip netns exec $(ns leaf1) \"\$@\"; }; nsx curl -sf -D '$WORK/hdr' -o '$WORK/http.txt' http://127.0.0.1:$PORT/metrics && grep -qi '^content-type: text/plain; version=0.0.4' '$WORK/hdr'"
check "GET /metrics passes promtool check metrics" bash -c "promtool check metrics <'$WORK/http.txt'"
check "GET /nothing: 404" bash -c "[ \"\$(ip netns exec $(ns leaf1) curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/nothing)\" = 404 ]"

# clients that connect and say nothing, or never read, do not hold up the
# daemon: its loop serves MHD without threads, never blocking
for k in 1 2 3 4 5 6 7 8; do
	nsx leaf1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n' >&3; exec sleep 20" &
	remember_pid $!
done
t0=$(now_ms)
check "8 stalled HTTP clients: fabricctl still answers" ctl leaf1 show version
check "8 stalled HTTP clients: another scrape is served" nsx leaf1 curl -sf -m 2 -o /dev/null http://127.0.0.1:$PORT/metrics
echo "both answered in $(( $(now_ms) - t0 )) ms"
check "8 stalled HTTP clients: BFD stays Up" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' --json show bfd | jq -e '[.sessions[] | select(.state == \"Up\")] | length == 2'"

# ---- a real Prometheus server in leaf1's namespace ----
cat >"$WORK/prometheus.yml" <<EOP
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: fabricd
    static_configs: [ { targets: ["127.0.0.1:$PORT"] } ]
EOP
nsx leaf1 prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
	--web.listen-address=127.0.0.1:9090 >"$WORK/prometheus.log" 2>&1 &
remember_pid $!
q() { nsx leaf1 curl -sf --get --data-urlencode "query=$1" http://127.0.0.1:9090/api/v1/query; }
wait_for "Prometheus: up{job=\"fabricd\"} == 1" 30 bash -c "$(declare -f q nsx ns); T=$T; q 'up{job=\"fabricd\"}' | jq -e '.data.result[0].value[1] == \"1\"'"
wait_for "Prometheus: fabricd_ospf_neighbors{state=\"Full\"} == 2" 10 bash -c "$(declare -f q nsx ns); T=$T; q 'fabricd_ospf_neighbors{state=\"Full\"}' | jq -e '.data.result[0].value[1] == \"2\"'"
hq() { q 'histogram_quantile(0.9, fabricd_spf_duration_seconds_bucket)' | jq -e '.status == "success" and (.data.result | length) == 1'; }
wait_for "Prometheus: the SPF histogram is usable (histogram_quantile)" 10 hq || q 'histogram_quantile(0.9, fabricd_spf_duration_seconds_bucket)'

# ---- a busy port ----
ns_add busy
nsx busy python3 -m http.server --bind 127.0.0.1 $PORT >/dev/null 2>&1 &
remember_pid $!
wait_quiet 10 nsx busy curl -sf -o /dev/null http://127.0.0.1:$PORT/
printf 'router-id = "10.255.0.9";\nospf = { interfaces = ( { name = "lo"; passive = true; } ); };\ncontrol = { metrics-listen = "127.0.0.1:%s"; };\n' $PORT >"$WORK/busy.conf"
out=$(timeout 10 ip netns exec "$(ns busy)" "$FABRICD" -c "$WORK/busy.conf" -s "$WORK/busy.sock" 2>&1); rc=$?
echo "$out" | tail -3
check "start with a busy metrics port: exit status non-zero" test "$rc" -ne 0 -a "$rc" -ne 124
check "start with a busy metrics port: one clear message" bash -c "grep -q 'metrics-listen 127.0.0.1:$PORT: Address already in use' <<<\"\$0\"" "$out"

# reload onto a busy port: refused, the running listener stays
nsx leaf1 python3 -m http.server --bind 127.0.0.1 9343 >/dev/null 2>&1 &
remember_pid $!
wait_quiet 10 nsx leaf1 curl -sf -o /dev/null http://127.0.0.1:9343/
sed -i "s/127.0.0.1:$PORT/127.0.0.1:9343/" "$WORK/leaf1.conf"
out=$(ctl leaf1 reload 2>&1); rc=$?
echo "$out"
check "reload onto a busy port fails with the reason" bash -c "[ $rc = 1 ] && grep -q 'metrics-listen 127.0.0.1:9343: Address already in use' <<<\"\$0\"" "$out"
check "reload onto a busy port: the running config keeps $PORT" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show running-config | grep -q 'metrics-listen = \"127.0.0.1:$PORT\"'"
check "reload onto a busy port: /metrics still served on $PORT" nsx leaf1 curl -sf -o /dev/null http://127.0.0.1:$PORT/metrics
check "metrics count the failed reload" bash -c "'$FABRICCTL' -s '$WORK/leaf1.sock' show metrics | grep -qx 'fabricd_reloads_total{result=\"failed\"} 1'"
# the same port on another address: the running listener makes room
sed -i "s/127.0.0.1:9343/0.0.0.0:$PORT/" "$WORK/leaf1.conf"
check "reload to 0.0.0.0:$PORT (the same port)" ctl leaf1 reload
check "after the reload: /metrics on 10.255.0.1:$PORT" nsx leaf1 curl -sf -o /dev/null http://10.255.0.1:$PORT/metrics
sed -i "s/0.0.0.0:$PORT/127.0.0.1:9344/" "$WORK/leaf1.conf"
check "reload onto a free port" ctl leaf1 reload
check "after the reload: /metrics on 9344" nsx leaf1 curl -sf -o /dev/null http://127.0.0.1:9344/metrics
check "after the reload: nothing on $PORT any more" bash -c "! ip netns exec $(ns leaf1) curl -s -o /dev/null http://127.0.0.1:$PORT/metrics"
check "the fabric was not disturbed" paths_are leaf1 10.2.2.0/24 2

# bad values are config errors with file:line
printf 'router-id = "10.255.0.9";\ncontrol = {\n  metrics-listen = "localhost:9342";\n};\n' >"$WORK/bad.conf"
out=$("$FABRICD" -c "$WORK/bad.conf" --check 2>&1); rc=$?
check "metrics-listen with a host name: file:line: message" bash -c "[ $rc = 1 ] && grep -q 'bad.conf:3: metrics-listen: .localhost. is not an IPv4 address' <<<\"\$0\"" "$out"
finish
