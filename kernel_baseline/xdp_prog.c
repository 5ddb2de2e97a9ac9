// SPDX-License-Identifier: MIT
/*
 * xdp_prog.c: the pieces fwd-xdp and echo-xdp share around io_xdp (xdp_prog.h): option
 * values and rows, the environment check, port opening and the port's description, each
 * written once.
 */
#include "xdp_prog.h"

#include <stdio.h>
#include <unistd.h>

#include "io_xdp.h"
#include "kport.h"
#include "log.h"
#include "lr.h"
#include "netns.h"

const struct cli_enum xdp_prog_attach_enum[] = {
	{"native", AXDP_NATIVE}, {"generic", AXDP_GENERIC}, {NULL, 0}};
const struct cli_enum xdp_prog_copy_enum[] = {
	{"auto", AXDP_COPY_AUTO}, {"copy", AXDP_COPY}, {"zerocopy", AXDP_ZEROCOPY}, {NULL, 0}};

void xdp_prog_knobs_init(struct xdp_prog_knobs *k, const char *netns, long ring_frames)
{
	*k = (struct xdp_prog_knobs){
		.netns = netns,
		.attach = AXDP_NATIVE,
		.copy = AXDP_COPY_AUTO,
		.need_wakeup = true,
		.ring_frames = ring_frames,
	};
}

void xdp_prog_options(struct xdp_prog_knobs *k, struct cli_options *t)
{
	const struct cli_option rows[] = {
		{"netns", 0, CLI_STRING, &k->netns, "NS",
		 "network namespace of the interfaces ('': the current one)"},
		{"xdp-mode", 0, CLI_ENUM, &k->attach, NULL,
		 "where the XDP program runs: in the driver (native) or on the skb (generic)",
		 xdp_prog_attach_enum},
		{"copy", 0, CLI_ENUM, &k->copy, NULL,
		 "AF_XDP bind mode: zero copy where the driver can (auto), or insist on one",
		 xdp_prog_copy_enum},
		{"need-wakeup", 0, CLI_ONOFF, &k->need_wakeup, NULL,
		 "XDP_USE_NEED_WAKEUP: kick the kernel only when it asks"},
		{"ring-frames", 0, CLI_INT, &k->ring_frames, "N",
		 "entries per AF_XDP ring, a power of two (the UMEM holds 4x as many frames)", NULL,
		 64, 16384},
	};

	CLI_OPTIONS_ADD(t, rows);
}

/* Opens dev with the knobs for rx and/or tx; returns the port, or NULL after printing why. */
static struct io_port *xdp_prog_open(const char *dev, const void *knobs, bool rx, bool tx)
{
	const struct xdp_prog_knobs *k = knobs;
	struct axdp_cfg cfg = {
		.ifname = dev,
		.netns = k->netns,
		.queue = 0,
		.ring_frames = (unsigned)k->ring_frames,
		.frame_size = XDP_PROG_FRAME_SIZE,
		.attach = (enum axdp_attach)k->attach,
		.copy = (enum axdp_copy)k->copy,
		.need_wakeup = k->need_wakeup,
		.busy_poll = k->busy_poll,
		.hugepages = k->hugepages,
		.rx = rx,
		.tx = tx,
	};
	char err[512];
	struct io_port *p = axdp_open(&cfg, err, sizeof(err));

	if (!p)
		pr_err("%s", err);
	return p;
}

/* "AF_XDP (XDP native, copy mode, need_wakeup)" and the like. */
static void xdp_prog_describe(char *buf, size_t len, const void *knobs, struct io_port *p)
{
	const struct xdp_prog_knobs *k = knobs;

	snprintf(buf, len, "AF_XDP (XDP %s, %s mode%s)",
		 axdp_attach_name((enum axdp_attach)k->attach),
		 axdp_zerocopy(p) ? "zero-copy" : "copy", k->need_wakeup ? ", need_wakeup" : "");
}

/* The echo server's note: the socket's drops and TX errors. */
static void xdp_prog_echo_note(char *buf, size_t len, struct io_port *p)
{
	struct io_stats st = {0};

	p->ops->stats(p, &st); /* best effort: zeros if unreadable */
	snprintf(buf, len, "socket drops=%llu tx_errors=%llu", (unsigned long long)st.rx_dropped,
		 (unsigned long long)st.tx_errors);
}

const struct kport_kind xdp_prog_kind = {
	.backend = "xdp",
	.needs = "AF_XDP sockets, XDP programs and network namespaces (CAP_NET_ADMIN, CAP_BPF, "
		 "CAP_SYS_ADMIN)",
	.drops = "socket drops",
	.open = xdp_prog_open,
	.describe = xdp_prog_describe,
	.echo_note = xdp_prog_echo_note,
};
