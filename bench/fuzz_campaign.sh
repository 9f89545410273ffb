#!/usr/bin/env bash
# A fuzzing campaign: every harness of tests/fuzz (ASan+UBSan) for RUNS
# executions (default 10,000,000), starting from the committed corpus; the
# inputs that reached new coverage are merged back into tests/fuzz/corpus/NAME
# (libFuzzer -merge=1 keeps the smallest set with the same coverage). Prints
# one line per harness: executions, time, coverage, and any crash (a crash
# stops that harness; its input is left in OUTDIR as crash-*).
# Usage: bench/fuzz_campaign.sh [RUNS] [OUTDIR]   (FUZZ_ONLY=REGEX for some)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10000000}; out=${2:-/tmp/fabricd-campaign}
mkdir -p "$out"
FUZZ_RUNS=$runs bash "$top/tests/fuzz/run.sh" "$out" | tee "$out/summary.txt"
for c in "$out"/*.corpus; do
	name=$(basename "$c" .corpus)
	[ -x "$out/$name" ] || continue
	[ -n "${FUZZ_ONLY:-}" ] && [[ ! $name =~ $FUZZ_ONLY ]] && continue
	mkdir -p "$top/tests/fuzz/corpus/$name"
	"$out/$name" -merge=1 "$top/tests/fuzz/corpus/$name" "$c" >"$out/$name.merge" 2>&1
	echo "$name: corpus $(ls "$top/tests/fuzz/corpus/$name" | wc -l) files"
done
ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* 2>/dev/null | sed 's/^/found: /'
