// SPDX-License-Identifier: MIT
/*
 * test_io_mem.c: the in-memory port pair (io_mem.h) and the shared io.c pieces it exercises:
 * frames cross in both directions with their bytes intact and in order, bursts return the
 * counts they should, tx_burst's ownership rule (the first k taken, the rest still the
 * caller's), pool exhaustion and recovery, full-queue drops and where they are counted,
 * io_free over buffers of two owners, foreign buffers copied between pairs, inject/take,
 * and io_wait()'s answer for ports without a descriptor.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "io.h"
#include "io_mem.h"

#define NFRAMES   8
#define MAX_FRAME 256

static struct io_port *a, *b;

static void pair_up(void)
{
	cr_assert_eq(io_mem_pair(&a, &b, NFRAMES, MAX_FRAME), 0);
}

static void pair_down(void)
{
	io_close(a);
	io_close(b);
}

TestSuite(io_mem, .init = pair_up, .fini = pair_down);

/* A frame whose every byte depends on its tag and position, of a tag-dependent length. */
static uint32_t frame_fill(uint8_t *p, unsigned tag)
{
	uint32_t len = 60 + tag % 100;

	for (uint32_t i = 0; i < len; i++)
		p[i] = (uint8_t)(tag * 31 + i);
	return len;
}

static void frame_check(const struct io_buf *buf, unsigned tag)
{
	uint8_t want[MAX_FRAME];
	uint32_t len = frame_fill(want, tag);

	cr_assert_eq(buf->len, len, "frame %u: length %u, want %u", tag, buf->len, len);
	cr_assert_eq(memcmp(buf->data, want, len), 0, "frame %u: bytes differ", tag);
}

/* Allocates n buffers on p, fills them with tags first..first+n-1 and sends them all. */
static void send_tagged(struct io_port *p, unsigned first, unsigned n)
{
	struct io_buf bufs[NFRAMES * 2];

	cr_assert_eq(io_alloc(p, bufs, n), n);
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(bufs[i].owner, p);
		cr_assert_geq(bufs[i].len, MAX_FRAME);
		bufs[i].len = frame_fill(bufs[i].data, first + i);
	}
	cr_assert_eq(io_tx_burst(p, bufs, n), n);
}

static void recv_tagged(struct io_port *p, unsigned first, unsigned n)
{
	struct io_buf bufs[NFRAMES * 2];

	cr_assert_eq(io_rx_burst(p, bufs, NFRAMES * 2), n);
	for (unsigned i = 0; i < n; i++) {
		frame_check(&bufs[i], first + i);
		cr_assert_eq(bufs[i].owner, p, "received buffers belong to the receiving port");
	}
	io_free(bufs, n);
}

Test(io_mem, frames_cross_both_ways_in_order_with_their_bytes)
{
	send_tagged(a, 0, 5);
	send_tagged(b, 100, 3);
	recv_tagged(b, 0, 5);
	recv_tagged(a, 100, 3);
	/* Many laps: buffers really come back to the pools. */
	for (unsigned lap = 0; lap < 50; lap++) {
		send_tagged(a, lap, NFRAMES);
		recv_tagged(b, lap, NFRAMES);
	}
}

Test(io_mem, rx_burst_returns_at_most_what_is_asked_and_waiting)
{
	struct io_buf bufs[NFRAMES];

	cr_assert_eq(io_rx_burst(b, bufs, NFRAMES), 0, "nothing sent yet");
	send_tagged(a, 0, 6);
	cr_assert_eq(io_rx_burst(b, bufs, 4), 4);
	frame_check(&bufs[0], 0);
	frame_check(&bufs[3], 3);
	io_free(bufs, 4);
	cr_assert_eq(io_rx_burst(b, bufs, NFRAMES), 2);
	frame_check(&bufs[0], 4);
	frame_check(&bufs[1], 5);
	io_free(bufs, 2);
	cr_assert_eq(io_rx_burst(b, bufs, NFRAMES), 0);
}

