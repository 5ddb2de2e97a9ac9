// SPDX-License-Identifier: MIT
/*
 * test_csum.c: the Internet checksum against frames the Linux kernel wrote
 * (tests/vectors/captured.h) and a published IPv4 header, against a plain big-endian reference
 * sum written here (odd lengths, unaligned buffers, carries over large buffers), and RFC 1624
 * incremental updates against full recomputes, on captured frames and in a 10,000-case
 * property test with a fixed seed.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "lr.h"
#include "pkt.h"
#include "vectors/captured.h"

#define TEST_SEED 0x6c696e6572617465ull /* "linerate" */

struct capture {
	const char *name;
	const uint8_t *frame;
	size_t len;
};

#define CAPTURE(a)                                                                                 \
	{                                                                                          \
#a, a, sizeof(a)                                                                   \
	}

static const struct capture ipv4_captures[] = {
	CAPTURE(cap_icmp_echo), CAPTURE(cap_icmp_reply), CAPTURE(cap_udp),
	CAPTURE(cap_tcp_syn),   CAPTURE(cap_tcp_synack), CAPTURE(cap_tcp_data),
};

/* Offset of the checksum field inside each L4 header. */
#define UDP_CSUM_OFF  6
#define TCP_CSUM_OFF  16
#define ICMP_CSUM_OFF 2

/* The classic example header from a real capture (widely published), checksum 0xb861. */
static const uint8_t published_hdr[PKT_IPV4_HLEN] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

static uint64_t rng_state = TEST_SEED;

/* xorshift64*: a fixed, portable sequence, so a failure reproduces. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rnd() >> 32);
}

/* Reference RFC 1071 checksum, written the textbook way: big-endian words, odd byte padded
 * with a zero after it. Returns the checksum as a number (what ntohs() of the field gives). */
static uint16_t ref_csum(const uint8_t *p, size_t n, uint64_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Reads a 16-bit field as stored (the form csum.h takes and returns). */
static uint16_t field16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void store16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static size_t ihl_bytes(const uint8_t *ip)
{
	return (size_t)(ip[0] & 0x0f) * 4;
}

static size_t tot_len(const uint8_t *ip)
{
	return (size_t)ip[2] << 8 | ip[3];
}

Test(csum, published_ipv4_header_checksum_is_b861)
{
	uint8_t buf[PKT_IPV4_HLEN + 1];
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)published_hdr;

	cr_assert_eq(ntohs(csum_ipv4_hdr(ip)), 0xb861);
	cr_assert_eq(csum_buf(published_hdr, sizeof(published_hdr)), 0);
	cr_assert(csum_ipv4_hdr_ok(ip));
	/* The same bytes at an odd address. */
	memcpy(buf + 1, published_hdr, sizeof(published_hdr));
	cr_assert_eq(ntohs(csum_ipv4_hdr((const struct ipv4_hdr *)(buf + 1))), 0xb861);
	cr_assert(csum_ipv4_hdr_ok((const struct ipv4_hdr *)(buf + 1)));
}

Test(csum, captured_ipv4_headers_sum_to_zero_and_recompute)
{
	for (size_t i = 0; i < ARRAY_SIZE(ipv4_captures); i++) {
		const struct capture *c = &ipv4_captures[i];
		const uint8_t *ip = c->frame + PKT_ETH_HLEN;
		const struct ipv4_hdr *h = (const struct ipv4_hdr *)ip;
		uint8_t zeroed[PKT_IPV4_HLEN];

		cr_assert_eq(ihl_bytes(ip), PKT_IPV4_HLEN, "%s: captures carry no options",
			     c->name);
		cr_expect_eq(csum_buf(ip, ihl_bytes(ip)), 0, "%s: header does not verify", c->name);
		cr_expect(csum_ipv4_hdr_ok(h), "%s: csum_ipv4_hdr_ok is false", c->name);
		cr_expect_eq(csum_ipv4_hdr(h), field16(ip + 10),
			     "%s: recomputed %#06x, captured %#06x", c->name,
			     ntohs(csum_ipv4_hdr(h)), ntohs(field16(ip + 10)));
		memcpy(zeroed, ip, PKT_IPV4_HLEN);
		zeroed[10] = zeroed[11] = 0;
		cr_expect_eq(ntohs(field16(ip + 10)), ref_csum(zeroed, PKT_IPV4_HLEN, 0),
			     "%s: the reference sum disagrees with the kernel", c->name);
	}
}

