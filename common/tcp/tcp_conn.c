// SPDX-License-Identifier: MIT
/*
 * tcp_conn.c: the connection table. All cfg.max_conns connections and their buffers were
 * allocated by tcp_stack_new(); free ones wait in a list, used ones sit in a hash table keyed
 * by the 4-tuple (our address is always the same, so the key is the remote address and port
 * and our port). When the table is full a new SYN is dropped: a SYN flood fills the table but
 * cannot make the stack allocate. Also here: the initial sequence number (RFC 6528), the
 * stack's random numbers, the lists of connections with output or events, and the end of a
 * connection's life.
 */
#include "tcp_int.h"

/* splitmix64's finaliser: mixes every input bit into every output bit. Not cryptographic:
 * RFC 6528 asks for a keyed cryptographic hash (e.g. SipHash); a teaching stack uses this. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t tcp__random(struct tcp_stack *s)
{
	s->rng += 0x9e3779b97f4a7c15ull; /* splitmix64 */
	return mix64(s->rng);
}

static uint64_t tuple_key(uint32_t rip, uint16_t rport, uint16_t lport)
{
	return (uint64_t)rip << 32 | (uint32_t)rport << 16 | lport;
}

static struct tcp_conn **bucket(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	return &s->buckets[mix64(s->hash_key ^ tuple_key(rip, rport, lport)) & s->bucket_mask];
}

/* RFC 6528: ISN = M + F(4-tuple, secret), M a 4-microsecond clock. F keeps ISNs of
 * different connections unrelated; M keeps those of one 4-tuple increasing over time. */
uint32_t tcp__isn(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	uint64_t m = s->now / 4000;
	uint64_t f = mix64(s->isn_key ^ tuple_key(rip, rport, lport));

	return (uint32_t)(m + f);
}

struct tcp_conn *tcp__conn_lookup(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	for (struct tcp_conn *c = *bucket(s, rip, rport, lport); c; c = c->hnext) {
		if (c->rip == rip && c->rport == rport && c->lport == lport)
			return c;
	}
	return NULL;
}

/* Takes c out of the hash table if it is there. */
static void conn_unhash(struct tcp_conn *c)
{
	struct tcp_conn **pp = bucket(c->stack, c->rip, c->rport, c->lport);

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			c->hnext = NULL;
			return;
		}
	}
}

/* Resets the fields of a connection taken from the free list. */
static void conn_reset(struct tcp_stack *s, struct tcp_conn *c)
{
	size_t idx = (size_t)(c - s->conns);
	uint8_t *mem = s->bufmem + idx * ((size_t)s->cfg.rx_buf + s->cfg.tx_buf);

	*c = (struct tcp_conn){0}; /* every field not set below starts at 0, false or NULL */
	c->stack = s;
	tcp__list_init(&c->timer_node);
	tcp__list_init(&c->out_node);
	tcp__list_init(&c->ev_node);
	tcp__ring_init(&c->rx, mem, s->cfg.rx_buf);
	tcp__ring_init(&c->tx, mem + s->cfg.rx_buf, s->cfg.tx_buf);
	c->rto = s->cfg.rto_init_ns;
	c->snd_mss = TCP__MSS_DEFAULT;
}

/* Takes a free connection for the 4-tuple and puts it in the table; NULL when the table is
 * full. */
struct tcp_conn *tcp__conn_new(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	struct tcp_conn *c = s->free_conns;
	struct tcp_conn **b;

	if (!c)
		return NULL;
	s->free_conns = c->hnext;
	conn_reset(s, c);
	c->in_use = true;
	c->lip = s->cfg.ip;
	c->rip = rip;
	c->rport = rport;
	c->lport = lport;
	b = bucket(s, rip, rport, lport);
	c->hnext = *b;
	*b = c;
	s->nconns++;
	return c;
}

/* Returns c to the free list, off every list and out of the table. */
void tcp__conn_free(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;

	if (!c->in_use)
		return;
	conn_unhash(c);
	tcp__timer_stop(c);
	tcp__list_del(&c->out_node);
	tcp__list_del(&c->ev_node);
	c->in_use = false;
	c->hnext = s->free_conns;
	s->free_conns = c;
	s->nconns--;
}

bool tcp__is_listening(const struct tcp_stack *s, uint16_t port)
{
	for (unsigned i = 0; i < s->nlisten; i++) {
		if (s->listen_port[i] == port)
			return true;
	}
	return false;
}

/* True while c is in the table and not over: callers check it after anything that may end
 * the connection. */
bool tcp__alive(const struct tcp_conn *c)
{
	return c->in_use && c->state != TCP_ST_CLOSED;
}

/* Asks tcp_output() to look at c. */
void tcp__conn_want_output(struct tcp_conn *c)
{
	if (!tcp__linked(&c->out_node))
		tcp__list_add_tail(&c->stack->out_list, &c->out_node);
}

/* Records events for the application; none once it released the connection. */
void tcp__conn_post(struct tcp_conn *c, uint32_t events)
{
	if (c->app_closed)
		return;
	c->events |= events;
	if (!tcp__linked(&c->ev_node))
		tcp__list_add_tail(&c->stack->ev_list, &c->ev_node);
}

/* Ends c (err 0: closed normally). An application still holding it gets TCP_EV_CLOSED and
 * keeps a CLOSED connection until tcp_close(); otherwise c is freed now. */
void tcp__conn_finish(struct tcp_conn *c, int err)
{
	bool told = c->state == TCP_ST_TIME_WAIT; /* entering TIME_WAIT told the application */

	c->stack->st.tcp_closed++;
	c->state = TCP_ST_CLOSED;
	if (!c->err)
		c->err = err;
	tcp__timer_stop(c);
	tcp__list_del(&c->out_node);
	conn_unhash(c); /* the 4-tuple is free again */
	if (!c->app_owned || c->app_closed) {
		tcp__conn_free(c);
		return;
	}
	if (!told || c->err)
		tcp__conn_post(c, TCP_EV_CLOSED);
}

/* RFC 9293 section 3.6: both FINs are acknowledged; wait 2*MSL so stray segments of this
 * connection die before the 4-tuple is used again. With cfg.no_time_wait the wait is 0: the
 * connection still lasts until the next tick, so the ACK of the peer's FIN goes out first. */
void tcp__conn_enter_time_wait(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;
	uint64_t wait = s->cfg.no_time_wait ? 0 : s->cfg.time_wait_ns;

	c->state = TCP_ST_TIME_WAIT;
	tcp__timer_set(c, TCP__T_TIME_WAIT, s->now + wait);
	if (c->app_owned)
		tcp__conn_post(c, TCP_EV_CLOSED);
}
