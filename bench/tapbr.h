/* SPDX-License-Identifier: MIT */
/*
 * tapbr.h: the tap bridge, the per-series setup of the fwd-dpdk-tap load series. DPDK 22.11's
 * PMDs for the lr- veth links (af_packet, af_xdp) and for memif have no RX interrupts, net_tap
 * has them: the bridge puts two kernel taps between the veth links and fwd-dpdk, so fwd-dpdk
 * can run --rx-mode poll and --rx-mode interrupt over the same I/O path.
 *
 *   lr-g0 -> lr-d0 --tc ingress, mirred redirect--> lr-ti0 (tap) -> fwd-dpdk net_tap0
 *   fwd-dpdk net_tap1 -> lr-to0 (tap) --tc ingress, mirred redirect--> lr-d1 -> lr-k1
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

/* One step of the bridge: what it does and the tool's argument list (NULL-terminated). */
struct tapbr_cmd {
	const char *what;
	const char *argv[TOPO_MAX_ARGS];
};

/* Returns the steps that build the bridge (up) or remove it (!up), in order; *n gets their
 * number. */
const struct tapbr_cmd *tapbr_cmds(bool up, size_t *n);

/* Builds the bridge in lr-dut, first removing any part of it left from before. Returns 0, or
 * -ENODEV (the lr- topology is not up) / -EIO (a step failed, and what it built is removed
 * again), with err saying which step, the command and the tool's message. */
int tapbr_up(char *err, size_t errlen);

/* Removes every part of the bridge that exists (nothing there is fine). Returns 0, or -EIO
 * when a part is still there afterwards (err says which). */
int tapbr_down(char *err, size_t errlen);

/* Returns true when a part of the bridge exists: a tap, or an ingress qdisc on lr-d0. */
bool tapbr_present(void);

/* Prints the bridge's commands to f, one per line after prefix, "up:" then "down:". */
void tapbr_print(FILE *f, const char *prefix);

#endif
