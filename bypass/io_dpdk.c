// SPDX-License-Identifier: MIT
/*
 * io_dpdk.c: the DPDK backend of io.h. A port is one ethdev with one RX and one TX queue and
 * its own mbuf pool; an io_buf's handle is its rte_mbuf, so a frame received here and sent
 * on any DPDK port is never copied (only data_off and the lengths are rewritten from the
 * io_buf, since the workload may move or resize the frame). Only a buffer of another backend
 * is copied into a fresh mbuf, and the original is returned to its owner once sent.
 *
 * Devices living in a network namespace (net_af_packet, net_af_xdp on a veth) are probed and
 * controlled with the calling thread moved into that namespace: their sockets, XDP program
 * and interface ioctls then refer to the namespace's interface, while the data path (which
 * only uses the sockets) runs from any namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "cli.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "mem.h"
#include "netns.h"

#define EAL_DEFAULTS  7    /* the most arguments eal_args() adds */
#define POOL_DEF_SIZE 8191 /* 2^n - 1 suits the pool's ring */
#define POOL_CACHE    256
#define LINK_WAIT_MS  300

struct dpdk_port {
	struct io_port base; /* first, so an io_port * of ours is a dpdk_port * */
	uint16_t port_id;
	uint16_t queue;
	bool probed;              /* we probed the device, so closing it also removes it */
	char netns[NAME_MAX + 1]; /* namespace the device is controlled in, or "" */
	struct rte_mempool *pool;
	struct rte_device *dev;
	uint64_t rx_seg_drops; /* chained frames that could not be made one segment */
	bool memif;            /* bursts run under the peer-disconnect guard */
	uint64_t peer_faults;  /* bursts cut short because the memif peer left mid-burst */
	/* a burst faulted with the peer still connected: its descriptors point outside the
	 * memory it shared; the port moves nothing until that peer leaves (peer_fault()) */
	bool peer_broken;
	uint64_t broken_faults; /* such faults (each one burst, lost) */
	/* tests only (LR_TEST_MEMIF_TX_FAULT=PORT:N): PORT's TX bursts from the N-th on fault
	 * inside the guard, as bursts to a bad zero-copy client do; 0: off */
	uint64_t test_tx_fault;
	/* RX interrupt mode (dpdk_port_cfg.rx_intr): the queue's event is in the epoll set of
	 * the thread that first slept on it (intr_added); frames found while arming the
	 * interrupt wait in stash for the next rx_burst. */
	bool rx_intr, intr_added, intr_armed_by_pmd;
	bool virtio_user;  /* left open at close (vu_left_open), its server socket removed */
	char vu_sock[108]; /* a virtio_user server's socket (path=), "" otherwise */
	unsigned stash_n, stash_next;
	struct rte_mbuf *stash[IO_BURST_MAX];
};

static const struct io_ops dpdk_ops;
static int guard_install(void);
static uint64_t test_fault_of(const char *port);

static inline unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static inline unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static inline struct dpdk_port *to_dpdk(struct io_port *p)
{
	return (struct dpdk_port *)p;
}

/* ---- EAL ---------------------------------------------------------------------------------- */

/* Returns true when an EAL argument before "--" starts with one of the prefixes. */
static bool has_arg(int argc, char **argv, const char *const *prefixes, unsigned n)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		for (unsigned j = 0; j < n; j++)
			if (strncmp(argv[i], prefixes[j], strlen(prefixes[j])) == 0)
				return true;
	return false;
}

/* Builds the argument vector given to rte_eal_init: argv[0], our defaults, then the caller's
 * arguments; returns the number of defaults added or -E2BIG. */
static int eal_args(int argc, char **argv, bool hugepages, char **out, int *outc)
{
	static const char *const nohuge[] = {"--no-huge"};
	static const char *const mem[] = {"-m", "--socket-mem"};
	static const char *const shared[] = {"--in-memory", "--no-shconf", "--file-prefix",
					     "--proc-type"};
	static const char *const telemetry[] = {"--telemetry", "--no-telemetry"};
	static const char *const log[] = {"--log-level"};
	static char def_mem[] = "-m", def_mem_mb[16], def_nohuge[] = "--no-huge";
	static char def_inmem[] = "--in-memory", def_noshconf[] = "--no-shconf";
	static char def_notel[] = "--no-telemetry", def_log[] = "--log-level=error";
	static char def_prog[] = "linerate";
	bool user_nohuge = has_arg(argc, argv, nohuge, ARRAY_SIZE(nohuge));
	int n = 0;

	if (argc > DPDK_EAL_ARGS_MAX)
		return -E2BIG;
	out[n++] = argc > 0 ? argv[0] : def_prog;
	if (!hugepages && !user_nohuge) {
		out[n++] = def_nohuge;
		if (!has_arg(argc, argv, mem, ARRAY_SIZE(mem))) {
			snprintf(def_mem_mb, sizeof(def_mem_mb), "%d", DPDK_DEF_MEM_MB);
			out[n++] = def_mem;
			out[n++] = def_mem_mb;
		}
	}
	/* no shared files, so several primaries can run at once (--in-memory needs huge pages) */
	if (!has_arg(argc, argv, shared, ARRAY_SIZE(shared)))
		out[n++] = hugepages && !user_nohuge ? def_inmem : def_noshconf;
	/* the telemetry socket path is shared by all processes of one prefix */
	if (!has_arg(argc, argv, telemetry, ARRAY_SIZE(telemetry)))
		out[n++] = def_notel;
	if (!has_arg(argc, argv, log, ARRAY_SIZE(log)))
		out[n++] = def_log;
	int added = n - 1;
	for (int i = 1; i < argc; i++)
		out[n++] = argv[i];
	out[n] = NULL;
	*outc = n;
	return added;
}

