// SPDX-License-Identifier: MIT
/* fwd4.c (lab 04), the reference solution. */
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "fwd4.h"

#define HDRS (sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr))

static struct rte_ipv4_hdr *ip_of(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
}

enum lab_verdict lab_check(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = ip_of(m);

	if (rte_pktmbuf_data_len(m) < HDRS ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return LAB_BAD;
	/* over a header that holds its checksum, the sum folds to 0xffff: ~ of it is 0 */
	if (ip->version_ihl != 0x45 || rte_ipv4_cksum(ip) != 0)
		return LAB_BAD;
	return ip->time_to_live <= 1 ? LAB_TTL : LAB_FORWARD;
}

void lab_rewrite(const struct lab_fwd *f, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = ip_of(m);

	ip->time_to_live--;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	rte_ether_addr_copy(&f->src_mac, &eth->src_addr);
	rte_ether_addr_copy(&f->dst_mac, &eth->dst_addr);
}

unsigned lab_fwd_round(struct lab_fwd *f)
{
	struct rte_mbuf *in[LAB_BURST], *out[LAB_BURST];
	uint16_t got = rte_eth_rx_burst(f->in_port, 0, in, LAB_BURST), n = 0, sent;

	for (uint16_t i = 0; i < got; i++) {
		enum lab_verdict v = lab_check(in[i]);

		if (v == LAB_FORWARD) {
			lab_rewrite(f, in[i]);
			out[n++] = in[i];
			continue;
		}
		f->st.bad += v == LAB_BAD;
		f->st.ttl += v == LAB_TTL;
		rte_pktmbuf_free(in[i]);
	}
	sent = n ? rte_eth_tx_burst(f->out_port, 0, out, n) : 0;
	for (uint16_t i = sent; i < n; i++)
		rte_pktmbuf_free(out[i]);
	f->st.rx += got;
	f->st.tx += sent;
	f->st.refused += (uint64_t)(n - sent);
	return got;
}
