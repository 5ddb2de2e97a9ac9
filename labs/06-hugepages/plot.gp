# plot.gp (lab 06): ns per packet-buffer visit against the pool's size, your pools and the
# reference's, 4 KB and 2 MB pages (tlbwalk.dat); fwd-dpdk's rate on net_null with and without
# huge pages (dpdk.dat). Both written by make perf.
set terminal pngcairo size 1000,450
set output "tlbwalk.png"
set multiplot layout 1,2
set title "Random visits to packet headers, one per 4 KB + 64 B buffer"
set xlabel "pool size (MB)"
set ylabel "ns per visit"
set logscale x 2
set yrange [0:*]
set key top left
if (system("test -s tlbwalk.dat && echo 1") eq "1") {
	plot "tlbwalk.dat" using 1:2 with linespoints lw 2 title "yours, 4 KB pages", \
	     "" using 1:3 with linespoints lw 2 title "yours, 2 MB pages", \
	     "" using 1:4 with linespoints dt 2 title "reference, 4 KB pages", \
	     "" using 1:5 with linespoints dt 2 title "reference, 2 MB pages"
} else {
	set label 2 "tlbwalk did not finish (see make perf's output)" at graph 0.1, graph 0.5
	plot [1:2] 0.5 notitle lc rgb "white"
	unset label 2
}
unset logscale x
set title "fwd-dpdk on net_null (rx Mpps, one core)" noenhanced
set xlabel ""
set ylabel "Mpps"
set style data histograms
set style fill solid 0.6
set key off
if (system("test -s dpdk.dat && echo 1") eq "1") {
	plot "dpdk.dat" using 2:xtic(1)
} else {
	set label 1 "fwd-dpdk not run (see make perf's output)" at graph 0.1, graph 0.5
	plot [0:1] 0.5 notitle lc rgb "white"
}
unset multiplot
