// SPDX-License-Identifier: MIT
/*
 * chain_given.c (lab 09, given): the source and sink around a chain, the two ways to run it,
 * and chain_fini(). The source owns a pool of frames; it fills free ones (make), puts them
 * into link[0], and takes back every frame that leaves: from link[n] (passed, shown to sink)
 * and from each stage's drop ring (dropped by rule). A frame is free again once it is back, so
 * the pool bounds what is in flight. One thread: the caller's thread also polls every stage in
 * turn (the clean way to measure what a hop costs). Threads: one per stage, pinned to the
 * cores in turn (the source on core 0), each yielding the core when a round found nothing to
 * do, since on 2 cores the threads outnumber the cores.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "lab_util.h"
#include "tsc.h"

#define POOL    1024 /* frames in flight at most */
#define STUCK_S 2.0  /* nothing moved for this long: give up */

struct pool {
	struct lab_frame *frames;
	struct lab_frame *free[POOL];
	unsigned n_free;
};

struct worker {
	struct stage *s;
	int cpu;
	atomic_int *stop;
};

void chain_fini(struct chain *c)
{
	for (unsigned i = 0; i <= CHAIN_MAX_STAGES; i++) {
		ring_free(c->link[i]);
		c->link[i] = NULL;
	}
	for (unsigned i = 0; i < CHAIN_MAX_STAGES; i++) {
		ring_free(c->drop[i]);
		c->drop[i] = NULL;
	}
}

/* A stage's thread. 8< */
static void *stage_thread(void *arg)
{
	struct worker *w = arg;

	lab_pin(w->cpu);
	while (!atomic_load_explicit(w->stop, memory_order_relaxed))
		if (!chain_stage_poll(w->s))
			sched_yield(); /* nothing to do: let a thread that shares the core run */
	return NULL;
}
/* >8 End of a stage's thread. */

/* Fills and sends up to one burst of frames; returns how many link[0] took. */
static unsigned send_burst(struct chain *c, struct pool *p, uint64_t next, uint64_t left,
			   chain_make_fn make, void *arg)
{
	unsigned k = CHAIN_BURST, sent;
	struct lab_frame **burst;

	if (k > p->n_free)
		k = p->n_free;
	if (k > left)
		k = (unsigned)left;
	if (!k)
		return 0;
	burst = &p->free[p->n_free - k];
	for (unsigned i = 0; i < k; i++)
		make(burst[i], next + i, arg);
	sent = ring_enqueue_burst(c->link[0], (void *const *)burst, k);
	/* the first `sent` left; close the gap they leave in the free stack */
	memmove(burst, burst + sent, (k - sent) * sizeof(*burst));
	p->n_free -= sent;
	return sent;
}

/* Takes back what left the chain; returns how many frames. */
static unsigned take_back(struct chain *c, struct pool *p, chain_sink_fn sink, void *arg,
			  struct chain_result *r, uint64_t *last_id)
{
	struct lab_frame *b[CHAIN_BURST];
	unsigned got = ring_dequeue_burst(c->link[c->n], (void **)b, CHAIN_BURST), total = got;

	for (unsigned i = 0; i < got; i++) {
		if (b[i]->id + 1 <= *last_id)
			r->out_of_order++;
		*last_id = b[i]->id + 1;
		if (sink)
			sink(b[i], arg);
		p->free[p->n_free++] = b[i];
	}
	r->passed += got;
	for (unsigned s = 0; s < c->n; s++) {
		got = ring_dequeue_burst(c->drop[s], (void **)b, CHAIN_BURST);
		for (unsigned i = 0; i < got; i++)
			p->free[p->n_free++] = b[i];
		r->dropped += got;
		total += got;
	}
	return total;
}

static int source_loop(struct chain *c, enum chain_mode mode, uint64_t frames, chain_make_fn make,
		       chain_sink_fn sink, void *arg, struct pool *p, struct chain_result *r)
{
	uint64_t last_id = 0, t0 = tsc_read(), t_lap = t0;
	double quiet_since = lab_now_s();
	unsigned lap = 0;

	while (r->passed + r->dropped < frames) {
		unsigned moved = send_burst(c, p, r->sent, frames - r->sent, make, arg);

		r->sent += moved;
		if (mode == CHAIN_ONE_THREAD)
			for (unsigned s = 0; s < c->n; s++)
				moved += chain_stage_poll(&c->st[s]);
		moved += take_back(c, p, sink, arg, r, &last_id);
		while (lap < CHAIN_LAPS &&
		       (r->passed + r->dropped) * CHAIN_LAPS >= (lap + 1) * frames) {
			uint64_t now = tsc_read();

			r->lap[lap++] = now - t_lap;
			t_lap = now;
		}
		if (moved) {
			quiet_since = 0;
			continue;
		}
		if (!quiet_since)
			quiet_since = lab_now_s();
		else if (lab_now_s() - quiet_since > STUCK_S)
			return -1;
		if (mode == CHAIN_THREADS)
			sched_yield();
	}
	r->cycles = tsc_read() - t0;
	return 0;
}

int chain_run(struct chain *c, enum chain_mode mode, uint64_t frames, chain_make_fn make,
	      chain_sink_fn sink, void *arg, struct chain_result *r)
{
	struct pool p = {.frames = aligned_alloc(64, POOL * sizeof(struct lab_frame))};
	struct worker w[CHAIN_MAX_STAGES];
	pthread_t t[CHAIN_MAX_STAGES];
	atomic_int stop = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned started = 0;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!p.frames || !c->n || c->n > CHAIN_MAX_STAGES)
		goto out;
	for (unsigned i = 0; i < POOL; i++)
		p.free[p.n_free++] = &p.frames[i];
	if (mode == CHAIN_THREADS) {
		lab_pin(0);
		for (; started < c->n; started++) {
			w[started] = (struct worker){&c->st[started],
						     (int)((started + 1) % (ncpu > 0 ? ncpu : 1)),
						     &stop};
			if (pthread_create(&t[started], NULL, stage_thread, &w[started]))
				goto out;
		}
	}
	ret = source_loop(c, mode, frames, make, sink, arg, &p, r);
out:
	atomic_store(&stop, 1);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(p.frames);
	return ret;
}
