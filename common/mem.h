/* SPDX-License-Identifier: MIT */
/*
 * mem.h: buffers for packet rings and pools, on 2 MB huge pages (MAP_HUGETLB) or on normal
 * 4 KB pages, chosen by the --hugepages flag, plus the huge page counters of this machine.
 */
#ifndef LR_MEM_H
#define LR_MEM_H

#include <stdbool.h>
#include <stddef.h>

#define MEM_HUGE_PAGE (2UL << 20)

struct mem_huge_info {
	unsigned long total, free, size_kb;
};

/* Maps size bytes, zeroed, on huge pages when huge is true (size rounded up to 2 MB); returns
 * NULL with errno set (ENOMEM with huge: no free huge page; see mem_huge_hint()). */
void *mem_alloc(size_t size, bool huge);
/* Unmaps a buffer returned by mem_alloc() with the same size and huge values. */
void mem_free(void *p, size_t size, bool huge);
/* Reads the huge page counters from /proc/meminfo; returns 0 or -errno. */
int mem_huge_info(struct mem_huge_info *info);
/* Returns a one-line explanation of how to reserve huge pages, for error messages. */
const char *mem_huge_hint(void);

#endif
