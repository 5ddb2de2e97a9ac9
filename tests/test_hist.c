// SPDX-License-Identifier: MIT
/*
 * test_hist.c: the latency histogram. Percentiles are compared with the exact nearest-rank
 * percentiles of the same random samples, sorted, for three shapes (log-uniform over the
 * whole 10 ns..10 s range, normal around 50 us, bimodal); min, max, mean and standard
 * deviation with values computed from the samples; then merge, reset, overflow clamping, the
 * empty histogram and the CSV export.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define SAMPLES 400000

/* splitmix64: a small, seeded generator so every run sees the same samples */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in (0, 1) */
static double rng_unit(uint64_t *state)
{
	return ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(uint64_t *state, double mean, double sd)
{
	double u1 = rng_unit(state), u2 = rng_unit(state);

	return mean + sd * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static uint64_t clamp_ns(double v)
{
	if (v < (double)HIST_MIN_NS)
		return HIST_MIN_NS;
	if (v > (double)HIST_MAX_NS)
		return HIST_MAX_NS;
	return (uint64_t)llround(v);
}

enum shape {
	LOG_UNIFORM,
	NORMAL_50US,
	BIMODAL
};

static uint64_t sample(enum shape shape, uint64_t *state)
{
	switch (shape) {
	case LOG_UNIFORM: /* equally likely in every decade from 10 ns to 10 s */
		return clamp_ns(exp(log(1e1) + rng_unit(state) * (log(1e10) - log(1e1))));
	case NORMAL_50US:
		return clamp_ns(rng_normal(state, 50000, 5000));
	case BIMODAL: /* a fast path at 2 us and a slow path at 800 us */
		if (rng_unit(state) < 0.7)
			return clamp_ns(rng_normal(state, 2000, 200));
		return clamp_ns(rng_normal(state, 800000, 50000));
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sorted value with at least p% of the values at or below it. */
static uint64_t exact_percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100 * (double)n);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static void check_shape(enum shape shape, uint64_t seed)
{
	static const double ps[] = {1, 50, 90, 99, 99.9, 99.99};
	uint64_t *v = malloc(SAMPLES * sizeof(*v));
	struct hist *h = hist_new();
	long double sum = 0, dev2 = 0, mean;
	double sd;

	cr_assert_not_null(v);
	cr_assert_not_null(h);
	for (size_t i = 0; i < SAMPLES; i++) {
		v[i] = sample(shape, &seed);
		hist_record(h, v[i]);
		sum += v[i];
	}
	mean = sum / SAMPLES;
	for (size_t i = 0; i < SAMPLES; i++)
		dev2 += ((long double)v[i] - mean) * ((long double)v[i] - mean);
	sd = (double)sqrtl(dev2 / SAMPLES);
	qsort(v, SAMPLES, sizeof(*v), cmp_u64);

	cr_expect_eq(hist_count(h), SAMPLES);
	cr_expect_eq(hist_overflows(h), 0);
	cr_expect_eq(hist_min(h), v[0], "min %llu, exact %llu", (unsigned long long)hist_min(h),
		     (unsigned long long)v[0]);
	cr_expect_eq(hist_max(h), v[SAMPLES - 1]);
	cr_expect_leq(fabs(hist_mean(h) - (double)mean), 1e-9 * (double)mean, "mean %.6f vs %.6f",
		      hist_mean(h), (double)mean);
	cr_expect_leq(fabs(hist_stddev(h) - sd), 1e-6 * sd, "stddev %.6f vs %.6f", hist_stddev(h),
		      sd);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		uint64_t want = exact_percentile(v, SAMPLES, ps[i]);
		uint64_t got = hist_percentile(h, ps[i]);
		double err = fabs((double)got - (double)want) / (double)want;

		cr_expect_leq(err, 0.01, "shape %d p%g: %llu vs exact %llu (%.3f%% off)", shape,
			      ps[i], (unsigned long long)got, (unsigned long long)want, 100 * err);
	}
	cr_expect_eq(hist_percentile(h, 0), v[0], "p0 is the minimum");
	cr_expect_eq(hist_percentile(h, 100), v[SAMPLES - 1], "p100 is the maximum");
	hist_free(h);
	free(v);
}

Test(hist, percentiles_within_1pct_log_uniform_10ns_to_10s)
{
	check_shape(LOG_UNIFORM, 1);
}

Test(hist, percentiles_within_1pct_normal_around_50us)
{
	check_shape(NORMAL_50US, 2);
}

Test(hist, percentiles_within_1pct_bimodal)
{
	check_shape(BIMODAL, 3);
}

/* Checks that x, recorded between a smaller and a larger outlier, comes back within 1%. */
static void expect_value_within_1pct(struct hist *h, uint64_t x)
{
	uint64_t got;

	hist_reset(h);
	hist_record(h, 0);
	hist_record_n(h, x, 100);
	hist_record(h, HIST_MAX_NS); /* so the answer is not clamped to an exact min or max */
	got = hist_percentile(h, 50);
	cr_assert_leq(fabs((double)got - (double)x), 0.01 * (double)x,
		      "%llu recorded, p50 says %llu", (unsigned long long)x,
		      (unsigned long long)got);
}

/* Every value in range, bucket edges included, comes back within 1%. */
Test(hist, single_values_within_1pct_across_range)
{
	struct hist *h = hist_new();

	cr_assert_not_null(h);
	for (double x = (double)HIST_MIN_NS; x < (double)HIST_MAX_NS; x *= 1.0137)
		expect_value_within_1pct(h, (uint64_t)x);
	for (unsigned k = 4; k < 34; k++) {
		uint64_t edge = 1ULL << k;

		expect_value_within_1pct(h, edge - 1);
		expect_value_within_1pct(h, edge);
		expect_value_within_1pct(h, edge + 1);
		expect_value_within_1pct(h, edge + edge / 256);
	}
	hist_free(h);
}

/* Writes the CSV into a string the caller frees. */
static char *csv_of(const struct hist *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(hist_write_csv(h, f), 0);
	fclose(f);
	return buf;
}

Test(hist, merge_of_two_equals_recording_all_in_one)
{
	struct hist *a = hist_new(), *b = hist_new(), *all = hist_new();
	uint64_t seed = 4;
	char *csv_merged, *csv_all;

	cr_assert(a && b && all);
	for (int i = 0; i < 100000; i++) {
		uint64_t x = sample(i % 2 ? BIMODAL : LOG_UNIFORM, &seed);

		hist_record(i % 3 ? a : b, x);
		hist_record(all, x);
	}
	hist_record(b, 3 * HIST_MAX_NS); /* overflows merge too */
	hist_record(all, 3 * HIST_MAX_NS);
	hist_merge(a, b);
	cr_expect_eq(hist_count(a), hist_count(all));
	cr_expect_eq(hist_overflows(a), 1);
	cr_expect_eq(hist_min(a), hist_min(all));
	cr_expect_eq(hist_max(a), hist_max(all));
	cr_expect_leq(fabs(hist_mean(a) - hist_mean(all)), 1e-9 * hist_mean(all));
	cr_expect_leq(fabs(hist_stddev(a) - hist_stddev(all)), 1e-9 * hist_stddev(all));
	for (double p = 0; p <= 100; p += 0.5)
		cr_expect_eq(hist_percentile(a, p), hist_percentile(all, p), "p%g differs", p);
	csv_merged = csv_of(a);
	csv_all = csv_of(all);
	cr_expect_str_eq(csv_merged, csv_all, "the merged buckets differ");
	free(csv_merged);
	free(csv_all);

	hist_reset(b);
	hist_merge(all, b); /* merging an empty histogram changes nothing */
	cr_expect_eq(hist_count(all), hist_count(a));
	cr_expect_eq(hist_min(all), hist_min(a));
	hist_merge(b, a); /* nor does merging into an empty one lose anything */
	cr_expect_eq(hist_min(b), hist_min(a));
	cr_expect_eq(hist_max(b), hist_max(a));
	cr_expect_eq(hist_percentile(b, 50), hist_percentile(a, 50));
	hist_free(a);
	hist_free(b);
	hist_free(all);
}

static void expect_empty(const struct hist *h)
{
	cr_expect_eq(hist_count(h), 0);
	cr_expect_eq(hist_overflows(h), 0);
	cr_expect_eq(hist_min(h), 0);
	cr_expect_eq(hist_max(h), 0);
	cr_expect_eq(hist_mean(h), 0);
	cr_expect_eq(hist_stddev(h), 0);
	cr_expect_eq(hist_percentile(h, 0), 0);
	cr_expect_eq(hist_percentile(h, 50), 0);
	cr_expect_eq(hist_percentile(h, 100), 0);
}

Test(hist, empty_histogram_returns_zeros)
{
	struct hist *h = hist_new();
	char *csv;

	cr_assert_not_null(h);
	expect_empty(h);
	csv = csv_of(h);
	cr_expect_str_eq(csv, "low_ns,high_ns,count,cumulative\n", "CSV of nothing: '%s'", csv);
	free(csv);
	hist_free(h);
	hist_free(NULL);
}

Test(hist, reset_empties_and_allows_reuse)
{
	struct hist *h = hist_new();

	cr_assert_not_null(h);
	for (uint64_t x = 100; x < 100000; x += 37)
		hist_record(h, x);
	hist_record(h, HIST_MAX_NS + 1);
	hist_reset(h);
	expect_empty(h);
	hist_record(h, 777);
	hist_record(h, 555);
	cr_expect_eq(hist_count(h), 2);
	cr_expect_eq(hist_min(h), 555, "an old minimum survived the reset");
	cr_expect_eq(hist_max(h), 777);
	cr_expect_eq(hist_mean(h), 666);
	cr_expect_eq(hist_stddev(h), 111);
	hist_free(h);
}

Test(hist, overflows_are_clamped_and_counted)
{
	struct hist *h = hist_new();
	uint64_t p100;

	cr_assert_not_null(h);
	hist_record(h, 1000);
	hist_record(h, HIST_MAX_NS); /* in range: not an overflow */
	hist_record(h, HIST_MAX_NS + 1);
	hist_record_n(h, UINT64_MAX, 5);
	cr_expect_eq(hist_count(h), 8);
	cr_expect_eq(hist_overflows(h), 6);
	cr_expect_eq(hist_max(h), HIST_MAX_NS, "overflows count as HIST_MAX_NS");
	cr_expect_eq(hist_min(h), 1000);
	p100 = hist_percentile(h, 99);
	cr_expect_leq(fabs((double)p100 - (double)HIST_MAX_NS), 0.01 * (double)HIST_MAX_NS);
	cr_expect_leq(fabs(hist_mean(h) - (1000.0 + 7 * (double)HIST_MAX_NS) / 8), 1e-3);
	hist_free(h);
}

Test(hist, record_n_equals_repeated_record)
{
	struct hist *a = hist_new(), *b = hist_new();

	cr_assert(a && b);
	for (uint64_t x = 10; x < HIST_MAX_NS; x = x * 3 + 1) {
		hist_record_n(a, x, 4);
		for (int i = 0; i < 4; i++)
			hist_record(b, x);
	}
	hist_record_n(a, 12345, 0); /* zero occurrences record nothing */
	cr_expect_eq(hist_count(a), hist_count(b));
	cr_expect_eq(hist_min(a), hist_min(b));
	cr_expect_leq(fabs(hist_mean(a) - hist_mean(b)), 1e-9 * hist_mean(b));
	cr_expect_leq(fabs(hist_stddev(a) - hist_stddev(b)), 1e-9 * hist_stddev(b));
	for (double p = 0; p <= 100; p += 5)
		cr_expect_eq(hist_percentile(a, p), hist_percentile(b, p), "p%g differs", p);
	hist_free(a);
	hist_free(b);
}

/* Parses the CSV back: ordered, non-overlapping buckets whose counts add up to the total. */
Test(hist, csv_has_header_counts_summing_to_total_and_ends_at_1)
{
	struct hist *h = hist_new();
	uint64_t seed = 5, sum = 0, prev_high = 0, low, high, count;
	double cum, prev_cum = 0;
	char *csv, *line, *save = NULL;
	int lines = 0;

	cr_assert_not_null(h);
	for (int i = 0; i < 50000; i++)
		hist_record(h, sample(BIMODAL, &seed));
	hist_record(h, 3);
	csv = csv_of(h);
	line = strtok_r(csv, "\n", &save);
	cr_assert_not_null(line);
	cr_expect_str_eq(line, "low_ns,high_ns,count,cumulative");
	while ((line = strtok_r(NULL, "\n", &save))) {
		cr_assert_eq(sscanf(line, "%" SCNu64 ",%" SCNu64 ",%" SCNu64 ",%lf", &low, &high,
				    &count, &cum),
			     4, "bad line '%s'", line);
		cr_expect_lt(low, high, "'%s': empty bucket range", line);
		cr_expect_geq(low, prev_high, "'%s' overlaps the previous bucket", line);
		cr_expect_gt(count, 0, "'%s': empty buckets are not written", line);
		cr_expect_geq(cum, prev_cum, "'%s': cumulative went down", line);
		sum += count;
		prev_high = high;
		prev_cum = cum;
		lines++;
	}
	cr_expect_gt(lines, 10);
	cr_expect_eq(sum, hist_count(h), "CSV counts add up to %llu, not %llu",
		     (unsigned long long)sum, (unsigned long long)hist_count(h));
	cr_expect_eq(prev_cum, 1.0, "last cumulative is %.9f", prev_cum);
	free(csv);
	hist_free(h);
}
