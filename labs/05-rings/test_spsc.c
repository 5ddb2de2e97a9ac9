// SPDX-License-Identifier: MIT
/*
 * test_spsc.c (lab 05): the grader. Sizes, full and empty, FIFO order across the wrap of
 * the unsigned counters, then two threads on two cores moving 2 million numbered items in
 * bursts of varying size, every item checked in order.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "lab_util.h"
#include "spsc.h"

TestSuite(lab05, .timeout = 30);

Test(lab05, task1_init_takes_powers_of_two_only)
{
	static const unsigned bad[] = {0, 1, 3, 6, 100, 1000};
	struct spsc r;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(spsc_init(&r, bad[i]), -1, "size %u must be refused", bad[i]);
	cr_assert_eq(spsc_init(&r, 2), 0);
	cr_expect_eq(r.size, 2);
	cr_expect_eq(r.mask, 1);
	cr_expect_eq(spsc_count(&r), 0);
	spsc_fini(&r);
	cr_assert_eq(spsc_init(&r, 1024), 0);
	cr_expect_eq(r.mask, 1023);
	spsc_fini(&r);
}

Test(lab05, task2_push_stops_when_full)
{
	struct spsc r;
	void *objs[10];

	for (uintptr_t i = 0; i < 10; i++)
		objs[i] = (void *)(i + 1);
	cr_assert_eq(spsc_init(&r, 8), 0, "task 1 first");
	cr_expect_eq(spsc_push(&r, objs, 5), 5);
	cr_expect_eq(spsc_push(&r, objs, 5), 3, "8 slots: only 3 more fit");
	cr_expect_eq(spsc_push(&r, objs, 1), 0, "full");
	cr_expect_eq(spsc_count(&r), 8);
	spsc_fini(&r);
}

Test(lab05, task3_pop_gives_fifo_order_and_stops_when_empty)
{
	struct spsc r;
	void *in[6], *out[8];

	for (uintptr_t i = 0; i < 6; i++)
		in[i] = (void *)(i + 100);
	cr_assert_eq(spsc_init(&r, 8), 0, "task 1 first");
	cr_expect_eq(spsc_pop(&r, out, 4), 0, "empty");
	cr_assert_eq(spsc_push(&r, in, 6), 6, "task 2 first");
	cr_expect_eq(spsc_pop(&r, out, 4), 4);
	cr_expect_eq(spsc_pop(&r, out + 4, 4), 2, "only 2 left");
	for (uintptr_t i = 0; i < 6; i++)
		cr_expect_eq(out[i], (void *)(i + 100), "item %zu out of order", (size_t)i);
	cr_expect_eq(spsc_pop(&r, out, 1), 0, "empty again");
	spsc_fini(&r);
}

/* head and tail start just below UINT_MAX: their unsigned wrap must not confuse full/empty. */
Test(lab05, task3_order_survives_the_wrap_of_the_counters)
{
	struct spsc r;
	uintptr_t next_in = 0, next_out = 0;

	cr_assert_eq(spsc_init(&r, 4), 0, "task 1 first");
	atomic_store(&r.head, UINT_MAX - 5);
	atomic_store(&r.tail, UINT_MAX - 5);
	for (unsigned round = 0; round < 20; round++) {
		void *in[3], *out[3];

		for (unsigned i = 0; i < 3; i++)
			in[i] = (void *)++next_in;
		cr_assert_eq(spsc_push(&r, in, 3), 3, "round %u: push", round);
		cr_assert_eq(spsc_count(&r), 3, "round %u: count", round);
		cr_assert_eq(spsc_pop(&r, out, 3), 3, "round %u: pop", round);
		for (unsigned i = 0; i < 3; i++)
			cr_assert_eq(out[i], (void *)++next_out, "round %u: order", round);
	}
	spsc_fini(&r);
}

#define ITEMS 2000000u

static void *producer(void *arg)
{
	struct spsc *r = arg;
	void *burst[32];
	uintptr_t next = 1;

	lab_pin(0);
	while (next <= ITEMS) {
		unsigned n = 1 + (unsigned)(next % 32), k;

		if (next + n > ITEMS + 1)
			n = (unsigned)(ITEMS + 1 - next);
		for (k = 0; k < n; k++)
			burst[k] = (void *)(next + k);
		for (k = 0; k < n;)
			k += spsc_push(r, burst + k, n - k);
		next += n;
	}
	return NULL;
}

Test(lab05, task4_two_threads_on_two_cores_keep_every_item_in_order)
{
	struct spsc r;
	pthread_t t;
	uintptr_t want = 1;
	void *burst[17];

	cr_assert_eq(spsc_init(&r, 256), 0, "task 1 first");
	cr_assert_eq(pthread_create(&t, NULL, producer, &r), 0);
	lab_pin(1);
	while (want <= ITEMS) {
		unsigned got = spsc_pop(&r, burst, 17);

		for (unsigned i = 0; i < got; i++, want++)
			if (burst[i] != (void *)want)
				cr_assert_fail("item %zu arrived where %zu was due",
					       (size_t)(uintptr_t)burst[i], (size_t)want);
		if (!got)
			sched_yield(); /* one core only: let the producer run */
	}
	pthread_join(t, NULL);
	cr_expect_eq(spsc_count(&r), 0);
	spsc_fini(&r);
}
