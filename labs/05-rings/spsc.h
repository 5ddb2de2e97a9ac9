/* SPDX-License-Identifier: MIT */
/*
 * spsc.h (lab 05): a single-producer single-consumer ring of pointers, with no lock: one
 * thread only pushes, one other thread only pops. The capacity is a power of two, so an index
 * becomes a slot with "& mask"; head and tail count up forever (unsigned wrap-around keeps
 * head - tail right) and are only ever written by one side each.
 */
#ifndef LAB05_SPSC_H
#define LAB05_SPSC_H

#include <stdatomic.h>
#include <stddef.h>

struct spsc {
	/* written by the producer, read by the consumer; its own cache line */
	_Alignas(64) _Atomic unsigned head;
	/* written by the consumer, read by the producer; its own cache line */
	_Alignas(64) _Atomic unsigned tail;
	_Alignas(64) unsigned size, mask;
	void **slots;
};

/* Task 1: makes a ring of size slots (a power of two, >= 2); returns 0, or -1 for a bad size
 * or no memory. */
int spsc_init(struct spsc *r, unsigned size);
void spsc_fini(struct spsc *r);
/* Task 2: the producer puts up to n pointers in order; returns how many fit (0 when full). */
unsigned spsc_push(struct spsc *r, void *const *objs, unsigned n);
/* Task 3: the consumer takes up to n pointers in the order they were pushed; returns how
 * many there were (0 when empty). */
unsigned spsc_pop(struct spsc *r, void **objs, unsigned n);
/* How many pointers are in the ring (exact when neither side is running). */
unsigned spsc_count(struct spsc *r);

#endif
