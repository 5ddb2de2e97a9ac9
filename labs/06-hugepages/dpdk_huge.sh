#!/bin/sh
# SPDX-License-Identifier: MIT
# dpdk_huge.sh FWD_DPDK (lab 06, given): the project's DPDK forwarder on two net_null ports (a
# PMD that costs almost nothing, so the mbuf pool's memory is what the rate shows), with the EAL
# and the pool on 2 MB pages and with --no-huge, alternating, ROUNDS rounds of 2 s each on CPU 1.
# Prints Mpps and cycles per packet and writes dpdk.dat (the best round of each). Run it with
# free huge pages (make perf reserves them); needs root.
set -u
fwd=$1
rounds=${ROUNDS:-2}
if [ ! -x "$fwd" ]; then
	echo "dpdk_huge.sh: $fwd is not built: run make at the top of the repository" >&2
	exit 2
fi
best_on=0 best_off=0 cyc_on=0 cyc_off=0
for r in $(seq "$rounds"); do
	for h in on off; do
		# the csv row: hugepages is column 10, rx_pps 21, cycles_per_pkt 35
		row=$("$fwd" -l 1 --no-pci --vdev=net_null0 --vdev=net_null1 -- --in-port net_null0 \
			--out-port net_null1 --duration 2 --hugepages $h -f csv 2>/dev/null | tail -1)
		mpps=$(echo "$row" | awk -F, '{ printf "%.1f", $21 / 1e6 }')
		cyc=$(echo "$row" | awk -F, '{ printf "%.1f", $35 }')
		echo "  fwd-dpdk net_null, huge pages $h, round $r: $mpps Mpps, $cyc cycles/packet"
		if [ "$h" = on ] && awk "BEGIN { exit !($mpps > $best_on) }"; then
			best_on=$mpps cyc_on=$cyc
		elif [ "$h" = off ] && awk "BEGIN { exit !($mpps > $best_off) }"; then
			best_off=$mpps cyc_off=$cyc
		fi
	done
done
printf '"2 MB pages" %s %s\n"--no-huge" %s %s\n' "$best_on" "$cyc_on" "$best_off" "$cyc_off" > dpdk.dat
echo "fwd-dpdk on net_null, best of $rounds: huge pages $best_on Mpps ($cyc_on cycles/packet)," \
	"--no-huge $best_off Mpps ($cyc_off cycles/packet)"
