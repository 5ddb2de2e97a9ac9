// SPDX-License-Identifier: MIT
/*
 * spsc.c: your single-producer single-consumer ring (spsc.h). Fill in the parts marked TODO with the lab number,
 * in task order; `make check` says which tasks still fail.
 */
#include "spsc.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lab.h"
#include "lr.h"

struct spsc {
	/* TODO(lab-05) task 1: the ring's state. You need the slots, the size (or a mask), the
	 * index the producer writes next and the index the consumer reads next. Put the two
	 * indices on separate cache lines (lr_cache_aligned, common/lr.h), or every enqueue
	 * steals the consumer's line. Which of them must be _Atomic, and why? (about 8 lines) */
	unsigned todo;
};

struct spsc *spsc_new(unsigned size)
{
	/* TODO(lab-05) task 1: refuse a size that is not a power of two in 2..2^31 (errno
	 * EINVAL), allocate the ring with its slots (aligned_alloc for the cache-line alignment),
	 * zero the indices. (about 15 lines) */
	(void)size;
	LAB_TODO("05", 1);
	errno = ENOSYS;
	return NULL;
}

void spsc_free(struct spsc *r)
{
	free(r);
}

unsigned spsc_count(const struct spsc *r)
{
	/* TODO(lab-05) task 1: how many pointers are in the ring. (about 4 lines) */
	(void)r;
	LAB_TODO("05", 1);
	return 0;
}

unsigned spsc_enqueue_burst(struct spsc *r, void *const *objs, unsigned n)
{
	/* TODO(lab-05) tasks 2 and 3: copy min(n, free room) pointers in after the last one, then
	 * publish them by moving the producer's index. Task 3: which memory order makes the
	 * consumer see the slots before it sees the index? (about 15 lines) */
	(void)r;
	(void)objs;
	(void)n;
	LAB_TODO("05", 2);
	return 0;
}

unsigned spsc_dequeue_burst(struct spsc *r, void **objs, unsigned n)
{
	/* TODO(lab-05) tasks 2 and 3: the mirror image of enqueue. (about 15 lines) */
	(void)r;
	(void)objs;
	(void)n;
	LAB_TODO("05", 2);
	return 0;
}

/* TODO(lab-05) task 4: the ring as fwd_run()'s pipeline takes it (struct fwd_ring_ops in
 * common/fwd.h): four small functions that call yours, and the table. dequeue_sleep stays
 * NULL: your ring cannot sleep, and the pipeline then naps when idle. (about 20 lines) */
const struct fwd_ring_ops lab05_ring_ops = {
	.name = "lab05",
};
