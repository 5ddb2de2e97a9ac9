// SPDX-License-Identifier: MIT
/*
 * tcp_arp.c: ARP for the TCP stack (RFC 826). It answers requests for the stack's address,
 * learns MACs into a small cache (a linear array: a handful of neighbours, bounded by
 * cfg.arp_cache, entries expire after cfg.arp_ttl_ns) and resolves next hops. A frame whose
 * next hop has no MAC yet waits in a bounded queue (cfg.arp_queue frames) while a request is
 * sent every cfg.arp_retry_ns; the reply releases the frames to the control queue, and after
 * cfg.arp_retries unanswered requests they are dropped and counted. Gratuitous ARP is not
 * sent. In practice only tcp_connect() needs this: a passive connection takes its peer's
 * MAC from the SYN, and replies (RST, ICMP) go back to the frame's sender.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "tcp_int.h"

#define ARP_HTYPE_ETHER 1
#define ARP_OP_REQUEST  1
#define ARP_OP_REPLY    2
#define ARP_FRAME_LEN   (PKT_ETH_HLEN + (int)sizeof(struct arp_hdr))

static const uint8_t mac_broadcast[PKT_ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct tcp__arp_entry *arp_find(struct tcp_stack *s, uint32_t ip)
{
	for (unsigned i = 0; i < s->cfg.arp_cache; i++) {
		if (s->arp[i].state != TCP__ARP_FREE && s->arp[i].ip == ip)
			return &s->arp[i];
	}
	return NULL;
}

/* Returns a free entry, evicting the valid entry closest to expiry when there is none;
 * NULL when every entry waits for an answer. */
static struct tcp__arp_entry *arp_alloc(struct tcp_stack *s)
{
	struct tcp__arp_entry *victim = NULL;

	for (unsigned i = 0; i < s->cfg.arp_cache; i++) {
		struct tcp__arp_entry *e = &s->arp[i];

		if (e->state == TCP__ARP_FREE)
			return e;
		if (e->state == TCP__ARP_VALID && (!victim || e->when < victim->when))
			victim = e;
	}
	if (victim)
		s->st.arp_cache_evicted++;
	return victim;
}

/* Writes an ARP packet (operation op, to tha/tpa) in a frame to eth_dst into the control
 * queue. */
static void arp_send(struct tcp_stack *s, uint16_t op, const uint8_t *eth_dst, const uint8_t *tha,
		     uint32_t tpa)
{
	uint8_t *frame = tcp__ctl_slot(s);
	struct eth_hdr *eth = (struct eth_hdr *)frame;
	struct arp_hdr *arp = (struct arp_hdr *)(frame + PKT_ETH_HLEN);

	if (!frame)
		return;
	memcpy(eth->dst, eth_dst, PKT_ETH_ALEN);
	memcpy(eth->src, s->cfg.mac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_ARP);
	arp->htype = htons(ARP_HTYPE_ETHER);
	arp->ptype = htons(PKT_ETHERTYPE_IPV4);
	arp->hlen = PKT_ETH_ALEN;
	arp->plen = 4;
	arp->oper = htons(op);
	memcpy(arp->sha, s->cfg.mac, PKT_ETH_ALEN);
	arp->spa = htonl(s->cfg.ip);
	memcpy(arp->tha, tha, PKT_ETH_ALEN);
	arp->tpa = htonl(tpa);
	tcp__ctl_commit(s, ARP_FRAME_LEN);
}

static void arp_request(struct tcp_stack *s, uint32_t ip)
{
	static const uint8_t unknown[PKT_ETH_ALEN];

	arp_send(s, ARP_OP_REQUEST, mac_broadcast, unknown, ip);
	s->st.arp_requests_out++;
}

/* Sends the frames waiting for ip to mac (through the control queue), or drops them when mac
 * is NULL (no answer came); frees their slots. */
static void arp_release(struct tcp_stack *s, uint32_t ip, const uint8_t *mac)
{
	for (unsigned i = 0; i < s->cfg.arp_queue; i++) {
		struct tcp__arp_wait *w = &s->arpq[i];
		uint8_t *frame;

		if (!w->used || w->next_hop != ip)
			continue;
		w->used = false;
		if (!mac) {
			s->st.arp_given_up++;
			continue;
		}
		frame = tcp__ctl_slot(s);
		if (!frame)
			continue;
		memcpy(frame, w->f.data, w->f.len);
		memcpy(((struct eth_hdr *)frame)->dst, mac, PKT_ETH_ALEN);
		tcp__ctl_commit(s, w->f.len);
	}
}

