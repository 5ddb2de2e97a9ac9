# plot.gp (lab 02): your strategies' p50 latency and CPU vs offered load (perf.dat, written by
# idle_perf): where blocking stops costing latency and where spinning stops wasting a core.
set terminal pngcairo size 800,480
set logscale x 10
set xlabel "offered load (datagrams/s)"
set grid
set key top left
set output "latency.png"
set title "p50 latency vs load: block, spin, hybrid (yours)"
set ylabel "p50 latency (us)"
plot "perf.dat" using 1:2 with linespoints lw 2 title "block", \
     "" using 1:5 with linespoints lw 2 title "spin", \
     "" using 1:8 with linespoints lw 2 title "hybrid"
set output "cpu.png"
set title "CPU of the forwarder loop vs load (yours)"
set ylabel "CPU (% of one core)"
set yrange [0:110]
plot "perf.dat" using 1:4 with linespoints lw 2 title "block", \
     "" using 1:7 with linespoints lw 2 title "spin", \
     "" using 1:10 with linespoints lw 2 title "hybrid"
