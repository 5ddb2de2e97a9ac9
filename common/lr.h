/* SPDX-License-Identifier: MIT */
/*
 * lr.h: small definitions every linerate file may use: branch hints, cache-line alignment,
 * array sizes and the named exit codes shared by all programs.
 */
#ifndef LR_H
#define LR_H

#include <stddef.h>

#define likely(x)        __builtin_expect(!!(x), 1)
#define unlikely(x)      __builtin_expect(!!(x), 0)

#define LR_CACHE_LINE    64
#define lr_cache_aligned __attribute__((aligned(LR_CACHE_LINE)))

#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))

/* Exit codes of every linerate program. */
enum lr_exit {
	LR_EXIT_OK = 0,      /* did what was asked */
	LR_EXIT_FAIL = 1,    /* ran, but the run failed (I/O error, lost data, failed check) */
	LR_EXIT_USAGE = 2,   /* bad flag or value: nothing was done */
	LR_EXIT_NOPERM = 3,  /* needs root (or a capability) */
	LR_EXIT_ENV = 4,     /* the environment is missing something (topology, huge pages, DPDK) */
	LR_EXIT_INVALID = 5, /* the measurement is not trustworthy (e.g. above line rate) */
};

/* Planted regressions, for the CI gate's own proof that it catches work added to the data path
 * (docs/regress.md): a build with -DLR_PLANT_FWD=N does N steps of dependent volatile adds per
 * 8 forwarded packets inside fwd_burst() (common/fwd.c), one with -DLR_PLANT_LOOP=N the same per
 * 8 received packets inside the run-to-completion loop (common/fwd_run.c). Every normal build
 * has N = 0, where the loop is compiled away. */
#ifndef LR_PLANT_FWD
#define LR_PLANT_FWD 0
#endif
#ifndef LR_PLANT_LOOP
#define LR_PLANT_LOOP 0
#endif
static inline void lr_plant(unsigned long steps)
{
	static volatile unsigned long sink;

	for (unsigned long i = 0; i < steps; i++)
		sink = sink + i;
}

#endif
