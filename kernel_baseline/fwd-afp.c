// SPDX-License-Identifier: MIT
/*
 * fwd-afp: the IPv4 forwarder on AF_PACKET, the kernel baseline of the matched forwarders.
 * It receives on lr-d0 and sends on lr-d1 inside lr-dut (entering the namespace itself),
 * through PACKET_MMAP rings (TPACKET_V2 or V3 for RX, a TPACKET_V2 TX ring or sendmmsg for
 * TX); its own outgoing frames are never received (PACKET_IGNORE_OUTGOING). By default the
 * loop sleeps in poll() until the softirq that queues a frame wakes it (veth has no hardware
 * interrupt: this is the wake-up path a NIC interrupt ends in); --poll busy-spins instead, so
 * a lab can separate "polling" from "bypass". The forwarding work, the knobs, the loops and
 * the report are common/'s (fwd.h, fwd_cli.h); this file only opens the ports. The report
 * adds what the run cost at the kernel boundary: the ports' sendto/sendmmsg calls and copied
 * bytes (io_afp.c counts them) and the loop's poll() calls (its sleeps), all idle calls.
 *
 * Read main() first: parse, then kport_fwd_main() (kport.c): ports -> run -> report -> close.
 */

#include "afp_prog.h"
#include "cli.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "io_afp.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "topo_defs.h"

#define PROG        "fwd-afp"
#define RING_FRAMES 4096

struct afp_opts {
	const char *in_dev, *out_dev;
	struct afp_prog_knobs k;
	struct fwd_opts f;
};

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct afp_opts *o)
{
	const struct cli_option own[] = {
		{"in", 0, CLI_STRING, &o->in_dev, "DEV", "interface frames come in on"},
		{"out", 0, CLI_STRING, &o->out_dev, "DEV", "interface frames leave on"},
		{"netns", 0, CLI_STRING, &o->k.netns, "NS",
		 "network namespace of both interfaces ('': the current one)"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"Forwards IPv4 frames from --in to --out over AF_PACKET rings, decrementing the "
		"TTL "
		"and rewriting the MACs; drops non-IPv4, bad headers and TTL <= 1, counted by "
		"reason. Sleeps in poll() when idle (interrupt-driven) unless --poll. With no "
		"flags "
		"it serves the lr- topology ('linerate topo up'): lr-d0 -> lr-d1 in lr-dut, next "
		"hop "
		"the sink lr-k1. Runs until Ctrl-C or --duration, then reports rx, tx, drops, CPU "
		"use and cycles per packet. Needs root.",
		t.opts,
	};
	int ret;

	CLI_OPTIONS_ADD(&t, own);
	afp_prog_options(&o->k, &t);
	fwd_cli_options(&o->f, FWD_CLI_MACS | FWD_CLI_BIDIR, &t);
	cli_options_help(
		&t, "hugepages",
		"put fwd-afp's own memory on 2 MB huge pages: its burst descriptors and, with "
		"--tx sendmmsg, the TX buffer pool. The frames stay in the kernel's "
		"PACKET_RX_RING/TX_RING pages, which this does not move");
	ret = cli_parse_options(&prog, argc, argv, NULL);
	if (ret)
		return ret;
	o->k.hugepages = o->f.hugepages;
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

int main(int argc, char **argv)
{
	struct afp_opts o = {
		.in_dev = TOPO_IF_D0,
		.out_dev = TOPO_IF_D1,
	};
	int ret;

	log_set_prog(PROG);
	afp_prog_knobs_init(&o.k, TOPO_NS_DUT, RING_FRAMES);
	fwd_opts_init(&o.f);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	return kport_fwd_main(&o.f, &(struct kport_prog){PROG, &afp_prog_kind, &o.k, o.k.netns},
			      o.in_dev, o.out_dev);
}
