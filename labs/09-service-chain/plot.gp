# plot.gp (lab 09): cycles per frame as the chain grows from 1 to 4 stages, yours and the
# reference's: on one core (left: the graded figure) and with a thread per stage on the 2
# cores (right: wall time per frame) (chain.dat, written by chain_perf).
set terminal pngcairo size 1000,450
set output "chain.png"
set multiplot layout 1,2 title "Service chain (firewall, nat, counter, counter): TSC cycles per frame vs stages"
set xlabel "stages in the chain"
set ylabel "TSC cycles per frame"
set xtics 1
set xrange [0.8:4.2]
set yrange [0:*]
set key bottom right
set title "one core: source, every stage in turn, sink"
plot "chain.dat" using 1:2 with linespoints lw 2 pt 7 title "yours", \
     "" using 1:3 with linespoints lw 2 pt 5 dt 2 title "reference"
set title "a thread per stage on 2 cores (wall time)"
plot "chain.dat" using 1:4 with linespoints lw 2 pt 7 title "yours", \
     "" using 1:5 with linespoints lw 2 pt 5 dt 2 title "reference"
unset multiplot
