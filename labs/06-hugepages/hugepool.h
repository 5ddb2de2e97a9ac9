/* SPDX-License-Identifier: MIT */
/*
 * hugepool.h (lab 06): a packet pool mapped on 2 MB huge pages or on 4 KB pages, and the
 * arithmetic of TLB reach: how much memory a TLB of N entries covers with each page size, how
 * many pages (so TLB entries) a buffer spans, and what fraction of random accesses over a
 * working set miss a TLB of a given reach.
 */
#ifndef LAB06_HUGEPOOL_H
#define LAB06_HUGEPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_SMALL_PAGE 4096UL
#define POOL_HUGE_PAGE  (2UL << 20)

struct pool {
	void *base;       /* the mapping (NULL when none) */
	size_t size;      /* bytes asked for */
	size_t len;       /* bytes mapped: size rounded up to a whole page_size */
	size_t page_size; /* POOL_HUGE_PAGE or POOL_SMALL_PAGE: what the mapping really uses */
	bool huge;        /* true when the pool is on huge pages */
	char why[200];    /* with want_huge and huge false: why huge pages failed ("" else) */
};

/* Tasks 1-3: maps size bytes (> 0), readable and writable, populated (every page present
 * before the first access), on 2 MB huge pages when want_huge and some are free, else on 4 KB
 * pages. When want_huge and the huge mapping fails, falls back to 4 KB pages and writes into
 * p->why what failed (the error's strerror text) and the huge page counters of the machine
 * (HugePages_Free and HugePages_Total of /proc/meminfo), and how to reserve more
 * (/proc/sys/vm/nr_hugepages). Returns 0, or -errno (-EINVAL for size 0) with p->base NULL. */
int pool_alloc(struct pool *p, size_t size, bool want_huge);
/* Unmaps the pool (a pool that failed or was freed already is fine). */
void pool_free(struct pool *p);

/* Task 4: the bytes a TLB of entries entries covers with pages of page_size bytes. */
size_t tlb_reach(unsigned entries, size_t page_size);
/* Task 4: how many pages of page_size (a power of two) the bytes [start, start + len) touch;
 * 0 when len is 0. */
size_t pages_touched(uintptr_t start, size_t len, size_t page_size);
/* Task 4: the fraction (0..1) of uniformly random accesses over working_set bytes that miss a
 * TLB whose reach is reach bytes, the TLB holding the pages last used: 0 when the working set
 * fits, else the share of the working set outside the reach. */
double tlb_miss_ratio(size_t working_set, size_t reach);

#endif
