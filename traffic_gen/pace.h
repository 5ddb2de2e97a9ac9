/* SPDX-License-Identifier: MIT */
/*
 * pace.h: per-packet pacing on the TSC. Packet i of a schedule is due at t0 + i * interval,
 * so the rate holds over any window however the sends are batched: each step sends
 * min(batch, due - scheduled) packets, and a step that finds none due waits for pace_next().
 * An optional ramp lets the rate rise linearly from 10% to 100% over its length (the
 * generator's warm-up before a measured window).
 *
 * Catch-up is bounded: when the sender fell behind by more than max(batch, 10 ms of packets)
 * (it was descheduled, say), the schedule gives up on the excess instead of sending it as one
 * long burst, and counts it in slipped. A slip lowers the achieved rate, which the trial then
 * reports as generator-bound. Times are TSC cycles; the schedule takes the TSC rate as a
 * parameter so it can be tested without a clock.
 */
#ifndef LR_PACE_H
#define LR_PACE_H

#include <stdint.h>

#define PACE_RAMP_START  0.10 /* a ramp starts at 10% of the rate */
#define PACE_CATCHUP_SEC 0.010

struct pace {
	double pkts_per_cycle; /* rate / hz; 0: unpaced */
	double hz;
	uint64_t t0;      /* TSC at which packet 0 is due */
	double ramp;      /* ramp length in cycles; 0: the full rate from t0 */
	uint64_t next;    /* index of the next packet in the schedule (sent + slipped) */
	uint64_t slipped; /* packets the schedule gave up on */
	uint64_t backlog; /* largest number of due packets the sender may catch up on */
	unsigned batch;
};

/* Starts a schedule of rate_pps packets per second (0: unpaced, every step may send a full
 * batch) from TSC time t0, on a TSC of hz cycles per second, with bursts of at most batch
 * (>= 1) packets and a ramp of ramp_cycles (0: none). */
void pace_init(struct pace *p, double rate_pps, double hz, uint64_t t0, uint64_t ramp_cycles,
	       unsigned batch);
/* Returns how many packets the schedule has made due by TSC time now (packet 0 is due at t0:
 * 1 at t0, 0 before it). */
uint64_t pace_due_total(const struct pace *p, uint64_t now);
/* Returns how many packets may be sent at TSC time now (0..batch), first giving up on a
 * backlog larger than p->backlog (counted in p->slipped). */
unsigned pace_due(struct pace *p, uint64_t now);
/* Records that n packets were sent. */
void pace_sent(struct pace *p, unsigned n);
/* Returns pace_when() of the next packet to send. */
uint64_t pace_next(const struct pace *p);
/* Returns a TSC time by which packet i is due, at most 2 cycles after the exact time (so a
 * wait until it never ends early); t0 for an unpaced schedule. */
uint64_t pace_when(const struct pace *p, uint64_t i);

#endif
