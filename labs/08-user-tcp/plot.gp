# plot.gp (lab 08): goodput and retransmissions of the echo vs loss rate, yours and the
# reference's from the same run (user-tcp.dat, written by echo_perf).
set terminal pngcairo size 900,420
set output "user-tcp.png"
set multiplot layout 1,2 title "Lab TCP echo through a lossy in-memory link (means of 8 seeds)"
set xlabel "loss rate, each direction (%)"
set grid
set key top right
set ylabel "goodput (MB/s, simulated time)"
set yrange [0:*]
plot "user-tcp.dat" using 1:2 with linespoints lw 2 title "yours", \
     "" using 1:3 with linespoints lw 2 dt 2 title "reference"
set ylabel "segments resent per run"
set key top left
plot "user-tcp.dat" using 1:4 with linespoints lw 2 title "yours", \
     "" using 1:5 with linespoints lw 2 dt 2 title "reference"
unset multiplot
