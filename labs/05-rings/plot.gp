# plot.gp (lab 05): your ring, the reference and the mutex ring, best round of one run
# (ringrace.dat, written by ringrace).
set terminal pngcairo size 700,450
set output "ringrace.png"
set title "Items/s through a two-core pipeline, bursts of 32"
set style data histograms
set style fill solid 0.6
set ylabel "million items/s"
set yrange [0:*]
set key off
plot "ringrace.dat" using 2:xtic(1)
