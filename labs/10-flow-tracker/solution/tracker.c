// SPDX-License-Identifier: MIT
/* tracker.c (lab 10), the reference solution. */
#include <string.h>

#include "flow.h"
#include "pkt.h"

int ft_key_make(const struct ft_pkt *p, struct ft_key *k)
{
	uint64_t s = (uint64_t)p->saddr << 16 | p->sport, d = (uint64_t)p->daddr << 16 | p->dport;
	int from_lo = s <= d;

	memset(k, 0, sizeof(*k));
	k->proto = PKT_IPPROTO_TCP;
	k->ip_lo = from_lo ? p->saddr : p->daddr;
	k->port_lo = from_lo ? p->sport : p->dport;
	k->ip_hi = from_lo ? p->daddr : p->saddr;
	k->port_hi = from_lo ? p->dport : p->sport;
	return from_lo;
}

struct flow *ft_lookup(struct ft *ft, const struct ft_key *k)
{
	for (uint32_t i = ft->bucket[ft_hash(ft, k)]; i != FT_NIL; i = ft->flows[i].next)
		if (!memcmp(&ft->flows[i].key, k, sizeof(*k)))
			return &ft->flows[i];
	return NULL;
}

struct flow *ft_insert(struct ft *ft, const struct ft_key *k)
{
	uint32_t i = ft->free_head, h = ft_hash(ft, k);
	struct flow *f;

	if (i == FT_NIL)
		return NULL;
	f = &ft->flows[i];
	ft->free_head = f->next;
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->next = ft->bucket[h];
	ft->bucket[h] = i;
	ft->active++;
	return f;
}

void ft_remove(struct ft *ft, struct flow *f)
{
	uint32_t i = (uint32_t)(f - ft->flows), *pp = &ft->bucket[ft_hash(ft, &f->key)];

	while (*pp != i)
		pp = &ft->flows[*pp].next;
	*pp = f->next;
	f->state = FT_FREE;
	f->next = ft->free_head;
	ft->free_head = i;
	ft->active--;
}

/* Opens a flow for a SYN; NULL (counted) for anything else or a full table. */
static struct flow *open_flow(struct ft *ft, const struct ft_pkt *p, const struct ft_key *k,
			      int from_lo)
{
	struct flow *f;

	if ((p->flags & (PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_RST)) != PKT_TCP_SYN) {
		ft->st.untracked++;
		return NULL;
	}
	f = ft_insert(ft, k);
	if (!f) {
		ft->st.full++;
		return NULL;
	}
	f->state = FT_SYN_SENT;
	f->client_lo = (uint8_t)from_lo;
	f->first_ns = p->ts_ns;
	ft_raise(ft, f, FT_EV_NEW, p->ts_ns);
	return f;
}

/* The close: each side's FIN, and the other side's ACK of it (at or past FIN + 1, across the
 * wrap of the sequence space); both acknowledged closes the flow. */
static void track_close(struct ft *ft, struct flow *f, const struct ft_pkt *p, int d)
{
	int other = !d;

	if ((p->flags & PKT_TCP_FIN) && !(f->fin_sent & (1 << d))) {
		f->fin_sent |= (uint8_t)(1 << d);
		f->fin_ack[d] = p->seq + p->payload_len + 1;
		f->state = FT_FIN_WAIT;
	}
	if ((p->flags & PKT_TCP_ACK) && (f->fin_sent & (1 << other)) &&
	    (int32_t)(p->ack - f->fin_ack[other]) >= 0)
		f->fin_acked |= (uint8_t)(1 << other);
	if (f->fin_acked == 3) {
		ft_raise(ft, f, FT_EV_CLOSED, p->ts_ns);
		ft_remove(ft, f);
	}
}

void ft_packet(struct ft *ft, const struct ft_pkt *p)
{
	struct ft_key k;
	int from_lo = ft_key_make(p, &k), d;
	uint8_t sa = p->flags & (PKT_TCP_SYN | PKT_TCP_ACK);
	struct flow *f = ft_lookup(ft, &k);

	ft->st.packets++;
	if (!f && !(f = open_flow(ft, p, &k, from_lo)))
		return;
	d = from_lo == f->client_lo ? FT_CLIENT : FT_SERVER;
	f->last_ns = p->ts_ns;
	f->pkts[d]++;
	f->bytes[d] += p->payload_len;
	if (p->flags & PKT_TCP_RST) {
		ft_raise(ft, f, FT_EV_RESET, p->ts_ns);
		ft_remove(ft, f);
		return;
	}
	if (f->state == FT_SYN_SENT && d == FT_SERVER && sa == (PKT_TCP_SYN | PKT_TCP_ACK))
		f->state = FT_SYN_RCVD;
	else if (f->state == FT_SYN_RCVD && d == FT_CLIENT && sa == PKT_TCP_ACK) {
		f->state = FT_ESTABLISHED;
		ft_raise(ft, f, FT_EV_ESTABLISHED, p->ts_ns);
	}
	if (f->state >= FT_ESTABLISHED)
		track_close(ft, f, p, d);
}

static uint64_t timeout_of(const struct flow *f)
{
	switch (f->state) {
	case FT_ESTABLISHED:
		return FT_TIMEOUT_IDLE_NS;
	case FT_FIN_WAIT:
		return FT_TIMEOUT_CLOSING_NS;
	default:
		return FT_TIMEOUT_HANDSHAKE_NS;
	}
}

unsigned ft_expire(struct ft *ft, uint64_t now_ns)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < ft->capacity; i++) {
		struct flow *f = &ft->flows[i];

		if (f->state == FT_FREE || now_ns <= f->last_ns ||
		    now_ns - f->last_ns <= timeout_of(f))
			continue;
		ft_raise(ft, f, FT_EV_TIMEOUT, now_ns);
		ft_remove(ft, f);
		n++;
	}
	return n;
}
