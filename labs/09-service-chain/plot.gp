# plot.gp (lab 09): cycles per frame as the chain grows from 1 to 4 stages, yours and the
# reference's, on one core and with a thread per stage (chain.dat, written by chain_perf).
set terminal pngcairo size 800,480
set output "chain.png"
set title "Service chain: TSC cycles per frame vs stages (firewall, nat, counter, counter)"
set xlabel "stages in the chain"
set ylabel "TSC cycles per frame"
set xtics 1
set xrange [0.8:4.2]
set yrange [0:*]
set key top left
plot "chain.dat" using 1:2 with linespoints lw 2 pt 7 title "yours, one core", \
     "" using 1:3 with linespoints lw 2 pt 5 dt 2 title "reference, one core", \
     "" using 1:4 with linespoints lw 2 pt 7 title "yours, a thread per stage (wall)", \
     "" using 1:5 with linespoints lw 2 pt 5 dt 2 title "reference, a thread per stage (wall)"