/* Recomputes the L4 checksum of a captured IPv4 frame (copied to an odd address, field zeroed)
 * and returns it; *captured gets the kernel's value. */
static uint16_t recompute_l4(const struct capture *c, size_t csum_off, uint16_t *captured)
{
	static uint8_t buf[2048];
	uint8_t *ip = buf + 1 + PKT_ETH_HLEN;
	uint8_t *l4;

	cr_assert_leq(c->len + 1, sizeof(buf));
	memcpy(buf + 1, c->frame, c->len);
	l4 = ip + ihl_bytes(ip);
	*captured = field16(l4 + csum_off);
	store16(l4 + csum_off, 0);
	return csum_ipv4_l4((const struct ipv4_hdr *)ip, l4, tot_len(ip) - ihl_bytes(ip));
}

Test(csum, captured_udp_checksum_recomputes)
{
	const struct capture c = CAPTURE(cap_udp);
	uint16_t captured;
	uint16_t got = recompute_l4(&c, UDP_CSUM_OFF, &captured);

	cr_assert_eq(got, captured, "UDP: recomputed %#06x, kernel wrote %#06x", ntohs(got),
		     ntohs(captured));
	cr_assert_eq(tot_len(cap_udp + PKT_ETH_HLEN) - PKT_IPV4_HLEN, 23, "vector is odd-length");
}

Test(csum, captured_tcp_checksums_recompute_with_pseudo_header)
{
	const struct capture tcp[] = {CAPTURE(cap_tcp_syn), CAPTURE(cap_tcp_synack),
				      CAPTURE(cap_tcp_data)};

	for (size_t i = 0; i < ARRAY_SIZE(tcp); i++) {
		const uint8_t *ip = tcp[i].frame + PKT_ETH_HLEN;
		const uint8_t *l4 = ip + ihl_bytes(ip);
		size_t l4_len = tot_len(ip) - ihl_bytes(ip);
		uint16_t captured;
		uint16_t got = recompute_l4(&tcp[i], TCP_CSUM_OFF, &captured);

		cr_expect_eq(got, captured, "%s: recomputed %#06x, kernel wrote %#06x", tcp[i].name,
			     ntohs(got), ntohs(captured));
		/* A valid segment, checksum field included, sums to all ones: result 0. */
		cr_expect_eq(csum_ipv4_l4((const struct ipv4_hdr *)ip, l4, l4_len), 0,
			     "%s: segment does not verify", tcp[i].name);
	}
}

Test(csum, captured_icmp_checksums_verify_and_recompute)
{
	const struct capture icmp[] = {CAPTURE(cap_icmp_echo), CAPTURE(cap_icmp_reply)};

	for (size_t i = 0; i < ARRAY_SIZE(icmp); i++) {
		uint8_t buf[64];
		const uint8_t *ip = icmp[i].frame + PKT_ETH_HLEN;
		size_t len = tot_len(ip) - ihl_bytes(ip);
		uint16_t captured;

		cr_assert_leq(len, sizeof(buf));
		memcpy(buf, ip + ihl_bytes(ip), len);
		cr_expect_eq(csum_buf(buf, len), 0, "%s does not verify", icmp[i].name);
		captured = field16(buf + ICMP_CSUM_OFF);
		store16(buf + ICMP_CSUM_OFF, 0);
		cr_expect_eq(csum_buf(buf, len), captured, "%s: recompute differs", icmp[i].name);
	}
}

