# SPDX-License-Identifier: MIT
# bars.gp: the body of every bar plot. Groups along x (xtics_cmd names them), one data block
# per bar of a group: group, median, min, max, flag. Flag 0 draws a filled bar, 1
# (generator-bound) a hollow one, 2 (invalid) a cross, 3 (mixed: the repeats' verdicts
# disagree) a hatched one; black bars span min..max.
eval xtics_cmd
set xrange [-0.6:ngroups-0.4]
if (!exists("logy")) set yrange [0:*]
set xtics rotate by -20
set style fill solid 0.8 border -1
bw = 0.8 / nblocks
off(i) = -0.4 + bw * (i + 0.5)
plot for [i=0:nblocks-1] datafile index i using ($1+off(i)):($5==0?$2:NaN):(bw*0.9) with boxes lc i+1 fs solid 0.8 title columnheader(1), \
     for [i=0:nblocks-1] datafile index i using ($1+off(i)):($5==1?$2:NaN):(bw*0.9) with boxes lc i+1 lw 2 fs empty notitle, \
     for [i=0:nblocks-1] datafile index i using ($1+off(i)):($5==2?$2:NaN) with points lc i+1 pt 2 ps 2 notitle, \
     for [i=0:nblocks-1] datafile index i using ($1+off(i)):($5==3?$2:NaN):(bw*0.9) with boxes lc i+1 lw 2 fs pattern 4 notitle, \
     for [i=0:nblocks-1] datafile index i using ($1+off(i)):2:3:4 with yerrorbars lc rgb 'black' pt 7 ps 0.3 notitle, \
     NaN with boxes lc rgb 'gray' fs solid 0.8 title 'ok: median, bars min..max', \
     NaN with boxes lc rgb 'gray' lw 2 fs empty title 'generator-bound (DUT not the limit)', \
     NaN with points lc rgb 'black' pt 2 title 'invalid (never a record)', \
     NaN with boxes lc rgb 'gray' lw 2 fs pattern 4 title 'mixed: repeats disagree or undecided'
