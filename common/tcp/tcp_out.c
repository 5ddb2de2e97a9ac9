// SPDX-License-Identifier: MIT
/*
 * tcp_out.c: what the TCP stack sends. tcp__build_seg() writes one complete frame (Ethernet,
 * IPv4, TCP header with an optional MSS option, data copied from the send ring, both
 * checksums). tcp__conn_output() decides what a connection sends now, in this order:
 *
 *	SYN or SYN-ACK             until the handshake completes (RFC 9293 section 3.5)
 *	fast retransmission        after three duplicate ACKs (RFC 5681 section 3.2)
 *	zero-window probe          when the persist timer fired (RFC 9293 section 3.8.6.1)
 *	data and FIN               as far as the peer's window allows, MSS-sized, no Nagle
 *	a bare ACK                 if an ACK is owed and nothing above carried it
 *
 * Every segment carries the latest ACK and window, so an ACK owed for received data rides on
 * the application's reply when it answered before tcp_output() ran. Finally the connection's
 * timer is set: retransmission while data is in flight, persist while the window is shut.
 */
#include <arpa/inet.h>
#include <string.h>

#include "csum.h"
#include "tcp_int.h"

/* Writes the segment o describes into frame; returns the frame's length. */
size_t tcp__build_seg(struct tcp_stack *s, uint8_t *frame, const struct tcp__out *o)
{
	size_t opt_len = o->mss ? TCP__OPT_MSS_LEN : 0;
	size_t l4_len = PKT_TCP_HLEN + opt_len + o->len;
	uint8_t *p = tcp__ip_fill(s, frame, o->dst_mac, o->daddr, PKT_IPPROTO_TCP, l4_len);
	struct tcp_hdr *th = (struct tcp_hdr *)p;

	th->sport = htons(o->sport);
	th->dport = htons(o->dport);
	th->seq = htonl(o->seq);
	th->ack = htonl(o->ack);
	th->doff_rsvd = (uint8_t)((PKT_TCP_HLEN + opt_len) / 4 << 4);
	th->flags = o->flags;
	th->window = htons(o->wnd);
	th->csum = 0;
	th->urg = 0;
	if (o->mss) {
		p[PKT_TCP_HLEN] = TCP__OPT_MSS; /* RFC 9293 section 3.2: kind 2, length 4 */
		p[PKT_TCP_HLEN + 1] = TCP__OPT_MSS_LEN;
		p[PKT_TCP_HLEN + 2] = (uint8_t)(o->mss >> 8);
		p[PKT_TCP_HLEN + 3] = (uint8_t)o->mss;
	}
	if (o->len)
		tcp__ring_peek(o->ring, o->ring_off, p + PKT_TCP_HLEN + opt_len, o->len);
	th->csum = csum_ipv4_l4((const struct ipv4_hdr *)(frame + PKT_ETH_HLEN), th, l4_len);
	return PKT_ETH_HLEN + PKT_IPV4_HLEN + l4_len;
}

/* The window we offer: the receive ring's free space (at most TCP_BUF_MAX, as the ring). */
uint16_t tcp__rcv_window(const struct tcp_conn *c)
{
	return (uint16_t)tcp__ring_free(&c->rx);
}

/* A segment of c's 4-tuple to its peer's MAC, with seq, flags and the ACK of what we have
 * received: what every segment c sends has in common. */
static struct tcp__out conn_out(const struct tcp_conn *c, uint32_t seq, uint8_t flags)
{
	return (struct tcp__out){
		.dst_mac = c->mac,
		.daddr = c->rip,
		.sport = c->lport,
		.dport = c->rport,
		.seq = seq,
		.ack = c->rcv_nxt,
		.flags = flags,
	};
}

/* Builds one segment of c starting at seq with len data bytes and hands it to tx (or to the
 * ARP queue while the peer's MAC is unknown); returns false when tx has no buffer. */
static bool conn_emit(struct tcp_conn *c, struct tcp__tx *tx, uint32_t seq, uint8_t flags,
		      uint32_t len)
{
	struct tcp_stack *s = c->stack;
	struct tcp__out o = conn_out(c, seq, flags);

	o.wnd = tcp__rcv_window(c);
	o.mss = (flags & PKT_TCP_SYN) ? s->cfg.mss : 0;
	o.ring = &c->tx;
	o.ring_off = seq - c->snd_una;
	o.len = len;

	if (!(flags & PKT_TCP_ACK))
		o.ack = 0;
	if (!c->mac_ok)
		c->mac_ok = tcp__arp_lookup(s, c->next_hop, c->mac);
	if (c->mac_ok) {
		uint8_t *buf = tcp__tx_buf(tx);

		if (!buf)
			return false;
		tcp__tx_commit(tx, tcp__build_seg(s, buf, &o));
	} else {
		tcp__arp_hold(s, c->next_hop, s->scratch, tcp__build_seg(s, s->scratch, &o));
	}
	c->rcv_adv = c->rcv_nxt + o.wnd;
	c->ack_now = false;
	s->st.tcp_segs_out++;
	s->st.tcp_bytes_out += len;
	return true;
}

