/* SPDX-License-Identifier: MIT */
/*
 * budget.h (lab 01): what a link of link_bps bits per second asks of a program that handles
 * every frame of frame_len bytes (Ethernet header through FCS, 64..1518). Every frame also
 * takes 20 bytes of the wire that no program sees: 7 of preamble, 1 start-of-frame delimiter
 * and 12 of inter-frame gap.
 */
#ifndef LAB01_BUDGET_H
#define LAB01_BUDGET_H

#include <stdbool.h>

/* Task 1: frames per second at line rate. */
double lab_line_rate_pps(double link_bps, unsigned frame_len);
/* Task 2: the time between two frames at line rate, in ns: all a program may spend on one. */
double lab_budget_ns(double link_bps, unsigned frame_len);
/* Task 3: the same budget in cycles of a clock of clock_hz (the TSC the programs count in). */
double lab_budget_cycles(double link_bps, unsigned frame_len, double clock_hz);
/* Task 4: whether a program that spends cycles_per_pkt cycles on each frame keeps up with
 * line rate (it may spend exactly the budget, not one cycle more). */
bool lab_keeps_up(double cycles_per_pkt, double link_bps, unsigned frame_len, double clock_hz);

#endif
