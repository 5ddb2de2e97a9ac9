// SPDX-License-Identifier: MIT
/*
 * echo-dpdk: the TCP echo service on the user-space TCP stack (common/tcp.h) over DPDK, the
 * kernel-bypass side of the matched echo servers. The stack, the echo service, the loop, the
 * knobs and the report are the ones echo-afp runs (common/echo_srv.h); only the port differs:
 * rte_eth_rx_burst / rte_eth_tx_burst through bypass/io_dpdk.h, segments built straight into
 * mbufs. The loop polls; --rx-mode interrupt makes it sleep in rte_epoll_wait() until the
 * PMD's RX interrupt or the stack's next timer, on PMDs that have RX interrupts (net_tap, NIC
 * drivers; not DPDK 22.11's net_af_packet, net_af_xdp or net_memif).
 *
 * Ports: by default net_af_packet on lr-d0, probed inside lr-dut (--pmd af_xdp for AF_XDP in
 * copy mode), with the address echo-afp uses, 198.18.0.10, which the kernel does not own, and
 * lr-d0's MAC; --memif makes a net_memif server on /run/linerate/lr-echo.sock for `tgen echo
 * --engine dpdk` (the client stack over DPDK: no kernel on the path at all); --dpdk-port takes any
 * devargs (a PCI address for a real NIC).
 *
 * Command line: EAL arguments first, echo-dpdk's own after "--" (the l2fwd pattern); with no
 * "--" every argument is echo-dpdk's. Read main() first: parse -> EAL -> port -> stack -> run.
 */
#include <string.h>

#include <rte_ethdev.h>

#include "cli.h"
#include "dpdk_prog.h"
#include "echo_srv.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "stop.h"
#include "tcp/tcp.h"
#include "topo_defs.h"

#define PROG       "echo-dpdk"
#define MEMIF_SOCK TOPO_STATE_DIR "/lr-echo.sock"

struct dpdk_opts {
	const char *dev, *port;
	struct dpdk_prog_knobs k;
	struct echo_srv_opts e;
	char devargs[DPDK_PROG_DEVARGS_LEN];
};

/* Parses echo-dpdk's own arguments (argv[0] is the program); returns 0, -1 after --help, or
 * an exit code. */
