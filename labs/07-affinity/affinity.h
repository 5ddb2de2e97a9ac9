/* SPDX-License-Identifier: MIT */
/*
 * affinity.h (lab 07): where a thread may run and where it ran. Pinning the calling thread to
 * one CPU or letting it float over all of them (sched_setaffinity), and counting what the
 * scheduler did to a thread: voluntary context switches (it blocked), involuntary ones (it was
 * preempted), migrations (it moved to another CPU), and the CPU it last ran on. The counters
 * come from /proc/self/task/<tid>/status, stat and sched.
 */
#ifndef LAB07_AFFINITY_H
#define LAB07_AFFINITY_H

#include <sys/types.h>

struct sched_counts {
	long voluntary;   /* voluntary_ctxt_switches of status: the thread blocked */
	long involuntary; /* nonvoluntary_ctxt_switches of status: the thread was preempted */
	long migrations;  /* se.nr_migrations of sched; -1 when the kernel has no sched file */
	int cpu;          /* field 39 (processor) of stat: the CPU the thread last ran on */
};

/* Task 1: pins the calling thread to cpu; returns 0, -EINVAL for a CPU that is not online
 * (below 0 or from sysconf(_SC_NPROCESSORS_ONLN) on), or -errno. */
int aff_pin(int cpu);
/* Task 1: lets the calling thread run on every online CPU; returns 0 or -errno. */
int aff_float(void);
/* Task 1: the number of CPUs the calling thread may run on now, or -errno. */
int aff_allowed(void);

/* Task 2: reads voluntary_ctxt_switches and nonvoluntary_ctxt_switches out of the text of a
 * /proc/.../status file into c; returns 0, or -EINVAL when either line is missing. */
int sched_parse_status(const char *text, struct sched_counts *c);
/* Task 3: reads the processor field (the 39th) out of one line of /proc/.../stat into *cpu;
 * the second field, the command name in parentheses, may itself hold spaces and parentheses.
 * Returns 0, or -EINVAL when the line is too short. */
int sched_parse_stat(const char *line, int *cpu);
/* Task 3: reads se.nr_migrations out of the text of a /proc/.../sched file into *migrations;
 * returns 0, or -EINVAL when the line is missing. */
int sched_parse_sched(const char *text, long *migrations);
/* Task 4: fills c for thread tid of this process from /proc/self/task/<tid>/{status,stat,
 * sched} (migrations -1 when sched does not exist); returns 0 or -errno. */
int sched_read(pid_t tid, struct sched_counts *c);

#endif
