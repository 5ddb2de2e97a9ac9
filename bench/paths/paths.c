// SPDX-License-Identifier: MIT
/*
 * paths.c: build/bin/lr-paths, the data paths that `linerate regress` measures under
 * callgrind. Each subcommand runs one user-space data path for a fixed count of packets
 * after a warm-up, with callgrind's instrumentation switched on only around the steady-state
 * loop (client requests; outside valgrind they cost a few instructions and do nothing), and
 * prints "units N" so the caller can divide the instructions by the units it really moved,
 * and "cycles N", the TSC cycles of that loop (for Tier 2, which runs it without valgrind).
 *
 *   lr-paths fwd COUNT            forwarding workload (fwd_burst) between io_mem ports, 64 B
 *   lr-paths ring-lockfree COUNT  ring_enqueue_burst + ring_dequeue_burst, one thread
 *   lr-paths ring-mutex COUNT     the same on the mutex ring
 *   lr-paths tcp-echo COUNT       two TCP stacks over io_mem: COUNT 64 B echo transactions
 *   lr-paths fwd-dpdk COUNT       fwd_burst between two DPDK net_ring ports (paths_dpdk.c)
 *   lr-paths tgen-dpdk COUNT      tgen's dpdk engine TX burst on net_null (paths_dpdk.c)
 *   lr-paths --context            the compiler and flags it was built with
 *
 *   lr-paths fwd-run COUNT        fwd-afp's and fwd-dpdk's own loop: fwd_run() run to
 *                                 completion over fwd_io's wrappers on an io_mem port, 64 B
 *
 * Everything is deterministic: fixed seeds, a fake clock, fixed counts. The planted
 * regressions the gate's test must catch live in the product code (LR_PLANT_FWD in
 * common/fwd.c, LR_PLANT_LOOP in common/fwd_run.c: common/lr.h), not here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "echo.h"
#include "fwd.h"
#include "io_mem.h"
#include "lr.h"
#include "paths.h"
#include "pkt.h"
#include "ring.h"
#include "tcp/tcp.h"
#include "tsc.h"

#ifdef __clang__
#define LR_PATHS_CC "clang "
#else
#define LR_PATHS_CC "gcc "
#endif
#ifndef LR_PATHS_CFLAGS
#define LR_PATHS_CFLAGS "unknown"
#endif

#define BATCH     PATHS_BATCH
#define WARMUP    PATHS_WARMUP
#define FRAME_LEN PATHS_FRAME_LEN

/* TSC cycles of the steady-state loop (Tier 2 of linerate regress times lr-paths natively). */
static uint64_t loop_cycles;

#define SRV_IP 0xc612000au /* 198.18.0.10 */
#define CLI_IP 0xc6120001u /* 198.18.0.1 */

/* Returns 0 when the peer b dropped nothing (every transmit was a delivery), else -EIO. */
static int delivered_all(struct io_port *b)
{
	struct io_stats st;

	if (b->ops->stats(b, &st) || st.rx_dropped) {
		fprintf(stderr, "lr-paths: the far end dropped frames: the count would be the drop "
				"branch, not a delivery\n");
		return -EIO;
	}
	return 0;
}

/* One burst of the fwd path: the wire (inject) and the far end (take) are not counted. */
static unsigned fwd_step(struct io_port *a, const uint8_t *frame, uint32_t len,
			 const struct fwd_route *rt, struct fwd_counters *c, int collect)
{
	struct io_buf bufs[BATCH];
	uint8_t out[256];
	unsigned n, k, sent;

	for (unsigned i = 0; i < BATCH; i++)
		if (io_mem_inject(a, frame, len))
			return 0;
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	n = io_rx_burst(a, bufs, BATCH);
	k = fwd_burst(rt, bufs, n, c);
	sent = io_tx_burst(a, bufs, k);
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	if (sent < k)
		io_free(bufs + sent, k - sent);
	/* the far end takes what a sent (io_mem_take(b) would pop what b sent: nothing, and
	 * a's queue would stay full, so every counted transmit would be a drop) */
	while (io_mem_take(a, out, sizeof(out)) > 0)
		;
	return sent == BATCH ? sent : 0;
}

