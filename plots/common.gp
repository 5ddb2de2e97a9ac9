# SPDX-License-Identifier: MIT
# common.gp: terminal, output file and styles shared by every linerate plot script. The
# variables come from data/<plot>.vars.gp (written by `linerate plot`) and fmt ('png' or 'svg').
if (fmt eq 'svg') {
	set terminal svg size 1000,680 dynamic enhanced font 'Sans,12' background rgb 'white'
	set output outbase.'.svg'
} else {
	set terminal pngcairo size 1000,680 enhanced font 'Sans,11' background rgb 'white'
	set output outbase.'.png'
}
set grid xtics ytics lc rgb '#dddddd' lt 1
set border 3
set tics nomirror
set bmargin 11
set key at screen 0.5, screen 0.015 center bottom horizontal box opaque maxrows 4 width 1
set pointsize 1.3
# Colours 9 and 10 for plots with more series than gnuplot's eight (latency-load has nine).
set linetype 9 lc rgb '#8c564b' lw 1
set linetype 10 lc rgb '#17becf' lw 1
set datafile missing 'nan'
# The marker legend every plot shares: filled = ok, hollow = generator-bound, cross = invalid.
markers = "NaN with points lc rgb 'black' pt 7 title 'ok: median, bars min..max', NaN with points lc rgb 'black' pt 6 title 'generator-bound (DUT not the limit)', NaN with points lc rgb 'black' pt 2 title 'invalid (never a record)', NaN with points lc rgb 'black' pt 12 ps 1.5 title 'mixed: repeats disagree or undecided'"
if (!exists("extra")) extra = ""
