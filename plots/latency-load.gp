# SPDX-License-Identifier: MIT
# latency-load.gp: p50 (solid) and p99 (dashed) latency vs offered load, per forwarder.
load scripts.'/common.gp'
set title 'Latency vs offered load (64 B frames)'
set xlabel 'offered load (% of the forwarder''s own throughput at 64 B, from the linerate experiment)'
set ylabel 'latency, generator TX to sink RX (us, log scale)'
set logscale y
set xrange [0:105]
# nine series and two markers' worth of legend: to the right, one entry per line
set key outside right top vertical maxrows 40 box opaque width 1 font ',9'
set bmargin 5
load scripts.'/lines.gp'
