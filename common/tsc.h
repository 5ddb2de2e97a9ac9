/* SPDX-License-Identifier: MIT */
/*
 * tsc.h: the time-stamp counter as the project's clock. tsc_init() calibrates it against
 * CLOCK_MONOTONIC_RAW; after that tsc_read() is a few nanoseconds and converts to ns exactly
 * enough for pacing, latency stamps and cycles-per-packet accounting.
 */
#ifndef LR_TSC_H
#define LR_TSC_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the TSC (not serialising: cheap enough for per-packet use). */
static inline uint64_t tsc_read(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Tells the CPU this is a spin-wait loop (x86 pause): saves power, frees the sibling thread. */
static inline void tsc_pause(void)
{
	__asm__ __volatile__("pause");
}

/* Calibrates the TSC (about 50 ms, done once per process); returns 0 or -errno. */
int tsc_init(void);
/* Returns the calibrated TSC frequency in Hz (calibrating first if needed). */
double tsc_hz(void);
/* Returns true if the CPU advertises an invariant TSC (constant_tsc and nonstop_tsc). */
bool tsc_invariant(void);
/* Converts a TSC cycle count to nanoseconds. */
uint64_t tsc_to_ns(uint64_t cycles);
/* Converts nanoseconds to TSC cycles. */
uint64_t tsc_from_ns(uint64_t ns);
/* Returns nanoseconds on the TSC time line (monotonic within one process). */
uint64_t tsc_now_ns(void);
/* Busy-waits until tsc_read() >= deadline; returns the TSC value it saw last. */
uint64_t tsc_wait_until(uint64_t deadline);
/* Returns CLOCK_MONOTONIC_RAW in nanoseconds (the reference the TSC is calibrated against). */
uint64_t tsc_mono_ns(void);

#endif
