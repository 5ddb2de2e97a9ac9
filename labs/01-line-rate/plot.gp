# plot.gp (lab 01): measured cycles per packet of each forwarder (bars) against the budgets
# your budget.c computed (lines). Run by `make perf` in the results directory.
set terminal pngcairo size 900,500
set output "budget.png"
set title "Cycles per packet at 64 B vs the line-rate budget (your numbers)"
set style data histograms
set style fill solid 0.6
set logscale y
set ylabel "TSC cycles per packet (log)"
set yrange [10:*]
set key top right
plot "budget.dat" using 2:xtic(1) title "measured", \
     "" using 0:3 with lines lw 2 title "budget at 10G", \
     "" using 0:4 with lines lw 2 title "budget at 40G", \
     "" using 0:5 with lines lw 2 title "budget at 100G"
