// SPDX-License-Identifier: MIT
/*
 * test_chain.c (lab 09): the grader. The NAT on crafted frames (every checksum recomputed from
 * scratch and compared with yours), then whole chains of 1 to 4 stages, on one thread and on
 * two cores: every frame sent comes back passed or dropped by a rule, the right ones, in
 * order, rewritten right, and each stage's counts add up.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "csum.h"
#include "pkt.h"

TestSuite(lab09, .timeout = 60);

#define INSIDE      0x0a000000u /* 10.0.0.0/8 */
#define INSIDE_MASK 0xff000000u
#define PUBLIC      0xc6120001u /* 198.18.0.1 */
#define PORT_BASE   20000
#define OUTSIDE     0xc6130005u /* 198.19.0.5 */

static struct ipv4_hdr *ip_of(struct lab_frame *f)
{
	return (struct ipv4_hdr *)(f->data + PKT_ETH_HLEN);
}

static uint8_t *l4_of(struct lab_frame *f)
{
	return f->data + PKT_ETH_HLEN + (ip_of(f)->ver_ihl & 0xf) * 4;
}

/* 1 when the frame's TCP/UDP checksum is what a full recompute gives (0 and 0xffff are the
 * same one's-complement value for TCP). */
static int l4_ok(struct lab_frame *f)
{
	struct lab_frame copy = *f;
	struct ipv4_hdr *ip = ip_of(&copy);
	size_t off = ip->proto == PKT_IPPROTO_TCP ? 16 : 6;
	size_t l4_len = ntohs(ip->tot_len) - (ip->ver_ihl & 0xf) * 4;
	uint16_t had, want;

	memcpy(&had, l4_of(&copy) + off, 2);
	memset(l4_of(&copy) + off, 0, 2);
	want = csum_ipv4_l4(ip, l4_of(&copy), l4_len);
	if (ip->proto == PKT_IPPROTO_TCP && (had == 0 || had == 0xffff))
		return want == 0 || want == 0xffff;
	return had == want;
}

static uint16_t sport_of(struct lab_frame *f)
{
	uint16_t p;

	memcpy(&p, l4_of(f), 2);
	return ntohs(p);
}

static struct nat nat(void)
{
	struct nat n;

	nat_init(&n, INSIDE, INSIDE_MASK, PUBLIC, PORT_BASE);
	return n;
}

Test(lab09, task1_nat_rewrites_the_address_and_the_ip_checksum_verifies)
{
	struct nat n = nat();
	struct lab_frame f, before;

	lab_frame_build(&f, PKT_IPPROTO_TCP, 0x0a000105, 0xc6130101, 3333, 80, 40, 1);
	before = f;
	cr_assert_eq(nat_rewrite(&n, f.data, f.len), 1, "a TCP frame from 10.0.1.5 is inside");
	cr_expect_eq(ntohl(ip_of(&f)->saddr), PUBLIC, "saddr must become the public address");
	cr_expect(csum_ipv4_hdr_ok(ip_of(&f)), "the IPv4 header checksum must verify");
	cr_expect_eq(ip_of(&f)->daddr, ip_of(&before)->daddr, "daddr is not the NAT's");
	cr_expect_eq(memcmp(f.data, before.data, PKT_ETH_HLEN + 10), 0,
		     "Ethernet and the IPv4 header before its checksum must not change");
}

Test(lab09, task1_ip_checksum_verifies_for_many_frames)
{
	struct nat n = nat();

	for (uint32_t i = 0; i < 2000; i++) {
		struct lab_frame f;
		uint32_t src = INSIDE | (i * 2654435761u >> 8);

		lab_frame_build(&f, i % 3 ? PKT_IPPROTO_TCP : PKT_IPPROTO_UDP, src,
				0xc6130000u + i * 77, (uint16_t)(i * 31), 443, i % 50, i * 13);
		ip_of(&f)->ttl = (uint8_t)i;
		ip_of(&f)->csum = 0;
		ip_of(&f)->csum = csum_ipv4_hdr(ip_of(&f));
		cr_assert_eq(nat_rewrite(&n, f.data, f.len), 1, "frame %u from inside", i);
		cr_assert(csum_ipv4_hdr_ok(ip_of(&f)), "frame %u: the IPv4 checksum fails", i);
		cr_assert_eq(ntohl(ip_of(&f)->saddr), PUBLIC, "frame %u", i);
	}
}

