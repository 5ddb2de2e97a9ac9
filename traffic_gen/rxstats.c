// SPDX-License-Identifier: MIT
/*
 * rxstats.c: per-flow sequence tracking with a circular bitmap. Bit (seq % WINDOW) says
 * whether seq was seen, for the WINDOW sequence numbers below next; when next moves forward
 * the bits of the numbers it passes are cleared, since they now stand for sequence numbers one
 * window later. Sequence arithmetic is modulo 2^32 (int32_t differences), so a flow may wrap.
 */
#include "rxstats.h"

#include "lr.h"

#include <stdlib.h>
#include <string.h>

#define WORDS (RXSTATS_WINDOW / 64)

struct rxstats *rxstats_new(unsigned nflows)
{
	struct rxstats *s;

	if (nflows == 0 || nflows > RXSTATS_MAX_FLOWS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->nflows = nflows;
	s->flow = calloc(nflows, sizeof(*s->flow));
	s->lat = hist_new();
	if (!s->flow || !s->lat) {
		rxstats_free(s);
		return NULL;
	}
	return s;
}

void rxstats_free(struct rxstats *s)
{
	if (!s)
		return;
	hist_free(s->lat);
	free(s->flow);
	free(s);
}

void rxstats_reset(struct rxstats *s)
{
	memset(s->flow, 0, (size_t)s->nflows * sizeof(*s->flow));
	hist_reset(s->lat);
	s->frames = s->unique = s->dup = s->reordered = s->too_old = 0;
	s->unknown = s->warmup = s->stale = s->since_ns = 0;
}

static inline void bit_set(struct rxstats_flow *f, uint32_t seq)
{
	uint32_t b = seq % RXSTATS_WINDOW;

	f->bits[b / 64] |= 1ULL << (b % 64);
}

static inline int bit_test(const struct rxstats_flow *f, uint32_t seq)
{
	uint32_t b = seq % RXSTATS_WINDOW;

	return (f->bits[b / 64] >> (b % 64)) & 1;
}

/* Moves next to seq + 1, clearing the bits of the numbers passed over (next..seq). */
static void advance(struct rxstats_flow *f, uint32_t seq)
{
	uint32_t gap = seq - f->next + 1;

	if (gap >= RXSTATS_WINDOW) {
		memset(f->bits, 0, sizeof(f->bits));
	} else {
		for (uint32_t s = f->next; s != seq + 1; s++) {
			uint32_t b = s % RXSTATS_WINDOW;

			f->bits[b / 64] &= ~(1ULL << (b % 64));
		}
	}
	f->next = seq + 1;
}

/* Classifies seq of flow f; returns 1 when the frame is unique, 0 for a duplicate. */
static int classify(struct rxstats *s, struct rxstats_flow *f, uint32_t seq)
{
	int32_t ahead = (int32_t)(seq - f->next);

	if (ahead >= 0) {
		advance(f, seq);
		bit_set(f, seq);
		return 1;
	}
	if ((uint32_t)-ahead > RXSTATS_WINDOW) {
		/* Older than the window: cannot tell; count it as a late original. */
		s->too_old++;
		s->reordered++;
		return 1;
	}
	if (bit_test(f, seq)) {
		s->dup++;
		return 0;
	}
	bit_set(f, seq);
	s->reordered++;
	return 1;
}

void rxstats_record(struct rxstats *s, const struct pkt_payload *pl, uint64_t rx_ns)
{
	s->frames++;
	if (pl->flow == RXSTATS_WARMUP_FLOW) {
		s->warmup++;
		return;
	}
	if (unlikely(pl->flow >= s->nflows)) {
		s->unknown++;
		return;
	}
	if (unlikely(pl->tx_ns < s->since_ns)) {
		s->stale++;
		return;
	}
	if (!classify(s, &s->flow[pl->flow], pl->seq))
		return;
	s->unique++;
	hist_record(s->lat, rx_ns > pl->tx_ns ? rx_ns - pl->tx_ns : 0);
}

void rxstats_unknown(struct rxstats *s)
{
	s->frames++;
	s->unknown++;
}