Test(io_mem, pool_exhaustion_and_recovery)
{
	struct io_buf bufs[NFRAMES * 2 + 4], more[4];

	/* Each port's pool holds 2 * NFRAMES buffers. */
	cr_assert_eq(io_alloc(a, bufs, NFRAMES * 2 + 4), NFRAMES * 2);
	cr_assert_eq(io_alloc(a, more, 4), 0);
	cr_assert_eq(io_alloc(b, more, 4), 4, "the peer's pool is separate");
	io_free(more, 4);
	io_free(bufs, 3);
	cr_assert_eq(io_alloc(a, more, 4), 3, "three buffers came back");
	io_free(more, 3);
	io_free(bufs + 3, NFRAMES * 2 - 3);
	cr_assert_eq(io_alloc(a, bufs, NFRAMES * 2), NFRAMES * 2);
	io_free(bufs, NFRAMES * 2);
}

Test(io_mem, full_queue_drops_count_in_the_peers_rx_dropped)
{
	struct io_buf bufs[NFRAMES * 2];
	struct io_stats sa, sb;

	cr_assert_eq(io_alloc(a, bufs, NFRAMES * 2), NFRAMES * 2);
	for (unsigned i = 0; i < NFRAMES * 2; i++)
		bufs[i].len = frame_fill(bufs[i].data, i);
	cr_assert_eq(io_tx_burst(a, bufs, NFRAMES * 2), NFRAMES * 2, "all taken");
	cr_assert_eq(a->ops->stats(a, &sa), 0);
	cr_assert_eq(b->ops->stats(b, &sb), 0);
	cr_assert_eq(sa.tx_pkts, NFRAMES * 2);
	cr_assert_eq(sa.tx_errors, 0);
	cr_assert_eq(sb.rx_dropped, NFRAMES, "the second half found the queue full");
	recv_tagged(b, 0, NFRAMES);
	cr_assert_eq(b->ops->stats(b, &sb), 0);
	cr_assert_eq(sb.rx_pkts, NFRAMES);
	/* Dropped buffers went back to a's pool. */
	cr_assert_eq(io_alloc(a, bufs, NFRAMES * 2), NFRAMES * 2);
	io_free(bufs, NFRAMES * 2);
}

Test(io_mem, bad_lengths_are_taken_and_counted_as_tx_errors)
{
	struct io_buf bufs[3];
	struct io_stats s;

	cr_assert_eq(io_alloc(a, bufs, 3), 3);
	bufs[0].len = 0;
	bufs[1].len = MAX_FRAME + 1;
	bufs[2].len = frame_fill(bufs[2].data, 7);
	cr_assert_eq(io_tx_burst(a, bufs, 3), 3);
	cr_assert_eq(a->ops->stats(a, &s), 0);
	cr_assert_eq(s.tx_errors, 2);
	cr_assert_eq(s.tx_pkts, 1);
	recv_tagged(b, 7, 1);
}

Test(io_mem, io_free_returns_buffers_of_two_owners)
{
	struct io_buf mixed[NFRAMES * 4], probe[NFRAMES * 2];

	cr_assert_eq(io_alloc(a, mixed, NFRAMES * 2), NFRAMES * 2);
	cr_assert_eq(io_alloc(b, mixed + NFRAMES * 2, NFRAMES * 2), NFRAMES * 2);
	/* Interleave the owners so io_free sees several runs. */
	for (unsigned i = 0; i < NFRAMES; i += 2) {
		struct io_buf t = mixed[i];

		mixed[i] = mixed[NFRAMES * 2 + i];
		mixed[NFRAMES * 2 + i] = t;
	}
	cr_assert_eq(io_alloc(a, probe, 1), 0);
	cr_assert_eq(io_alloc(b, probe, 1), 0);
	io_free(mixed, NFRAMES * 4);
	cr_assert_eq(io_alloc(a, probe, NFRAMES * 2), NFRAMES * 2, "a's pool is full again");
	io_free(probe, NFRAMES * 2);
	cr_assert_eq(io_alloc(b, probe, NFRAMES * 2), NFRAMES * 2, "b's pool is full again");
	io_free(probe, NFRAMES * 2);
}

Test(io_mem, buffers_received_on_a_port_can_be_sent_back_in_place)
{
	struct io_buf bufs[NFRAMES];

	send_tagged(a, 40, 4);
	cr_assert_eq(io_rx_burst(b, bufs, NFRAMES), 4);
	cr_assert_eq(io_tx_burst(b, bufs, 4), 4);
	recv_tagged(a, 40, 4);
}

