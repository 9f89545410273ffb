#!/bin/sh
# Build bench_spf without sanitizers (a clean copy of the tree, so the
# source tree may stay configured with --enable-sanitizers) and run it.
#   bench/spf.sh [bench_spf options...]      e.g. bench/spf.sh -n 50
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SPF_BENCH_DIR:-/tmp/fabricd-spf-bench}
rm -rf "$build"
mkdir -p "$build"
(cd "$src" && git archive HEAD) | tar -x -C "$build"
# uncommitted changes to the SPF sources count too
for f in proto/ospf/spf.c proto/ospf/spf.h proto/ospf/spf_ext.c proto/ospf/spf_priv.h \
	proto/ospf/lsa.c proto/ospf/lsa.h proto/ospf/lsa_external.c bench/bench_spf.c; do
	cp "$src/$f" "$build/$f"
done
cd "$build"
autoreconf -fi >/dev/null 2>&1
./configure -q
make -s bench/bench_spf >/dev/null
exec ./bench/bench_spf "$@"
