/* SPDX-License-Identifier: MIT */
/*
 * xdp_prog.h: what the AF_XDP programs (fwd-xdp, echo-xdp) share around io_xdp: the option
 * values of their knobs (--xdp-mode, --copy, --need-wakeup), the option table rows, the check
 * that they can run, and opening a port from the knobs. Program-level helpers: they print what
 * went wrong and return exit codes (lr.h), unlike the io_xdp library.
 */
#ifndef LR_XDP_PROG_H
#define LR_XDP_PROG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "io.h"

#define XDP_PROG_FRAME_SIZE 2048 /* UMEM chunk: a 1518-byte frame and the XDP headroom fit */
#define XDP_PROG_CLI_MAX    5    /* option rows xdp_prog_options() adds at most */

/* The AF_XDP knobs as the programs' option tables fill them. */
struct xdp_prog_knobs {
	const char *netns; /* namespace of the interfaces ("" or NULL: this one) */
	int attach;        /* enum axdp_attach: --xdp-mode native|generic */
	int copy;          /* enum axdp_copy: --copy auto|copy|zerocopy */
	bool need_wakeup;  /* --need-wakeup on|off */
	long ring_frames;  /* --ring-frames */
	bool busy_poll;    /* the program's --poll */
	bool hugepages;    /* the program's --hugepages */
};

/* Sets the defaults (native, auto, need_wakeup on, ring_frames) and the namespace. */
void xdp_prog_knobs_init(struct xdp_prog_knobs *k, const char *netns, long ring_frames);
/* Writes the option rows of the knobs (--netns, --xdp-mode, --copy, --need-wakeup,
 * --ring-frames) into tbl; returns how many (at most XDP_PROG_CLI_MAX). */
unsigned xdp_prog_options(struct xdp_prog_knobs *k, struct cli_option *tbl);
/* Checks that the program runs as root and that netns exists, printing the fix when not;
 * returns 0, LR_EXIT_NOPERM or LR_EXIT_ENV. */
int xdp_prog_env_check(const char *netns);
/* Opens dev with the knobs for receiving (rx) and/or transmitting (tx); returns the port, or
 * NULL after printing why. */
struct io_port *xdp_prog_open(const char *dev, const struct xdp_prog_knobs *k, bool rx, bool tx);
/* Describes a port for reports: "AF_XDP native, copy mode, need_wakeup" and the like. */
void xdp_prog_describe(char *buf, size_t len, const struct xdp_prog_knobs *k, struct io_port *p);

#endif
