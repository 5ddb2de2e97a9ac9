// SPDX-License-Identifier: MIT
/*
 * test_rxstats.c: tgen's receive counters (traffic_gen/rxstats.c): unique, duplicate and
 * reordered frames per flow, loss as sent - unique, frames beyond the window, sequence
 * wrap-around, ramp-up and unknown frames kept out of the figures, and the latency taken
 * from the payload's TX stamp.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "rxstats.h"

static struct rxstats *s;

static void setup(void)
{
	s = rxstats_new(4);
	cr_assert(not(eq(ptr, s, NULL)));
}

static void teardown(void)
{
	rxstats_free(s);
}

/* Receives seq of flow at rx_ns, sent at tx_ns. */
static void rx(uint16_t flow, uint32_t seq, uint64_t tx_ns, uint64_t rx_ns)
{
	struct pkt_payload pl = {
		.magic = PKT_PAYLOAD_MAGIC, .flow = flow, .seq = seq, .tx_ns = tx_ns};

	rxstats_record(s, &pl, rx_ns);
}

TestSuite(rxstats, .init = setup, .fini = teardown);

Test(rxstats, in_order_frames_are_all_unique)
{
	for (uint32_t i = 0; i < 5000; i++)
		rx((uint16_t)(i % 4), i / 4, 1000, 2000);
	cr_assert(eq(u64, s->unique, 5000));
	cr_assert(eq(u64, s->dup, 0));
	cr_assert(eq(u64, s->reordered, 0));
	cr_assert(eq(u64, hist_count(s->lat), 5000));
}

Test(rxstats, a_repeated_frame_is_a_duplicate_not_a_receive)
{
	rx(0, 0, 0, 1);
	rx(0, 1, 0, 1);
	rx(0, 1, 0, 1);
	rx(0, 0, 0, 1);
	cr_assert(eq(u64, s->unique, 2));
	cr_assert(eq(u64, s->dup, 2));
	cr_assert(eq(u64, s->frames, 4));
	cr_assert(eq(u64, hist_count(s->lat), 2), "duplicates carry no latency sample");
}

Test(rxstats, a_late_frame_is_reordered_and_fills_its_gap)
{
	rx(1, 0, 0, 1);
	rx(1, 2, 0, 1);
	rx(1, 3, 0, 1);
	rx(1, 1, 0, 1); /* arrives behind 2 and 3 */
	cr_assert(eq(u64, s->unique, 4));
	cr_assert(eq(u64, s->reordered, 1));
	cr_assert(eq(u64, s->dup, 0));
	rx(1, 1, 0, 1); /* now it is a duplicate */
	cr_assert(eq(u64, s->dup, 1));
}

Test(rxstats, a_gap_that_never_fills_is_loss)
{
	uint64_t sent = 100;

	for (uint32_t i = 0; i < sent; i++)
		if (i % 10 != 3) /* 10 frames lost */
			rx(2, i, 0, 1);
	cr_assert(eq(u64, sent - s->unique, 10));
	cr_assert(eq(u64, s->reordered, 0));
}

Test(rxstats, flows_are_tracked_independently)
{
	rx(0, 5, 0, 1);
	rx(1, 0, 0, 1);
	rx(1, 1, 0, 1);
	rx(0, 4, 0, 1); /* late in flow 0 only */
	rx(1, 5, 0, 1); /* the same number in flow 1 is new */
	cr_assert(eq(u64, s->unique, 5));
	cr_assert(eq(u64, s->reordered, 1));
	cr_assert(eq(u64, s->dup, 0));
}

Test(rxstats, older_than_the_window_counts_as_late_and_unique)
{
	rx(0, 0, 0, 1);
	rx(0, RXSTATS_WINDOW + 10, 0, 1);
	rx(0, 5, 0, 1); /* 1029 behind the newest: out of the window */
	cr_assert(eq(u64, s->too_old, 1));
	cr_assert(eq(u64, s->reordered, 1));
	cr_assert(eq(u64, s->unique, 3));
	/* Inside the window again: a number the window has not seen is late, not a duplicate. */
	rx(0, RXSTATS_WINDOW + 9, 0, 1);
	cr_assert(eq(u64, s->reordered, 2));
	cr_assert(eq(u64, s->dup, 0));
}

