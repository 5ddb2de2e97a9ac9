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
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "cli.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "topo_defs.h"

#define PROG         "fwd-dpdk"
#define MEMIF_IN     TOPO_STATE_DIR "/lr-fwd-in.sock"
#define MEMIF_OUT    TOPO_STATE_DIR "/lr-fwd-out.sock"
#define DEVARGS_LEN  256
#define MEMIF_WAIT   10000 /* ms a memif server waits for its generator to connect */
#define MAX_EAL_ARGS 64

struct dpdk_opts {
	const char *in_dev, *out_dev, *netns, *in_port, *out_port;
	int pmd, rx_mode;
	bool memif, eal_ports;
	struct fwd_opts f;
	char in_args[DEVARGS_LEN], out_args[DEVARGS_LEN];
	const char *ns; /* the namespace the ports are probed in, or NULL */
};

/* Closing an af_xdp port of DPDK 22.11 leaves what libxdp's xsk_umem__create() allocated: a
 * leak inside the PMD, left out of LeakSanitizer's report in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xsk_umem__create\n";
}

/* ---- rte_ring as a pipeline ring ---- */

static void *rte_create(unsigned size)
{
	static unsigned seq;
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "lr-fwd-%u", seq++);
	r = rte_ring_create(name, size, (int)rte_socket_id(),
			    RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (!r)
		errno = rte_errno;
	return r;
}

static void rte_destroy(void *r)
{
	rte_ring_free(r);
}

static unsigned rte_enq(void *r, void *const *objs, unsigned n)
{
	return rte_ring_enqueue_burst(r, objs, n, NULL);
}

static unsigned rte_deq(void *r, void **objs, unsigned n)
{
	return rte_ring_dequeue_burst(r, objs, n, NULL);
}

static const struct fwd_ring_ops ring_rte = {
	.name = "rte",
	.create = rte_create,
	.destroy = rte_destroy,
	.enqueue = rte_enq,
	.dequeue = rte_deq,
	.dequeue_sleep = NULL, /* rte_ring cannot sleep */
};

/* The loop threads get an lcore id, so the mempools give them a per-thread cache. */
static void thread_init(void *arg)
{
	(void)arg;
	if (rte_thread_register() < 0)
		pr_warn("cannot register a loop thread with DPDK (%s): mbuf frees skip the "
			"mempool cache",
			rte_strerror(rte_errno));
}

static void thread_fini(void *arg)
{
	(void)arg;
	rte_thread_unregister();
}

/* ---- command line ---- */

/* Parses fwd-dpdk's own arguments (argv[0] is the program); returns 0, -1 after --help, or an
 * exit code. */
static int parse(int argc, char **argv, struct dpdk_opts *o)
{
	struct cli_option tbl[10 + FWD_CLI_MAX + 1] = {
		{"pmd", 0, CLI_ENUM, &o->pmd, NULL, "driver of the veth ports", dpdk_pmd_enum},
		{"rx-mode", 0, CLI_ENUM, &o->rx_mode, NULL,
		 "spin on rx bursts (poll), or sleep in rte_epoll_wait() until the PMD's RX "
		 "interrupt (interrupt: PMDs with RX interrupts, e.g. net_tap or a NIC)",
		 dpdk_rx_mode_enum},
		{"in", 0, CLI_STRING, &o->in_dev, "DEV", "veth frames come in on"},
		{"out", 0, CLI_STRING, &o->out_dev, "DEV", "veth frames leave on"},
		{"netns", 0, CLI_STRING, &o->netns, "NS",
		 "namespace the ports are probed in (default: lr-dut for the veth ports, none "
		 "otherwise)"},
		{"memif", 0, CLI_FLAG, &o->memif, NULL,
		 "two net_memif servers instead (" MEMIF_IN " in, " MEMIF_OUT " out) for tgen "
		 "--engine dpdk"},
		{"in-port", 0, CLI_STRING, &o->in_port, "DEVARGS",
		 "any DPDK device as the in-port (a PCI address, net_memif0,..., net_null0)"},
		{"out-port", 0, CLI_STRING, &o->out_port, "DEVARGS", "the same for the out-port"},
	};
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
		tbl,
	};
	unsigned n = 8;
	int ret;

	n += fwd_cli_options(&o->f, FWD_CLI_MACS | FWD_CLI_BIDIR | FWD_CLI_RTE, tbl + n);
	tbl[n] = (struct cli_option){NULL};
	dpdk_hugepages_option(tbl);
	ret = cli_parse_options(&prog, argc, argv,
				"EAL arguments go before '--', the program's own after it");
	if (ret)
		return ret;
	if (!o->in_port != !o->out_port || (o->memif && o->in_port)) {
		fprintf(stderr, "%s: give both --in-port and --out-port, or --memif, or neither\n",
			PROG);
		return LR_EXIT_USAGE;
	}
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

