// SPDX-License-Identifier: MIT
/*
 * test_tcp_handshake.c: opening connections. The passive three-way handshake (SYN-ACK fields,
 * MSS announced and honoured, the ACCEPT event only once the handshake completes), the active
 * one, SYN and SYN-ACK retransmission with exponential backoff up to the retry limit, a
 * duplicate SYN, options the stack does not know, the random ISN of RFC 6528, a SYN to a full
 * table, and 10,000 SYNs against a table of 64: memory stays bounded and the stack recovers.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <malloc.h>
#include <string.h>

#include "test_tcp_util.h"

Test(tcp_handshake, passive_open)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t opt[4] = {2, 4, 0x03, 0xe8}; /* MSS 1000 */
	struct tcp_event ev[4];
	struct tcp_conn_info info;
	struct t_seg sa;

	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 1000,
				  .flags = PKT_TCP_SYN,
				  .opt = opt,
				  .opt_len = 4});
	cr_assert_eq(tcp_conn_count(e->s), 1);
	cr_assert_eq(t_events(e, ev, 4), 0, "no event before the handshake completes");
	cr_assert_eq(t_flush(e), 1);
	sa = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	cr_assert_eq(sa.ack, 1001);
	cr_assert_eq(sa.sport, T_PORT);
	cr_assert_eq(sa.dport, 40000);
	cr_assert_eq(sa.saddr, T_SIP);
	cr_assert_eq(sa.daddr, T_PIP);
	cr_assert_eq(memcmp(sa.dst_mac, t_pmac, 6), 0, "answered to the SYN's sender");
	cr_assert_eq(sa.mss, 1460, "our MSS option");
	cr_assert_eq(sa.wnd, 8192, "window = the whole receive buffer");
	cr_assert_eq(sa.len, 0);

	t_send(e, &(struct t_pkt){
			  .sport = 40000, .seq = 1001, .ack = sa.seq + 1, .flags = PKT_TCP_ACK});
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].events, TCP_EV_ACCEPT);
	tcp_conn_get_info(ev[0].conn, &info);
	cr_assert_eq(info.state, TCP_ST_ESTABLISHED);
	cr_assert_eq(info.snd_mss, 1000, "the peer's MSS is honoured");
	cr_assert_eq(info.remote_ip, T_PIP);
	cr_assert_eq(info.remote_port, 40000);
	cr_assert_eq(info.local_port, T_PORT);
	cr_assert_eq(tcp_stats(e->s)->tcp_passive_opens, 1);
	cr_assert_eq(tcp_stats(e->s)->tcp_established, 1);
	t_flush(e);
	t_expect_none(e);
	t_env_free(e);
}

Test(tcp_handshake, active_open)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t opt[4] = {2, 4, 0x02, 0x18}; /* MSS 536 */
	struct tcp_conn *c;
	struct tcp_event ev[4];
	struct t_seg syn, ack;

	t_learn_peer(e);
	cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c), 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_SYN_SENT);
	cr_assert_eq(t_flush(e), 1);
	syn = t_expect(e, PKT_TCP_SYN);
	cr_assert_eq(syn.dport, 80);
	cr_assert_geq(syn.sport, TCP_EPHEMERAL_LO);
	cr_assert_eq(syn.mss, 1460);
	cr_assert_eq(memcmp(syn.dst_mac, t_pmac, 6), 0);
	cr_assert_eq(tcp_send(c, "x", 1), -ENOTCONN, "no data before the handshake");

	t_send(e, &(struct t_pkt){.sport = 80,
				  .dport = syn.sport,
				  .seq = 7777,
				  .ack = syn.seq + 1,
				  .flags = PKT_TCP_SYN | PKT_TCP_ACK,
				  .opt = opt,
				  .opt_len = 4,
				  .wnd = 3000});
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].conn, c);
	cr_assert_eq(ev[0].events, TCP_EV_CONNECTED);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED);
	t_flush(e);
	ack = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(ack.seq, syn.seq + 1);
	cr_assert_eq(ack.ack, 7778);

	/* The peer's MSS of 536 cuts our segments. */
	uint8_t data[1200] = {0};
	cr_assert_eq(tcp_send(c, data, sizeof(data)), 1200);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).len, 536);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).len, 536);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH).len, 128);
	t_env_free(e);
}

