// SPDX-License-Identifier: MIT
/*
 * test_tcp_data.c: moving bytes. In-order data acknowledged at the next output (no delayed
 * ACK) and the ACK riding on the reply; out-of-order segments kept and delivered when the gap
 * fills, and the bound on the number of gaps; the advertised window equal to the free
 * receive buffer and reopening after a read; zero-window probes with backoff, the window
 * reopening, and a silent peer given up; a lost segment resent after the RTO and only it;
 * exponential backoff up to the retry limit, then RST and CLOSED; fast retransmission on the
 * third duplicate ACK; the RFC 6298 estimator; a full send buffer and TCP_EV_WRITABLE.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "test_tcp_util.h"

/* The peer (port 40000) sends len bytes at seq. */
static void send_data(struct t_env *e, uint32_t seq, uint32_t ack, const uint8_t *data, size_t len)
{
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = seq,
				  .ack = ack,
				  .flags = PKT_TCP_ACK,
				  .data = data,
				  .len = len});
}

/* The peer sends a bare ACK offering window wnd. */
static void send_ack(struct t_env *e, uint32_t seq, uint32_t ack, uint16_t wnd)
{
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = seq,
				  .ack = ack,
				  .flags = PKT_TCP_ACK,
				  .wnd = wnd,
				  .wnd_zero = wnd == 0});
}

Test(tcp_data, in_order_acked_at_once)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[300], got[400];
	struct tcp_event ev[4];

	t_pattern(data, sizeof(data), 0, 1);
	for (uint32_t k = 0; k < 3; k++) {
		struct t_seg a;

		t_send(e, &(struct t_pkt){.sport = 40000,
					  .seq = 101 + 100 * k,
					  .ack = iss + 1,
					  .flags = PKT_TCP_ACK | PKT_TCP_PSH,
					  .data = data + 100 * k,
					  .len = 100});
		cr_assert_eq(t_events(e, ev, 4), 1);
		cr_assert_eq(ev[0].events, TCP_EV_READABLE);
		cr_assert_eq(t_flush(e), 1, "one ACK per segment, sent at once");
		a = t_expect(e, PKT_TCP_ACK);
		cr_assert_eq(a.ack, 101 + 100 * (k + 1));
		cr_assert_eq(a.seq, iss + 1);
		cr_assert_eq(a.wnd, 8192 - 100 * (k + 1), "window = free receive buffer");
	}
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 300);
	cr_assert(t_pattern_ok(got, 300, 0, 1));
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), -EAGAIN);
	cr_assert_eq(tcp_stats(e->s)->tcp_bytes_in, 300);
	t_env_free(e);
}

/* The application answers before tcp_output(): one segment carries the reply and the ACK. */
Test(tcp_data, ack_rides_on_reply)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t req[64], buf[64];
	struct t_seg r;

	t_pattern(req, sizeof(req), 0, 9);
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 101,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK | PKT_TCP_PSH,
				  .data = req,
				  .len = 64});
	cr_assert_eq(tcp_recv(c, buf, sizeof(buf)), 64);
	cr_assert_eq(tcp_send(c, buf, 64), 64);
	cr_assert_eq(t_flush(e), 1, "no separate ACK");
	r = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
	cr_assert_eq(r.ack, 165);
	cr_assert_eq(r.len, 64);
	cr_assert_eq(memcmp(r.data, req, 64), 0);
	t_env_free(e);
}

Test(tcp_data, out_of_order_reassembled)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[300], got[400];
	struct tcp_event ev[4];
	struct t_seg a;

	t_pattern(data, sizeof(data), 0, 2);
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 301,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data + 200,
				  .len = 100});
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 201,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data + 100,
				  .len = 100});
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 101, "a duplicate ACK points at the gap");
	cr_assert_eq(a.wnd, 8192, "out-of-order bytes sit in the free part of the window");
	cr_assert_eq(t_events(e, ev, 4), 0, "nothing readable yet");
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), -EAGAIN);
	cr_assert_eq(tcp_stats(e->s)->tcp_ooo_queued, 2);

	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 101,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = data,
				  .len = 100});
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 401, "the gap filled: everything acknowledged");
	cr_assert_eq(a.wnd, 8192 - 300);
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].events, TCP_EV_READABLE);
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 300);
	cr_assert(t_pattern_ok(got, 300, 0, 2), "delivered in order");

	/* A resent segment overlapping old and new data: only the new part is kept. */
	uint8_t more[150];
	t_pattern(more, sizeof(more), 250, 2);
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = 351,
				  .ack = iss + 1,
				  .flags = PKT_TCP_ACK,
				  .data = more,
				  .len = 150});
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 100);
	cr_assert(t_pattern_ok(got, 100, 300, 2));
	t_env_free(e);
}