/* Writes the name of the idx-th port the EAL made into buf; returns 0 or -ENODEV. */
static int eal_port_name(unsigned idx, char *buf)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	unsigned i = 0;
	uint16_t id;

	RTE_ETH_FOREACH_DEV(id)
	{
		if (i++ != idx)
			continue;
		if (rte_eth_dev_get_name_by_port(id, name))
			return -ENODEV;
		snprintf(buf, DEVARGS_LEN, "%s", name);
		return 0;
	}
	return -ENODEV;
}

/* A memif server cannot bind a socket file that is left over from a server that died. Removes
 * path when nobody accepts on it (best effort); returns -EADDRINUSE with a message when a live
 * server does. */
static int memif_stale(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return 0; /* the PMD will say what is wrong */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		pr_err("%s is served by another program (another fwd-dpdk --memif, or testpmd?): "
		       "stop it first",
		       path);
		ret = -EADDRINUSE;
	} else if (errno == ECONNREFUSED) {
		unlink(path); /* best effort: a dead server's file */
	}
	close(fd);
	return ret;
}

/* Works out the devargs of both ports and their namespace, after the EAL started: --memif,
 * --in-port/--out-port, the first two ports the EAL arguments made, or the veth pair;
 * returns 0 or an exit code. */
static int ports_resolve(struct dpdk_opts *o)
{
	const char *pmd = dpdk_pmd_name(o->pmd);
	int ret;

	o->ns = o->netns && o->netns[0] ? o->netns : NULL;
	if (o->memif) {
		if (memif_stale(MEMIF_IN) || memif_stale(MEMIF_OUT))
			return LR_EXIT_ENV;
		ret = dpdk_devargs_memif(o->in_args, DEVARGS_LEN, 0, true, MEMIF_IN);
		if (!ret)
			ret = dpdk_devargs_memif(o->out_args, DEVARGS_LEN, 1, true, MEMIF_OUT);
	} else if (!o->in_port && rte_eth_dev_count_avail() >= 2) {
		/* the EAL arguments made the ports (--vdev, -a): the first two, as l2fwd does */
		o->eal_ports = true;
		ret = eal_port_name(0, o->in_args) || eal_port_name(1, o->out_args) ? -EINVAL : 0;
	} else if (o->in_port) {
		snprintf(o->in_args, DEVARGS_LEN, "%s", o->in_port);
		snprintf(o->out_args, DEVARGS_LEN, "%s", o->out_port);
		ret = 0;
	} else {
		o->ns = o->netns ? o->ns : TOPO_NS_DUT;
		ret = dpdk_devargs_veth(o->in_args, DEVARGS_LEN, pmd, 0, o->in_dev);
		if (!ret)
			ret = dpdk_devargs_veth(o->out_args, DEVARGS_LEN, pmd, 1, o->out_dev);
	}
	if (ret) {
		pr_err("bad port names '%s' / '%s' (interface names of up to 15 characters)",
		       o->in_dev, o->out_dev);
		return LR_EXIT_USAGE;
	}
	if (o->ns && !netns_exists(o->ns)) {
		pr_err("no network namespace %s (run 'linerate topo up' first, or give --netns)",
		       o->ns);
		return LR_EXIT_ENV;
	}
	return 0;
}

/* ---- run ---- */

static struct io_port *port_open(const struct dpdk_opts *o, const char *devargs)
{
	struct dpdk_port_cfg cfg = {
		.devargs = devargs, .netns = o->ns, .rx_intr = o->rx_mode == DPDK_RX_INTERRUPT};
	char err[512];
	struct io_port *p = dpdk_port_open(&cfg, err, sizeof(err));

