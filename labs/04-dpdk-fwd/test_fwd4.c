// SPDX-License-Identifier: MIT
/*
 * test_fwd4.c (lab 04): the grader, on DPDK ring ports (harness.c; root). Checks of single
 * frames, the rewrite (TTL, a checksum that verifies, MACs), then whole rounds: every frame
 * forwarded or counted, in order, and not one mbuf leaked, also when the out-port refuses.
 */
#include <criterion/criterion.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "fwd4.h"
#include "harness.h"

static struct lab_ports P;
static const struct rte_ether_addr SRC = {{0x02, 0, 0, 0, 1, 2}}, DST = {{0x02, 0, 0, 0, 1, 1}};

static void setup(void)
{
	cr_assert_eq(lab_ports_up(&P, 16), 0, "no DPDK: run as root after make deps");
}

TestSuite(lab04, .init = setup, .timeout = 30);

static struct lab_fwd fwd(void)
{
	return (struct lab_fwd){
		.in_port = P.in_port, .out_port = P.out_port, .src_mac = SRC, .dst_mac = DST};
}

Test(lab04, task1_check_tells_forward_bad_and_ttl_apart)
{
	struct rte_mbuf *m = lab_frame(&P, 64);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = lab_ip(m);

	cr_expect_eq(lab_check(m), LAB_FORWARD, "a good frame");
	ip->time_to_live = 1;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	cr_expect_eq(lab_check(m), LAB_TTL, "TTL 1");
	ip->hdr_checksum ^= 0x0100;
	cr_expect_eq(lab_check(m), LAB_BAD, "a wrong checksum");
	ip->time_to_live = 64;
	ip->version_ihl = 0x46;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	cr_expect_eq(lab_check(m), LAB_BAD, "IHL 6 (options): not forwarded here");
	ip->version_ihl = 0x45;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	cr_expect_eq(lab_check(m), LAB_BAD, "ARP is not IPv4");
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	rte_pktmbuf_trim(m, 30);
	cr_expect_eq(lab_check(m), LAB_BAD, "30 B: shorter than its headers");
	rte_pktmbuf_free(m);
}

Test(lab04, task2_rewrite_decrements_ttl_keeps_the_checksum_valid_sets_macs)
{
	struct lab_fwd f = fwd();

	for (unsigned ttl = 2; ttl < 255; ttl += 17) {
		struct rte_mbuf *m = lab_frame(&P, (uint8_t)ttl);
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

		lab_rewrite(&f, m);
		cr_expect_eq(lab_ip(m)->time_to_live, ttl - 1);
		cr_expect_eq(rte_ipv4_cksum(lab_ip(m)), 0, "TTL %u: the checksum does not verify",
			     ttl);
		cr_expect(rte_is_same_ether_addr(&eth->src_addr, &SRC), "source MAC");
		cr_expect(rte_is_same_ether_addr(&eth->dst_addr, &DST), "destination MAC");
		rte_pktmbuf_free(m);
	}
}

/* Runs rounds until `want` frames were received (at most 100 rounds). */
static void rounds(struct lab_fwd *f, uint64_t want)
{
	for (int i = 0; i < 100 && f->st.rx < want; i++)
		lab_fwd_round(f);
}

Test(lab04, task3_a_round_forwards_in_order_and_accounts_every_frame)
{
	struct lab_fwd f = fwd();
	struct rte_mbuf *m[24];
	void *out[32];
	unsigned n;

	for (unsigned i = 0; i < 24; i++) {
		m[i] = lab_frame(&P, i % 4 == 3 ? 1 : (uint8_t)(10 + i));
		if (i % 4 == 2) /* a broken checksum */
			lab_ip(m[i])->hdr_checksum ^= 0x0101;
	}
	cr_assert_eq(rte_ring_enqueue_burst(P.in_ring, (void **)m, 24, NULL), 24);
	rounds(&f, 24);
	n = rte_ring_dequeue_burst(P.out_ring, out, 32, NULL);
	cr_expect_eq(f.st.rx, 24);
	cr_expect_eq(n, 12, "12 of the 24 frames are good; %u came out", n);
	cr_expect_eq(f.st.tx, n);
	cr_expect_eq(f.st.bad, 6);
	cr_expect_eq(f.st.ttl, 6);
	for (unsigned i = 0, k = 0; i < n; i++, k++) {
		while (k % 4 >= 2)
			k++;
		cr_expect_eq(lab_ip(out[i])->time_to_live, 10 + k - 1, "frame %u out of order", i);
		cr_expect_eq(rte_ipv4_cksum(lab_ip(out[i])), 0);
	}
	rte_pktmbuf_free_bulk((struct rte_mbuf **)out, n);
	cr_expect_eq(rte_mempool_in_use_count(P.pool), 0,
		     "%u mbufs leaked (dropped ones not freed?)", rte_mempool_in_use_count(P.pool));
}

Test(lab04, task3_what_the_out_port_refuses_is_freed_and_counted)
{
	struct lab_fwd f = fwd();
	struct rte_mbuf *m[32];
	void *out[32];
	unsigned n;

	for (unsigned i = 0; i < 32; i++)
		m[i] = lab_frame(&P, 64);
	cr_assert_eq(rte_ring_enqueue_burst(P.in_ring, (void **)m, 32, NULL), 32);
	rounds(&f, 32);
	n = rte_ring_dequeue_burst(P.out_ring, out, 32, NULL);
	cr_expect_eq(n, 15, "the out-port's ring holds 15; %u came out", n);
	cr_expect_eq(f.st.tx, n);
	cr_expect_eq(f.st.refused, 32 - n, "refused: %llu", (unsigned long long)f.st.refused);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)out, n);
	cr_expect_eq(rte_mempool_in_use_count(P.pool), 0,
		     "%u mbufs leaked: what tx_burst refused must be freed",
		     rte_mempool_in_use_count(P.pool));
}
