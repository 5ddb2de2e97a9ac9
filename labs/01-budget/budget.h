/* SPDX-License-Identifier: MIT */
/*
 * budget.h: lab 01's line-rate arithmetic (you write budget.c). A frame of L bytes (Ethernet
 * header through FCS, the size every figure in linerate uses) occupies L + 20 bytes of wire
 * time: 7 bytes of preamble, 1 start-of-frame delimiter and 12 of inter-frame gap.
 */
#ifndef LAB01_BUDGET_H
#define LAB01_BUDGET_H

#include <stdbool.h>

/* Task 1: packets per second at line rate for frames of frame_len bytes on a link of link_bps
 * bit/s. */
double lab01_pps(unsigned frame_len, double link_bps);
/* Task 2: the time one packet may take at line rate, in nanoseconds. */
double lab01_budget_ns(unsigned frame_len, double link_bps);
/* Task 2: the same budget in CPU cycles at hz cycles per second. */
double lab01_budget_cycles(unsigned frame_len, double link_bps, double hz);

/* Task 3: what a forwarder that spends cycles_per_pkt cycles per packet can do on one core of
 * hz cycles per second, in Mpps; 0 when cycles_per_pkt is not positive. */
double lab01_core_mpps(double cycles_per_pkt, double hz);
/* Task 3: how many such cores (perfectly parallel) it takes to keep up with line rate for
 * frame_len on link_bps: the smallest whole number n with n cores' budget >= cycles_per_pkt;
 * 0 when cycles_per_pkt is not positive. */
unsigned lab01_cores_needed(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz);
/* Task 3: true when one core is enough (cycles_per_pkt positive and within the budget). */
bool lab01_keeps_up(double cycles_per_pkt, unsigned frame_len, double link_bps, double hz);

#endif