/* More gaps than TCP_OOO_RANGES: the extra segment is dropped (counted); resent data fills
 * everything in the end. */
Test(tcp_data, out_of_order_gaps_bounded)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[2000], got[2000];

	t_pattern(data, sizeof(data), 0, 4);
	for (unsigned k = 1; k <= TCP_OOO_RANGES + 1; k++) /* ranges at 200k, 10 bytes each */
		send_data(e, 101 + 200 * k, iss + 1, data + 200 * k, 10);
	cr_assert_eq(tcp_stats(e->s)->tcp_ooo_queued, TCP_OOO_RANGES);
	cr_assert_eq(tcp_stats(e->s)->tcp_ooo_dropped, 1);
	for (unsigned off = 0; off < sizeof(data); off += 500)
		send_data(e, 101 + off, iss + 1, data + off, 500);
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 2000);
	cr_assert(t_pattern_ok(got, 2000, 0, 4));
	t_env_free(e);
}

Test(tcp_data, receive_window_fills_and_reopens)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;
	uint8_t data[1024] = {0}, got[2048];
	struct t_seg a;

	t_cfg(&cfg);
	cfg.rx_buf = 4096;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	for (uint32_t k = 0; k < 4; k++)
		send_data(e, 101 + 1024 * k, iss + 1, data, 1024);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 101 + 4096);
	cr_assert_eq(a.wnd, 0, "buffer full: window shut");
	/* Data into a shut window is not taken; the answer repeats the window. */
	send_data(e, 101 + 4096, iss + 1, data, 100);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 101 + 4096);
	cr_assert_eq(a.wnd, 0);
	cr_assert_eq(tcp_recv_avail(c), 4096);
	/* Reading 1000 bytes is less than an MSS: no update yet (silly window avoidance). */
	cr_assert_eq(tcp_recv(c, got, 1000), 1000);
	cr_assert_eq(t_flush(e), 0);
	cr_assert_eq(tcp_recv(c, got, 1000), 1000);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.wnd, 2000, "window update after the read");
	t_env_free(e);
}

/* Opens a connection whose peer offers 1000 bytes, queues 3000, and has the peer take the
 * first 1000 and shut its window; returns the connection, *una is the peer's ACK. */
static struct tcp_conn *shut_window(struct t_env *e, uint32_t *iss, uint32_t *una)
{
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, iss);
	uint8_t data[3000];

	send_ack(e, 101, *iss + 1, 1000); /* the peer offers only 1000 bytes */
	t_pattern(data, sizeof(data), 0, 5);
	cr_assert_eq(tcp_send(c, data, sizeof(data)), 3000);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).len, 1000, "no more than the window");
	t_expect_none(e);
	*una = *iss + 1 + 1000;
	send_ack(e, 101, *una, 0);
	cr_assert_eq(t_flush(e), 0, "window shut: nothing goes");
	return c;
}

/* Probes back off like the RTO; answered ones keep the connection for ever; when the window
 * reopens the rest of the data flows. */
