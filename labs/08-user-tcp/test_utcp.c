// SPDX-License-Identifier: MIT
/*
 * test_utcp.c (lab 08): the grader. Tasks 1 to 3 test your parts alone with known answers:
 * comparisons across 2^32, crafted segments into the reassembly (in order, reordered,
 * duplicated, overlapping, past the window, too many gaps, across 2^32), RFC 6298 by the
 * numbers. Task 4 drives the lab's endpoint with crafted segments (handshakes across 2^32,
 * reordering, loss and backoff), task 5 runs the echo through the lossy link, every byte checked.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "echo.h"
#include "parts.h"
#include "utcp.h"

TestSuite(lab08, .timeout = 30);

#define MS 1000000ull

/* Task 1 */

Test(lab08, task1_comparisons_away_from_the_wrap)
{
	cr_expect(seq_lt(1, 2));
	cr_expect(!seq_lt(2, 1));
	cr_expect(!seq_lt(5, 5));
	cr_expect(seq_leq(5, 5));
	cr_expect(seq_leq(4, 5));
	cr_expect(!seq_leq(6, 5));
	cr_expect(seq_gt(3, 2));
	cr_expect(!seq_gt(3, 3));
	cr_expect(seq_geq(3, 3));
	cr_expect(!seq_geq(2, 3));
}

Test(lab08, task1_comparisons_across_2_to_the_32)
{
	cr_expect(seq_lt(0xfffffff0u, 0x10), "0xfffffff0 comes 32 numbers before 0x10");
	cr_expect(!seq_lt(0x10, 0xfffffff0u));
	cr_expect(seq_gt(0x10, 0xfffffff0u));
	cr_expect(!seq_gt(0xfffffff0u, 0x10));
	cr_expect(seq_leq(0xffffffffu, 0));
	cr_expect(seq_geq(0, 0xffffffffu));
	cr_expect(!seq_geq(0xffffffffu, 0));
	cr_expect(seq_lt(0x7ffffff0u, 0x80000010u), "the middle of the space is no edge");
	cr_expect(seq_lt(0, 0x7fffffffu), "just under 2^31 apart");
}

Test(lab08, task1_window_check_across_the_wrap)
{
	cr_expect(seq_in_window(100, 100, 10), "the left edge is in");
	cr_expect(seq_in_window(109, 100, 10));
	cr_expect(!seq_in_window(110, 100, 10), "the right edge is out");
	cr_expect(!seq_in_window(99, 100, 10));
	cr_expect(!seq_in_window(100, 100, 0), "an empty window holds nothing");
	cr_expect(seq_in_window(0xfffffffeu, 0xfffffff0u, 100));
	cr_expect(seq_in_window(5, 0xfffffff0u, 100), "past 2^32, still in");
	cr_expect(!seq_in_window(0x54, 0xfffffff0u, 100), "0xfffffff0 + 100 = 0x54: out");
	cr_expect(!seq_in_window(0xffffffefu, 0xfffffff0u, 100));
}

/* Task 2 */

static uint8_t pat(uint32_t seq)
{
	return (uint8_t)(seq * 7 + (seq >> 8));
}

/* Adds [seq, seq + len) of the pattern; returns what rsm_add() returned. */
static uint32_t add(struct rsm *r, uint32_t seq, uint32_t len)
{
	uint8_t data[RSM_CAP];

	for (uint32_t i = 0; i < len; i++)
		data[i] = pat(seq + i);
	return rsm_add(r, seq, data, len);
}

/* Reads everything ready and checks it is the pattern from first on; returns how much. */
static uint32_t read_check(struct rsm *r, uint32_t first)
{
	uint8_t out[RSM_CAP];
	uint32_t n = rsm_read(r, out, sizeof(out));

	for (uint32_t i = 0; i < n; i++)
		if (out[i] != pat(first + i))
			cr_assert_fail("byte of sequence number %u: %u where %u was sent",
				       first + i, out[i], pat(first + i));
	return n;
}

