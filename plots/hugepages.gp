# SPDX-License-Identifier: MIT
# hugepages.gp: forwarding rate with buffers on 2 MB huge pages (on) or 4 KB pages (off).
load scripts.'/common.gp'
set title 'Huge pages on vs off (64 B frames, unpaced generator)'
set xlabel 'forwarder and link'
set ylabel 'forwarding rate (Mpps, log scale)'
logy = 1
set logscale y
load scripts.'/bars.gp'
