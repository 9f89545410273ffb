#!/bin/sh
# Write one binary seed file per OSPF packet (IP proto 89, IPv4 header
# stripped using its IHL) from the capture .hex files into DIR.
# Usage: tests/fuzz/mkseeds.sh DIR [file.hex ...]
set -eu
dir=${1:?usage: mkseeds.sh DIR [file.hex ...]}
shift
[ $# -gt 0 ] || set -- "$(dirname "$0")/../data/frr-p2p.hex" "$(dirname "$0")/../data/frr-bcast-md5.hex"
mkdir -p "$dir"
for f in "$@"; do
	base=$(basename "$f" .hex)
	grep -v '^#' "$f" | while read -r frame _src _dst proto _bar hex; do
		[ "$proto" = 89 ] || continue
		ihl=$(( $(printf '%d' "0x$(printf %s "$hex" | cut -c2)") * 8 ))
		printf %s "$hex" | cut -c$((ihl + 1))- | xxd -r -p > "$dir/$base-$frame.bin"
	done
done
echo "seeds in $dir: $(ls "$dir" | wc -l)"
