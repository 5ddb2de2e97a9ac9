// SPDX-License-Identifier: MIT
/*
 * tcp_in.c: what the TCP stack does with a received segment, in the order of RFC 9293
 * section 3.10.7 ("SEGMENT ARRIVES"):
 *
 *	parse and check      header length, data offset, checksum, options (malformed: dropped)
 *	no connection        a listening port takes a SYN (3.10.7.2), anything else gets RST
 *	SYN-SENT             our SYN answered (3.10.7.3)
 *	otherwise (3.10.7.4) first the sequence number (is it in the window?), second RST
 *	                     (RFC 5961: exact match resets, in-window draws a challenge ACK),
 *	                     fourth SYN (challenge ACK), fifth ACK (what the peer got, its
 *	                     window), seventh data (in order: to the application; out of order:
 *	                     kept), eighth FIN.
 *
 * Nothing is sent from here: what to answer is noted in the connection (ack_now, the lists)
 * and tcp_output() builds it, so one ACK covers a whole burst and rides on reply data.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "csum.h"
#include "tcp_int.h"

#define TCP_FLAGS_MASK 0x3f /* FIN SYN RST PSH ACK URG */

/* RFC 9293 section 3.2: options are kind 0 (end), kind 1 (no-op) or kind, length, value.
 * Only MSS (kind 2, length 4, in a SYN) is used; other kinds are skipped by their length. A
 * length byte missing, below 2 or past the header makes the segment malformed. */
static int parse_options(const uint8_t *opt, size_t len, struct tcp__seg *seg)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = opt[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EBADMSG;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -EBADMSG;
		if (kind == TCP__OPT_MSS && olen == TCP__OPT_MSS_LEN && (seg->flags & PKT_TCP_SYN))
			seg->mss = (uint16_t)(opt[i + 2] << 8 | opt[i + 3]);
		i += olen;
	}
	return 0;
}

/* Checks a segment of len bytes at l4 and fills seg; returns 0 or -EBADMSG (counted). */
static int parse_seg(struct tcp_stack *s, const struct ipv4_hdr *ip, const uint8_t *l4, size_t len,
		     struct tcp__seg *seg)
{
	const struct tcp_hdr *th = (const struct tcp_hdr *)l4;
	size_t doff;

	if (len < PKT_TCP_HLEN) {
		s->st.tcp_short++;
		return -EBADMSG;
	}
	doff = (size_t)(th->doff_rsvd >> 4) * 4;
	if (doff < PKT_TCP_HLEN || doff > len) {
		s->st.tcp_bad_doff++;
		return -EBADMSG;
	}
	/* Summed with its checksum field included, a valid segment folds to 0. */
	if (csum_ipv4_l4(ip, l4, len) != 0) {
		s->st.tcp_bad_csum++;
		return -EBADMSG;
	}
	seg->saddr = ntohl(ip->saddr);
	seg->daddr = ntohl(ip->daddr);
	seg->sport = ntohs(th->sport);
	seg->dport = ntohs(th->dport);
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack);
	seg->flags = th->flags & TCP_FLAGS_MASK;
	seg->wnd = ntohs(th->window);
	seg->mss = 0;
	if (parse_options(l4 + PKT_TCP_HLEN, doff - PKT_TCP_HLEN, seg)) {
		s->st.tcp_bad_options++;
		return -EBADMSG;
	}
	seg->data = l4 + doff;
	seg->len = (uint32_t)(len - doff);
	return 0;
}

/* The largest segment we send: the peer's MSS (536 without the option), capped by ours. */
static void set_mss(struct tcp_conn *c, uint16_t peer_mss)
{
	uint16_t mss = peer_mss ? peer_mss : TCP__MSS_DEFAULT;

	if (mss > c->stack->cfg.mss)
		mss = c->stack->cfg.mss;
	c->snd_mss = mss < TCP_MSS_MIN ? TCP_MSS_MIN : mss;
}

