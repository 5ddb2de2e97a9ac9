// SPDX-License-Identifier: MIT
/*
 * test_tcp_echo.c: two stacks talking, one running the echo service (echo.c), the other a
 * client that streams a byte pattern, checks every echoed byte, half-closes and waits for the
 * server's FIN. Joined by an io_mem port pair (so tcp_input_burst()/tcp_output() and ARP run
 * for real), or by a callback wire that loses frames at random (fixed seed) to exercise
 * retransmission end to end. Also: a request/response exchange in which each answer is one
 * segment carrying both the echo and the ACK, and 1,000 concurrent connections.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "echo.h"
#include "io_mem.h"
#include "test_tcp_util.h"

/* The client's view of one connection. */
struct cli_conn {
	struct tcp_conn *c;
	size_t total, sent, rcvd;
	unsigned seed;
	bool shut, done;
};

static void cli_send(struct cli_conn *cc)
{
	uint8_t buf[4096];

	while (cc->sent < cc->total) {
		size_t n = cc->total - cc->sent, room = tcp_send_space(cc->c);

		n = n < sizeof(buf) ? n : sizeof(buf);
		n = n < room ? n : room;
		if (n == 0)
			return;
		t_pattern(buf, n, cc->sent, cc->seed);
		cr_assert_eq(tcp_send(cc->c, buf, n), (ssize_t)n);
		cc->sent += n;
	}
}

static void cli_recv(struct cli_conn *cc)
{
	uint8_t buf[4096];

	for (;;) {
		ssize_t n = tcp_recv(cc->c, buf, sizeof(buf));

		if (n == -EAGAIN)
			break;
		if (n == 0) {
			cr_assert_eq(cc->rcvd, cc->total,
				     "end of stream before every byte came back");
			tcp_close(cc->c);
			cc->done = true;
			return;
		}
		cr_assert_gt(n, 0, "tcp_recv: %zd", n);
		cr_assert(t_pattern_ok(buf, (size_t)n, cc->rcvd, cc->seed),
			  "echoed byte wrong near offset %zu", cc->rcvd);
		cc->rcvd += (size_t)n;
	}
	if (cc->rcvd == cc->total && !cc->shut) {
		cr_assert_eq(tcp_shutdown(cc->c), 0);
		cc->shut = true;
	}
}

static void cli_events(struct tcp_stack *s)
{
	struct tcp_event ev[64];
	unsigned n;

	while ((n = tcp_events(s, ev, 64)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			struct cli_conn *cc = tcp_conn_user(ev[i].conn);

			if (cc->done)
				continue;
			cr_assert(!(ev[i].events & TCP_EV_CLOSED) || ev[i].err == 0,
				  "client connection ended with %d", ev[i].err);
			if (ev[i].events & (TCP_EV_CONNECTED | TCP_EV_WRITABLE))
				cli_send(cc);
			if (ev[i].events & TCP_EV_READABLE)
				cli_recv(cc);
		}
	}
}

static void two_cfgs(struct tcp_cfg *cli, struct tcp_cfg *srv, unsigned conns)
{
	t_cfg(srv);
	srv->max_conns = conns;
	srv->seed = 1;
	t_cfg(cli);
	cli->ip = T_PIP;
	memcpy(cli->mac, t_pmac, 6);
	cli->max_conns = conns;
	cli->seed = 2;
}

/* Opens n client connections of total bytes each. */
static struct cli_conn *cli_open(struct tcp_stack *cli, unsigned n, size_t total)
{
	struct cli_conn *cc = calloc(n, sizeof(*cc));

	cr_assert_not_null(cc);
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(tcp_connect(cli, T_SIP, ECHO_PORT, &cc[i].c), 0);
		cc[i].total = total;
		cc[i].seed = i;
		tcp_conn_set_user(cc[i].c, &cc[i]);
	}
	return cc;
}

static bool all_done(const struct cli_conn *cc, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!cc[i].done)
			return false;
	}
	return true;
}

/* 100 kB over an io_mem pair, lossless: every byte back in order, no retransmission, and
 * both sides empty once TIME_WAIT is over. */
