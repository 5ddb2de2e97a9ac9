// SPDX-License-Identifier: MIT
/*
 * solution/spsc.c: lab 05's reference ring. Two free-running 32-bit indices: prod (written by
 * the producer only) and cons (written by the consumer only); prod - cons is the fill level,
 * index & mask the slot. Each side keeps a private snapshot of the other side's index on its
 * own cache line and reloads it only when the snapshot says "full" (or "empty"), so the two
 * cores exchange a cache line once per refill rather than once per call. A release store of
 * an index publishes the slots written before it; the other side loads it with acquire.
 */
#include "spsc.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lr.h"

struct spsc {
	uint32_t mask;
	void **slot;
	struct {
		_Atomic uint32_t prod;
		uint32_t seen_cons; /* the producer's snapshot of cons */
	} p lr_cache_aligned;
	struct {
		_Atomic uint32_t cons;
		uint32_t seen_prod; /* the consumer's snapshot of prod */
	} c lr_cache_aligned;
};

struct spsc *spsc_new(unsigned size)
{
	struct spsc *r;

	if (size < 2 || size > (1u << 31) || (size & (size - 1))) {
		errno = EINVAL;
		return NULL;
	}
	r = aligned_alloc(LR_CACHE_LINE, sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->slot = calloc(size, sizeof(*r->slot));
	if (!r->slot) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->mask = size - 1;
	return r;
}

void spsc_free(struct spsc *r)
{
	if (r)
		free(r->slot);
	free(r);
}

unsigned spsc_count(const struct spsc *r)
{
	uint32_t cons = atomic_load_explicit(&r->c.cons, memory_order_acquire);

	return atomic_load_explicit(&r->p.prod, memory_order_acquire) - cons;
}

unsigned spsc_enqueue_burst(struct spsc *r, void *const *objs, unsigned n)
{
	uint32_t at = atomic_load_explicit(&r->p.prod, memory_order_relaxed);
	uint32_t space = r->mask + 1 - (at - r->p.seen_cons);

	if (space < n) {
		r->p.seen_cons = atomic_load_explicit(&r->c.cons, memory_order_acquire);
		space = r->mask + 1 - (at - r->p.seen_cons);
		if (n > space)
			n = space;
	}
	for (unsigned i = 0; i < n; i++)
		r->slot[(at + i) & r->mask] = objs[i];
	if (n)
		atomic_store_explicit(&r->p.prod, at + n, memory_order_release);
	return n;
}

unsigned spsc_dequeue_burst(struct spsc *r, void **objs, unsigned n)
{
	uint32_t at = atomic_load_explicit(&r->c.cons, memory_order_relaxed);
	uint32_t ready = r->c.seen_prod - at;

	if (ready < n) {
		r->c.seen_prod = atomic_load_explicit(&r->p.prod, memory_order_acquire);
		ready = r->c.seen_prod - at;
		if (n > ready)
			n = ready;
	}
	for (unsigned i = 0; i < n; i++)
		objs[i] = r->slot[(at + i) & r->mask];
	if (n)
		atomic_store_explicit(&r->c.cons, at + n, memory_order_release);
	return n;
}

static void *ops_create(unsigned size)
{
	return spsc_new(size);
}

static void ops_destroy(void *ring)
{
	spsc_free(ring);
}

static unsigned ops_enqueue(void *ring, void *const *objs, unsigned n)
{
	return spsc_enqueue_burst(ring, objs, n);
}

static unsigned ops_dequeue(void *ring, void **objs, unsigned n)
{
	return spsc_dequeue_burst(ring, objs, n);
}

const struct fwd_ring_ops lab05_ring_ops = {
	.name = "lab05",
	.create = ops_create,
	.destroy = ops_destroy,
	.enqueue = ops_enqueue,
	.dequeue = ops_dequeue,
	.dequeue_sleep = NULL, /* cannot sleep: an idle pipeline stage naps instead */
};