Test(lab08, task2_in_order_segments_are_delivered)
{
	static struct rsm r;

	rsm_init(&r, 1000);
	cr_expect_eq(add(&r, 1000, 5), 5);
	cr_expect_eq(r.nxt, 1005);
	cr_expect_eq(add(&r, 1005, 100), 100);
	cr_expect_eq(r.nxt, 1105);
	cr_expect_eq(rsm_window(&r), RSM_CAP - 105);
	cr_expect_eq(read_check(&r, 1000), 105);
	cr_expect_eq(rsm_window(&r), RSM_CAP);
}

Test(lab08, task2_out_of_order_is_kept_until_the_gap_fills)
{
	static struct rsm r;

	rsm_init(&r, 1000);
	cr_expect_eq(add(&r, 1010, 10), 0, "after a gap: nothing in order yet");
	cr_expect_eq(r.nxt, 1000);
	cr_expect_eq(r.n, 1);
	cr_expect_eq(r.start[0], 1010);
	cr_expect_eq(r.end[0], 1020);
	cr_expect_eq(add(&r, 1030, 10), 0);
	cr_expect_eq(r.n, 2);
	cr_expect_eq(add(&r, 1000, 10), 20, "the gap filled: 1000..1020 in order");
	cr_expect_eq(r.nxt, 1020);
	cr_expect_eq(r.n, 1);
	cr_expect_eq(add(&r, 1020, 10), 20);
	cr_expect_eq(r.n, 0);
	cr_expect_eq(add(&r, 1050, 10), 0);
	cr_expect_eq(add(&r, 1040, 30), 30, "an in-order segment past the whole range");
	cr_expect_eq(r.nxt, 1070);
	cr_expect_eq(r.n, 0);
	cr_expect_eq(read_check(&r, 1000), 70);
}

Test(lab08, task2_duplicates_and_overlaps_count_once)
{
	static struct rsm r;

	rsm_init(&r, 1000);
	cr_expect_eq(add(&r, 1000, 10), 10);
	cr_expect_eq(add(&r, 1005, 10), 5, "half old: only 1010..1015 is new");
	cr_expect_eq(add(&r, 995, 10), 0, "all old");
	cr_expect_eq(add(&r, 1000, 15), 0, "a resent segment");
	cr_expect_eq(add(&r, 1030, 10), 0);
	cr_expect_eq(add(&r, 1035, 10), 0);
	cr_expect_eq(r.n, 1, "overlapping ranges merge");
	cr_expect_eq(r.start[0], 1030);
	cr_expect_eq(r.end[0], 1045);
	cr_expect_eq(add(&r, 1020, 10), 0);
	cr_expect_eq(r.n, 1, "touching ranges merge");
	cr_expect_eq(r.start[0], 1020);
	cr_expect_eq(add(&r, 1050, 5), 0);
	cr_expect_eq(add(&r, 1040, 20), 0);
	cr_expect_eq(r.n, 1, "one range covering two merges both");
	cr_expect_eq(r.end[0], 1060);
	cr_expect_eq(add(&r, 1060, 5), 0);
	cr_expect_eq(r.n, 1, "a range starting where one ends merges with it");
	cr_expect_eq(r.end[0], 1065);
	cr_expect_eq(add(&r, 1012, 10), 50, "1015..1065 in order at once");
	cr_expect_eq(r.n, 0);
	cr_expect_eq(read_check(&r, 1000), 65);
}

Test(lab08, task2_the_window_limits_what_is_taken)
{
	static struct rsm r;
	uint32_t base = 5000;

	rsm_init(&r, base);
	cr_expect_eq(add(&r, base + RSM_CAP, 10), 0, "just past the window");
	cr_expect_eq(r.n, 0, "... and not kept");
	cr_expect_eq(add(&r, base + RSM_CAP - 2, 10), 0, "straddles the right edge");
	cr_expect_eq(r.n, 1);
	cr_expect_eq(r.end[0], base + RSM_CAP, "only what fits the window is kept");
	for (uint32_t s = base; s < base + RSM_CAP - 2; s += 1000) {
		uint32_t len = base + RSM_CAP - 2 - s < 1000 ? base + RSM_CAP - 2 - s : 1000;

		add(&r, s, len);
	}
	cr_expect_eq(r.nxt, base + RSM_CAP);
	cr_expect_eq(rsm_window(&r), 0, "all read-ready: the window is shut");
	cr_expect_eq(add(&r, base + RSM_CAP, 1), 0, "a shut window takes nothing");
	cr_expect_eq(read_check(&r, base), RSM_CAP);
	cr_expect_eq(add(&r, base + RSM_CAP, 100), 100, "read: room again");
	cr_expect_eq(read_check(&r, base + RSM_CAP), 100);
}