Test(rxstats, window_bits_are_reused_after_the_window_moves)
{
	/* seq 3 and seq 3 + WINDOW share a bit: the second must not look like a duplicate. */
	rx(3, 3, 0, 1);
	rx(3, 3 + RXSTATS_WINDOW, 0, 1);
	cr_assert(eq(u64, s->unique, 2));
	cr_assert(eq(u64, s->dup, 0));
	rx(3, 3 + RXSTATS_WINDOW, 0, 1);
	cr_assert(eq(u64, s->dup, 1));
}

Test(rxstats, sequence_numbers_wrap)
{
	rxstats_reset(s);
	s->flow[0].next = UINT32_MAX - 1; /* as after 2^32 - 2 frames */
	rx(0, UINT32_MAX - 1, 0, 1);
	rx(0, UINT32_MAX, 0, 1);
	rx(0, 1, 0, 1);
	rx(0, 0, 0, 1); /* late across the wrap */
	rx(0, UINT32_MAX, 0, 1);
	cr_assert(eq(u64, s->unique, 4));
	cr_assert(eq(u64, s->reordered, 1));
	cr_assert(eq(u64, s->dup, 1));
}

Test(rxstats, warmup_and_unknown_frames_stay_out_of_the_figures)
{
	rx(RXSTATS_WARMUP_FLOW, 0, 0, 1);
	rx(RXSTATS_WARMUP_FLOW, 1, 0, 1);
	rx(4, 0, 0, 1); /* flow beyond the 4 configured */
	rxstats_unknown(s);
	cr_assert(eq(u64, s->warmup, 2));
	cr_assert(eq(u64, s->unknown, 2));
	cr_assert(eq(u64, s->unique, 0));
	cr_assert(eq(u64, hist_count(s->lat), 0));
	cr_assert(eq(u64, s->frames, 4));
}

Test(rxstats, latency_is_rx_time_minus_tx_stamp)
{
	rx(0, 0, 1000, 1000 + 5000);
	rx(0, 1, 2000, 2000 + 7000);
	rx(0, 2, 3000, 3000 + 6000);
	cr_assert(eq(u64, hist_min(s->lat), 5000));
	cr_assert(eq(u64, hist_max(s->lat), 7000));
	rx(0, 3, 9000, 8000); /* a stamp from the future is clamped to 0, not wrapped */
	cr_assert(eq(u64, hist_max(s->lat), 7000));
}

Test(rxstats, frames_of_an_earlier_trial_are_stale_not_received)
{
	s->since_ns = 5000;
	rx(0, 0, 4999, 6000); /* the previous trial's seq 0, still in the DUT */
	rx(0, 0, 5000, 6000); /* this trial's seq 0 */
	rx(0, 1, 4000, 6100); /* the previous trial's seq 1 */
	cr_assert(eq(u64, s->stale, 2));
	cr_assert(eq(u64, s->unique, 1));
	cr_assert(eq(u64, s->dup, 0), "a stale frame is not a duplicate of this trial's");
	cr_assert(eq(u64, hist_count(s->lat), 1));
	rxstats_reset(s);
	cr_assert(eq(u64, s->stale + s->since_ns, 0));
}

Test(rxstats, reset_forgets_everything)
{
	rx(0, 7, 0, 100);
	rx(0, 7, 0, 100);
	rxstats_reset(s);
	cr_assert(eq(u64, s->unique + s->dup + s->frames, 0));
	cr_assert(eq(u64, hist_count(s->lat), 0));
	rx(0, 0, 0, 100);
	cr_assert(eq(u64, s->reordered, 0), "after a reset seq 0 is the flow's first frame");
}

Test(rxstats, bad_flow_counts_are_refused)
{
	cr_assert(eq(ptr, rxstats_new(0), NULL));
	cr_assert(eq(ptr, rxstats_new(RXSTATS_MAX_FLOWS + 1), NULL));
}
