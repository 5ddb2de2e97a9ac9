# SPDX-License-Identifier: MIT
# echo-crr-latency.gp: latency of one connect-request-response-close transaction.
load scripts.'/common.gp'
set title 'TCP echo: latency of a connect-request-response-close transaction'
set xlabel 'server (and client)'
set ylabel 'latency (us, log scale)'
logy = 1
set logscale y
load scripts.'/bars.gp'