static int path_fwd(unsigned long count, unsigned long *units)
{
	struct pkt_udp_spec spec = {
		.src_ip = CLI_IP, .dst_ip = SRV_IP, .src_port = 1024, .dst_port = 1024, .ttl = 64};
	struct fwd_route rt = {{2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}};
	struct fwd_counters c = {0};
	struct io_port *a, *b;
	uint8_t frame[128];
	int len, ret = 0;

	len = pkt_build_udp(frame, sizeof(frame), FRAME_LEN, &spec);
	if (len < 0)
		return len;
	ret = io_mem_pair(&a, &b, 4 * BATCH, 2048);
	if (ret)
		return ret;
	for (unsigned i = 0; i < WARMUP / BATCH && !ret; i++)
		ret = fwd_step(a, frame, len, &rt, &c, 0) ? 0 : -EIO;
	CALLGRIND_START_INSTRUMENTATION;
	loop_cycles = tsc_read();
	for (unsigned long done = 0; done < count && !ret; done += BATCH) {
		ret = fwd_step(a, frame, len, &rt, &c, 1) ? 0 : -EIO;
		*units += BATCH;
	}
	loop_cycles = tsc_read() - loop_cycles;
	CALLGRIND_STOP_INSTRUMENTATION;
	if (!ret && delivered_all(b))
		ret = -EIO;
	io_close(a);
	io_close(b);
	return ret;
}

/* The wire of the fwd-run path: a port the loop receives from and transmits to, over io_mem
 * port a. Each time the loop asks it for frames it first plays the far end of the cable with
 * callgrind's collection off: it takes every frame a sent (so each transmit is a delivery, not a
 * drop) and injects the next burst. Collection is on from the round after the warm-up up to
 * the transmit of the last counted frame, in the loop's own thread only (callgrind keeps the
 * collection state per thread, so fwd_run()'s watching thread is never counted). */
struct wire_port {
	struct io_port io; /* first: the loop sees this port */
	struct io_port *a;
	const uint8_t *frame;
	uint32_t len;
	unsigned long fed, sent, start, end; /* frames fed and sent; counted: fed in [start, end) */
	bool collecting;
	uint64_t t0;
};

static void wire_collect(struct wire_port *w, bool on)
{
	if (w->collecting == on)
		return;
	CALLGRIND_TOGGLE_COLLECT;
	w->collecting = on;
	if (on)
		w->t0 = tsc_read();
	else
		loop_cycles += tsc_read() - w->t0;
}

static unsigned wire_rx(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct wire_port *w = (struct wire_port *)p;
	unsigned long before = w->fed;
	uint8_t out[256];

	wire_collect(w, false);
	while (io_mem_take(w->a, out, sizeof(out)) > 0)
		;
	for (unsigned i = 0; i < n && w->fed < w->end; i++, w->fed++)
		if (io_mem_inject(w->a, w->frame, w->len))
			break;
	if (before >= w->start && before < w->end)
		wire_collect(w, true);
	return io_rx_burst(w->a, bufs, n);
}

static unsigned wire_tx(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct wire_port *w = (struct wire_port *)p;
	unsigned k = io_tx_burst(w->a, bufs, n);

	w->sent += k;
	if (w->sent >= w->end)
		wire_collect(w, false);
	return k;
}

static unsigned wire_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	return io_alloc(((struct wire_port *)p)->a, bufs, n);
}

static void wire_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	(void)p;
	io_free(bufs, n); /* the buffers are a's */
}

static int wire_stats(struct io_port *p, struct io_stats *s)
{
	struct wire_port *w = (struct wire_port *)p;

	return w->a->ops->stats(w->a, s);
}

static void wire_close(struct io_port *p)
{
	(void)p;
}

static const struct io_ops wire_ops = {"wire",    wire_rx, wire_tx,    wire_alloc,
				       wire_free, NULL,    wire_stats, wire_close};