/* SYNs leave after 1, 2 and 4 s (RTO doubling from cfg.rto_init_ns); after syn_retries
 * retransmissions the next timeout gives up: CLOSED with -ETIMEDOUT, no RST. */
Test(tcp_handshake, syn_retransmit_backoff_and_limit)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	struct tcp_event ev[4];
	struct t_seg first, again;
	uint64_t waited;

	t_cfg(&cfg);
	cfg.syn_retries = 3;
	e = t_env_new(&cfg);
	t_learn_peer(e);
	cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c), 0);
	t_flush(e);
	first = t_expect(e, PKT_TCP_SYN);
	for (uint64_t rto = T_SEC; rto <= 4 * T_SEC; rto *= 2) {
		waited = t_wait_frame(e, 10 * T_SEC);
		cr_assert(waited >= rto && waited <= rto + 2 * T_MS,
			  "SYN resent after %llu ms, expected %llu",
			  (unsigned long long)(waited / T_MS), (unsigned long long)(rto / T_MS));
		again = t_expect(e, PKT_TCP_SYN);
		cr_assert_eq(again.seq, first.seq, "the same SYN");
		cr_assert_eq(again.sport, first.sport);
	}
	waited = t_wait_frame(e, 8 * T_SEC + 2 * T_MS);
	cr_assert_eq(waited, UINT64_MAX, "no RST for a connection that never opened");
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].events, TCP_EV_CLOSED);
	cr_assert_eq(ev[0].err, -ETIMEDOUT);
	cr_assert_eq(tcp_recv(c, NULL, 0), -ETIMEDOUT);
	cr_assert_eq(tcp_stats(e->s)->tcp_syn_retransmits, 3);
	cr_assert_eq(tcp_stats(e->s)->tcp_timeouts, 1);
	cr_assert_eq(tcp_conn_count(e->s), 1, "the handle stays until tcp_close");
	tcp_close(c);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

/* A SYN-ACK nobody answers is resent with backoff, then the half-open connection is freed
 * silently: the application never saw it. */
Test(tcp_handshake, synack_retransmit_then_free)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_event ev[4];
	uint32_t iss;

	t_cfg(&cfg);
	cfg.syn_retries = 2;
	e = t_env_new(&cfg);
	t_send(e, &(struct t_pkt){.sport = 40000, .seq = 5, .flags = PKT_TCP_SYN});
	t_flush(e);
	iss = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK).seq;
	cr_assert_geq(t_wait_frame(e, 3 * T_SEC), T_SEC);
	cr_assert_eq(t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK).seq, iss);
	cr_assert_geq(t_wait_frame(e, 3 * T_SEC), 2 * T_SEC);
	cr_assert_eq(t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK).seq, iss);
	cr_assert_eq(tcp_conn_count(e->s), 1);
	cr_assert_eq(t_wait_frame(e, 5 * T_SEC), UINT64_MAX);
	cr_assert_eq(tcp_conn_count(e->s), 0, "given up and freed");
	cr_assert_eq(t_events(e, ev, 4), 0);
	cr_assert_eq(tcp_stats(e->s)->tcp_timeouts, 1);
	t_env_free(e);
}

Test(tcp_handshake, duplicate_syn_resends_synack)
{
	struct t_env *e = t_env_new(NULL);
	struct t_seg a, b;

	t_send(e, &(struct t_pkt){.sport = 40000, .seq = 5, .flags = PKT_TCP_SYN});
	t_flush(e);
	a = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	t_send(e, &(struct t_pkt){.sport = 40000, .seq = 5, .flags = PKT_TCP_SYN});
	t_flush(e);
	b = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	cr_assert_eq(b.seq, a.seq);
	cr_assert_eq(b.ack, 6);
	cr_assert_eq(tcp_conn_count(e->s), 1, "still one connection");
	t_env_free(e);
}

/* Timestamps, window scale, SACK-permitted and an unknown kind are skipped by their length;
 * the MSS after them is still read; an MSS above ours is capped to ours. */
