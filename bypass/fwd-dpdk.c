// SPDX-License-Identifier: MIT
/*
 * fwd-dpdk: the IPv4 forwarder on DPDK, the kernel-bypass side of the matched forwarders. The
 * forwarding work, the knobs, the loops and the report are common/'s (fwd.h, fwd_cli.h), the
 * same code fwd-afp runs; only the ports differ: rte_eth_rx_burst / rte_eth_tx_burst on any
 * PMD through bypass/io_dpdk.h, frames staying in their mbufs from receive to transmit. The
 * loop polls, DPDK's usual way; --rx-mode interrupt makes it sleep in rte_epoll_wait() when
 * idle until the PMD's RX interrupt fires, like fwd-afp in poll(): "DPDK without polling" is
 * one flag. It needs a PMD with RX interrupts: net_tap and NIC drivers have them; DPDK 22.11's
 * net_af_packet, net_af_xdp and net_memif have none (the port then refuses to open).
 *
 * Ports: by default net_af_packet on lr-d0 (in) and lr-d1 (out), probed inside lr-dut
 * (--pmd af_xdp for AF_XDP in copy mode); --memif makes two net_memif servers on
 * /run/linerate/lr-fwd-in.sock and lr-fwd-out.sock for a DPDK generator (tgen --engine dpdk)
 * to connect to; --in-port/--out-port take any devargs (a PCI address for a real NIC).
 * --ring rte adds DPDK's rte_ring to the pipeline's ring kinds, through the fwd_ring_ops hook.
 *
 * Command line: EAL arguments first, fwd-dpdk's own after "--" (the l2fwd pattern); with no
 * "--" every argument is fwd-dpdk's. Read main() first: parse -> EAL -> ports -> run -> report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "cli.h"
#include "dpdk_prog.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "stop.h"
#include "topo_defs.h"

#define PROG      "fwd-dpdk"
#define MEMIF_IN  TOPO_STATE_DIR "/lr-fwd-in.sock"
#define MEMIF_OUT TOPO_STATE_DIR "/lr-fwd-out.sock"

struct dpdk_opts {
	const char *in_dev, *out_dev, *in_port, *out_port;
	struct dpdk_prog_knobs k;
	struct fwd_opts f;
	char in_args[DPDK_PROG_DEVARGS_LEN], out_args[DPDK_PROG_DEVARGS_LEN];
};

/* Parses fwd-dpdk's own arguments (argv[0] is the program); returns 0, -1 after --help, or an
 * exit code. */
