// SPDX-License-Identifier: MIT
/*
 * affinity.c (lab 07): your pinning and your reading of the scheduler's counters. Read
 * affinity.h, then fill in the TODOs; `make check` grades them (crafted /proc texts, then live
 * threads), `sudo make perf` runs a generator and a DUT pinned, floating and on one core and
 * counts what the scheduler did to them with your code and the reference's.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affinity.h"

int aff_pin(int cpu)
{
	/* TODO(lab-07) task 1: refuse a CPU that is not online, then sched_setaffinity(0, ...)
	 * with a set of that one CPU (0 means the calling thread) (the reference: 8 lines). */
	(void)cpu;
	return -ENOSYS;
}

int aff_float(void)
{
	/* TODO(lab-07) task 1: a set of every online CPU (6 lines). */
	return -ENOSYS;
}

int aff_allowed(void)
{
	/* TODO(lab-07) task 1: sched_getaffinity and CPU_COUNT (4 lines). */
	return -ENOSYS;
}

int sched_parse_status(const char *text, struct sched_counts *c)
{
	/* TODO(lab-07) task 2: find the two lines "voluntary_ctxt_switches:\t12" and
	 * "nonvoluntary_ctxt_switches:\t3"; mind that one name ends the other (the reference:
	 * 10 lines, with a helper that finds "name:" at the start of a line, shared with
	 * task 3). */
	(void)text;
	(void)c;
	return -ENOSYS;
}

int sched_parse_stat(const char *line, int *cpu)
{
	/* TODO(lab-07) task 3: the name in field 2 may be "(a) b (c)": start after the LAST
	 * ')', which ends field 2, and count space-separated fields up to the 39th (the
	 * reference: 20 lines). */
	(void)line;
	(void)cpu;
	return -ENOSYS;
}

int sched_parse_sched(const char *text, long *migrations)
{
	/* TODO(lab-07) task 3: the line "se.nr_migrations    :    7" (1 line with the helper
	 * of task 2). */
	(void)text;
	(void)migrations;
	return -ENOSYS;
}

int sched_read(pid_t tid, struct sched_counts *c)
{
	/* TODO(lab-07) task 4: read /proc/self/task/<tid>/status, stat and sched and parse them
	 * with tasks 2 and 3; migrations -1 when there is no sched file (the reference: 15
	 * lines, with a helper that reads a whole file). */
	(void)tid;
	(void)c;
	return -ENOSYS;
}