/* Returns 0 when huge pages are wanted and some are free, or -ENOMEM with the hint in err. */
static int huge_check(int argc, char **argv, bool hugepages, char *err, size_t errlen)
{
	static const char *const nohuge[] = {"--no-huge"};
	struct mem_huge_info info;

	if (!hugepages || has_arg(argc, argv, nohuge, ARRAY_SIZE(nohuge)))
		return 0;
	if (mem_huge_info(&info) == 0 && info.free == 0) {
		snprintf(
			err, errlen,
			"DPDK: no free huge pages (reserve with 'linerate topo up --hugepages 512' "
			"or use --hugepages off)");
		return -ENOMEM;
	}
	return 0;
}

/* Opens /dev/null on whichever of descriptors 0..2 is closed. DPDK's memif PMD takes a
 * descriptor of 0 for "none" (it tests fd > 0), so a program started with stdin closed got its
 * memif listening socket as descriptor 0 and never accepted its peer. */
static void std_fds_open(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR);
	while (fd >= 0 && fd < 3);
	if (fd >= 3)
		close(fd);
}

int dpdk_init(int argc, char **argv, bool hugepages, char *err, size_t errlen)
{
	char *args[DPDK_EAL_ARGS_MAX + EAL_DEFAULTS + 1];
	int nargs, added, ret;

	std_fds_open();
	/* vhost-user and memif talk to their peer over a unix socket: a message to a peer that
	 * left (virtio_user stopping its device after tgen exited) raised SIGPIPE, which killed
	 * fwd-dpdk after its report (exit 141); the PMDs handle EPIPE themselves */
	signal(SIGPIPE, SIG_IGN);

	ret = huge_check(argc, argv, hugepages, err, errlen);
	if (ret)
		return ret;
	added = eal_args(argc, argv, hugepages, args, &nargs);
	if (added < 0) {
		snprintf(err, errlen, "DPDK: too many EAL arguments (%d, at most %d)", argc - 1,
			 DPDK_EAL_ARGS_MAX - 1);
		return added;
	}
	ret = rte_eal_init(nargs, args);
	if (ret < 0) {
		int e = rte_errno ? rte_errno : EINVAL;

		if (e == EALREADY)
			snprintf(err, errlen,
				 "DPDK: the EAL is already initialised in this process "
				 "(call dpdk_init once)");
		else
			snprintf(err, errlen,
				 "DPDK: EAL initialisation failed: %s (see the EAL messages above; "
				 "DPDK needs root, and huge pages unless --hugepages off; EAL "
				 "arguments come first, the program's own after '--')",
				 rte_strerror(e));
		return -e;
	}
	return ret - added;
}

/* DPDK 22.11's virtio_user, stopped after its vhost peer left, races the EAL interrupt thread,
 * which re-adds the server's listening descriptor as it is closed: "PANIC in
 * eal_intr_thread_main(): Error adding fd 8 epoll_ctl, Bad file descriptor", an abort after
 * the report in about 1 run in 3 (it_vhost). A virtio_user port is therefore left open at
 * close, its server socket file removed by hand, and the EAL not cleaned up: the process's
 * exit releases all of it at once (the EAL runs --in-memory: nothing outlives it). */
static bool vu_left_open;

void dpdk_fini(void)
{
	if (!vu_left_open)
		rte_eal_cleanup(); /* best effort */
}

/* ---- network namespaces ------------------------------------------------------------------- */

/* Moves the calling thread into the port's namespace (none: stays); returns 0 or -errno. */
static int port_enter(const struct dpdk_port *dp, int *saved)
{
	return netns_enter(dp->netns, saved);
}

/* Brings the calling thread back from the port's namespace. */
static void port_leave(const struct dpdk_port *dp, int saved)
{
	if (netns_leave(saved))
		pr_err("DPDK: port %s: cannot leave network namespace %s: this thread stays in it",
		       dp->base.name, dp->netns);
}

/* ---- opening a port ----------------------------------------------------------------------- */

/* Finds the port of a device just probed: by name, else the first port that was not valid
 * before (a PCI device's port name is its normalised address). Returns the id or -ENODEV. */
static int port_find(const char *name, const bool *before)
{
	uint16_t id;

	if (rte_eth_dev_get_port_by_name(name, &id) == 0)
		return id;
	RTE_ETH_FOREACH_DEV(id)
	{
		if (!before[id])
			return id;
	}
	return -ENODEV;
}

/* Probes cfg->devargs (or finds the existing port of that name) inside the port's namespace;
 * returns 0 or -errno with a message. */
static int port_probe(struct dpdk_port *dp, const struct dpdk_port_cfg *cfg, char *err,
		      size_t errlen)
{
	bool before[RTE_MAX_ETHPORTS];
	char name[RTE_DEV_NAME_MAX_LEN];
	uint16_t id;
	int ret;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(cfg->devargs, ","), cfg->devargs);
	if (!strchr(cfg->devargs, ',') && rte_eth_dev_get_port_by_name(name, &id) == 0) {
		dp->port_id = id;
		return 0;
	}
	for (unsigned i = 0; i < RTE_MAX_ETHPORTS; i++)
		before[i] = rte_eth_dev_is_valid_port(i);
	ret = rte_dev_probe(cfg->devargs);
	if (ret < 0) {
		snprintf(err, errlen,
			 "DPDK: cannot probe device '%s': %s (check the driver name and its "
			 "options, e.g. net_af_packet0,iface=lr-d0, and the EAL messages above)",
			 cfg->devargs, rte_strerror(-ret));
		return ret;
	}
	ret = port_find(name, before);
	if (ret < 0) {
		snprintf(err, errlen, "DPDK: device '%s' was probed but made no ethdev port",
			 cfg->devargs);
		return ret;
	}
	dp->port_id = (uint16_t)ret;
	dp->probed = true;
	return 0;
}

/* Creates the port's mbuf pool, large enough for cfg's frames and rings; returns 0 or
 * -errno with a message. */