Test(lab09, task1_nat_leaves_other_frames_alone)
{
	struct nat n = nat();
	struct lab_frame f, before;

	lab_frame_build(&f, PKT_IPPROTO_TCP, OUTSIDE, 0x0a000001, 80, 3333, 10, 2);
	before = f;
	cr_expect_eq(nat_rewrite(&n, f.data, f.len), 0, "from outside");
	ip_of(&f)->proto = PKT_IPPROTO_ICMP;
	ip_of(&f)->saddr = htonl(0x0a000001);
	before = f;
	cr_expect_eq(nat_rewrite(&n, f.data, f.len), 0, "ICMP has no ports");
	ip_of(&f)->proto = PKT_IPPROTO_TCP;
	ip_of(&f)->frag_off = htons(185);
	before = f;
	cr_expect_eq(nat_rewrite(&n, f.data, f.len), 0, "a later fragment has no TCP header");
	ip_of(&f)->frag_off = 0;
	before = f;
	cr_expect_eq(nat_rewrite(&n, f.data, PKT_ETH_HLEN + PKT_IPV4_HLEN + 10), 0,
		     "too short for the TCP checksum");
	f.data[12] = 0x08;
	f.data[13] = 0x06; /* ARP */
	before = f;
	cr_expect_eq(nat_rewrite(&n, f.data, f.len), 0, "ARP");
	cr_expect_eq(memcmp(&f, &before, sizeof(f)), 0, "a frame left alone must not change");
}

Test(lab09, task2_tcp_and_udp_checksums_verify_and_the_port_is_mapped)
{
	struct nat n = nat();

	for (uint32_t i = 0; i < 2000; i++) {
		struct lab_frame f;
		uint32_t src = INSIDE | (i * 2654435761u >> 8);
		uint16_t sport = (uint16_t)(i * 40503u);
		uint8_t proto = i % 3 ? PKT_IPPROTO_TCP : PKT_IPPROTO_UDP;

		lab_frame_build(&f, proto, src, 0xc6130000u + i * 77, sport, 53, i % 70, i);
		cr_assert_eq(nat_rewrite(&n, f.data, f.len), 1, "frame %u", i);
		cr_assert_eq(sport_of(&f), nat_port(&n, src, sport), "frame %u: sport %u, want %u",
			     i, sport_of(&f), nat_port(&n, src, sport));
		cr_assert(l4_ok(&f), "frame %u (%s): the L4 checksum does not verify", i,
			  proto == PKT_IPPROTO_TCP ? "TCP" : "UDP");
	}
}

Test(lab09, task2_udp_without_a_checksum_keeps_none)
{
	struct nat n = nat();
	struct lab_frame f;
	uint16_t csum;

	lab_frame_build(&f, PKT_IPPROTO_UDP, 0x0a000203, OUTSIDE, 5353, 53, 20, 3);
	memset(l4_of(&f) + 6, 0, 2); /* "no checksum" (RFC 768) */
	cr_assert_eq(nat_rewrite(&n, f.data, f.len), 1);
	memcpy(&csum, l4_of(&f) + 6, 2);
	cr_expect_eq(csum, 0, "a UDP checksum of 0 means none: it must stay 0, got 0x%04x", csum);
	cr_expect_eq(sport_of(&f), nat_port(&n, 0x0a000203, 5353), "the port still changes");
}

/* An IPv4 header with options: the L4 header starts at IHL * 4, not at 20. */
Test(lab09, task2_ip_options_move_the_l4_header)
{
	struct nat n = nat();
	struct lab_frame f;
	uint8_t *ip_end = f.data + PKT_ETH_HLEN + PKT_IPV4_HLEN;
	size_t l4_len;

	lab_frame_build(&f, PKT_IPPROTO_TCP, 0x0a000009, OUTSIDE, 1234, 80, 16, 4);
	l4_len = f.len - PKT_ETH_HLEN - PKT_IPV4_HLEN;
	memmove(ip_end + 4, ip_end, l4_len);
	memset(ip_end, 1, 4); /* four NOP options */
	f.len += 4;
	ip_of(&f)->ver_ihl = 0x46;
	ip_of(&f)->tot_len = htons(ntohs(ip_of(&f)->tot_len) + 4);
	ip_of(&f)->csum = 0;
	ip_of(&f)->csum = csum_ipv4_hdr(ip_of(&f));
	cr_assert(l4_ok(&f), "the test's own frame");
	cr_assert_eq(nat_rewrite(&n, f.data, f.len), 1);
	cr_expect(csum_ipv4_hdr_ok(ip_of(&f)));
	cr_expect_eq(sport_of(&f), nat_port(&n, 0x0a000009, 1234));
	cr_expect(l4_ok(&f), "the TCP checksum after IHL 6");
	cr_expect_eq(memcmp(ip_end, "\1\1\1\1", 4), 0, "the options are not the port");
}

