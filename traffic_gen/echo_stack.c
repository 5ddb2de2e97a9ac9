// SPDX-License-Identifier: MIT
/*
 * echo_stack.c: the DPDK engine of `tgen echo`: the same client on the user-space TCP stack
 * (common/tcp.h) over one DPDK port, the mTCP-style ceiling against echo-dpdk. By default the
 * port is a net_memif client of `echo-dpdk --memif` (no kernel anywhere on the path); --dev
 * puts it on a veth through net_af_packet or net_af_xdp instead, --tx-port on any device.
 * The stack has its own address and MAC (198.18.0.20, 02:00:00:00:00:20) and finds the
 * server's MAC with ARP.
 *
 * One engine round is the stack's main loop once: frames in, timers, the stack's events to
 * the client (ec_conn_event), frames out. It never sleeps: DPDK polls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "echo_client.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "tcp/tcp.h"
#include "tsc.h"

#define DEVARGS_LEN  256
#define EAL_MAX      64
#define LINK_WAIT_MS 10000 /* how long a memif client waits for its server */
#define DRAIN_NS     (100ull * 1000 * 1000)
/* The client is set up as lr-gen's kernel client is (bench/topo.c): local ports 1024..65535
 * (ip_local_port_range) and, in crr, no TIME_WAIT (tcp_max_tw_buckets 0), unless --time-wait
 * asks for one: then the table has room for a connection per local port (CRR_TW_SLOTS), so
 * the ports bound the rate (about 64,000 connections per second toward one server address
 * with 1 s). Without TIME_WAIT, closing connections need few slots (CRR_CLOSE_SLOTS). */
#define CRR_TW_SLOTS    65536
#define CRR_CLOSE_SLOTS 16384
#define CLIENT_PORT_LO  1024
#define EVENTS          64

struct spriv {
	struct io_port *port;
	struct tcp_stack *s;
	bool eal;
	char devargs[DEVARGS_LEN];
};

/* True when an EAL argument starts with one of names. */
static bool eal_has(const struct ec_cfg *cfg, const char *const *names, size_t n)
{
	for (int i = 1; i < cfg->eal_argc; i++)
		for (size_t j = 0; j < n; j++)
			if (!strncmp(cfg->eal_argv[i], names[j], strlen(names[j])))
				return true;
	return false;
}

/* Starts the EAL with the user's arguments, adding "-l CPU" when they name no core and
 * "--no-pci" unless a PCI device is asked for. */
static int eal_start(const struct ec_cfg *cfg, char *err, size_t len)
{
	static const char *const cores[] = {"-l", "-c", "--lcores"};
	static const char *const pci[] = {"-a", "--allow", "-b", "--block", "--no-pci"};
	static char dash_l[] = "-l", no_pci[] = "--no-pci";
	char *argv[EAL_MAX + 4], cpu[24];
	int argc = 0;

	argv[argc++] = cfg->eal_argv[0];
	for (int i = 1; i < cfg->eal_argc && argc < EAL_MAX; i++)
		argv[argc++] = cfg->eal_argv[i];
	if (!eal_has(cfg, cores, ARRAY_SIZE(cores))) {
		snprintf(cpu, sizeof(cpu), "%ld", cfg->cpu);
		argv[argc++] = dash_l;
		argv[argc++] = cpu;
	}
	if (!eal_has(cfg, pci, ARRAY_SIZE(pci)) && (!cfg->port || !strncmp(cfg->port, "net_", 4)))
		argv[argc++] = no_pci;
	argv[argc] = NULL;
	return dpdk_init(argc, argv, cfg->hugepages, err, len);
}

/* Writes the devargs of the default port, a memif client, into buf. The client makes the
 * rings (memif's rule): room for two frames per connection, 1024 to 16384 slots (rsize). */
static int memif_devargs(const struct ec_cfg *cfg, char *buf)
{
	unsigned rsize = 10;
	int ret = dpdk_devargs_memif(buf, DEVARGS_LEN, 0, false, EC_MEMIF_SOCK);
	size_t n = strlen(buf);

	while (rsize < 14 && (1l << rsize) < 2 * cfg->conns)
		rsize++;
	if (!ret &&
	    snprintf(buf + n, DEVARGS_LEN - n, ",rsize=%u", rsize) >= (int)(DEVARGS_LEN - n))
		ret = -ENOSPC;
	return ret;
}

