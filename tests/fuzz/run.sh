#!/usr/bin/env bash
# Build every libFuzzer harness in tests/fuzz with clang (ASan+UBSan) and run
# each for FUZZ_SECONDS on its seed corpus. Usage: run.sh OUTDIR
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/fabricd-fuzz}; secs=${FUZZ_SECONDS:-20}
mkdir -p "$out"
command -v clang >/dev/null || { echo "SKIP fuzzers: clang not installed"; exit 0; }
CF="-g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DSYSCONFDIR=\"/etc\" -I$top"
rc=0
build_run() { # name sources... [-- libs]
	local name=$1; shift
	local srcs=() libs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$top/$1"); shift; done
	[ $# -gt 0 ] && { shift; libs=("$@"); }
	for s in "${srcs[@]}"; do [ -f "$s" ] || { echo "SKIP $name: ${s#$top/} missing"; return; }; done
	if ! clang $CF "${srcs[@]}" "${libs[@]}" -o "$out/$name" 2>"$out/$name.build"; then
		echo "FAIL $name: does not build"; cat "$out/$name.build"; rc=1; return
	fi
	mkdir -p "$out/$name.corpus"
	[ "$name" = fuzz_ospf ] && sh "$top/tests/fuzz/mkseeds.sh" "$out/$name.corpus" >/dev/null
	if "$out/$name" -max_total_time="$secs" -print_final_stats=0 "$out/$name.corpus" >"$out/$name.log" 2>&1; then
		echo "PASS $name: $(grep -o 'Done [0-9]* runs' "$out/$name.log" | tail -1) in ${secs}s"
	else
		echo "FAIL $name"; tail -30 "$out/$name.log"; rc=1
	fi
}
build_run fuzz_ospf tests/fuzz/fuzz_ospf.c proto/ospf/packet.c proto/ospf/auth.c proto/ospf/lsa.c proto/lib/digest.c -- $(pkg-config --cflags --libs libcrypto)
build_run fuzz_bfd tests/fuzz/fuzz_bfd.c proto/bfd/packet.c proto/bfd/session.c proto/bfd/auth.c proto/lib/digest.c -- $(pkg-config --cflags --libs libcrypto)
build_run fuzz_conf tests/fuzz/fuzz_conf.c conf/config.c conf/iface.c conf/keys.c conf/value.c conf/prescan.c conf/write.c conf/diff.c proto/bfd/packet.c -- $(pkg-config --cflags --libs libconfig)
build_run fuzz_ctl tests/fuzz/fuzz_ctl.c cli/ctl_proto.c cli/ctl_buf.c cli/ctl_commands.c
exit $rc
