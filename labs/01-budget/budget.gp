# SPDX-License-Identifier: MIT
# budget.gp: lab 01's figure, from perf.sh's files in dir: each forwarder's measured cycles per
# packet (bars) against the 64 B budget at 10G, 40G and 100G, as your budget.c computes it
# (solid) and as the reference does (dashed, on top of yours when they agree).
set terminal pngcairo size 900,560
set output dir.'/budget.png'
set datafile separator ','
set title 'Lab 01: cycles per packet at 64 B against the line-rate budget'
set ylabel 'TSC cycles per packet (log scale)'
set logscale y
set yrange [10:*]
set style fill solid 0.6 border -1
set boxwidth 0.6
set key top left
set grid ytics
set xtics nomirror
b(f, link) = system(sprintf("awk -F, '$1 == \"%s\" && $2 == 64 { print $6 }' %s/table-%s-%s.csv", link, dir, f, link)) + 0
n = system(sprintf("tail -n +2 %s/forwarders.csv | wc -l", dir)) + 0
set xrange [-0.6:n - 0.4]
plot dir.'/forwarders.csv' every ::1 using 0:2:xtic(1) with boxes lc rgb '#4477aa' title 'measured', \
     b('yours', '10G') with lines lw 2 lc rgb '#cc3311' title sprintf('your budget at 10G (%.0f)', b('yours', '10G')), \
     b('yours', '40G') with lines lw 2 lc rgb '#ee7733' title sprintf('your budget at 40G (%.0f)', b('yours', '40G')), \
     b('yours', '100G') with lines lw 2 lc rgb '#009988' title sprintf('your budget at 100G (%.0f)', b('yours', '100G')), \
     b('reference', '10G') with lines lw 2 dt 2 lc rgb '#000000' title 'reference budgets', \
     b('reference', '40G') with lines lw 2 dt 2 lc rgb '#000000' notitle, \
     b('reference', '100G') with lines lw 2 dt 2 lc rgb '#000000' notitle