Test(lab08, task2_too_many_gaps_drop_the_segment)
{
	static struct rsm r;

	rsm_init(&r, 0);
	for (uint32_t i = 1; i <= RSM_RANGES; i++)
		cr_expect_eq(add(&r, i * 100, 10), 0);
	cr_expect_eq(r.n, RSM_RANGES);
	cr_expect_eq(add(&r, 50, 10), 0, "a fifth gap");
	cr_expect_eq(r.n, RSM_RANGES, "dropped, the ranges unchanged");
	cr_expect_eq(r.start[0], 100);
	cr_expect_eq(add(&r, 105, 20), 0, "merging needs no new range: kept");
	cr_expect_eq(r.end[0], 125);
	cr_expect_eq(add(&r, 0, 100), 125);
	cr_expect_eq(read_check(&r, 0), 125);
}

Test(lab08, task2_reassembly_across_2_to_the_32)
{
	static struct rsm r;

	rsm_init(&r, 0xfffffff0u);
	cr_expect_eq(add(&r, 0x10, 16), 0);
	cr_expect_eq(add(&r, 0, 16), 0);
	cr_expect_eq(r.n, 1, "0x00..0x10 and 0x10..0x20 touch");
	cr_expect_eq(add(&r, 0xfffffff8u, 8), 0);
	cr_expect_eq(r.n, 1, "0xfffffff8..2^32 touches 0: one range across the wrap");
	cr_expect_eq(add(&r, 0xfffffff0u, 8), 48);
	cr_expect_eq(r.nxt, 0x20);
	cr_expect_eq(read_check(&r, 0xfffffff0u), 48);
}

/* Random segments around the window, many reordered, duplicated and overlapping, from just
 * below 2^32 on; every byte read is checked. */
Test(lab08, task2_a_random_stream_arrives_whole)
{
	static struct rsm r;
	uint32_t first = 0xffff0000u, got = 0, rng = 12345;

	rsm_init(&r, first);
	for (unsigned round = 0; round < 200000 && got < 400000; round++) {
		uint32_t off, len;

		rng = rng * 1103515245u + 12345u;
		off = (rng >> 8) % (rsm_window(&r) + 1500);
		rng = rng * 1103515245u + 12345u;
		len = 1 + (rng >> 8) % 1200;
		add(&r, r.nxt - 500 + off, len);
		if (round % 4 == 0)
			got += read_check(&r, first + got);
	}
	cr_expect_geq(got, 400000, "only %u bytes came in order after 200000 segments", got);
}

/* Task 3 */

Test(lab08, task3_the_first_sample_sets_srtt_and_rttvar)
{
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	cr_expect_eq(t.rto, 1000 * MS);
	rto_sample(&t, 100 * MS);
	cr_expect_eq(t.srtt, 100 * MS, "RFC 6298 2.2: SRTT = R");
	cr_expect_eq(t.rttvar, 50 * MS, "RFC 6298 2.2: RTTVAR = R/2");
	cr_expect_eq(t.rto, 300 * MS, "SRTT + 4 RTTVAR");
}

Test(lab08, task3_later_samples_are_smoothed)
{
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	rto_sample(&t, 100 * MS);
	rto_sample(&t, 200 * MS);
	cr_expect_eq(t.rttvar, 62500000, "(3 * 50 ms + |100 ms - 200 ms|) / 4, with the old SRTT");
	cr_expect_eq(t.srtt, 112500000, "(7 * 100 ms + 200 ms) / 8");
	cr_expect_eq(t.rto, 362500000);
	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	rto_sample(&t, 0);
	cr_expect_neq(t.srtt, 0, "an RTT of 0 must not look like no sample");
	rto_sample(&t, 100 * MS);
	cr_expect_eq(t.srtt, 12500000, "the second sample is smoothed: (7 * 1 ns + 100 ms) / 8");
}

