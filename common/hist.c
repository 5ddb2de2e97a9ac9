// SPDX-License-Identifier: MIT
/*
 * hist.c: the log-linear latency histogram behind hist.h. Values below 256 ns get one bucket
 * each; above that every power of two [2^k, 2^(k+1)) is split into 128 equal sub-buckets of
 * width 2^(k-7), so a bucket is never wider than 1/128 of the values it holds. Percentiles
 * report a bucket's midpoint, which is within 1/256 (0.4%) of any value in that bucket.
 * Min and max are kept exactly; mean and variance are kept with Welford's running update in
 * long double (Chan's formula combines two histograms), which stays accurate where a plain
 * sum of squares would cancel.
 */
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB_BITS     7                /* 128 sub-buckets per power of two */
#define SUB_COUNT    (1u << SUB_BITS) /* 128 */
#define LINEAR_LIMIT (2u * SUB_COUNT) /* values below this get 1 ns buckets */
#define LINEAR_BITS  (SUB_BITS + 1)   /* log2(LINEAR_LIMIT) */
#define TOP_BIT      33               /* highest bit of HIST_MAX_NS (< 2^34) */
#define HIST_BUCKETS (LINEAR_LIMIT + (TOP_BIT - LINEAR_BITS + 1) * SUB_COUNT)

_Static_assert(HIST_MAX_NS < (1ULL << (TOP_BIT + 1)), "HIST_MAX_NS needs more buckets");

struct hist {
	uint64_t total;     /* values recorded, overflows included */
	uint64_t overflows; /* values above HIST_MAX_NS, recorded as HIST_MAX_NS */
	uint64_t min, max;
	long double mean; /* Welford: running mean */
	long double m2;   /* Welford: sum of squared deviations from the mean */
	uint64_t counts[HIST_BUCKETS];
};

/* Maps a value (<= HIST_MAX_NS) to its bucket. */
static unsigned bucket_of(uint64_t v)
{
	unsigned bit, shift;

	if (v < LINEAR_LIMIT)
		return (unsigned)v;
	bit = 63u - (unsigned)__builtin_clzll(v);
	shift = bit - SUB_BITS;
	return LINEAR_LIMIT + (bit - LINEAR_BITS) * SUB_COUNT + (unsigned)(v >> shift) - SUB_COUNT;
}

/* Returns the smallest value of bucket i and stores its width in *width. */
static uint64_t bucket_low(unsigned i, uint64_t *width)
{
	unsigned octave, sub;

	if (i < LINEAR_LIMIT) {
		*width = 1;
		return i;
	}
	octave = (i - LINEAR_LIMIT) / SUB_COUNT; /* 0 for [256, 512) */
	sub = (i - LINEAR_LIMIT) % SUB_COUNT;
	*width = 1ULL << (octave + 1);
	return (uint64_t)(SUB_COUNT + sub) << (octave + 1);
}

struct hist *hist_new(void)
{
	return calloc(1, sizeof(struct hist));
}

void hist_free(struct hist *h)
{
	free(h);
}

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Folds count copies of v (or a whole summary) into h's mean and m2 (Chan et al.). */
static void moments_add(struct hist *h, uint64_t n_b, long double mean_b, long double m2_b)
{
	long double n_a = (long double)h->total, nb = (long double)n_b;
	long double n = n_a + nb, delta = mean_b - h->mean;

	h->mean += delta * nb / n;
	h->m2 += m2_b + delta * delta * n_a * nb / n;
}

void hist_record_n(struct hist *h, uint64_t ns, uint64_t count)
{
	if (count == 0)
		return;
	if (ns > HIST_MAX_NS) {
		ns = HIST_MAX_NS;
		h->overflows += count;
	}
	if (h->total == 0 || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	moments_add(h, count, (long double)ns, 0);
	h->total += count;
	h->counts[bucket_of(ns)] += count;
}

void hist_record(struct hist *h, uint64_t ns)
{
	hist_record_n(h, ns, 1);
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (src->total == 0)
		return;
	if (dst->total == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	moments_add(dst, src->total, src->mean, src->m2);
	dst->total += src->total;
	dst->overflows += src->overflows;
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
}

uint64_t hist_count(const struct hist *h)
{
	return h->total;
}

uint64_t hist_overflows(const struct hist *h)
{
	return h->overflows;
}

uint64_t hist_min(const struct hist *h)
{
	return h->min;
}

uint64_t hist_max(const struct hist *h)
{
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return (double)h->mean;
}

double hist_stddev(const struct hist *h)
{
	if (h->total == 0)
		return 0;
	return (double)sqrtl(h->m2 / (long double)h->total);
}

/*
 * Nearest-rank percentile: the value with rank ceil(p/100 * count) among the sorted values.
 * The bucket holding that rank is found by a cumulative walk; its midpoint is reported,
 * clamped to [min, max] so that the extremes come out exact.
 */
uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0, width, v;

	if (h->total == 0)
		return 0;
	if (!(p > 0))
		return h->min;
	if (p >= 100)
		return h->max;
	/* the small slack keeps p = 99.9 (not exact in binary) from landing one rank high */
	rank = (uint64_t)ceill((long double)p / 100 * (long double)h->total - 1e-6L);
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		v = bucket_low(i, &width) + width / 2;
		if (v < h->min)
			v = h->min;
		if (v > h->max)
			v = h->max;
		return v;
	}
	return h->max; /* not reached: the buckets hold total values */
}

/* high_ns is the bucket's exclusive upper edge; cumulative is the fraction of values up to
 * and including the bucket, so the last line says 1. */
int hist_write_csv(const struct hist *h, FILE *f)
{
	uint64_t seen = 0, low, width;

	errno = 0;
	if (fprintf(f, "low_ns,high_ns,count,cumulative\n") < 0)
		return errno ? -errno : -EIO;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		if (h->counts[i] == 0)
			continue;
		seen += h->counts[i];
		low = bucket_low(i, &width);
		if (fprintf(f, "%llu,%llu,%llu,%.9g\n", (unsigned long long)low,
			    (unsigned long long)(low + width), (unsigned long long)h->counts[i],
			    (double)seen / (double)h->total) < 0)
			return errno ? -errno : -EIO;
	}
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
