// SPDX-License-Identifier: MIT
/*
 * afp_prog.c: the pieces fwd-afp and echo-afp share around io_afp (afp_prog.h): option
 * values, the environment check and port opening, each written once.
 */
#include "afp_prog.h"

#include <stdio.h>

#include "io_afp.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "netns.h"

const struct cli_enum afp_prog_tpacket_enum[] = {{"v2", 2}, {"v3", 3}, {NULL, 0}};
const struct cli_enum afp_prog_tx_enum[] = {
	{"ring", AFP_TX_RING}, {"sendmmsg", AFP_TX_SENDMMSG}, {NULL, 0}};

void afp_prog_knobs_init(struct afp_prog_knobs *k, const char *netns, long ring_frames)
{
	*k = (struct afp_prog_knobs){
		.netns = netns, .tpacket = 2, .tx = AFP_TX_RING, .ring_frames = ring_frames};
}

void afp_prog_options(struct afp_prog_knobs *k, struct cli_options *t)
{
	const struct cli_option rows[] = {
		{"tpacket", 0, CLI_ENUM, &k->tpacket, NULL, "RX ring version: TPACKET_V2 or V3",
		 afp_prog_tpacket_enum},
		{"tx", 0, CLI_ENUM, &k->tx, NULL,
		 "transmit through a PACKET_TX_RING (one kick per burst) or sendmmsg (--hugepages: "
		 "its pool on huge pages)",
		 afp_prog_tx_enum},
		{"ring-frames", 0, CLI_INT, &k->ring_frames, "N",
		 "frames per RX ring (and TX ring or pool)", NULL, 64, 1 << 20},
	};

	CLI_OPTIONS_ADD(t, rows);
}

/* Opens dev with the knobs for receiving (rx) and/or transmitting (tx); returns the port, or
 * NULL after printing why. */
static struct io_port *afp_prog_open(const char *dev, const void *knobs, bool rx, bool tx)
{
	const struct afp_prog_knobs *k = knobs;
	struct afp_cfg cfg = {
		.ifname = dev,
		.netns = k->netns,
		.version = (unsigned)k->tpacket,
		.ring_frames = (unsigned)k->ring_frames,
		.frame_size = AFP_PROG_FRAME_SIZE,
		.tx_mode = (enum afp_tx_mode)k->tx,
		.qdisc_bypass = true,
		.hugepages = k->hugepages,
		.rx = rx,
		.tx = tx,
	};
	char err[512];
	struct io_port *p = afp_open(&cfg, err, sizeof(err));

	if (!p)
		pr_err("%s", err);
	return p;
}

/* "AF_PACKET: TPACKET_V2 RX ring, PACKET_TX_RING TX" (or sendmmsg TX). */
static void afp_prog_describe(char *buf, size_t len, const void *knobs, struct io_port *p)
{
	const struct afp_prog_knobs *k = knobs;

	(void)p;
	snprintf(buf, len, "AF_PACKET: TPACKET_V%d RX ring, %s TX", k->tpacket,
		 k->tx == AFP_TX_RING ? "PACKET_TX_RING" : "sendmmsg");
}

/* The echo server's note: ring drops, truncated frames, frames with CSUMNOTREADY. */
static void afp_prog_echo_note(char *buf, size_t len, struct io_port *p)
{
	struct io_stats st = {0};

	p->ops->stats(p, &st); /* best effort: zeros if unreadable */
	snprintf(buf, len, "kernel ring drops=%llu truncated=%llu csum_notready=%llu",
		 (unsigned long long)st.rx_dropped, (unsigned long long)st.rx_errors,
		 (unsigned long long)afp_csum_notready(p));
}

const struct kport_kind afp_prog_kind = {
	.backend = "afp",
	.needs = "AF_PACKET sockets and network namespaces (CAP_NET_RAW, CAP_SYS_ADMIN)",
	.drops = "kernel ring drops",
	.open = afp_prog_open,
	.describe = afp_prog_describe,
	.echo_note = afp_prog_echo_note,
};