/* RFC 9293 section 3.10.7.2: a segment for a listening port. */
static void listen_input(struct tcp_stack *s, const struct tcp__seg *seg)
{
	struct tcp_conn *c;

	if (seg->flags & PKT_TCP_RST)
		return;
	if (seg->flags & PKT_TCP_ACK) {
		s->st.tcp_no_conn++;
		tcp__rst_reply(s, seg);
		return;
	}
	if (!(seg->flags & PKT_TCP_SYN))
		return;
	c = tcp__conn_new(s, seg->saddr, seg->sport, seg->dport);
	if (!c) {
		s->st.tcp_syn_table_full++; /* dropped: the peer will retry */
		return;
	}
	memcpy(c->mac, seg->src_mac, PKT_ETH_ALEN); /* answer the way the SYN came */
	c->mac_ok = true;
	c->next_hop = seg->saddr;
	c->state = TCP_ST_SYN_RCVD;
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->iss = tcp__isn(s, seg->saddr, seg->sport, seg->dport);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->snd_wnd = c->snd_max_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = c->iss;
	set_mss(c, seg->mss);
	s->st.tcp_passive_opens++;
	tcp__conn_want_output(c); /* the SYN-ACK */
}

/* The peer acknowledged new data (RFC 9293 3.10.7.4 fifth, "SND.UNA < SEG.ACK =< SND.NXT"). */
static void ack_advance(struct tcp_conn *c, const struct tcp__seg *seg)
{
	struct tcp_stack *s = c->stack;
	bool fin_acked = c->shut_wr && tcp_seq_gt(seg->ack, c->fin_seq);
	uint32_t data = seg->ack - c->snd_una - fin_acked; /* a SYN's number is dropped too */

	tcp__ring_drop(&c->tx, data < c->tx.used ? data : c->tx.used);
	c->snd_una = seg->ack;
	if (tcp_seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una; /* the peer had more than we resent so far */
	if (tcp_seq_lt(c->snd_nxt, c->snd_max))
		c->rexmit_quota += 2; /* resending after a timeout: open up as slow start would */
	if (c->rtt_on && tcp_seq_ge(seg->ack, c->rtt_seq)) {
		tcp__rtt_sample(c, s->now - c->rtt_t0);
		c->rtt_on = false;
	} else if (c->retries) {
		/* New data got through after timeouts: end the backoff (RFC 6298 5.7 lets the
		 * estimate restart; like lwIP, take the RTO from SRTT and RTTVAR again). */
		tcp__rto_update(c);
	}
	c->retries = 0;
	c->dupacks = 0;
	/* RFC 6298 (5.2, 5.3): stop the timer when nothing is in flight, else restart it. */
	if (c->snd_una == c->snd_nxt) {
		if (c->timer == TCP__T_REXMIT)
			tcp__timer_stop(c);
	} else {
		tcp__timer_set(c, TCP__T_REXMIT, s->now + c->rto);
	}
	if (c->tx_was_full && data) {
		c->tx_was_full = false;
		tcp__conn_post(c, TCP_EV_WRITABLE);
	}
	tcp__conn_want_output(c); /* the window moved: more may go */
}

/* RFC 5681 section 2: a duplicate ACK repeats snd_una, carries nothing, keeps the window, and
 * comes while data is outstanding. The third one triggers a fast retransmission. */
static void dupack_check(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (seg->ack != c->snd_una || seg->len || (seg->flags & (PKT_TCP_SYN | PKT_TCP_FIN)) ||
	    seg->wnd != c->snd_wnd || c->snd_una == c->snd_max)
		return;
	c->stack->st.tcp_dup_acks++;
	if (++c->dupacks == TCP__DUPACK_LIMIT) {
		c->fast_rexmit = true;
		tcp__conn_want_output(c);
	}
}

/* RFC 9293 3.10.7.4 fifth: take the window from the newest segment only (SND.WL1, SND.WL2). */
static void window_update(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (!tcp_seq_lt(c->snd_wl1, seg->seq) &&
	    !(c->snd_wl1 == seg->seq && tcp_seq_le(c->snd_wl2, seg->ack)))
		return;
	if (c->snd_wnd == 0 && seg->wnd > 0)
		c->probes = 0; /* the window opened */
	if (seg->wnd != c->snd_wnd)
		tcp__conn_want_output(c);
	c->snd_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	if (seg->wnd > c->snd_max_wnd)
		c->snd_max_wnd = seg->wnd;
}

/* SYN-RECEIVED: an ACK of our SYN completes the handshake; returns false if it does not. */
static bool syn_rcvd_ack(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (!tcp_seq_gt(seg->ack, c->snd_una) || tcp_seq_gt(seg->ack, c->snd_max)) {
		tcp__rst_reply(c->stack, seg); /* <SEQ=SEG.ACK><CTL=RST> */
		return false;
	}
	c->state = TCP_ST_ESTABLISHED;
	c->stack->st.tcp_established++;
	tcp__conn_post(c, c->app_owned ? TCP_EV_CONNECTED : TCP_EV_ACCEPT);
	return true;
}

/* The states waiting for the ACK of our FIN move on; returns false when c ended. */
static bool ack_state(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;

	if (!c->shut_wr || !tcp_seq_gt(c->snd_una, c->fin_seq))
		return true;
	switch (c->state) {
	case TCP_ST_FIN_WAIT_1:
		c->state = TCP_ST_FIN_WAIT_2;
		if (c->app_closed) /* nobody will close our side: do not wait for ever */
			tcp__timer_set(c, TCP__T_FIN_WAIT2, s->now + s->cfg.fin_wait2_ns);
		break;
	case TCP_ST_CLOSING:
		tcp__conn_enter_time_wait(c);
		break;
	case TCP_ST_LAST_ACK:
		tcp__conn_finish(c, 0);
		break;
	default:
		break;
	}
	return tcp__alive(c);
}

/* RFC 9293 3.10.7.4 fifth, with RFC 5961 section 5.2's range; returns false when the segment
 * goes no further. */
static bool ack_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (c->state == TCP_ST_SYN_RCVD && !syn_rcvd_ack(c, seg))
		return false;
	if (tcp_seq_gt(seg->ack, c->snd_max) || tcp_seq_lt(seg->ack, c->snd_una - c->snd_max_wnd)) {
		c->stack->st.tcp_bad_ack++; /* acknowledges what we never sent, or far too old */
		c->ack_now = true;
		tcp__conn_want_output(c);
		return false;
	}
	if (tcp_seq_gt(seg->ack, c->snd_una))
		ack_advance(c, seg);
	else
		dupack_check(c, seg);
	window_update(c, seg);
	if (c->timer == TCP__T_PERSIST)
		c->retries = 0; /* the peer answers our probes: it is alive */
	return ack_state(c);
}

