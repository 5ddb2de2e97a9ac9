// SPDX-License-Identifier: MIT
/*
 * test_tcp_arp.c: the stack's ARP and ICMP. An ARP request for our address is answered
 * field by field, one for another address is not and teaches nothing; connect() to an
 * unknown MAC sends a request and queues the SYN, which leaves when the reply comes;
 * unanswered requests are retried and then the waiting frames are dropped and counted; the
 * queue is bounded; a learnt MAC expires. ICMP echo requests (odd length too) are answered
 * with the same identifier, sequence and data and valid checksums; others are not.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "csum.h"
#include "test_tcp_util.h"

#define ARP_LEN (PKT_ETH_HLEN + (int)sizeof(struct arp_hdr))

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* An ARP packet from the peer: op 1 (request) or 2 (reply), about target tpa. */
static size_t arp_frame(uint8_t *f, uint16_t op, uint32_t tpa, const uint8_t *eth_dst)
{
	struct eth_hdr *eth = (struct eth_hdr *)f;
	struct arp_hdr *arp = (struct arp_hdr *)(f + PKT_ETH_HLEN);

	memset(f, 0, ARP_LEN);
	memcpy(eth->dst, eth_dst, 6);
	memcpy(eth->src, t_pmac, 6);
	eth->type = htons(PKT_ETHERTYPE_ARP);
	arp->htype = htons(1);
	arp->ptype = htons(PKT_ETHERTYPE_IPV4);
	arp->hlen = 6;
	arp->plen = 4;
	arp->oper = htons(op);
	memcpy(arp->sha, t_pmac, 6);
	arp->spa = htonl(T_PIP);
	if (op == 2)
		memcpy(arp->tha, t_smac, 6);
	arp->tpa = htonl(tpa);
	return ARP_LEN;
}

/* Takes the next frame and checks it is an ARP request from us for tpa. */
static void expect_arp_request(struct t_env *e, uint32_t tpa)
{
	size_t len;
	const uint8_t *f = t_next_raw(e, &len);
	const struct eth_hdr *eth = (const struct eth_hdr *)f;
	const struct arp_hdr *arp = (const struct arp_hdr *)(f + PKT_ETH_HLEN);

	cr_assert_not_null(f, "no ARP request");
	cr_assert_eq(len, (size_t)ARP_LEN);
	cr_assert_eq(ntohs(eth->type), PKT_ETHERTYPE_ARP);
	cr_assert_eq(memcmp(eth->dst, bcast, 6), 0, "requests are broadcast");
	cr_assert_eq(ntohs(arp->oper), 1);
	cr_assert_eq(memcmp(arp->sha, t_smac, 6), 0);
	cr_assert_eq(ntohl(arp->spa), T_SIP);
	cr_assert_eq(ntohl(arp->tpa), tpa);
}

Test(tcp_arp, request_answered)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[64];
	size_t len;
	const uint8_t *r;
	const struct arp_hdr *arp;

	cr_assert_eq(t_inject(e, f, arp_frame(f, 1, T_SIP, bcast)), 0);
	cr_assert_eq(t_flush(e), 1);
	r = t_next_raw(e, &len);
	arp = (const struct arp_hdr *)(r + PKT_ETH_HLEN);
	cr_assert_eq(len, (size_t)ARP_LEN);
	cr_assert_eq(memcmp(((const struct eth_hdr *)r)->dst, t_pmac, 6), 0);
	cr_assert_eq(memcmp(((const struct eth_hdr *)r)->src, t_smac, 6), 0);
	cr_assert_eq(ntohs(((const struct eth_hdr *)r)->type), PKT_ETHERTYPE_ARP);
	cr_assert_eq(ntohs(arp->htype), 1);
	cr_assert_eq(ntohs(arp->ptype), PKT_ETHERTYPE_IPV4);
	cr_assert_eq(ntohs(arp->oper), 2);
	cr_assert_eq(memcmp(arp->sha, t_smac, 6), 0);
	cr_assert_eq(ntohl(arp->spa), T_SIP);
	cr_assert_eq(memcmp(arp->tha, t_pmac, 6), 0);
	cr_assert_eq(ntohl(arp->tpa), T_PIP);
	cr_assert_eq(tcp_stats(e->s)->arp_requests_in, 1);
	cr_assert_eq(tcp_stats(e->s)->arp_replies_out, 1);
	t_env_free(e);
}

