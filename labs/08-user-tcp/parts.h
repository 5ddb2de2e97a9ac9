/* SPDX-License-Identifier: MIT */
/*
 * parts.h (lab 08): the three parts of a small TCP that you write in parts.c (the plain
 * helpers around them are given in parts_given.c). The rest of the lab's TCP (utcp.c:
 * handshake, sending, ACKs, the timer) is given and calls these.
 *
 *   task 1  sequence numbers: comparisons modulo 2^32 and the receive-window check
 *   task 2  reassembly: out-of-order segments kept and put back in order
 *   task 3  the retransmission timer: RFC 6298's SRTT, RTTVAR and RTO, backoff, Karn
 */
#ifndef LAB08_PARTS_H
#define LAB08_PARTS_H

#include <stdbool.h>
#include <stdint.h>

/* Task 1: a is before b (a < b), modulo 2^32: true when b - a, as a signed 32-bit number, is
 * positive. Right while a and b are less than 2^31 apart, as TCP's windows guarantee. */
bool seq_lt(uint32_t a, uint32_t b);
bool seq_leq(uint32_t a, uint32_t b);
bool seq_gt(uint32_t a, uint32_t b);
bool seq_geq(uint32_t a, uint32_t b);
/* Task 1: s lies in the window [lo, lo + len) in sequence space (false when len is 0). */
bool seq_in_window(uint32_t s, uint32_t lo, uint32_t len);

/* The receive side's bytes: in-order bytes the application has not read yet, then room for
 * what may still come. Byte number s (from sequence number s) lives at
 * buf[(s - first) % RSM_CAP], where first = nxt - ready is the oldest unread byte. */
#define RSM_CAP    8192 /* bytes; the window advertised is the free part */
#define RSM_RANGES 4    /* out-of-order ranges kept at most */

struct rsm {
	uint32_t nxt;   /* the next sequence number expected in order (RCV.NXT) */
	uint32_t ready; /* in-order bytes waiting for rsm_read() */
	uint32_t head;  /* index in buf of the oldest unread byte */
	/* out-of-order data already in buf: ranges [start, end) of sequence numbers, sorted,
	 * disjoint, not touching each other, all after nxt */
	unsigned n;
	uint32_t start[RSM_RANGES], end[RSM_RANGES];
	uint8_t buf[RSM_CAP];
};

/* Given (parts_given.c): an empty reassembly expecting sequence number nxt first. */
void rsm_init(struct rsm *r, uint32_t nxt);
/* Given (parts_given.c): the receive window, RSM_CAP - ready: bytes from nxt on that may
 * be accepted. */
uint32_t rsm_window(const struct rsm *r);
/* Given (parts_given.c): copies up to len in-order bytes to dst and frees their room;
 * returns how many. */
uint32_t rsm_read(struct rsm *r, void *dst, uint32_t len);
/* Task 2: takes a segment's data (len bytes from sequence number seq). Drops what was had
 * already (before nxt) and what falls outside the window; stores the rest at its place in buf.
 * In-order data (and every stored range it reaches) advances nxt; data after a gap is kept as
 * a range, merged with the ranges it overlaps or touches; when that would take more than
 * RSM_RANGES ranges the data is dropped (the peer will resend it). Returns by how many bytes
 * nxt advanced. */
uint32_t rsm_add(struct rsm *r, uint32_t seq, const void *data, uint32_t len);

/* The retransmission timer of RFC 6298, in nanoseconds. */
struct rto {
	uint64_t srtt, rttvar; /* 0 and 0 until the first sample */
	uint64_t rto;          /* the current timeout, backoff included */
	uint64_t min, max, g;  /* clamps, and the clock granularity G */
	bool timing;           /* a segment is being timed ... */
	uint32_t timed_seq;    /* ... the one that ends before this sequence number */
	uint64_t t0;           /* ... sent at this time */
};

/* Given (parts_given.c): a timer before any sample: RTO = init (RFC 6298 2.1), clamps min
 * and max, G = g. */
void rto_init(struct rto *t, uint64_t init, uint64_t min, uint64_t max, uint64_t g);
/* Task 3: folds one RTT measurement into SRTT and RTTVAR (RFC 6298 2.2 and 2.3) and sets
 * RTO = SRTT + max(G, 4 * RTTVAR), clamped to [min, max] (2.4, 2.5). */
void rto_sample(struct rto *t, uint64_t rtt);
/* Task 3: new data [.., end_seq) leaves at time now: time it, unless a segment is timed
 * already (one measurement per round trip). */
void rto_on_send(struct rto *t, uint32_t end_seq, uint64_t now);
/* Task 3: an ACK of everything before ack arrived at time now: when it covers the timed
 * segment, that is one RTT sample. */
void rto_on_ack(struct rto *t, uint32_t ack, uint64_t now);
/* Task 3: the timer expired (RFC 6298 5.5 and 5.6): double the RTO, at most max; and Karn's
 * rule: the timed segment will be resent, so its ACK is no sample any more. */
void rto_on_timeout(struct rto *t);

#endif
