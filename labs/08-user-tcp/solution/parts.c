// SPDX-License-Identifier: MIT
/*
 * parts.c (lab 08, the reference): sequence arithmetic, reassembly and the retransmission
 * timer of the lab's small TCP. parts.h says what each function must do.
 */
#include <string.h>

#include "parts.h"

/* Task 1: sequence numbers. */
bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

bool seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

bool seq_in_window(uint32_t s, uint32_t lo, uint32_t len)
{
	return s - lo < len;
}

/* Task 2: reassembly. Adds [start, end) to the ranges, merging what it overlaps or touches;
 * returns false (ranges unchanged) when that needs more than RSM_RANGES. */
static bool range_add(struct rsm *r, uint32_t start, uint32_t end)
{
	uint32_t s[RSM_RANGES + 1], e[RSM_RANGES + 1];
	unsigned n = 0;
	bool placed = false;

	for (unsigned i = 0; i < r->n; i++) {
		if (seq_lt(r->end[i], start)) { /* wholly before */
			s[n] = r->start[i], e[n++] = r->end[i];
		} else if (seq_lt(end, r->start[i])) { /* wholly after */
			if (!placed)
				s[n] = start, e[n++] = end;
			placed = true;
			s[n] = r->start[i], e[n++] = r->end[i];
		} else { /* overlapping or touching: merge */
			start = seq_lt(r->start[i], start) ? r->start[i] : start;
			end = seq_gt(r->end[i], end) ? r->end[i] : end;
		}
	}
	if (!placed)
		s[n] = start, e[n++] = end;
	if (n > RSM_RANGES)
		return false;
	memcpy(r->start, s, n * sizeof(s[0]));
	memcpy(r->end, e, n * sizeof(e[0]));
	r->n = n;
	return true;
}

uint32_t rsm_add(struct rsm *r, uint32_t seq, const void *data, uint32_t len)
{
	const uint8_t *p = data;
	uint32_t wnd = rsm_window(r), off, old = r->nxt;

	if (seq_lt(seq, r->nxt)) { /* trim what we had already */
		uint32_t dup = r->nxt - seq;

		if (dup >= len)
			return 0;
		p += dup, len -= dup, seq = r->nxt;
	}
	off = seq - r->nxt;
	if (len == 0 || !seq_in_window(seq, r->nxt, wnd))
		return 0;
	if (len > wnd - off) /* trim to the window */
		len = wnd - off;
	if (off && !range_add(r, seq, seq + len))
		return 0; /* too many gaps: dropped */
	for (uint32_t i = 0; i < len; i++)
		r->buf[(r->head + r->ready + off + i) % RSM_CAP] = p[i];
	if (off == 0)
		r->nxt += len;
	while (r->n && seq_leq(r->start[0], r->nxt)) { /* the gap before range 0 is filled */
		if (seq_gt(r->end[0], r->nxt))
			r->nxt = r->end[0];
		r->n--;
		memmove(r->start, r->start + 1, r->n * sizeof(r->start[0]));
		memmove(r->end, r->end + 1, r->n * sizeof(r->end[0]));
	}
	r->ready += r->nxt - old;
	return r->nxt - old;
}

/* Task 3: the retransmission timer. */
void rto_sample(struct rto *t, uint64_t rtt)
{
	uint64_t var4;

	if (rtt == 0)
		rtt = 1;    /* srtt 0 means "no sample yet" */
	if (t->srtt == 0) { /* (2.2) */
		t->srtt = rtt;
		t->rttvar = rtt / 2;
	} else { /* (2.3): beta = 1/4, then alpha = 1/8 */
		uint64_t delta = t->srtt > rtt ? t->srtt - rtt : rtt - t->srtt;

		t->rttvar = (3 * t->rttvar + delta) / 4;
		t->srtt = (7 * t->srtt + rtt) / 8;
	}
	var4 = 4 * t->rttvar;
	t->rto = t->srtt + (var4 > t->g ? var4 : t->g);
	if (t->rto < t->min)
		t->rto = t->min;
	if (t->rto > t->max)
		t->rto = t->max;
}

void rto_on_send(struct rto *t, uint32_t end_seq, uint64_t now)
{
	if (t->timing)
		return;
	t->timing = true;
	t->timed_seq = end_seq;
	t->t0 = now;
}

void rto_on_ack(struct rto *t, uint32_t ack, uint64_t now)
{
	if (!t->timing || seq_lt(ack, t->timed_seq))
		return;
	t->timing = false;
	rto_sample(t, now - t->t0);
}

void rto_on_timeout(struct rto *t)
{
	t->rto = t->rto * 2 < t->max ? t->rto * 2 : t->max;
	t->timing = false; /* Karn */
}
