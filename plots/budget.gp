# SPDX-License-Identifier: MIT
# budget.gp: measured cycles per packet vs the per-packet budget at line rate. A packet of L
# bytes may take (L + 20) * 8 / R seconds at R bit/s, i.e. (L + 20) * 8 / R * f cycles at the
# TSC frequency f (ghz, from meta.json).
load scripts.'/common.gp'
set title sprintf('Cycles per packet vs the line-rate budget (TSC %.2f GHz)', ghz)
set xlabel 'frame size L (bytes, Ethernet header through FCS)'
set ylabel 'TSC cycles per packet (log scale)'
set logscale y
set xrange [32:1560]
set xtics (64, 128, 256, 512, 1024, 1280, 1518)
budget(R, L) = (L + 20) * 8 / R * ghz * 1e9
set samples 400
if (ghz > 0) extra = ", budget(10e9, x) with lines lc rgb '#444444' dt 2 lw 2 title 'budget at 10G', budget(40e9, x) with lines lc rgb '#444444' dt 4 lw 2 title 'budget at 40G'"
load scripts.'/lines.gp'
