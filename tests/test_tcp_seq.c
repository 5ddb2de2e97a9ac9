// SPDX-License-Identifier: MIT
/*
 * test_tcp_seq.c: the TCP stack's building blocks. Sequence-number comparisons across the
 * 2^32 wrap, the byte ring (writes, reads, peeks and pokes across its end), the out-of-order
 * range list (merging, its bound, ranges across the wrap), and a peer whose sequence numbers
 * wrap in the middle of a transfer, with an out-of-order segment straddling the wrap.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "tcp/tcp_int.h"
#include "test_tcp_util.h"

Test(tcp_seq, compare_simple)
{
	cr_assert(tcp_seq_lt(1, 2));
	cr_assert(!tcp_seq_lt(2, 2));
	cr_assert(tcp_seq_le(2, 2));
	cr_assert(tcp_seq_gt(3, 2));
	cr_assert(tcp_seq_ge(3, 3));
	cr_assert(!tcp_seq_gt(2, 3));
}

Test(tcp_seq, compare_across_wrap)
{
	static const uint32_t bases[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffff00, 0xffffffff};

	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		for (uint32_t d = 1; d < 5000; d += 7) {
			uint32_t a = bases[b], later = a + d; /* wraps for the high bases */

			cr_assert(tcp_seq_lt(a, later), "%u < %u", a, later);
			cr_assert(tcp_seq_le(a, later));
			cr_assert(tcp_seq_gt(later, a));
			cr_assert(tcp_seq_ge(later, a));
			cr_assert(!tcp_seq_lt(later, a));
			cr_assert(!tcp_seq_gt(a, later));
		}
	}
	/* The explicit wrap: 0xfffffff0 is 32 before 0x10. */
	cr_assert(tcp_seq_lt(0xfffffff0u, 0x10));
	cr_assert(tcp_seq_gt(0x10, 0xfffffff0u));
	/* Half the space apart is the edge of the definition: 2^31 - 1 ahead is still ahead. */
	cr_assert(tcp_seq_lt(0, 0x7fffffff));
	cr_assert(tcp_seq_gt(0, 0x80000001u));
}

Test(tcp_seq, in_window_across_wrap)
{
	cr_assert(tcp_seq_in(0xfffffffe, 0xfffffffe, 10));
	cr_assert(tcp_seq_in(0xffffffff, 0xfffffffe, 10));
	cr_assert(tcp_seq_in(0, 0xfffffffe, 10));
	cr_assert(tcp_seq_in(9, 0xfffffffe, 10));
	cr_assert(!tcp_seq_in(10, 0xfffffffe, 10), "the right edge is outside");
	cr_assert(!tcp_seq_in(0xfffffffd, 0xfffffffe, 10));
	cr_assert(!tcp_seq_in(5, 5, 5), "an empty window holds nothing");
}

Test(tcp_seq, ring_wraps)
{
	uint8_t mem[10], out[10], in[10];
	struct tcp__ring r;

	for (int i = 0; i < 10; i++)
		in[i] = (uint8_t)(i + 1);
	tcp__ring_init(&r, mem, sizeof(mem));
	cr_assert_eq(tcp__ring_write(&r, in, 7), 7);
	cr_assert_eq(tcp__ring_read(&r, out, 5), 5);
	cr_assert_eq(memcmp(out, in, 5), 0);
	/* Head at 5, 2 used: 8 more fit, wrapping over the end. */
	cr_assert_eq(tcp__ring_free(&r), 8);
	cr_assert_eq(tcp__ring_write(&r, in, 10), 8, "the write is cut to the free space");
	cr_assert_eq(r.used, 10);
	cr_assert_eq(tcp__ring_free(&r), 0);
	tcp__ring_peek(&r, 2, out, 8);
	cr_assert_eq(memcmp(out, in, 8), 0, "peek across the end");
	tcp__ring_drop(&r, 2);
	cr_assert_eq(tcp__ring_read(&r, out, 10), 8);
	cr_assert_eq(memcmp(out, in, 8), 0);
	cr_assert_eq(tcp__ring_read(&r, out, 10), 0);
}