Test(tcp_handshake, unknown_options_skipped)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t opt[] = {1, 8, 10,   0,    0, 0,  1, 0, 0, 0, 0, /* NOP, timestamps */
			 3, 3, 7,    4,    2, 99, 5, 1, 2, 3,    /* wscale, SACK ok, kind 99 */
			 2, 4, 0x23, 0x28, 0};                   /* MSS 9000, end */
	struct tcp_event ev[2];
	struct tcp_conn_info info;
	struct t_seg sa;

	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 5,
				  .flags = PKT_TCP_SYN,
				  .opt = opt,
				  .opt_len = sizeof(opt)});
	t_flush(e);
	sa = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	t_send(e,
	       &(struct t_pkt){.sport = 40000, .seq = 6, .ack = sa.seq + 1, .flags = PKT_TCP_ACK});
	cr_assert_eq(t_events(e, ev, 2), 1);
	tcp_conn_get_info(ev[0].conn, &info);
	cr_assert_eq(info.snd_mss, 1460, "9000 capped to our MSS");

	/* No MSS option at all: RFC 9293's default of 536. */
	t_send(e, &(struct t_pkt){.sport = 40001, .seq = 5, .flags = PKT_TCP_SYN});
	t_flush(e);
	t_next(e, &sa);
	t_send(e,
	       &(struct t_pkt){.sport = 40001, .seq = 6, .ack = sa.seq + 1, .flags = PKT_TCP_ACK});
	cr_assert_eq(t_events(e, ev, 2), 1);
	tcp_conn_get_info(ev[0].conn, &info);
	cr_assert_eq(info.snd_mss, 536);
	t_env_free(e);
}

static uint32_t isn_of(uint64_t seed, uint16_t sport, uint64_t now)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	uint32_t isn;

	t_cfg(&cfg);
	cfg.seed = seed;
	e = t_env_new(&cfg);
	e->now = now;
	t_send(e, &(struct t_pkt){.sport = sport, .seq = 5, .flags = PKT_TCP_SYN});
	t_flush(e);
	isn = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK).seq;
	t_env_free(e);
	return isn;
}

/* RFC 6528: ISN = M + F(4-tuple, secret), M ticking every 4 us. */
Test(tcp_handshake, isn_random_per_secret_and_tuple)
{
	uint32_t a = isn_of(1, 40000, T_T0);

	cr_assert_eq(isn_of(1, 40000, T_T0), a, "same secret, tuple and time: same ISN");
	cr_assert_neq(isn_of(2, 40000, T_T0), a, "another secret: another ISN");
	cr_assert_neq(isn_of(1, 40001, T_T0), a, "another port: another ISN");
	cr_assert_eq(isn_of(1, 40000, T_T0 + T_SEC), a + 250000, "M: 250,000 ticks a second");
}

Test(tcp_handshake, syn_to_full_table_dropped)
{
	struct tcp_cfg cfg;
	struct t_env *e;

	t_cfg(&cfg);
	cfg.max_conns = 4;
	e = t_env_new(&cfg);
	for (uint16_t p = 0; p < 4; p++)
		t_send(e, &(struct t_pkt){.sport = 40000 + p, .seq = 5, .flags = PKT_TCP_SYN});
	cr_assert_eq(t_flush(e), 4);
	t_drain(e);
	t_send(e, &(struct t_pkt){.sport = 41000, .seq = 5, .flags = PKT_TCP_SYN});
	cr_assert_eq(t_flush(e), 0, "no SYN-ACK, no RST: dropped");
	cr_assert_eq(tcp_stats(e->s)->tcp_syn_table_full, 1);
	cr_assert_eq(tcp_conn_count(e->s), 4);
	t_env_free(e);
}

/* 10,000 SYNs from distinct ports against a cap of 64: at most 64 connections ever, no heap
 * growth, the rest dropped and counted; once the half-open ones time out the stack accepts
 * again. Also: the memory arithmetic programs print grows linearly with the cap. */
