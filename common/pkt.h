/* SPDX-License-Identifier: MIT */
/*
 * pkt.h: packet formats. Ethernet, ARP, IPv4, UDP and TCP headers as they sit in a frame
 * (network byte order), a bounds-checked parse cursor, the builder of the generator's
 * UDP/IPv4 test frames and the payload every receiver reads back (flow, sequence, TX time).
 *
 * Frame sizes are wire sizes L as in rate.h: L includes the 4-byte FCS, which the NIC (or the
 * veth) adds, so a frame of size L is L - 4 bytes in memory.
 */
#ifndef LR_PKT_H
#define LR_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_ETH_ALEN       6
#define PKT_ETH_HLEN       14
#define PKT_ETHERTYPE_IPV4 0x0800
#define PKT_ETHERTYPE_ARP  0x0806
#define PKT_IPPROTO_ICMP   1
#define PKT_IPPROTO_TCP    6
#define PKT_IPPROTO_UDP    17
#define PKT_IPV4_HLEN      20
#define PKT_UDP_HLEN       8
#define PKT_TCP_HLEN       20
/* Bytes before the UDP payload of a test frame. */
#define PKT_UDP_FRAME_HLEN (PKT_ETH_HLEN + PKT_IPV4_HLEN + PKT_UDP_HLEN)

struct eth_hdr {
	uint8_t dst[PKT_ETH_ALEN];
	uint8_t src[PKT_ETH_ALEN];
	uint16_t type; /* network order */
} __attribute__((packed));

struct arp_hdr {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t oper;
	uint8_t sha[PKT_ETH_ALEN];
	uint32_t spa;
	uint8_t tha[PKT_ETH_ALEN];
	uint32_t tpa;
} __attribute__((packed));

struct ipv4_hdr {
	uint8_t ver_ihl; /* version 4 in the high nibble, header length in 32-bit words below */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag_off; /* flags in the top 3 bits */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t saddr;
	uint32_t daddr;
} __attribute__((packed));

struct udp_hdr {
	uint16_t sport, dport, len, csum;
} __attribute__((packed));

/* The TCP header. 8< */
struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff_rsvd; /* data offset in 32-bit words in the high nibble */
	uint8_t flags;
	uint16_t window, csum, urg;
} __attribute__((packed));

#define PKT_TCP_FIN 0x01
#define PKT_TCP_SYN 0x02
#define PKT_TCP_RST 0x04
#define PKT_TCP_PSH 0x08
#define PKT_TCP_ACK 0x10
/* >8 End of the TCP header. */

/* A bounds-checked reader over one frame. */
struct pkt_cursor {
	const uint8_t *data;
	size_t len;
	size_t off;
};

/* Starts a cursor at the first byte of a frame of len bytes. */
static inline void pkt_cursor_init(struct pkt_cursor *c, const void *data, size_t len)
{
	c->data = data;
	c->len = len;
	c->off = 0;
}

/* Returns a pointer to the next n bytes and moves past them, or NULL (cursor unchanged) when
 * fewer than n bytes remain. */
static inline const void *pkt_cursor_pull(struct pkt_cursor *c, size_t n)
{
	const void *p;

	if (n > c->len - c->off)
		return NULL;
	p = c->data + c->off;
	c->off += n;
	return p;
}

/* Returns how many bytes remain after the cursor. */
static inline size_t pkt_cursor_left(const struct pkt_cursor *c)
{
	return c->len - c->off;
}

/* What the builder puts into a UDP/IPv4 test frame. Addresses and ports in host order. */
struct pkt_udp_spec {
	uint8_t src_mac[PKT_ETH_ALEN];
	uint8_t dst_mac[PKT_ETH_ALEN];
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint8_t ttl;
};

/* Builds a UDP/IPv4 frame of wire size frame_len (64..9018, FCS included) into buf, with the
 * checksums filled in and a zeroed payload; returns the number of bytes written
 * (frame_len - 4) or -EINVAL (size out of range) / -ENOSPC (cap too small).
 * The UDP checksum covers the zeroed payload: whoever writes a payload afterwards must
 * patch it (adding the payload's csum_partial() to it is exact). */
int pkt_build_udp(void *buf, size_t cap, unsigned frame_len, const struct pkt_udp_spec *spec);

/* The generator's payload, the first bytes of every test frame's UDP payload. It fits the
 * 18 payload bytes of a 64-byte frame. Fields are little-endian in the frame. */
#define PKT_PAYLOAD_MAGIC 0x524c /* "LR" */
#define PKT_PAYLOAD_LEN   16
struct pkt_payload {
	uint16_t magic;
	uint16_t flow;  /* flow id, 0..65535 */
	uint32_t seq;   /* per-flow sequence number, wraps */
	uint64_t tx_ns; /* TX time on the sender's tsc_now_ns() time line */
} __attribute__((packed));

/* Writes a payload at p (PKT_PAYLOAD_LEN bytes). */
void pkt_payload_write(void *p, uint16_t flow, uint32_t seq, uint64_t tx_ns);

/* What pkt_parse_udp() finds in a frame. Pointers point into the frame. */
struct pkt_udp_view {
	const struct eth_hdr *eth;
	const struct ipv4_hdr *ip;
	const struct udp_hdr *udp;
	const uint8_t *payload;
	size_t payload_len;
};

/* Parses an Ethernet/IPv4/UDP frame of len bytes (the IPv4 header may carry options);
 * returns 0, or -EPROTO (not IPv4/UDP) or -EBADMSG (truncated or inconsistent lengths). */
int pkt_parse_udp(const void *frame, size_t len, struct pkt_udp_view *view);

/* Reads the generator payload of a parsed frame; returns true when it carries the magic. */
bool pkt_payload_read(const struct pkt_udp_view *view, struct pkt_payload *out);

/* Parses "aa:bb:cc:dd:ee:ff" into mac; returns 0 or -EINVAL. */
int pkt_mac_parse(const char *s, uint8_t mac[PKT_ETH_ALEN]);
/* Formats mac as "aa:bb:cc:dd:ee:ff" into buf (at least 18 bytes); returns buf. */
const char *pkt_mac_str(const uint8_t mac[PKT_ETH_ALEN], char *buf);
/* Parses a dotted IPv4 address into host order; returns 0 or -EINVAL. */
int pkt_ip_parse(const char *s, uint32_t *ip);

#endif