static int parse(int argc, char **argv, struct dpdk_opts *o)
{
	const struct cli_option own[] = {
		{"in", 0, CLI_STRING, &o->in_dev, "DEV", "veth frames come in on"},
		{"out", 0, CLI_STRING, &o->out_dev, "DEV", "veth frames leave on"},
		{"netns", 0, CLI_STRING, &o->k.netns, "NS",
		 "namespace the ports are probed in (default: lr-dut for the veth ports, none "
		 "otherwise)"},
		{"memif", 0, CLI_FLAG, &o->k.memif, NULL,
		 "two net_memif servers instead (" MEMIF_IN " in, " MEMIF_OUT " out) for tgen "
		 "--engine dpdk"},
		{"in-port", 0, CLI_STRING, &o->in_port, "DEVARGS",
		 "any DPDK device as the in-port (a PCI address, net_memif0,..., net_null0)"},
		{"out-port", 0, CLI_STRING, &o->out_port, "DEVARGS", "the same for the out-port"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[EAL args] -- [options]",
		"Forwards IPv4 frames from the in-port to the out-port with DPDK (rx/tx bursts, "
		"polling, frames stay in their mbufs), decrementing the TTL and rewriting the "
		"MACs; drops non-IPv4, bad headers and TTL <= 1, counted by reason, and counts TX "
		"failures. With no flags it serves the lr- topology ('linerate topo up'): "
		"net_af_packet on lr-d0 -> lr-d1 in lr-dut, next hop the sink lr-k1. EAL "
		"arguments go before '--' (huge pages when 128 or more are free, else --no-huge; "
		"--hugepages on|off decides). Runs until Ctrl-C or "
		"--duration, then reports rx, tx, drops, CPU use and cycles per packet. Needs "
		"root.",
		t.opts,
	};
	int ret;

	dpdk_prog_options(&o->k, 2, &t);
	CLI_OPTIONS_ADD(&t, own);
	fwd_cli_options(&o->f, FWD_CLI_MACS | FWD_CLI_BIDIR | FWD_CLI_RTE, &t);
	ret = dpdk_prog_parse(&prog, &t, argc, argv);
	if (ret)
		return ret;
	if (!o->in_port != !o->out_port || (o->k.memif && o->in_port)) {
		fprintf(stderr, "%s: give both --in-port and --out-port, or --memif, or neither\n",
			PROG);
		return LR_EXIT_USAGE;
	}
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

/* Works out the devargs of both ports and their namespace, after the EAL started: --memif,
 * --in-port/--out-port, the first two ports the EAL arguments made (as l2fwd takes them), or
 * the veth pair; returns 0 or an exit code. */
static int ports_resolve(struct dpdk_opts *o)
{
	o->k.eal_ports = !o->k.memif && !o->in_port && rte_eth_dev_count_avail() >= 2;
	if (o->k.eal_ports) {
		if (dpdk_prog_eal_port(0, o->in_args) || dpdk_prog_eal_port(1, o->out_args)) {
			pr_err("cannot name the ports the EAL arguments made");
			return LR_EXIT_ENV;
		}
	} else if (dpdk_prog_devargs(&o->k, 0, o->in_port, o->in_dev, MEMIF_IN, o->in_args) ||
		   dpdk_prog_devargs(&o->k, 1, o->out_port, o->out_dev, MEMIF_OUT, o->out_args)) {
		return LR_EXIT_USAGE;
	}
	return dpdk_prog_netns(&o->k, !o->k.memif && !o->in_port && !o->k.eal_ports);
}

/* The PMDs' own counters, for the note. */
static void pmd_counters(struct io_port *in, struct io_port *out, char *buf, size_t len)
{
	struct io_stats si = {0}, so = {0};

	in->ops->stats(in, &si);   /* best effort */
	out->ops->stats(out, &so); /* best effort */
	snprintf(buf, len, "PMD in: missed %llu, errors %llu; out: tx errors %llu",
		 (unsigned long long)si.rx_dropped, (unsigned long long)si.rx_errors,
		 (unsigned long long)so.tx_errors);
}

/* Forwards until the end and reports; returns the exit code. */
static int run(struct dpdk_opts *o, struct io_port *in, struct io_port *out)
{
	struct fwd_io_cfg iocfg = {
		.in = in,
		.out = out,
		.route = {o->f.route[0], o->f.route[1]},
		.bidir = o->f.bidir,
		.batch = (unsigned)o->f.batch,
		.free_any_thread = true, /* mempools are thread-safe */
	};
	struct fwd_io *fio = fwd_io_new(&iocfg);
	const char *ns = o->k.ns, *bidir = o->f.bidir ? " and back" : "";
	bool veth = !o->k.memif && !o->in_port && !o->k.eal_ports;
	struct fwd_run_cfg cfg;
	struct fwd_run_result res;
	struct fwd_path path;
	char desc[320], extra[96];
	int ret;

	if (!fio) {
		pr_err("cannot set up the data path: %s", strerror(errno));
		return LR_EXIT_FAIL;
	}
	fwd_io_path(fio, &path);
	fwd_opts_run_cfg(&o->f, &cfg);
	dpdk_prog_fwd_cfg(o->f.ring, &cfg);
	pr_info("forwarding %s -> %s%s (Ctrl-C stops)%s", in->name, out->name, bidir,
		o->k.memif ? "; waiting for memif clients on " MEMIF_IN " and " MEMIF_OUT : "");
	ret = fwd_run(&path, &cfg, &res);
	fwd_io_free(fio);
	if (ret)
		return LR_EXIT_FAIL;
	snprintf(desc, sizeof(desc), "%s -> %s%s%s%s, DPDK rx/tx bursts, %s", in->name, out->name,
		 bidir, ns ? " in " : "", ns ? ns : "",
		 res.polled ? "polling" : "sleeping on RX interrupts (rte_epoll_wait) when idle");
	pmd_counters(in, out, extra, sizeof(extra));
	return fwd_report(stdout, &o->f,
			  &(struct fwd_report_info){PROG, "dpdk", dpdk_prog_link(&o->k, veth, in),
						    desc, extra},
			  &res);
}

int main(int argc, char **argv)
{
	struct dpdk_opts o = {
		.in_dev = TOPO_IF_D0, .out_dev = TOPO_IF_D1, .k.pmd = DPDK_PMD_AF_PACKET};
	int end = dpdk_prog_split(argc, argv), ret;
	struct io_port *in = NULL, *out = NULL;

	log_set_prog(PROG);
	fwd_opts_init(&o.f);
	/* fwd-dpdk's own arguments come first: --hugepages decides the EAL's arguments */
	ret = parse(argc - end, argv + end, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = dpdk_prog_start(argc, argv, end, &o.f.hugepages, -1, o.in_port != NULL);
	if (ret)
		return ret;
	ret = ports_resolve(&o);
	in = ret ? NULL : dpdk_prog_open(&o.k, o.in_args);
	out = in ? dpdk_prog_open(&o.k, o.out_args) : NULL;
	if (out) {
		lr_stop_signals(); /* best effort: it warns */
		ret = run(&o, in, out);
	} else if (!ret) {
		ret = LR_EXIT_ENV;
	}
	io_close(out);
	io_close(in);
	dpdk_fini();
	return ret;
}
