/* SPDX-License-Identifier: MIT */
/*
 * fwd_cli.h: what fwd-sock, fwd-afp and fwd-dpdk share around the loops: the knobs every one
 * of them takes, spelled the same way (one piece of option table that each program appends to
 * its own), the translation of those knobs into a struct fwd_run_cfg, and the final report
 * (human, or a common results row as CSV or JSON).
 */
#ifndef LR_FWD_CLI_H
#define LR_FWD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "fwd.h"
#include "results.h"

enum fwd_ring_kind {
	FWD_RING_NONE, /* run to completion */
	FWD_RING_LOCKFREE,
	FWD_RING_MUTEX,
	FWD_RING_RTE, /* DPDK's rte_ring: fwd-dpdk only */
};

extern const struct cli_enum fwd_ring_enum[];     /* none, lockfree, mutex */
extern const struct cli_enum fwd_ring_enum_rte[]; /* none, lockfree, mutex, rte */

/* Which optional pieces fwd_cli_options() adds. */
#define FWD_CLI_MACS         0x1u /* --dst-mac, --src-mac; with FWD_CLI_BIDIR also --rev-*-mac */
#define FWD_CLI_BIDIR        0x2u /* --bidir */
#define FWD_CLI_RTE          0x4u /* --ring also takes rte */

#define FWD_DEF_BATCH        32
#define FWD_FRAMES_IN_FLIGHT 4096 /* a pipeline's jobs hold at most about this many frames */

struct fwd_opts {
	long batch;
	int affinity; /* enum cli_affinity */
	long cpu, tx_cpu;
	bool hugepages;
	int ring; /* enum fwd_ring_kind */
	uint64_t duration_ns, stats_ns;
	int format; /* enum cli_format */
	double link_bps;
	const char *dst_mac, *src_mac, *rev_dst_mac, *rev_src_mac;
	bool bidir, poll;
	long test_delay_ns; /* TEST ONLY: busy-wait this long per received packet (0: off) */
	/* Filled by fwd_opts_check() from the MAC strings: [0] leaving on the out-port, [1]
	 * leaving on the in-port (bidirectional). */
	struct fwd_route route[2];
};

/* Sets the defaults: batch 32, pinned to CPU 1 (0 on a one-CPU machine), hugepages off, ring
 * none, until Ctrl-C, no periodic lines, human output, a 10G link for the budget, the lr-
 * topology's MACs (next hop: the sink's lr-k1). */
void fwd_opts_init(struct fwd_opts *o);
/* Appends the shared options (the FWD_CLI_* pieces asked for in features) to t. */
void fwd_cli_options(struct fwd_opts *o, unsigned features, struct cli_options *t);
/* Checks the parsed options and fills o->route; returns 0, or -EINVAL after printing what is
 * wrong (prefixed with prog) to stderr. */
int fwd_opts_check(struct fwd_opts *o, const char *prog);
/* Fills cfg from the options: ring kinds none/lockfree/mutex (rte is left NULL for the caller
 * to set), pipeline jobs (about FWD_FRAMES_IN_FLIGHT frames' worth), poll, huge pages,
 * affinity and CPUs, duration and periodic lines. */
void fwd_opts_run_cfg(const struct fwd_opts *o, struct fwd_run_cfg *cfg);
/* Returns the name of a ring kind ("none", "lockfree", "mutex", "rte"). */
const char *fwd_ring_name(int ring);

/* What the report says about the program besides its counters. */
struct fwd_report_info {
	const char *program;          /* "fwd-afp" */
	const char *backend;          /* "afp", "dpdk", "sock" */
	const char *link;             /* "veth", "memif", an interface name */
	const char *desc;             /* one line for the human report: the ports and the mode */
	const char *extra;            /* appended to the note (backend counters), or NULL */
	const struct io_kcost *kcost; /* kernel backends: system calls and copied bytes, or NULL */
};

/* Fills a common results row (experiment "fwd"; lost_pkts = received - sent; drops by reason,
 * tx failures, a remark when rx is above --link's line rate, and info->extra in the note), its
 * JSON-only fields rx_bursts and frames_per_rx_burst (what --batch really did), and with
 * info->kcost syscalls, syscalls_per_packet, idle_syscalls, syscalls_by_kind, copied_bytes,
 * copied_bytes_per_packet (per packet received). */
void fwd_result_row(const struct fwd_opts *o, const struct fwd_report_info *info,
		    const struct fwd_run_result *res, struct res_row *row);
/* Writes the final report to f in o->format (human: drops by reason, CPU use, cycles per
 * packet against the line-rate budget at --link; csv: header and row; json: one row), with
 * info->kcost's figures in the human and json forms (csv: the common schema only); returns
 * LR_EXIT_OK. */
int fwd_report(FILE *f, const struct fwd_opts *o, const struct fwd_report_info *info,
	       const struct fwd_run_result *res);

#endif
