# SPDX-License-Identifier: MIT
# batch.gp: forwarding rate vs the forwarder's batch size (packets per call or burst).
load scripts.'/common.gp'
set title 'Forwarding rate vs batch size (64 B frames, unpaced generator)'
set xlabel 'DUT batch size (packets per system call or burst, log scale)'
set ylabel 'forwarded to the sink (Mpps)'
set logscale x 2
set yrange [0:*]
load scripts.'/lines.gp'
