// SPDX-License-Identifier: MIT
/*
 * test_ring.c: the ring module, both kinds. Ten million items stream through each kind
 * between a producer and a consumer thread (pinned to different cores when there are two),
 * with the consumer checking strict FIFO order and the final count; single-thread tests pin
 * down full and empty behaviour, partial bursts, wrap-around, bad sizes, the kind names and
 * the waiting dequeue. Threads only record what they saw; the test thread asserts.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cpu.h"
#include "ring.h"
#include "tsc.h"

#define STREAM_ITEMS 10000000ULL
#define MAX_BURST    64

static void *item(uint64_t i)
{
	return (void *)(uintptr_t)i;
}

static uint64_t item_val(void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One producer/consumer run: the threads fill in the outcome, the test asserts on it. */
struct stream {
	struct ring *r;
	uint64_t items;
	unsigned pburst, cburst;
	int pcpu, ccpu; /* -1: not pinned */
	/* consumer's findings */
	uint64_t received;
	uint64_t first_bad_index; /* 0 when every item was previous + 1 */
	uint64_t first_bad_value;
	bool overlong_burst; /* a dequeue returned more than asked */
	unsigned left_over;  /* ring_count() once the consumer was done */
};

/* Called when the ring was full or empty: spin a while, then give the core away in case
 * the other thread needs it (one CPU, or pinning refused by a cpuset). */
static void wait_a_little(unsigned *spins)
{
	if (++*spins > 1024)
		sched_yield();
	else
		tsc_pause();
}

