// SPDX-License-Identifier: MIT
/*
 * tcp_ip.c: the bottom of the TCP stack. tcp_input() takes one Ethernet frame and hands ARP
 * to tcp_arp.c and IPv4 to the checks below (RFC 791, RFC 1122 section 3.2.1): a version 4
 * header of sane length with a valid checksum, a total length that fits the frame, not a
 * fragment (this stack does not reassemble: fragments are dropped and counted), addressed to
 * us from a plausible source. ICMP echo requests are answered here (RFC 792); TCP goes on to
 * tcp_in.c. On the way out, tcp__ip_fill() writes the Ethernet and IPv4 headers of every IPv4
 * frame the stack sends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "csum.h"
#include "tcp_int.h"

#define IP_DF           0x4000
#define IP_MF_OFFSET    0x3fff /* more-fragments flag and fragment offset */
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO       8
#define ICMP_HLEN       8

struct icmp_hdr {
	uint8_t type, code;
	uint16_t csum;
	uint16_t id, seq;
} __attribute__((packed));

static bool mac_is(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, PKT_ETH_ALEN) == 0;
}

/* Writes the Ethernet and IPv4 headers of a frame from us to daddr via dst_mac, carrying
 * l4_len bytes of protocol proto; returns where those bytes go. */
uint8_t *tcp__ip_fill(struct tcp_stack *s, uint8_t *frame, const uint8_t *dst_mac, uint32_t daddr,
		      uint8_t proto, size_t l4_len)
{
	struct eth_hdr *eth = (struct eth_hdr *)frame;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(frame + PKT_ETH_HLEN);

	memcpy(eth->dst, dst_mac, PKT_ETH_ALEN);
	memcpy(eth->src, s->cfg.mac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_IPV4);
	ip->ver_ihl = 0x40 | PKT_IPV4_HLEN / 4;
	ip->tos = 0;
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + l4_len));
	ip->id = htons(s->ip_id++);
	ip->frag_off = htons(IP_DF); /* RFC 1191: never fragmented on the way */
	ip->ttl = TCP__IP_TTL;
	ip->proto = proto;
	ip->csum = 0;
	ip->saddr = htonl(s->cfg.ip);
	ip->daddr = htonl(daddr);
	ip->csum = csum_ipv4_hdr(ip);
	return frame + PKT_ETH_HLEN + PKT_IPV4_HLEN;
}

/* RFC 792: answers an echo request with the same identifier, sequence number and data. */
static int icmp_input(struct tcp_stack *s, const struct eth_hdr *eth, const struct ipv4_hdr *ip,
		      const uint8_t *pkt, size_t len)
{
	const struct icmp_hdr *req = (const struct icmp_hdr *)pkt;
	struct icmp_hdr *rep;
	uint8_t *frame;

	if (len < ICMP_HLEN) {
		s->st.icmp_short++;
		return -EBADMSG;
	}
	if (csum_buf(pkt, len) != 0) {
		s->st.icmp_bad_csum++;
		return -EBADMSG;
	}
	if (req->type != ICMP_ECHO || req->code != 0 ||
	    PKT_ETH_HLEN + PKT_IPV4_HLEN + len > TCP_FRAME_MAX) {
		s->st.icmp_ignored++;
		return -EPROTO;
	}
	frame = tcp__ctl_slot(s);
	if (!frame)
		return -ENOBUFS;
	rep = (struct icmp_hdr *)tcp__ip_fill(s, frame, eth->src, ntohl(ip->saddr),
					      PKT_IPPROTO_ICMP, len);
	memcpy(rep, pkt, len);
	rep->type = ICMP_ECHO_REPLY;
	rep->csum = 0;
	rep->csum = csum_buf(rep, len);
	tcp__ctl_commit(s, PKT_ETH_HLEN + PKT_IPV4_HLEN + len);
	s->st.icmp_echo_replied++;
	return 0;
}

/* RFC 1122 section 3.2.1.3: a source that cannot be one host is dropped. */
static bool bad_source(const struct tcp_stack *s, uint32_t saddr)
{
	return saddr == 0 || saddr == 0xffffffff || saddr == s->cfg.ip ||
	       (saddr >> 28) == 0xe /* multicast */ || (saddr >> 24) == 127 /* loopback */;
}

/* Checks one IPv4 packet of len bytes (Ethernet padding included) and passes its payload on. */
int tcp__ip_input(struct tcp_stack *s, const struct eth_hdr *eth, const uint8_t *pkt, size_t len)
{
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)pkt;
	size_t hl, tot;

	if (len < PKT_IPV4_HLEN) {
		s->st.ip_short++;
		return -EBADMSG;
	}
	hl = (size_t)(ip->ver_ihl & 0x0f) * 4;
	if (ip->ver_ihl >> 4 != 4 || hl < PKT_IPV4_HLEN || hl > len) {
		s->st.ip_bad_header++;
		return -EBADMSG;
	}
	if (!csum_ipv4_hdr_ok(ip)) {
		s->st.ip_bad_csum++;
		return -EBADMSG;
	}
	tot = ntohs(ip->tot_len);
	if (tot < hl || tot > len) {
		s->st.ip_bad_len++;
		return -EBADMSG;
	}
	if (ntohs(ip->frag_off) & IP_MF_OFFSET) {
		s->st.ip_fragments++;
		return -EPROTO;
	}
	if (ntohl(ip->daddr) != s->cfg.ip) {
		s->st.ip_not_for_us++;
		return -EPROTO;
	}
	if (bad_source(s, ntohl(ip->saddr))) {
		s->st.ip_bad_src++;
		return -EPROTO;
	}
	/* From here on the packet ends at tot: whatever follows is Ethernet padding. */
	if (ip->proto == PKT_IPPROTO_TCP)
		return tcp__tcp_input(s, eth, ip, pkt + hl, tot - hl);
	if (ip->proto == PKT_IPPROTO_ICMP)
		return icmp_input(s, eth, ip, pkt + hl, tot - hl);
	s->st.ip_unknown_proto++;
	return -EPROTO;
}

int tcp_input(struct tcp_stack *s, const uint8_t *frame, size_t len, uint64_t now_ns)
{
	static const uint8_t broadcast[PKT_ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const struct eth_hdr *eth = (const struct eth_hdr *)frame;

	tcp__clock(s, now_ns);
	s->st.rx_frames++;
	if (len < PKT_ETH_HLEN) {
		s->st.eth_short++;
		return -EBADMSG;
	}
	if (!mac_is(eth->dst, s->cfg.mac) && !mac_is(eth->dst, broadcast)) {
		s->st.eth_not_for_us++;
		return -EPROTO;
	}
	switch (ntohs(eth->type)) {
	case PKT_ETHERTYPE_ARP:
		return tcp__arp_input(s, frame + PKT_ETH_HLEN, len - PKT_ETH_HLEN);
	case PKT_ETHERTYPE_IPV4:
		return tcp__ip_input(s, eth, frame + PKT_ETH_HLEN, len - PKT_ETH_HLEN);
	default:
		s->st.eth_unknown_type++;
		return -EPROTO;
	}
}

/* Chooses the next hop toward ip: ip itself on the link, else the gateway; returns 0 or
 * -ENETUNREACH (off the link and no gateway). */
int tcp__next_hop(const struct tcp_stack *s, uint32_t ip, uint32_t *hop)
{
	if (s->cfg.netmask == 0 || ((ip ^ s->cfg.ip) & s->cfg.netmask) == 0) {
		*hop = ip;
		return 0;
	}
	if (s->cfg.gateway == 0)
		return -ENETUNREACH;
	*hop = s->cfg.gateway;
	return 0;
}