Test(tcp_echo, stream_over_io_mem)
{
	struct tcp_cfg ccfg, scfg;
	struct tcp_stack *cli, *srv;
	struct io_port *a, *b;
	struct echo_stats es = {0};
	struct cli_conn *cc;
	uint64_t now = T_T0;
	int turns = 0;

	two_cfgs(&ccfg, &scfg, 4);
	cr_assert_eq(io_mem_pair(&a, &b, 1024, 1518), 0);
	cli = tcp_stack_new(&ccfg);
	srv = tcp_stack_new(&scfg);
	cr_assert_eq(tcp_listen(srv, ECHO_PORT), 0);
	cc = cli_open(cli, 1, 100000);
	for (; turns < 100000 && !all_done(cc, 1); turns++) {
		now += 100000; /* 100 us a turn */
		while (tcp_input_burst(srv, b, now))
			;
		tcp_poll(srv, now);
		echo_run(srv, &es);
		tcp_output(srv, b, now);
		while (tcp_input_burst(cli, a, now))
			;
		tcp_poll(cli, now);
		cli_events(cli);
		tcp_output(cli, a, now);
	}
	cr_assert(all_done(cc, 1), "not finished after %d turns", turns);
	cr_assert_eq(es.bytes, 100000);
	cr_assert_eq(es.accepted, 1);
	cr_assert_eq(es.closed, 1);
	cr_assert_eq(es.errors, 0);
	cr_assert_eq(tcp_stats(srv)->tcp_retransmits + tcp_stats(cli)->tcp_retransmits, 0);
	cr_assert_eq(tcp_stats(cli)->arp_requests_out, 1, "the client resolved the server");
	cr_assert_eq(tcp_stats(srv)->arp_replies_out, 1);
	for (int i = 0; i < 30; i++) {
		now += 100 * T_MS;
		tcp_input_burst(srv, b, now);
		tcp_poll(srv, now);
		tcp_output(srv, b, now);
		tcp_input_burst(cli, a, now);
		tcp_poll(cli, now);
		tcp_output(cli, a, now);
	}
	cr_assert_eq(tcp_conn_count(srv), 0);
	cr_assert_eq(tcp_conn_count(cli), 0, "TIME_WAIT ended");
	free(cc);
	tcp_stack_free(cli);
	tcp_stack_free(srv);
	io_close(a);
	io_close(b);
}

/* A wire between two stacks built on the output callback: frames wait here for the next
 * turn and are lost with probability loss_pct percent. */
struct wire {
	uint64_t rng;
	unsigned loss_pct;
	unsigned n;
	size_t len[2048];
	uint8_t f[2048][TCP_FRAME_MAX];
	uint64_t lost;
};

static void wire_put(void *arg, const uint8_t *frame, size_t len)
{
	struct wire *w = arg;

	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	if (w->rng % 100 < w->loss_pct) {
		w->lost++;
		return;
	}
	cr_assert_lt(w->n, 2048u);
	memcpy(w->f[w->n], frame, len);
	w->len[w->n++] = len;
}

static void wire_deliver(struct wire *w, struct tcp_stack *to, uint64_t now)
{
	for (unsigned i = 0; i < w->n; i++)
		tcp_input(to, w->f[i], w->len[i], now);
	w->n = 0;
}

/* Runs client and server over two wires until every client connection is done. */
static int run_wired(struct tcp_stack *cli, struct tcp_stack *srv, struct wire *up,
		     struct wire *down, struct cli_conn *cc, unsigned n, struct echo_stats *es,
		     uint64_t step)
{
	uint64_t now = T_T0;
	int turns = 0;

	for (; turns < 400000 && !all_done(cc, n); turns++) {
		now += step;
		wire_deliver(up, srv, now);
		tcp_poll(srv, now);
		echo_run(srv, es);
		tcp_output_cb(srv, wire_put, down, now);
		wire_deliver(down, cli, now);
		tcp_poll(cli, now);
		cli_events(cli);
		tcp_output_cb(cli, wire_put, up, now);
	}
	return turns;
}

