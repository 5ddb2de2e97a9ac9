/* SPDX-License-Identifier: MIT */
/*
 * hist.h: latency histogram in the manner of HdrHistogram: log-linear buckets (each power of
 * two split into equal sub-buckets) covering 10 ns to 10 s with a relative error of at most
 * 1% for any value in range. Recording is O(1) and allocation-free.
 */
#ifndef LR_HIST_H
#define LR_HIST_H

#include <stdint.h>
#include <stdio.h>

#define HIST_MIN_NS 10ULL
#define HIST_MAX_NS 10000000000ULL /* 10 s; larger values are clamped and counted */

struct hist;

/* Allocates an empty histogram; returns NULL on allocation failure. */
struct hist *hist_new(void);
/* Frees a histogram (NULL is fine). */
void hist_free(struct hist *h);
/* Empties a histogram. */
void hist_reset(struct hist *h);
/* Records one value in nanoseconds. */
void hist_record(struct hist *h, uint64_t ns);
/* Records count occurrences of one value. */
void hist_record_n(struct hist *h, uint64_t ns, uint64_t count);
/* Adds every value of src into dst. */
void hist_merge(struct hist *dst, const struct hist *src);

/* Returns the number of recorded values. */
uint64_t hist_count(const struct hist *h);
/* Returns how many values were above HIST_MAX_NS (they are recorded as HIST_MAX_NS). */
uint64_t hist_overflows(const struct hist *h);
/* Returns the exact smallest / largest recorded value (0 when empty). */
uint64_t hist_min(const struct hist *h);
uint64_t hist_max(const struct hist *h);
/* Returns the mean / standard deviation of recorded values (exact, from running sums). */
double hist_mean(const struct hist *h);
double hist_stddev(const struct hist *h);
/* Returns the value at percentile p (0..100), within 1%; 0 when empty. */
uint64_t hist_percentile(const struct hist *h, double p);

/* Writes the distribution as CSV: header "low_ns,high_ns,count,cumulative" then one line per
 * non-empty bucket ([low_ns, high_ns), cumulative as a fraction ending at 1). Returns 0 or -errno. */
int hist_write_csv(const struct hist *h, FILE *f);

#endif
