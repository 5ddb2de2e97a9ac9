/* SPDX-License-Identifier: MIT */
/*
 * mempath.h: lab 05's data path with no I/O at all, so that the ring between the pipeline's
 * two threads is what the measurement sees (given code: you do not change it). Its rx
 * "receives" a batch of 64-byte UDP frames out of memory, each with the next sequence number,
 * and runs the real forwarding work on them (common/fwd.h, fwd_burst: IPv4 checks, TTL - 1,
 * checksum update, MAC rewrite); its tx checks that every frame arrives once, in order, with
 * TTL 63, and counts it. Plug it into fwd_run() as struct fwd_path.
 */
#ifndef LAB05_MEMPATH_H
#define LAB05_MEMPATH_H

#include <stdint.h>

#include "fwd.h"

struct mempath_stats {
	uint64_t made;      /* frames rx produced */
	uint64_t checked;   /* frames tx received and checked */
	uint64_t bad_order; /* frames whose sequence number was not the next one */
	uint64_t bad_frame; /* frames tx got with a wrong TTL or MAC */
};

struct mempath;

/* Creates the path with batch frames per rx (1..IO_BURST_MAX); NULL with errno set. */
struct mempath *mempath_new(unsigned batch);
/* Fills path with the path's operations (ndirs 1). */
void mempath_path(struct mempath *m, struct fwd_path *path);
/* Copies the path's counters (call after fwd_run() returned). */
void mempath_stats(const struct mempath *m, struct mempath_stats *s);
/* Frees the path (NULL is fine). */
void mempath_free(struct mempath *m);

#endif