/* 8 connections of 40 kB each, 5% of frames lost each way: still every byte, in order. */
Test(tcp_echo, stream_with_loss)
{
	struct tcp_cfg ccfg, scfg;
	struct tcp_stack *cli, *srv;
	struct wire *up = calloc(1, sizeof(*up)), *down = calloc(1, sizeof(*down));
	struct echo_stats es = {0};
	struct cli_conn *cc;
	int turns;

	two_cfgs(&ccfg, &scfg, 16);
	cli = tcp_stack_new(&ccfg);
	srv = tcp_stack_new(&scfg);
	tcp_listen(srv, ECHO_PORT);
	up->rng = 12345, down->rng = 67890;
	up->loss_pct = down->loss_pct = 5;
	cc = cli_open(cli, 8, 40000);
	turns = run_wired(cli, srv, up, down, cc, 8, &es, T_MS);
	cr_assert(all_done(cc, 8), "not finished after %d turns", turns);
	cr_assert_eq(es.bytes, 8 * 40000);
	cr_assert_eq(es.errors, 0);
	cr_assert_gt(up->lost + down->lost, 0);
	cr_assert_gt(tcp_stats(srv)->tcp_retransmits + tcp_stats(cli)->tcp_retransmits +
			     tcp_stats(srv)->tcp_fast_retransmits +
			     tcp_stats(cli)->tcp_fast_retransmits,
		     0, "losses were repaired by retransmission");
	free(cc);
	free(up);
	free(down);
	tcp_stack_free(cli);
	tcp_stack_free(srv);
}

/* Request/response: the server answers each 64-byte request with exactly one segment (echo
 * and ACK together); the client's next request carries its ACK of the answer. */
Test(tcp_echo, ping_pong_one_segment_each_way)
{
	struct tcp_cfg ccfg, scfg;
	struct tcp_stack *cli, *srv;
	struct wire *up = calloc(1, sizeof(*up)), *down = calloc(1, sizeof(*down));
	struct echo_stats es = {0};
	struct tcp_conn *c;
	struct tcp_event ev[4];
	uint8_t req[64], got[64];
	uint64_t now = T_T0;

	two_cfgs(&ccfg, &scfg, 4);
	cli = tcp_stack_new(&ccfg);
	srv = tcp_stack_new(&scfg);
	tcp_listen(srv, ECHO_PORT);
	tcp_connect(cli, T_SIP, ECHO_PORT, &c);
	/* Handshake (and ARP) until connected. */
	for (int i = 0; i < 10 && tcp_conn_state(c) != TCP_ST_ESTABLISHED; i++) {
		tcp_output_cb(cli, wire_put, up, now);
		wire_deliver(up, srv, now);
		echo_run(srv, &es);
		tcp_output_cb(srv, wire_put, down, now);
		wire_deliver(down, cli, now);
	}
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED);
	tcp_events(cli, ev, 4);
	for (int round = 0; round < 100; round++) {
		t_pattern(req, sizeof(req), 64 * (size_t)round, 5);
		cr_assert_eq(tcp_send(c, req, sizeof(req)), 64);
		cr_assert_eq(tcp_output_cb(cli, wire_put, up, now), 1, "one request segment");
		wire_deliver(up, srv, now);
		echo_run(srv, &es);
		cr_assert_eq(tcp_output_cb(srv, wire_put, down, now), 1, "one answer segment");
		wire_deliver(down, cli, now);
		cr_assert_eq(tcp_recv(c, got, sizeof(got)), 64);
		cr_assert_eq(memcmp(got, req, 64), 0);
		tcp_events(cli, ev, 4);
	}
	cr_assert_eq(es.bytes, 6400);
	free(up);
	free(down);
	tcp_stack_free(cli);
	tcp_stack_free(srv);
}

/* 1,000 connections at once, 300 bytes each, against a table of exactly 1,000. */
Test(tcp_echo, thousand_connections)
{
	const unsigned n = 1000;
	struct tcp_cfg ccfg, scfg;
	struct tcp_stack *cli, *srv;
	struct wire *up = calloc(1, sizeof(*up)), *down = calloc(1, sizeof(*down));
	struct echo_stats es = {0};
	struct cli_conn *cc;
	int turns;

	two_cfgs(&ccfg, &scfg, n);
	ccfg.rx_buf = ccfg.tx_buf = scfg.rx_buf = scfg.tx_buf = 2048;
	cli = tcp_stack_new(&ccfg);
	srv = tcp_stack_new(&scfg);
	tcp_listen(srv, ECHO_PORT);
	up->rng = down->rng = 1;
	cc = cli_open(cli, n, 300);
	turns = run_wired(cli, srv, up, down, cc, n, &es, 100000);
	cr_assert(all_done(cc, n), "not finished after %d turns", turns);
	cr_assert_eq(es.accepted, n);
	cr_assert_eq(es.bytes, 300 * n);
	cr_assert_eq(tcp_stats(srv)->tcp_syn_table_full, 0);
	cr_assert_leq(tcp_conn_count(srv), n);
	free(cc);
	free(up);
	free(down);
	tcp_stack_free(cli);
	tcp_stack_free(srv);
}
