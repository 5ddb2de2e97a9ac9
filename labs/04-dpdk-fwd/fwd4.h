/* SPDX-License-Identifier: MIT */
/*
 * fwd4.h (lab 04): an IPv4 forwarder on DPDK ports, the heart of fwd-dpdk: receive a burst,
 * check and rewrite each frame (TTL - 1, header checksum, MACs), transmit the burst, and free
 * what the out-port refused, counting every frame on one of the counters.
 */
#ifndef LAB04_FWD4_H
#define LAB04_FWD4_H

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <stdint.h>

#define LAB_BURST 32

enum lab_verdict {
	LAB_FORWARD, /* an IPv4 frame to forward */
	LAB_BAD,     /* not IPv4, shorter than its headers, version or IHL wrong, bad checksum */
	LAB_TTL,     /* TTL 0 or 1: it may not be forwarded (a router would answer ICMP) */
};

struct lab_fwd_stats {
	uint64_t rx, tx, bad, ttl, refused; /* rx == tx + bad + ttl + refused, always */
};

struct lab_fwd {
	uint16_t in_port, out_port;
	struct rte_ether_addr src_mac, dst_mac; /* what forwarded frames carry */
	struct lab_fwd_stats st;
};

/* Task 1: what to do with one frame (no option in the IPv4 header is allowed: IHL 5). */
enum lab_verdict lab_check(const struct rte_mbuf *m);
/* Task 2: rewrites a frame lab_check() said to forward: TTL - 1, a header checksum valid for
 * the new TTL, source and destination MACs from f. */
void lab_rewrite(const struct lab_fwd *f, struct rte_mbuf *m);
/* Task 3: one round: a burst of up to LAB_BURST from in_port, check and rewrite, one transmit
 * burst on out_port, what it refused freed; returns the frames received. */
unsigned lab_fwd_round(struct lab_fwd *f);

#endif
