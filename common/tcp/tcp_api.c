// SPDX-License-Identifier: MIT
/*
 * tcp_api.c: the TCP stack as an application sees it, in the spirit of sockets and epoll:
 * tcp_listen() and tcp_connect() open, tcp_events() says which connections changed (accepted,
 * connected, readable, writable, closed), tcp_recv() and tcp_send() move bytes through the
 * connection's rings, tcp_shutdown() half-closes, tcp_close() gives the connection back and
 * lets the stack finish the close on its own.
 *
 * Who owns a connection: the stack, until the application receives it (TCP_EV_ACCEPT, or
 * tcp_connect()); then the application, until tcp_close() or tcp_abort(). A connection that
 * ends while the application holds it stays, CLOSED, until the application lets go.
 */
#include <errno.h>

#include "tcp_int.h"

int tcp_listen(struct tcp_stack *s, uint16_t port)
{
	if (port == 0)
		return -EINVAL;
	if (tcp__is_listening(s, port))
		return -EADDRINUSE;
	if (s->nlisten == TCP_LISTEN_MAX)
		return -ENOSPC;
	s->listen_port[s->nlisten++] = port;
	return 0;
}

/* RFC 6056 section 3.3.1: a local port for ip:port, searched from a random place; 0 when every
 * ephemeral port is taken toward that peer. */
static uint16_t pick_port(struct tcp_stack *s, uint32_t ip, uint16_t port)
{
	const uint32_t lo = s->cfg.ephemeral_lo, n = 65536 - lo;
	uint32_t start = (uint32_t)(tcp__random(s) % n);

	for (uint32_t i = 0; i < n; i++) {
		uint16_t p = (uint16_t)(lo + (start + i) % n);

		if (!tcp__is_listening(s, p) && !tcp__conn_lookup(s, ip, port, p))
			return p;
	}
	return 0;
}

int tcp_connect(struct tcp_stack *s, uint32_t ip, uint16_t port, struct tcp_conn **out)
{
	struct tcp_conn *c;
	uint32_t hop;
	uint16_t lport;
	int err;

	if (ip == 0 || port == 0)
		return -EINVAL;
	err = tcp__next_hop(s, ip, &hop);
	if (err)
		return err;
	if (!s->free_conns)
		return -ENOSPC;
	lport = pick_port(s, ip, port);
	if (!lport)
		return -EADDRNOTAVAIL;
	c = tcp__conn_new(s, ip, port, lport);
	c->next_hop = hop;
	c->mac_ok = tcp__arp_lookup(s, hop, c->mac);
	c->state = TCP_ST_SYN_SENT;
	c->app_owned = true;
	c->iss = tcp__isn(s, ip, port, lport);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->snd_mss = s->cfg.mss;
	s->st.tcp_active_opens++;
	tcp__conn_want_output(c); /* the SYN */
	*out = c;
	return 0;
}

unsigned tcp_events(struct tcp_stack *s, struct tcp_event *evs, unsigned max)
{
	unsigned n = 0;

	while (n < max && !tcp__list_empty(&s->ev_list)) {
		struct tcp_conn *c = tcp__conn_of(s->ev_list.next, ev_node);

		tcp__list_del(&c->ev_node);
		c->app_owned = true; /* an accepted connection is the application's from now on */
		evs[n].conn = c;
		evs[n].events = c->events;
		evs[n].err = c->err;
		c->events = 0;
		n++;
	}
	return n;
}

/* RFC 9293 section 3.8.6.2.2 (receiver-side silly window avoidance): after a read, announce
 * the larger window only once it grew by an MSS or half the buffer. */
static void recv_window_update(struct tcp_conn *c)
{
	uint32_t right = c->rcv_nxt + tcp__ring_free(&c->rx);
	uint32_t step = c->rx.cap / 2 < c->stack->cfg.mss ? c->rx.cap / 2 : c->stack->cfg.mss;

	if (c->state != TCP_ST_ESTABLISHED && c->state != TCP_ST_FIN_WAIT_1 &&
	    c->state != TCP_ST_FIN_WAIT_2)
		return;
	if (step == 0)
		step = 1;
	if ((int32_t)(right - c->rcv_adv) >= (int32_t)step) {
		c->ack_now = true;
		tcp__conn_want_output(c);
	}
}

