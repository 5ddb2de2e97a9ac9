// SPDX-License-Identifier: MIT
/*
 * pkt.c: the generator's UDP/IPv4 test frame (builder), the receivers' view of one (parser),
 * the payload both ends share, and MAC/IPv4 address text forms.
 *
 * Frames may sit at any address (DPDK mbuf data offsets, AF_PACKET ring slots): headers are
 * read through packed structs and payload fields through byte-wise little-endian helpers, so
 * nothing relies on alignment. The parser accepts untagged frames and frames with one 802.1Q
 * VLAN tag; it does not verify checksums (a receiver that wants that calls csum.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csum.h"
#include "lr.h"
#include "pkt.h"

#define PKT_FCS_LEN        4
#define PKT_FRAME_MIN      64   /* the Ethernet minimum, FCS included */
#define PKT_FRAME_MAX      9018 /* a 9000-byte MTU jumbo frame, FCS included */
#define PKT_DEFAULT_TTL    64
#define PKT_IP_DF          0x4000
#define PKT_IP_MF_OFFSET   0x3fff /* more-fragments flag and fragment offset */
#define PKT_ETHERTYPE_VLAN 0x8100
#define PKT_VLAN_HLEN      4

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

int pkt_build_udp(void *buf, size_t cap, unsigned frame_len, const struct pkt_udp_spec *spec)
{
	uint8_t *p = buf;
	struct eth_hdr *eth = buf;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(p + PKT_ETH_HLEN);
	struct udp_hdr *udp = (struct udp_hdr *)(p + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	size_t len, ip_len, udp_len;

	if (frame_len < PKT_FRAME_MIN || frame_len > PKT_FRAME_MAX)
		return -EINVAL;
	len = frame_len - PKT_FCS_LEN;
	if (cap < len)
		return -ENOSPC;
	ip_len = len - PKT_ETH_HLEN;
	udp_len = ip_len - PKT_IPV4_HLEN;

	/* Zeroes the payload and every field left at 0 (TOS, id, both checksums). */
	memset(p, 0, len);
	memcpy(eth->dst, spec->dst_mac, PKT_ETH_ALEN);
	memcpy(eth->src, spec->src_mac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_IPV4);

	ip->ver_ihl = 0x40 | PKT_IPV4_HLEN / 4;
	ip->tot_len = htons((uint16_t)ip_len);
	ip->frag_off = htons(PKT_IP_DF); /* never fragmented: a wrong MTU shows as a drop */
	ip->ttl = spec->ttl ? spec->ttl : PKT_DEFAULT_TTL;
	ip->proto = PKT_IPPROTO_UDP;
	ip->saddr = htonl(spec->src_ip);
	ip->daddr = htonl(spec->dst_ip);
	ip->csum = csum_ipv4_hdr(ip);

	udp->sport = htons(spec->src_port);
	udp->dport = htons(spec->dst_port);
	udp->len = htons((uint16_t)udp_len);
	udp->csum = csum_ipv4_l4(ip, udp, udp_len);
	return (int)len;
}

void pkt_payload_write(void *p, uint16_t flow, uint32_t seq, uint64_t tx_ns)
{
	uint8_t *b = p;

	put_le16(b + offsetof(struct pkt_payload, magic), PKT_PAYLOAD_MAGIC);
	put_le16(b + offsetof(struct pkt_payload, flow), flow);
	put_le32(b + offsetof(struct pkt_payload, seq), seq);
	put_le64(b + offsetof(struct pkt_payload, tx_ns), tx_ns);
}

/* Pulls the IPv4 header and its options, checks their lengths and limits the cursor to the
 * datagram, so Ethernet padding after tot_len is never taken for payload. */
static int pull_ipv4(struct pkt_cursor *c, const struct ipv4_hdr **out)
{
	size_t start = c->off;
	const struct ipv4_hdr *ip = pkt_cursor_pull(c, sizeof(*ip));
	size_t hl, tot;

	if (unlikely(!ip))
		return -EBADMSG;
	/* The EtherType said IPv4, so another version is an inconsistent frame. */
	if (unlikely(ip->ver_ihl >> 4 != 4))
		return -EBADMSG;
	hl = (size_t)(ip->ver_ihl & 0x0f) * 4;
	if (unlikely(hl < PKT_IPV4_HLEN || !pkt_cursor_pull(c, hl - PKT_IPV4_HLEN)))
		return -EBADMSG;
	tot = ntohs(ip->tot_len);
	if (unlikely(tot < hl || tot > c->len - start))
		return -EBADMSG;
	c->len = start + tot;
	*out = ip;
	return 0;
}

int pkt_parse_udp(const void *frame, size_t len, struct pkt_udp_view *view)
{
	struct pkt_cursor c;
	const struct eth_hdr *eth;
	const struct ipv4_hdr *ip;
	const struct udp_hdr *udp;
	uint16_t type;
	size_t udp_len;
	int err;

	pkt_cursor_init(&c, frame, len);
	eth = pkt_cursor_pull(&c, sizeof(*eth));
	if (unlikely(!eth))
		return -EBADMSG;
	type = ntohs(eth->type);
	if (type == PKT_ETHERTYPE_VLAN) {
		/* One 802.1Q tag: 2 bytes of priority and VLAN id, then the inner EtherType. */
		const uint8_t *tag = pkt_cursor_pull(&c, PKT_VLAN_HLEN);

		if (unlikely(!tag))
			return -EBADMSG;
		type = (uint16_t)(tag[2] << 8 | tag[3]);
	}
	if (unlikely(type != PKT_ETHERTYPE_IPV4))
		return -EPROTO;
	err = pull_ipv4(&c, &ip);
	if (unlikely(err))
		return err;
	/* A fragment is not a whole datagram; test frames carry DF, so fragments are foreign. */
	if (unlikely(ip->proto != PKT_IPPROTO_UDP || (ntohs(ip->frag_off) & PKT_IP_MF_OFFSET)))
		return -EPROTO;
	udp = pkt_cursor_pull(&c, sizeof(*udp));
	if (unlikely(!udp))
		return -EBADMSG;
	/* A UDP length shorter than the IP payload is allowed (the rest is ignored, as Linux
	 * does); a longer one is not. */
	udp_len = ntohs(udp->len);
	if (unlikely(udp_len < PKT_UDP_HLEN || udp_len - PKT_UDP_HLEN > pkt_cursor_left(&c)))
		return -EBADMSG;
	view->eth = eth;
	view->ip = ip;
	view->udp = udp;
	view->payload = c.data + c.off;
	view->payload_len = udp_len - PKT_UDP_HLEN;
	return 0;
}

bool pkt_payload_read(const struct pkt_udp_view *view, struct pkt_payload *out)
{
	const uint8_t *p = view->payload;

	if (unlikely(!p || view->payload_len < PKT_PAYLOAD_LEN))
		return false;
	if (get_le16(p + offsetof(struct pkt_payload, magic)) != PKT_PAYLOAD_MAGIC)
		return false;
	out->magic = PKT_PAYLOAD_MAGIC;
	out->flow = get_le16(p + offsetof(struct pkt_payload, flow));
	out->seq = get_le32(p + offsetof(struct pkt_payload, seq));
	out->tx_ns = get_le64(p + offsetof(struct pkt_payload, tx_ns));
	return true;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int pkt_mac_parse(const char *s, uint8_t mac[PKT_ETH_ALEN])
{
	uint8_t tmp[PKT_ETH_ALEN];

	/* Exactly six two-digit groups joined by ':' (17 characters); mac is untouched on error. */
	if (!s || strlen(s) != 3 * PKT_ETH_ALEN - 1)
		return -EINVAL;
	for (int i = 0; i < PKT_ETH_ALEN; i++) {
		const char *g = s + 3 * i;
		int hi = hex_digit(g[0]), lo = hex_digit(g[1]);

		if (hi < 0 || lo < 0 || (i < PKT_ETH_ALEN - 1 && g[2] != ':'))
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, tmp, PKT_ETH_ALEN);
	return 0;
}

const char *pkt_mac_str(const uint8_t mac[PKT_ETH_ALEN], char *buf)
{
	snprintf(buf, 3 * PKT_ETH_ALEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return buf;
}

int pkt_ip_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;

	/* inet_pton takes exactly four decimal octets: no shorthand, hex, octal or spaces. */
	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}