Test(lab08, task3_min_max_and_granularity_clamp_the_rto)
{
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	rto_sample(&t, 1 * MS);
	cr_expect_eq(t.rto, 200 * MS, "the minimum");
	rto_init(&t, 1000 * MS, 0, 60000 * MS, 1 * MS);
	for (int i = 0; i < 100; i++)
		rto_sample(&t, 10 * MS);
	cr_expect_eq(t.rttvar, 0, "a steady RTT: no variance left");
	cr_expect_eq(t.rto, 11 * MS, "SRTT + G when 4 RTTVAR is below G");
	rto_sample(&t, 100000 * MS);
	cr_expect_eq(t.rto, 60000 * MS, "the maximum");
}

Test(lab08, task3_backoff_doubles_up_to_the_maximum)
{
	static const uint64_t want[] = {2000, 4000, 8000, 16000, 32000, 60000, 60000};
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		rto_on_timeout(&t);
		cr_expect_eq(t.rto, want[i] * MS, "timeout %u: %lu ms", i + 1,
			     (unsigned long)(t.rto / MS));
	}
}

Test(lab08, task3_karn_no_sample_from_a_resent_segment)
{
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	rto_on_send(&t, 1000, 0);
	cr_expect(t.timing);
	rto_on_timeout(&t);
	rto_on_ack(&t, 1000, 3000 * MS);
	cr_expect_eq(t.srtt, 0, "the ACK of a resent segment is no sample (Karn)");
	cr_expect_eq(t.rto, 2000 * MS, "the backed-off RTO stays until a real sample");
	rto_on_send(&t, 2000, 3000 * MS);
	rto_on_send(&t, 3000, 3050 * MS);
	cr_expect_eq(t.timed_seq, 2000, "one segment timed at a time");
	rto_on_ack(&t, 1500, 3080 * MS);
	cr_expect_eq(t.srtt, 0, "an ACK short of the timed segment is no sample");
	rto_on_ack(&t, 2500, 3100 * MS);
	cr_expect_eq(t.srtt, 100 * MS, "sent at 3000 ms, acknowledged at 3100 ms");
	cr_expect(!t.timing);
}

Test(lab08, task3_timing_across_2_to_the_32)
{
	struct rto t;

	rto_init(&t, 1000 * MS, 200 * MS, 60000 * MS, 1 * MS);
	rto_on_send(&t, 5, 0);
	rto_on_ack(&t, 0xfffffff0u, 50 * MS);
	cr_expect_eq(t.srtt, 0, "0xfffffff0 is before 5: no sample yet");
	rto_on_ack(&t, 5, 70 * MS);
	cr_expect_eq(t.srtt, 70 * MS);
}

/* Task 4: the lab's endpoint on crafted segments. */

static struct useg seg(uint32_t seq, uint32_t ack, uint8_t flags, uint16_t len)
{
	struct useg s = {.seq = seq, .ack = ack, .flags = flags, .wnd = RSM_CAP, .len = len};

	for (uint16_t i = 0; i < len; i++)
		s.data[i] = pat(seq + i);
	return s;
}

/* Runs output and expects exactly n segments; returns the first. */
static struct useg out1(struct utcp *u, uint64_t now, unsigned n)
{
	static struct useg o[8];
	unsigned k = utcp_output(u, now, o, 8);

	cr_assert_eq(k, n, "%u segments sent where %u were due", k, n);
	return o[0];
}

Test(lab08, task4_passive_handshake_across_2_to_the_32)
{
	static struct utcp b;
	struct useg s, o;

	utcp_init(&b, 0x1000);
	utcp_listen(&b);
	s = seg(0xffffffffu, 0, UTCP_SYN, 0);
	utcp_input(&b, &s, 0);
	o = out1(&b, 0, 1);
	cr_expect_eq(o.flags, UTCP_SYN | UTCP_ACK);
	cr_expect_eq(o.seq, 0x1000);
	cr_expect_eq(o.ack, 0, "the SYN took 0xffffffff: next is 0");
	s = seg(0, 0x1001, UTCP_ACK, 0);
	utcp_input(&b, &s, 10 * MS);
	cr_expect_eq(b.state, UTCP_ESTABLISHED);
	cr_expect_eq(b.rto.srtt, 10 * MS, "the SYN-ACK was timed");
	s = seg(0, 0x1001, UTCP_ACK, 100);
	utcp_input(&b, &s, 11 * MS);
	o = out1(&b, 11 * MS, 1);
	cr_expect_eq(o.ack, 100);
	cr_expect_eq(o.wnd, RSM_CAP - 100);
}

