#!/usr/bin/env bash
# Build every libFuzzer harness in tests/fuzz with clang (ASan+UBSan) and run
# each for FUZZ_SECONDS on its seed corpus (or FUZZ_RUNS executions; FUZZ_ONLY=REGEX
# picks harnesses). Usage: run.sh OUTDIR. Long campaigns: bench/fuzz_campaign.sh.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/fabricd-fuzz}; secs=${FUZZ_SECONDS:-20}
mkdir -p "$out"
command -v clang >/dev/null || { echo "SKIP fuzzers: clang not installed"; exit 0; }
CF="-g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DSYSCONFDIR=\"/etc\" -I$top"
rc=0
# fuzz_ospf_engine's seed: a real exchange to Full, recorded by the same
# file built as a two-engine simulation (-DMKSEEDS)
seed_engine() {
	clang -g -O1 -DMKSEEDS -D_GNU_SOURCE -I"$top" tests/fuzz/fuzz_ospf_engine.c $ENGINE $CRYPTO \
		-o "$out/mkseed_engine" 2>"$out/mkseed_engine.build" &&
		"$out/mkseed_engine" "$out/engine-seed-p2p"
}
build_run() { # name sources... [-- libs]
	local name=$1; shift
	local srcs=() libs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$top/$1"); shift; done
	[ $# -gt 0 ] && { shift; libs=("$@"); }
	for s in "${srcs[@]}"; do [ -f "$s" ] || { echo "FAIL $name: ${s#$top/} missing"; rc=1; return; }; done
	if ! clang $CF "${srcs[@]}" "${libs[@]}" -o "$out/$name" 2>"$out/$name.build"; then
		echo "FAIL $name: does not build"; cat "$out/$name.build"; rc=1; return
	fi
	mkdir -p "$out/$name.corpus"
	[ "$name" = fuzz_ospf ] && sh "$top/tests/fuzz/mkseeds.sh" "$out/$name.corpus" >/dev/null
	[ "$name" = fuzz_ospf_engine ] && cp "$out"/engine-seed* "$out/$name.corpus/" 2>/dev/null
	# the corpus of the long campaigns (BENCHMARKS.md, Fuzzing) seeds the short runs
	[ -d "$top/tests/fuzz/corpus/$name" ] && cp -r "$top/tests/fuzz/corpus/$name/." "$out/$name.corpus/"
	[ -n "${FUZZ_ONLY:-}" ] && [[ ! $name =~ $FUZZ_ONLY ]] && return
	local limit=(-max_total_time="$secs")
	[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
	local t0=$SECONDS
	if "$out/$name" "${limit[@]}" -artifact_prefix="$out/$name-" -print_final_stats=0 "$out/$name.corpus" >"$out/$name.log" 2>&1; then
		echo "PASS $name: $(grep -o 'Done [0-9]* runs' "$out/$name.log" | tail -1) in $((SECONDS - t0))s," \
			"$(grep -o 'cov: [0-9]* ft: [0-9]*' "$out/$name.log" | tail -1)"
	else
		echo "FAIL $name"; tail -30 "$out/$name.log"; rc=1
	fi
}
cd "$top"
shopt -s nullglob
# Whole parts by glob, so a file added to or removed from a part needs no edit here.
LIB="proto/lib/*.c"
CRYPTO=$(pkg-config --libs libcrypto 2>/dev/null)
OSPF="proto/ospf/packet.c proto/ospf/auth.c proto/ospf/lsa.c $LIB"
ENGINE="$(ls proto/ospf/*.c | grep -v -e '/spf' | tr '\n' ' ') $LIB"
BFD="proto/bfd/*.c $LIB"
CONF="conf/*.c proto/bfd/packet.c proto/bfd/auth.c $LIB"
# shellcheck disable=SC2086 # the lists are globs and words on purpose
{
build_run fuzz_ospf tests/fuzz/fuzz_ospf.c $OSPF -- $CRYPTO
seed_engine
build_run fuzz_ospf_engine tests/fuzz/fuzz_ospf_engine.c $ENGINE -- $CRYPTO
build_run fuzz_bfd tests/fuzz/fuzz_bfd.c $BFD -- $CRYPTO
build_run fuzz_conf tests/fuzz/fuzz_conf.c $CONF -- $(pkg-config --cflags --libs libconfig) $CRYPTO
build_run fuzz_ctl tests/fuzz/fuzz_ctl.c cli/ctl_proto.c cli/ctl_buf.c cli/ctl_commands.c
build_run fuzz_dot tests/fuzz/fuzz_dot.c cli/ctl_dot.c
build_run fuzz_spf tests/fuzz/fuzz_spf.c proto/ospf/spf*.c proto/ospf/lsa.c proto/ospf/lsa_summary.c \
	proto/ospf/lsa_external.c $LIB -- $CRYPTO
build_run fuzz_netlink tests/fuzz/fuzz_netlink.c fib/route.c fib/nhg.c fib/nh.c -- \
	$(pkg-config --cflags --libs libnl-3.0 libnl-route-3.0)
}
exit $rc
