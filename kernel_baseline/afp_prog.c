// SPDX-License-Identifier: MIT
/*
 * afp_prog.c: the pieces fwd-afp and echo-afp share around io_afp (afp_prog.h): option
 * values, the environment check and port opening, each written once.
 */
#include "afp_prog.h"

#include <unistd.h>

#include "io_afp.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "netns.h"

const struct cli_enum afp_prog_tpacket_enum[] = {{"v2", 2}, {"v3", 3}, {NULL, 0}};
const struct cli_enum afp_prog_tx_enum[] = {
	{"ring", AFP_TX_RING}, {"sendmmsg", AFP_TX_SENDMMSG}, {NULL, 0}};

int afp_prog_env_check(const char *netns)
{
	return kport_env_check("AF_PACKET sockets and network namespaces (CAP_NET_RAW, "
			       "CAP_SYS_ADMIN)",
			       netns);
}

struct io_port *afp_prog_open(const char *dev, const struct afp_prog_knobs *k, bool rx, bool tx)
{
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

const char *afp_prog_tx_name(int tx)
{
	return tx == AFP_TX_RING ? "PACKET_TX_RING" : "sendmmsg";
}
