// SPDX-License-Identifier: MIT
/*
 * ft_given.c (lab 10, given): the flow table's setup and hash, the TCP parser, the event
 * counter, a TCP frame builder (for the tests, the traces and perf), and the replay of a pcap
 * file through the tracker with libpcap.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "flow.h"
#include "pkt.h"

int ft_init(struct ft *ft, uint32_t capacity, ft_event_fn cb, void *cb_arg)
{
	memset(ft, 0, sizeof(*ft));
	if (capacity < 2 || capacity > (1u << 24) || (capacity & (capacity - 1)))
		return -1;
	ft->flows = calloc(capacity, sizeof(*ft->flows));
	ft->bucket = malloc(capacity * sizeof(*ft->bucket));
	if (!ft->flows || !ft->bucket) {
		ft_fini(ft);
		return -1;
	}
	for (uint32_t i = 0; i < capacity; i++) {
		ft->bucket[i] = FT_NIL;
		ft->flows[i].next = i + 1 < capacity ? i + 1 : FT_NIL;
	}
	ft->capacity = capacity;
	ft->mask = capacity - 1;
	ft->free_head = 0;
	ft->cb = cb;
	ft->cb_arg = cb_arg;
	return 0;
}

void ft_fini(struct ft *ft)
{
	free(ft->flows);
	free(ft->bucket);
	ft->flows = NULL;
	ft->bucket = NULL;
}

uint32_t ft_hash(const struct ft *ft, const struct ft_key *k)
{
	uint64_t a, b, h;

	memcpy(&a, k, 8);
	memcpy(&b, (const uint8_t *)k + 8, 8);
	h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full;
	return (uint32_t)(h >> 32 ^ h) & ft->mask;
}

int ft_parse(const void *frame, size_t len, uint64_t ts_ns, struct ft_pkt *p)
{
	struct pkt_cursor c;
	const struct eth_hdr *eth;
	const struct ipv4_hdr *ip;
	const struct tcp_hdr *t;
	size_t ihl, doff, tot;

	pkt_cursor_init(&c, frame, len);
	eth = pkt_cursor_pull(&c, sizeof(*eth));
	if (!eth || eth->type != htons(PKT_ETHERTYPE_IPV4))
		return -1;
	ip = pkt_cursor_pull(&c, PKT_IPV4_HLEN);
	if (!ip || (ip->ver_ihl >> 4) != 4 || ip->proto != PKT_IPPROTO_TCP ||
	    (ntohs(ip->frag_off) & 0x1fff))
		return -1;
	ihl = (size_t)(ip->ver_ihl & 0xf) * 4;
	tot = ntohs(ip->tot_len);
	if (ihl < PKT_IPV4_HLEN || !pkt_cursor_pull(&c, ihl - PKT_IPV4_HLEN))
		return -1;
	t = pkt_cursor_pull(&c, PKT_TCP_HLEN);
	doff = t ? (size_t)(t->doff_rsvd >> 4) * 4 : 0;
	if (!t || doff < PKT_TCP_HLEN || tot < ihl + doff)
		return -1;
	p->saddr = ntohl(ip->saddr);
	p->daddr = ntohl(ip->daddr);
	p->sport = ntohs(t->sport);
	p->dport = ntohs(t->dport);
	p->seq = ntohl(t->seq);
	p->ack = ntohl(t->ack);
	p->flags = t->flags;
	p->payload_len = (uint16_t)(tot - ihl - doff);
	p->ts_ns = ts_ns;
	return 0;
}

void ft_raise(struct ft *ft, const struct flow *f, enum ft_event ev, uint64_t now_ns)
{
	ft->st.events[ev]++;
	if (ft->cb)
		ft->cb(ft->cb_arg, f, ev, now_ns);
}

size_t ft_frame_build(void *buf, uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint8_t flags, uint16_t payload_len)
{
	static const uint8_t macs[12] = {2, 0, 0, 0, 10, 1, 2, 0, 0, 0, 10, 2};
	uint8_t *b = buf;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(b + PKT_ETH_HLEN);
	struct tcp_hdr *t = (struct tcp_hdr *)(b + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	uint16_t type = htons(PKT_ETHERTYPE_IPV4);
	size_t l4_len = PKT_TCP_HLEN + payload_len;

	memset(b, 0, PKT_ETH_HLEN + PKT_IPV4_HLEN + l4_len);
	memcpy(b, macs, sizeof(macs));
	memcpy(b + 12, &type, 2);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + l4_len));
	ip->frag_off = htons(0x4000); /* don't fragment */
	ip->ttl = 64;
	ip->proto = PKT_IPPROTO_TCP;
	ip->saddr = htonl(saddr);
	ip->daddr = htonl(daddr);
	ip->csum = csum_ipv4_hdr(ip);
	t->sport = htons(sport);
	t->dport = htons(dport);
	t->seq = htonl(seq);
	t->ack = htonl(ack);
	t->doff_rsvd = 5 << 4;
	t->flags = flags;
	t->window = htons(65535);
	for (uint16_t i = 0; i < payload_len; i++)
		((uint8_t *)(t + 1))[i] = (uint8_t)('a' + (seq + i) % 26);
	t->csum = csum_ipv4_l4(ip, t, l4_len);
	return PKT_ETH_HLEN + PKT_IPV4_HLEN + l4_len;
}

long ft_replay(struct ft *ft, const char *path, uint64_t tail_ns)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t now = 0, next_expire = 0;
	long frames = 0;

	if (!pc) {
		fprintf(stderr, "ft_replay: %s: %s\n", path, err);
		return -1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "ft_replay: %s: not an Ethernet capture\n", path);
		pcap_close(pc);
		return -1;
	}
	/* The replay loop. 8< */
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct ft_pkt p;

		now = (uint64_t)h->ts.tv_sec * 1000000000 + (uint64_t)h->ts.tv_usec;
		if (!next_expire)
			next_expire = now + 1000000000;
		if (now >= next_expire) {
			ft_expire(ft, now);
			next_expire = now + 1000000000;
		}
		if (!ft_parse(data, h->caplen, now, &p))
			ft_packet(ft, &p);
		frames++;
	}
	/* >8 End of the replay loop. */
	pcap_close(pc);
	ft_expire(ft, now + tail_ns);
	return frames;
}
