/* SPDX-License-Identifier: MIT */
/* lab_util.h (labs, given): pinning a thread to a core and a monotonic clock in seconds. */
#ifndef LAB_UTIL_H
#define LAB_UTIL_H

#include <pthread.h>
#include <sched.h>
#include <time.h>

/* Pins the calling thread to cpu (best effort: on one core it runs where it can). */
static inline void lab_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static inline double lab_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
