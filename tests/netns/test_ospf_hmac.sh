#!/usr/bin/env bash
# OSPFv2 HMAC-SHA authentication (RFC 5709) between fabricd pairs, one pair
# per algorithm (hmac-sha1, -sha256, -sha384, -sha512; FRR 8.4 has none of
# them for OSPFv2, so there is no FRR peer here): every pair goes Full; a key
# rollover by the clock (key 2 added by reload with a send-from a few
# seconds ahead, key 1 removed once it has passed) never flaps the
# adjacency; a wrong secret, a wrong Key ID and another algorithm each keep
# the adjacency down and are counted under their own name.
# (dead-interval 8 s: long enough that a loaded test machine does not take
# an adjacency down by the clock, which would read as a flap.)
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ALGS=(hmac-sha1 hmac-sha256 hmac-sha384 hmac-sha512)
for i in 1 2 3 4; do
	ns_add a$i && ns_add b$i || exit 1
	ip -n "$(ns a$i)" addr add 10.255.$i.1/32 dev lo
	ip -n "$(ns b$i)" addr add 10.255.$i.2/32 dev lo
	veth a$i swp1 b$i swp1 || exit 1
	ip -n "$(ns a$i)" addr add 10.9.$i.0/31 dev swp1
	ip -n "$(ns b$i)" addr add 10.9.$i.1/31 dev swp1
done

conf() { # NODE PAIR ALG KEYS: write NODE's config
	local rid=10.255.$2.1
	[ "${1:0:1}" = b ] && rid=10.255.$2.2
	cat >"$WORK/$1.conf" <<EOC
router-id = "$rid";
ospf = {
  interfaces = (
    { name = "lo"; passive = true; },
    { name = "swp1"; hello-interval = 1; dead-interval = 8;
      auth = "$3";
      keys = ( $4 ); }
  );
};
EOC
}
K1='{ id = 1; secret = "fabric-hmac-key-one"; }'
WRONG='{ id = 2; secret = "not-the-right-key"; }'
OTHER_ID='{ id = 9; secret = "fabric-hmac-key-two"; }'
for i in 1 2 3 4; do
	alg=${ALGS[$((i - 1))]}
	conf a$i $i $alg "$K1"
	conf b$i $i $alg "$K1"
	fabricd_start a$i "$WORK/a$i.conf" && fabricd_start b$i "$WORK/b$i.conf" ||
		{ fail "fabricd starts"; finish; exit 1; }
done

full() { jctl "$1" show neighbors | jq -e '[.neighbors[] | select(.state == "Full")] | length == 1'; }
not_full() { ! full "$1"; }
uptime() { jctl "$1" show neighbors | jq '.neighbors[0].uptime_s // -1'; }
drops() { jctl "$1" show counters | jq ".ospf.drops.$2 // 0"; }
all_auth_drops() {
	jctl "$1" show counters |
		jq '[.ospf.drops | to_entries[] | select(.key | startswith("auth")) | .value] | add'
}
reload() { conf "$1" "$2" "$3" "$4"; ctl "$1" reload >/dev/null; }
auth_key() { jctl "$1" show interfaces | jq -r '.interfaces[] | select(.name == "swp1") | "\(.auth) \(.auth_key)"'; }

for i in 1 2 3 4; do
	wait_for "${ALGS[$((i - 1))]}: a$i and b$i Full" 20 full a$i
	wait_for "${ALGS[$((i - 1))]}: b$i Full" 5 full b$i
	check "${ALGS[$((i - 1))]}: running-config says so" \
		bash -c "'$FABRICCTL' -s '$WORK/a$i.sock' show running-config | grep -q 'auth = \"${ALGS[$((i - 1))]}\"'"
	check "${ALGS[$((i - 1))]}: no authentication drops" test "$(all_auth_drops a$i)" = 0
	check "${ALGS[$((i - 1))]}: show interfaces: signing with key 1" \
		test "$(auth_key a$i)" = "${ALGS[$((i - 1))]} 1"
done

