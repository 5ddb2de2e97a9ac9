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
 * Read main() first: parse -> stack -> port -> run -> report -> close.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "echo_srv.h"
#include "io_xdp.h"
#include "log.h"
#include "lr.h"
#include "tcp.h"
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
	struct cli_option tbl[1 + XDP_PROG_CLI_MAX + ECHO_SRV_CLI_MAX + 1] = {
		{"dev", 0, CLI_STRING, &o->dev, "DEV", "interface the stack runs on"},
	};
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
		tbl,
	};
	unsigned n = 1;
	int ret;

	n += xdp_prog_options(&o->k, tbl + n);
	n += echo_srv_options(&o->e, ECHO_SRV_CLI_STACK | ECHO_SRV_CLI_POLL, tbl + n);
	tbl[n] = (struct cli_option){NULL};
	ret = cli_parse_options(&prog, argc, argv, NULL);
	o->k.busy_poll = o->e.poll;
	o->k.hugepages = o->e.hugepages;
	return ret;
}

/* Builds the stack with lr-d0's MAC (or --mac), listening, into *out; returns 0 or an exit
 * code after printing why. */
static int stack_new(const struct xdp_opts *o, struct tcp_stack **out)
{
	uint8_t mac[PKT_ETH_ALEN] = {0};
	int err;

	err = o->e.mac ? 0 : echo_srv_if_mac(o->k.netns, o->dev, mac);
	if (err) {
		pr_err("cannot read the MAC of %s in %s: %s (run 'linerate topo up' first, or give "
		       "--dev/--netns or --mac)",
		       o->dev, o->k.netns && o->k.netns[0] ? o->k.netns : "this netns",
		       strerror(-err));
		return LR_EXIT_ENV;
	}
	return echo_srv_stack_new(&o->e, mac, PROG, out);
}

/* Serves until the end and reports; returns the exit code. */
static int run(const struct xdp_opts *o, struct tcp_stack *s, struct io_port *p)
{
	struct echo_srv_result res;
	struct io_stats st = {0};
	char desc[256], how[96], extra[128];

	pr_info("listening on %s:%ld on %s in %s (Ctrl-C stops)", o->e.ip, o->e.port, o->dev,
		o->k.netns && o->k.netns[0] ? o->k.netns : "this netns");
	echo_srv_run_stack(s, p, &o->e, &res);
	p->ops->stats(p, &st); /* best effort: zeros if unreadable */
	xdp_prog_describe(how, sizeof(how), &o->k, p);
	snprintf(desc, sizeof(desc), "%s:%ld on %s, user-space TCP over %s, %s", o->e.ip, o->e.port,
		 o->dev, how,
		 res.polled ? "busy-polling" : "sleeping in poll() until frames arrive");
	snprintf(extra, sizeof(extra), "socket drops=%llu tx_errors=%llu",
		 (unsigned long long)st.rx_dropped, (unsigned long long)st.tx_errors);
	echo_srv_report(stdout, &o->e, &(struct echo_srv_info){PROG, "xdp", "veth", desc, extra},
			&res, tcp_stats(s));
	return LR_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct xdp_opts o = {.dev = TOPO_IF_D0};
	struct tcp_stack *s;
	struct io_port *p;
	int ret;

	log_set_prog(PROG);
	xdp_prog_knobs_init(&o.k, TOPO_NS_DUT, RING_FRAMES);
	echo_srv_opts_init(&o.e, ECHO_SRV_STACK_IP);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = xdp_prog_env_check(o.k.netns);
	if (ret)
		return ret;
	ret = stack_new(&o, &s);
	if (ret)
		return ret;
	p = xdp_prog_open(o.dev, &o.k, true, true);
	if (!p) {
		tcp_stack_free(s);
		return LR_EXIT_ENV;
	}
	if (echo_srv_signals())
		pr_warn("cannot catch SIGINT/SIGTERM: Ctrl-C ends without a report");
	ret = echo_srv_pin(&o.e) ? LR_EXIT_USAGE : run(&o, s, p);
	io_close(p);
	tcp_stack_free(s);
	return ret;
}