Test(csum, ttl_decrement_incremental_matches_recompute)
{
	uint8_t frame[sizeof(cap_udp)];
	uint8_t *ip = frame + PKT_ETH_HLEN;
	struct ipv4_hdr *h = (struct ipv4_hdr *)ip;

	memcpy(frame, cap_udp, sizeof(frame));
	cr_assert_eq(h->ttl, 64);
	/* Forward the captured datagram through 63 routers, patching the checksum each hop. */
	while (h->ttl > 1) {
		uint16_t old_word = field16(ip + 8); /* TTL and protocol share one 16-bit word */
		uint16_t csum;

		h->ttl--;
		csum = csum_update16(h->csum, old_word, field16(ip + 8));
		cr_assert_eq(csum, csum_ipv4_hdr(h), "TTL %u: incremental %#06x, full %#06x",
			     h->ttl, ntohs(csum), ntohs(csum_ipv4_hdr(h)));
		h->csum = csum;
		cr_assert(csum_ipv4_hdr_ok(h), "TTL %u: header does not verify", h->ttl);
	}
}

/* Rewrites the 32-bit field at off in a copy of frame, patches the IPv4 and L4 checksums with
 * csum_update32() and checks both against full recomputes. */
static void check_addr_rewrite(const struct capture *c, size_t off, uint32_t new_addr,
			       size_t l4_csum_off)
{
	uint8_t frame[128];
	uint8_t *ip = frame + PKT_ETH_HLEN;
	struct ipv4_hdr *h = (struct ipv4_hdr *)ip;
	uint8_t *l4 = ip + PKT_IPV4_HLEN;
	size_t l4_len = tot_len(c->frame + PKT_ETH_HLEN) - PKT_IPV4_HLEN;
	uint32_t old_addr;
	uint16_t ip_csum, l4_csum, full;

	cr_assert_leq(c->len, sizeof(frame));
	memcpy(frame, c->frame, c->len);
	memcpy(&old_addr, ip + off, 4);
	ip_csum = csum_update32(h->csum, old_addr, new_addr);
	l4_csum = csum_update32(field16(l4 + l4_csum_off), old_addr, new_addr);
	memcpy(ip + off, &new_addr, 4);
	cr_expect_eq(ip_csum, csum_ipv4_hdr(h), "%s: IPv4 incremental %#06x, full %#06x", c->name,
		     ntohs(ip_csum), ntohs(csum_ipv4_hdr(h)));
	store16(l4 + l4_csum_off, 0);
	full = csum_ipv4_l4(h, l4, l4_len);
	cr_expect_eq(l4_csum, full, "%s: L4 incremental %#06x, full %#06x", c->name, ntohs(l4_csum),
		     ntohs(full));
}

Test(csum, address_rewrite_update32_matches_recompute)
{
	const struct capture udp = CAPTURE(cap_udp);
	const struct capture syn = CAPTURE(cap_tcp_syn);
	const struct capture data = CAPTURE(cap_tcp_data);

	/* NAT-style rewrites: destination of the UDP datagram, source of two TCP segments. */
	check_addr_rewrite(&udp, offsetof(struct ipv4_hdr, daddr), htonl(0xc612c907), UDP_CSUM_OFF);
	check_addr_rewrite(&syn, offsetof(struct ipv4_hdr, saddr), htonl(0xc613fffe), TCP_CSUM_OFF);
	check_addr_rewrite(&data, offsetof(struct ipv4_hdr, saddr), htonl(0xc6120a0b),
			   TCP_CSUM_OFF);
}

Test(csum, hand_computed_odd_lengths)
{
	const uint8_t one[] = {0x01};
	const uint8_t three[] = {0x01, 0x02, 0x03};

	/* 0x0100 -> ~ = 0xfeff; 0x0102 + 0x0300 = 0x0402 -> ~ = 0xfbfd; empty -> 0xffff. */
	cr_assert_eq(ntohs(csum_buf(one, sizeof(one))), 0xfeff);
	cr_assert_eq(ntohs(csum_buf(three, sizeof(three))), 0xfbfd);
	cr_assert_eq(csum_buf(three, 0), 0xffff);
}

