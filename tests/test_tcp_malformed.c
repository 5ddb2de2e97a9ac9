// SPDX-License-Identifier: MIT
/*
 * test_tcp_malformed.c: frames the stack must drop, each counted under its reason and
 * answered with nothing: short Ethernet, IPv4 and TCP headers, bad IPv4 version and header
 * lengths, total lengths beyond the frame, fragments, foreign and impossible addresses, bad
 * IPv4 and TCP checksums, a TCP data offset below 5 or beyond the frame, truncated options.
 * Ethernet padding after the datagram is fine. Then a fuzz loop (fixed seed) of mutated
 * frames, half with repaired checksums so they reach the state machine, must neither crash
 * (run it under ASan: make test-asan) nor break the stack.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "csum.h"
#include "echo.h"
#include "test_tcp_util.h"

#define L2         PKT_ETH_HLEN
#define L4         (PKT_ETH_HLEN + PKT_IPV4_HLEN)
#define STAT(e, f) (tcp_stats((e)->s)->f)

/* Recomputes the IPv4 and TCP checksums of a frame whose headers were edited (bounds-safe). */
static void fix_csums(uint8_t *f, size_t len)
{
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f + L2);
	size_t hl, tot;

	if (len < L4)
		return;
	hl = (size_t)(ip->ver_ihl & 0x0f) * 4;
	if (hl < PKT_IPV4_HLEN || L2 + hl > len)
		return;
	ip->csum = 0;
	ip->csum = csum_ipv4_hdr(ip);
	tot = ntohs(ip->tot_len);
	if (ip->proto != PKT_IPPROTO_TCP || tot < hl + PKT_TCP_HLEN || L2 + tot > len)
		return;
	((struct tcp_hdr *)(f + L2 + hl))->csum = 0;
	((struct tcp_hdr *)(f + L2 + hl))->csum = csum_ipv4_l4(ip, f + L2 + hl, tot - hl);
}

/* A valid SYN to the listening port, into f; returns its length. */
static size_t good_syn(uint8_t *f)
{
	return t_build(f, &(struct t_pkt){.sport = 40000, .seq = 1, .flags = PKT_TCP_SYN});
}

/* Feeds f, expects it dropped with an error, nothing sent and no connection. */
static void expect_dropped(struct t_env *e, const uint8_t *f, size_t len)
{
	cr_assert_lt(t_inject(e, f, len), 0, "tcp_input should report a drop");
	cr_assert_eq(t_flush(e), 0, "a dropped frame got an answer");
	cr_assert_eq(tcp_conn_count(e->s), 0);
}

static struct ipv4_hdr *ip_of(uint8_t *f)
{
	return (struct ipv4_hdr *)(f + L2);
}

static struct tcp_hdr *tcp_of(uint8_t *f)
{
	return (struct tcp_hdr *)(f + L4);
}

Test(tcp_malformed, ethernet)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];
	size_t n = good_syn(f);

	expect_dropped(e, f, 10);
	cr_assert_eq(STAT(e, eth_short), 1);
	f[5] = 0x99; /* another host's MAC */
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, eth_not_for_us), 1);
	n = good_syn(f);
	f[12] = 0x86, f[13] = 0xdd; /* IPv6 */
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, eth_unknown_type), 1);
	t_env_free(e);
}

Test(tcp_malformed, ipv4_header)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];
	size_t n = good_syn(f);

	expect_dropped(e, f, L2 + 10);
	cr_assert_eq(STAT(e, ip_short), 1);
	ip_of(f)->ver_ihl = 0x65;
	fix_csums(f, n);
	expect_dropped(e, f, n);
	ip_of(f)->ver_ihl = 0x44; /* IHL below 5 */
	expect_dropped(e, f, n);
	ip_of(f)->ver_ihl = 0x4f; /* 60 bytes of header in a 40-byte datagram... */
	expect_dropped(e, f, L2 + 40);
	cr_assert_eq(STAT(e, ip_bad_header), 3);

	n = good_syn(f);
	ip_of(f)->csum ^= 0x0100;
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, ip_bad_csum), 1);

	n = good_syn(f);
	ip_of(f)->tot_len = htons(1000);
	fix_csums(f, n);
	expect_dropped(e, f, n);
	ip_of(f)->tot_len = htons(12);
	fix_csums(f, n);
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, ip_bad_len), 2);
	t_env_free(e);
}

