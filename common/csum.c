// SPDX-License-Identifier: MIT
/*
 * csum.c: the Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * The one's-complement sum does not depend on byte order (RFC 1071 section 2(B)): summing the
 * 16-bit words in the machine's native order and storing the folded result natively gives the
 * right bytes in the frame on any host. So nothing here swaps bytes except the two pseudo-header
 * words built from integers (protocol and length). Loads go through memcpy, so buffers may sit
 * at any address. A running sum may be carried across several csum_partial() calls as long as
 * every chunk but the last has an even length (an odd chunk shifts the byte pairing).
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "csum.h"
#include "pkt.h"

/* Bytes summed into the 64-bit accumulator between folds. Each 32-bit load adds less than
 * 2^32, so 2^30 bytes (2^28 loads) stay far below 2^64 on top of any previous value. */
#define CSUM_CHUNK ((size_t)1 << 30)

static inline uint64_t load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Folds a 64-bit sum of 32-bit words to 32 bits; 2^32 == 1 modulo 0xffff, so the end-around
 * carry keeps the 16-bit one's-complement value. */
static inline uint32_t fold64(uint64_t acc)
{
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

/* Sums len bytes (len < CSUM_CHUNK) into acc, four 32-bit loads per step. Two accumulators let
 * the additions of one step run in parallel. */
static uint64_t sum_chunk(const uint8_t *p, size_t len, uint64_t acc)
{
	uint64_t acc2 = 0;

	while (len >= 16) {
		acc += load32(p) + load32(p + 4);
		acc2 += load32(p + 8) + load32(p + 12);
		p += 16;
		len -= 16;
	}
	acc += acc2;
	while (len >= 4) {
		acc += load32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += load16(p);
		p += 2;
		len -= 2;
	}
	if (len) {
		/* The odd byte is the first of a word whose second byte is zero. */
		uint8_t last[2] = {p[0], 0};

		acc += load16(last);
	}
	return acc;
}

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;

	while (len > CSUM_CHUNK) {
		acc = fold64(sum_chunk(p, CSUM_CHUNK, acc));
		p += CSUM_CHUNK;
		len -= CSUM_CHUNK;
	}
	return fold64(sum_chunk(p, len, acc));
}

uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t csum_buf(const void *buf, size_t len)
{
	return csum_fold(csum_partial(buf, len, 0));
}

/* Header length in bytes; a bogus IHL below 5 is read as 5 so the fixed fields are covered. */
static size_t ipv4_hlen(const struct ipv4_hdr *ip)
{
	size_t hl = (size_t)(ip->ver_ihl & 0x0f) * 4;

	return hl < PKT_IPV4_HLEN ? PKT_IPV4_HLEN : hl;
}

uint16_t csum_ipv4_hdr(const struct ipv4_hdr *ip)
{
	const uint8_t *p = (const uint8_t *)ip;
	size_t csum_off = offsetof(struct ipv4_hdr, csum);
	size_t after = csum_off + sizeof(ip->csum);
	uint32_t sum;

	/* Skip the checksum field instead of copying the header to zero it. */
	sum = csum_partial(p, csum_off, 0);
	sum = csum_partial(p + after, ipv4_hlen(ip) - after, sum);
	return csum_fold(sum);
}

uint16_t csum_ipv4_l4(const struct ipv4_hdr *ip, const void *l4, size_t l4_len)
{
	const uint8_t *addrs = (const uint8_t *)ip + offsetof(struct ipv4_hdr, saddr);
	uint32_t sum;
	uint16_t csum;

	/* Pseudo-header: zero and protocol, the L4 length (two network-order words), then source
	 * and destination as in the frame. The words go in as the starting sum because a 32-bit
	 * running sum may already be near 2^32; csum_partial() adds in 64 bits. */
	sum = (uint32_t)htons(ip->proto) + htons((uint16_t)l4_len);
	sum = csum_partial(addrs, 2 * sizeof(uint32_t), sum);
	csum = csum_fold(csum_partial(l4, l4_len, sum));
	/* RFC 768: a UDP checksum of 0 means "none", so a computed 0 is sent as all ones. */
	if (ip->proto == PKT_IPPROTO_UDP && csum == 0)
		csum = 0xffff;
	return csum;
}

int csum_ipv4_hdr_ok(const struct ipv4_hdr *ip)
{
	size_t hl = (size_t)(ip->ver_ihl & 0x0f) * 4;

	if (hl < PKT_IPV4_HLEN)
		return 0;
	if (hl == PKT_IPV4_HLEN)
		return csum_ipv4_hdr20(ip) == 0;
	/* A valid header sums to all ones, so its folded complement is 0. */
	return csum_buf(ip, hl) == 0;
}

uint16_t csum_update32(uint16_t csum, uint32_t old_val, uint32_t new_val)
{
	uint32_t sum = (uint16_t)~csum;

	/* The two halves of a native 32-bit value are the native loads of its two 16-bit words,
	 * in some order; the order does not matter to the sum. */
	sum += (uint16_t) ~(old_val >> 16);
	sum += (uint16_t)~old_val;
	sum += new_val >> 16;
	sum += new_val & 0xffff;
	return csum_fold(sum);
}