/* Opens the port: --tx-port, a veth through --pmd, or the memif client. */
static int port_open(const struct ec_cfg *cfg, struct spriv *sp, char *err, size_t len)
{
	struct dpdk_port_cfg pc = {.devargs = sp->devargs, .netns = cfg->netns};
	int ret;

	if (cfg->port)
		ret = snprintf(sp->devargs, DEVARGS_LEN, "%s", cfg->port) >= DEVARGS_LEN ? -ENOSPC
											 : 0;
	else if (cfg->dev)
		ret = dpdk_devargs_veth(sp->devargs, DEVARGS_LEN, dpdk_pmd_name(cfg->pmd), 0,
					cfg->dev);
	else
		ret = memif_devargs(cfg, sp->devargs);
	if (ret) {
		snprintf(err, len, "bad port (--tx-port or --dev): %s", strerror(-ret));
		return ret;
	}
	sp->port = dpdk_port_open(&pc, err, len);
	if (!sp->port)
		return -ENODEV;
	if (!dpdk_port_link_wait(sp->port, LINK_WAIT_MS)) {
		snprintf(err, len,
			 "port %s: link down after %d ms (a memif client needs its server: start "
			 "'echo-dpdk --memif' first)",
			 sp->port->name, LINK_WAIT_MS);
		return -ENOLINK;
	}
	return 0;
}

/* Table room beyond the open connections, for the ones closing (crr only). */
static unsigned closing_slots(const struct ec_cfg *cfg)
{
	if (cfg->mode != EC_MODE_CRR)
		return 0;
	return cfg->time_wait_ns ? CRR_TW_SLOTS : CRR_CLOSE_SLOTS;
}

/* Builds the client's stack; returns 0 or -errno with err set. */
static int stack_open(const struct ec_cfg *cfg, struct spriv *sp, char *err, size_t len)
{
	struct tcp_cfg tc = {.ip = cfg->src_ip_h,
			     .time_wait_ns = cfg->time_wait_ns,
			     .ephemeral_lo = CLIENT_PORT_LO};
	long buf = cfg->buf;

	memcpy(tc.mac, cfg->src_mac_b, PKT_ETH_ALEN);
	if (!buf)
		buf = cfg->mode == EC_MODE_STREAM       ? TCP_BUF_MAX
		      : 2 * cfg->msg_size < 2048        ? 2048
		      : 2 * cfg->msg_size > TCP_BUF_MAX ? TCP_BUF_MAX
							: 2 * cfg->msg_size;
	tc.rx_buf = tc.tx_buf = (uint32_t)buf;
	tc.no_time_wait = cfg->mode == EC_MODE_CRR && !cfg->time_wait_ns;
	tc.max_conns = cfg->max_conns ? (unsigned)cfg->max_conns
				      : (unsigned)cfg->conns + closing_slots(cfg);
	tcp_cfg_defaults(&tc);
	sp->s = tcp_stack_new(&tc);
	if (!sp->s) {
		snprintf(err, len,
			 "cannot build the client's TCP stack (%zu bytes): %s (lower "
			 "--max-conns or --buf)",
			 tcp_stack_mem(&tc), strerror(errno));
		return -ENOMEM;
	}
	pr_info("client stack %s: %u connections at most, %zu bytes each (%u B buffers each "
		"way), %zu bytes in all",
		cfg->src_ip, tc.max_conns, tcp_conn_mem(&tc), tc.rx_buf, tcp_stack_mem(&tc));
	return 0;
}

static int s_open(struct ec_ctx *x, char *err, size_t len)
{
	struct spriv *sp = calloc(1, sizeof(*sp));
	int ret;

	if (!sp)
		return -ENOMEM;
	x->priv = sp;
	ret = eal_start(x->cfg, err, len);
	if (ret < 0)
		return ret;
	sp->eal = true;
	if (x->cfg->affinity != CLI_AFFINITY_PINNED)
		cpu_float(); /* best effort: the EAL pinned this thread to its main lcore */
	ret = port_open(x->cfg, sp, err, len);
	return ret ? ret : stack_open(x->cfg, sp, err, len);
}

static int s_connect(struct ec_ctx *x, struct ec_conn *c)
{
	struct spriv *sp = x->priv;
	int err = tcp_connect(sp->s, x->cfg->dst_ip_h, (uint16_t)x->cfg->dst_port, &c->tc);

	if (!err)
		tcp_conn_set_user(c->tc, c);
	return err;
}