/* fwd_run() to completion over fwd_io on the wire port: the loop fwd-afp and fwd-dpdk run. */
static int path_fwd_run(unsigned long count, unsigned long *units)
{
	struct pkt_udp_spec spec = {
		.src_ip = CLI_IP, .dst_ip = SRV_IP, .src_port = 1024, .dst_port = 1024, .ttl = 64};
	struct fwd_io_cfg iocfg = {.route = {{{2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}}},
				   .batch = BATCH};
	struct fwd_run_cfg cfg = {.poll = true, .cpu = 0, .tx_cpu = 0};
	struct fwd_run_result res;
	struct wire_port w = {.io = {.ops = &wire_ops, .name = "wire", .fd = -1}};
	struct io_port *b;
	struct fwd_path path;
	struct fwd_io *fio;
	uint8_t frame[128];
	int len, ret;

	len = pkt_build_udp(frame, sizeof(frame), FRAME_LEN, &spec);
	if (len < 0)
		return len;
	ret = io_mem_pair(&w.a, &b, 4 * BATCH, 2048);
	if (ret)
		return ret;
	w.io.max_frame = w.a->max_frame;
	w.frame = frame;
	w.len = (uint32_t)len;
	w.start = WARMUP;
	w.end = WARMUP + (count + BATCH - 1) / BATCH * BATCH;
	iocfg.in = iocfg.out = &w.io;
	cfg.max_rx = w.end;
	fio = fwd_io_new(&iocfg);
	if (!fio) {
		ret = -errno;
		goto out;
	}
	fwd_io_path(fio, &path);
	CALLGRIND_START_INSTRUMENTATION;
	ret = fwd_run(&path, &cfg, &res);
	CALLGRIND_STOP_INSTRUMENTATION;
	if (!ret && (res.total.rx != w.end || res.total.tx != w.end || w.sent != w.end))
		ret = -EIO; /* every frame fed must be forwarded and delivered */
	if (!ret)
		ret = delivered_all(b);
	if (!ret)
		*units = w.end - w.start;
	fwd_io_free(fio);
out:
	io_close(w.a);
	io_close(b);
	return ret;
}

static int ring_step(struct ring *r, void **objs, void **got)
{
	unsigned n = ring_enqueue_burst(r, objs, BATCH);

	return ring_dequeue_burst(r, got, BATCH) == n && n == BATCH ? 0 : -EIO;
}

static int path_ring(enum ring_kind kind, unsigned long count, unsigned long *units)
{
	void *objs[BATCH], *got[BATCH];
	struct ring *r = ring_new(kind, 1024);
	int ret = 0;

	if (!r)
		return -errno;
	for (unsigned i = 0; i < BATCH; i++)
		objs[i] = &objs[i];
	for (unsigned i = 0; i < WARMUP / BATCH && !ret; i++)
		ret = ring_step(r, objs, got);
	CALLGRIND_START_INSTRUMENTATION;
	loop_cycles = tsc_read();
	CALLGRIND_TOGGLE_COLLECT;
	for (unsigned long done = 0; done < count && !ret; done += BATCH) {
		ret = ring_step(r, objs, got);
		*units += BATCH;
	}
	CALLGRIND_TOGGLE_COLLECT;
	loop_cycles = tsc_read() - loop_cycles;
	CALLGRIND_STOP_INSTRUMENTATION;
	ring_free(r);
	return ret;
}

/* Two stacks joined by an io_mem pair, the client's connection and the fake clock. */
struct echo_env {
	struct tcp_stack *cli, *srv;
	struct io_port *a, *b; /* a: the client's port, b: the server's */
	struct tcp_conn *conn;
	struct echo_stats st;
	uint64_t now;
	bool connected;
};

/* One turn of both stacks, 100 us of fake time. */
static void echo_turn(struct echo_env *e)
{
	struct tcp_event ev[8];
	unsigned n;

	e->now += 100000;
	while (tcp_input_burst(e->srv, e->b, e->now))
		;
	tcp_poll(e->srv, e->now);
	echo_run(e->srv, &e->st);
	tcp_output(e->srv, e->b, e->now);
	while (tcp_input_burst(e->cli, e->a, e->now))
		;
	tcp_poll(e->cli, e->now);
	n = tcp_events(e->cli, ev, ARRAY_SIZE(ev));
	for (unsigned i = 0; i < n; i++)
		if (ev[i].events & TCP_EV_CONNECTED)
			e->connected = true;
	tcp_output(e->cli, e->a, e->now);
}

/* One 64-byte request and its echo; returns 0 or -EIO when the echo does not come back. */
static int echo_transaction(struct echo_env *e)
{
	uint8_t req[64], resp[64];
	size_t got = 0;

	memset(req, 'x', sizeof(req));
	if (tcp_send(e->conn, req, sizeof(req)) != (ssize_t)sizeof(req))
		return -EIO;
	for (int turns = 0; got < sizeof(req) && turns < 100; turns++) {
		ssize_t r;

		echo_turn(e);
		r = tcp_recv(e->conn, resp + got, sizeof(resp) - got);
		if (r > 0)
			got += (size_t)r;
	}
	return got == sizeof(req) ? 0 : -EIO;
}

