// SPDX-License-Identifier: MIT
/*
 * hugepool.c (lab 06): your packet pool on huge or 4 KB pages, and the TLB reach arithmetic.
 * Read hugepool.h, then fill in the TODOs; `sudo make check` grades them (what the kernel
 * really mapped, read back from /proc/self/smaps), `sudo make perf` walks packets spread over
 * pools of 4 MB to 256 MB on your pools and on the reference's, and runs fwd-dpdk on net_null
 * with and without huge pages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "hugepool.h"

int pool_alloc(struct pool *p, size_t size, bool want_huge)
{
	memset(p, 0, sizeof(*p));
	if (size == 0)
		return -EINVAL;
	p->size = size;
	/* TODO(lab-06) task 1: map size rounded up to 4 KB pages with mmap (private, anonymous,
	 * MAP_POPULATE so every page is there before the first packet), set len, page_size.
	 * TODO(lab-06) task 2: with want_huge, first try MAP_HUGETLB with size rounded up to
	 * 2 MB; on success set huge and page_size and return.
	 * TODO(lab-06) task 3: when the huge mapping fails, keep its errno, fill p->why with its
	 * strerror text, HugePages_Free and HugePages_Total from /proc/meminfo and the
	 * nr_hugepages hint, then fall back to task 1's mapping (the reference: about 35 lines
	 * with a helper that reads /proc/meminfo). */
	(void)want_huge;
	return -ENOSYS;
}

void pool_free(struct pool *p)
{
	if (p->base)
		munmap(p->base, p->len);
	p->base = NULL;
}

size_t tlb_reach(unsigned entries, size_t page_size)
{
	/* TODO(lab-06) task 4: one line. */
	(void)entries;
	(void)page_size;
	return 0;
}

size_t pages_touched(uintptr_t start, size_t len, size_t page_size)
{
	/* TODO(lab-06) task 4: the first and last byte's pages (start & ~(page_size - 1)), and
	 * the count between them; mind len 0 (the reference: 5 lines). */
	(void)start;
	(void)len;
	(void)page_size;
	return 0;
}

double tlb_miss_ratio(size_t working_set, size_t reach)
{
	/* TODO(lab-06) task 4: 0 when the working set fits, else 1 - reach / working_set
	 * (3 lines). */
	(void)working_set;
	(void)reach;
	return -1;
}
