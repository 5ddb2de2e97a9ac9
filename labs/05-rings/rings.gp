# SPDX-License-Identifier: MIT
# rings.gp: lab 05's figure from perf.sh's summary.csv: Mpps through the two-thread pipeline
# against the batch (jobs of that many frames per ring operation), for your ring, the
# reference and the mutex ring, with the one-thread ceiling; bars are min..max of the rounds.
set terminal pngcairo size 900,560
set output png
set datafile separator ','
set title 'Lab 05: the forwarding pipeline on two cores, by ring'
set xlabel 'frames per job (one ring operation per job)'
set ylabel 'Mpps forwarded'
set logscale xy
set xtics (1, 8, 32)
set xrange [0.8:40]
set key top left
set grid
plot sum every ::1 using 1:2:3:4 with yerrorlines lw 2 title 'ceiling (one thread, no ring)', \
     sum every ::1 using 1:5:6:7 with yerrorlines lw 2 title 'reference ring', \
     sum every ::1 using 1:8:9:10 with yerrorlines lw 2 title 'your ring', \
     sum every ::1 using 1:11:12:13 with yerrorlines lw 2 title 'mutex ring'
