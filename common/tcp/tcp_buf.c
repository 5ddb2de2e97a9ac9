// SPDX-License-Identifier: MIT
/*
 * tcp_buf.c: the TCP stack's byte stores. A connection has two byte rings: the send ring
 * holds what the application queued until the peer acknowledges it (so it can be resent),
 * the receive ring holds in-order data until the application reads it.
 *
 * Out-of-order data (RFC 9293 section 3.10.7.4, "seventh"; RFC 9293 3.8.6.2.2 lets a receiver
 * keep it) is written straight into the receive ring at its final place, past the in-order
 * bytes, and remembered as a few sequence ranges. When the gap before a range fills, the
 * range simply becomes part of the ring's used bytes: no copy, and no memory beyond the ring,
 * because the window we advertise is exactly the ring's free space.
 */
#include <errno.h>
#include <string.h>

#include "tcp_int.h"

void tcp__ring_init(struct tcp__ring *r, uint8_t *mem, uint32_t cap)
{
	r->data = mem;
	r->cap = cap;
	r->head = 0;
	r->used = 0;
}

uint32_t tcp__ring_free(const struct tcp__ring *r)
{
	return r->cap - r->used;
}

/* Index of the byte off bytes after head (off <= cap). */
static uint32_t ring_pos(const struct tcp__ring *r, uint32_t off)
{
	uint32_t p = r->head + off;

	return p >= r->cap ? p - r->cap : p;
}

/* Copies len bytes from src into the ring from offset off (off + len <= cap), wrapping. */
void tcp__ring_poke(struct tcp__ring *r, uint32_t off, const void *src, uint32_t len)
{
	uint32_t p = ring_pos(r, off);
	uint32_t first = r->cap - p < len ? r->cap - p : len;

	if (len == 0)
		return; /* src may be NULL then */
	memcpy(r->data + p, src, first);
	memcpy(r->data, (const uint8_t *)src + first, len - first);
}

/* Copies len bytes from offset off of the ring to dst (off + len <= cap), wrapping. */
void tcp__ring_peek(const struct tcp__ring *r, uint32_t off, void *dst, uint32_t len)
{
	uint32_t p = ring_pos(r, off);
	uint32_t first = r->cap - p < len ? r->cap - p : len;

	if (len == 0)
		return;
	memcpy(dst, r->data + p, first);
	memcpy((uint8_t *)dst + first, r->data, len - first);
}

/* Appends up to len bytes; returns how many fitted. */
uint32_t tcp__ring_write(struct tcp__ring *r, const void *src, uint32_t len)
{
	uint32_t n = len < tcp__ring_free(r) ? len : tcp__ring_free(r);

	tcp__ring_poke(r, r->used, src, n);
	r->used += n;
	return n;
}

/* Removes up to len bytes from the front into dst; returns how many. */
uint32_t tcp__ring_read(struct tcp__ring *r, void *dst, uint32_t len)
{
	uint32_t n = len < r->used ? len : r->used;

	tcp__ring_peek(r, 0, dst, n);
	tcp__ring_drop(r, n);
	return n;
}

/* Forgets len bytes at the front (len <= used): acknowledged data leaving the send ring. */
void tcp__ring_drop(struct tcp__ring *r, uint32_t len)
{
	r->head = ring_pos(r, len);
	r->used -= len;
}

/* Counts len bytes already written past the used part as used: out-of-order data whose gap
 * was just filled. */
void tcp__ring_commit(struct tcp__ring *r, uint32_t len)
{
	r->used += len;
}

/* Appends range [start, end) to out; returns false when out is full. */
static bool ooo_push(struct tcp__ooo *out, uint32_t start, uint32_t end)
{
	if (out->n == TCP_OOO_RANGES)
		return false;
	out->start[out->n] = start;
	out->end[out->n] = end;
	out->n++;
	return true;
}

/* tcp__ooo_add. 8< */
/* Adds range [start, end) to o, merging it with every range it overlaps or touches; returns 0,
 * or -ENOSPC (o unchanged) when that would need more than TCP_OOO_RANGES ranges. */
int tcp__ooo_add(struct tcp__ooo *o, uint32_t start, uint32_t end)
{
	struct tcp__ooo out = {0};
	bool placed = false, ok = true;

	for (unsigned i = 0; i < o->n; i++) {
		uint32_t s = o->start[i], e = o->end[i];

		if (tcp_seq_lt(e, start)) {
			ok &= ooo_push(&out, s, e); /* wholly before the new range */
		} else if (tcp_seq_lt(end, s)) {
			if (!placed)
				ok &= ooo_push(&out, start, end);
			placed = true;
			ok &= ooo_push(&out, s, e); /* wholly after it */
		} else {
			start = tcp_seq_lt(s, start) ? s : start; /* overlapping: merge */
			end = tcp_seq_gt(e, end) ? e : end;
		}
	}
	if (!placed)
		ok &= ooo_push(&out, start, end);
	if (!ok)
		return -ENOSPC;
	*o = out;
	return 0;
}
/* >8 End of tcp__ooo_add. */

/* Removes the first range if it starts at or before rcv_nxt (the gap before it is filled) and
 * stores its end in *end; returns true when it did. */
bool tcp__ooo_take(struct tcp__ooo *o, uint32_t rcv_nxt, uint32_t *end)
{
	if (o->n == 0 || tcp_seq_gt(o->start[0], rcv_nxt))
		return false;
	*end = o->end[0];
	o->n--;
	memmove(o->start, o->start + 1, o->n * sizeof(o->start[0]));
	memmove(o->end, o->end + 1, o->n * sizeof(o->end[0]));
	return true;
}
