# SPDX-License-Identifier: MIT
# echo-rr.gp: TCP echo request/response rate vs concurrent connections, per server.
load scripts.'/common.gp'
set title 'TCP echo: request/response transactions per second (64 B messages)'
set xlabel 'concurrent connections (log scale)'
set ylabel 'transactions (thousand per second, log scale)'
set logscale x 2
set logscale y
load scripts.'/lines.gp'
