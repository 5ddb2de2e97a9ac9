# SPDX-License-Identifier: MIT
# rings.gp: run to completion (none) vs an RX -> ring -> TX thread pipeline, per ring kind.
load scripts.'/common.gp'
set title 'Run to completion vs a two-thread pipeline through a ring (64 B frames)'
set xlabel 'forwarder and link'
set ylabel 'forwarded to the sink (Mpps)'
load scripts.'/bars.gp'
