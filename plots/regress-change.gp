# SPDX-License-Identifier: MIT
# regress-change.gp: the figures of one `linerate regress` run as bars of their change vs the
# baseline, in percent. Tier 1 figures (instruction counts, the gate) are blue, red when above
# the threshold (drawn as a dashed red line); Tier 2 cycle figures (paired timing, evidence)
# are grey with their bootstrap 95% interval and Tier 2's own +5% gate (dotted). Data: index, change, lo, hi, kind, label
# (kind 0 Tier 1 ok, 1 Tier 1 regression, 2 Tier 2), written by regress_out.c.
load scripts.'/common.gp'
set title sprintf("linerate regress: change per figure vs baseline %s", base) noenhanced
set ylabel 'change vs baseline (%)'
set xlabel 'figure (path/size/metric)'
set xrange [-0.6:nfig-0.4]
set xtics rotate by -25 noenhanced font ',9'
set key at screen 0.5, screen 0.015 center bottom horizontal maxrows 3 box opaque
set bmargin 17
set style fill solid 0.8 border -1
set format y '%+g'
t2title = (tier2_base ne '') ? sprintf('Tier 2 cycles vs %s (error bar: 95%% interval)', tier2_base) : ''
plot datafile using 1:($5==0?$2:NaN):(0.7) with boxes lc rgb '#1f77b4' title 'Tier 1 within the threshold', \
     '' using 1:($5==1?$2:NaN):(0.7) with boxes lc rgb '#d62728' title 'Tier 1 regression', \
     '' using 1:($5==2?$2:NaN):(0.7) with boxes lc rgb '#aaaaaa' title t2title, \
     '' using 1:($5==2?$2:NaN):3:4 with yerrorbars lc rgb 'black' pt 7 ps 0.3 notitle, \
     '' using 1:(0):xtic(6) with points ps 0 notitle, \
     0 with lines lc rgb '#444444' lw 1 notitle, \
     threshold with lines lc rgb '#d62728' dt 2 lw 2 title sprintf('Tier 1 threshold +%.1f%%', threshold), \
     (tier2_base ne '' ? 5 : NaN) with lines lc rgb '#666666' dt 3 lw 2 title (tier2_base ne '' ? 'Tier 2 gate +5% (interval entirely above)' : '')
