# SPDX-License-Identifier: MIT
# cpu-load.gp: the forwarder's CPU use (user + system, while the generator ran) vs offered load.
load scripts.'/common.gp'
set title 'Forwarder CPU use vs offered load (64 B frames)'
set xlabel 'offered load (% of the forwarder''s own throughput at 64 B, from the linerate experiment)'
set ylabel 'DUT CPU time, user + system (% of one core)'
set xrange [0:105]
set yrange [0:*]
# nine series and two markers' worth of legend: to the right, one entry per line
set key outside right top vertical maxrows 40 box opaque width 1 font ',9'
set bmargin 5
load scripts.'/lines.gp'
