// SPDX-License-Identifier: MIT
/*
 * cpu.c: thread placement (--affinity pinned|floating, --cpu N) and CPU accounting: process
 * user/system time from getrusage() and the machine's softirq time from /proc/stat, so a
 * program can show what an interrupt-driven loop costs beside a polling one.
 */
#include "cpu.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* Thread placement. 8< */
int cpu_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= cpu_count())
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cpu_float(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < cpu_count(); i++)
		CPU_SET(i, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cpu_current(void)
{
	return sched_getcpu();
}
/* >8 End of thread placement. */

/* Sums the softirq column of every CPU line ("cpu0 ...") of /proc/stat, in seconds. */
static int softirq_seconds(double *out)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, total = 0;
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu%*u %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys,
			   &idle, &iowait, &irq, &softirq) == 7)
			total += softirq;
	}
	fclose(f);
	*out = (double)total / (double)sysconf(_SC_CLK_TCK);
	return 0;
}

int cpu_usage_read(struct cpu_usage *u)
{
	struct rusage ru;
	struct timespec ts;

	if (getrusage(RUSAGE_SELF, &ru))
		return -errno;
	u->user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	u->sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	u->wall_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	return softirq_seconds(&u->softirq_s);
}

struct cpu_usage cpu_usage_diff(const struct cpu_usage *end, const struct cpu_usage *start)
{
	struct cpu_usage d = {
		.user_s = end->user_s - start->user_s,
		.sys_s = end->sys_s - start->sys_s,
		.softirq_s = end->softirq_s - start->softirq_s,
		.wall_s = end->wall_s - start->wall_s,
	};

	return d;
}
