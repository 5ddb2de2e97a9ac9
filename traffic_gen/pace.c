// SPDX-License-Identifier: MIT
/*
 * pace.c: the TSC schedule behind every tgen engine. The schedule is a closed form of time
 * (packets due by t), not a running "next deadline += interval", so rounding never accumulates
 * and a late step simply finds more packets due. With a ramp of length R the rate is
 * r * (0.1 + 0.9 t / R) for t < R, so the packets due by t are r * (0.1 t + 0.45 t^2 / R),
 * r * 0.55 R by the end of the ramp, and r * (t - 0.45 R) after it.
 */
#include "pace.h"

#include <math.h>

#define RAMP_AREA (PACE_RAMP_START + (1.0 - PACE_RAMP_START) / 2) /* 0.55 of r * R */

void pace_init(struct pace *p, double rate_pps, double hz, uint64_t t0, uint64_t ramp_cycles,
	       unsigned batch)
{
	double catchup = rate_pps * PACE_CATCHUP_SEC;

	p->pkts_per_cycle = rate_pps > 0 && hz > 0 ? rate_pps / hz : 0;
	p->hz = hz;
	p->t0 = t0;
	p->ramp = p->pkts_per_cycle > 0 ? (double)ramp_cycles : 0;
	p->next = 0;
	p->slipped = 0;
	p->batch = batch ? batch : 1;
	p->backlog = catchup > p->batch ? (uint64_t)catchup : p->batch;
}

/* Packets (fractional) scheduled in the first dt cycles. */
static double scheduled(const struct pace *p, double dt)
{
	double r = p->pkts_per_cycle, ramp = p->ramp;

	if (dt < ramp)
		return r * (PACE_RAMP_START * dt + (1.0 - PACE_RAMP_START) / 2 * dt * dt / ramp);
	return r * (RAMP_AREA * ramp + (dt - ramp));
}

uint64_t pace_due_total(const struct pace *p, uint64_t now)
{
	if (now < p->t0)
		return 0;
	if (p->pkts_per_cycle <= 0)
		return UINT64_MAX;
	return (uint64_t)floor(scheduled(p, (double)(now - p->t0))) + 1;
}

unsigned pace_due(struct pace *p, uint64_t now)
{
	uint64_t total, d;

	if (p->pkts_per_cycle <= 0)
		return p->batch;
	total = pace_due_total(p, now);
	if (total <= p->next)
		return 0;
	d = total - p->next;
	if (d > p->backlog) {
		p->slipped += d - p->backlog;
		p->next += d - p->backlog;
		d = p->backlog;
	}
	return d < p->batch ? (unsigned)d : p->batch;
}

void pace_sent(struct pace *p, unsigned n)
{
	p->next += n;
}

uint64_t pace_when(const struct pace *p, uint64_t i)
{
	double r = p->pkts_per_cycle, ramp = p->ramp, want, dt;

	if (r <= 0)
		return p->t0;
	want = (double)i / r; /* cycles at the full rate */
	if (want < RAMP_AREA * ramp) {
		/* Solve 0.45 / R * dt^2 + 0.1 * dt - want = 0 for dt >= 0. */
		double a = (1.0 - PACE_RAMP_START) / 2 / ramp, b = PACE_RAMP_START;

		dt = (-b + sqrt(b * b + 4 * a * want)) / (2 * a);
	} else {
		dt = want - RAMP_AREA * ramp + ramp;
	}
	/* One cycle late rather than early: floating error must not make the packet undue. */
	return p->t0 + (uint64_t)ceil(dt) + 1;
}

uint64_t pace_next(const struct pace *p)
{
	return pace_when(p, p->next);
}