static void *producer(void *arg)
{
	struct stream *s = arg;
	void *buf[MAX_BURST];
	uint64_t next = 1;
	unsigned spins = 0;

	if (s->pcpu >= 0)
		cpu_pin(s->pcpu); /* best effort: the test is about order, not speed */
	while (next <= s->items) {
		unsigned k = s->pburst, done = 0;

		if (k > s->items - next + 1)
			k = (unsigned)(s->items - next + 1);
		for (unsigned i = 0; i < k; i++)
			buf[i] = item(next + i);
		while (done < k) {
			unsigned m = ring_enqueue_burst(s->r, buf + done, k - done);

			if (!m)
				wait_a_little(&spins);
			else
				spins = 0;
			done += m;
		}
		next += k;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct stream *s = arg;
	void *buf[MAX_BURST];
	uint64_t expect = 1;
	unsigned spins = 0;

	if (s->ccpu >= 0)
		cpu_pin(s->ccpu); /* best effort */
	while (s->received < s->items) {
		unsigned m = ring_dequeue_burst(s->r, buf, s->cburst);

		if (!m) {
			wait_a_little(&spins);
			continue;
		}
		spins = 0;
		if (m > s->cburst)
			s->overlong_burst = true;
		for (unsigned i = 0; i < m; i++, expect++) {
			if (item_val(buf[i]) != expect && !s->first_bad_index) {
				s->first_bad_index = expect;
				s->first_bad_value = item_val(buf[i]);
			}
		}
		s->received += m;
	}
	s->left_over = ring_count(s->r);
	return NULL;
}

/* Streams STREAM_ITEMS integers through a ring of the given kind and checks all arrived. */
static void stream_check(enum ring_kind kind, unsigned size, unsigned pburst, unsigned cburst)
{
	struct stream s = {.items = STREAM_ITEMS, .pburst = pburst, .cburst = cburst};
	pthread_t prod, cons;
	void *extra;

	s.r = ring_new(kind, size);
	cr_assert_not_null(s.r, "ring_new(%s, %u) failed", ring_kind_name(kind), size);
	s.pcpu = cpu_count() < 2 ? -1 : 0;
	s.ccpu = cpu_count() < 2 ? -1 : 1;
	cr_assert_eq(pthread_create(&cons, NULL, consumer, &s), 0);
	cr_assert_eq(pthread_create(&prod, NULL, producer, &s), 0);
	pthread_join(prod, NULL);
	pthread_join(cons, NULL);

	cr_expect_not(s.overlong_burst, "a dequeue returned more items than asked for");
	cr_expect_eq(s.first_bad_index, 0, "FIFO broken: item %llu arrived as %llu",
		     (unsigned long long)s.first_bad_index, (unsigned long long)s.first_bad_value);
	cr_expect_eq(s.received, s.items, "received %llu of %llu items",
		     (unsigned long long)s.received, (unsigned long long)s.items);
	cr_expect_eq(s.left_over, 0, "%u items left in the ring after the last one", s.left_over);
	cr_expect_eq(ring_dequeue_burst(s.r, &extra, 1), 0, "an item beyond the last came out");
	ring_free(s.r);
}

Test(ring, lockfree_10m_items_fifo_burst_1)
{
	stream_check(RING_LOCKFREE, 1024, 1, 1);
}

Test(ring, lockfree_10m_items_fifo_burst_32)
{
	stream_check(RING_LOCKFREE, 1024, 32, 32);
}

Test(ring, lockfree_10m_items_fifo_uneven_bursts_small_ring)
{
	stream_check(RING_LOCKFREE, 64, 7, 32); /* partial bursts and frequent wrap-around */
}

Test(ring, mutex_10m_items_fifo_burst_1)
{
	stream_check(RING_MUTEX, 1024, 1, 1);
}

Test(ring, mutex_10m_items_fifo_burst_32)
{
	stream_check(RING_MUTEX, 1024, 32, 32);
}

Test(ring, mutex_10m_items_fifo_uneven_bursts_small_ring)
{
	stream_check(RING_MUTEX, 64, 32, 7);
}

/* Single thread: empty, full, partial bursts, FIFO across the array's end. */
static void full_empty_check(enum ring_kind kind)
{
	struct ring *r = ring_new(kind, 8);
	void *in[16], *out[16];
	uint64_t next_in = 1, next_out = 1;

	cr_assert_not_null(r);
	cr_expect_eq(ring_get_kind(r), kind);
	cr_expect_eq(ring_count(r), 0);
	cr_expect_eq(ring_dequeue_burst(r, out, 4), 0, "dequeue on an empty ring");
	for (unsigned i = 0; i < 16; i++)
		in[i] = item(i + 1);
	cr_expect_eq(ring_enqueue_burst(r, in, 5), 5);
	cr_expect_eq(ring_enqueue_burst(r, in + 5, 5), 3, "partial burst into 3 free slots");
	cr_expect_eq(ring_count(r), 8);
	cr_expect_eq(ring_enqueue_burst(r, in + 8, 1), 0, "enqueue on a full ring");
	cr_expect_eq(ring_dequeue_burst(r, out, 3), 3);
	cr_expect_eq(ring_dequeue_burst(r, out + 3, 16), 5, "partial burst out of 5 items");
	for (unsigned i = 0; i < 8; i++)
		cr_expect_eq(item_val(out[i]), i + 1, "slot %u out of order", i);
	cr_expect_eq(ring_dequeue_burst(r, out, 1), 0, "dequeue on a drained ring");
	cr_expect_eq(ring_enqueue_burst(r, in, 0), 0, "an empty burst moves nothing");

	/* uneven bursts walk the indices around the array many times */
	for (unsigned round = 0; round < 1000; round++) {
		unsigned want = 1 + round % 8, got;

		for (unsigned i = 0; i < want; i++)
			in[i] = item(next_in + i);
		got = ring_enqueue_burst(r, in, want);
		next_in += got;
		got = ring_dequeue_burst(r, out, 1 + round % 5);
		for (unsigned i = 0; i < got; i++, next_out++)
			cr_assert_eq(item_val(out[i]), next_out, "round %u: FIFO broken", round);
	}
	cr_expect_eq(ring_count(r), (unsigned)(next_in - next_out));
	ring_free(r);
}

Test(ring, lockfree_full_empty_and_partial_bursts)
{
	full_empty_check(RING_LOCKFREE);
}

Test(ring, mutex_full_empty_and_partial_bursts)
{
	full_empty_check(RING_MUTEX);
}

Test(ring, bad_sizes_give_einval)
{
	static const unsigned bad[] = {0, 1, 3, 6, 1000, UINT_MAX};
	enum ring_kind kinds[] = {RING_LOCKFREE, RING_MUTEX};

	for (unsigned k = 0; k < 2; k++) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			errno = 0;
			cr_expect_null(ring_new(kinds[k], bad[i]), "%s ring of size %u accepted",
				       ring_kind_name(kinds[k]), bad[i]);
			cr_expect_eq(errno, EINVAL, "size %u: errno %d, not EINVAL", bad[i], errno);
		}
		struct ring *r = ring_new(kinds[k], 2);

		cr_expect_not_null(r, "the smallest ring (2) was refused");
		ring_free(r);
	}
	errno = 0;
	cr_expect_null(ring_new((enum ring_kind)42, 8), "an unknown kind was accepted");
	cr_expect_eq(errno, EINVAL);
	ring_free(NULL);
}

