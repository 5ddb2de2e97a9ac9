// SPDX-License-Identifier: MIT
/*
 * fwd.c: the forwarding work itself, the part every forwarder shares whatever its I/O path:
 * classify a frame (forward, or drop for a named reason), decrement the TTL with the RFC 1624
 * incremental checksum update, rewrite the MACs, and compact a burst so that the frames to
 * send come first. Also the counter helpers.
 */
#include "fwd.h"

#include <arpa/inet.h>
#include <string.h>

#include "csum.h"

static const char *const drop_names[FWD_DROP_MAX] = {
	[FWD_DROP_NOT_IPV4] = "not_ipv4",
	[FWD_DROP_TRUNCATED] = "truncated",
	[FWD_DROP_BAD_VERSION] = "bad_version",
	[FWD_DROP_BAD_IHL] = "bad_ihl",
	[FWD_DROP_BAD_CSUM] = "bad_csum",
	[FWD_DROP_BAD_LEN] = "bad_len",
	[FWD_DROP_TTL] = "ttl",
};

const char *fwd_drop_name(enum fwd_drop reason)
{
	return (unsigned)reason < FWD_DROP_MAX ? drop_names[reason] : "unknown";
}

/* classify. 8< */
/* fwd_classify() as fwd_burst() calls it: inlined into its loop (a call per frame showed in the callgrind figures). */
static inline __attribute__((always_inline)) int classify(const uint8_t *frame, uint32_t len)
{
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)(frame + PKT_ETH_HLEN);
	const struct eth_hdr *eth = (const struct eth_hdr *)frame;
	uint32_t hlen, tot_len;

	if (unlikely(len < PKT_ETH_HLEN))
		return FWD_DROP_TRUNCATED;
	if (unlikely(eth->type != htons(PKT_ETHERTYPE_IPV4)))
		return FWD_DROP_NOT_IPV4;
	if (unlikely(len < PKT_ETH_HLEN + PKT_IPV4_HLEN))
		return FWD_DROP_TRUNCATED;
	if (unlikely(ip->ver_ihl >> 4 != 4))
		return FWD_DROP_BAD_VERSION;
	hlen = (ip->ver_ihl & 0x0f) * 4u;
	if (unlikely(hlen < PKT_IPV4_HLEN))
		return FWD_DROP_BAD_IHL;
	if (unlikely(len < PKT_ETH_HLEN + hlen))
		return FWD_DROP_TRUNCATED;
	if (unlikely(hlen == PKT_IPV4_HLEN ? csum_ipv4_hdr20(ip) != 0 : !csum_ipv4_hdr_ok(ip)))
		return FWD_DROP_BAD_CSUM;
	tot_len = ntohs(ip->tot_len);
	if (unlikely(tot_len < hlen))
		return FWD_DROP_BAD_LEN;
	if (unlikely(len < PKT_ETH_HLEN + tot_len)) /* longer is Ethernet padding: fine */
		return FWD_DROP_TRUNCATED;
	if (unlikely(ip->ttl <= 1))
		return FWD_DROP_TTL;
	return -1;
}
/* >8 End of classify. */

int fwd_classify(const uint8_t *frame, uint32_t len)
{
	return classify(frame, len);
}

/* fwd_rewrite. 8< */
/* Rewrites a frame fwd_classify() accepted: MACs from the route, TTL - 1. The TTL shares a
 * 16-bit word with the protocol; only that word changed, so the checksum is updated from the
 * word's old and new values instead of being summed again over the header. */
static inline void rewrite(const struct fwd_route *rt, uint8_t *frame)
{
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(frame + PKT_ETH_HLEN);
	uint16_t old_word, new_word;

	memcpy(frame, rt, 2 * PKT_ETH_ALEN); /* dst then src, as in the header */
	memcpy(&old_word, &ip->ttl, sizeof(old_word));
	ip->ttl--;
	memcpy(&new_word, &ip->ttl, sizeof(new_word));
	ip->csum = csum_update16(ip->csum, old_word, new_word);
}
/* >8 End of fwd_rewrite. */

unsigned fwd_burst(const struct fwd_route *rt, struct io_buf *bufs, unsigned n,
		   struct fwd_counters *c)
{
	uint64_t bytes = 0;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		int why;

		if (i + 1 < n)
			__builtin_prefetch(bufs[i + 1].data);
		bytes += bufs[i].len;
		why = classify(bufs[i].data, bufs[i].len);
		if (unlikely(why >= 0)) {
			fwd_count(c->drop[why], 1);
			io_free(&bufs[i], 1);
			continue;
		}
		rewrite(rt, bufs[i].data);
		if (k != i)
			bufs[k] = bufs[i];
		k++;
	}
	lr_plant(LR_PLANT_FWD * (unsigned long)k / 8);
	fwd_count(c->rx, n);
	fwd_count(c->rx_bytes, bytes);
	return k;
}

void fwd_counters_sum(struct fwd_counters *sum, const struct fwd_counters *c, unsigned n)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned t = 0; t < n; t++) {
		const struct fwd_counters *x = &c[t];

		sum->rx += __atomic_load_n(&x->rx, __ATOMIC_RELAXED);
		sum->rx_bytes += __atomic_load_n(&x->rx_bytes, __ATOMIC_RELAXED);
		sum->tx += __atomic_load_n(&x->tx, __ATOMIC_RELAXED);
		sum->tx_fail += __atomic_load_n(&x->tx_fail, __ATOMIC_RELAXED);
		for (unsigned d = 0; d < FWD_DROP_MAX; d++)
			sum->drop[d] += __atomic_load_n(&x->drop[d], __ATOMIC_RELAXED);
		sum->busy_cycles += __atomic_load_n(&x->busy_cycles, __ATOMIC_RELAXED);
		sum->sleeps += __atomic_load_n(&x->sleeps, __ATOMIC_RELAXED);
		sum->rx_bursts += __atomic_load_n(&x->rx_bursts, __ATOMIC_RELAXED);
	}
}

uint64_t fwd_drops_total(const struct fwd_counters *c)
{
	uint64_t total = 0;

	for (unsigned d = 0; d < FWD_DROP_MAX; d++)
		total += c->drop[d];
	return total;
}
