// SPDX-License-Identifier: MIT
/*
 * budget.c: your line-rate arithmetic (budget.h). Fill in the parts marked TODO with the lab
 * number, task by task; `make -C labs/01-budget check TASK=N` checks one task.
 */
#include "budget.h"

#include "lab.h"

double lab01_pps(unsigned frame_len, double link_bps)
{
	/* TODO(lab-01) task 1: packets per second at line rate. How many bits does one frame of
	 * frame_len bytes occupy on the wire, gap included? (about 3 lines) */
	(void)frame_len;
	(void)link_bps;
	LAB_TODO("01", 1);
	return 0;
}

double lab01_budget_ns(unsigned frame_len, double link_bps)
{
	/* TODO(lab-01) task 2: nanoseconds per packet at line rate. (about 2 lines) */
	(void)frame_len;
	(void)link_bps;
	LAB_TODO("01", 2);
	return 0;
}

double lab01_budget_cycles(unsigned frame_len, double link_bps, double hz)
{
	/* TODO(lab-01) task 2: the same budget in cycles. (about 2 lines) */
	(void)frame_len;
	(void)link_bps;
	(void)hz;
	LAB_TODO("01", 2);
	return 0;
}

double lab01_core_mpps(double cycles_per_pkt, double hz)
{
	/* TODO(lab-01) task 3: Mpps one core can forward at this cost. (about 3 lines) */
	(void)cycles_per_pkt;
	(void)hz;
	LAB_TODO("01", 3);
	return 0;
}

unsigned lab01_cores_needed(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz)
{
	/* TODO(lab-01) task 3: cores needed to keep up with line rate; mind a cost that is an
	 * exact multiple of the budget (math.h's ceil). (about 5 lines) */
	(void)cycles_per_pkt;
	(void)frame_len;
	(void)link_bps;
	(void)hz;
	LAB_TODO("01", 3);
	return 0;
}

bool lab01_keeps_up(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz)
{
	/* TODO(lab-01) task 3: can one core keep up? (about 2 lines) */
	(void)cycles_per_pkt;
	(void)frame_len;
	(void)link_bps;
	(void)hz;
	LAB_TODO("01", 3);
	return false;
}
