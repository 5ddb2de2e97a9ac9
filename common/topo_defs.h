/* SPDX-License-Identifier: MIT */
/*
 * topo_defs.h: the one place that names the lr- test topology built by `linerate topo up`:
 * namespaces, veth names, IPv4 addresses (198.18.0.0/15, RFC 2544's benchmarking range) and
 * the fixed, locally administered MACs. Generators and forwarders include this instead of
 * repeating the strings, so a renamed link cannot drift between programs.
 *
 *   lr-gen                         lr-dut                          lr-sink
 *   lr-g0 198.18.0.1/24  <----->   lr-d0 198.18.0.2/24
 *                                  lr-d1 198.18.1.2/24  <----->   lr-k1 198.18.1.1/24
 *   lr-s0 198.18.2.1/24  <------------- loop pair, no DUT ------> lr-s1 198.18.2.2/24
 *
 * lr-gen routes 198.18.1.0/24 via 198.18.0.2 and lr-sink routes 198.18.0.0/24 via 198.18.1.2;
 * the kernel in lr-dut does NOT forward (net.ipv4.ip_forward=0): the program under test does.
 * Every namespace holds PERMANENT neighbour entries for its peers, so no ARP is ever sent;
 * IPv6 is disabled inside them, and GRO, GSO, TSO and rx/tx checksum offloads are off on every
 * lr- veth (bench/topo.c says why), so what a program counts is what was sent.
 * MAC 02:00:00:00:LL:EE: LL is the /24 (0, 1, 2), EE is the host part of the address.
 */
#ifndef LR_TOPO_DEFS_H
#define LR_TOPO_DEFS_H

/* Network namespaces. */
#define TOPO_NS_GEN  "lr-gen"  /* the traffic generator */
#define TOPO_NS_DUT  "lr-dut"  /* the device under test (a forwarder) */
#define TOPO_NS_SINK "lr-sink" /* the receiver */

/* Links: gen <-> dut. */
#define TOPO_IF_G0  "lr-g0"
#define TOPO_IP_G0  "198.18.0.1"
#define TOPO_MAC_G0 "02:00:00:00:00:01"
#define TOPO_MAC_G0_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01                                                 \
	}
#define TOPO_IF_D0  "lr-d0"
#define TOPO_IP_D0  "198.18.0.2"
#define TOPO_MAC_D0 "02:00:00:00:00:02"
#define TOPO_MAC_D0_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02                                                 \
	}

/* The address the user-space TCP stacks (echo-afp, echo-dpdk) serve on, on lr-d0's link: the
 * kernel in lr-dut does not own it, so the stack answers its ARP itself. */
#define TOPO_IP_ECHO "198.18.0.10"

/* Links: dut <-> sink. */
#define TOPO_IF_D1  "lr-d1"
#define TOPO_IP_D1  "198.18.1.2"
#define TOPO_MAC_D1 "02:00:00:00:01:02"
#define TOPO_MAC_D1_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x01, 0x02                                                 \
	}
#define TOPO_IF_K1  "lr-k1"
#define TOPO_IP_K1  "198.18.1.1"
#define TOPO_MAC_K1 "02:00:00:00:01:01"
#define TOPO_MAC_K1_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x01, 0x01                                                 \
	}

/* Links: the loop pair gen <-> sink, for generator self-tests without a DUT. */
#define TOPO_IF_S0  "lr-s0"
#define TOPO_IP_S0  "198.18.2.1"
#define TOPO_MAC_S0 "02:00:00:00:02:01"
#define TOPO_MAC_S0_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x02, 0x01                                                 \
	}
#define TOPO_IF_S1  "lr-s1"
#define TOPO_IP_S1  "198.18.2.2"
#define TOPO_MAC_S1 "02:00:00:00:02:02"
#define TOPO_MAC_S1_BYTES                                                                          \
	{                                                                                          \
		0x02, 0x00, 0x00, 0x00, 0x02, 0x02                                                 \
	}

/* The tap bridges (bench/tapbr.c): persistent taps in lr-dut, which DPDK's net_tap opens, and
 * tc redirects: fwd-dpdk-tap's lr-d0 -> lr-ti0, lr-to0 -> lr-d1; echo-dpdk-tap's lr-d0 <->
 * lr-te0. They exist only while such a series' DUT runs (the redirect takes all of lr-d0's
 * traffic). */
#define TOPO_IF_TAP_IN   "lr-ti0"
#define TOPO_IF_TAP_OUT  "lr-to0"
#define TOPO_IF_TAP_ECHO "lr-te0"

/* Subnets (all /24). */
#define TOPO_PREFIX_LEN   24
#define TOPO_NET_GEN_DUT  "198.18.0.0/24"
#define TOPO_NET_DUT_SINK "198.18.1.0/24"
#define TOPO_NET_LOOP     "198.18.2.0/24"

/* Where `topo up --hugepages N` remembers what it changed, so `topo down` can restore it. */
#define TOPO_STATE_DIR  "/run/linerate"
#define TOPO_STATE_FILE TOPO_STATE_DIR "/topo.state"
/* Where `topo up --hugepages N` mounts hugetlbfs when no hugetlbfs mount exists yet. */
#define TOPO_HUGE_MOUNT "/dev/hugepages"

/* One end of a veth pair. */
struct topo_end {
	const char *ns;
	const char *ifname;
	const char *ip;
	const char *mac;
};

/* One veth pair: a and b are peers; each holds a PERMANENT neighbour entry for the other. */
struct topo_link {
	struct topo_end a, b;
};

/* One static route: in namespace ns, dst via gateway gw out of dev (gw is dev's peer). */
struct topo_route {
	const char *ns;
	const char *dst;
	const char *gw;
	const char *dev;
};

static const char *const topo_namespaces[] __attribute__((unused)) = {
	TOPO_NS_GEN,
	TOPO_NS_DUT,
	TOPO_NS_SINK,
};

static const struct topo_link topo_links[] __attribute__((unused)) = {
	{{TOPO_NS_GEN, TOPO_IF_G0, TOPO_IP_G0, TOPO_MAC_G0},
	 {TOPO_NS_DUT, TOPO_IF_D0, TOPO_IP_D0, TOPO_MAC_D0}},
	{{TOPO_NS_DUT, TOPO_IF_D1, TOPO_IP_D1, TOPO_MAC_D1},
	 {TOPO_NS_SINK, TOPO_IF_K1, TOPO_IP_K1, TOPO_MAC_K1}},
	{{TOPO_NS_GEN, TOPO_IF_S0, TOPO_IP_S0, TOPO_MAC_S0},
	 {TOPO_NS_SINK, TOPO_IF_S1, TOPO_IP_S1, TOPO_MAC_S1}},
};

static const struct topo_route topo_routes[] __attribute__((unused)) = {
	{TOPO_NS_GEN, TOPO_NET_DUT_SINK, TOPO_IP_D0, TOPO_IF_G0},
	{TOPO_NS_SINK, TOPO_NET_GEN_DUT, TOPO_IP_D1, TOPO_IF_K1},
};

#endif
