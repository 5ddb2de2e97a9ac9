// SPDX-License-Identifier: MIT
/*
 * test_tcp_close.c: ending connections. FIN from the peer first and from us first, both
 * half-closes, a simultaneous close, a FIN that arrives before the data ahead of it, TIME_WAIT
 * (present, restarted by a resent FIN, then freed; ended early by a new SYN; the explicit
 * no_time_wait switch), the orphan FIN_WAIT_2 timeout, tcp_abort(); RST: an exact match
 * resets, elsewhere in the window draws a challenge ACK (RFC 5961), outside it is ignored; a
 * SYN on an open connection, segments for closed ports, a refused connect().
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "test_tcp_util.h"

static void send_flags(struct t_env *e, uint32_t seq, uint32_t ack, uint8_t flags, const void *data,
		       size_t len)
{
	t_send(e, &(struct t_pkt){.sport = 40000,
				  .seq = seq,
				  .ack = ack,
				  .flags = flags,
				  .data = data,
				  .len = len});
}

Test(tcp_close, peer_closes_first)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	struct tcp_event ev[2];
	uint8_t buf[16];
	struct t_seg a, f;

	send_flags(e, 101, iss + 1, PKT_TCP_ACK | PKT_TCP_PSH | PKT_TCP_FIN, "bye", 3);
	cr_assert_eq(t_events(e, ev, 2), 1);
	cr_assert_eq(ev[0].events, TCP_EV_READABLE);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSE_WAIT);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 105, "data and FIN acknowledged");
	cr_assert_eq(tcp_recv(c, buf, sizeof(buf)), 3);
	cr_assert_eq(tcp_recv(c, buf, sizeof(buf)), 0, "end of stream");
	tcp_close(c);
	t_flush(e);
	f = t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN);
	cr_assert_eq(f.seq, iss + 1);
	cr_assert_eq(f.ack, 105);
	cr_assert_eq(tcp_conn_count(e->s), 1, "LAST_ACK waits for the ACK of our FIN");
	send_flags(e, 105, iss + 2, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_count(e->s), 0, "no TIME_WAIT for the side that closed second");
	cr_assert_eq(t_events(e, ev, 2), 0);
	t_env_free(e);
}

Test(tcp_close, we_close_first_time_wait)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	struct tcp_event ev[2];
	struct t_seg f, a;

	cr_assert_eq(tcp_send(c, "hello", 5), 5);
	cr_assert_eq(tcp_shutdown(c), 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_FIN_WAIT_1);
	cr_assert_eq(tcp_send(c, "x", 1), -EPIPE, "nothing after our FIN");
	t_flush(e);
	f = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH | PKT_TCP_FIN);
	cr_assert_eq(f.len, 5, "the FIN rides on the last data");
	send_flags(e, 101, iss + 7, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_FIN_WAIT_2);
	send_flags(e, 101, iss + 7, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_TIME_WAIT);
	cr_assert_eq(t_events(e, ev, 2), 1);
	cr_assert_eq(ev[0].events, TCP_EV_READABLE | TCP_EV_CLOSED);
	cr_assert_eq(ev[0].err, 0);
	cr_assert_eq(tcp_recv(c, NULL, 0), 0);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.ack, 102);
	tcp_close(c);

	t_advance(e, 600 * T_MS);
	send_flags(e, 101, iss + 7, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0); /* our ACK was lost */
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 102, "TIME_WAIT answers the resent FIN");
	t_advance(e, 900 * T_MS);
	cr_assert_eq(tcp_conn_count(e->s), 1, "the resent FIN restarted 2*MSL");
	t_advance(e, 200 * T_MS);
	cr_assert_eq(tcp_conn_count(e->s), 0, "TIME_WAIT over: freed");
	t_env_free(e);
}

/* We half-close; the peer keeps sending and we keep reading. */
Test(tcp_close, half_close_ours)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[1000], got[1000];
	struct tcp_event ev[2];

	tcp_shutdown(c);
	t_flush(e);
	t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN);
	send_flags(e, 101, iss + 2, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_FIN_WAIT_2);
	t_pattern(data, sizeof(data), 0, 8);
	send_flags(e, 101, iss + 2, PKT_TCP_ACK, data, sizeof(data));
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 1101);
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 1000);
	cr_assert(t_pattern_ok(got, 1000, 0, 8));
	send_flags(e, 1101, iss + 2, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_TIME_WAIT);
	t_events(e, ev, 2);
	cr_assert(ev[0].events & TCP_EV_CLOSED);
	tcp_close(c);
	t_env_free(e);
}