Test(lab08, task4_active_handshake_and_data_across_2_to_the_32)
{
	static struct utcp a;
	struct useg s, o;
	uint8_t data[1500];

	utcp_init(&a, 0xfffffffeu);
	utcp_connect(&a);
	o = out1(&a, 0, 1);
	cr_expect_eq(o.flags, UTCP_SYN);
	cr_expect_eq(o.seq, 0xfffffffeu);
	s = seg(500, 0xffffffffu, UTCP_SYN | UTCP_ACK, 0);
	utcp_input(&a, &s, 20 * MS);
	cr_expect_eq(a.state, UTCP_ESTABLISHED);
	memset(data, 'x', sizeof(data));
	cr_expect_eq(utcp_send(&a, data, sizeof(data)), sizeof(data));
	static struct useg os[8];
	cr_assert_eq(utcp_output(&a, 20 * MS, os, 8), 2, "1500 bytes: two segments");
	cr_expect_eq(os[0].seq, 0xffffffffu);
	cr_expect_eq(os[0].ack, 501);
	cr_expect_eq(os[0].len, UTCP_MSS);
	cr_expect_eq(os[1].seq, 0xffffffffu + UTCP_MSS, "past 2^32");
	s = seg(501, 0xffffffffu + 1500, UTCP_ACK, 0);
	utcp_input(&a, &s, 40 * MS);
	cr_expect_eq(a.snd_una, 0xffffffffu + 1500, "an ACK across 2^32 is accepted");
	cr_expect_eq(utcp_deadline(&a), 0, "all acknowledged: the timer stops");
}

Test(lab08, task4_reordered_segments_are_acked_cumulatively)
{
	static struct utcp b;
	struct useg s, o;
	uint8_t got[3000];

	utcp_init(&b, 7);
	utcp_listen(&b);
	s = seg(99, 0, UTCP_SYN, 0);
	utcp_input(&b, &s, 0);
	out1(&b, 0, 1);
	s = seg(100, 8, UTCP_ACK, 0);
	utcp_input(&b, &s, MS);
	for (int i = 2; i >= 0; i--) { /* the third segment first, the first last */
		s = seg(100 + 1000 * (uint32_t)i, 8, UTCP_ACK, 1000);
		utcp_input(&b, &s, 2 * MS);
		o = out1(&b, 2 * MS, 1);
		cr_expect_eq(o.ack, i ? 100 : 3100, "segment %d: ack %u", i, o.ack);
	}
	cr_assert_eq(utcp_recv(&b, got, sizeof(got)), 3000);
	for (uint32_t i = 0; i < 3000; i++)
		cr_assert_eq(got[i], pat(100 + i), "byte %u", i);
	s = seg(1100, 8, UTCP_ACK, 1000);
	utcp_input(&b, &s, 3 * MS);
	cr_expect_eq(b.st.unacceptable, 1, "an old duplicate is outside the window");
	o = out1(&b, 3 * MS, 1);
	cr_expect_eq(o.ack, 3100, "... and re-ACKed");
}

