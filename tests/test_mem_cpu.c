// SPDX-License-Identifier: MIT
/*
 * test_mem_cpu.c: buffers on normal and huge pages (the huge page case reserves pages itself
 * and restores the count), thread pinning and CPU accounting.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "mem.h"

static long read_nr_hugepages(void)
{
	long n = -1;
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "r");

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static int write_nr_hugepages(long n)
{
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "w");

	if (!f)
		return -errno;
	fprintf(f, "%ld\n", n);
	return fclose(f) ? -errno : 0;
}

static long saved_hugepages = -1;

static void restore_hugepages(void)
{
	if (saved_hugepages >= 0)
		write_nr_hugepages(saved_hugepages);
}

Test(mem, normal_pages_are_zeroed_and_writable)
{
	size_t size = 3 * 4096 + 17;
	unsigned char *p = mem_alloc(size, false);

	cr_assert_not_null(p);
	for (size_t i = 0; i < size; i++)
		cr_assert_eq(p[i], 0);
	memset(p, 0xab, size);
	mem_free(p, size, false);
	cr_expect_null(mem_alloc(0, false));
	cr_expect_eq(errno, EINVAL);
}

Test(mem, huge_pages_without_reservation_fail_with_enomem_and_a_hint)
{
	struct mem_huge_info info;

	cr_assert_eq(mem_huge_info(&info), 0);
	if (info.free > 0)
		cr_skip("huge pages are reserved on this machine: nothing to check");
	cr_expect_null(mem_alloc(1 << 20, true));
	cr_expect_eq(errno, ENOMEM);
	cr_expect(strstr(mem_huge_hint(), "--hugepages") != NULL);
}

Test(mem, huge_pages_when_reserved, .fini = restore_hugepages)
{
	struct mem_huge_info before, during;
	unsigned char *p;

	saved_hugepages = read_nr_hugepages();
	cr_assert_geq(saved_hugepages, 0);
	cr_assert_eq(write_nr_hugepages(saved_hugepages + 2), 0, "needs root");
	cr_assert_eq(mem_huge_info(&before), 0);
	cr_assert_geq(before.free, 1, "the kernel did not reserve huge pages");
	cr_expect_eq(before.size_kb, 2048);
	p = mem_alloc(4096, true);
	cr_assert_not_null(p);
	p[0] = 1;
	p[MEM_HUGE_PAGE - 1] = 2; /* the whole 2 MB page is ours */
	cr_assert_eq(mem_huge_info(&during), 0);
	cr_expect_eq(during.free, before.free - 1, "one huge page in use");
	mem_free(p, 4096, true);
}

Test(cpu, pin_moves_the_thread_and_float_releases_it)
{
	int last = cpu_count() - 1;
	cpu_set_t set;

	cr_assert_eq(cpu_pin(last), 0);
	cr_expect_eq(cpu_current(), last);
	cr_expect_eq(cpu_pin(cpu_count()), -EINVAL);
	cr_expect_eq(cpu_pin(-1), -EINVAL);
	cr_assert_eq(cpu_float(), 0);
	pthread_getaffinity_np(pthread_self(), sizeof(set), &set);
	cr_expect_eq(CPU_COUNT(&set), cpu_count());
}

Test(cpu, usage_counts_cpu_time_spent)
{
	struct cpu_usage a, b, d;
	volatile unsigned long x = 0;

	cr_assert_eq(cpu_usage_read(&a), 0);
	do {
		for (int i = 0; i < 1000000; i++)
			x += i;
		cr_assert_eq(cpu_usage_read(&b), 0);
	} while (b.wall_s - a.wall_s < 0.05);
	d = cpu_usage_diff(&b, &a);
	cr_expect_gt(d.user_s + d.sys_s, 0.0, "busy loop used no CPU time");
	cr_expect_geq(d.wall_s, 0.05);
	cr_expect_geq(d.softirq_s, 0.0);
}
