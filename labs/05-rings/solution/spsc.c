// SPDX-License-Identifier: MIT
/* spsc.c (lab 05), the reference solution. */
#include <stdlib.h>

#include "spsc.h"

int spsc_init(struct spsc *r, unsigned size)
{
	if (size < 2 || (size & (size - 1)))
		return -1;
	r->slots = calloc(size, sizeof(*r->slots));
	if (!r->slots)
		return -1;
	r->size = size;
	r->mask = size - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

void spsc_fini(struct spsc *r)
{
	free(r->slots);
	r->slots = NULL;
}

unsigned spsc_push(struct spsc *r, void *const *objs, unsigned n)
{
	unsigned head = atomic_load_explicit(&r->head, memory_order_relaxed);
	unsigned tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	unsigned room = r->size - (head - tail);

	if (n > room)
		n = room;
	for (unsigned i = 0; i < n; i++)
		r->slots[(head + i) & r->mask] = objs[i];
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	return n;
}

unsigned spsc_pop(struct spsc *r, void **objs, unsigned n)
{
	unsigned tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	unsigned head = atomic_load_explicit(&r->head, memory_order_acquire);
	unsigned avail = head - tail;

	if (n > avail)
		n = avail;
	for (unsigned i = 0; i < n; i++)
		objs[i] = r->slots[(tail + i) & r->mask];
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

unsigned spsc_count(struct spsc *r)
{
	return atomic_load(&r->head) - atomic_load(&r->tail);
}