Test(tcp_data, zero_window_probe)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss, una;
	uint64_t expect = 200 * T_MS; /* the RTO after a first RTT sample of ~0 */
	struct t_seg s;

	t_cfg(&cfg);
	cfg.rto_max_ns = 2 * T_SEC;
	cfg.max_retries = 3;
	e = t_env_new(&cfg);
	c = shut_window(e, &iss, &una);
	for (int i = 0; i < 5; i++) {
		uint64_t waited = t_wait_frame(e, 5 * T_SEC);
		struct t_seg p;

		cr_assert(waited >= expect && waited <= expect + 2 * T_MS,
			  "probe %d after %llu ms, expected %llu", i,
			  (unsigned long long)(waited / T_MS), (unsigned long long)(expect / T_MS));
		p = t_expect(e, PKT_TCP_ACK);
		cr_assert_eq(p.seq, una - 1, "a probe carries an old sequence number");
		cr_assert_eq(p.len, 0);
		send_ack(e, 101, una, 0); /* answered: still shut */
		expect = expect * 2 < cfg.rto_max_ns ? expect * 2 : cfg.rto_max_ns;
	}
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED, "answered probes never give up");
	cr_assert_eq(tcp_stats(e->s)->tcp_window_probes, 5);

	send_ack(e, 101, una, 4000); /* the window reopens */
	t_flush(e);
	s = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(s.seq, una);
	cr_assert_eq(s.len, 1460);
	cr_assert(t_pattern_ok(s.data, s.len, 1000, 5));
	s = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
	cr_assert_eq(s.len, 540);
	t_env_free(e);
}

/* A peer that stops answering probes is given up after max_retries of them. */
Test(tcp_data, zero_window_silent_peer_given_up)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	uint32_t iss, una;
	struct tcp_event ev[4];

	t_cfg(&cfg);
	cfg.max_retries = 3;
	e = t_env_new(&cfg);
	shut_window(e, &iss, &una);
	for (int i = 0; i < 3; i++) {
		cr_assert_neq(t_wait_frame(e, 10 * T_SEC), UINT64_MAX);
		cr_assert_eq(t_expect(e, PKT_TCP_ACK).seq, una - 1);
	}
	cr_assert_neq(t_wait_frame(e, 10 * T_SEC), UINT64_MAX);
	t_expect(e, PKT_TCP_RST | PKT_TCP_ACK);
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].err, -ETIMEDOUT);
	t_env_free(e);
}

/* Data never acknowledged: resent after RTO, 2 RTO, 4 RTO; then RST and CLOSED. */
Test(tcp_data, retransmit_backoff_limit_rst)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;
	uint8_t data[500];
	struct tcp_event ev[4];
	struct t_seg s, r;
	uint64_t waited;

	t_cfg(&cfg);
	cfg.max_retries = 3;
	cfg.rto_min_ns = 500 * T_MS;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	t_pattern(data, sizeof(data), 0, 6);
	tcp_send(c, data, sizeof(data));
	t_flush(e);
	s = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
	for (uint64_t rto = 500 * T_MS; rto <= 2 * T_SEC; rto *= 2) {
		struct t_seg again;

		waited = t_wait_frame(e, 10 * T_SEC);
		cr_assert(waited >= rto && waited <= rto + 2 * T_MS, "resent after %llu ms",
			  (unsigned long long)(waited / T_MS));
		again = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
		cr_assert_eq(again.seq, s.seq);
		cr_assert_eq(again.len, 500);
		cr_assert(t_pattern_ok(again.data, 500, 0, 6));
	}
	waited = t_wait_frame(e, 10 * T_SEC);
	cr_assert(waited >= 4 * T_SEC && waited <= 4 * T_SEC + 2 * T_MS);
	r = t_expect(e, PKT_TCP_RST | PKT_TCP_ACK);
	cr_assert(tcp_seq_ge(r.seq, iss + 1) && tcp_seq_le(r.seq, iss + 501));
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].events, TCP_EV_CLOSED);
	cr_assert_eq(ev[0].err, -ETIMEDOUT);
	cr_assert_eq(tcp_stats(e->s)->tcp_retransmits, 3);
	cr_assert_eq(tcp_stats(e->s)->tcp_timeouts, 1);
	tcp_close(c);
	cr_assert_eq(tcp_conn_count(e->s), 0, "freed");
	t_env_free(e);
}

/* The second of three segments is lost: after the RTO only it is resent; the peer, which
 * kept the third, acknowledges everything and the timer stops. */
