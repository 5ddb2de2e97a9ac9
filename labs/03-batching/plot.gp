# plot.gp (lab 03): datagrams per second through the relay vs its batch size, yours and the
# reference's from the same run (batching.dat, written by relay_perf).
set terminal pngcairo size 800,480
set output "batching.png"
set title "UDP relay: rate vs batch size (recvmmsg/sendmmsg), one core"
set logscale x 2
set xlabel "datagrams per system call (batch)"
set ylabel "thousand datagrams/s"
set key top left
set grid
plot "batching.dat" using 1:2 with linespoints lw 2 title "yours", \
     "" using 1:3 with linespoints lw 2 dt 2 title "reference"
