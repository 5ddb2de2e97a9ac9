// SPDX-License-Identifier: MIT
/*
 * fwd-xdp: the IPv4 forwarder on AF_XDP sockets (libxdp), the "kernel driver, user-space
 * rings" path between fwd-afp and fwd-dpdk. It receives on lr-d0 and sends on lr-d1 inside
 * lr-dut (entering the namespace itself): an XDP program on lr-d0 redirects every frame into
 * the AF_XDP socket's RX ring, frames are rewritten in place in the UMEM, copied into lr-d1's
 * UMEM and sent through its TX ring (io_xdp.h). By default the loop sleeps in poll() on the
 * socket until the softirq that ran the XDP program wakes it; --poll busy-spins on the rings
 * instead (kicking the kernel only when need_wakeup asks). The forwarding work, the knobs, the
 * loops and the report are common/'s (fwd.h, fwd_cli.h), the same as fwd-afp's and fwd-dpdk's.
 *
 * On veth there is no zero copy and no hardware: native XDP runs in lr-d0's own NAPI on the
 * skb the sender built, and AF_XDP transmit builds an skb per frame in the sendto() kick
 * (kernel_baseline/README.md, "What fwd-xdp measures on veth").
 *
 * Read main() first: parse, then kport_fwd_main() (kport.c): ports -> run -> report -> close.
 */

#include "cli.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "topo_defs.h"
#include "xdp_prog.h"

#define PROG        "fwd-xdp"
#define RING_FRAMES 2048

struct xdp_opts {
	const char *in_dev, *out_dev;
	struct xdp_prog_knobs k;
	struct fwd_opts f;
};

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct xdp_opts *o)
{
	const struct cli_option own[] = {
		{"in", 0, CLI_STRING, &o->in_dev, "DEV", "interface frames come in on"},
		{"out", 0, CLI_STRING, &o->out_dev, "DEV", "interface frames leave on"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"Forwards IPv4 frames from --in to --out over AF_XDP sockets (an XDP program "
		"redirects --in's frames to the socket), decrementing the TTL and rewriting the "
		"MACs; drops non-IPv4, bad headers and TTL <= 1, counted by reason. Sleeps in "
		"poll() when idle unless --poll (busy-poll). With no flags it serves the lr- "
		"topology ('linerate topo up'): lr-d0 -> lr-d1 in lr-dut, next hop the sink lr-k1. "
		"Runs until Ctrl-C or --duration, then reports rx, tx, drops, CPU use and cycles "
		"per packet. Needs root.",
		t.opts,
	};
	int ret;

	CLI_OPTIONS_ADD(&t, own);
	xdp_prog_options(&o->k, &t);
	fwd_cli_options(&o->f, FWD_CLI_MACS | FWD_CLI_BIDIR, &t);
	cli_options_help(
		&t, "hugepages",
		"put the UMEM, the frames' own buffers (the kernel copies into them on veth), "
		"on 2 MB huge pages");
	ret = cli_parse_options(&prog, argc, argv, NULL);
	if (ret)
		return ret;
	o->k.busy_poll = o->f.poll;
	o->k.hugepages = o->f.hugepages;
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

int main(int argc, char **argv)
{
	struct xdp_opts o = {.in_dev = TOPO_IF_D0, .out_dev = TOPO_IF_D1};
	int ret;

	log_set_prog(PROG);
	xdp_prog_knobs_init(&o.k, TOPO_NS_DUT, RING_FRAMES);
	fwd_opts_init(&o.f);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	return kport_fwd_main(&o.f, &(struct kport_prog){PROG, &xdp_prog_kind, &o.k, o.k.netns},
			      o.in_dev, o.out_dev);
}
