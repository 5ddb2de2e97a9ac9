# SPDX-License-Identifier: MIT
# affinity.gp: forwarding rate with the forwarder pinned to its core vs floating.
load scripts.'/common.gp'
set title 'Forwarder pinned vs floating (64 B frames, unpaced generator)'
set xlabel 'forwarder and link'
set ylabel 'forwarded to the sink (Mpps)'
load scripts.'/bars.gp'