	if (!p)
		pr_err("%s", err);
	return p;
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

/* The link column of the results: veth, memif, null, ring, or the port's name. */
static const char *link_kind(const struct dpdk_opts *o, const struct io_port *in)
{
	static const char *const kinds[] = {"memif", "null", "ring", "af_packet", "af_xdp"};

	if (o->memif)
		return "memif";
	if (!o->in_port && !o->eal_ports)
		return "veth";
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strncmp(in->name + 4, kinds[i], strlen(kinds[i])) &&
		    !strncmp(in->name, "net_", 4))
			return i >= 3 ? "veth" : kinds[i];
	return in->name;
}

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
	if (o->f.ring == FWD_RING_RTE)
		cfg.ring = &ring_rte;
	cfg.thread_init = thread_init;
	cfg.thread_fini = thread_fini;
	pr_info("forwarding %s -> %s%s (Ctrl-C stops)%s", in->name, out->name,
		o->f.bidir ? " and back" : "",
		o->memif ? "; waiting for memif clients on " MEMIF_IN " and " MEMIF_OUT : "");
	ret = fwd_run(&path, &cfg, &res);
	fwd_io_free(fio);
	if (ret)
		return LR_EXIT_FAIL;
	snprintf(desc, sizeof(desc), "%s -> %s%s%s%s, DPDK rx/tx bursts, %s", in->name, out->name,
		 o->f.bidir ? " and back" : "", o->ns ? " in " : "", o->ns ? o->ns : "",
		 res.polled ? "polling" : "sleeping on RX interrupts (rte_epoll_wait) when idle");
	pmd_counters(in, out, extra, sizeof(extra));
	return fwd_report(stdout, &o->f,
			  &(struct fwd_report_info){PROG, "dpdk", link_kind(o, in), desc, extra},
			  &res);
}

/* Returns true when an EAL argument selects or excludes PCI devices. */
static bool eal_pci_args(int argc, char **argv)
{
	static const char *const pci[] = {"-a", "--allow", "-b", "--block", "--no-pci"};

	for (int i = 1; i < argc; i++)
		for (unsigned j = 0; j < ARRAY_SIZE(pci); j++)
			if (!strncmp(argv[i], pci[j], strlen(pci[j])))
				return true;
	return false;
}

/* Starts the EAL. Without --in-port/--out-port nothing here needs a PCI device, so unless
 * the EAL arguments speak of PCI, --no-pci keeps DPDK away from the machine's own NICs.
 * Returns dpdk_init()'s result. */
static int eal_start(const struct dpdk_opts *o, int argc, char **argv, char *err, size_t len)
{
	static char no_pci[] = "--no-pci";
	char *args[MAX_EAL_ARGS + 2];
	int n = 0;

	if (o->in_port || eal_pci_args(argc, argv))
		return dpdk_init(argc, argv, o->f.hugepages, err, len);
	if (argc > MAX_EAL_ARGS) {
		snprintf(err, len, "too many EAL arguments (%d, at most %d)", argc - 1,
			 MAX_EAL_ARGS - 1);
		return -E2BIG;
	}
	args[n++] = argv[0];
	args[n++] = no_pci;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return dpdk_init(n, args, o->f.hugepages, err, len);
}

int main(int argc, char **argv)
{
	struct dpdk_opts o = {
		.in_dev = TOPO_IF_D0, .out_dev = TOPO_IF_D1, .pmd = DPDK_PMD_AF_PACKET};
	int end = dpdk_eal_end(argc, argv), ret;
	struct io_port *in = NULL, *out = NULL;
	bool auto_huge;
	char err[512];

	log_set_prog(PROG);
	fwd_opts_init(&o.f);
	/* fwd-dpdk's own arguments come first: --hugepages decides the EAL's arguments */
	argv[end] = argv[0];
	ret = parse(argc - end, argv + end, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	if (geteuid() != 0) {
		pr_err("DPDK needs root (huge pages, device access, namespaces): run as root");
		return LR_EXIT_NOPERM;
	}
	auto_huge = dpdk_hugepages_default(argc - end, argv + end, &o.f.hugepages);
	ret = eal_start(&o, end ? end : 1, argv, err, sizeof(err));
	if (ret < 0) {
		pr_err("%s", err);
		return LR_EXIT_ENV;
	}
	dpdk_hugepages_say(o.f.hugepages, auto_huge);
	ret = ports_resolve(&o);
	if (ret) {
		dpdk_fini();
		return ret;
	}
	in = port_open(&o, o.in_args);
	out = in ? port_open(&o, o.out_args) : NULL;
	if (out) {
		if (fwd_signals_install())
			pr_warn("cannot catch SIGINT/SIGTERM: Ctrl-C ends without a report");
		ret = run(&o, in, out);
	} else {
		ret = LR_EXIT_ENV;
	}
	io_close(out);
	io_close(in);
	dpdk_fini();
	return ret;
}