static int parse(int argc, char **argv, struct dpdk_opts *o)
{
	const struct cli_option own[] = {
		{"dev", 0, CLI_STRING, &o->dev, "DEV", "veth the stack runs on"},
		{"netns", 0, CLI_STRING, &o->k.netns, "NS",
		 "namespace the port is probed in (default: lr-dut for the veth port, none "
		 "otherwise)"},
		{"memif", 0, CLI_FLAG, &o->k.memif, NULL,
		 "a net_memif server on " MEMIF_SOCK " instead, for tgen echo --engine dpdk"},
		{"dpdk-port", 0, CLI_STRING, &o->port, "DEVARGS",
		 "any DPDK device instead (a PCI address, net_memif0,..., net_tap0,...); --port "
		 "is the TCP port"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[EAL args] -- [options]",
		"TCP echo server (RFC 862) on the user-space TCP stack over DPDK (rx/tx bursts, "
		"polling, segments built in mbufs). With no flags it serves 198.18.0.10:7 through "
		"net_af_packet on lr-d0 in lr-dut of the lr- topology ('linerate topo up'), an "
		"address the kernel does not own, with lr-d0's MAC; it answers ARP and ping. "
		"--memif serves a DPDK client over shared memory instead. EAL arguments go before "
		"'--' (huge pages when 128 or more are free, else --no-huge; --hugepages on|off "
		"decides). Prints what one connection costs at start; "
		"runs until Ctrl-C or --duration, then reports connections, bytes, frames, CPU use "
		"and the stack's counters. Needs root.",
		t.opts,
	};
	int ret;

	dpdk_prog_options(&o->k, 1, &t);
	CLI_OPTIONS_ADD(&t, own);
	echo_srv_options(&o->e, ECHO_SRV_CLI_STACK, &t);
	ret = dpdk_prog_parse(&prog, &t, argc, argv);
	if (ret)
		return ret;
	if (o->k.memif && o->port) {
		fprintf(stderr, "%s: give --memif or --dpdk-port, not both\n", PROG);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* Serves until the end and reports; returns the exit code. */
static int run(const struct dpdk_opts *o, struct tcp_stack *s, struct io_port *p)
{
	const char *ns = o->k.ns;
	struct echo_srv_result res;
	struct io_stats st = {0};
	char desc[320], extra[128];

	pr_info("listening on %s:%ld on %s%s%s (Ctrl-C stops)%s", o->e.ip, o->e.port, p->name,
		ns ? " in " : "", ns ? ns : "",
		o->k.memif ? "; waiting for a memif client on " MEMIF_SOCK : "");
	echo_srv_run_stack(s, p, &o->e, &res);
	p->ops->stats(p, &st); /* best effort */
	snprintf(desc, sizeof(desc), "%s:%ld on %s%s%s, user-space TCP over DPDK, %s", o->e.ip,
		 o->e.port, p->name, ns ? " in " : "", ns ? ns : "",
		 res.polled ? "polling" : "sleeping on RX interrupts (rte_epoll_wait) when idle");
	snprintf(extra, sizeof(extra), "PMD missed=%llu rx_errors=%llu tx_errors=%llu",
		 (unsigned long long)st.rx_dropped, (unsigned long long)st.rx_errors,
		 (unsigned long long)st.tx_errors);
	echo_srv_report(stdout, &o->e,
			&(struct echo_srv_info){PROG, "dpdk", dpdk_prog_link(&o->k, !o->port, p),
						desc, extra},
			&res, tcp_stats(s));
	return LR_EXIT_OK;
}

/* Opens the port and builds the stack on its MAC (or --mac); returns 0 or an exit code. */
static int setup(struct dpdk_opts *o, struct io_port **p, struct tcp_stack **s)
{
	struct rte_ether_addr mac;
	int ret = dpdk_prog_devargs(&o->k, 0, o->port, o->dev, MEMIF_SOCK, o->devargs);

	if (!ret)
		ret = dpdk_prog_netns(&o->k, !o->k.memif && !o->port);
	if (ret)
		return ret;
	*p = dpdk_prog_open(&o->k, o->devargs);
	if (!*p)
		return LR_EXIT_ENV;
	ret = rte_eth_macaddr_get((uint16_t)dpdk_port_id(*p), &mac);
	if (ret && !o->e.mac) {
		pr_err("port %s: cannot read its MAC (%s): give --mac", (*p)->name, strerror(-ret));
		return LR_EXIT_ENV;
	}
	return echo_srv_stack_new(&o->e, mac.addr_bytes, PROG, s);
}

int main(int argc, char **argv)
{
	struct dpdk_opts o = {.dev = TOPO_IF_D0, .k.pmd = DPDK_PMD_AF_PACKET};
	int end = dpdk_prog_split(argc, argv), ret;
	struct io_port *p = NULL;
	struct tcp_stack *s = NULL;

	log_set_prog(PROG);
	echo_srv_opts_init(&o.e, ECHO_SRV_STACK_IP);
	/* echo-dpdk's own arguments come first: --hugepages and --cpu decide the EAL's */
	ret = parse(argc - end, argv + end, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = dpdk_prog_start(argc, argv, end, &o.e.hugepages, o.e.cpu, o.port != NULL);
	if (ret)
		return ret;
	ret = setup(&o, &p, &s);
	if (!ret)
		lr_stop_signals(); /* best effort: it warns */
	if (!ret)
		ret = echo_srv_pin(&o.e) ? LR_EXIT_USAGE : run(&o, s, p);
	io_close(p);
	tcp_stack_free(s);
	dpdk_fini();
	return ret;
}