Test(ring, kind_names_round_trip)
{
	enum ring_kind kinds[] = {RING_LOCKFREE, RING_MUTEX};
	static const char *const bad[] = {"spin", "", "Lockfree", "mutex ", "lock"};
	enum ring_kind k = RING_MUTEX;

	for (unsigned i = 0; i < 2; i++) {
		enum ring_kind back = (enum ring_kind) - 1;

		cr_expect_eq(ring_kind_parse(ring_kind_name(kinds[i]), &back), 0);
		cr_expect_eq(back, kinds[i], "%s did not round-trip", ring_kind_name(kinds[i]));
	}
	cr_expect_str_eq(ring_kind_name(RING_LOCKFREE), "lockfree");
	cr_expect_str_eq(ring_kind_name(RING_MUTEX), "mutex");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(ring_kind_parse(bad[i], &k), -EINVAL, "'%s' accepted", bad[i]);
		cr_expect_eq(k, RING_MUTEX, "a rejected name changed the kind");
	}
	cr_expect_eq(ring_kind_parse(NULL, &k), -EINVAL);
}

/* A waiting dequeue on an empty ring gives up after its timeout, not before. */
static void wait_timeout_check(enum ring_kind kind)
{
	struct ring *r = ring_new(kind, 16);
	const uint64_t timeout = 50000000; /* 50 ms */
	void *out[4];
	uint64_t t0, waited;

	cr_assert_not_null(r);
	cr_expect_eq(ring_dequeue_burst_wait(r, out, 4, 0), 0, "timeout 0 on an empty ring");
	t0 = now_ns();
	cr_expect_eq(ring_dequeue_burst_wait(r, out, 4, timeout), 0);
	waited = now_ns() - t0;
	cr_expect_geq(waited, timeout, "returned after %llu ns, before its %llu ns timeout",
		      (unsigned long long)waited, (unsigned long long)timeout);
	cr_expect_lt(waited, 20 * timeout, "still waiting %llu ns after a %llu ns timeout",
		     (unsigned long long)waited, (unsigned long long)timeout);
	ring_free(r);
}

Test(ring, lockfree_wait_times_out_on_empty)
{
	wait_timeout_check(RING_LOCKFREE);
}

Test(ring, mutex_wait_times_out_on_empty)
{
	wait_timeout_check(RING_MUTEX);
}

static void *late_producer(void *arg)
{
	struct ring *r = arg;
	void *in[3] = {item(11), item(12), item(13)};
	struct timespec delay = {.tv_nsec = 20000000}; /* 20 ms: the consumer is waiting */

	nanosleep(&delay, NULL);
	ring_enqueue_burst(r, in, 3);
	return NULL;
}

/* A waiting dequeue returns the items another thread enqueues while it waits. */
static void wait_wakes_check(enum ring_kind kind)
{
	struct ring *r = ring_new(kind, 16);
	const uint64_t timeout = 10000000000ULL; /* 10 s: far longer than the producer's delay */
	void *out[8];
	unsigned got, total;
	uint64_t t0, waited;
	pthread_t th;

	cr_assert_not_null(r);
	cr_assert_eq(pthread_create(&th, NULL, late_producer, r), 0);
	t0 = now_ns();
	got = ring_dequeue_burst_wait(r, out, 8, timeout);
	waited = now_ns() - t0;
	pthread_join(th, NULL);
	total = got + ring_dequeue_burst(r, out + got, 8 - got);
	cr_expect_geq(got, 1, "the wait returned no items");
	cr_expect_lt(waited, timeout, "the wait ran into its timeout instead of waking");
	cr_expect_eq(total, 3);
	for (unsigned i = 0; i < total; i++)
		cr_expect_eq(item_val(out[i]), 11 + i);
	ring_free(r);
}

Test(ring, lockfree_wait_returns_items_from_another_thread)
{
	wait_wakes_check(RING_LOCKFREE);
}

Test(ring, mutex_wait_returns_items_from_another_thread)
{
	wait_wakes_check(RING_MUTEX);
}
