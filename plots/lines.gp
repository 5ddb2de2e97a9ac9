# SPDX-License-Identifier: MIT
# lines.gp: the body of every line plot. One data block per series (and metric): x, median,
# min, max, flag. Colour follows the series (block % nseries), the dash pattern the metric
# (block / nseries); flag 0 draws a filled marker, 1 (generator-bound) a hollow one, 2
# (invalid) a cross, 3 (mixed: the repeats' verdicts disagree) an open diamond. The calling script sets titles, axes and `extra` (more curves).
set offsets graph 0.03, graph 0.03, 0, 0
plot for [i=0:nblocks-1] datafile index i using 1:2 with lines lc ((i%nseries)+1) dt 1+i/nseries lw 2 title columnheader(1), \
     for [i=0:nblocks-1] datafile index i using 1:($5==0?$2:NaN):3:4 with yerrorbars lc ((i%nseries)+1) pt 7 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==1?$2:NaN):3:4 with yerrorbars lc ((i%nseries)+1) pt 6 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==2?$2:NaN) with points lc ((i%nseries)+1) pt 2 ps 2 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==3?$2:NaN):3:4 with yerrorbars lc ((i%nseries)+1) pt 12 ps 1.5 notitle, \
     @markers @extra