Test(tcp_handshake, syn_flood_memory_bounded)
{
	const unsigned cap = 64, flood = 10000;
	struct tcp_cfg cfg;
	struct t_env *e;
	struct mallinfo2 before, after;
	unsigned synacks = 0;

	t_cfg(&cfg);
	cfg.max_conns = cap;
	e = t_env_new(&cfg);
	before = mallinfo2();
	for (unsigned i = 0; i < flood; i++) {
		t_send(e, &(struct t_pkt){
				  .sport = (uint16_t)(20000 + i), .seq = i, .flags = PKT_TCP_SYN});
		synacks += t_flush(e);
		t_drain(e);
		cr_assert_leq(tcp_conn_count(e->s), cap);
	}
	after = mallinfo2();
	cr_assert_eq(after.uordblks, before.uordblks, "the stack allocated during the flood");
	cr_assert_eq(synacks, cap);
	cr_assert_eq(tcp_conn_count(e->s), cap);
	cr_assert_eq(tcp_stats(e->s)->tcp_syn_table_full, flood - cap);

	/* Half-open connections give up after 1+2+4+8+16+32 s (5 retries). */
	for (int i = 0; i < 70; i++)
		t_advance(e, T_SEC);
	t_drain(e);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_open(e, 50000, 1, 1460, NULL);
	cr_assert_eq(tcp_conn_count(e->s), 1, "accepting again");

	cfg.max_conns = 1000;
	size_t m1000 = tcp_stack_mem(&cfg);
	cfg.max_conns = 2000;
	size_t m2000 = tcp_stack_mem(&cfg);
	cr_assert_geq(m2000 - m1000, 1000 * (sizeof(uint8_t) * 16384));
	cr_assert_leq(m2000 - m1000, 1000 * tcp_conn_mem(&cfg) + 8 * 2048);
	cr_assert_gt(tcp_conn_mem(&cfg), 16384, "buffers are part of a connection's cost");
	t_env_free(e);
}

/* An established connection keeps working while a flood hits the full table. */
Test(tcp_handshake, established_survive_flood)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;
	uint8_t buf[16];

	t_cfg(&cfg);
	cfg.max_conns = 2;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	t_open(e, 40001, 100, 1460, NULL);
	for (unsigned i = 0; i < 1000; i++)
		t_send(e, &(struct t_pkt){.sport = (uint16_t)(20000 + i), .flags = PKT_TCP_SYN});
	t_flush(e);
	t_expect_none(e);
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 101,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = "hello",
				  .len = 5});
	cr_assert_eq(tcp_recv(c, buf, sizeof(buf)), 5);
	cr_assert_eq(memcmp(buf, "hello", 5), 0);
	t_env_free(e);
}

Test(tcp_handshake, ack_to_listener_gets_rst)
{
	struct t_env *e = t_env_new(NULL);
	struct t_seg r;

	t_send(e, &(struct t_pkt){.sport = 40000, .seq = 5, .ack = 12345, .flags = PKT_TCP_ACK});
	t_flush(e);
	r = t_expect(e, PKT_TCP_RST);
	cr_assert_eq(r.seq, 12345, "<SEQ=SEG.ACK><CTL=RST>");
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

/* tcp_cfg.ephemeral_lo sets the local ports tcp_connect() picks: every port of the range, and
 * no other, until the range toward the peer is used up (a crr client's ceiling). */
Test(tcp_handshake, connect_picks_local_ports_from_the_configured_range_only)
{
	struct tcp_cfg cfg;
	struct tcp_conn *c;
	struct t_env *e;
	bool seen[8] = {0};

	t_cfg(&cfg);
	cfg.ephemeral_lo = 65528; /* 8 ports */
	e = t_env_new(&cfg);
	t_learn_peer(e);
	for (unsigned i = 0; i < 8; i++) {
		struct t_seg syn;

		cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c), 0, "connection %u", i);
		cr_assert_eq(t_flush(e), 1);
		syn = t_expect(e, PKT_TCP_SYN);
		cr_assert_geq(syn.sport, 65528);
		cr_assert_not(seen[syn.sport - 65528], "port %u picked twice", syn.sport);
		seen[syn.sport - 65528] = true;
	}
	cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c), -EADDRNOTAVAIL,
		     "a ninth connection to the same peer found a port outside the range");
	cr_assert_eq(tcp_connect(e->s, T_PIP, 81, &c), 0, "another peer port has its own 4-tuples");
	t_env_free(e);
}
