# SPDX-License-Identifier: MIT
# latency-load-loss.gp: frames lost at each load point of latency-load.gp (lost / sent, %):
# a point above zero is lossy, and its latency counts only the frames that arrived.
load scripts.'/common.gp'
set title 'Frames lost vs offered load (64 B frames)'
set xlabel 'offered load (% of the forwarder''s own throughput at 64 B, from the linerate experiment)'
set ylabel 'frames lost (% of sent)'
set xrange [0:105]
set yrange [0:*]
load scripts.'/lines.gp'