static int pool_create(struct dpdk_port *dp, const struct dpdk_port_cfg *cfg, unsigned nb_rxd,
		       unsigned nb_txd, char *err, size_t errlen)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned n = cfg->pool_size;
	uint32_t room = max_u(RTE_MBUF_DEFAULT_DATAROOM, dp->base.max_frame);
	int socket = rte_eth_dev_socket_id(dp->port_id);

	if (!n)
		n = max_u(POOL_DEF_SIZE, nb_rxd + nb_txd + 4 * IO_BURST_MAX);
	snprintf(name, sizeof(name), "lr-pool-%u", dp->port_id);
	dp->pool = rte_pktmbuf_pool_create(name, n, min_u(POOL_CACHE, n / 4), 0,
					   (uint16_t)(RTE_PKTMBUF_HEADROOM + room),
					   socket < 0 ? (int)rte_socket_id() : socket);
	if (!dp->pool) {
		snprintf(err, errlen,
			 "DPDK: port %s: cannot create a pool of %u mbufs: %s (reserve more huge "
			 "pages, raise -m, or lower the pool size)",
			 dp->base.name, n, rte_strerror(rte_errno));
		return -(rte_errno ? rte_errno : ENOMEM);
	}
	return 0;
}

/* Fills conf for frames of up to max_frame bytes; returns 0 or -EINVAL with a message. */
static int port_conf(struct dpdk_port *dp, const struct rte_eth_dev_info *info,
		     struct rte_eth_conf *conf, char *err, size_t errlen)
{
	uint32_t max_frame = dp->base.max_frame;

	memset(conf, 0, sizeof(*conf));
	conf->intr_conf.rxq = dp->rx_intr;
	if (max_frame <= RTE_ETHER_MAX_LEN)
		return 0;
	conf->rxmode.mtu = max_frame - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN;
	if (conf->rxmode.mtu > info->max_mtu) {
		snprintf(err, errlen,
			 "DPDK: port %s: frames of %u bytes need an MTU of %u, the device allows "
			 "%u (lower --size)",
			 dp->base.name, max_frame, conf->rxmode.mtu, info->max_mtu);
		return -EINVAL;
	}
	return 0;
}

/* RX interrupt mode: checks that queue 0 has an event descriptor to sleep on, and whether the
 * PMD arms and disarms it (rx_queue_intr_enable). Without that op (-ENOTSUP: net_tap, whose
 * descriptor is the queue's own file and is readable whenever frames wait) the descriptor
 * alone is enough. Returns 0 or -errno with a message. */
static int intr_check(struct dpdk_port *dp, const struct rte_eth_dev_info *info, char *err,
		      size_t errlen)
{
	int fd = rte_eth_dev_rx_intr_ctl_q_get_fd(dp->port_id, 0);
	int ret = fd < 0 ? -ENOTSUP : rte_eth_dev_rx_intr_enable(dp->port_id, 0);

	if (!ret)
		ret = rte_eth_dev_rx_intr_disable(dp->port_id, 0);
	dp->intr_armed_by_pmd = ret == 0;
	if (ret == -ENOTSUP && fd >= 0)
		ret = 0;
	if (ret)
		snprintf(err, errlen,
			 "DPDK: port %s: driver %s has no RX interrupts (%s; in DPDK 22.11 "
			 "net_af_packet, net_af_xdp and net_memif have none; net_tap, "
			 "net_virtio_user and most NIC drivers have them); use --rx-mode poll",
			 dp->base.name, info->driver_name ? info->driver_name : "?",
			 rte_strerror(-ret));
	return ret;
}

/* Configures one RX and one TX queue on a fresh pool and starts the port; returns 0 or -errno
 * with a message. Runs inside the port's namespace. */
static int port_start(struct dpdk_port *dp, const struct dpdk_port_cfg *cfg, char *err,
		      size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nb_rxd = cfg->nb_rxd ? cfg->nb_rxd : DPDK_DEF_NB_DESC;
	uint16_t nb_txd = cfg->nb_txd ? cfg->nb_txd : DPDK_DEF_NB_DESC;
	const char *step;
	int ret, socket = rte_eth_dev_socket_id(dp->port_id);

	step = "read the device information";
	ret = rte_eth_dev_info_get(dp->port_id, &info);
	if (ret)
		goto err;
	dp->dev = info.device;
	dp->memif = info.driver_name && strcmp(info.driver_name, "net_memif") == 0;
	dp->virtio_user = info.driver_name && strcmp(info.driver_name, "net_virtio_user") == 0;
	if (!dp->virtio_user ||
	    !dpdk_devargs_vu_server(cfg->devargs, dp->vu_sock, sizeof(dp->vu_sock)))
		dp->vu_sock[0] = '\0';
	step = "install the memif peer-disconnect guard (sigaction)";
	if (dp->memif && (ret = guard_install()) != 0)
		goto err;
	if (dp->memif)
		dp->test_tx_fault = test_fault_of(dp->base.name);
	ret = port_conf(dp, &info, &conf, err, errlen);
	if (ret)
		return ret;
	step = "configure one RX and one TX queue";
	ret = rte_eth_dev_configure(dp->port_id, 1, 1, &conf);
	if (!ret)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(dp->port_id, &nb_rxd, &nb_txd);
	if (ret)
		goto err;
	ret = pool_create(dp, cfg, nb_rxd, nb_txd, err, errlen);
	if (ret)
		return ret;
	if (socket < 0)
		socket = (int)rte_socket_id();
	step = "set up the RX queue";
	ret = rte_eth_rx_queue_setup(dp->port_id, 0, nb_rxd, socket, NULL, dp->pool);
	if (ret)
		goto err;
	step = "set up the TX queue";
	ret = rte_eth_tx_queue_setup(dp->port_id, 0, nb_txd, socket, NULL);
	if (ret)
		goto err;
	step = "start";
	ret = rte_eth_dev_start(dp->port_id);
	if (ret)
		goto err;
	rte_eth_promiscuous_enable(dp->port_id); /* best effort: not every PMD has it */
	ret = dp->rx_intr ? intr_check(dp, &info, err, errlen) : 0;
	if (ret)
		rte_eth_dev_stop(dp->port_id); /* best effort: started, so teardown can close it */
	return ret;
err:
	snprintf(err, errlen, "DPDK: port %s: cannot %s: %s (see the PMD's messages above)",
		 dp->base.name, step, rte_strerror(-ret));
	return ret;
}

