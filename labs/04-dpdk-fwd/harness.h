/* SPDX-License-Identifier: MIT */
/*
 * harness.h (lab 04, given): DPDK without a NIC for the grader and the race: the EAL with no
 * huge pages and no PCI, two ports made of rte_rings (net_ring: what one side enqueues, the
 * port receives; what the port transmits, the other side dequeues), a mempool and IPv4/UDP
 * frames to feed them.
 */
#ifndef LAB04_HARNESS_H
#define LAB04_HARNESS_H

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "fwd4.h"

struct lab_ports {
	struct rte_mempool *pool;
	struct rte_ring *in_ring;  /* enqueue here: the in-port receives it */
	struct rte_ring *out_ring; /* the out-port's transmits land here */
	uint16_t in_port, out_port;
};

/* Starts the EAL (lcores 0-1, no huge pages, no PCI) and makes the ports, the out-port's ring
 * out_slots big (a power of two: it holds out_slots - 1); returns 0 or -1 with a message. */
int lab_ports_up(struct lab_ports *p, unsigned out_slots);
/* A 64 B IPv4/UDP frame with ttl and a valid header checksum, or NULL. */
struct rte_mbuf *lab_frame(struct lab_ports *p, uint8_t ttl);
/* The IPv4 header of a frame. */
struct rte_ipv4_hdr *lab_ip(struct rte_mbuf *m);

#endif