ssize_t tcp_recv(struct tcp_conn *c, void *buf, size_t len)
{
	uint32_t n;

	if (c->err)
		return c->err;
	if (c->rx.used == 0)
		return c->rcv_fin || c->state == TCP_ST_CLOSED ? 0 : -EAGAIN;
	n = tcp__ring_read(&c->rx, buf, len > TCP_BUF_MAX ? TCP_BUF_MAX : (uint32_t)len);
	if (n)
		recv_window_update(c);
	return n;
}

ssize_t tcp_send(struct tcp_conn *c, const void *buf, size_t len)
{
	uint32_t n;

	if (c->err)
		return c->err;
	if (c->shut_wr)
		return -EPIPE;
	if (c->state != TCP_ST_ESTABLISHED && c->state != TCP_ST_CLOSE_WAIT)
		return -ENOTCONN;
	n = tcp__ring_write(&c->tx, buf, len > TCP_BUF_MAX ? TCP_BUF_MAX : (uint32_t)len);
	if (n)
		tcp__conn_want_output(c);
	if (tcp__ring_free(&c->tx) == 0)
		c->tx_was_full = true; /* TCP_EV_WRITABLE when ACKs make room */
	return n;
}

size_t tcp_send_space(const struct tcp_conn *c)
{
	if (c->err || c->shut_wr ||
	    (c->state != TCP_ST_ESTABLISHED && c->state != TCP_ST_CLOSE_WAIT))
		return 0;
	return tcp__ring_free(&c->tx);
}

size_t tcp_recv_avail(const struct tcp_conn *c)
{
	return c->rx.used;
}

/* RFC 9293 section 3.10.4 (CLOSE): the state changes now, the FIN leaves after the data. */
int tcp_shutdown(struct tcp_conn *c)
{
	if (c->shut_wr)
		return 0;
	if (c->state == TCP_ST_ESTABLISHED)
		c->state = TCP_ST_FIN_WAIT_1;
	else if (c->state == TCP_ST_CLOSE_WAIT)
		c->state = TCP_ST_LAST_ACK;
	else
		return -ENOTCONN;
	c->shut_wr = true;
	c->fin_seq = c->snd_una + c->tx.used; /* the sequence number after the last byte */
	tcp__conn_want_output(c);
	return 0;
}

void tcp_close(struct tcp_conn *c)
{
	if (!c || c->app_closed)
		return;
	c->app_closed = true;
	c->events = 0;
	tcp__list_del(&c->ev_node);
	switch (c->state) {
	case TCP_ST_CLOSED:
		tcp__conn_free(c); /* it ended before: only the handle was left */
		break;
	case TCP_ST_SYN_SENT:
		tcp__conn_finish(c, 0); /* RFC 9293 3.10.4: delete the TCB */
		break;
	case TCP_ST_SYN_RCVD:
		tcp__conn_rst(c);
		tcp__conn_finish(c, 0);
		break;
	case TCP_ST_ESTABLISHED:
	case TCP_ST_CLOSE_WAIT:
		tcp_shutdown(c);
		break;
	case TCP_ST_FIN_WAIT_2:
		if (c->timer == TCP__T_NONE)
			tcp__timer_set(c, TCP__T_FIN_WAIT2,
				       c->stack->now + c->stack->cfg.fin_wait2_ns);
		break;
	default:
		break; /* FIN on its way or done; TIME_WAIT ends by itself */
	}
}

void tcp_abort(struct tcp_conn *c)
{
	if (!c || c->app_closed)
		return;
	c->app_closed = true;
	if (c->state == TCP_ST_CLOSED) {
		tcp__conn_free(c);
		return;
	}
	if (c->state != TCP_ST_SYN_SENT && c->state != TCP_ST_TIME_WAIT)
		tcp__conn_rst(c);
	tcp__conn_finish(c, -ECONNABORTED);
}

enum tcp_state tcp_conn_state(const struct tcp_conn *c)
{
	return c->state;
}

int tcp_conn_error(const struct tcp_conn *c)
{
	return c->err;
}

void tcp_conn_set_user(struct tcp_conn *c, void *user)
{
	c->user = user;
}

void *tcp_conn_user(const struct tcp_conn *c)
{
	return c->user;
}

void tcp_conn_get_info(const struct tcp_conn *c, struct tcp_conn_info *info)
{
	info->local_ip = c->lip;
	info->remote_ip = c->rip;
	info->local_port = c->lport;
	info->remote_port = c->rport;
	info->state = c->state;
	info->snd_mss = c->snd_mss;
	info->srtt_ns = c->srtt;
	info->rto_ns = c->rto;
}
