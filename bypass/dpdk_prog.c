// SPDX-License-Identifier: MIT
/*
 * dpdk_prog.c: the pieces fwd-dpdk and echo-dpdk share around io_dpdk (dpdk_prog.h), each
 * written once: the option group, the EAL start, port resolution and opening, the link column,
 * and a forwarder's DPDK extras (rte_ring, lcore registration).
 */
#include "dpdk_prog.h"

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

#include "fwd_cli.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "topo_defs.h"

/* Left out of LeakSanitizer's report in sanitizer builds: closing an af_xdp port of DPDK
 * 22.11 leaves what libxdp's xsk_umem__create() allocated (a leak inside the PMD), and
 * io_dpdk leaves virtio_user ports open at exit on purpose (dpdk_fini: 22.11's teardown after
 * the vhost peer left panics), so the virtio PMD's own allocations are still held then. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xsk_umem__create\nleak:librte_net_virtio.so\n";
}

/* ---- command line ---- */

void dpdk_prog_options(struct dpdk_prog_knobs *k, unsigned nports, struct cli_options *t)
{
	const struct cli_option rows[] = {
		{"pmd", 0, CLI_ENUM, &k->pmd, NULL,
		 nports > 1 ? "driver of the veth ports" : "driver of the veth port",
		 dpdk_pmd_enum},
		{"rx-mode", 0, CLI_ENUM, &k->rx_mode, NULL,
		 "spin on rx bursts (poll), or sleep in rte_epoll_wait() until the PMD's RX "
		 "interrupt (interrupt: PMDs with RX interrupts, e.g. net_tap, virtio_user or a "
		 "NIC)",
		 dpdk_rx_mode_enum},
	};

	CLI_OPTIONS_ADD(t, rows);
}

int dpdk_prog_split(int argc, char **argv)
{
	int end = dpdk_eal_end(argc, argv);

	argv[end] = argv[0]; /* argv[argc] when every argument is EAL's */
	return end;
}

int dpdk_prog_parse(const struct cli_program *prog, struct cli_options *t, int argc, char **argv)
{
	dpdk_hugepages_option(t->opts);
	return cli_parse_options(prog, argc, argv,
				 "EAL arguments go before '--', the program's own after it");
}

/* ---- EAL ---- */

/* Returns true when an EAL argument starts with one of the n names. */
static bool eal_has(int argc, char **argv, const char *const *names, unsigned n)
{
	for (int i = 1; i < argc; i++)
		for (unsigned j = 0; j < n; j++)
			if (!strncmp(argv[i], names[j], strlen(names[j])))
				return true;
	return false;
}

/* Starts the EAL with argv[0..argc), adding "-l lcore" and "--no-pci" as dpdk_prog_start()
 * says; returns dpdk_init()'s result. */
static int eal_start(int argc, char **argv, bool hugepages, long lcore, bool pci, char *err,
		     size_t len)
{
	static const char *const cores[] = {"-l", "-c", "--lcores"};
	static const char *const pcis[] = {"-a", "--allow", "-b", "--block", "--no-pci"};
	static char no_pci[] = "--no-pci", dash_l[] = "-l";
	char *args[DPDK_EAL_ARGS_MAX + 1], cpu[24];
	int n = 0;

	if (argc + 3 > DPDK_EAL_ARGS_MAX) {
		snprintf(err, len, "too many EAL arguments (%d, at most %d)", argc - 1,
			 DPDK_EAL_ARGS_MAX - 4);
		return -E2BIG;
	}
	args[n++] = argv[0];
	if (lcore >= 0 && !eal_has(argc, argv, cores, ARRAY_SIZE(cores))) {
		snprintf(cpu, sizeof(cpu), "%ld", lcore);
		args[n++] = dash_l;
		args[n++] = cpu;
	}
	if (!pci && !eal_has(argc, argv, pcis, ARRAY_SIZE(pcis)))
		args[n++] = no_pci;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return dpdk_init(n, args, hugepages, err, len);
}

