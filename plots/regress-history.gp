# SPDX-License-Identifier: MIT
# regress-history.gp: the Tier 3 trend of one `linerate regress` metric (e.g. instructions per
# packet under callgrind): the value of each figure per run, one line per figure id, so that a
# step change (a regression, or a rebaseline) stands out. Data: one block per figure, "run
# value" lines, title on the block's first line; written by `linerate plot --history`.
load scripts.'/common.gp'
set title sprintf("linerate regress history: %s per run (Tier 1, callgrind)", metric) noenhanced
set xlabel 'run (in the order of the history file)'
set ylabel sprintf('%s (%s)', metric, unit) noenhanced
set xrange [0.5:nruns+0.5]
if (nruns <= 20) set xtics 1
set key noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
plot for [i=0:nblocks-1] datafile index i using 1:2 with linespoints lw 2 pt 7 title columnheader(1)
