#!/bin/sh
# Build bench_spf without sanitizers (a clean copy of the tree, so the
# source tree may stay configured with --enable-sanitizers) and run it.
# bench_spf runs fabricd's own code: the engine's LSDB (lsdb_install, as a
# received LSA is installed), its lookup (ospf_lsdb_lookup) and spf_run_ws.
#   bench/spf.sh [bench_spf options...]      e.g. bench/spf.sh -n 50
#   bench/spf.sh rows [RUNS]                  the rows of BENCHMARKS.md
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SPF_BENCH_DIR:-/tmp/fabricd-spf-bench}
rm -rf "$build"
mkdir -p "$build"
# the working tree's tracked files, uncommitted changes included
(cd "$src" && git ls-files -z | xargs -0 tar -c) | tar -x -C "$build"
cd "$build"
autoreconf -fi >/dev/null 2>&1
./configure -q
make -s bench/bench_spf >/dev/null
if [ "${1:-}" = rows ]; then
	n=${2:-20}
	./bench/bench_spf -n "$n" -L -3 32,968             # 1,000 routers
	./bench/bench_spf -n "$n" -L -5 32,8,304,4         # 10,016 routers
	./bench/bench_spf -n "$n" -L -5 32,8,304,4 -x 89984 # + externals: 100,000 LSAs
	./bench/bench_spf -n 5 -5 128,8,773,4              # 100,000 routers
	exit 0
fi
exec ./bench/bench_spf "$@"
