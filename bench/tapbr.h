/* SPDX-License-Identifier: MIT */
/*
 * tapbr.h: the tap bridges, the per-series setup of the fwd-dpdk-tap and echo-dpdk-tap series.
 * DPDK 22.11's PMDs for the lr- veth links (af_packet, af_xdp) and for memif have no RX
 * interrupts, net_tap has them: a bridge puts kernel taps between the veth links and the DPDK
 * program, so fwd-dpdk and echo-dpdk can run --rx-mode poll and --rx-mode interrupt over the
 * same I/O path.
 *
 *   lr-g0 -> lr-d0 --tc ingress, mirred redirect--> lr-ti0 (tap) -> fwd-dpdk net_tap0
 *   fwd-dpdk net_tap1 -> lr-to0 (tap) --tc ingress, mirred redirect--> lr-d1 -> lr-k1
 *
 *   echo: lr-g0 -> lr-d0 --redirect--> lr-te0 (tap) -> echo-dpdk net_tap0 -> lr-te0
 *         --redirect--> lr-d0 -> lr-g0
 *
 * The redirect takes every frame lr-d0 receives, so the bridge must exist only while such a
 * series' DUT runs: bench/runner.c brings it up before the DUT starts and down after it
 * stops, on every path; `linerate topo up` removes one left by a harness that was killed, and
 * `topo down` deletes lr-dut with everything in it. Only the lr- links have the bridge: a ports
 * profile whose DUT ports are others (interfaces, namespaces or DPDK devices) skips the tap
 * series, as bench never touches those ports beyond running the DUT on them.
 */
#ifndef LR_BENCH_TAPBR_H
#define LR_BENCH_TAPBR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "topo.h"

/* Which bridge: the forwarder's two taps between lr-d0 and lr-d1, or the echo server's one tap
 * on lr-d0. */
enum tapbr_kind {
	TAPBR_FWD,  /* lr-d0 -> lr-ti0 -> DUT -> lr-to0 -> lr-d1 */
	TAPBR_ECHO, /* lr-d0 <-> lr-te0 <-> DUT */
};

/* One step of a bridge: what it does and the tool's argument list (NULL-terminated). */
struct tapbr_cmd {
	const char *what;
	const char *argv[TOPO_MAX_ARGS];
};

/* Returns the steps that build bridge k (up) or remove it (!up), in order; *n gets their
 * number. */
const struct tapbr_cmd *tapbr_cmds(enum tapbr_kind k, bool up, size_t *n);

/* Builds bridge k in lr-dut, first removing any part of either bridge left from before.
 * Returns 0, or -ENODEV (the lr- topology is not up) / -EIO (a step failed, and what it built
 * is removed again), with err saying which step, the command and the tool's message. */
int tapbr_up(enum tapbr_kind k, char *err, size_t errlen);

/* Runs the steps that remove bridge k (a part not there is fine). Returns 0, or -EIO when a
 * part of either bridge is still there afterwards (err says which). */
int tapbr_down(enum tapbr_kind k, char *err, size_t errlen);

/* Removes every part of either bridge that exists (a killed harness's leftovers). Returns 0
 * or -EIO as tapbr_down(). */
int tapbr_clear(char *err, size_t errlen);

/* Returns true when a part of a bridge exists: a tap, or an ingress qdisc on lr-d0. */
bool tapbr_present(void);

/* Prints bridge k's commands to f, one per line after prefix, "up:" then "down:". */
void tapbr_print(enum tapbr_kind k, FILE *f, const char *prefix);

#endif