Test(io_mem, foreign_buffers_are_copied_and_released_to_their_owner)
{
	struct io_port *c, *d;
	struct io_buf bufs[NFRAMES], hog[NFRAMES * 2];
	unsigned held;

	cr_assert_eq(io_mem_pair(&c, &d, NFRAMES, MAX_FRAME), 0);
	send_tagged(a, 10, 4);
	cr_assert_eq(io_rx_burst(b, bufs, NFRAMES), 4);
	/* c's pool is empty: it cannot copy, takes nothing, the caller keeps all four. */
	held = io_alloc(c, hog, NFRAMES * 2);
	cr_assert_eq(held, NFRAMES * 2);
	cr_assert_eq(io_tx_burst(c, bufs, 4), 0);
	/* Two pool buffers free: it takes the first two; the rest stay the caller's. */
	io_free(hog, 2);
	cr_assert_eq(io_tx_burst(c, bufs, 4), 2);
	frame_check(&bufs[2], 12);
	cr_assert_eq(io_tx_burst(c, bufs + 2, 2), 0);
	io_free(hog + 2, held - 2);
	cr_assert_eq(io_tx_burst(c, bufs + 2, 2), 2);
	recv_tagged(d, 10, 4);
	/* The originals went back to a's pool (their home) through b. */
	cr_assert_eq(io_alloc(a, hog, NFRAMES * 2), NFRAMES * 2);
	io_free(hog, NFRAMES * 2);
	io_close(c);
	io_close(d);
}

Test(io_mem, inject_arrives_and_take_pops_what_was_sent)
{
	uint8_t frame[MAX_FRAME], out[MAX_FRAME];
	struct io_buf bufs[2];
	uint32_t len = frame_fill(frame, 77);

	cr_assert_eq(io_mem_inject(b, frame, len), 0);
	recv_tagged(b, 77, 1);
	cr_assert_eq(io_mem_inject(b, frame, 0), -EMSGSIZE);
	cr_assert_eq(io_mem_inject(b, frame, MAX_FRAME + 1), -EMSGSIZE);

	cr_assert_eq(io_mem_take(a, out, sizeof(out)), -EAGAIN);
	send_tagged(a, 5, 2);
	cr_assert_eq(io_mem_take(a, out, 10), -EMSGSIZE, "too small: stays queued");
	cr_assert_eq(io_mem_take(a, out, sizeof(out)), (int)frame_fill(frame, 5));
	cr_assert_eq(memcmp(out, frame, frame_fill(frame, 5)), 0);
	/* b receives only what take left. */
	cr_assert_eq(io_rx_burst(b, bufs, 2), 1);
	frame_check(&bufs[0], 6);
	io_free(bufs, 1);
	cr_assert_eq(io_mem_take(a, out, sizeof(out)), -EAGAIN);
}

Test(io_mem, inject_reports_a_full_queue)
{
	uint8_t frame[MAX_FRAME];
	uint32_t len = frame_fill(frame, 1);

	for (unsigned i = 0; i < NFRAMES; i++)
		cr_assert_eq(io_mem_inject(b, frame, len), 0);
	cr_assert_eq(io_mem_inject(b, frame, len), -ENOSPC);
}

Test(io_mem, bad_arguments)
{
	struct io_port *x = NULL, *y = NULL;
	uint8_t buf[4];

	cr_assert_eq(io_mem_pair(&x, &y, 0, MAX_FRAME), -EINVAL);
	cr_assert_eq(io_mem_pair(&x, &y, NFRAMES, 0), -EINVAL);
	cr_assert_null(x);
	/* A port of another kind is refused (a fake ops table stands in for it). */
	struct io_ops other = {.name = "other"};
	struct io_port fake = {.ops = &other, .fd = -1};

	cr_assert_eq(io_mem_inject(&fake, buf, 1), -EINVAL);
	cr_assert_eq(io_mem_take(&fake, buf, sizeof(buf)), -EINVAL);
	io_close(NULL);
}

Test(io_mem, io_wait_without_descriptors_is_not_supported)
{
	struct io_port *ports[2] = {a, b};

	cr_assert_eq(a->fd, -1);
	cr_assert_eq(io_wait(ports, 2, 0), -EOPNOTSUPP);
}
