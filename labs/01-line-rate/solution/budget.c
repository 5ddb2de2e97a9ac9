// SPDX-License-Identifier: MIT
/* budget.c (lab 01), the reference solution. */
#include "budget.h"

#define WIRE_OVERHEAD 20.0 /* preamble 7 + start-of-frame delimiter 1 + inter-frame gap 12 */

double lab_line_rate_pps(double link_bps, unsigned frame_len)
{
	return link_bps / ((frame_len + WIRE_OVERHEAD) * 8);
}

double lab_budget_ns(double link_bps, unsigned frame_len)
{
	return 1e9 / lab_line_rate_pps(link_bps, frame_len);
}

double lab_budget_cycles(double link_bps, unsigned frame_len, double clock_hz)
{
	return lab_budget_ns(link_bps, frame_len) * clock_hz / 1e9;
}

bool lab_keeps_up(double cycles_per_pkt, double link_bps, unsigned frame_len, double clock_hz)
{
	return cycles_per_pkt > 0 &&
	       cycles_per_pkt <= lab_budget_cycles(link_bps, frame_len, clock_hz);
}