/* Stores ip -> mac; creates the entry only when create is true (RFC 826's merge rule). */
static void arp_learn(struct tcp_stack *s, uint32_t ip, const uint8_t *mac, bool create)
{
	struct tcp__arp_entry *e = arp_find(s, ip);

	if (!e && !create)
		return;
	if (!e)
		e = arp_alloc(s);
	if (!e)
		return;
	if (e->state == TCP__ARP_PENDING)
		s->arp_pending--;
	e->ip = ip;
	memcpy(e->mac, mac, PKT_ETH_ALEN);
	e->state = TCP__ARP_VALID;
	e->when = s->now + s->cfg.arp_ttl_ns;
	arp_release(s, ip, mac);
}

/* RFC 826, "Packet Reception": merge the sender into the cache, then answer if we are the
 * target. Returns 0 or -errno when the packet was dropped. */
int tcp__arp_input(struct tcp_stack *s, const uint8_t *pkt, size_t len)
{
	const struct arp_hdr *arp = (const struct arp_hdr *)pkt;
	uint32_t spa, tpa;
	bool for_us;

	if (len < sizeof(*arp) || ntohs(arp->htype) != ARP_HTYPE_ETHER ||
	    ntohs(arp->ptype) != PKT_ETHERTYPE_IPV4 || arp->hlen != PKT_ETH_ALEN ||
	    arp->plen != 4) {
		s->st.arp_bad++;
		return -EBADMSG;
	}
	spa = ntohl(arp->spa);
	tpa = ntohl(arp->tpa);
	for_us = tpa == s->cfg.ip;
	/* An all-zero sender is an address probe (RFC 5227); our own is a conflict: learn
	 * neither. */
	if (spa != 0 && spa != s->cfg.ip)
		arp_learn(s, spa, arp->sha, for_us);
	if (!for_us)
		return 0;
	if (ntohs(arp->oper) == ARP_OP_REQUEST) {
		s->st.arp_requests_in++;
		arp_send(s, ARP_OP_REPLY, arp->sha, arp->sha, spa);
		s->st.arp_replies_out++;
	} else if (ntohs(arp->oper) == ARP_OP_REPLY) {
		s->st.arp_replies_in++;
	}
	return 0;
}

/* Copies the MAC of ip into mac when the cache holds a valid one; returns true then. */
bool tcp__arp_lookup(struct tcp_stack *s, uint32_t ip, uint8_t *mac)
{
	struct tcp__arp_entry *e = arp_find(s, ip);

	if (!e || e->state != TCP__ARP_VALID)
		return false;
	if (e->when <= s->now) {
		e->state = TCP__ARP_FREE; /* expired: ask again */
		return false;
	}
	memcpy(mac, e->mac, PKT_ETH_ALEN);
	return true;
}

/* Keeps a copy of a frame for next_hop until its MAC is known, asking for it if nobody has
 * yet. Dropped (and counted) when the queue or the cache is full: TCP will resend. */
void tcp__arp_hold(struct tcp_stack *s, uint32_t next_hop, const uint8_t *frame, size_t len)
{
	struct tcp__arp_entry *e = arp_find(s, next_hop);
	struct tcp__arp_wait *slot = NULL;

	if (!e) {
		e = arp_alloc(s);
		if (!e) {
			s->st.arp_queue_full++;
			return;
		}
		e->ip = next_hop;
		e->state = TCP__ARP_PENDING;
		e->tries = 1;
		e->when = s->now + s->cfg.arp_retry_ns;
		s->arp_pending++;
		arp_request(s, next_hop);
	}
	for (unsigned i = 0; i < s->cfg.arp_queue && !slot; i++) {
		if (!s->arpq[i].used)
			slot = &s->arpq[i];
	}
	if (!slot || len > TCP_FRAME_MAX) {
		s->st.arp_queue_full++;
		return;
	}
	slot->used = true;
	slot->next_hop = next_hop;
	slot->f.len = (uint32_t)len;
	memcpy(slot->f.data, frame, len);
	s->st.arp_queued++;
}

/* Resends requests that got no answer, and gives up after cfg.arp_retries of them. */
void tcp__arp_timers(struct tcp_stack *s)
{
	if (s->arp_pending == 0)
		return;
	for (unsigned i = 0; i < s->cfg.arp_cache; i++) {
		struct tcp__arp_entry *e = &s->arp[i];

		if (e->state != TCP__ARP_PENDING || e->when > s->now)
			continue;
		if (e->tries >= s->cfg.arp_retries) {
			e->state = TCP__ARP_FREE;
			s->arp_pending--;
			arp_release(s, e->ip, NULL);
			continue;
		}
		e->tries++;
		e->when = s->now + s->cfg.arp_retry_ns;
		arp_request(s, e->ip);
	}
}

/* Returns when tcp__arp_timers() has work next (UINT64_MAX: never). */
uint64_t tcp__arp_next_deadline(const struct tcp_stack *s)
{
	uint64_t next = UINT64_MAX;

	if (s->arp_pending == 0)
		return next;
	for (unsigned i = 0; i < s->cfg.arp_cache; i++) {
		if (s->arp[i].state == TCP__ARP_PENDING && s->arp[i].when < next)
			next = s->arp[i].when;
	}
	return next;
}
