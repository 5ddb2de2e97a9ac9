// SPDX-License-Identifier: MIT
/*
 * test_tsc.c: the TSC clock agrees with CLOCK_MONOTONIC_RAW, conversions round-trip and
 * busy-waiting reaches its deadline. Bounds are loose on purpose: these machines are shared.
 */
#include <criterion/criterion.h>
#include <time.h>

#include "tsc.h"

Test(tsc, calibrates_to_a_plausible_frequency)
{
	cr_assert_eq(tsc_init(), 0);
	cr_expect(tsc_hz() > 0.5e9 && tsc_hz() < 10e9, "TSC at %.3f GHz", tsc_hz() / 1e9);
}

Test(tsc, now_ns_follows_the_monotonic_clock)
{
	struct timespec nap = {.tv_sec = 0, .tv_nsec = 100000000};
	uint64_t t0, m0, t1, m1;
	double ratio;

	tsc_init();
	t0 = tsc_now_ns();
	m0 = tsc_mono_ns();
	nanosleep(&nap, NULL);
	t1 = tsc_now_ns();
	m1 = tsc_mono_ns();
	ratio = (double)(t1 - t0) / (double)(m1 - m0);
	cr_expect(ratio > 0.99 && ratio < 1.01, "TSC / monotonic elapsed ratio %.5f", ratio);
	cr_expect(t1 > t0, "monotonic");
}

Test(tsc, conversions_round_trip)
{
	uint64_t ns = 123456789;
	uint64_t back = tsc_to_ns(tsc_from_ns(ns));

	cr_expect(back + 2 >= ns && back <= ns + 2, "%llu -> %llu", (unsigned long long)ns,
		  (unsigned long long)back);
}

Test(tsc, wait_until_reaches_the_deadline)
{
	uint64_t start = tsc_read();
	uint64_t deadline = start + tsc_from_ns(2000000);
	uint64_t seen = tsc_wait_until(deadline);

	cr_expect_geq(seen, deadline);
	cr_expect_geq(tsc_read(), deadline);
	/* A deadline in the past returns at once with the current time. */
	cr_expect_geq(tsc_wait_until(start), deadline);
}
