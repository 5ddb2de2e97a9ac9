// SPDX-License-Identifier: MIT
/* harness.c (lab 04, given): see harness.h. */
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* One queue each way, then start: the ring PMD keeps its rings as the queues. */
static int port_start(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) ||
	    rte_eth_rx_queue_setup(port, 0, 0, 0, NULL, pool) ||
	    rte_eth_tx_queue_setup(port, 0, 0, 0, NULL) || rte_eth_dev_start(port)) {
		fprintf(stderr, "lab04: cannot start ring port %u\n", port);
		return -1;
	}
	return 0;
}

int lab_ports_up(struct lab_ports *p, unsigned out_slots)
{
	char *argv[] = {"lab04",    "-l",       "0-1",         "--no-huge",     "-m",
			"256",      "--no-pci", "--log-level", "lib.eal:error", "--file-prefix",
			"lr-lab04", NULL};
	struct rte_ring *back;

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0) {
		fprintf(stderr, "lab04: EAL start failed (root? DPDK installed? make deps)\n");
		return -1;
	}
	p->pool = rte_pktmbuf_pool_create("lr-lab04", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	p->in_ring = rte_ring_create("lr-in", 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	p->out_ring = rte_ring_create("lr-out", out_slots, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	/* each port needs both directions: the in-port transmits nothing, the out-port
	 * receives nothing */
	back = rte_ring_create("lr-unused", 16, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (!p->pool || !p->in_ring || !p->out_ring || !back) {
		fprintf(stderr, "lab04: no memory for the pool or rings\n");
		return -1;
	}
	int in = rte_eth_from_rings("lr_in", &p->in_ring, 1, &back, 1, 0);
	int out = rte_eth_from_rings("lr_out", &back, 1, &p->out_ring, 1, 0);

	if (in < 0 || out < 0) {
		fprintf(stderr, "lab04: cannot make the ring ports\n");
		return -1;
	}
	p->in_port = (uint16_t)in;
	p->out_port = (uint16_t)out;
	return port_start(p->in_port, p->pool) || port_start(p->out_port, p->pool) ? -1 : 0;
}

struct rte_ipv4_hdr *lab_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
}

struct rte_mbuf *lab_frame(struct lab_ports *p, uint8_t ttl)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(p->pool);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	if (!m)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 60); /* 64 B on the wire with FCS */
	memset(eth, 0, 60);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(46);
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120001); /* 198.18.0.1 */
	ip->dst_addr = rte_cpu_to_be_32(0xc6120101); /* 198.18.1.1 */
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(10000);
	udp->dst_port = rte_cpu_to_be_16(9000);
	udp->dgram_len = rte_cpu_to_be_16(26);
	return m;
}
