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
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "cli.h"
#include "echo_srv.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "tcp.h"
#include "topo_defs.h"

#define PROG         "echo-dpdk"
#define MEMIF_SOCK   TOPO_STATE_DIR "/lr-echo.sock"
#define DEVARGS_LEN  256
#define MAX_EAL_ARGS 64

struct dpdk_opts {
	const char *dev, *netns, *port;
	int pmd, rx_mode;
	bool memif;
	struct echo_srv_opts e;
	char devargs[DEVARGS_LEN];
	const char *ns; /* the namespace the port is probed in, or NULL */
};

/* Closing an af_xdp port of DPDK 22.11 leaves what libxdp's xsk_umem__create() allocated: a
 * leak inside the PMD, left out of LeakSanitizer's report in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xsk_umem__create\n";
}

/* ---- command line ---- */

/* Parses echo-dpdk's own arguments (argv[0] is the program); returns 0, -1 after --help, or
 * an exit code. */
static int parse(int argc, char **argv, struct dpdk_opts *o)
{
	struct cli_option tbl[6 + ECHO_SRV_CLI_MAX + 1] = {
		{"pmd", 0, CLI_ENUM, &o->pmd, NULL, "driver of the veth port", dpdk_pmd_enum},
		{"rx-mode", 0, CLI_ENUM, &o->rx_mode, NULL,
		 "spin on rx bursts (poll), or sleep in rte_epoll_wait() until the PMD's RX "
		 "interrupt or the next timer (interrupt: PMDs with RX interrupts, e.g. net_tap)",
		 dpdk_rx_mode_enum},
		{"dev", 0, CLI_STRING, &o->dev, "DEV", "veth the stack runs on"},
		{"netns", 0, CLI_STRING, &o->netns, "NS",
		 "namespace the port is probed in (default: lr-dut for the veth port, none "
		 "otherwise)"},
		{"memif", 0, CLI_FLAG, &o->memif, NULL,
		 "a net_memif server on " MEMIF_SOCK " instead, for tgen echo --engine dpdk"},
		{"dpdk-port", 0, CLI_STRING, &o->port, "DEVARGS",
		 "any DPDK device instead (a PCI address, net_memif0,..., net_tap0,...); --port "
		 "is the TCP port"},
	};
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
		tbl,
	};
	unsigned n = 6;
	int ret;

	n += echo_srv_options(&o->e, ECHO_SRV_CLI_STACK, tbl + n);
	tbl[n] = (struct cli_option){NULL};
	dpdk_hugepages_option(tbl);
	ret = cli_parse_options(&prog, argc, argv,
				"EAL arguments go before '--', the program's own after it");
	if (ret)
		return ret;
	if (o->memif && o->port) {
		fprintf(stderr, "%s: give --memif or --dpdk-port, not both\n", PROG);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* Works out the port's devargs and namespace; returns 0 or an exit code. */
static int port_resolve(struct dpdk_opts *o)
{
	int ret = 0;

	o->ns = o->netns && o->netns[0] ? o->netns : NULL;
	if (o->memif) {
		ret = dpdk_devargs_memif(o->devargs, DEVARGS_LEN, 0, true, MEMIF_SOCK);
	} else if (o->port) {
		snprintf(o->devargs, DEVARGS_LEN, "%s", o->port);
	} else {
		o->ns = o->netns ? o->ns : TOPO_NS_DUT;
		ret = dpdk_devargs_veth(o->devargs, DEVARGS_LEN, dpdk_pmd_name(o->pmd), 0, o->dev);
	}
	if (ret) {
		pr_err("bad port: --dev '%s' (an interface name of up to 15 characters)", o->dev);
		return LR_EXIT_USAGE;
	}
	if (o->ns && !netns_exists(o->ns)) {
		pr_err("no network namespace %s (run 'linerate topo up' first, or give --netns)",
		       o->ns);
		return LR_EXIT_ENV;
	}
	return 0;
}

/* Returns true when an EAL argument names the cores or selects PCI devices. */
static bool eal_has(int argc, char **argv, const char *const *names, unsigned n)
{
	for (int i = 1; i < argc; i++)
		for (unsigned j = 0; j < n; j++)
			if (!strncmp(argv[i], names[j], strlen(names[j])))
				return true;
	return false;
}

/* Starts the EAL, adding "-l CPU" (the loop's core: --cpu) when the arguments name no core and
 * "--no-pci" unless a PCI device is asked for. Returns dpdk_init()'s result. */
static int eal_start(const struct dpdk_opts *o, int argc, char **argv, char *err, size_t len)
{
	static const char *const cores[] = {"-l", "-c", "--lcores"};
	static const char *const pci[] = {"-a", "--allow", "-b", "--block", "--no-pci"};
	static char no_pci[] = "--no-pci", dash_l[] = "-l";
	char *args[MAX_EAL_ARGS + 4], cpu[24];
	int n = 0;

	if (argc > MAX_EAL_ARGS) {
		snprintf(err, len, "too many EAL arguments (%d, at most %d)", argc - 1,
			 MAX_EAL_ARGS - 1);
		return -E2BIG;
	}
	args[n++] = argv[0];
	if (!eal_has(argc, argv, cores, ARRAY_SIZE(cores))) {
		snprintf(cpu, sizeof(cpu), "%ld", o->e.cpu);
		args[n++] = dash_l;
		args[n++] = cpu;
	}
	if (!o->port && !eal_has(argc, argv, pci, ARRAY_SIZE(pci)))
		args[n++] = no_pci;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return dpdk_init(n, args, o->e.hugepages, err, len);
}

/* ---- run ---- */

/* The link column of the results: memif, veth, or the port's name. */
static const char *link_kind(const struct dpdk_opts *o, const struct io_port *p)
{
	if (o->memif || !strncmp(p->name, "net_memif", 9))
		return "memif";
	if (!o->port)
		return "veth";
	return p->name;
}

/* Serves until the end and reports; returns the exit code. */
static int run(const struct dpdk_opts *o, struct tcp_stack *s, struct io_port *p)
{
	struct echo_srv_result res;
	struct io_stats st = {0};
	char desc[320], extra[128];

	pr_info("listening on %s:%ld on %s%s%s (Ctrl-C stops)%s", o->e.ip, o->e.port, p->name,
		o->ns ? " in " : "", o->ns ? o->ns : "",
		o->memif ? "; waiting for a memif client on " MEMIF_SOCK : "");
	echo_srv_run_stack(s, p, &o->e, &res);
	p->ops->stats(p, &st); /* best effort */
	snprintf(desc, sizeof(desc), "%s:%ld on %s%s%s, user-space TCP over DPDK, %s", o->e.ip,
		 o->e.port, p->name, o->ns ? " in " : "", o->ns ? o->ns : "",
		 res.polled ? "polling" : "sleeping on RX interrupts (rte_epoll_wait) when idle");
	snprintf(extra, sizeof(extra), "PMD missed=%llu rx_errors=%llu tx_errors=%llu",
		 (unsigned long long)st.rx_dropped, (unsigned long long)st.rx_errors,
		 (unsigned long long)st.tx_errors);
	echo_srv_report(stdout, &o->e,
			&(struct echo_srv_info){PROG, "dpdk", link_kind(o, p), desc, extra}, &res,
			tcp_stats(s));
	return LR_EXIT_OK;
}

/* Opens the port and builds the stack on its MAC (or --mac); returns 0 or an exit code. */
static int setup(struct dpdk_opts *o, struct io_port **p, struct tcp_stack **s)
{
	struct dpdk_port_cfg cfg = {
		.devargs = o->devargs, .netns = o->ns, .rx_intr = o->rx_mode == DPDK_RX_INTERRUPT};
	struct rte_ether_addr mac;
	char err[512];
	int ret;

	*p = dpdk_port_open(&cfg, err, sizeof(err));
	if (!*p) {
		pr_err("%s", err);
		return LR_EXIT_ENV;
	}
	ret = rte_eth_macaddr_get((uint16_t)dpdk_port_id(*p), &mac);
	if (ret && !o->e.mac) {
		pr_err("port %s: cannot read its MAC (%s): give --mac", (*p)->name, strerror(-ret));
		return LR_EXIT_ENV;
	}
	return echo_srv_stack_new(&o->e, mac.addr_bytes, PROG, s);
}

int main(int argc, char **argv)
{
	struct dpdk_opts o = {.dev = TOPO_IF_D0, .pmd = DPDK_PMD_AF_PACKET};
	int end = dpdk_eal_end(argc, argv), ret;
	struct io_port *p = NULL;
	bool auto_huge;
	struct tcp_stack *s = NULL;
	char err[512];

	log_set_prog(PROG);
	echo_srv_opts_init(&o.e, ECHO_SRV_STACK_IP);
	/* echo-dpdk's own arguments come first: --hugepages and --cpu decide the EAL's */
	argv[end] = argv[0];
	ret = parse(argc - end, argv + end, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	if (geteuid() != 0) {
		pr_err("DPDK needs root (huge pages, device access, namespaces): run as root");
		return LR_EXIT_NOPERM;
	}
	ret = port_resolve(&o);
	if (ret)
		return ret;
	auto_huge = dpdk_hugepages_default(argc - end, argv + end, &o.e.hugepages);
	if (eal_start(&o, end ? end : 1, argv, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		return LR_EXIT_ENV;
	}
	dpdk_hugepages_say(o.e.hugepages, auto_huge);
	ret = setup(&o, &p, &s);
	if (!ret && echo_srv_signals())
		pr_warn("cannot catch SIGINT/SIGTERM: Ctrl-C ends without a report");
	if (!ret)
		ret = echo_srv_pin(&o.e) ? LR_EXIT_USAGE : run(&o, s, p);
	io_close(p);
	tcp_stack_free(s);
	dpdk_fini();
	return ret;
}
