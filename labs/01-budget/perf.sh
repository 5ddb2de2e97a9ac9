#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# perf.sh YOURS_DIR REF_DIR OUT_DIR: lab 01's measure-and-plot step (as root, after
# `linerate topo up --hugepages 256`). Measures, at 64 B and tgen's full speed:
#   1. the generator's own ceiling (tgen selftest over the loop pair, no DUT),
#   2. the cycles per packet of each forwarder: fwd-sock and fwd-afp (kernel), fwd-dpdk on the
#      same veth links (net_af_packet), fwd-dpdk over memif with tgen's DPDK engine (no kernel),
# then places every measured cost against the 64 B budget at 10G, 40G and 100G with your
# lab01-budget and with the reference's, on the same figures, and grades that they agree
# (this lab's code is arithmetic: it is graded for being right, not for speed).
# Writes OUT_DIR/forwarders.csv, place-yours.csv, place-reference.csv, budget.png.
set -uo pipefail
yours=$1 ref=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../perf-lib.sh"
bin=$(cd "$here/../.." && pwd)/build/bin
dur=${LAB01_DURATION:-1500ms}
mkdir -p "$out"
log=$out/perf.log
: > "$log"

if [ "$(id -u)" != 0 ]; then
	echo "lab 01 perf: needs root (namespaces, AF_PACKET, DPDK); run it with sudo" >&2
	exit 4
fi
if [ ! -e /run/netns/lr-dut ]; then
	echo "lab 01 perf: no lr- topology: run 'build/bin/linerate topo up --hugepages 256' first" >&2
	exit 4
fi

field() { # field NAME FILE: a number from a JSON row
	grep -o "\"$1\":[-0-9.e+]*" "$2" | tail -1 | cut -d: -f2
}
csvcol() { # csvcol N FILE: column N of the last data row
	tail -1 "$2" | cut -d, -f"$1"
}

# 1. the generator's ceiling
echo "== 1. the generator's own ceiling (tgen selftest, 64 B, no DUT)"
"$bin/tgen" selftest --size 64 --duration 1s --format csv > "$out/selftest.csv" 2>> "$log"
ceiling=$(csvcol 21 "$out/selftest.csv")
awk -v p="${ceiling:-0}" 'BEGIN { printf "   tgen afp engine: %.3f Mpps\n", p / 1e6 }'

# 2. the forwarders
fwd_trial() { # name forwarder-command tgen-command
	local name=$1 fcmd=$2 tcmd=$3 pid cyc rx
	$fcmd --format json > "$out/$name.json" 2>> "$log" &
	pid=$!
	sleep "${LAB01_SETTLE:-2}"
	$tcmd --size 64 --rate max --duration "$dur" --format csv > "$out/$name-tgen.csv" 2>> "$log"
	kill -INT "$pid" 2> /dev/null
	wait "$pid"
	cyc=$(field cycles_per_pkt "$out/$name.json")
	rx=$(field rx_pps "$out/$name.json")
	if [ -z "$cyc" ] || [ "$cyc" = "-1" ]; then
		echo "   $name: no measurement (see $log)"
		return
	fi
	awk -v n="$name" -v c="$cyc" -v r="$rx" \
		'BEGIN { printf "   %-16s %10.1f cycles/packet, forwarded %.3f Mpps\n", n, c, r / 1e6 }'
	echo "$name,$cyc,$rx" >> "$out/forwarders.csv"
}
echo "name,cycles_per_pkt,rx_pps" > "$out/forwarders.csv"
echo "== 2. cycles per packet of each forwarder (tgen unpaced, 64 B, $dur)"
memif="socket-abstract=no"
fwd_trial fwd-sock "$bin/fwd-sock" "$bin/tgen run --dst-ip 198.18.0.2"
fwd_trial fwd-afp "$bin/fwd-afp" "$bin/tgen run"
fwd_trial fwd-dpdk-veth "$bin/fwd-dpdk -l 1 --" "$bin/tgen run"
fwd_trial fwd-dpdk-memif "$bin/fwd-dpdk -l 1 -- --memif" \
	"$bin/tgen -l 0 --no-pci -- run --engine dpdk \
	--tx-port net_memif0,role=client,id=0,socket=/run/linerate/lr-fwd-in.sock,$memif \
	--rx-port net_memif1,role=client,id=0,socket=/run/linerate/lr-fwd-out.sock,$memif"

# 3. placement with yours and with the reference
# one clock frequency for both programs (each would calibrate its own, a few kHz apart)
hz=$("$ref/budget" table | awk -F, 'NR == 2 { printf "%.0f", $6 / $5 * 1e9 }')
echo "== 3. against the 64 B budget (TSC $hz Hz)"
hdr="name,cycles_per_pkt,core_mpps,frame_size,link,budget_cycles,cores_needed,keeps_up"
echo "$hdr" > "$out/place-yours.csv"
echo "$hdr" > "$out/place-reference.csv"
tail -n +2 "$out/forwarders.csv" | while IFS=, read -r name cyc _; do
	for link in 10G 40G 100G; do
		"$yours/budget" place --name "$name" --cycles "$cyc" --size 64 --link "$link" --hz "$hz" >> "$out/place-yours.csv"
		"$ref/budget" place --name "$name" --cycles "$cyc" --size 64 --link "$link" --hz "$hz" >> "$out/place-reference.csv"
	done
done
table_print "$out/place-yours.csv"
for link in 10G 40G 100G; do
	"$yours/budget" table --link "$link" --hz "$hz" > "$out/table-yours-$link.csv"
	"$ref/budget" table --link "$link" --hz "$hz" > "$out/table-reference-$link.csv"
done

rc=0
echo "== grade: your placement and tables against the reference's, on the same figures"
if [ "$(wc -l < "$out/forwarders.csv")" -lt 2 ]; then
	echo "   no forwarder was measured: see $log"
	rc=1
fi
if diff -u "$out/place-reference.csv" "$out/place-yours.csv" > "$out/place.diff"; then
	echo "   placement: the same as the reference: PASS"
else
	echo "   placement differs from the reference: FAIL"
	sed 's/^/   /' "$out/place.diff" | head -20
	rc=1
fi
for link in 10G 40G 100G; do
	if cmp -s "$out/table-reference-$link.csv" "$out/table-yours-$link.csv"; then
		echo "   table at $link: the same as the reference: PASS"
	else
		echo "   table at $link differs from the reference: FAIL"
		rc=1
	fi
done

if command -v gnuplot > /dev/null; then
	gnuplot -e "dir='$out'" "$here/budget.gp" 2>> "$log" && echo "== plot: $out/budget.png"
fi
[ "$rc" = 0 ] && echo "== lab 01 perf: PASS" || echo "== lab 01 perf: FAIL"
exit "$rc"