/* Undoes port_start() and port_probe(): stops, closes and removes what was set up. Runs inside
 * the port's namespace. */
static void port_teardown(struct dpdk_port *dp, bool started)
{
	if (started)
		rte_eth_dev_stop(dp->port_id); /* best effort */
	if (dp->probed) {
		rte_eth_dev_close(dp->port_id); /* best effort */
		if (dp->dev)
			rte_dev_remove(dp->dev); /* best effort */
	}
}

/* Waits up to timeout_ms for the link; the caller is in the port's namespace. */
static bool link_wait(uint16_t port_id, unsigned timeout_ms)
{
	const struct timespec step = {.tv_nsec = 10 * 1000 * 1000};
	struct rte_eth_link link;

	for (unsigned waited = 0;; waited += 10) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port_id, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return true;
		if (waited >= timeout_ms)
			return false;
		nanosleep(&step, NULL);
	}
}

/* Checks cfg and fills the parts of dp that do not need DPDK; returns 0 or -errno. */
static int port_prepare(struct dpdk_port *dp, const struct dpdk_port_cfg *cfg, char *err,
			size_t errlen)
{
	if (!cfg || !cfg->devargs || !cfg->devargs[0]) {
		snprintf(err, errlen, "DPDK: no device given (devargs such as net_null0)");
		return -EINVAL;
	}
	if (cfg->queue != 0) {
		snprintf(err, errlen, "DPDK: port %s: queue %u asked, only queue 0 is supported",
			 cfg->devargs, cfg->queue);
		return -EINVAL;
	}
	if (cfg->max_frame > UINT16_MAX - RTE_PKTMBUF_HEADROOM) {
		snprintf(err, errlen,
			 "DPDK: port %s: frames of %u bytes do not fit an mbuf (at most %u)",
			 cfg->devargs, cfg->max_frame, UINT16_MAX - RTE_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	if (rte_eal_process_type() == RTE_PROC_INVALID) {
		snprintf(err, errlen, "DPDK: port %s: the EAL is not initialised (call dpdk_init)",
			 cfg->devargs);
		return -EINVAL;
	}
	dp->base.ops = &dpdk_ops;
	dp->base.fd = -1;
	dp->rx_intr = cfg->rx_intr;
	dp->base.max_frame = cfg->max_frame ? cfg->max_frame : DPDK_DEF_MAX_FRAME;
	snprintf(dp->base.name, sizeof(dp->base.name), "%.*s", (int)strcspn(cfg->devargs, ","),
		 cfg->devargs);
	if (cfg->netns && cfg->netns[0]) {
		if (strlen(cfg->netns) >= sizeof(dp->netns) || !netns_exists(cfg->netns)) {
			snprintf(err, errlen,
				 "DPDK: port %s: no network namespace %s (" NETNS_RUN_DIR
				 "/%s is missing; create it first, e.g. with 'linerate topo up')",
				 dp->base.name, cfg->netns, cfg->netns);
			return -ENOENT;
		}
		snprintf(dp->netns, sizeof(dp->netns), "%s", cfg->netns);
	}
	return 0;
}

struct io_port *dpdk_port_open(const struct dpdk_port_cfg *cfg, char *err, size_t errlen)
{
	struct dpdk_port *dp = calloc(1, sizeof(*dp));
	char name[RTE_ETH_NAME_MAX_LEN];
	int saved, ret;

	if (!dp) {
		snprintf(err, errlen, "DPDK: out of memory for a port");
		return NULL;
	}
	if (port_prepare(dp, cfg, err, errlen))
		goto err_free;
	ret = port_enter(dp, &saved);
	if (ret) {
		snprintf(err, errlen,
			 "DPDK: port %s: cannot enter network namespace %s: %s (run as root)",
			 dp->base.name, dp->netns, strerror(-ret));
		goto err_free;
	}
	ret = port_probe(dp, cfg, err, errlen);
	if (ret)
		goto err_leave;
	if (rte_eth_dev_get_name_by_port(dp->port_id, name) == 0)
		snprintf(dp->base.name, sizeof(dp->base.name), "%.*s",
			 (int)sizeof(dp->base.name) - 1, name);
	ret = port_start(dp, cfg, err, errlen);
	if (ret)
		goto err_teardown;
	/* a memif server waits for its peer: go on, but say what happens until one comes */
	if (!link_wait(dp->port_id, LINK_WAIT_MS))
		pr_info("DPDK: port %s: link down%s: frames sent to it count as TX failures until "
			"it comes up\n",
			dp->base.name, dp->memif ? " (no memif peer connected yet)" : "");
	port_leave(dp, saved);
	return &dp->base;

err_teardown:
	port_teardown(dp, false);
	rte_mempool_free(dp->pool); /* NULL is fine */
err_leave:
	port_leave(dp, saved);
err_free:
	free(dp);
	return NULL;
}

int dpdk_port_id(const struct io_port *p)
{
	if (!p || p->ops != &dpdk_ops)
		return -EINVAL;
	return ((const struct dpdk_port *)p)->port_id;
}

bool dpdk_port_link_wait(struct io_port *p, unsigned timeout_ms)
{
	struct dpdk_port *dp = to_dpdk(p);
	int saved;
	bool up;

	if (p->ops != &dpdk_ops || port_enter(dp, &saved))
		return false;
	up = link_wait(dp->port_id, timeout_ms);
	port_leave(dp, saved);
	return up;
}

/* ---- memif peer disconnect guard ---------------------------------------------------------- */

/* DPDK 22.11's memif PMD handles a peer leaving in the EAL interrupt thread: memif_disconnect()
 * clears the connected flag, then unmaps the shared regions and frees their descriptors, with
 * nothing that waits for a data-path thread already past the flag check. A burst running at
 * that moment faults on the unmapped ring or buffer (testpmd --forward-mode=mac as memif server
 * dies the same way). A memif burst therefore runs under a per-thread jump point: a SIGSEGV or
 * SIGBUS raised inside it ends the burst instead of the process; any other fault keeps its
 * default action. The burst's frames in flight are lost (at most one burst); the PMD state it
 * touched is reset when the peer connects again (memif_connect() rewinds the rings). */
static __thread sigjmp_buf *guard_jmp; /* set while this thread is inside a memif burst */

static void guard_handler(int sig, siginfo_t *si, void *uc)
{
	sigjmp_buf *jb = guard_jmp;

	(void)si;
	(void)uc;
	if (jb) {
		guard_jmp = NULL;
		siglongjmp(*jb, 1);
	}
	signal(sig, SIG_DFL); /* not ours: the fault repeats with its default action */
}

/* Installs the handler once; returns 0 or -errno. */
static int guard_install(void)
{
	static bool installed;
	struct sigaction sa;

	if (installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = guard_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER; /* NODEFER: the next fault is caught too */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -errno;
	installed = true;
	return 0;
}

static bool link_up(const struct dpdk_port *dp)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	return rte_eth_link_get_nowait(dp->port_id, &link) == 0 &&
	       link.link_status == RTE_ETH_LINK_UP;
}

/* A memif burst faulted. The PMD clears the link before it unmaps a leaving peer's memory,
 * so a fault with the link still up is another thing: a descriptor of a connected peer
 * points outside the memory it shared. Seen with DPDK 22.11 zero-copy clients (dpdk-testpmd
 * zero-copy=yes) in about 1 run in 15: every burst to that peer faulted, each one losing its
 * frames, until the in-port's pool was empty and forwarding stopped in both directions (issue
 * 18). Such a port moves nothing more until its peer leaves: its frames count as TX
 * failures, and are freed, instead. */
static void peer_fault(struct dpdk_port *dp)
{
	dp->peer_faults++;
	if (!link_up(dp))
		return;
	dp->broken_faults++;
	if (!dp->peer_broken)
		pr_err("DPDK: port %s: the connected memif peer gave a buffer outside the memory "
		       "it "
		       "shared (a fault with its link up; DPDK 22.11 zero-copy clients do this in "
		       "about 1 run in 15): this port sends and receives nothing until the peer "
		       "reconnects; restart the client, or run it with zero-copy=no",
		       dp->base.name);
	dp->peer_broken = true;
}

/* Whether a port whose peer broke the shared memory may run bursts again: once the peer
 * has left (the link went down), a new one starts with fresh regions. */
static __attribute__((noinline)) bool peer_still_broken(struct dpdk_port *dp)
{
	if (link_up(dp))
		return true;
	dp->peer_broken = false;
	return false;
}

/* The test hook's N for this port (LR_TEST_MEMIF_TX_FAULT=PORT:N), else 0. */
static uint64_t test_fault_of(const char *port)
{
	const char *v = getenv("LR_TEST_MEMIF_TX_FAULT");
	size_t n = strlen(port);

	if (!v || strncmp(v, port, n) != 0 || v[n] != ':')
		return 0;
	return strtoull(v + n + 1, NULL, 10);
}

/* rte_eth_rx_burst on a memif port; a peer that leaves mid-burst makes it return 0. */
static __attribute__((noinline)) unsigned guarded_rx(struct dpdk_port *dp, struct rte_mbuf **m,
						     uint16_t n)
{
	sigjmp_buf jb;
	unsigned nb;

	if (unlikely(dp->peer_broken) && peer_still_broken(dp))
		return 0;
	if (sigsetjmp(jb, 0)) {
		peer_fault(dp);
		return 0; /* mbufs the PMD took for this burst are lost with the peer */
	}
	guard_jmp = &jb;
	nb = rte_eth_rx_burst(dp->port_id, dp->queue, m, n);
	guard_jmp = NULL;
	return nb;
}

/* rte_eth_tx_burst on a memif port; a peer that leaves mid-burst makes the whole burst count
 * as taken: the PMD freed the frames it copied, and which ones is unknown, so the rest are left
 * (a leak of at most one burst) rather than freed twice. To a broken peer nothing is sent:
 * the caller frees the frames and counts them as TX failures. */
static __attribute__((noinline)) unsigned guarded_tx(struct dpdk_port *dp, struct rte_mbuf **m,
						     uint16_t n)
{
	sigjmp_buf jb;
	unsigned k;

	if (unlikely(dp->peer_broken) && peer_still_broken(dp))
		return 0;
	if (sigsetjmp(jb, 0)) {
		peer_fault(dp);
		return n;
	}
	guard_jmp = &jb;
	if (unlikely(dp->test_tx_fault) && --dp->test_tx_fault == 0) {
		dp->test_tx_fault = 1; /* every later burst too */
		raise(SIGSEGV);
	}
	k = rte_eth_tx_burst(dp->port_id, dp->queue, m, n);
	guard_jmp = NULL;
	return k;
}

static inline unsigned port_rx(struct dpdk_port *dp, struct rte_mbuf **m, uint16_t n)
{
	if (unlikely(dp->memif))
		return guarded_rx(dp, m, n);
	return rte_eth_rx_burst(dp->port_id, dp->queue, m, n);
}

static inline unsigned port_tx(struct dpdk_port *dp, struct rte_mbuf **m, uint16_t n)
{
	if (unlikely(dp->memif))
		return guarded_tx(dp, m, n);
	return rte_eth_tx_burst(dp->port_id, dp->queue, m, n);
}

/* ---- the io_ops --------------------------------------------------------------------------- */

/* Hands out up to n frames dpdk_wait() received while arming the interrupt. */
static unsigned stash_take(struct dpdk_port *dp, struct rte_mbuf **m, unsigned n)
{
	unsigned k = min_u(n, dp->stash_n - dp->stash_next);

	memcpy(m, dp->stash + dp->stash_next, k * sizeof(*m));
	dp->stash_next += k;
	if (dp->stash_next == dp->stash_n)
		dp->stash_n = dp->stash_next = 0;
	return k;
}

static unsigned dpdk_rx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct dpdk_port *dp = to_dpdk(p);
	struct rte_mbuf *mbufs[IO_BURST_MAX];
	unsigned nb, k = 0;

	if (unlikely(dp->stash_n))
		nb = stash_take(dp, mbufs, min_u(n, IO_BURST_MAX));
	else
		nb = port_rx(dp, mbufs, (uint16_t)min_u(n, IO_BURST_MAX));
	for (unsigned i = 0; i < nb; i++) {
		struct rte_mbuf *m = mbufs[i];

		if (unlikely(m->nb_segs > 1) && rte_pktmbuf_linearize(m) != 0) {
			rte_pktmbuf_free(m);
			dp->rx_seg_drops++;
			continue;
		}
		bufs[k].data = rte_pktmbuf_mtod(m, uint8_t *);
		bufs[k].len = m->data_len;
		bufs[k].owner = p;
		bufs[k].handle = m;
		k++;
	}
	return k;
}

/* Copies a foreign buffer into a fresh mbuf of p's pool; returns it or NULL. */
static struct rte_mbuf *copy_foreign(struct dpdk_port *dp, const struct io_buf *b)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp->pool);

	if (unlikely(!m))
		return NULL;
	if (unlikely(b->len > rte_pktmbuf_tailroom(m))) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(rte_pktmbuf_mtod(m, void *), b->data, b->len);
	m->data_len = (uint16_t)b->len;
	m->pkt_len = b->len;
	return m;
}