/* A request for someone else is not answered and, by RFC 826's rule, teaches nothing. */
Test(tcp_arp, request_for_other_ignored)
{
	struct t_env *e = t_env_new(NULL);
	struct tcp_conn *c;
	uint8_t f[64];

	cr_assert_eq(t_inject(e, f, arp_frame(f, 1, T_SIP + 5, bcast)), 0);
	cr_assert_eq(t_flush(e), 0);
	cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c), 0);
	t_flush(e);
	expect_arp_request(e, T_PIP);
	t_env_free(e);
}

Test(tcp_arp, resolution_releases_queued_frames)
{
	struct t_env *e = t_env_new(NULL);
	struct tcp_conn *c1, *c2;
	uint8_t f[64];
	struct t_seg s1, s2;

	cr_assert_eq(tcp_connect(e->s, T_PIP, 80, &c1), 0);
	cr_assert_eq(tcp_connect(e->s, T_PIP, 81, &c2), 0);
	cr_assert_eq(t_flush(e), 1, "one request, the SYNs wait");
	expect_arp_request(e, T_PIP);
	cr_assert_eq(tcp_stats(e->s)->arp_queued, 2);
	t_inject(e, f, arp_frame(f, 2, T_SIP, t_smac));
	cr_assert_eq(tcp_stats(e->s)->arp_replies_in, 1);
	cr_assert_eq(t_flush(e), 2);
	s1 = t_expect(e, PKT_TCP_SYN);
	s2 = t_expect(e, PKT_TCP_SYN);
	cr_assert_eq(memcmp(s1.dst_mac, t_pmac, 6), 0, "the learnt MAC was patched in");
	cr_assert_eq(memcmp(s2.dst_mac, t_pmac, 6), 0);
	cr_assert_eq(s1.dport, 80);
	cr_assert_eq(s2.dport, 81);
	/* The handshake goes on with the MAC known. */
	t_send(e, &(struct t_pkt){.sport = 80,
				  .dport = s1.sport,
				  .seq = 9,
				  .ack = s1.seq + 1,
				  .flags = PKT_TCP_SYN | PKT_TCP_ACK});
	t_flush(e);
	cr_assert_eq(memcmp(t_expect(e, PKT_TCP_ACK).dst_mac, t_pmac, 6), 0);
	cr_assert_eq(tcp_conn_state(c1), TCP_ST_ESTABLISHED);
	t_env_free(e);
}

/* No reply: requests at 0, 1 and 2 s; at 3 s the waiting SYN is dropped and counted. */
Test(tcp_arp, unanswered_gives_up)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;

	t_cfg(&cfg);
	cfg.rto_init_ns = 10 * T_SEC; /* no SYN retransmission meanwhile */
	e = t_env_new(&cfg);
	tcp_connect(e->s, T_PIP, 80, &c);
	t_flush(e);
	expect_arp_request(e, T_PIP);
	for (int i = 0; i < 2; i++) {
		uint64_t waited = t_wait_frame(e, 2 * T_SEC);

		cr_assert(waited >= T_SEC - T_MS && waited <= T_SEC + T_MS);
		expect_arp_request(e, T_PIP);
	}
	cr_assert_eq(t_wait_frame(e, 2 * T_SEC), UINT64_MAX, "no fourth request");
	cr_assert_eq(tcp_stats(e->s)->arp_requests_out, 3);
	cr_assert_eq(tcp_stats(e->s)->arp_given_up, 1);
	t_env_free(e);
}

Test(tcp_arp, queue_bounded)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;

	t_cfg(&cfg);
	cfg.arp_queue = 2;
	e = t_env_new(&cfg);
	for (uint16_t p = 80; p < 83; p++)
		cr_assert_eq(tcp_connect(e->s, T_PIP, p, &c), 0);
	t_flush(e);
	cr_assert_eq(tcp_stats(e->s)->arp_queued, 2);
	cr_assert_eq(tcp_stats(e->s)->arp_queue_full, 1);
	t_env_free(e);
}