int dpdk_prog_start(int argc, char **argv, int end, bool *hugepages, long lcore, bool pci)
{
	bool auto_huge;
	char err[512];

	if (geteuid() != 0) {
		pr_err("DPDK needs root (huge pages, device access, namespaces): run as root");
		return LR_EXIT_NOPERM;
	}
	auto_huge = dpdk_hugepages_default(argc - end, argv + end, hugepages);
	if (eal_start(end ? end : 1, argv, *hugepages, lcore, pci, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		return LR_EXIT_ENV;
	}
	dpdk_hugepages_say(*hugepages, auto_huge);
	return 0;
}

/* ---- ports ---- */

/* A memif server (SOCK_SEQPACKET) or a virtio_user server (SOCK_STREAM) cannot bind a socket
 * file that is left over from a server that died. Removes
 * path when nobody accepts on it (best effort); returns -EADDRINUSE with a message when a live
 * server does. */
static int sock_stale(const char *path, int type)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return 0; /* the PMD will say what is wrong */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		pr_err("%s is served by another program (another DPDK program's --memif or "
		       "virtio_user server, or testpmd?): stop it first",
		       path);
		ret = -EADDRINUSE;
	} else if (errno == ECONNREFUSED) {
		unlink(path); /* best effort: a dead server's file */
	}
	close(fd);
	return ret;
}

/* A virtio_user port in server mode (server=1) binds its vhost-user socket (path=) as a memif
 * server does, and fails the same way on a dead server's file: the same check. */
static int vhost_server_stale(const char *devargs)
{
	char sock[108];

	if (!dpdk_devargs_vu_server(devargs, sock, sizeof(sock)))
		return 0;
	return sock_stale(sock, SOCK_STREAM); /* vhost-user is a stream socket */
}

int dpdk_prog_devargs(const struct dpdk_prog_knobs *k, unsigned idx, const char *devargs,
		      const char *dev, const char *sock, char *buf)
{
	int ret;

	if (k->memif) {
		if (sock_stale(sock, SOCK_SEQPACKET))
			return LR_EXIT_ENV;
		ret = dpdk_devargs_memif(buf, DPDK_PROG_DEVARGS_LEN, idx, true, sock);
	} else if (devargs) {
		if (vhost_server_stale(devargs))
			return LR_EXIT_ENV;
		ret = snprintf(buf, DPDK_PROG_DEVARGS_LEN, "%s", devargs) < DPDK_PROG_DEVARGS_LEN
			      ? 0
			      : -ENOSPC;
	} else {
		ret = dpdk_devargs_veth(buf, DPDK_PROG_DEVARGS_LEN, dpdk_pmd_name(k->pmd), idx,
					dev);
	}
	if (ret) {
		pr_err("bad port '%s' (an interface name of up to 15 characters, or devargs of up "
		       "to %d)",
		       k->memif  ? sock
		       : devargs ? devargs
				 : dev,
		       DPDK_PROG_DEVARGS_LEN - 1);
		return LR_EXIT_USAGE;
	}
	return 0;
}

int dpdk_prog_eal_port(unsigned idx, char *buf)
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
		snprintf(buf, DPDK_PROG_DEVARGS_LEN, "%s", name);
		return 0;
	}
	return -ENODEV;
}

int dpdk_prog_netns(struct dpdk_prog_knobs *k, bool veth)
{
	k->ns = k->netns && k->netns[0] ? k->netns : NULL;
	if (veth && !k->netns)
		k->ns = TOPO_NS_DUT;
	if (k->ns && !netns_exists(k->ns)) {
		pr_err("no network namespace %s (run 'linerate topo up' first, or give --netns)",
		       k->ns);
		return LR_EXIT_ENV;
	}
	return 0;
}

struct io_port *dpdk_prog_open(const struct dpdk_prog_knobs *k, const char *devargs)
{
	struct dpdk_port_cfg cfg = {
		.devargs = devargs, .netns = k->ns, .rx_intr = k->rx_mode == DPDK_RX_INTERRUPT};
	char err[512];
	struct io_port *p = dpdk_port_open(&cfg, err, sizeof(err));

	if (!p)
		pr_err("%s", err);
	return p;
}

const char *dpdk_prog_link(const struct dpdk_prog_knobs *k, bool veth, const struct io_port *p)
{
	static const char *const kinds[] = {"memif", "null", "ring", "af_packet", "af_xdp"};

	if (k->memif)
		return "memif";
	if (veth)
		return "veth";
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strncmp(p->name, "net_", 4) &&
		    !strncmp(p->name + 4, kinds[i], strlen(kinds[i])))
			return i >= 3 ? "veth" : kinds[i];
	return p->name;
}

/* ---- a forwarder's DPDK extras ---- */

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

void dpdk_prog_fwd_cfg(int ring, struct fwd_run_cfg *cfg)
{
	if (ring == FWD_RING_RTE)
		cfg->ring = &ring_rte;
	cfg->thread_init = thread_init;
	cfg->thread_fini = thread_fini;
}
