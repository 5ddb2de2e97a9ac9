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

#endif