Test(tcp_data, lost_segment_resent_alone)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[3000];
	struct t_seg a, b, r;

	t_pattern(data, sizeof(data), 0, 7);
	tcp_send(c, data, sizeof(data));
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	b = t_expect(e, PKT_TCP_ACK);
	t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
	/* The retransmission timer runs: tcp_poll has work by now + RTO (200 ms) + a tick. */
	cr_assert_gt(tcp_next_deadline(e->s), e->now + 200 * T_MS);
	cr_assert_leq(tcp_next_deadline(e->s), e->now + 202 * T_MS);
	send_ack(e, 101, a.seq + a.len, 0xffff); /* only the first arrived */
	t_flush(e);
	t_expect_none(e);
	cr_assert_neq(t_wait_frame(e, 2 * T_SEC), UINT64_MAX);
	r = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(r.seq, b.seq);
	cr_assert_eq(r.len, b.len);
	cr_assert(t_pattern_ok(r.data, r.len, 1460, 7));
	t_expect_none(e);
	send_ack(e, 101, iss + 1 + 3000, 0xffff);
	t_flush(e);
	t_expect_none(e);
	cr_assert_eq(tcp_next_deadline(e->s), UINT64_MAX, "all acknowledged: no timer");
	cr_assert_eq(tcp_stats(e->s)->tcp_retransmits, 1);
	t_env_free(e);
}

Test(tcp_data, fast_retransmit_on_third_dupack)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1000, &iss);
	uint8_t data[5000] = {0};
	struct t_seg first, second, r;

	tcp_send(c, data, sizeof(data));
	t_flush(e);
	first = t_expect(e, PKT_TCP_ACK);
	second = t_expect(e, PKT_TCP_ACK);
	t_drain(e);
	send_ack(e, 101, first.seq + 1000, 0xffff);
	for (int i = 0; i < 2; i++) {
		send_ack(e, 101, first.seq + 1000, 0xffff);
		cr_assert_eq(t_flush(e), 0, "no resend before the third duplicate");
	}
	send_ack(e, 101, first.seq + 1000, 0xffff);
	t_flush(e);
	r = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(r.seq, second.seq);
	cr_assert_eq(r.len, 1000);
	cr_assert_eq(tcp_stats(e->s)->tcp_dup_acks, 3);
	cr_assert_eq(tcp_stats(e->s)->tcp_fast_retransmits, 1);
	t_env_free(e);
}

/* RFC 6298: the first sample R sets SRTT = R, RTTVAR = R/2; the next one R' gives
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R', RTO = SRTT + 4 RTTVAR. */
Test(tcp_data, rtt_estimate_rfc6298)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_event ev[2];
	struct tcp_conn_info info;
	struct t_seg sa;

	t_cfg(&cfg);
	cfg.rto_min_ns = T_MS;
	e = t_env_new(&cfg);
	t_send(e, &(struct t_pkt){.sport = 40000, .seq = 100, .flags = PKT_TCP_SYN});
	t_flush(e);
	sa = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	t_advance(e, 10 * T_MS);
	send_ack(e, 101, sa.seq + 1, 0xffff);
	cr_assert_eq(t_events(e, ev, 2), 1);
	tcp_conn_get_info(ev[0].conn, &info);
	cr_assert_eq(info.srtt_ns, 10 * T_MS);
	cr_assert_eq(info.rto_ns, 10 * T_MS + 4 * 5 * T_MS);

	tcp_send(ev[0].conn, "ping", 4);
	t_flush(e);
	t_advance(e, 20 * T_MS);
	send_ack(e, 101, sa.seq + 5, 0xffff);
	tcp_conn_get_info(ev[0].conn, &info);
	cr_assert_eq(info.srtt_ns, 11250 * 1000ull, "7/8 * 10 ms + 1/8 * 20 ms");
	cr_assert_eq(info.rto_ns, 11250 * 1000ull + 4 * 6250 * 1000ull);
	t_env_free(e);
}

Test(tcp_data, send_buffer_full_then_writable)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;
	uint8_t data[5000] = {0};
	struct tcp_event ev[2];

	t_cfg(&cfg);
	cfg.tx_buf = 4096;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	cr_assert_eq(tcp_send(c, data, sizeof(data)), 4096);
	cr_assert_eq(tcp_send_space(c), 0);
	cr_assert_eq(tcp_send(c, data, 1), 0);
	t_flush(e);
	cr_assert_eq(t_events(e, ev, 2), 0);
	send_ack(e, 101, iss + 1 + 1460, 0xffff);
	cr_assert_eq(t_events(e, ev, 2), 1);
	cr_assert_eq(ev[0].events, TCP_EV_WRITABLE);
	cr_assert_eq(tcp_send_space(c), 1460);
	t_env_free(e);
}