Test(lab08, task4_loss_is_resent_after_the_rto_with_backoff)
{
	static struct utcp a;
	static struct useg os[8];
	struct useg s;
	uint8_t data[2500];

	utcp_init(&a, 1);
	utcp_connect(&a);
	out1(&a, 0, 1);
	s = seg(900, 2, UTCP_SYN | UTCP_ACK, 0);
	utcp_input(&a, &s, 100 * MS);
	cr_expect_eq(a.rto.rto, 300 * MS, "SRTT 100 ms, RTTVAR 50 ms");
	memset(data, 'y', sizeof(data));
	utcp_send(&a, data, sizeof(data));
	cr_assert_eq(utcp_output(&a, 100 * MS, os, 8), 3, "3 segments (the first carries the ACK)");
	cr_expect_eq(utcp_deadline(&a), 400 * MS);
	utcp_tick(&a, 399 * MS);
	cr_expect_eq(utcp_output(&a, 399 * MS, os, 8), 0, "not yet");
	utcp_tick(&a, 400 * MS);
	s = out1(&a, 400 * MS, 1);
	cr_expect_eq(s.seq, 2, "the oldest segment, alone");
	cr_expect_eq(utcp_deadline(&a), 1000 * MS, "backed off: 600 ms");
	utcp_tick(&a, 1000 * MS);
	s = out1(&a, 1000 * MS, 1);
	cr_expect_eq(s.seq, 2);
	cr_expect_eq(utcp_deadline(&a), 2200 * MS, "backed off again: 1200 ms");
	s = seg(901, 1002, UTCP_ACK, 0);
	utcp_input(&a, &s, 1100 * MS);
	cr_expect_eq(a.rto.srtt, 100 * MS, "Karn: no sample from the resent segment");
	cr_assert_eq(utcp_output(&a, 1100 * MS, os, 8), 2, "the other two, after the ACK");
	cr_expect_eq(os[0].seq, 1002);
	cr_expect_eq(os[1].seq, 2002);
	cr_expect_eq(a.st.timeouts, 2);
	cr_expect_eq(a.st.rexmit_segs, 4);
}

/* Task 5: the echo through the lossy link. */

static void show(const char *what, const struct echo_result *r)
{
	cr_log_info("%s: %s, %u bytes back in %.3f s simulated, %lu of %lu segments lost, "
		    "retransmitted %lu + %lu, timeouts %lu + %lu, SRTT %.1f ms, RTO %.1f ms",
		    what, r->ok ? "ok" : r->why, r->checked, (double)r->sim_ns / 1e9,
		    (unsigned long)r->link_lost, (unsigned long)r->link_segs,
		    (unsigned long)r->a.rexmit_segs, (unsigned long)r->b.rexmit_segs,
		    (unsigned long)r->a.timeouts, (unsigned long)r->b.timeouts,
		    (double)r->srtt_a / 1e6, (double)r->rto_a / 1e6);
}

Test(lab08, task5_echo_under_2pct_loss_every_byte_checked)
{
	struct echo_cfg cfg;
	struct echo_result r;

	echo_cfg_default(&cfg);
	echo_run(&cfg, &r);
	show("2% loss", &r);
	cr_assert(r.ok, "%s (at byte %u of %u)", r.why, r.checked, cfg.bytes);
	cr_expect_gt(r.link_lost, 0, "the link lost nothing: no test of loss");
	cr_expect_gt(r.a.rexmit_segs + r.b.rexmit_segs, 0);
	cr_expect_gt(r.srtt_a, 10 * MS, "the RTT is 10 to 14 ms");
	cr_expect_lt(r.srtt_a, 15 * MS, "the RTT is 10 to 14 ms");
}

Test(lab08, task5_echo_without_loss_never_times_out)
{
	struct echo_cfg cfg;
	struct echo_result r;

	echo_cfg_default(&cfg);
	cfg.loss = 0;
	echo_run(&cfg, &r);
	show("no loss", &r);
	cr_assert(r.ok, "%s (at byte %u of %u)", r.why, r.checked, cfg.bytes);
	cr_expect_eq(r.a.timeouts + r.b.timeouts, 0, "a timeout with nothing lost: RTO too short");
	cr_expect_lt(r.sim_ns, 2000 * MS, "256 kB with an 8 kB window and 14 ms RTT: < 1 s");
}

Test(lab08, task5_echo_under_5pct_loss_with_other_seeds)
{
	for (uint64_t seed = 2; seed < 6; seed++) {
		struct echo_cfg cfg;
		struct echo_result r;

		echo_cfg_default(&cfg);
		cfg.loss = 0.05;
		cfg.bytes = 64 * 1024;
		cfg.seed = seed;
		echo_run(&cfg, &r);
		show("5% loss", &r);
		cr_expect(r.ok, "seed %lu: %s (at byte %u of %u)", (unsigned long)seed, r.why,
			  r.checked, cfg.bytes);
	}
}