/* RFC 9293 section 3.10.7.4 first: the four cases of segment length and receive window. */
static bool seq_acceptable(const struct tcp_conn *c, const struct tcp__seg *seg)
{
	uint32_t wnd = tcp__ring_free(&c->rx);
	uint32_t len = seg->len + !!(seg->flags & PKT_TCP_SYN) + !!(seg->flags & PKT_TCP_FIN);
	uint32_t end = c->rcv_nxt + wnd;

	if (len == 0 && wnd == 0)
		return seg->seq == c->rcv_nxt;
	if (len == 0)
		return tcp_seq_in(seg->seq, c->rcv_nxt, end);
	if (wnd == 0)
		return false;
	return tcp_seq_in(seg->seq, c->rcv_nxt, end) ||
	       tcp_seq_in(seg->seq + len - 1, c->rcv_nxt, end);
}

/* RFC 5961 section 7: an ACK that says where we are, at most TCP__CHACK_PER_S a second. */
static void challenge_ack(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;
	uint64_t second = s->now / 1000000000ull;

	if (second != s->chack_second) {
		s->chack_second = second;
		s->chack_count = 0;
	}
	if (s->chack_count >= TCP__CHACK_PER_S)
		return;
	s->chack_count++;
	s->st.tcp_challenge_acks++;
	c->ack_now = true;
	tcp__conn_want_output(c);
}

/* RFC 9293 3.10.7.4 eighth, TIME-WAIT: the peer resent its FIN (our last ACK was lost), so
 * it is still there; acknowledge it and restart the 2*MSL wait. */
static void time_wait_restart(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;

	c->ack_now = true;
	tcp__conn_want_output(c);
	tcp__timer_set(c, TCP__T_TIME_WAIT,
		       s->now + (s->cfg.no_time_wait ? 0 : s->cfg.time_wait_ns));
}

/* First check: a segment outside the window is answered with an ACK (an RST is dropped
 * silently) and goes no further. With our window shut, the ACK of a segment at rcv_nxt is
 * still taken (RFC 9293: "special allowance ... to accept valid ACKs"). */
static bool check_seq(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (seq_acceptable(c, seg))
		return true;
	c->stack->st.tcp_not_acceptable++;
	if (seg->flags & PKT_TCP_RST) {
		c->stack->st.tcp_rst_ignored++;
		return false;
	}
	c->ack_now = true;
	tcp__conn_want_output(c);
	if (c->state == TCP_ST_TIME_WAIT && (seg->flags & PKT_TCP_FIN))
		time_wait_restart(c); /* a resent FIN is old, hence "unacceptable" */
	if (tcp__ring_free(&c->rx) == 0 && seg->seq == c->rcv_nxt &&
	    (seg->flags & (PKT_TCP_ACK | PKT_TCP_SYN)) == PKT_TCP_ACK)
		ack_input(c, seg);
	return false;
}

