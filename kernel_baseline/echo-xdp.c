// SPDX-License-Identifier: MIT
/*
 * echo-xdp: the TCP echo service on the user-space TCP stack (common/tcp.h) over AF_XDP
 * (libxdp), beside echo-afp (AF_PACKET) and echo-dpdk. The stack owns 198.18.0.10 on lr-d0 in
 * lr-dut (entering the namespace itself) with lr-d0's own MAC; an XDP program on lr-d0
 * redirects every frame of the queue into the AF_XDP socket, so the kernel sees none of them
 * while it runs (io_xdp.h). The loop sleeps in poll() on the socket until a frame comes or the
 * stack's next timer is due; --poll busy-spins instead. The loop, the knobs and the report
 * are common/'s (echo_srv.h), the same as echo-afp's and echo-dpdk's; only the port differs.
 *
 * Read main() first: parse, then kport_echo_main() (kport.c): stack -> port -> run -> report.
 */

#include "cli.h"
#include "echo_srv.h"
#include "log.h"
#include "lr.h"
#include "topo_defs.h"
#include "xdp_prog.h"

#define PROG        "echo-xdp"
#define RING_FRAMES 1024

struct xdp_opts {
	const char *dev;
	struct xdp_prog_knobs k;
	struct echo_srv_opts e;
};

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct xdp_opts *o)
{
	const struct cli_option own[] = {
		{"dev", 0, CLI_STRING, &o->dev, "DEV", "interface the stack runs on"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"TCP echo server (RFC 862) on the user-space TCP stack over an AF_XDP socket (an "
		"XDP program redirects --dev's frames to it). With no flags it serves "
		"198.18.0.10:7 on lr-d0 in lr-dut of the lr- topology ('linerate topo up'), an "
		"address the kernel does not own, with lr-d0's MAC; it answers ARP and ping. "
		"Sleeps in poll() when idle unless --poll. Prints what one connection costs at "
		"start; runs until Ctrl-C or --duration, then reports connections, bytes, frames, "
		"CPU use and the stack's counters. Needs root.",
		t.opts,
	};
	int ret;

	CLI_OPTIONS_ADD(&t, own);
	xdp_prog_options(&o->k, &t);
	echo_srv_options(&o->e, ECHO_SRV_CLI_STACK | ECHO_SRV_CLI_POLL, &t);
	ret = cli_parse_options(&prog, argc, argv, NULL);
	o->k.busy_poll = o->e.poll;
	o->k.hugepages = o->e.hugepages;
	return ret;
}

int main(int argc, char **argv)
{
	struct xdp_opts o = {.dev = TOPO_IF_D0};
	int ret;

	log_set_prog(PROG);
	xdp_prog_knobs_init(&o.k, TOPO_NS_DUT, RING_FRAMES);
	echo_srv_opts_init(&o.e, ECHO_SRV_STACK_IP);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	return kport_echo_main(&o.e, &(struct kport_prog){PROG, &xdp_prog_kind, &o.k, o.k.netns},
			       o.dev);
}