Test(tcp_arp, entry_expires)
{
	struct tcp_cfg cfg;
	struct t_env *e;
	struct tcp_conn *c;

	t_cfg(&cfg);
	cfg.arp_ttl_ns = 5 * T_SEC;
	e = t_env_new(&cfg);
	t_learn_peer(e);
	tcp_connect(e->s, T_PIP, 80, &c);
	t_flush(e);
	t_expect(e, PKT_TCP_SYN);
	t_advance(e, 6 * T_SEC);
	t_drain(e);
	tcp_connect(e->s, T_PIP, 81, &c);
	t_flush(e);
	expect_arp_request(e, T_PIP);
	t_env_free(e);
}

/* An ICMP echo request of icmp_len bytes (header included) from the peer. */
static size_t icmp_frame(uint8_t *f, uint8_t type, size_t icmp_len)
{
	struct eth_hdr *eth = (struct eth_hdr *)f;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f + PKT_ETH_HLEN);
	uint8_t *icmp = f + PKT_ETH_HLEN + PKT_IPV4_HLEN;

	memset(f, 0, PKT_ETH_HLEN + PKT_IPV4_HLEN + icmp_len);
	memcpy(eth->dst, t_smac, 6);
	memcpy(eth->src, t_pmac, 6);
	eth->type = htons(PKT_ETHERTYPE_IPV4);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + icmp_len));
	ip->ttl = 64;
	ip->proto = PKT_IPPROTO_ICMP;
	ip->saddr = htonl(T_PIP);
	ip->daddr = htonl(T_SIP);
	ip->csum = csum_ipv4_hdr(ip);
	icmp[0] = type;
	icmp[4] = 0x12, icmp[5] = 0x34; /* identifier */
	icmp[6] = 0x00, icmp[7] = 0x07; /* sequence */
	for (size_t i = 8; i < icmp_len; i++)
		icmp[i] = (uint8_t)(i * 13);
	uint16_t cs = csum_buf(icmp, icmp_len);
	memcpy(icmp + 2, &cs, 2);
	return PKT_ETH_HLEN + PKT_IPV4_HLEN + icmp_len;
}

Test(tcp_arp, icmp_echo_answered)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[256];
	size_t n = icmp_frame(f, 8, 45), len; /* odd length on purpose */
	const uint8_t *r;
	const struct ipv4_hdr *ip;
	const uint8_t *icmp;

	cr_assert_eq(t_inject(e, f, n), 0);
	cr_assert_eq(t_flush(e), 1);
	r = t_next_raw(e, &len);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(((const struct eth_hdr *)r)->dst, t_pmac, 6), 0);
	ip = (const struct ipv4_hdr *)(r + PKT_ETH_HLEN);
	cr_assert(csum_ipv4_hdr_ok(ip));
	cr_assert_eq(ntohl(ip->saddr), T_SIP);
	cr_assert_eq(ntohl(ip->daddr), T_PIP);
	cr_assert_eq(ip->proto, PKT_IPPROTO_ICMP);
	icmp = r + PKT_ETH_HLEN + PKT_IPV4_HLEN;
	cr_assert_eq(icmp[0], 0, "echo reply");
	cr_assert_eq(icmp[1], 0);
	cr_assert_eq(csum_buf(icmp, 45), 0, "ICMP checksum valid");
	cr_assert_eq(memcmp(icmp + 4, f + PKT_ETH_HLEN + PKT_IPV4_HLEN + 4, 45 - 4), 0,
		     "identifier, sequence and data echoed");
	cr_assert_eq(tcp_stats(e->s)->icmp_echo_replied, 1);
	t_env_free(e);
}

Test(tcp_arp, icmp_bad_or_other_not_answered)
{
	struct t_env *e = t_env_new(NULL);
	uint8_t f[256];
	size_t n = icmp_frame(f, 8, 40);

	f[n - 1] ^= 1;
	cr_assert_lt(t_inject(e, f, n), 0);
	cr_assert_eq(tcp_stats(e->s)->icmp_bad_csum, 1);
	n = icmp_frame(f, 13, 40); /* timestamp request */
	cr_assert_lt(t_inject(e, f, n), 0);
	cr_assert_eq(tcp_stats(e->s)->icmp_ignored, 1);
	n = icmp_frame(f, 8, 40);
	cr_assert_lt(t_inject(e, f, PKT_ETH_HLEN + PKT_IPV4_HLEN + 4), 0,
		     "cut below the IP length");
	cr_assert_eq(t_flush(e), 0);
	t_env_free(e);
}