/* Second check, RFC 5961 section 3.2: only an RST at exactly rcv_nxt resets the connection;
 * one elsewhere in the window may be forged and draws a challenge ACK instead. */
static void rst_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (seg->seq != c->rcv_nxt) {
		challenge_ack(c);
		return;
	}
	c->stack->st.tcp_resets_in++;
	tcp__conn_finish(c, c->state == TCP_ST_TIME_WAIT ? 0 : -ECONNRESET);
}

/* deliver. 8< */
/* In-order data: into the receive ring, then whatever out-of-order ranges it joined. */
static void deliver(struct tcp_conn *c, const uint8_t *p, uint32_t len)
{
	struct tcp_stack *s = c->stack;
	uint32_t end;

	tcp__ring_write(&c->rx, p, len);
	c->rcv_nxt += len;
	s->st.tcp_bytes_in += len;
	while (tcp__ooo_take(&c->ooo, c->rcv_nxt, &end)) {
		if (tcp_seq_gt(end, c->rcv_nxt)) {
			tcp__ring_commit(&c->rx, end - c->rcv_nxt);
			s->st.tcp_bytes_in += end - c->rcv_nxt;
			c->rcv_nxt = end;
		}
	}
	tcp__conn_post(c, TCP_EV_READABLE);
}
/* >8 End of deliver. */

/* Data after a gap: written at its place in the ring, remembered as a range. */
static void ooo_store(struct tcp_conn *c, uint32_t seq, uint32_t off, const uint8_t *p,
		      uint32_t len)
{
	if (tcp__ooo_add(&c->ooo, seq, seq + len)) {
		c->stack->st.tcp_ooo_dropped++; /* too many gaps: the peer will resend it */
		return;
	}
	tcp__ring_poke(&c->rx, c->rx.used + off, p, len);
	c->stack->st.tcp_ooo_queued++;
}

/* RFC 9293 3.10.7.4 seventh: the segment's text, trimmed to what is new and fits the window. */
static void data_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	const uint8_t *p = seg->data;
	uint32_t seq = seg->seq, len = seg->len, wnd, off;

	if (len == 0)
		return;
	if (c->state != TCP_ST_ESTABLISHED && c->state != TCP_ST_FIN_WAIT_1 &&
	    c->state != TCP_ST_FIN_WAIT_2)
		return; /* after the peer's FIN nothing more can come */
	c->ack_now = true;
	tcp__conn_want_output(c);
	if (tcp_seq_lt(seq, c->rcv_nxt)) {
		uint32_t old = c->rcv_nxt - seq;

		if (old >= len)
			return;
		p += old;
		len -= old;
		seq = c->rcv_nxt;
	}
	wnd = tcp__ring_free(&c->rx);
	off = seq - c->rcv_nxt;
	if (off >= wnd)
		return;
	if (len > wnd - off)
		len = wnd - off;
	if (c->app_closed) {
		/* Nobody reads any more: acknowledge in-order data and forget it. */
		c->stack->st.tcp_data_after_close++;
		if (off == 0)
			c->rcv_nxt += len;
		return;
	}
	if (off == 0)
		deliver(c, p, len);
	else
		ooo_store(c, seq, off, p, len);
}

/* RFC 9293 3.10.7.4 eighth: note where the peer's FIN is; it counts once every byte before
 * it arrived (fin_check). */
static void fin_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (!(seg->flags & PKT_TCP_FIN))
		return;
	c->ack_now = true;
	tcp__conn_want_output(c);
	switch (c->state) {
	case TCP_ST_ESTABLISHED:
	case TCP_ST_FIN_WAIT_1:
	case TCP_ST_FIN_WAIT_2:
		c->fin_known = true;
		c->rcv_fin_seq = seg->seq + seg->len;
		break;
	case TCP_ST_TIME_WAIT:
		time_wait_restart(c);
		break;
	default:
		break; /* a FIN we have already */
	}
}

