# plot.gp (lab 04): your round's cycles per frame beside the reference's, and the budget of a
# 64 B frame at 10G line rate (fwd4.dat, written by fwd4_perf).
set terminal pngcairo size 700,450
set output "fwd4.png"
set title "Cycles per 64 B frame of one forwarding round (one core)"
set style data histograms
set style fill solid 0.6
set ylabel "TSC cycles per frame"
set yrange [0:*]
plot "fwd4.dat" using 2:xtic(1) title "measured", "" using 0:3 with lines lw 2 title "budget at 10G"