Test(csum, every_length_and_alignment_matches_reference)
{
	static uint8_t data[300], buf[300 + 8];

	fill_random(data, sizeof(data));
	for (size_t off = 0; off < 8; off++) {
		memcpy(buf + off, data, sizeof(data));
		for (size_t n = 0; n <= sizeof(data); n++) {
			uint16_t got = ntohs(csum_buf(buf + off, n));

			cr_assert_eq(got, ref_csum(data, n, 0),
				     "len %zu at offset %zu: %#06x vs %#06x", n, off, got,
				     ref_csum(data, n, 0));
		}
	}
}

Test(csum, partial_sums_chain_over_even_chunks)
{
	uint8_t data[1001];

	fill_random(data, sizeof(data));
	for (size_t cut = 0; cut <= sizeof(data); cut += 2) {
		uint32_t sum = csum_partial(data, cut, 0);

		sum = csum_partial(data + cut, sizeof(data) - cut, sum);
		cr_assert_eq(csum_fold(sum), csum_buf(data, sizeof(data)), "cut at %zu", cut);
	}
}

Test(csum, carries_survive_large_buffers)
{
	size_t n = (size_t)1 << 20;
	uint8_t *buf = malloc(n + 1);

	cr_assert_not_null(buf);
	/* All ones: every addition carries; the sum is all ones, so the checksum is 0. */
	memset(buf, 0xff, n + 1);
	cr_expect_eq(csum_buf(buf, n), 0);
	cr_expect_eq(ntohs(csum_buf(buf + 1, n)), ref_csum(buf + 1, n, 0));
	fill_random(buf, n + 1);
	cr_expect_eq(ntohs(csum_buf(buf, n + 1)), ref_csum(buf, n + 1, 0));
	cr_expect_eq(ntohs(csum_buf(buf + 1, n)), ref_csum(buf + 1, n, 0));
	free(buf);
}

Test(csum, ipv4_header_with_options)
{
	uint8_t hdr[24];
	struct ipv4_hdr *h = (struct ipv4_hdr *)hdr;
	const uint8_t router_alert[4] = {0x94, 0x04, 0x00, 0x00};
	uint16_t want;

	memcpy(hdr, published_hdr, PKT_IPV4_HLEN);
	memcpy(hdr + PKT_IPV4_HLEN, router_alert, sizeof(router_alert));
	hdr[0] = 0x46; /* IHL 6 */
	h->csum = 0;
	want = ref_csum(hdr, sizeof(hdr), 0);
	h->csum = 0x1234; /* must be skipped, whatever it holds */
	h->csum = csum_ipv4_hdr(h);
	cr_assert_eq(ntohs(h->csum), want, "options not covered: %#06x vs %#06x", ntohs(h->csum),
		     want);
	cr_assert(csum_ipv4_hdr_ok(h));
	hdr[22] ^= 0x01; /* a flipped option bit must be caught */
	cr_assert_not(csum_ipv4_hdr_ok(h));
}

Test(csum, ipv4_hdr_ok_rejects_damage_and_short_ihl)
{
	uint8_t hdr[PKT_IPV4_HLEN];

	memcpy(hdr, published_hdr, sizeof(hdr));
	hdr[8] = 0x3f; /* TTL changed without fixing the checksum */
	cr_assert_not(csum_ipv4_hdr_ok((const struct ipv4_hdr *)hdr));
	memcpy(hdr, published_hdr, sizeof(hdr));
	hdr[0] = 0x44; /* IHL 4 is not an IPv4 header */
	cr_assert_not(csum_ipv4_hdr_ok((const struct ipv4_hdr *)hdr));
}

