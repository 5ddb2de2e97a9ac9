# SPDX-License-Identifier: MIT
# linerate.gp: loss-free throughput per frame size against the theoretical line rate,
# pps = R / ((L + 20) * 8): each frame of L bytes takes L + 20 bytes of wire time (preamble,
# start delimiter, inter-frame gap). The classic DPDK packet-size chart.
load scripts.'/common.gp'
# labelled: the rows are an RFC 2544 NDR search (full profile); else an unpaced generator's.
if (labelled) { set title 'Loss-free forwarding rate (RFC 2544 NDR) vs frame size' } else { set title 'Forwarding rate at maximum offered load vs frame size (short trials)' }
set xlabel 'frame size L (bytes, Ethernet header through FCS)'
set ylabel 'throughput (Mpps, log scale)'
set logscale y
set xrange [32:1560]
set xtics (64, 128, 256, 512, 1024, 1280, 1518)
lr(R, L) = R / ((L + 20) * 8) / 1e6
extra = ", lr(10e9, x) with lines lc rgb '#444444' dt 2 lw 2 title 'line rate 10G', lr(40e9, x) with lines lc rgb '#444444' dt 4 lw 2 title 'line rate 40G'"
set samples 400
load scripts.'/lines.gp'
