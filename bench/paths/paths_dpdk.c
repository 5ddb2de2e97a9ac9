// SPDX-License-Identifier: MIT
/*
 * paths_dpdk.c: the lr-paths data paths that run on DPDK, without a NIC, huge pages or the
 * lr- topology: DPDK's EAL starts with --no-huge --no-pci on lcore 0 with 128 MB of ordinary
 * memory (dpdk_init() adds --no-shconf, --no-telemetry and --log-level=error, so nothing is
 * shared with other DPDK processes), and the ports are vdevs opened through bypass/io_dpdk,
 * the code fwd-dpdk and tgen --engine dpdk use.
 *
 *  - fwd-dpdk: two net_ring ports. A net_ring vdev made without arguments transmits into the
 *    ring its own receive queue reads, so sending a burst on the in-port is the wire (not
 *    counted); what is counted is rx burst on the in-port -> fwd_burst -> tx burst on the
 *    out-port, as fwd-dpdk's run-to-completion loop does it; the out-port is then drained
 *    (not counted). The same structure as the fwd path over io_mem in paths.c.
 *  - tgen-dpdk: tgen's dpdk engine (libtgen's tgen_engine_dpdk: open, prepare, tx) on one
 *    net_null port, whose transmit frees the mbufs. Each counted call is the engine's whole
 *    per-burst work: io_alloc, the frame copy, the flow's address, port and IPv4 checksum,
 *    the sequence/timestamp payload with its UDP checksum, the flow rotation, tx burst.
 *    Unpaced (the pacer lives in trial.c and is not part of the burst). The burst's stamp
 *    comes from the real clock (tsc_now_ns()): its value changes no branch since the UDP
 *    checksum is folded in a fixed number of steps, so the count repeats without a fake one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "fwd.h"
#include "io.h"
#include "io_dpdk.h"
#include "lr.h"
#include "paths.h"
#include "pkt.h"
#include "tgen.h"
#include "tsc.h"

#define SRV_IP       0xc612000au /* 198.18.0.10 */
#define CLI_IP       0xc6120001u /* 198.18.0.1 */
#define PORT_POOL    2047        /* mbufs per port: a few bursts in flight need no more */
#define TGEN_FLOWS   16          /* flows over TGEN_SRC_IPS addresses and 4 source ports */
#define TGEN_SRC_IPS 4

static bool eal_running;

/* ---- EAL and ports ------------------------------------------------------------------------ */

/* Starts the EAL without huge pages, PCI devices or shared files; returns 0 or -errno. */
static int eal_up(void)
{
	char *argv[] = {"lr-paths", "-l", "0", "--no-pci", "-m", "128", NULL};
	char err[512];
	int ret = dpdk_init((int)ARRAY_SIZE(argv) - 1, argv, false, err, sizeof(err));

	if (ret < 0) {
		fprintf(stderr, "lr-paths: %s\n", err);
		return ret;
	}
	eal_running = true;
	return 0;
}

/* Releases the EAL when eal_up() started it (close the ports first). */
static void eal_down(void)
{
	if (eal_running)
		dpdk_fini();
	eal_running = false;
}

/* Opens a vdev port through io_dpdk; returns it or NULL after a message. */
static struct io_port *port_up(const char *devargs)
{
	struct dpdk_port_cfg cfg = {.devargs = devargs, .pool_size = PORT_POOL};
	char err[512];
	struct io_port *p = dpdk_port_open(&cfg, err, sizeof(err));

	if (!p)
		fprintf(stderr, "lr-paths: %s\n", err);
	return p;
}

/* ---- fwd-dpdk ----------------------------------------------------------------------------- */

struct fwd_env {
	struct io_port *in, *out;
	struct fwd_route rt;
	struct fwd_counters c;
	uint8_t frame[128];
	uint32_t len;
};

/* The wire: a burst of the frame sent on the in-port, which loops it back to its own receive
 * queue (not counted). Returns 0 or -EIO. */
static int inject(struct fwd_env *e)
{
	struct io_buf bufs[PATHS_BATCH];
	unsigned n = io_alloc(e->in, bufs, PATHS_BATCH), sent;

	for (unsigned i = 0; i < n; i++) {
		memcpy(bufs[i].data, e->frame, e->len);
		bufs[i].len = e->len;
	}
	sent = io_tx_burst(e->in, bufs, n);
	if (sent < n)
		io_free(bufs + sent, n - sent);
	return sent == PATHS_BATCH ? 0 : -EIO;
}

/* The far end: what the out-port looped back is freed (not counted). */
static void drain(struct io_port *p)
{
	struct io_buf bufs[PATHS_BATCH];
	unsigned n;

	while ((n = io_rx_burst(p, bufs, PATHS_BATCH)) > 0)
		io_free(bufs, n);
}

/* One burst of the path; returns 0 when the whole burst was forwarded, else -EIO. */
static int fwd_dpdk_step(struct fwd_env *e, bool collect)
{
	struct io_buf bufs[PATHS_BATCH];
	unsigned n, k, sent;

	if (inject(e))
		return -EIO;
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	n = io_rx_burst(e->in, bufs, PATHS_BATCH);
	k = fwd_burst(&e->rt, bufs, n, &e->c);
	sent = io_tx_burst(e->out, bufs, k);
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	if (sent < k)
		io_free(bufs + sent, k - sent);
	drain(e->out);
	return sent == PATHS_BATCH ? 0 : -EIO;
}