/* After a send of nb mbufs of which k were taken: returns the originals of sent copies to
 * their owners and frees the copies that were not sent (the caller keeps those originals). */
__attribute__((noinline, cold)) static void
settle_foreign(struct io_buf *bufs, struct rte_mbuf **mbufs, unsigned k, unsigned nb)
{
	struct io_buf sent[IO_BURST_MAX];
	unsigned nsent = 0;

	for (unsigned i = 0; i < nb; i++) {
		if (bufs[i].owner->ops == &dpdk_ops)
			continue;
		if (i < k)
			sent[nsent++] = bufs[i];
		else
			rte_pktmbuf_free(mbufs[i]);
	}
	io_free(sent, nsent);
}

static unsigned dpdk_tx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct dpdk_port *dp = to_dpdk(p);
	struct rte_mbuf *mbufs[IO_BURST_MAX];
	unsigned i, k, foreign = 0;

	n = min_u(n, IO_BURST_MAX);
	for (i = 0; i < n; i++) {
		struct io_buf *b = &bufs[i];

		if (likely(b->owner->ops == &dpdk_ops)) {
			struct rte_mbuf *m = b->handle;

			/* the workload may have moved or resized the frame */
			m->data_off = (uint16_t)(b->data - (uint8_t *)m->buf_addr);
			m->data_len = (uint16_t)b->len;
			m->pkt_len = b->len;
			mbufs[i] = m;
		} else {
			mbufs[i] = copy_foreign(dp, b);
			if (unlikely(!mbufs[i]))
				break;
			foreign++;
		}
	}
	k = port_tx(dp, mbufs, (uint16_t)i);
	if (unlikely(foreign))
		settle_foreign(bufs, mbufs, k, i);
	return k;
}

