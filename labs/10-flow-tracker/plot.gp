# plot.gp (lab 10): the tracker's cycles per packet and connections per second against the
# number of connections in flight, yours and the reference's (tracker.dat, written by ft_perf).
set terminal pngcairo size 800,480
set output "tracker.png"
set title "Flow tracker: cost per packet vs connections in flight (9 segments each)"
set xlabel "concurrent connections (flows in the table)"
set logscale x
set ylabel "TSC cycles per packet"
set y2label "million connections per second"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key below
plot "tracker.dat" using 1:2 with linespoints lw 2 pt 7 title "yours, cycles/packet", \
     "" using 1:3 with linespoints lw 2 pt 5 dt 2 title "reference, cycles/packet", \
     "" using 1:4 axes x1y2 with linespoints lw 1 pt 6 title "yours, Mflows/s", \
     "" using 1:5 axes x1y2 with linespoints lw 1 pt 4 dt 2 title "reference, Mflows/s"
