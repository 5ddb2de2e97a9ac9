/* SPDX-License-Identifier: MIT */
/*
 * afp_prog.h: what the AF_PACKET programs (fwd-afp, echo-afp) share around io_afp: the option
 * group of their ring knobs (--tpacket, --tx, --ring-frames) and the AF_PACKET port kind the
 * kernel programs' skeletons (kport.h) open, describe and count. Program-level helpers: they
 * print what went wrong and return exit codes (lr.h), unlike the io_afp library.
 */
#ifndef LR_AFP_PROG_H
#define LR_AFP_PROG_H

#include <stdbool.h>

#include "cli.h"
#include "io.h"
#include "kport.h"

#define AFP_PROG_FRAME_SIZE 2048 /* ring frame: a 1518-byte frame and the TPACKET header fit */

/* --tpacket v2|v3 (the values are the versions) and --tx ring|sendmmsg (enum afp_tx_mode). */
extern const struct cli_enum afp_prog_tpacket_enum[];
extern const struct cli_enum afp_prog_tx_enum[];

/* The ring knobs as the programs' option tables fill them. */
struct afp_prog_knobs {
	const char *netns; /* namespace of the interfaces ("" or NULL: this one) */
	int tpacket;       /* 2 or 3 */
	int tx;            /* enum afp_tx_mode */
	long ring_frames;
	bool hugepages;
};

/* Sets the defaults (TPACKET_V2, a TX ring, ring_frames per ring) and the namespace. */
void afp_prog_knobs_init(struct afp_prog_knobs *k, const char *netns, long ring_frames);
/* Appends --tpacket, --tx and --ring-frames, filling k, to t. */
void afp_prog_options(struct afp_prog_knobs *k, struct cli_options *t);
/* The AF_PACKET port of the kernel programs' skeletons (kport_fwd_main(), kport_echo_main()),
 * its knobs a struct afp_prog_knobs. */
extern const struct kport_kind afp_prog_kind;

#endif