/* Takes up to n mbufs from the pool without rte_pktmbuf_reset(): a pool hands out mbufs with
 * refcnt 1, one segment and no next (DPDK's raw-allocation guarantee), and dpdk_tx_burst()
 * sets data_off and both lengths, so only the fields a PMD may read on transmit are cleared
 * here. This is what testpmd's txonly engine does too; the full reset cost ~25 instructions
 * per frame under callgrind. */
static unsigned raw_alloc(struct rte_mempool *pool, struct rte_mbuf **mbufs, unsigned n)
{
	if (unlikely(rte_mempool_get_bulk(pool, (void **)mbufs, n) != 0)) {
		/* fewer than asked are left: hand out what there is */
		unsigned got;

		for (got = 0; got < n; got++)
			if (rte_mempool_get(pool, (void **)&mbufs[got]) != 0)
				break;
		n = got;
	}
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = mbufs[i];

		m->data_off = RTE_PKTMBUF_HEADROOM;
		m->ol_flags = 0;
		m->tx_offload = 0;
		m->packet_type = 0;
	}
	return n;
}

static unsigned dpdk_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct dpdk_port *dp = to_dpdk(p);
	struct rte_mbuf *mbufs[IO_BURST_MAX];
	unsigned got = raw_alloc(dp->pool, mbufs, min_u(n, IO_BURST_MAX));

	for (unsigned i = 0; i < got; i++) {
		bufs[i].data = (uint8_t *)mbufs[i]->buf_addr + RTE_PKTMBUF_HEADROOM;
		bufs[i].len = 0;
		bufs[i].owner = p;
		bufs[i].handle = mbufs[i];
	}
	return got;
}

static void dpdk_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct rte_mbuf *mbufs[IO_BURST_MAX];

	(void)p; /* each mbuf knows its pool */
	while (n) {
		unsigned chunk = min_u(n, IO_BURST_MAX);

		for (unsigned i = 0; i < chunk; i++)
			mbufs[i] = bufs[i].handle;
		rte_pktmbuf_free_bulk(mbufs, chunk);
		bufs += chunk;
		n -= chunk;
	}
}

