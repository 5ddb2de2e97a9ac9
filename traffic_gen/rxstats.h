/* SPDX-License-Identifier: MIT */
/*
 * rxstats.h: what tgen's receiver counts. Every test frame carries (flow, seq, tx_ns) in its
 * payload (pkt.h); per flow the receiver keeps the next expected sequence number and a window
 * of the last RXSTATS_WINDOW sequence numbers, which tells a duplicate (seen before) from a
 * late, reordered frame (never seen, behind the newest). Only unique frames count as
 * received, so loss = sent - unique holds even when a DUT duplicates. Latency is now - tx_ns
 * on the sender's TSC time line (sender and receiver are one process) into a hist.h histogram.
 *
 * Frames of flow RXSTATS_WARMUP_FLOW are the generator's ramp-up: counted apart, never in
 * the measured figures. Frames without the payload magic or of a flow beyond the configured
 * ones are counted as unknown (another sender, ARP, a corrupted frame).
 */
#ifndef LR_RXSTATS_H
#define LR_RXSTATS_H

#include <stdint.h>

#include "hist.h"
#include "pkt.h"

#define RXSTATS_WINDOW      1024u   /* sequence numbers remembered per flow */
#define RXSTATS_WARMUP_FLOW 0xffffu /* flow id of ramp-up frames */
#define RXSTATS_MAX_FLOWS   0xffffu /* flows 0..65534 */

struct rxstats_flow {
	uint32_t next; /* one past the newest sequence number seen */
	uint64_t bits[RXSTATS_WINDOW /
		      64]; /* bit seq % WINDOW: seq seen, for next - WINDOW..next-1 */
};

struct rxstats {
	unsigned nflows;
	struct rxstats_flow *flow;
	struct hist *lat;
	uint64_t frames;    /* every frame handed to rxstats_record / rxstats_unknown */
	uint64_t unique;    /* measured frames seen for the first time */
	uint64_t dup;       /* measured frames seen before */
	uint64_t reordered; /* unique frames that arrived behind a newer one of their flow */
	uint64_t too_old;   /* frames older than the window: counted unique and reordered */
	uint64_t unknown;   /* no magic, or a flow id out of range */
	uint64_t warmup;    /* ramp-up frames */
	uint64_t stale;     /* measured frames stamped before since_ns: an earlier trial's */
	uint64_t since_ns;  /* set by the caller: frames sent earlier are not this trial's */
};

/* Allocates the counters for nflows (1..RXSTATS_MAX_FLOWS) flows; returns NULL on a bad
 * count or no memory. */
struct rxstats *rxstats_new(unsigned nflows);
/* Frees the counters (NULL is fine). */
void rxstats_free(struct rxstats *s);
/* Zeroes every counter, window and the histogram, for a new trial (since_ns too). */
void rxstats_reset(struct rxstats *s);
/* Counts one frame carrying payload pl received at rx_ns (tsc_now_ns() time line). */
void rxstats_record(struct rxstats *s, const struct pkt_payload *pl, uint64_t rx_ns);
/* Counts one frame that carries no generator payload. */
void rxstats_unknown(struct rxstats *s);

#endif
