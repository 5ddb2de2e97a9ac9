// SPDX-License-Identifier: MIT
/*
 * regress_timing.c: Tier 2 of `linerate regress`, evidence and never the gate alone. Runs a
 * baseline build and the candidate build of lr-paths natively, alternating A B A B for a
 * number of pairs (the first pair is discarded as a warm-up of caches and CPU frequency),
 * reads the TSC cycles of each run's steady-state loop, and reports per path the median of
 * the per-pair ratios candidate / baseline with a bootstrap 95% interval. Pairing in time
 * cancels most of the slow drift of a shared machine; the interval says how much is left.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress.h"
#include "tsc.h"

#define BOOT_RESAMPLES 2000
#define PAIRS_MAX      256

/* Runs bin's path natively; returns cycles per unit (> 0) or -1 on failure. */
static double run_native(const char *bin, const char *path, long count)
{
	char cmd[PATH_MAX + 96], line[128];
	unsigned long long units = 0, cycles = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' %s %ld 2>/dev/null", bin, path, count);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		sscanf(line, "units %llu", &units);
		sscanf(line, "cycles %llu", &cycles);
	}
	if (pclose(p) != 0 || !units || !cycles)
		return -1;
	return (double)cycles / (double)units;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A fixed-seed xorshift, so that the interval of given ratios is reproducible. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Bootstrap 95% interval of the median of n ratios. */
static void bootstrap(const double *ratio, unsigned n, double *lo, double *hi)
{
	static double meds[BOOT_RESAMPLES];
	double sample[PAIRS_MAX];
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (unsigned b = 0; b < BOOT_RESAMPLES; b++) {
		for (unsigned i = 0; i < n; i++)
			sample[i] = ratio[rng_next(&seed) % n];
		meds[b] = median(sample, n);
	}
	qsort(meds, BOOT_RESAMPLES, sizeof(*meds), cmp_double);
	*lo = meds[BOOT_RESAMPLES * 25 / 1000];
	*hi = meds[BOOT_RESAMPLES * 975 / 1000 - 1];
}

/* Returns the machine's steal share (percent of all CPU time) between two /proc/stat reads. */
static int read_steal(unsigned long long *steal, unsigned long long *total)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return -EIO;
	*steal = v[7];
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	return 0;
}

int regress_tier2_path(const char *base_bin, const char *cand_bin, const char *path, long count,
		       unsigned pairs, struct regress_tier2 *t)
{
	double a[PAIRS_MAX], b[PAIRS_MAX], ratio[PAIRS_MAX];
	unsigned long long s0 = 0, t0 = 0, s1 = 0, t1 = 0;

	if (pairs < 2 || pairs > PAIRS_MAX)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	read_steal(&s0, &t0); /* best effort: steal is only an explanation */
	for (unsigned i = 0; i < pairs; i++) {
		a[i] = run_native(base_bin, path, count);
		b[i] = run_native(cand_bin, path, count);
		if (a[i] <= 0 || b[i] <= 0)
			return -EIO;
		ratio[i] = b[i] / a[i];
	}
	read_steal(&s1, &t1);
	t->pairs = pairs - 1; /* the first pair is discarded */
	t->steal_pct = t1 > t0 ? 100.0 * (double)(s1 - s0) / (double)(t1 - t0) : 0;
	bootstrap(ratio + 1, t->pairs, &t->lo, &t->hi);
	t->ratio = median(ratio + 1, t->pairs);
	t->base_cpp = median(a + 1, t->pairs);
	t->cand_cpp = median(b + 1, t->pairs);
	t->cand_mpps = tsc_hz() / t->cand_cpp / 1e6;
	t->base_mpps = tsc_hz() / t->base_cpp / 1e6;
	return 0;
}
