// SPDX-License-Identifier: MIT
/*
 * test_pace.c: tgen's TSC schedule (traffic_gen/pace.c) on a simulated clock of 1 GHz, so
 * one cycle is one nanosecond and every expectation is exact: packets due over a window,
 * bursts capped at the batch, bounded catch-up after a stall, the ramp's shape and total,
 * deadlines that agree with the due counts, and the unpaced mode.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "pace.h"

#define HZ 1e9 /* simulated TSC: 1 cycle = 1 ns */
#define T0 1000000ULL

Test(pace, due_count_follows_rate_exactly)
{
	struct pace p;

	pace_init(&p, 10000, HZ, T0, 0, 32); /* 10 kpps: one packet every 100 us */
	cr_assert(eq(u64, pace_due_total(&p, T0 - 1), 0));
	cr_assert(eq(u64, pace_due_total(&p, T0), 1));
	cr_assert(eq(u64, pace_due_total(&p, T0 + 99999), 1));
	cr_assert(eq(u64, pace_due_total(&p, T0 + 100000), 2));
	/* Over one second the schedule makes exactly rate x duration packets due. */
	cr_assert(eq(u64, pace_due_total(&p, T0 + 1000000000ULL - 1), 10000));
}

Test(pace, a_step_sends_at_most_one_batch)
{
	struct pace p;

	pace_init(&p, 1e6, HZ, T0, 0, 8); /* 1 Mpps, 1 packet per us, batch 8 */
	/* 20 us in: 21 packets are due, but one step may send 8. */
	cr_assert(eq(uint, pace_due(&p, T0 + 20000), 8));
	pace_sent(&p, 8);
	cr_assert(eq(uint, pace_due(&p, T0 + 20000), 8));
	pace_sent(&p, 8);
	cr_assert(eq(uint, pace_due(&p, T0 + 20000), 5));
	pace_sent(&p, 5);
	cr_assert(eq(uint, pace_due(&p, T0 + 20000), 0), "nothing is due until the next deadline");
	cr_assert(eq(u64, p.slipped, 0));
}

Test(pace, deadlines_agree_with_due_counts)
{
	struct pace p;

	pace_init(&p, 3333, HZ, T0, 50000000ULL, 4); /* odd rate, 50 ms ramp */
	for (uint64_t i = 0; i < 2000; i++) {
		uint64_t when = pace_when(&p, i);

		cr_assert(ge(u64, pace_due_total(&p, when), i + 1),
			  "packet %lu not due at its deadline", (unsigned long)i);
		cr_assert(le(u64, pace_due_total(&p, when - 3), i + 1),
			  "packet %lu's deadline is more than 2 cycles late", (unsigned long)i);
		if (i)
			cr_assert(gt(u64, when, pace_when(&p, i - 1)));
	}
}

Test(pace, ramp_rises_from_ten_percent_and_sends_55_percent)
{
	struct pace p;
	uint64_t ramp = 100000000ULL; /* 100 ms */
	uint64_t first_ms, last_ms, total;

	pace_init(&p, 100000, HZ, T0, ramp, 32); /* 100 kpps */
	first_ms = pace_due_total(&p, T0 + 1000000) - 1;
	last_ms = pace_due_total(&p, T0 + ramp) - pace_due_total(&p, T0 + ramp - 1000000);
	total = pace_due_total(&p, T0 + ramp) - 1;
	/* At 10% of 100 kpps the first millisecond holds about 10 packets, the last about 100. */
	cr_assert(ge(u64, first_ms, 10));
	cr_assert(le(u64, first_ms, 11));
	cr_assert(ge(u64, last_ms, 99));
	cr_assert(le(u64, last_ms, 100));
	/* The ramp's area: 0.55 x rate x length = 5500 packets. */
	cr_assert(eq(u64, total, 5500));
	/* After the ramp the full rate holds: 100 more packets per millisecond. */
	cr_assert(eq(u64, pace_due_total(&p, T0 + ramp + 1000000) - pace_due_total(&p, T0 + ramp),
		     100));
}

Test(pace, catch_up_is_bounded_and_the_rest_slips)
{
	struct pace p;
	unsigned n, sent = 0;

	pace_init(&p, 1e6, HZ, T0, 0, 32); /* backlog bound: 10 ms at 1 Mpps = 10000 packets */
	cr_assert(eq(u64, p.backlog, 10000));
	/* A 50 ms stall: 50001 packets are due; 10000 may still go, 40001 slip. */
	n = pace_due(&p, T0 + 50000000);
	cr_assert(eq(uint, n, 32));
	cr_assert(eq(u64, p.slipped, 40001));
	while ((n = pace_due(&p, T0 + 50000000)) > 0) {
		pace_sent(&p, n);
		sent += n;
	}
	cr_assert(eq(uint, sent, 10000));
	cr_assert(eq(u64, p.next, 50001), "sent and slipped together cover the schedule");
}

Test(pace, low_rate_backlog_is_at_least_one_batch)
{
	struct pace p;

	pace_init(&p, 1000, HZ, T0, 0, 64); /* 10 ms of 1 kpps is 10 packets: the batch wins */
	cr_assert(eq(u64, p.backlog, 64));
}

Test(pace, unpaced_always_allows_a_full_batch)
{
	struct pace p;

	pace_init(&p, 0, HZ, T0, 100000000ULL, 16);
	for (int i = 0; i < 100; i++) {
		cr_assert(eq(uint, pace_due(&p, T0 + (uint64_t)i), 16));
		pace_sent(&p, 16);
	}
	cr_assert(eq(u64, pace_next(&p), T0));
	cr_assert(eq(u64, p.slipped, 0));
}
