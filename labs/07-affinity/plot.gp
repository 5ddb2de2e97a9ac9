# plot.gp (lab 07): throughput and round-trip latency of the generator and the DUT for each
# placement, and the scheduler's counts (pinrace.dat, written by pinrace).
set terminal pngcairo size 1200,420
set output "pinrace.png"
set multiplot layout 1,3
set style data histograms
set style fill solid 0.6
set xtics rotate by -20
set yrange [0:*]
set key off
set title "Flood: datagrams the DUT received"
set ylabel "Mpps"
plot "pinrace.dat" using 2:xtic(1)
set title "Ping-pong round trip"
set ylabel "us (log)"
set logscale y
set yrange [1:*]
set key top left
plot "pinrace.dat" using 3:xtic(1) title "p50", "" using 4 title "p99"
unset logscale y
set yrange [0:*]
set title "Scheduler counts per round"
set ylabel "count"
plot "pinrace.dat" using ($6 / 100):xtic(1) title "switches / 100", "" using 5 title "migrations"
unset multiplot
