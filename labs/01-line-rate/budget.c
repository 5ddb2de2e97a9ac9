// SPDX-License-Identifier: MIT
/*
 * budget.c (lab 01): the per-packet budget. Fill in the four functions; `make check` grades
 * them against the formula and against `linerate table`.
 */
#include "budget.h"

double lab_line_rate_pps(double link_bps, unsigned frame_len)
{
	/* TODO(lab-01) task 1: frames per second at line rate, with the 20 bytes of preamble,
	 * delimiter and gap each frame costs on the wire (the reference: 1 line). */
	(void)link_bps;
	(void)frame_len;
	return 0;
}

double lab_budget_ns(double link_bps, unsigned frame_len)
{
	/* TODO(lab-01) task 2: ns per frame at line rate (the reference: 1 line). */
	(void)link_bps;
	(void)frame_len;
	return 0;
}

double lab_budget_cycles(double link_bps, unsigned frame_len, double clock_hz)
{
	/* TODO(lab-01) task 3: that budget in cycles of clock_hz (the reference: 1 line). */
	(void)link_bps;
	(void)frame_len;
	(void)clock_hz;
	return 0;
}

bool lab_keeps_up(double cycles_per_pkt, double link_bps, unsigned frame_len, double clock_hz)
{
	/* TODO(lab-01) task 4: true when cycles_per_pkt fits in the budget (the reference: 1
	 * line). A measured figure of 0 or less means "not measured": never keeps up. */
	(void)cycles_per_pkt;
	(void)link_bps;
	(void)frame_len;
	(void)clock_hz;
	return false;
}