/* --- chains ------------------------------------------------------------------------------- */

/* The firewall's rules: UDP to port 53 dropped, all of 10.0.3.0/24 dropped, TCP to 80..443
 * passed; the default passes. */
static const struct fw_rule RULES[] = {
	{0, 0, 0, 0, PKT_IPPROTO_UDP, 53, 53, NF_DROP},
	{0x0a000300, 0xffffff00, 0, 0, 0, 0, 0xffff, NF_DROP},
	{0, 0, 0, 0, PKT_IPPROTO_TCP, 80, 443, NF_PASS},
};

static uint32_t src_of(uint64_t i)
{
	return i % 11 == 0 ? OUTSIDE : INSIDE | (uint32_t)((i % 7) << 8) | (uint32_t)(i % 200 + 1);
}
static uint8_t proto_of(uint64_t i)
{
	return i % 4 == 0 ? PKT_IPPROTO_UDP : PKT_IPPROTO_TCP;
}
static uint16_t dport_of(uint64_t i)
{
	return i % 3 == 0 ? 53 : 80;
}
static int dropped_by_rule(uint64_t i)
{
	return (proto_of(i) == PKT_IPPROTO_UDP && dport_of(i) == 53) ||
	       (src_of(i) & 0xffffff00) == 0x0a000300;
}

static void make(struct lab_frame *f, uint64_t i, void *arg)
{
	(void)arg;
	lab_frame_build(f, proto_of(i), src_of(i), 0xc6130101, (uint16_t)(1024 + i % 5000),
			dport_of(i), (unsigned)(i % 40), i);
}

struct seen {
	struct nat *nat;
	uint64_t frames, bad;
	char why[160];
};

/* Every frame that passed the chain: not one the rules drop; rewritten when from inside. */
static void sink(const struct lab_frame *cf, void *arg)
{
	struct seen *s = arg;
	struct lab_frame f = *cf;
	uint32_t src = src_of(f.id);
	int inside = (src & INSIDE_MASK) == INSIDE;
	const char *bad = NULL;

	s->frames++;
	if (dropped_by_rule(f.id))
		bad = "passed, but a rule drops it";
	else if (s->nat && ntohl(ip_of(&f)->saddr) != (inside ? PUBLIC : src))
		bad = "wrong source address";
	else if (s->nat && inside &&
		 sport_of(&f) != nat_port(s->nat, src, (uint16_t)(1024 + f.id % 5000)))
		bad = "wrong source port";
	else if (!csum_ipv4_hdr_ok(ip_of(&f)) || !l4_ok(&f))
		bad = "a checksum does not verify";
	if (bad && !s->bad++)
		snprintf(s->why, sizeof(s->why), "frame %llu: %s", (unsigned long long)f.id, bad);
}

/* How many of frames the rules drop; *nat_hits: how many the NAT rewrites (passed, inside). */
static uint64_t expected_drops(uint64_t frames, uint64_t *nat_hits)
{
	uint64_t d = 0;

	*nat_hits = 0;
	for (uint64_t i = 0; i < frames; i++) {
		d += (uint64_t)dropped_by_rule(i);
		*nat_hits += !dropped_by_rule(i) && (src_of(i) & INSIDE_MASK) == INSIDE;
	}
	return d;
}

/* Runs frames through a chain of the first n of (firewall, nat, counter, counter) and checks
 * every count. */