/* The peer's FIN, once in order: end of stream for the application, and the next state. */
static void fin_check(struct tcp_conn *c)
{
	if (!c->fin_known || c->rcv_nxt != c->rcv_fin_seq)
		return;
	c->fin_known = false;
	c->rcv_fin = true;
	c->rcv_nxt++;
	c->ack_now = true;
	tcp__conn_want_output(c);
	tcp__conn_post(c, TCP_EV_READABLE);
	switch (c->state) {
	case TCP_ST_ESTABLISHED:
		c->state = TCP_ST_CLOSE_WAIT;
		break;
	case TCP_ST_FIN_WAIT_1:
		c->state =
			TCP_ST_CLOSING; /* both closed at once; our FIN is not acknowledged yet */
		break;
	case TCP_ST_FIN_WAIT_2:
		tcp__conn_enter_time_wait(c);
		break;
	default:
		break;
	}
}

/* RFC 9293 section 3.10.7.3: the answer to our SYN. */
static void syn_sent_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	struct tcp_stack *s = c->stack;
	bool ack = seg->flags & PKT_TCP_ACK;

	if (ack && (tcp_seq_le(seg->ack, c->iss) || tcp_seq_gt(seg->ack, c->snd_max))) {
		tcp__rst_reply(s, seg); /* not about our SYN (never answers an RST) */
		return;
	}
	if (seg->flags & PKT_TCP_RST) {
		if (ack) {
			s->st.tcp_resets_in++;
			tcp__conn_finish(c, -ECONNREFUSED);
		}
		return;
	}
	if (!(seg->flags & PKT_TCP_SYN))
		return;
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	set_mss(c, seg->mss);
	c->snd_wnd = c->snd_max_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	c->ack_now = true;
	tcp__conn_want_output(c);
	if (!ack) {
		c->state = TCP_ST_SYN_RCVD; /* simultaneous open: our SYN goes again, with an ACK */
		c->snd_nxt = c->iss;
		return;
	}
	ack_advance(c, seg);
	c->state = TCP_ST_ESTABLISHED;
	s->st.tcp_established++;
	tcp__conn_post(c, TCP_EV_CONNECTED);
}

/* A segment for an existing connection. */
static void conn_input(struct tcp_conn *c, const struct tcp__seg *seg)
{
	if (c->state == TCP_ST_SYN_SENT) {
		syn_sent_input(c, seg);
		return;
	}
	if (c->state == TCP_ST_SYN_RCVD &&
	    (seg->flags & (PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_RST)) == PKT_TCP_SYN &&
	    seg->seq == c->irs) {
		c->snd_nxt = c->iss; /* the peer resent its SYN: our SYN-ACK was lost */
		tcp__conn_want_output(c);
		return;
	}
	if (!check_seq(c, seg))
		return;
	if (seg->flags & PKT_TCP_RST) {
		rst_input(c, seg);
		return;
	}
	if (seg->flags & PKT_TCP_SYN) {
		challenge_ack(c); /* RFC 5961 section 4: a SYN in a synchronized state */
		return;
	}
	if (!(seg->flags & PKT_TCP_ACK) || !ack_input(c, seg))
		return;
	data_input(c, seg);
	fin_input(c, seg);
	fin_check(c);
}

/* RFC 6191 (and RFC 1122 4.2.2.13): a new SYN with a higher sequence number may end
 * TIME_WAIT early, so a client reusing its port is not refused. */
static bool syn_ends_time_wait(const struct tcp_conn *c, const struct tcp__seg *seg)
{
	return c->state == TCP_ST_TIME_WAIT &&
	       (seg->flags & (PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_RST)) == PKT_TCP_SYN &&
	       tcp_seq_gt(seg->seq, c->rcv_nxt) && tcp__is_listening(c->stack, seg->dport);
}

int tcp__tcp_input(struct tcp_stack *s, const struct eth_hdr *eth, const struct ipv4_hdr *ip,
		   const uint8_t *l4, size_t len)
{
	struct tcp__seg seg;
	struct tcp_conn *c;
	int err = parse_seg(s, ip, l4, len, &seg);

	if (err)
		return err;
	seg.src_mac = eth->src;
	s->st.tcp_segs_in++;
	c = tcp__conn_lookup(s, seg.saddr, seg.sport, seg.dport);
	if (c && syn_ends_time_wait(c, &seg)) {
		tcp__conn_finish(c, 0);
		c = NULL;
	}
	if (c)
		conn_input(c, &seg);
	else if (tcp__is_listening(s, seg.dport))
		listen_input(s, &seg);
	else {
		s->st.tcp_no_conn++;
		tcp__rst_reply(s, &seg);
	}
	return 0;
}
