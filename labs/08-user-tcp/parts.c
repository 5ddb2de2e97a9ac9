// SPDX-License-Identifier: MIT
/*
 * parts.c (lab 08): your parts of the lab's small TCP. Read parts.h, then fill in the
 * TODO(lab-08) markers; `make check` grades them (comparisons across 2^32, reassembly of
 * crafted segments, the RFC 6298 arithmetic, then the whole TCP on crafted segments and in an
 * echo under 2% loss), `make perf` runs the echo at 0 to 5% loss against the reference.
 */
#include "parts.h"

/* Task 1: sequence numbers. */
bool seq_lt(uint32_t a, uint32_t b)
{
	/* TODO(lab-08) task 1: a before b modulo 2^32: the difference a - b taken as a signed
	 * 32-bit number (int32_t) tells; plain a < b is wrong across 2^32 (1 line each). */
	(void)a;
	(void)b;
	return false;
}

bool seq_leq(uint32_t a, uint32_t b)
{
	/* TODO(lab-08) task 1 */
	(void)a;
	(void)b;
	return false;
}

bool seq_gt(uint32_t a, uint32_t b)
{
	/* TODO(lab-08) task 1 */
	(void)a;
	(void)b;
	return false;
}

bool seq_geq(uint32_t a, uint32_t b)
{
	/* TODO(lab-08) task 1 */
	(void)a;
	(void)b;
	return false;
}

bool seq_in_window(uint32_t s, uint32_t lo, uint32_t len)
{
	/* TODO(lab-08) task 1: lo <= s < lo + len in sequence space; one unsigned subtraction
	 * and one comparison do it, wrap included (1 line). */
	(void)s;
	(void)lo;
	(void)len;
	return false;
}

/* Task 2: reassembly. */
uint32_t rsm_add(struct rsm *r, uint32_t seq, const void *data, uint32_t len)
{
	/* TODO(lab-08) task 2: in this order (the reference: about 25 lines, plus a helper of
	 * about 25 that adds a range to r->start/r->end, merging, as tcp__ooo_add() does):
	 * - trim the part before r->nxt (a duplicate); nothing left: return 0;
	 * - off = seq - r->nxt; refuse data outside the window (seq_in_window with
	 *   rsm_window(r)) and trim the tail that does not fit;
	 * - data after a gap (off > 0): add [seq, seq + len) to the ranges, merging what it
	 *   overlaps or touches; more than RSM_RANGES: return 0 and store nothing;
	 * - copy the bytes to buf[(head + ready + off + i) % RSM_CAP];
	 * - in order (off == 0): nxt += len; then while the first range starts at or before
	 *   nxt, move nxt to its end (if later) and remove it;
	 * - ready grows by what nxt advanced, which you return. */
	(void)r;
	(void)seq;
	(void)data;
	(void)len;
	return 0;
}

/* Task 3: the retransmission timer. */
void rto_sample(struct rto *t, uint64_t rtt)
{
	/* TODO(lab-08) task 3: RFC 6298 2.2 (first sample: SRTT = R, RTTVAR = R/2) and 2.3
	 * (RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, then SRTT = 7/8 SRTT + 1/8 R, in integer
	 * arithmetic: (3 * rttvar + delta) / 4 and (7 * srtt + r) / 8), then RTO = SRTT +
	 * max(G, 4 * RTTVAR) clamped to [min, max]. SRTT 0 means "no sample yet": count an RTT
	 * of 0 as 1 (the reference: about 18 lines). */
	(void)t;
	(void)rtt;
}

void rto_on_send(struct rto *t, uint32_t end_seq, uint64_t now)
{
	/* TODO(lab-08) task 3: start timing unless a segment is timed already (4 lines). */
	(void)t;
	(void)end_seq;
	(void)now;
}

void rto_on_ack(struct rto *t, uint32_t ack, uint64_t now)
{
	/* TODO(lab-08) task 3: an ACK at or beyond timed_seq (seq_geq) ends the timing with
	 * one sample of now - t0 (4 lines). */
	(void)t;
	(void)ack;
	(void)now;
}

void rto_on_timeout(struct rto *t)
{
	/* TODO(lab-08) task 3: double the RTO up to max (RFC 6298 5.5), and Karn: stop timing
	 * (2 lines). */
	(void)t;
}