Test(tcp_malformed, ipv4_fragments_and_addresses)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];
	size_t n = good_syn(f);

	ip_of(f)->frag_off = htons(0x2000); /* more fragments */
	fix_csums(f, n);
	expect_dropped(e, f, n);
	ip_of(f)->frag_off = htons(0x0010); /* a later fragment */
	fix_csums(f, n);
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, ip_fragments), 2);

	n = good_syn(f);
	ip_of(f)->daddr = htonl(T_SIP + 1);
	fix_csums(f, n);
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, ip_not_for_us), 1);

	static const uint32_t bad_src[] = {0, 0xffffffff, 0x7f000001, 0xe0000001, T_SIP};
	for (size_t i = 0; i < sizeof(bad_src) / sizeof(bad_src[0]); i++) {
		n = good_syn(f);
		ip_of(f)->saddr = htonl(bad_src[i]);
		fix_csums(f, n);
		expect_dropped(e, f, n);
	}
	cr_assert_eq(STAT(e, ip_bad_src), 5);

	n = good_syn(f);
	ip_of(f)->proto = PKT_IPPROTO_UDP;
	fix_csums(f, n);
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, ip_unknown_proto), 1);
	t_env_free(e);
}

Test(tcp_malformed, tcp_header)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];
	size_t n = good_syn(f);

	ip_of(f)->tot_len = htons(PKT_IPV4_HLEN + 10);
	fix_csums(f, n);
	expect_dropped(e, f, L4 + 10);
	cr_assert_eq(STAT(e, tcp_short), 1);

	n = good_syn(f);
	tcp_of(f)->doff_rsvd = 4 << 4;
	fix_csums(f, n);
	expect_dropped(e, f, n);
	tcp_of(f)->doff_rsvd = 15 << 4; /* 60 bytes of header in a 20-byte segment */
	fix_csums(f, n);
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, tcp_bad_doff), 2);

	n = good_syn(f);
	tcp_of(f)->csum ^= 0x0001;
	expect_dropped(e, f, n);
	n = good_syn(f);
	f[n - 1] ^= 0x40; /* a flipped bit in the header the checksum covers */
	expect_dropped(e, f, n);
	cr_assert_eq(STAT(e, tcp_bad_csum), 2);
	t_env_free(e);
}

/* Options whose length byte is missing, too small, or runs past the header. */
Test(tcp_malformed, truncated_options)
{
	static const uint8_t bad[][4] = {
		{1, 1, 1, 2},  /* MSS kind, no length byte */
		{2, 8, 5, 0},  /* length 8 in 4 bytes */
		{2, 1, 0, 0},  /* length below 2 */
		{8, 0, 0, 0},  /* length 0: would loop for ever */
		{1, 1, 99, 3}, /* unknown kind, length past the end */
	};
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = t_build(f, &(struct t_pkt){.sport = 40000,
						      .seq = 1,
						      .flags = PKT_TCP_SYN,
						      .opt = bad[i],
						      .opt_len = 4});
		expect_dropped(e, f, n);
	}
	cr_assert_eq(STAT(e, tcp_bad_options), 5);
	t_env_free(e);
}

/* Bytes after the datagram (Ethernet pads short frames to 60) are not data. */
Test(tcp_malformed, ethernet_padding_ignored)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[128];
	size_t n = good_syn(f);
	struct t_seg sa;

	memset(f + n, 0xee, 10);
	cr_assert_eq(t_inject(e, f, n + 10), 0);
	t_flush(e);
	sa = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	cr_assert_eq(sa.ack, 2, "the padding was not taken for data");
	t_env_free(e);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void discard(void *arg, const uint8_t *frame, size_t len)
{
	(void)frame;
	*(size_t *)arg += len;
}

/* One mutation of a base frame: bit flips, a random byte, a cut or random bytes appended. */
static size_t mutate(uint8_t *f, size_t len, size_t cap, uint64_t *rng)
{
	switch (xorshift(rng) % 4) {
	case 0:
		for (unsigned k = 1 + xorshift(rng) % 4; k; k--)
			f[xorshift(rng) % len] ^= (uint8_t)(1u << (xorshift(rng) % 8));
		break;
	case 1:
		f[L2 + xorshift(rng) % (len - L2)] = (uint8_t)xorshift(rng);
		break;
	case 2:
		len = xorshift(rng) % len;
		break;
	default:
		for (unsigned k = xorshift(rng) % 64; k && len < cap; k--)
			f[len++] = (uint8_t)xorshift(rng);
		break;
	}
	if (xorshift(rng) % 2)
		fix_csums(f, len);
	return len;
}