/* The peer half-closes; we keep sending, then close. */
Test(tcp_close, half_close_peer)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[2000];
	struct t_seg a, b;

	send_flags(e, 101, iss + 1, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSE_WAIT);
	t_flush(e);
	t_expect(e, PKT_TCP_ACK);
	t_pattern(data, sizeof(data), 0, 9);
	cr_assert_eq(tcp_send(c, data, sizeof(data)), 2000, "sending goes on in CLOSE_WAIT");
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	b = t_expect(e, PKT_TCP_ACK | PKT_TCP_PSH);
	cr_assert_eq(a.len + b.len, 2000);
	cr_assert(t_pattern_ok(a.data, a.len, 0, 9));
	cr_assert(t_pattern_ok(b.data, b.len, a.len, 9));
	send_flags(e, 102, iss + 2001, PKT_TCP_ACK, NULL, 0);
	tcp_close(c);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN).seq, iss + 2001);
	send_flags(e, 102, iss + 2002, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

Test(tcp_close, simultaneous_close)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);

	tcp_shutdown(c);
	t_flush(e);
	t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN);
	send_flags(e, 101, iss + 1, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0); /* crossed our FIN */
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSING);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 102);
	send_flags(e, 102, iss + 2, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_TIME_WAIT);
	t_env_free(e);
}

Test(tcp_close, fin_before_missing_data)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	uint8_t data[100], got[128];

	t_pattern(data, sizeof(data), 0, 1);
	send_flags(e, 201, iss + 1, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED,
		     "the FIN waits for the bytes before it");
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 101);
	send_flags(e, 101, iss + 1, PKT_TCP_ACK, data, 100);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSE_WAIT);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 202);
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 100);
	cr_assert_eq(tcp_recv(c, got, sizeof(got)), 0);
	t_env_free(e);
}

/* Explicitly off: TIME_WAIT lasts until the next tick, but the last ACK still goes out. */
Test(tcp_close, no_time_wait_when_asked)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;

	t_cfg(&cfg);
	cfg.no_time_wait = true;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	tcp_close(c);
	t_flush(e);
	t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN);
	send_flags(e, 101, iss + 2, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 102, "the final ACK is sent");
	t_advance(e, 2 * T_MS);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

Test(tcp_close, time_wait_is_default)
{
	struct tcp_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	tcp_cfg_defaults(&cfg);
	cr_assert_eq(cfg.time_wait_ns, TCP_DEF_TIME_WAIT_NS);
	cr_assert_gt(cfg.time_wait_ns, 0);
	cr_assert(!cfg.no_time_wait);
}

/* A new SYN above the old sequence numbers ends TIME_WAIT (RFC 6191); a stale one does not. */
Test(tcp_close, new_syn_ends_time_wait)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);

	tcp_close(c);
	t_flush(e);
	t_drain(e);
	send_flags(e, 101, iss + 2, PKT_TCP_ACK | PKT_TCP_FIN, NULL, 0);
	t_flush(e);
	t_drain(e);
	cr_assert_eq(tcp_conn_count(e->s), 1);
	send_flags(e, 50, 0, PKT_TCP_SYN, NULL, 0); /* old sequence number: not a new incarnation */
	t_flush(e);
	t_expect(e, PKT_TCP_ACK);
	send_flags(e, 100000, 0, PKT_TCP_SYN, NULL, 0);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK).ack, 100001);
	cr_assert_eq(tcp_conn_count(e->s), 1, "the TIME_WAIT connection made room");
	t_env_free(e);
}

Test(tcp_close, orphan_fin_wait2_times_out)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;
	uint32_t iss;

	t_cfg(&cfg);
	cfg.fin_wait2_ns = 2 * T_SEC;
	e = t_env_new(&cfg);
	c = t_open(e, 40000, 100, 1460, &iss);
	tcp_close(c);
	t_flush(e);
	t_expect(e, PKT_TCP_ACK | PKT_TCP_FIN);
	send_flags(e, 101, iss + 2, PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_count(e->s), 1);
	cr_assert_eq(t_advance(e, 1900 * T_MS), 0);
	cr_assert_eq(tcp_conn_count(e->s), 1);
	t_advance(e, 200 * T_MS);
	t_expect(e, PKT_TCP_RST | PKT_TCP_ACK);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

Test(tcp_close, abort_sends_rst)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	struct t_seg r;

	tcp_abort(c);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_flush(e);
	r = t_expect(e, PKT_TCP_RST | PKT_TCP_ACK);
	cr_assert_eq(r.seq, iss + 1);
	cr_assert_eq(r.ack, 101);
	t_env_free(e);
}

Test(tcp_close, rst_exact_resets)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	struct tcp_event ev[2];

	send_flags(e, 101, 0, PKT_TCP_RST, NULL, 0);
	cr_assert_eq(t_events(e, ev, 2), 1);
	cr_assert_eq(ev[0].events, TCP_EV_CLOSED);
	cr_assert_eq(ev[0].err, -ECONNRESET);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSED);
	cr_assert_eq(tcp_recv(c, NULL, 0), -ECONNRESET);
	cr_assert_eq(tcp_send(c, "x", 1), -ECONNRESET);
	t_flush(e);
	t_expect_none(e);
	cr_assert_eq(tcp_stats(e->s)->tcp_resets_in, 1);
	tcp_close(c);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}

/* RFC 5961 section 3.2: an RST inside the window but not at rcv_nxt may be blind; answer with
 * a challenge ACK and keep the connection. */
