# SPDX-License-Identifier: MIT
# linerate-gbps.gp: the line-rate chart in Gbit/s of frame data. The data file holds Mpps, so
# Gbps = Mpps * L * 8 / 1000; line rate in the same unit is R * L / (L + 20).
load scripts.'/common.gp'
if (labelled) { set title 'Loss-free forwarding rate (RFC 2544 NDR) in Gbit/s vs frame size' } else { set title 'Forwarding rate at maximum offered load in Gbit/s vs frame size (short trials)' }
set xlabel 'frame size L (bytes, Ethernet header through FCS)'
set ylabel 'throughput (Gbit/s of frames, log scale)'
set logscale y
set xrange [32:1560]
set xtics (64, 128, 256, 512, 1024, 1280, 1518)
gbps(R, L) = R / 1e9 * L / (L + 20)
set samples 400
plot for [i=0:nblocks-1] datafile index i using 1:($2*$1*8/1000) with lines lc ((i%nseries)+1) lw 2 title columnheader(1), \
     for [i=0:nblocks-1] datafile index i using 1:($5==0?$2*$1*8/1000:NaN):($3*$1*8/1000):($4*$1*8/1000) with yerrorbars lc ((i%nseries)+1) pt 7 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==1?$2*$1*8/1000:NaN):($3*$1*8/1000):($4*$1*8/1000) with yerrorbars lc ((i%nseries)+1) pt 6 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==2?$2*$1*8/1000:NaN) with points lc ((i%nseries)+1) pt 2 ps 2 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:($5==3?$2*$1*8/1000:NaN):($3*$1*8/1000):($4*$1*8/1000) with yerrorbars lc ((i%nseries)+1) pt 12 ps 1.5 notitle, \
     gbps(10e9, x) with lines lc rgb '#444444' dt 2 lw 2 title 'line rate 10G', \
     gbps(40e9, x) with lines lc rgb '#444444' dt 4 lw 2 title 'line rate 40G', \
     @markers