Test(csum, udp_checksum_computing_to_zero_is_sent_as_ffff)
{
	uint8_t frame[sizeof(cap_udp)];
	uint8_t *ip = frame + PKT_ETH_HLEN;
	uint8_t *udp = ip + PKT_IPV4_HLEN;
	const struct ipv4_hdr *h = (const struct ipv4_hdr *)ip;
	size_t len = tot_len(cap_udp + PKT_ETH_HLEN) - PKT_IPV4_HLEN;
	uint64_t pseudo;
	uint16_t c, fix;

	memcpy(frame, cap_udp, sizeof(cap_udp));
	store16(udp + UDP_CSUM_OFF, 0);
	/* Change payload bytes 8..9 so that the full sum becomes all ones. */
	c = ntohs(csum_ipv4_l4(h, udp, len));
	fix = (uint16_t)(((udp[16] << 8 | udp[17]) + (0xffff - (uint16_t)~c)) % 0xffff);
	udp[16] = (uint8_t)(fix >> 8);
	udp[17] = (uint8_t)fix;
	pseudo = (uint32_t)(ip[12] << 8 | ip[13]) + (uint32_t)(ip[14] << 8 | ip[15]) +
		 (uint32_t)(ip[16] << 8 | ip[17]) + (uint32_t)(ip[18] << 8 | ip[19]) +
		 PKT_IPPROTO_UDP + len;
	cr_assert_eq(ref_csum(udp, len, pseudo), 0, "test setup: the sum is not all ones");
	cr_assert_eq(csum_ipv4_l4(h, udp, len), 0xffff);
}

Test(csum, pseudo_header_keeps_carries_with_all_ones_addresses)
{
	uint8_t ip[PKT_IPV4_HLEN] = {0x45, 0, 0, 36, 0, 0, 0x40, 0, 64, PKT_IPPROTO_UDP};
	uint8_t udp[16];
	uint64_t pseudo = 4 * 0xffff + PKT_IPPROTO_UDP + sizeof(udp);

	/* 255.255.255.255 twice: the address words alone sum to the top of 32 bits. */
	memset(ip + 12, 0xff, 8);
	fill_random(udp, sizeof(udp));
	store16(udp + UDP_CSUM_OFF, 0);
	cr_assert_eq(ntohs(csum_ipv4_l4((const struct ipv4_hdr *)ip, udp, sizeof(udp))),
		     ref_csum(udp, sizeof(udp), pseudo));
}

/* Checks one random 16- or 32-bit field change; returns false (after reporting) on mismatch. */
static bool check_random_update(uint8_t *buf, size_t len, bool wide)
{
	size_t width = wide ? 4 : 2;
	size_t off = (rnd() % ((len - width) / 2 + 1)) * 2; /* fields start at even offsets */
	uint16_t before = csum_buf(buf, len), inc, full;

	if (wide) {
		uint32_t old_val, new_val = (uint32_t)rnd();

		memcpy(&old_val, buf + off, 4);
		memcpy(buf + off, &new_val, 4);
		inc = csum_update32(before, old_val, new_val);
	} else {
		uint16_t old_val = field16(buf + off), new_val = (uint16_t)rnd();

		store16(buf + off, new_val);
		inc = csum_update16(before, old_val, new_val);
	}
	full = csum_buf(buf, len);
	cr_expect_eq(inc, full, "len %zu, %zu-bit field at %zu: incremental %#06x, full %#06x", len,
		     width * 8, off, inc, full);
	return inc == full;
}

Test(csum, incremental_update_property_10000_cases)
{
	static uint8_t area[1500 + 8];
	unsigned bad = 0;

	rng_state = TEST_SEED;
	for (int i = 0; i < 10000 && bad < 5; i++) {
		size_t len = 4 + rnd() % 1497; /* 4..1500, odd lengths included */
		uint8_t *buf = area + rnd() % 8;

		fill_random(buf, len);
		bad += !check_random_update(buf, len, i & 1);
	}
	cr_assert_eq(bad, 0);
}
