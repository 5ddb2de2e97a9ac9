/* SPDX-License-Identifier: MIT */
/*
 * ring.h: rings of pointers between one producer thread and one consumer thread, in two kinds
 * with the same API so a pipeline can compare them: "lockfree" (C11 atomics, head and tail on
 * separate cache lines) and "mutex" (a mutex and condition variable around a plain array).
 * Burst calls return how many items they moved (DPDK's rule). Exactly one producer thread and
 * one consumer thread per ring, for both kinds.
 */
#ifndef LR_RING_H
#define LR_RING_H

#include <stdint.h>

enum ring_kind {
	RING_LOCKFREE,
	RING_MUTEX
};

struct ring;

/* The ring interface. 8< */
/* Creates a ring of the given kind holding up to size items (size a power of two, 2..2^31);
 * returns NULL with errno set (EINVAL for a bad size, ENOMEM). */
struct ring *ring_new(enum ring_kind kind, unsigned size);
/* Frees a ring (NULL is fine). */
void ring_free(struct ring *r);
/* Returns the ring's kind. */
enum ring_kind ring_get_kind(const struct ring *r);
/* Producer: enqueues up to n pointers; returns how many were enqueued (0 if full). */
unsigned ring_enqueue_burst(struct ring *r, void *const *objs, unsigned n);
/* Consumer: dequeues up to n pointers; returns how many were dequeued (0 if empty). */
unsigned ring_dequeue_burst(struct ring *r, void **objs, unsigned n);
/* Consumer: like ring_dequeue_burst but waits up to timeout_ns for at least one item
 * (the mutex kind sleeps on its condition variable, the lock-free kind spins with pause). */
unsigned ring_dequeue_burst_wait(struct ring *r, void **objs, unsigned n, uint64_t timeout_ns);
/* Returns the number of items in the ring now (a snapshot). */
unsigned ring_count(const struct ring *r);
/* >8 End of the ring interface. */

/* Looks a kind up by name ("lockfree", "mutex"); returns 0 or -EINVAL. */
int ring_kind_parse(const char *name, enum ring_kind *kind);
/* Returns the name of a kind. */
const char *ring_kind_name(enum ring_kind kind);

#endif
