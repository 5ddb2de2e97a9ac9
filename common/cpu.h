/* SPDX-License-Identifier: MIT */
/*
 * cpu.h: where threads run and what they cost. Pin the calling thread to one core or let it
 * float over all of them; read the process's user/system time and the machine's softirq time.
 */
#ifndef LR_CPU_H
#define LR_CPU_H

#include <stdbool.h>

struct cpu_usage {
	double user_s, sys_s; /* this process, from getrusage(RUSAGE_SELF) */
	double softirq_s;     /* all CPUs, from /proc/stat */
	double wall_s;        /* CLOCK_MONOTONIC_RAW */
};

/* Returns the number of online CPUs. */
int cpu_count(void);
/* Pins the calling thread to cpu; returns 0 or -errno (-EINVAL for a CPU that does not exist). */
int cpu_pin(int cpu);
/* Lets the calling thread run on every online CPU; returns 0 or -errno. */
int cpu_float(void);
/* Returns the CPU the calling thread runs on now. */
int cpu_current(void);
/* Samples the counters into u; returns 0 or -errno. */
int cpu_usage_read(struct cpu_usage *u);
/* Returns end - start field by field. */
struct cpu_usage cpu_usage_diff(const struct cpu_usage *end, const struct cpu_usage *start);

#endif
