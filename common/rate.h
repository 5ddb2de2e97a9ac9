/* SPDX-License-Identifier: MIT */
/*
 * rate.h: line-rate arithmetic. A frame of L bytes (Ethernet header through FCS) occupies
 * L + 20 bytes on the wire (preamble, start delimiter, inter-frame gap), so
 * pps(L, R) = R / ((L + 20) * 8). Every frame size in linerate is this L.
 */
#ifndef LR_RATE_H
#define LR_RATE_H

#include <stddef.h>

#define RATE_WIRE_OVERHEAD 20 /* preamble 7 + SFD 1 + inter-frame gap 12 */
#define RATE_FCS_LEN       4  /* counted in L, never handed to the I/O layer */
#define RATE_MIN_FRAME     64
#define RATE_MAX_FRAME     1518
#define RATE_MAX_JUMBO     9018

/* The seven RFC 2544 frame sizes. */
extern const unsigned rate_rfc2544_sizes[7];

/* Returns packets per second at line rate for frame size L on a link of link_bps bit/s. */
double rate_pps(unsigned frame_len, double link_bps);
/* Returns the time budget per packet at line rate, in nanoseconds. */
double rate_budget_ns(unsigned frame_len, double link_bps);
/* Returns the budget per packet in CPU cycles at tsc_hz cycles per second. */
double rate_budget_cycles(unsigned frame_len, double link_bps, double tsc_hz);
/* Returns the L2 bit rate (frame bytes incl. FCS, excl. preamble/gap) of pps frames of size L. */
double rate_l2_bps(double pps, unsigned frame_len);
/* Parses a link speed ("1G", "2.5G", "10G", "25G", "40G", "50G", "100G", "200G", "400G",
 * "800G"); returns 0 or -EINVAL. */
int rate_link_parse(const char *s, double *link_bps);
/* Writes a link speed as "10G" into buf; returns buf. */
const char *rate_link_name(double link_bps, char *buf, size_t len);

#endif
