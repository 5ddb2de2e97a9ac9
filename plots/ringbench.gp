# SPDX-License-Identifier: MIT
# ringbench.gp: ring throughput between two threads on two cores vs burst size.
load scripts.'/common.gp'
set title 'Ring throughput between two cores (linerate ringbench)'
set xlabel 'burst size (items per enqueue/dequeue call, log scale)'
set ylabel 'throughput (million items/s)'
set logscale x 2
set yrange [0:*]
load scripts.'/lines.gp'
