// SPDX-License-Identifier: MIT
/*
 * test_lab05.c: lab 05's grader. Suites are named lab05_taskN after the README's tasks, so a
 * failing check names the task to go back to.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "cpu.h"
#include "mempath.h"
#include "spsc.h"
#include "tsc.h"

#define TWO_THREAD_ITEMS 2000000u

/* ---- task 1: making the ring ---- */

Test(lab05_task1, new_accepts_powers_of_two, .timeout = 10)
{
	for (unsigned size = 2; size <= 4096; size *= 2) {
		struct spsc *r = spsc_new(size);

		cr_assert_not_null(r, "spsc_new(%u) failed", size);
		cr_expect_eq(spsc_count(r), 0, "a new ring of %u holds %u items", size,
			     spsc_count(r));
		spsc_free(r);
	}
}

Test(lab05_task1, new_refuses_bad_sizes, .timeout = 10)
{
	const unsigned bad[] = {0, 1, 3, 6, 100, 1000, 0x80000001u, 0xffffffffu};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct spsc *r;

		errno = 0;
		r = spsc_new(bad[i]);
		cr_expect_null(r, "spsc_new(%u) must refuse a size that is not a power of two",
			       bad[i]);
		cr_expect_eq(errno, EINVAL, "spsc_new(%u): errno %d, want EINVAL", bad[i], errno);
		spsc_free(r);
	}
	spsc_free(NULL);
}

/* ---- task 2: one thread, FIFO, full, empty, bursts ---- */

static uintptr_t val(unsigned i)
{
	return (uintptr_t)i * 8 + 8; /* never NULL */
}

Test(lab05_task2, empty_ring_gives_nothing, .timeout = 10)
{
	struct spsc *r = spsc_new(8);
	void *out[4];

	cr_assert_not_null(r);
	cr_expect_eq(spsc_dequeue_burst(r, out, 4), 0);
	cr_expect_eq(spsc_dequeue_burst(r, out, 0), 0);
	spsc_free(r);
}

Test(lab05_task2, fifo_order, .timeout = 10)
{
	struct spsc *r = spsc_new(16);
	void *in[10], *out[10];

	cr_assert_not_null(r);
	for (unsigned i = 0; i < 10; i++)
		in[i] = (void *)val(i);
	cr_assert_eq(spsc_enqueue_burst(r, in, 10), 10);
	cr_expect_eq(spsc_count(r), 10);
	cr_assert_eq(spsc_dequeue_burst(r, out, 3), 3);
	cr_assert_eq(spsc_dequeue_burst(r, out + 3, 10), 7);
	for (unsigned i = 0; i < 10; i++)
		cr_expect_eq(out[i], in[i], "item %u out of order", i);
	cr_expect_eq(spsc_count(r), 0);
	spsc_free(r);
}

Test(lab05_task2, full_ring_takes_what_fits, .timeout = 10)
{
	struct spsc *r = spsc_new(8);
	void *in[12], *out[12];

	cr_assert_not_null(r);
	for (unsigned i = 0; i < 12; i++)
		in[i] = (void *)val(i);
	cr_expect_eq(spsc_enqueue_burst(r, in, 5), 5);
	cr_expect_eq(spsc_enqueue_burst(r, in + 5, 7), 3, "a ring of 8 holds 8 items");
	cr_expect_eq(spsc_count(r), 8);
	cr_expect_eq(spsc_enqueue_burst(r, in + 8, 1), 0, "a full ring takes nothing");
	cr_assert_eq(spsc_dequeue_burst(r, out, 12), 8);
	for (unsigned i = 0; i < 8; i++)
		cr_expect_eq(out[i], in[i], "item %u", i);
	spsc_free(r);
}

/* Many rounds of odd-sized bursts: the indices wrap around the slots many times. */
Test(lab05_task2, bursts_wrap_around, .timeout = 10)
{
	struct spsc *r = spsc_new(64);
	unsigned next_in = 0, next_out = 0;
	void *buf[64];

	cr_assert_not_null(r);
	for (unsigned round = 0; round < 10000; round++) {
		unsigned want = 1 + round % 37, put, got;

		for (unsigned i = 0; i < want; i++)
			buf[i] = (void *)val(next_in + i);
		put = spsc_enqueue_burst(r, buf, want);
		next_in += put;
		got = spsc_dequeue_burst(r, buf, 1 + (round * 7) % 41);
		for (unsigned i = 0; i < got; i++)
			cr_assert_eq((uintptr_t)buf[i], val(next_out + i), "round %u item %u",
				     round, i);
		next_out += got;
		cr_assert_eq(spsc_count(r), next_in - next_out, "count after round %u", round);
	}
	cr_expect_gt(next_out, 64u * 100, "the ring wrapped only %u items", next_out);
	spsc_free(r);
}