static int dpdk_stats(struct io_port *p, struct io_stats *s)
{
	struct dpdk_port *dp = to_dpdk(p);
	struct rte_eth_stats st;
	struct rte_eth_link link;
	int ret = rte_eth_stats_get(dp->port_id, &st);

	if (ret)
		return ret;
	s->rx_pkts = st.ipackets;
	s->tx_pkts = st.opackets;
	/* lost before we saw them: no room in the ring, no mbuf, or chained and unusable */
	s->rx_dropped = st.imissed + st.rx_nombuf + dp->rx_seg_drops;
	s->rx_errors = st.ierrors;
	s->tx_errors = st.oerrors;
	memset(&link, 0, sizeof(link));
	s->link_down = rte_eth_link_get_nowait(dp->port_id, &link) ? -1
		       : link.link_status == RTE_ETH_LINK_UP       ? 0
								   : 1;
	return 0;
}

static void dpdk_close(struct io_port *p)
{
	struct dpdk_port *dp = to_dpdk(p);
	int saved;

	if (dp->peer_faults > dp->broken_faults)
		pr_warn("DPDK: port %s: the memif peer left during %" PRIu64
			" bursts (their frames "
			"are lost; the port went on)",
			dp->base.name, dp->peer_faults - dp->broken_faults);
	if (dp->broken_faults)
		pr_err("DPDK: port %s: %" PRIu64 " bursts faulted on a connected memif peer's "
		       "buffers (their frames are lost; see the error above)",
		       dp->base.name, dp->broken_faults);
	if (dp->stash_n > dp->stash_next)
		rte_pktmbuf_free_bulk(dp->stash + dp->stash_next, dp->stash_n - dp->stash_next);
	if (dp->virtio_user) {
		vu_left_open = true;
		if (dp->vu_sock[0])
			unlink(dp->vu_sock); /* best effort: what closing would have removed */
	} else if (port_enter(dp, &saved) == 0) {
		port_teardown(dp, true);
		port_leave(dp, saved);
		rte_mempool_free(dp->pool);
	} else {
		/* outside its namespace an XDP detach or a promiscuous-mode ioctl could hit
		 * another interface of the same name or index: leave the device alone */
		pr_err("DPDK: port %s: network namespace %s is gone, the device stays open until "
		       "exit (close ports before deleting their namespace)",
		       dp->base.name, dp->netns);
	}
	free(dp);
}

/* ---- RX interrupt mode ------------------------------------------------------------------- */

/* Arms the RX interrupt of one port (adding its event to this thread's epoll set the first
 * time); then looks at the queue once more, since a frame that came after the caller's last
 * empty burst and before the arming raised no interrupt. Returns the frames found (stashed for
 * the next rx_burst; the interrupt is disarmed again) or -errno. */
static int intr_arm(struct dpdk_port *dp)
{
	int ret;

	if (dp->stash_n)
		return (int)(dp->stash_n - dp->stash_next); /* frames are waiting already */
	if (!dp->intr_added) {
		ret = rte_eth_dev_rx_intr_ctl_q(dp->port_id, 0, RTE_EPOLL_PER_THREAD,
						RTE_INTR_EVENT_ADD, dp);
		if (ret)
			return ret;
		dp->intr_added = true;
	}
	ret = dp->intr_armed_by_pmd ? rte_eth_dev_rx_intr_enable(dp->port_id, 0) : 0;
	if (ret)
		return ret;
	dp->stash_n = port_rx(dp, dp->stash, IO_BURST_MAX);
	dp->stash_next = 0;
	return (int)dp->stash_n;
}

/* io_ops.wait: sleeps in rte_epoll_wait() until a port's RX interrupt fires (the PMD's event
 * descriptor: the memif peer's doorbell, the AF_XDP socket) or timeout_ms passes. */
static int dpdk_wait(struct io_port *const *ports, unsigned n, int timeout_ms)
{
	struct rte_epoll_event ev[8];
	int ready = 0, ret;

	for (unsigned i = 0; i < n; i++) {
		struct dpdk_port *dp = to_dpdk(ports[i]);

		if (!dp->rx_intr)
			return -EOPNOTSUPP;
		ret = intr_arm(dp);
		if (ret < 0)
			return ret;
		ready += ret > 0;
	}
	ret = ready ? ready
		    : rte_epoll_wait_interruptible(RTE_EPOLL_PER_THREAD, ev,
						   (int)min_u(n, ARRAY_SIZE(ev)), timeout_ms);
	for (unsigned i = 0; i < n; i++)
		if (to_dpdk(ports[i])->intr_armed_by_pmd)
			rte_eth_dev_rx_intr_disable(to_dpdk(ports[i])->port_id,
						    0); /* best effort */
	if (ret < 0)
		return errno == EINTR ? -EINTR : ret;
	return ret;
}

static const struct io_ops dpdk_ops = {
	.name = "dpdk",
	.rx_burst = dpdk_rx_burst,
	.tx_burst = dpdk_tx_burst,
	.alloc = dpdk_alloc,
	.free = dpdk_free,
	.flush = NULL, /* every tx_burst reaches the PMD at once */
	.stats = dpdk_stats,
	.close = dpdk_close,
	.wait = dpdk_wait, /* -EOPNOTSUPP unless the port was opened with rx_intr */
};

/* ---- devargs helpers ---------------------------------------------------------------------- */

/* snprintf that reports truncation: returns 0 or -ENOSPC. */
static int fmt_check(int ret, size_t len)
{
	return ret < 0 || (size_t)ret >= len ? -ENOSPC : 0;
}

bool dpdk_devargs_on_iface(const char *devargs)
{
	return strstr(devargs, "iface=") && strncmp(devargs, "net_vhost", 9) != 0;
}