/* SYN (active open) or SYN-ACK (passive open), sent again after a timeout rewound snd_nxt. */
static bool output_syn(struct tcp_conn *c, struct tcp__tx *tx)
{
	uint8_t flags = PKT_TCP_SYN;

	if (c->snd_nxt != c->iss)
		return true; /* sent, waiting for the answer */
	if (c->state == TCP_ST_SYN_RCVD)
		flags |= PKT_TCP_ACK;
	if (!conn_emit(c, tx, c->iss, flags, 0))
		return false;
	c->snd_nxt = c->iss + 1;
	c->snd_max = c->snd_nxt;
	if (c->retries == 0) { /* Karn: time only a first transmission */
		c->rtt_on = true;
		c->rtt_seq = c->snd_nxt;
		c->rtt_t0 = c->stack->now;
	}
	return true;
}

/* Data bytes between snd_una and snd_nxt (the FIN's sequence number is not data). */
static uint32_t data_in_flight(const struct tcp_conn *c)
{
	uint32_t n = c->snd_nxt - c->snd_una;

	return n < c->tx.used ? n : c->tx.used;
}

/* RFC 5681 section 3.2: resend the first unacknowledged segment, leaving snd_nxt alone. */
static bool output_fast_rexmit(struct tcp_conn *c, struct tcp__tx *tx)
{
	uint32_t len = c->snd_max - c->snd_una;
	bool fin;

	len = len < c->tx.used ? len : c->tx.used;
	len = len < c->snd_mss ? len : c->snd_mss;
	fin = c->shut_wr && c->snd_una + len == c->fin_seq && tcp_seq_gt(c->snd_max, c->fin_seq);
	if (len || fin) {
		if (!conn_emit(c, tx, c->snd_una, PKT_TCP_ACK | (fin ? PKT_TCP_FIN : 0), len))
			return false;
		c->rtt_on = false;
		c->stack->st.tcp_fast_retransmits++;
	}
	c->fast_rexmit = false;
	return true;
}

/* A zero-window probe. Like Linux, it carries an old sequence number and no data: it cannot be
 * accepted, so the receiver must answer with an ACK that shows its current window. */
static bool output_probe(struct tcp_conn *c, struct tcp__tx *tx)
{
	if (!conn_emit(c, tx, c->snd_una - 1, PKT_TCP_ACK, 0))
		return false;
	c->probe_now = false;
	c->stack->st.tcp_window_probes++;
	return true;
}

/* Starts an RTT measurement on new data (RFC 6298 section 3: one at a time, never on a
 * retransmission). */
static void rtt_start(struct tcp_conn *c, uint32_t end)
{
	if (c->rtt_on || tcp_seq_lt(c->snd_nxt, c->snd_max))
		return;
	c->rtt_on = true;
	c->rtt_seq = end;
	c->rtt_t0 = c->stack->now;
}

/* Sends data (and then the FIN) from snd_nxt on, MSS-sized, inside the peer's window. While
 * resending after a timeout (snd_nxt before snd_max) it spends rexmit_quota. */