Test(tcp_seq, ring_poke_then_commit)
{
	uint8_t mem[8], out[8];
	struct tcp__ring r;

	tcp__ring_init(&r, mem, sizeof(mem));
	tcp__ring_write(&r, "abcdef", 6);
	tcp__ring_drop(&r, 6);          /* head at 6 */
	tcp__ring_poke(&r, 2, "CD", 2); /* out of order: positions 0 and 1 of the ring */
	cr_assert_eq(r.used, 0);
	tcp__ring_write(&r, "AB", 2); /* fills the gap, at 6 and 7 */
	tcp__ring_commit(&r, 2);
	cr_assert_eq(tcp__ring_read(&r, out, 8), 4);
	cr_assert_eq(memcmp(out, "ABCD", 4), 0);
}

Test(tcp_seq, ooo_merge_and_take)
{
	struct tcp__ooo o = {0};
	uint32_t end;

	cr_assert_eq(tcp__ooo_add(&o, 200, 300), 0);
	cr_assert_eq(tcp__ooo_add(&o, 400, 500), 0);
	cr_assert_eq(tcp__ooo_add(&o, 100, 150), 0);
	cr_assert_eq(o.n, 3);
	cr_assert_eq(o.start[0], 100, "ranges stay sorted");
	cr_assert_eq(tcp__ooo_add(&o, 150, 200), 0, "touching ranges merge");
	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.start[0], 100);
	cr_assert_eq(o.end[0], 300);
	cr_assert_eq(tcp__ooo_add(&o, 250, 450), 0, "an overlap joins both");
	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.end[0], 500);
	cr_assert(!tcp__ooo_take(&o, 99, &end), "a gap is left before 100");
	cr_assert(tcp__ooo_take(&o, 100, &end));
	cr_assert_eq(end, 500);
	cr_assert_eq(o.n, 0);
}

Test(tcp_seq, ooo_bounded)
{
	struct tcp__ooo o = {0};

	for (uint32_t i = 0; i < TCP_OOO_RANGES; i++)
		cr_assert_eq(tcp__ooo_add(&o, 100 * i + 10, 100 * i + 20), 0);
	cr_assert_eq(tcp__ooo_add(&o, 1000, 1010), -ENOSPC);
	cr_assert_eq(o.n, TCP_OOO_RANGES, "a refused range leaves the list as it was");
	cr_assert_eq(tcp__ooo_add(&o, 15, 115), 0, "a merge needs no new slot");
	cr_assert_eq(o.n, TCP_OOO_RANGES - 1);
}

Test(tcp_seq, ooo_across_wrap)
{
	struct tcp__ooo o = {0};
	uint32_t end;

	cr_assert_eq(tcp__ooo_add(&o, 0x10, 0x20), 0);
	cr_assert_eq(tcp__ooo_add(&o, 0xfffffff0u, 0xfffffff8u), 0);
	cr_assert_eq(o.start[0], 0xfffffff0u, "the range before the wrap sorts first");
	cr_assert_eq(tcp__ooo_add(&o, 0xfffffff8u, 0x10), 0);
	cr_assert_eq(o.n, 1);
	cr_assert(tcp__ooo_take(&o, 0xfffffff0u, &end));
	cr_assert_eq(end, 0x20);
}

/* A peer whose ISN is just below 2^32: its data crosses the wrap, one segment out of order. */
Test(tcp_seq, peer_sequence_wraps)
{
	struct t_env *e = t_env_new(NULL);
	const uint32_t isn = 0xffffff00u;
	uint32_t iss, s1 = isn + 1;
	struct tcp_conn *c = t_open(e, 40000, isn, 1460, &iss);
	uint8_t data[600], got[600];
	struct t_seg a;

	t_pattern(data, sizeof(data), 0, 3);
	/* [0, 200) ends before the wrap, [200, 400) straddles it, [400, 600) is after. */
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = s1 + 400,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data + 400,
				  .len = 200});
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = s1,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data,
				  .len = 200});
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, s1 + 200, "in-order bytes acknowledged, the gap not");
	cr_assert_eq(tcp_recv_avail(c), 200);
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = s1 + 200,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data + 200,
				  .len = 200});
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, (uint32_t)(isn + 1 + 600), "ACK wrapped past 2^32");
	cr_assert_lt(a.ack, isn, "the ACK number really wrapped");
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 600);
	cr_assert(t_pattern_ok(got, 600, 0, 3), "bytes delivered in order across the wrap");
	t_env_free(e);
}
