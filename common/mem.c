// SPDX-License-Identifier: MIT
/*
 * mem.c: packet buffers on huge or normal pages. Huge pages cut TLB misses when a program walks
 * megabytes of packet buffers; the --hugepages knob of every program ends here.
 */
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static size_t round_size(size_t size, bool huge)
{
	size_t unit = huge ? MEM_HUGE_PAGE : 4096;

	return (size + unit - 1) / unit * unit;
}

/* mem_alloc. 8< */
void *mem_alloc(size_t size, bool huge)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
	void *p;

	if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (huge)
		flags |= MAP_HUGETLB;
	p = mmap(NULL, round_size(size, huge), PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		if (huge)
			errno = ENOMEM;
		return NULL;
	}
	return p;
}
/* >8 End of mem_alloc. */

void mem_free(void *p, size_t size, bool huge)
{
	if (p)
		munmap(p, round_size(size, huge));
}

int mem_huge_info(struct mem_huge_info *info)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -errno;
	memset(info, 0, sizeof(*info));
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Total: %lu", &info->total);
		sscanf(line, "HugePages_Free: %lu", &info->free);
		sscanf(line, "Hugepagesize: %lu kB", &info->size_kb);
	}
	fclose(f);
	return 0;
}

const char *mem_huge_hint(void)
{
	return "no free 2 MB huge pages: reserve some with 'linerate topo up --hugepages 512' "
	       "(or 'echo 512 > /proc/sys/vm/nr_hugepages'), or pass --hugepages off";
}
