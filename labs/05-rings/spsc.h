/* SPDX-License-Identifier: MIT */
/*
 * spsc.h: lab 05's single-producer single-consumer ring of pointers (you write spsc.c). One
 * thread only enqueues, one other thread only dequeues; no locks. Burst calls return how many
 * pointers they moved (DPDK's rule), never block, and never move part of a pointer's worth.
 */
#ifndef LAB05_SPSC_H
#define LAB05_SPSC_H

#include "fwd.h"

struct spsc;

/* Creates a ring for up to size pointers; size must be a power of two from 2 to 2^31, else
 * returns NULL with errno EINVAL (ENOMEM when out of memory). */
struct spsc *spsc_new(unsigned size);
/* Frees a ring (NULL is fine). */
void spsc_free(struct spsc *r);
/* Producer only: copies up to n pointers from objs into the ring in order; returns how many
 * fitted (0 when the ring is full). */
unsigned spsc_enqueue_burst(struct spsc *r, void *const *objs, unsigned n);
/* Consumer only: moves up to n of the oldest pointers into objs; returns how many (0 when the
 * ring is empty). */
unsigned spsc_dequeue_burst(struct spsc *r, void **objs, unsigned n);
/* Returns how many pointers the ring holds now (exact when neither side is running). */
unsigned spsc_count(const struct spsc *r);

/* The ring as the forwarding pipeline of common/fwd.h takes it (fwd_run_cfg.ring). */
extern const struct fwd_ring_ops lab05_ring_ops;

#endif
