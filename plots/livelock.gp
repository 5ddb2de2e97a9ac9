# SPDX-License-Identifier: MIT
# livelock.gp: delivered vs offered rate past each forwarder's NDR (receive livelock).
load scripts.'/common.gp'
set title 'Delivered vs offered rate (64 B frames): past the NDR'
set xlabel 'offered rate (Mpps, asked of the generator)'
set ylabel 'delivered to the sink (Mpps)'
set xrange [0:*]
set yrange [0:*]
extra = extra.", x with lines lc 'gray' dt 3 title 'delivered = offered'"
load scripts.'/lines.gp'