static int echo_setup(struct echo_env *e)
{
	struct tcp_cfg scfg, ccfg;
	const uint8_t smac[PKT_ETH_ALEN] = {2, 0, 0, 0, 0, 0x0a};
	const uint8_t cmac[PKT_ETH_ALEN] = {2, 0, 0, 0, 0, 0x01};

	memset(&scfg, 0, sizeof(scfg));
	scfg.ip = SRV_IP;
	memcpy(scfg.mac, smac, sizeof(smac));
	scfg.seed = 1;
	scfg.max_conns = 4;
	ccfg = scfg;
	ccfg.ip = CLI_IP;
	memcpy(ccfg.mac, cmac, sizeof(cmac));
	ccfg.seed = 2;
	e->now = 5000000000ull;
	if (io_mem_pair(&e->a, &e->b, 1024, 1518))
		return -ENOMEM;
	e->srv = tcp_stack_new(&scfg);
	e->cli = tcp_stack_new(&ccfg);
	if (!e->srv || !e->cli || tcp_listen(e->srv, ECHO_PORT) ||
	    tcp_connect(e->cli, SRV_IP, ECHO_PORT, &e->conn))
		return -EIO;
	for (int i = 0; i < 100 && !e->connected; i++)
		echo_turn(e);
	return e->connected ? 0 : -EIO;
}

static int path_tcp_echo(unsigned long count, unsigned long *units)
{
	struct echo_env e = {0};
	int ret = echo_setup(&e);

	for (unsigned i = 0; i < WARMUP / BATCH && !ret; i++)
		ret = echo_transaction(&e);
	CALLGRIND_START_INSTRUMENTATION;
	loop_cycles = tsc_read();
	CALLGRIND_TOGGLE_COLLECT;
	for (unsigned long done = 0; done < count && !ret; done++) {
		ret = echo_transaction(&e);
		*units += 1;
	}
	CALLGRIND_TOGGLE_COLLECT;
	loop_cycles = tsc_read() - loop_cycles;
	CALLGRIND_STOP_INSTRUMENTATION;
	tcp_stack_free(e.cli);
	tcp_stack_free(e.srv);
	if (e.a)
		io_close(e.a);
	if (e.b)
		io_close(e.b);
	return ret;
}

static int run_path(const char *name, unsigned long count, unsigned long *units)
{
	if (!strcmp(name, "fwd"))
		return path_fwd(count, units);
	if (!strcmp(name, "fwd-run"))
		return path_fwd_run(count, units);
	if (!strcmp(name, "ring-lockfree"))
		return path_ring(RING_LOCKFREE, count, units);
	if (!strcmp(name, "ring-mutex"))
		return path_ring(RING_MUTEX, count, units);
	if (!strcmp(name, "tcp-echo"))
		return path_tcp_echo(count, units);
	if (!strcmp(name, "fwd-dpdk"))
		return paths_fwd_dpdk(count, units, &loop_cycles);
	if (!strcmp(name, "tgen-dpdk"))
		return paths_tgen_dpdk(count, units, &loop_cycles);
	return -ENOENT;
}

int main(int argc, char **argv)
{
	unsigned long count, units = 0;
	char *end;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "--context")) {
		/* what the figures depend on; the plant is left out on purpose (it must show as
		 * a regression, not as a different context) */
		printf("compiler %s\ncflags %s\n", LR_PATHS_CC __VERSION__, LR_PATHS_CFLAGS);
		return LR_EXIT_OK;
	}
	if (argc != 3) {
		fprintf(stderr,
			"usage: lr-paths fwd|fwd-run|ring-lockfree|ring-mutex|tcp-echo|fwd-dpdk|"
			"tgen-dpdk COUNT\n"
			"(run by 'linerate regress' under callgrind)\n");
		return LR_EXIT_USAGE;
	}
	count = strtoul(argv[2], &end, 10);
	if (*end || count == 0 || count > 100000000ul) {
		fprintf(stderr, "lr-paths: COUNT: '%s' is not a count (accepted: 1..100000000)\n",
			argv[2]);
		return LR_EXIT_USAGE;
	}
	ret = run_path(argv[1], count, &units);
	if (ret == -ENOENT) {
		fprintf(stderr,
			"lr-paths: unknown path '%s' (accepted: fwd, fwd-run, ring-lockfree, "
			"ring-mutex, tcp-echo, fwd-dpdk, tgen-dpdk)\n",
			argv[1]);
		return LR_EXIT_USAGE;
	}
	if (ret || units == 0) {
		fprintf(stderr, "lr-paths: path %s failed after %lu units: %s\n", argv[1], units,
			strerror(ret ? -ret : EIO));
		return LR_EXIT_FAIL;
	}
	printf("units %lu\ncycles %llu\n", units, (unsigned long long)loop_cycles);
	return LR_EXIT_OK;
}