bool dpdk_devargs_vu_server(const char *devargs, char *sock, size_t len)
{
	const char *path = strstr(devargs, "path=");
	size_t n;

	if (strncmp(devargs, "virtio_user", 11) != 0 || !strstr(devargs, "server=1") || !path)
		return false;
	path += 5;
	n = strcspn(path, ",");
	if (n == 0 || n >= len)
		return false;
	memcpy(sock, path, n);
	sock[n] = '\0';
	return true;
}

int dpdk_devargs_veth(char *buf, size_t len, const char *pmd, unsigned index, const char *iface)
{
	if (!iface || !iface[0] || strlen(iface) >= IFNAMSIZ || strchr(iface, ','))
		return -EINVAL;
	if (pmd && strcmp(pmd, "af_packet") == 0)
		/* one queue pair; 2 KB frames in 4 KB blocks, 2048 of them per direction */
		return fmt_check(snprintf(buf, len,
					  "net_af_packet%u,iface=%s,qpairs=1,blocksz=4096,"
					  "framesz=2048,framecnt=2048",
					  index, iface),
				 len);
	if (pmd && strcmp(pmd, "af_xdp") == 0)
		/* veth has no zero-copy AF_XDP: ask for copy mode outright */
		return fmt_check(snprintf(buf, len,
					  "net_af_xdp%u,iface=%s,start_queue=0,queue_count=1,"
					  "force_copy=1",
					  index, iface),
				 len);
	return -EINVAL;
}

/* mkdir -p, best effort: the PMD reports a directory that is still missing. */
static void mkdir_parents(char *dir)
{
	for (char *p = strchr(dir + 1, '/');; p = strchr(p + 1, '/')) {
		if (p)
			*p = '\0';
		mkdir(dir, 0755); /* best effort: may exist */
		if (!p)
			return;
		*p = '/';
	}
}

int dpdk_devargs_memif(char *buf, size_t len, unsigned index, bool server, const char *socket_path)
{
	char dir[PATH_MAX];
	const char *slash;

	/* 108: the size of sun_path, less its terminating NUL */
	if (!socket_path || !socket_path[0] || strlen(socket_path) > 107 ||
	    strchr(socket_path, ','))
		return -EINVAL;
	slash = strrchr(socket_path, '/');
	if (slash && slash != socket_path) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - socket_path), socket_path);
		mkdir_parents(dir);
	}
	/* a socket file (not the abstract namespace, which is per network namespace) */
	return fmt_check(snprintf(buf, len, "net_memif%u,role=%s,id=0,socket=%s,socket-abstract=no",
				  index, server ? "server" : "client", socket_path),
			 len);
}

const struct cli_enum dpdk_pmd_enum[] = {
	{"af_packet", DPDK_PMD_AF_PACKET}, {"af_xdp", DPDK_PMD_AF_XDP}, {NULL, 0}};
const struct cli_enum dpdk_rx_mode_enum[] = {
	{"poll", DPDK_RX_POLL}, {"interrupt", DPDK_RX_INTERRUPT}, {NULL, 0}};

const char *dpdk_pmd_name(int pmd)
{
	return pmd == DPDK_PMD_AF_XDP ? "af_xdp" : "af_packet";
}

#define HUGE_AUTO_MIN 128 /* free 2 MB pages (256 MB) that make huge pages the default */

bool dpdk_hugepages_default(int argc, char **argv, bool *hugepages)
{
	struct mem_huge_info hi;

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--hugepages", 11) &&
		    (argv[i][11] == '\0' || argv[i][11] == '='))
			return false; /* the user chose */
	*hugepages = !mem_huge_info(&hi) && hi.free >= HUGE_AUTO_MIN;
	return true;
}

void dpdk_hugepages_option(struct cli_option *tbl)
{
	for (; tbl->name; tbl++)
		if (!strcmp(tbl->name, "hugepages")) {
			tbl->help = "run the EAL and the packet buffers on 2 MB huge pages";
			tbl->def = "on when 128 or more 2 MB pages are free, else off";
		}
}

void dpdk_hugepages_say(bool hugepages, bool chosen_here)
{
	struct mem_huge_info hi = {0};

	mem_huge_info(&hi);
	if (hugepages)
		pr_info("huge pages: on (%s; %lu of %lu 2 MB pages were free)",
			chosen_here ? "the default when reserved" : "--hugepages on", hi.free,
			hi.total);
	else
		pr_info("huge pages: off (%s: the EAL runs with --no-huge -m 512, slower than on "
			"huge pages; 'linerate topo up --hugepages 512' reserves them)",
			chosen_here ? "fewer than 128 free 2 MB pages" : "--hugepages off");
}

/* True when a is one of the EAL options a DPDK user types first ("-l 1", "--vdev=...",
 * "--no-pci", ...): the DPDK programs give none of these letters or names to an option of
 * their own. */
static bool eal_option(const char *a)
{
	static const char *const longs[] = {
		"--lcores",          "--main-lcore",   "--vdev",          "--allow",
		"--block",           "--no-pci",       "--no-huge",       "--file-prefix",
		"--in-memory",       "--iova-mode",    "--socket-mem",    "--single-file-segments",
		"--log-level",       "--proc-type",    "--huge-dir",      "--legacy-mem",
		"--no-shconf",       "--no-telemetry", "--base-virtaddr", "--huge-unlink",
		"--service-corelist"};

	if (a[0] == '-' && a[1] && strchr("lcnmabdsS", a[1]) && a[1] != '-')
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(longs); i++) {
		size_t n = strlen(longs[i]);

		if (!strncmp(a, longs[i], n) && (a[n] == '\0' || a[n] == '='))
			return true;
	}
	return false;
}

int dpdk_eal_end(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	/* no "--": EAL options typed first, as DPDK's own programs take them, are all EAL's */
	return argc > 1 && eal_option(argv[1]) ? argc : 0;
}