static void run_chain(unsigned n, enum chain_mode mode, unsigned ring_size, uint64_t frames)
{
	struct fw fw;
	struct nat nt = nat();
	struct counter c1, c2;
	struct nf *nfs[] = {&fw.nf, &nt.nf, &c1.nf, &c2.nf};
	struct chain c;
	struct chain_result r;
	struct seen s = {.nat = n >= 2 ? &nt : NULL};
	uint64_t nat_hits, drops = expected_drops(frames, &nat_hits);

	fw_init(&fw, RULES, 3, NF_PASS);
	counter_init(&c1, "counter");
	counter_init(&c2, "counter2");
	cr_assert_eq(chain_init(&c, nfs, n, ring_size), 0, "chain_init(%u stages, rings of %u)", n,
		     ring_size);
	cr_assert_eq(chain_run(&c, mode, frames, make, sink, &s, &r), 0,
		     "%u stages: frames stopped moving: sent %llu, passed %llu, dropped %llu", n,
		     (unsigned long long)r.sent, (unsigned long long)r.passed,
		     (unsigned long long)r.dropped);
	cr_expect_eq(r.passed + r.dropped, r.sent, "every frame sent comes back");
	cr_expect_eq(r.sent, frames);
	cr_expect_eq(r.dropped, drops, "%u stages: %llu dropped by rule, want %llu", n,
		     (unsigned long long)r.dropped, (unsigned long long)drops);
	cr_expect_eq(r.out_of_order, 0, "%u stages: %d frames out of order", n, r.out_of_order);
	cr_expect_eq(s.bad, 0, "%u stages: %llu bad frames; first: %s", n,
		     (unsigned long long)s.bad, s.why);
	for (unsigned i = 0; i < n; i++) {
		struct stage *st = &c.st[i];

		cr_expect_eq(st->n_pass + st->n_drop, 0, "stage %u kept frames", i);
		cr_expect_eq(st->in_frames, st->passed + st->dropped, "stage %u: in != out", i);
		if (i + 1 < n)
			cr_expect_eq(c.st[i + 1].in_frames, st->passed, "stage %u -> %u", i, i + 1);
	}
	cr_expect_eq(c.st[0].dropped, drops, "the firewall's drops are counted by its stage");
	if (n >= 3)
		cr_expect_eq(c1.frames, frames - drops, "the counter saw what passed");
	if (n >= 2)
		cr_expect_eq(nt.rewritten, nat_hits, "NAT rewrites");
	chain_fini(&c);
}

Test(lab09, task3_chain_init_wires_the_rings)
{
	struct counter k[4];
	struct nf *nfs[] = {&k[0].nf, &k[1].nf, &k[2].nf, &k[3].nf};
	struct chain c;

	for (unsigned i = 0; i < 4; i++)
		counter_init(&k[i], "counter");
	cr_expect_eq(chain_init(&c, nfs, 0, 64), -1, "0 stages");
	cr_expect_eq(chain_init(&c, nfs, 5, 64), -1, "5 stages (CHAIN_MAX_STAGES is 4)");
	cr_expect_eq(chain_init(&c, nfs, 2, 48), -1, "rings of 48 (not a power of two)");
	cr_assert_eq(chain_init(&c, nfs, 3, 64), 0);
	cr_expect_eq(c.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		cr_expect_eq(c.st[i].nf, nfs[i], "stage %u's NF", i);
		cr_expect(c.st[i].in && c.st[i].in == c.link[i], "stage %u reads link[%u]", i, i);
		cr_expect(c.st[i].out && c.st[i].out == c.link[i + 1], "stage %u writes link[%u]",
			  i, i + 1);
		cr_expect(c.st[i].drop && c.st[i].drop == c.drop[i], "stage %u drops to drop[%u]",
			  i, i);
	}
	cr_expect_null(c.link[4]);
	chain_fini(&c);
}

Test(lab09, task3_one_thread_one_to_four_stages_account_for_every_frame)
{
	for (unsigned n = 1; n <= CHAIN_MAX_STAGES; n++)
		run_chain(n, CHAIN_ONE_THREAD, 256, 20000);
}

/* Rings of 2 slots under bursts of 32: most enqueues are partial, and nothing may be lost. */
Test(lab09, task3_tiny_rings_lose_nothing)
{
	run_chain(4, CHAIN_ONE_THREAD, 2, 5000);
	run_chain(2, CHAIN_ONE_THREAD, 4, 5000);
}

Test(lab09, task4_threads_on_two_cores_account_for_every_frame)
{
	for (unsigned n = 1; n <= CHAIN_MAX_STAGES; n++)
		run_chain(n, CHAIN_THREADS, 256, 50000);
	run_chain(4, CHAIN_THREADS, 8, 50000);
}