static bool output_data(struct tcp_conn *c, struct tcp__tx *tx)
{
	for (;;) {
		uint32_t unsent = c->tx.used - data_in_flight(c);
		uint32_t wnd_end = c->snd_una + c->snd_wnd;
		uint32_t usable = tcp_seq_lt(c->snd_nxt, wnd_end) ? wnd_end - c->snd_nxt : 0;
		uint32_t len = unsent < usable ? unsent : usable;
		uint8_t flags = PKT_TCP_ACK;
		bool fin;

		len = len < c->snd_mss ? len : c->snd_mss;
		fin = c->shut_wr && c->snd_nxt + len == c->fin_seq && usable > len;
		if (len == 0 && !fin)
			return true;
		if (tcp_seq_lt(c->snd_nxt, c->snd_max)) {
			if (c->rexmit_quota == 0)
				return true;
			c->rexmit_quota--;
		}
		if (fin)
			flags |= PKT_TCP_FIN;
		if (len && len == unsent)
			flags |= PKT_TCP_PSH;
		if (!conn_emit(c, tx, c->snd_nxt, flags, len))
			return false;
		rtt_start(c, c->snd_nxt + len + fin);
		c->snd_nxt += len + fin;
		if (tcp_seq_gt(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		if (fin)
			return true;
	}
}

/* True when data or a FIN waits and the peer's window is shut. */
static bool window_blocked(const struct tcp_conn *c)
{
	bool fin_waits = c->shut_wr && c->snd_nxt == c->fin_seq;

	return c->snd_wnd == 0 && (c->tx.used > data_in_flight(c) || fin_waits);
}

/* RFC 6298 (5.1): a retransmission timer runs while anything is in flight; otherwise the
 * persist timer runs while the window is shut, backing off like the RTO. */
static void output_timer(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;

	if (c->snd_nxt != c->snd_una) {
		if (c->timer != TCP__T_REXMIT)
			tcp__timer_set(c, TCP__T_REXMIT, s->now + c->rto);
	} else if (window_blocked(c)) {
		unsigned shift = c->probes < 16 ? c->probes : 16;
		uint64_t wait = c->rto << shift;

		if (c->timer != TCP__T_PERSIST)
			tcp__timer_set(
				c, TCP__T_PERSIST,
				s->now + (wait < s->cfg.rto_max_ns ? wait : s->cfg.rto_max_ns));
	} else if (c->timer == TCP__T_PERSIST) {
		tcp__timer_stop(c);
	}
}

/* Sends what c has to send; returns false when tx ran out of buffers (c keeps its turn). */
bool tcp__conn_output(struct tcp_conn *c, struct tcp__tx *tx)
{
	if (c->state == TCP_ST_CLOSED)
		return true;
	if (c->state == TCP_ST_SYN_SENT || c->state == TCP_ST_SYN_RCVD) {
		if (!output_syn(c, tx))
			return false;
		c->ack_now = false;
		output_timer(c);
		return true;
	}
	if (c->fast_rexmit && !output_fast_rexmit(c, tx))
		return false;
	if (c->probe_now && !output_probe(c, tx))
		return false;
	if (!output_data(c, tx))
		return false;
	if (c->ack_now && !conn_emit(c, tx, c->snd_nxt, PKT_TCP_ACK, 0))
		return false;
	output_timer(c);
	return true;
}

/* RFC 9293 section 3.10.7.1: the answer to a segment for no connection. An RST is never
 * answered. */
void tcp__rst_reply(struct tcp_stack *s, const struct tcp__seg *seg)
{
	struct tcp__out o = {
		.dst_mac = seg->src_mac,
		.daddr = seg->saddr,
		.sport = seg->dport,
		.dport = seg->sport,
	};
	uint8_t *frame;

	if (seg->flags & PKT_TCP_RST)
		return;
	if (seg->flags & PKT_TCP_ACK) {
		o.seq = seg->ack; /* <SEQ=SEG.ACK><CTL=RST> */
		o.flags = PKT_TCP_RST;
	} else {
		o.ack = seg->seq + seg->len + !!(seg->flags & PKT_TCP_SYN) +
			!!(seg->flags &
			   PKT_TCP_FIN); /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		o.flags = PKT_TCP_RST | PKT_TCP_ACK;
	}
	frame = tcp__ctl_slot(s);
	if (!frame)
		return;
	tcp__ctl_commit(s, tcp__build_seg(s, frame, &o));
	s->st.tcp_rst_out++;
}

/* Queues the RST that aborts c (RFC 9293 section 3.10.5, ABORT): <SEQ=SND.NXT><CTL=RST,ACK>,
 * with snd_max as SND.NXT (ours may be rewound for a resend): the highest number sent is in
 * the peer's window even when our ACKs of its data were lost, so the peer takes the RST or,
 * if it is not exact, answers with a challenge ACK that our RST reply then matches exactly.
 * Nothing is sent when the peer's MAC was never learnt. */
void tcp__conn_rst(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;
	struct tcp__out o = conn_out(c, c->snd_max, PKT_TCP_RST | PKT_TCP_ACK);
	uint8_t *frame;

	if (!c->mac_ok && !tcp__arp_lookup(s, c->next_hop, c->mac))
		return;
	frame = tcp__ctl_slot(s);
	if (!frame)
		return;
	tcp__ctl_commit(s, tcp__build_seg(s, frame, &o));
	s->st.tcp_rst_out++;
}
