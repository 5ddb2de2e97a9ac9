// SPDX-License-Identifier: MIT
/*
 * hugepool.c (lab 06, reference): a packet pool on huge or 4 KB pages, and TLB reach.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "hugepool.h"

/* Reads HugePages_Free and HugePages_Total from /proc/meminfo (0 when unreadable). */
static void huge_counters(unsigned long *free_pages, unsigned long *total)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	*free_pages = *total = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Free: %lu", free_pages);
		sscanf(line, "HugePages_Total: %lu", total);
	}
	fclose(f);
}

static void *map(size_t len, bool huge)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | (huge ? MAP_HUGETLB : 0);
	void *a = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	return a == MAP_FAILED ? NULL : a;
}

int pool_alloc(struct pool *p, size_t size, bool want_huge)
{
	memset(p, 0, sizeof(*p));
	if (size == 0)
		return -EINVAL;
	p->size = size;
	if (want_huge) {
		p->len = (size + POOL_HUGE_PAGE - 1) & ~(POOL_HUGE_PAGE - 1);
		p->base = map(p->len, true);
		if (p->base) {
			p->page_size = POOL_HUGE_PAGE;
			p->huge = true;
			return 0;
		}
		int err = errno;
		unsigned long free_pages, total;

		huge_counters(&free_pages, &total);
		snprintf(p->why, sizeof(p->why),
			 "mmap(MAP_HUGETLB, %zu bytes): %s; %lu of %lu huge pages free (reserve "
			 "more: echo N > /proc/sys/vm/nr_hugepages)",
			 p->len, strerror(err), free_pages, total);
	}
	p->len = (size + POOL_SMALL_PAGE - 1) & ~(POOL_SMALL_PAGE - 1);
	p->page_size = POOL_SMALL_PAGE;
	p->base = map(p->len, false);
	return p->base ? 0 : -errno;
}

void pool_free(struct pool *p)
{
	if (p->base)
		munmap(p->base, p->len);
	p->base = NULL;
}

size_t tlb_reach(unsigned entries, size_t page_size)
{
	return (size_t)entries * page_size;
}

size_t pages_touched(uintptr_t start, size_t len, size_t page_size)
{
	if (len == 0)
		return 0;
	uintptr_t first = start & ~(page_size - 1), last = (start + len - 1) & ~(page_size - 1);

	return (last - first) / page_size + 1;
}

double tlb_miss_ratio(size_t working_set, size_t reach)
{
	if (working_set <= reach)
		return 0;
	return 1.0 - (double)reach / (double)working_set;
}
