// SPDX-License-Identifier: MIT
/*
 * echo-afp: the TCP echo service on the user-space TCP stack (common/tcp.h) over AF_PACKET,
 * the kernel-I/O side of the matched user-space echo servers. The stack owns an address the
 * kernel does not have, 198.18.0.10 by default, on lr-d0 in lr-dut (entering the namespace
 * itself), and lr-d0's own MAC, since an AF_PACKET socket shares the interface with the
 * kernel: the stack answers ARP and ping for its address, and the kernel, which owns no
 * socket and no address for those frames, drops them without answering (no RST: the kernel
 * would reset every connection it sees if it owned the address).
 *
 * The loop sleeps in poll() until a frame comes or the stack's next timer is due ("interrupt-
 * driven": veth has no hardware interrupt, the thread is woken by the softirq that queues the
 * frame, the same wake-up a NIC interrupt ends in); --poll busy-spins instead. The loop, the
 * knobs and the report are common/'s (echo_srv.h), the same as echo-dpdk's; only the port
 * differs.
 *
 * Read main() first: parse, then kport_echo_main() (kport.c): stack -> port -> run -> report.
 */

#include "afp_prog.h"
#include "cli.h"
#include "echo_srv.h"
#include "io_afp.h"
#include "log.h"
#include "lr.h"
#include "topo_defs.h"

#define PROG        "echo-afp"
#define RING_FRAMES 1024

struct afp_opts {
	const char *dev;
	struct afp_prog_knobs k;
	struct echo_srv_opts e;
};

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct afp_opts *o)
{
	const struct cli_option own[] = {
		{"dev", 0, CLI_STRING, &o->dev, "DEV", "interface the stack runs on"},
		{"netns", 0, CLI_STRING, &o->k.netns, "NS", "namespace of --dev ('': this one)"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"TCP echo server (RFC 862) on the user-space TCP stack over AF_PACKET rings. With "
		"no flags it serves 198.18.0.10:7 on lr-d0 in lr-dut of the lr- topology "
		"('linerate "
		"topo up'), an address the kernel does not own, with lr-d0's MAC; it answers ARP "
		"and ping. Sleeps in poll() when idle (interrupt-driven) unless --poll. Prints "
		"what one connection costs at start; runs until Ctrl-C or --duration, then reports "
		"connections, bytes, frames, CPU use and the stack's counters. Needs root.",
		t.opts,
	};
	int ret;

	CLI_OPTIONS_ADD(&t, own);
	afp_prog_options(&o->k, &t);
	echo_srv_options(&o->e, ECHO_SRV_CLI_STACK | ECHO_SRV_CLI_POLL, &t);
	ret = cli_parse_options(&prog, argc, argv, NULL);
	o->k.hugepages = o->e.hugepages;
	return ret;
}

int main(int argc, char **argv)
{
	struct afp_opts o = {
		.dev = TOPO_IF_D0,
	};
	int ret;

	log_set_prog(PROG);
	afp_prog_knobs_init(&o.k, TOPO_NS_DUT, RING_FRAMES);
	echo_srv_opts_init(&o.e, ECHO_SRV_STACK_IP);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	return kport_echo_main(&o.e, &(struct kport_prog){PROG, &afp_prog_kind, &o.k, o.k.netns},
			       o.dev);
}
