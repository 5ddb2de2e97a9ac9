// SPDX-License-Identifier: MIT
/*
 * solution/budget.c: lab 01's reference. One frame of L bytes takes (L + 20) * 8 bits of
 * wire time; everything else follows from that.
 */
#include "budget.h"

#include <math.h>

#define WIRE_EXTRA_BYTES 20 /* preamble 7 + start delimiter 1 + inter-frame gap 12 */

double lab01_pps(unsigned frame_len, double link_bps)
{
	double bits = ((double)frame_len + WIRE_EXTRA_BYTES) * 8.0;

	return link_bps / bits;
}

double lab01_budget_ns(unsigned frame_len, double link_bps)
{
	return 1e9 / lab01_pps(frame_len, link_bps);
}

double lab01_budget_cycles(unsigned frame_len, double link_bps, double hz)
{
	return hz / lab01_pps(frame_len, link_bps);
}

double lab01_core_mpps(double cycles_per_pkt, double hz)
{
	if (!(cycles_per_pkt > 0))
		return 0;
	return hz / cycles_per_pkt / 1e6;
}

unsigned lab01_cores_needed(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz)
{
	double ratio;

	if (!(cycles_per_pkt > 0))
		return 0;
	ratio = cycles_per_pkt / lab01_budget_cycles(frame_len, link_bps, hz);
	/* a cost within rounding of a whole number of budgets needs exactly that many cores */
	return (unsigned)ceil(ratio * (1 - 1e-12));
}

bool lab01_keeps_up(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz)
{
	return lab01_cores_needed(cycles_per_pkt, frame_len, link_bps, hz) == 1;
}