Test(tcp_close, rst_in_window_challenged)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);
	struct t_seg a;

	send_flags(e, 101 + 1000, 0, PKT_TCP_RST, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED);
	t_flush(e);
	a = t_expect(e, PKT_TCP_ACK);
	cr_assert_eq(a.seq, iss + 1);
	cr_assert_eq(a.ack, 101, "the challenge ACK says where we are");
	cr_assert_eq(tcp_stats(e->s)->tcp_challenge_acks, 1);
	/* The real peer answers the challenge with an RST at exactly rcv_nxt. */
	send_flags(e, 101, 0, PKT_TCP_RST, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_CLOSED);
	t_env_free(e);
}

Test(tcp_close, rst_out_of_window_ignored)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);

	send_flags(e, 101 + 100000, 0, PKT_TCP_RST, NULL, 0);
	send_flags(e, 100, 0, PKT_TCP_RST, NULL, 0);
	send_flags(e, 101 + 8192, 0, PKT_TCP_RST | PKT_TCP_ACK, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED);
	t_flush(e);
	t_expect_none(e);
	cr_assert_eq(tcp_stats(e->s)->tcp_rst_ignored, 3);
	t_env_free(e);
}

Test(tcp_close, syn_on_open_connection_challenged)
{
	struct t_env *e = t_env_new(NULL);
	uint32_t iss;
	struct tcp_conn *c = t_open(e, 40000, 100, 1460, &iss);

	send_flags(e, 500, 0, PKT_TCP_SYN, NULL, 0);
	cr_assert_eq(tcp_conn_state(c), TCP_ST_ESTABLISHED);
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_ACK).ack, 101);
	cr_assert_eq(tcp_stats(e->s)->tcp_challenge_acks, 1);
	t_env_free(e);
}

/* RFC 9293 section 3.10.7.1: the RST for a segment nobody expects. */
Test(tcp_close, closed_port_rst)
{
	struct t_env *e = t_env_new(NULL);
	struct t_seg r;

	t_send(e, &(struct t_pkt){.sport = 40000, .dport = 81, .seq = 1000, .flags = PKT_TCP_SYN});
	t_flush(e);
	r = t_expect(e, PKT_TCP_RST | PKT_TCP_ACK);
	cr_assert_eq(r.seq, 0);
	cr_assert_eq(r.ack, 1001, "SEG.SEQ + SEG.LEN, the SYN counted");
	cr_assert_eq(r.sport, 81);
	cr_assert_eq(r.dport, 40000);

	t_send(e, &(struct t_pkt){.sport = 40000,
				  .dport = 81,
				  .seq = 50,
				  .ack = 555,
				  .flags = PKT_TCP_ACK,
				  .data = "0123456789",
				  .len = 10});
	t_flush(e);
	r = t_expect(e, PKT_TCP_RST);
	cr_assert_eq(r.seq, 555, "SEG.ACK");

	t_send(e, &(struct t_pkt){.sport = 40000,
				  .dport = 81,
				  .seq = 50,
				  .flags = PKT_TCP_PSH,
				  .data = "0123456789",
				  .len = 10});
	t_flush(e);
	cr_assert_eq(t_expect(e, PKT_TCP_RST | PKT_TCP_ACK).ack, 60);

	t_send(e, &(struct t_pkt){.sport = 40000, .dport = 81, .seq = 50, .flags = PKT_TCP_RST});
	t_flush(e);
	t_expect_none(e);
	cr_assert_eq(tcp_stats(e->s)->tcp_no_conn, 4);
	cr_assert_eq(tcp_stats(e->s)->tcp_rst_out, 3);
	t_env_free(e);
}

Test(tcp_close, connect_refused)
{
	struct t_env *e = t_env_new(NULL);
	struct tcp_conn *c;
	struct tcp_event ev[2];
	struct t_seg syn;

	t_learn_peer(e);
	tcp_connect(e->s, T_PIP, 9, &c);
	t_flush(e);
	syn = t_expect(e, PKT_TCP_SYN);
	/* An RST that does not acknowledge our SYN is not about us. */
	t_send(e, &(struct t_pkt){.sport = 9,
				  .dport = syn.sport,
				  .ack = syn.seq + 7,
				  .flags = PKT_TCP_RST | PKT_TCP_ACK});
	cr_assert_eq(tcp_conn_state(c), TCP_ST_SYN_SENT);
	t_send(e, &(struct t_pkt){.sport = 9,
				  .dport = syn.sport,
				  .ack = syn.seq + 1,
				  .flags = PKT_TCP_RST | PKT_TCP_ACK});
	cr_assert_eq(t_events(e, ev, 2), 1);
	cr_assert_eq(ev[0].events, TCP_EV_CLOSED);
	cr_assert_eq(ev[0].err, -ECONNREFUSED);
	tcp_close(c);
	cr_assert_eq(tcp_conn_count(e->s), 0);
	t_env_free(e);
}
