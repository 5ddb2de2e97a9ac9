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
 * Read main() first: parse -> open the ports -> run -> report -> close.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afp_prog.h"
#include "cli.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "io_afp.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "topo_defs.h"

#define PROG        "fwd-afp"
#define RING_FRAMES 4096

struct afp_opts {
	const char *in_dev, *out_dev, *netns;
	int tpacket, tx;
	long ring_frames;
	struct fwd_opts f;
};

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct afp_opts *o)
{
	struct cli_option tbl[8 + FWD_CLI_MAX + 1] = {
		{"in", 0, CLI_STRING, &o->in_dev, "DEV", "interface frames come in on"},
		{"out", 0, CLI_STRING, &o->out_dev, "DEV", "interface frames leave on"},
		{"netns", 0, CLI_STRING, &o->netns, "NS",
		 "network namespace of both interfaces ('': the current one)"},
		{"tpacket", 0, CLI_ENUM, &o->tpacket, NULL, "RX ring version: TPACKET_V2 or V3",
		 afp_prog_tpacket_enum},
		{"tx", 0, CLI_ENUM, &o->tx, NULL,
		 "transmit through a PACKET_TX_RING (one kick per burst) or sendmmsg",
		 afp_prog_tx_enum},
		{"ring-frames", 0, CLI_INT, &o->ring_frames, "N",
		 "frames per RX ring (and TX ring or pool)", NULL, 64, 1 << 20},
	};
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
		tbl,
	};
	unsigned n = 6;
	int ret;

	n += fwd_cli_options(&o->f, FWD_CLI_MACS | FWD_CLI_BIDIR, tbl + n);
	tbl[n] = (struct cli_option){NULL};
	ret = cli_parse_options(&prog, argc, argv, NULL);
	if (ret)
		return ret;
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

/* Opens one port; both directions with --bidir. Returns NULL after printing why. */
static struct io_port *port_open(const struct afp_opts *o, const char *dev, bool rx, bool tx)
{
	const struct afp_prog_knobs k = {o->netns, o->tpacket, o->tx, o->ring_frames,
					 o->f.hugepages};

	return afp_prog_open(dev, &k, rx || o->f.bidir, tx || o->f.bidir);
}

/* Forwards until the end and reports; returns the exit code. */
static int run(struct afp_opts *o, struct io_port *in, struct io_port *out)
{
	char how[96];

	snprintf(how, sizeof(how), "AF_PACKET: TPACKET_V%d RX ring, %s TX", o->tpacket,
		 afp_prog_tx_name(o->tx));
	return kport_fwd_run(&o->f, in, out,
			     &(struct kport_fwd_info){PROG, "afp", o->in_dev, o->out_dev, o->netns,
						      how, "kernel ring drops"});
}

int main(int argc, char **argv)
{
	struct afp_opts o = {
		.in_dev = TOPO_IF_D0,
		.out_dev = TOPO_IF_D1,
		.netns = TOPO_NS_DUT,
		.tpacket = 2,
		.tx = AFP_TX_RING,
		.ring_frames = RING_FRAMES,
	};
	struct io_port *in = NULL, *out = NULL;
	int ret;

	log_set_prog(PROG);
	fwd_opts_init(&o.f);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = afp_prog_env_check(o.netns);
	if (ret)
		return ret;
	in = port_open(&o, o.in_dev, true, false);
	out = in ? port_open(&o, o.out_dev, false, true) : NULL;
	if (!out) {
		io_close(in);
		return LR_EXIT_ENV;
	}
	if (fwd_signals_install())
		pr_warn("cannot catch SIGINT/SIGTERM: Ctrl-C ends without a report");
	ret = run(&o, in, out);
	io_close(in);
	io_close(out);
	return ret;
}