/* ---- task 3: two threads on two cores ---- */

struct two {
	struct spsc *r;
	unsigned items, batch;
	int cpu;
	unsigned bad;
};

static void pin(int cpu)
{
	if (cpu_count() > 1)
		cpu_pin(cpu); /* best effort: one core still tests the logic */
}

static void *producer(void *arg)
{
	struct two *t = arg;
	void *buf[64];

	pin(t->cpu);
	for (unsigned sent = 0; sent < t->items;) {
		unsigned n = t->items - sent < t->batch ? t->items - sent : t->batch;

		for (unsigned i = 0; i < n; i++)
			buf[i] = (void *)val(sent + i);
		n = spsc_enqueue_burst(t->r, buf, n);
		if (!n)
			sched_yield(); /* a floating pair may share one core */
		sent += n;
	}
	return NULL;
}

static void two_threads(unsigned size, unsigned batch)
{
	struct two t = {.r = spsc_new(size), .items = TWO_THREAD_ITEMS, .batch = batch, .cpu = 0};
	unsigned got = 0;
	pthread_t tid;
	void *buf[64];

	cr_assert_not_null(t.r);
	cr_assert_eq(pthread_create(&tid, NULL, producer, &t), 0);
	pin(1);
	while (got < t.items) {
		unsigned n = spsc_dequeue_burst(t.r, buf, batch);

		if (!n)
			sched_yield();
		for (unsigned i = 0; i < n; i++)
			if ((uintptr_t)buf[i] != val(got + i))
				t.bad++;
		got += n;
	}
	pthread_join(tid, NULL);
	cpu_float();
	cr_expect_eq(t.bad, 0, "%u of %u items arrived wrong or out of order (batch %u)", t.bad,
		     t.items, batch);
	cr_expect_eq(spsc_count(t.r), 0);
	spsc_free(t.r);
}

Test(lab05_task3, two_cores_one_by_one, .timeout = 60)
{
	two_threads(64, 1);
}

Test(lab05_task3, two_cores_bursts, .timeout = 60)
{
	two_threads(256, 32);
}

Test(lab05_task3, two_cores_tiny_ring, .timeout = 60)
{
	two_threads(2, 1);
}

/* ---- task 4: the ring in the forwarding pipeline ---- */

static void pipeline(unsigned batch)
{
	const struct fwd_ring_ops *ops = &lab05_ring_ops;
	struct fwd_run_cfg cfg = {
		.ring = ops,
		.poll = true,
		.pinned = cpu_count() > 1,
		.cpu = 0,
		.tx_cpu = 1,
		.duration_ns = 300ull * 1000 * 1000,
	};
	struct fwd_run_result res;
	struct mempath_stats s;
	struct fwd_path path;
	struct mempath *m;

	cr_assert(ops->create && ops->destroy && ops->enqueue && ops->dequeue,
		  "lab05_ring_ops lacks create, destroy, enqueue or dequeue");
	m = mempath_new(batch);
	cr_assert_not_null(m);
	cr_assert_eq(tsc_init(), 0);
	mempath_path(m, &path);
	cr_assert_eq(fwd_run(&path, &cfg, &res), 0, "fwd_run could not start the pipeline");
	mempath_stats(m, &s);
	mempath_free(m);
	cr_expect_gt(s.checked, 1000, "only %lu frames went through the pipeline",
		     (unsigned long)s.checked);
	cr_expect_eq(s.bad_order, 0, "%lu frames out of order", (unsigned long)s.bad_order);
	cr_expect_eq(s.bad_frame, 0, "%lu frames damaged", (unsigned long)s.bad_frame);
	cr_expect_eq(res.total.tx, s.checked);
	cr_expect_eq(res.total.rx, s.made, "fwd_run counted %lu received, the path made %lu",
		     (unsigned long)res.total.rx, (unsigned long)s.made);
	cr_expect_eq(res.total.rx, res.total.tx, "every frame made must be sent: %lu vs %lu",
		     (unsigned long)res.total.rx, (unsigned long)res.total.tx);
	cr_expect_eq(strcmp(ops->name, "lab05"), 0);
}

Test(lab05_task4, pipeline_batch_1, .timeout = 60)
{
	pipeline(1);
}

Test(lab05_task4, pipeline_batch_32, .timeout = 60)
{
	pipeline(32);
}