static ssize_t s_send(struct ec_ctx *x, struct ec_conn *c, const void *buf, size_t len)
{
	ssize_t n = tcp_send(c->tc, buf, len);

	(void)x;
	return n == 0 ? -EAGAIN : n;
}

static ssize_t s_recv(struct ec_ctx *x, struct ec_conn *c, void *buf, size_t len)
{
	(void)x;
	return tcp_recv(c->tc, buf, len);
}

static int s_shutdown(struct ec_ctx *x, struct ec_conn *c)
{
	(void)x;
	return tcp_shutdown(c->tc);
}

static void s_close(struct ec_ctx *x, struct ec_conn *c, bool abort)
{
	(void)x;
	if (!c->tc)
		return;
	if (abort && tcp_conn_state(c->tc) != TCP_ST_CLOSED)
		tcp_abort(c->tc);
	else
		tcp_close(c->tc);
	c->tc = NULL;
}

static void s_want_write(struct ec_ctx *x, struct ec_conn *c, bool on)
{
	(void)x, (void)c, (void)on; /* TCP_EV_WRITABLE comes by itself once a full buffer drains */
}

/* Hands the stack's events to the client. */
static void dispatch(struct ec_ctx *x, struct tcp_stack *s)
{
	struct tcp_event ev[EVENTS];
	unsigned n;

	while ((n = tcp_events(s, ev, EVENTS)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			struct ec_conn *c = tcp_conn_user(ev[i].conn);
			uint32_t e = ev[i].events;
			unsigned out = 0;

			if (!c || c->tc != ev[i].conn)
				continue; /* a connection the client let go of */
			out |= e & TCP_EV_CONNECTED ? EC_EV_CONNECTED : 0;
			out |= e & TCP_EV_READABLE ? EC_EV_READABLE : 0;
			out |= e & TCP_EV_WRITABLE ? EC_EV_WRITABLE : 0;
			if (e & TCP_EV_CLOSED)
				out |= ev[i].err ? EC_EV_ERROR : EC_EV_READABLE;
			ec_conn_event(x, c, out, ev[i].err);
		}
	}
}

/* One round of the stack's main loop; returns how many frames moved. */
static unsigned round_once(struct ec_ctx *x, struct spriv *sp)
{
	uint64_t now = tsc_now_ns();
	unsigned n = tcp_input_burst_max(sp->s, sp->port, (unsigned)x->cfg->batch, now);

	x->now = now;
	tcp_poll(sp->s, now);
	dispatch(x, sp->s);
	return n + tcp_output(sp->s, sp->port, now);
}

static void s_poll(struct ec_ctx *x, uint64_t until_ns)
{
	(void)until_ns; /* polling: one round, then back to the client's loop */
	if (!round_once(x, x->priv) && x->measuring) /* round_once set x->now at its start */
		x->idle_ns += tsc_now_ns() - x->now;
}

static void s_note(struct ec_ctx *x, char *buf, size_t len)
{
	struct spriv *sp = x->priv;
	const struct tcp_stats *st = tcp_stats(sp->s);

	snprintf(buf, len,
		 "user-space TCP over DPDK port %s: frames in %llu out %llu, retransmits %llu "
		 "(syn %llu), tx dropped %llu, no buffer %llu",
		 sp->port->name, (unsigned long long)st->rx_frames,
		 (unsigned long long)st->tx_frames, (unsigned long long)st->tcp_retransmits,
		 (unsigned long long)st->tcp_syn_retransmits, (unsigned long long)st->tx_dropped,
		 (unsigned long long)st->tx_no_buf);
}

static void s_fini(struct ec_ctx *x)
{
	struct spriv *sp = x->priv;

	if (!sp)
		return;
	if (sp->s && sp->port) { /* let the FINs of the closed connections leave */
		uint64_t end = tsc_now_ns() + DRAIN_NS;

		while (tsc_now_ns() < end)
			round_once(x, sp);
	}
	tcp_stack_free(sp->s);
	io_close(sp->port);
	if (sp->eal)
		dpdk_fini();
	free(sp);
	x->priv = NULL;
}

const struct ec_engine ec_engine_stack = {
	.name = "dpdk",
	.open = s_open,
	.connect = s_connect,
	.send = s_send,
	.recv = s_recv,
	.shutdown = s_shutdown,
	.close = s_close,
	.want_write = s_want_write,
	.poll = s_poll,
	.note = s_note,
	.fini = s_fini,
};