static int fwd_env_up(struct fwd_env *e)
{
	struct pkt_udp_spec spec = {
		.src_ip = CLI_IP, .dst_ip = SRV_IP, .src_port = 1024, .dst_port = 1024, .ttl = 64};
	int len = pkt_build_udp(e->frame, sizeof(e->frame), PATHS_FRAME_LEN, &spec);

	if (len < 0)
		return len;
	e->len = (uint32_t)len;
	if (eal_up())
		return -EIO;
	e->in = port_up("net_ring0");
	e->out = e->in ? port_up("net_ring1") : NULL;
	return e->out ? 0 : -ENODEV;
}

int paths_fwd_dpdk(unsigned long count, unsigned long *units, uint64_t *cycles)
{
	struct fwd_env e = {.rt = {{2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}}};
	int ret = fwd_env_up(&e);

	for (unsigned i = 0; i < PATHS_WARMUP / PATHS_BATCH && !ret; i++)
		ret = fwd_dpdk_step(&e, false);
	if (!ret) {
		CALLGRIND_START_INSTRUMENTATION;
		*cycles = tsc_read();
		for (unsigned long done = 0; done < count && !ret; done += PATHS_BATCH) {
			ret = fwd_dpdk_step(&e, true);
			*units += ret ? 0 : PATHS_BATCH;
		}
		*cycles = tsc_read() - *cycles;
		CALLGRIND_STOP_INSTRUMENTATION;
	}
	io_close(e.out);
	io_close(e.in);
	eal_down();
	return ret;
}

/* ---- tgen-dpdk ---------------------------------------------------------------------------- */

/* What tgen's setup would resolve for 64 B frames to net_null0, sending only. */
static void tgen_cfg_fill(struct tgen_cfg *cfg)
{
	static const uint8_t smac[PKT_ETH_ALEN] = {2, 0, 0, 0, 0, 0x01};
	static const uint8_t dmac[PKT_ETH_ALEN] = {2, 0, 0, 0, 0, 0x0a};

	memset(cfg, 0, sizeof(*cfg));
	cfg->engine = TGEN_ENGINE_DPDK;
	cfg->sizes.n = 1;
	cfg->sizes.v[0] = PATHS_FRAME_LEN;
	cfg->flows = TGEN_FLOWS;
	cfg->src_ips = TGEN_SRC_IPS;
	cfg->batch = PATHS_BATCH;
	cfg->tx_port = "net_null0";
	cfg->rx_on = false;
	memcpy(cfg->src_mac_b, smac, sizeof(smac));
	memcpy(cfg->dst_mac_b, dmac, sizeof(dmac));
	cfg->src_ip_h = CLI_IP;
	cfg->dst_ip_h = SRV_IP;
	cfg->src_port = 1024;
	cfg->dst_port = 1024;
}

/* Starts the EAL, then the engine as tgen_open() and a trial would: open, prepare. */
static int tgen_env_up(struct tgen_cfg *cfg, struct tgen_ctx *c)
{
	char err[TGEN_ERR_LEN] = "";
	int ret;

	tgen_cfg_fill(cfg);
	c->cfg = cfg;
	c->eng = &tgen_engine_dpdk;
	c->nflows = TGEN_FLOWS;
	c->seq = calloc(c->nflows, sizeof(*c->seq));
	if (!c->seq)
		return -ENOMEM;
	if (eal_up())
		return -EIO;
	ret = c->eng->open(c, err, sizeof(err));
	if (!ret)
		ret = c->eng->prepare(c, PATHS_FRAME_LEN, err, sizeof(err));
	if (ret)
		fprintf(stderr, "lr-paths: tgen's dpdk engine on net_null0: %s\n",
			err[0] ? err : strerror(-ret));
	return ret;
}

/* One counted TX burst; returns 0 when the whole burst was sent, else -EIO. */
static int tgen_dpdk_step(struct tgen_ctx *c, bool collect)
{
	unsigned sent;

	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	sent = c->eng->tx(c, PATHS_BATCH);
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	return sent == PATHS_BATCH ? 0 : -EIO;
}

int paths_tgen_dpdk(unsigned long count, unsigned long *units, uint64_t *cycles)
{
	struct tgen_cfg cfg;
	struct tgen_ctx c = {0};
	int ret = tgen_env_up(&cfg, &c);

	c.warmup = true; /* a trial's ramp-up frames, then its measured window from seq 0 */
	for (unsigned i = 0; i < PATHS_WARMUP / PATHS_BATCH && !ret; i++)
		ret = tgen_dpdk_step(&c, false);
	c.warmup = false;
	c.next_flow = 0;
	if (!ret) {
		CALLGRIND_START_INSTRUMENTATION;
		*cycles = tsc_read();
		for (unsigned long done = 0; done < count && !ret; done += PATHS_BATCH) {
			ret = tgen_dpdk_step(&c, true);
			*units += ret ? 0 : PATHS_BATCH;
		}
		*cycles = tsc_read() - *cycles;
		CALLGRIND_STOP_INSTRUMENTATION;
	}
	if (c.priv)
		c.eng->close(&c);
	free(c.seq);
	eal_down();
	return ret;
}
