/* SPDX-License-Identifier: MIT */
/*
 * xdp_prog.h: what the AF_XDP programs (fwd-xdp, echo-xdp) share around io_xdp: the option
 * values of their knobs (--xdp-mode, --copy, --need-wakeup; tgen's xdp engine takes the same
 * values), the option table rows, and the
 * AF_XDP port kind the kernel programs' skeletons (kport.h) open, describe and count. Program-level helpers: they print what
 * went wrong and return exit codes (lr.h), unlike the io_xdp library.
 */
#ifndef LR_XDP_PROG_H
#define LR_XDP_PROG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "io.h"
#include "kport.h"

#define XDP_PROG_FRAME_SIZE 2048 /* UMEM chunk: a 1518-byte frame and the XDP headroom fit */

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

/* The values of --xdp-mode (native, generic) and --copy (auto, copy, zerocopy), also tgen's. */
extern const struct cli_enum xdp_prog_attach_enum[];
extern const struct cli_enum xdp_prog_copy_enum[];

/* Sets the defaults (native, auto, need_wakeup on, ring_frames) and the namespace. */
void xdp_prog_knobs_init(struct xdp_prog_knobs *k, const char *netns, long ring_frames);
/* Appends the option rows of the knobs (--netns, --xdp-mode, --copy, --need-wakeup,
 * --ring-frames) to t. */
void xdp_prog_options(struct xdp_prog_knobs *k, struct cli_options *t);
/* The AF_XDP port of the kernel programs' skeletons (kport_fwd_main(), kport_echo_main()), its
 * knobs a struct xdp_prog_knobs. */
extern const struct kport_kind xdp_prog_kind;

#endif
