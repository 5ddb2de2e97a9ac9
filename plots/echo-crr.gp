# SPDX-License-Identifier: MIT
# echo-crr.gp: connect-request-response-close transactions per second, per server.
load scripts.'/common.gp'
set title 'TCP echo: connect, request, response, close per transaction (64 B)'
set xlabel 'server (and client)'
set ylabel 'transactions (thousand per second, log scale)'
logy = 1
set logscale y
load scripts.'/bars.gp'