/* Fills base[] with frames that reach deep: data, FIN, RST for open connections, SYNs, ACKs
 * for nothing, ARP and ICMP. Returns how many. */
static unsigned fuzz_bases(struct t_env *e, uint8_t base[][256], size_t *blen)
{
	static const uint8_t icmp[] = {8, 0, 0xf7, 0xfe, 0, 1, 0, 0}; /* echo, csum precomputed */
	unsigned n = 0;

	for (uint16_t k = 0; k < 4; k++) {
		uint32_t iss;

		t_open(e, (uint16_t)(41000 + k), 1000, 1460, &iss);
		blen[n] = t_build(base[n], &(struct t_pkt){.sport = 41000 + k,
							   .seq = 1001,
							   .ack = iss + 1,
							   .flags = PKT_TCP_ACK | PKT_TCP_PSH,
							   .data = "0123456789abcdef",
							   .len = 16});
		n++;
		blen[n] = t_build(base[n], &(struct t_pkt){.sport = 41000 + k,
							   .seq = 1001,
							   .ack = iss + 1,
							   .flags = PKT_TCP_ACK | PKT_TCP_FIN});
		n++;
		blen[n] = t_build(
			base[n],
			&(struct t_pkt){.sport = 41000 + k, .seq = 1001, .flags = PKT_TCP_RST});
		n++;
	}
	blen[n] = good_syn(base[n]);
	n++;
	blen[n] =
		t_build(base[n],
			&(struct t_pkt){.sport = 42000, .seq = 5, .ack = 77, .flags = PKT_TCP_ACK});
	n++;
	blen[n] = t_build(base[n], &(struct t_pkt){.sport = 42001,
						   .seq = 5,
						   .flags = PKT_TCP_SYN,
						   .opt = (const uint8_t[]){2, 4, 1, 0},
						   .opt_len = 4});
	n++;
	memcpy(base[n], base[0], L4);
	ip_of(base[n])->proto = PKT_IPPROTO_ICMP;
	ip_of(base[n])->tot_len = htons(PKT_IPV4_HLEN + sizeof(icmp));
	memcpy(base[n] + L4, icmp, sizeof(icmp));
	blen[n] = L4 + sizeof(icmp);
	fix_csums(base[n], blen[n]);
	n++;
	return n;
}

/* One round: fresh connections, then n mutants of the base frames; returns frames sent. */
static size_t fuzz_round(unsigned n, uint64_t *rng, uint64_t *tcp_segs)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	uint8_t base[24][256], f[512];
	size_t blen[24], out = 0;
	unsigned nbase;
	struct echo_stats es = {0};

	t_cfg(&cfg);
	cfg.max_conns = 256;
	e = t_env_new(&cfg);
	nbase = fuzz_bases(e, base, blen);
	t_drain(e);
	for (unsigned i = 0; i < n; i++) {
		unsigned b = (unsigned)(xorshift(rng) % nbase);
		size_t len;

		memcpy(f, base[b], blen[b]);
		len = mutate(f, blen[b], sizeof(f), rng);
		tcp_input(e->s, f, len, e->now);
		if (i % 16 == 0) {
			e->now += 10 * T_MS;
			tcp_poll(e->s, e->now);
			echo_run(e->s, &es);
			tcp_output_cb(e->s, discard, &out, e->now);
		}
		cr_assert_leq(tcp_conn_count(e->s), cfg.max_conns);
	}
	*tcp_segs += STAT(e, tcp_segs_in);
	/* Let every timer run out, then check the stack still opens connections. */
	for (int i = 0; i < 200; i++) {
		e->now += T_SEC;
		tcp_poll(e->s, e->now);
		echo_run(e->s, &es);
		tcp_output_cb(e->s, discard, &out, e->now);
	}
	t_drain(e);
	cr_assert_lt(tcp_conn_count(e->s), cfg.max_conns);
	t_open(e, 50000, 123, 1460, NULL);
	t_env_free(e);
	return out;
}

Test(tcp_malformed, fuzz_mutated_frames)
{
	uint64_t rng = 0x9e3779b97f4a7c15ull, segs = 0;
	size_t out = 0;

	for (int round = 0; round < 20; round++)
		out += fuzz_round(2500, &rng, &segs);
	cr_assert_gt(out, 0, "the stack answered some frames");
	cr_assert_gt(segs, 10000, "mutants reached TCP");
}
