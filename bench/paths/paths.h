/* SPDX-License-Identifier: MIT */
/*
 * paths.h: what paths.c (lr-paths' main and its DPDK-free paths) shares with paths_dpdk.c
 * (the paths that run on DPDK vdevs): the burst, the warm-up, the frame size and the DPDK
 * paths' entry points. Every path runs a warm-up of PATHS_WARMUP units, then count units with
 * callgrind's collection switched on only around the measured work, adds the units it moved
 * to *units and stores the TSC cycles of its steady-state loop in *cycles.
 */
#ifndef LR_BENCH_PATHS_H
#define LR_BENCH_PATHS_H

#include <stdint.h>

#define PATHS_BATCH     32
#define PATHS_WARMUP    1024
#define PATHS_FRAME_LEN 64 /* wire size, FCS included */

/* Forwards count 64 B frames (rounded up to the burst) with fwd_burst between two net_ring
 * ports opened through io_dpdk, counting rx burst -> fwd_burst -> tx burst; returns 0 or
 * -errno (a message is printed on stderr). */
int paths_fwd_dpdk(unsigned long count, unsigned long *units, uint64_t *cycles);
/* Sends count 64 B frames (rounded up to the burst) through tgen's dpdk engine TX burst
 * (tgen_engine_dpdk.tx) on a net_null port, unpaced; returns 0 or -errno
 * (a message is printed on stderr). */
int paths_tgen_dpdk(unsigned long count, unsigned long *units, uint64_t *cycles);

#endif