# Rollover by the clock on every pair: key 2 starts sending 5 s from now;
# both keys are accepted meanwhile. Once that time has passed, key 1 goes.
from=$(date -u -d "@$(( $(date +%s) + 5 ))" +%Y-%m-%dT%H:%M:%SZ)
K2="{ id = 2; secret = \"fabric-hmac-key-two\"; send-from = \"$from\"; }"
declare -A up0
t0=$(date +%s)
for i in 1 2 3 4; do
	up0[$i]=$(uptime a$i)
	reload a$i $i ${ALGS[$((i - 1))]} "$K1, $K2"
	reload b$i $i ${ALGS[$((i - 1))]} "$K1, $K2"
done
check "rollover: running-config shows key 2's send-from" \
	bash -c "'$FABRICCTL' -s '$WORK/a1.sock' show running-config | grep -q 'send-from = \"$from\"'"
past() { [ "$(date +%s)" -ge $(( $(date -u -d "$from" +%s) + 2 )) ]; }
wait_for "rollover: the clock passes key 2's send-from (+2 s)" 15 past
for i in 1 2 3 4; do
	check "rollover ${ALGS[$((i - 1))]}: show interfaces: b$i signs with key 2" \
		test "$(auth_key b$i)" = "${ALGS[$((i - 1))]} 2"
done
# a drops key 1 first: b, which still has both, must already be signing
# with key 2 by the clock, or a would refuse its packets (auth_key_id).
rx() { jctl "$1" show counters | jq '.ospf.rx_packets'; }
more_rx() { [ "$(rx "$1")" -gt $(( $2 + 4 )) ]; }
for i in 1 2 3 4; do reload a$i $i ${ALGS[$((i - 1))]} "$K2"; done
n0=$(rx a4)
wait_for "rollover: a4 keeps receiving with key 1 removed on a only" 15 more_rx a4 "$n0"
for i in 1 2 3 4; do
	check "rollover ${ALGS[$((i - 1))]}: b$i signs with key 2 by the clock (a$i drops nothing)" \
		test "$(all_auth_drops a$i)" = 0
	reload b$i $i ${ALGS[$((i - 1))]} "$K2"
done
n0=$(rx a1)
wait_for "rollover: a1 keeps receiving with key 1 gone on both sides" 15 more_rx a1 "$n0"
for i in 1 2 3 4; do
	alg=${ALGS[$((i - 1))]}
	check "rollover $alg: a$i still Full" full a$i
	check "rollover $alg: b$i still Full" full b$i
	check "rollover $alg: neighbor uptime kept growing (${up0[$i]} s, $(( $(date +%s) - t0 )) s ago)" \
		test "$(uptime a$i)" -ge $(( ${up0[$i]} + $(date +%s) - t0 - 1 ))
	check "rollover $alg: the adjacency never left Full" \
		bash -c "! grep -qE 'on swp1: Full -> ' '$WORK/a$i.log' '$WORK/b$i.log'"
	check "rollover $alg: no authentication drops" test "$(all_auth_drops a$i)" = 0
done

# Wrong keys: a wrong secret (sha1 pair), another Key ID (sha512 pair),
# another algorithm (sha256 pair talking to sha384).
reload b1 1 hmac-sha1 "$WRONG"
reload b4 4 hmac-sha512 "$OTHER_ID"
reload b2 2 hmac-sha384 "$K2"
for i in 1 4 2; do
	wait_for "wrong key: a$i loses the adjacency" 15 not_full a$i
done
counted() { [ "$(drops "$1" "$2")" -gt 0 ]; }
wait_for "wrong secret: a1 counts auth_fail" 5 counted a1 auth_fail
wait_for "wrong key id: a4 counts auth_key_id" 5 counted a4 auth_key_id
wait_for "other algorithm: a2 counts auth_length" 5 counted a2 auth_length
check "the sha384 pair is untouched" full a3
reload b1 1 hmac-sha1 "$K2"
wait_for "right key again: a1 Full" 20 full a1
finish
