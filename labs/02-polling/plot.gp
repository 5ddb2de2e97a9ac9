# plot.gp (lab 02): your strategies' p50 latency and CPU vs offered load, the reference's
# dashed beside them (perf.dat, written by idle_perf: load, then for block, spin and hybrid:
# your p50, p99, CPU, the reference's p50, CPU).
set terminal pngcairo size 800,480
set logscale x 10
set xlabel "offered load (datagrams/s)"
set grid
set key top left
set output "latency.png"
set title "p50 latency vs load: block, spin, hybrid (yours solid, reference dashed)"
set ylabel "p50 latency (us)"
plot "perf.dat" using 1:2 with linespoints lw 2 lc 1 title "block", \
     "" using 1:5 with lines dt 2 lc 1 notitle, \
     "" using 1:7 with linespoints lw 2 lc 2 title "spin", \
     "" using 1:10 with lines dt 2 lc 2 notitle, \
     "" using 1:12 with linespoints lw 2 lc 3 title "hybrid", \
     "" using 1:15 with lines dt 2 lc 3 notitle
set output "cpu.png"
set title "CPU of the forwarder loop vs load (yours solid, reference dashed)"
set ylabel "CPU (% of one core)"
set yrange [0:110]
plot "perf.dat" using 1:4 with linespoints lw 2 lc 1 title "block", \
     "" using 1:6 with lines dt 2 lc 1 notitle, \
     "" using 1:9 with linespoints lw 2 lc 2 title "spin", \
     "" using 1:11 with lines dt 2 lc 2 notitle, \
     "" using 1:14 with linespoints lw 2 lc 3 title "hybrid", \
     "" using 1:16 with lines dt 2 lc 3 notitle
