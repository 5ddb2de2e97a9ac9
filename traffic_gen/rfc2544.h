/* SPDX-License-Identifier: MIT */
/*
 * rfc2544.h: the RFC 2544 (section 26) test procedures as pure logic, driven by callbacks that
 * run one trial or one burst, so the search can be tested against a simulated device:
 * throughput (NDR and PDR found in the same binary search), latency at the NDR with the
 * RFC 8219 figures (median, p99.9, delay variation) and their spread over repetitions, the
 * frame loss rate curve and the back-to-back burst search.
 *
 * The throughput search brackets the answer from the rate the DUT forwarded under the first
 * trial (at the upper bound), then bisects until the interval is narrower than a fraction of
 * its upper end (a relative resolution, as FD.io CSIT's MLRsearch does), so a DUT far slower
 * than line rate converges as fast as one near it.
 *
 * The callbacks own the traps ANCHORS.md lists: ramp up before a trial, stop, drain, then read
 * the counters. This module owns the other ones: a rate the generator could not offer is an
 * upper bound of what was measured, never a result; a trial that contradicts an earlier one is
 * counted (the DUT is noisy); repetitions are reported with their spread. Rates are in packets
 * per second of wire frames of frame_len bytes (FCS included, as in rate.h).
 */
#ifndef LR_RFC2544_H
#define LR_RFC2544_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "results.h"

#define RFC_MAX_TRIALS      32             /* throughput trials a result can hold */
#define RFC_MAX_REPEATS     64             /* latency repetitions */
#define RFC_MAX_CURVE       101            /* loss curve points (steps down to 1% of line) */
#define RFC_B2B_MAX_TRIALS  64             /* back-to-back bursts */
#define RFC_LAT_MIN_FRAMES  500            /* RFC 8219: timestamped frames a latency figure needs */
#define RFC_STRICT_TRIAL_NS 60000000000ULL /* RFC 2544: 60 s per trial */
#define RFC_STRICT_LAT_NS   120000000000ULL /* RFC 2544 26.2: a 120 s latency stream */
#define RFC_STRICT_REPEATS  20              /* RFC 8219: latency repeated 20 times */
#define RFC_SHORT_TRIAL_NS  1000000000ULL   /* labs and CI: 1 s */
#define RFC_SHORT_REPEATS   3

/* The procedures, as bits of a selection (tgen rfc2544 --tests). */
enum rfc_test {
	RFC_TEST_THROUGHPUT = 1 << 0,
	RFC_TEST_LATENCY = 1 << 1, /* at the NDR: needs the throughput search */
	RFC_TEST_LOSS = 1 << 2,
	RFC_TEST_B2B = 1 << 3,
	RFC_TEST_ALL = (1 << 4) - 1,
};

/* One trial as the callback measured it. */
struct rfc_trial {
	double offered_pps, tx_pps, rx_pps; /* asked for, sent, received (achieved rates) */
	uint64_t tx, rx;      /* frames sent; unique frames received after the drain */
	double loss_ratio;    /* (tx - rx) / tx; recomputed here from tx and rx */
	bool generator_bound; /* the generator could not offer offered_pps */
	bool invalid;         /* impossible figures (rx > tx: frames of an earlier trial came
			       * late): the search counts it as a failure, never a pass */
	double lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_min_ns, lat_max_ns; /* -1: not measured */
};

/* Runs one trial: ramp up, send at rate_pps for duration_ns, stop, drain, read the counters
 * into out. Returns 0 or -errno (-EINTR when the user stopped the run). */
typedef int (*rfc_trial_fn)(void *ctx, double rate_pps, unsigned frame_len, uint64_t duration_ns,
			    struct rfc_trial *out);

/* Sends one burst of burst_len frames at line rate (minimum gap), drains, and stores the number
 * of frames that came back in *received. Returns 0 or -errno. */
typedef int (*rfc_burst_fn)(void *ctx, uint64_t burst_len, unsigned frame_len, uint64_t *received);

/* What set a search's upper bound (rfc_cfg.top). */
enum rfc_top {
	RFC_TOP_LINE,      /* the line rate */
	RFC_TOP_GENERATOR, /* the generator's ceiling: an unpaced probe nothing refused */
	RFC_TOP_DUT,       /* the DUT's backpressure: the link refused the unpaced probe's frames */
	RFC_TOP_UNDECIDED, /* a probe whose counters could not say which */
};

struct rfc_cfg {
	double line_pps;         /* upper bound of every search: min(line rate, probe ceiling) */
	enum rfc_top top;        /* what set line_pps (RFC_TOP_LINE from rfc_cfg_init) */
	double resolution;       /* search stops when hi - lo <= resolution * hi (0.01) */
	double loss_tolerance;   /* PDR: highest loss ratio accepted (0.001); 0 = NDR only */
	unsigned max_trials;     /* throughput trials at most (12) */
	uint64_t trial_ns;       /* throughput and loss curve trial length */
	uint64_t latency_ns;     /* latency trial length */
	unsigned repeats;        /* latency trials at the NDR, which also re-check it (>= 1) */
	double loss_step;        /* loss curve step, fraction of line_pps (0.10, at most 0.10) */
	uint64_t b2b_max_burst;  /* longest burst tried; 0 = 2 s of frames at line_pps */
	uint64_t b2b_resolution; /* burst search stops at this many frames (1: exact) */
	unsigned b2b_max_trials; /* bursts at most (40) */
	bool strict;             /* RFC durations (set by rfc_cfg_init) */
};

/* Parses a comma-separated list of "throughput", "latency", "loss", "b2b" or "all" into a
 * mask of enum rfc_test; returns 0, or -EINVAL with the reason and the fix written into err. */
int rfc_tests_parse(const char *list, unsigned *mask, char *err, size_t errlen);
/* Writes a mask as the list rfc_tests_parse() reads ("throughput,loss"); returns buf. */
const char *rfc_tests_str(unsigned mask, char *buf, size_t len);

/* Fills cfg with the defaults above for a link of line_pps: 1 s trials and 3 repeats, or
 * with strict the RFC's 60 s trials, 120 s latency streams and 20 repeats. */
void rfc_cfg_init(struct rfc_cfg *cfg, double line_pps, bool strict);
/* Checks a configuration; returns 0, or -EINVAL with the reason written into err. */
int rfc_cfg_check(const struct rfc_cfg *cfg, char *err, size_t errlen);
/* Returns true when the trials are shorter than the RFC asks (labs/CI), so output can say so. */
bool rfc_is_short(const struct rfc_cfg *cfg);
/* Returns the line output should print about trial durations: a warning for short trials,
 * a statement of the RFC durations otherwise. */
const char *rfc_duration_note(const struct rfc_cfg *cfg);

/* Throughput search: NDR and PDR in one search. */
struct rfc_throughput {
	double ndr_pps;           /* highest rate seen with zero loss (0: none) */
	int ndr_trial;            /* index in trial[] of the trial that gave ndr_pps, -1: none */
	int pdr_trial;            /* the same for pdr_pps */
	double ndr_hi_pps;        /* lowest rate seen with loss, or the generator cap; 0: none */
	double pdr_pps;           /* highest rate seen with loss <= tolerance (= ndr without one) */
	double pdr_hi_pps;        /* the same for the PDR; 0: none */
	double generator_cap_pps; /* lowest rate the generator could not offer; 0: none */
	bool ndr_generator_limited; /* ndr_hi is the generator's cap: the DUT may do more */
	bool pdr_generator_limited;
	bool converged;        /* both intervals narrowed to the resolution */
	bool floored;          /* loss at every rate down to the search's floor: no NDR */
	unsigned inconsistent; /* trials that contradicted earlier ones (noisy DUT) */
	unsigned trials;
	struct rfc_trial trial[RFC_MAX_TRIALS];
};

/* Runs the throughput search for frame_len: a first trial at line_pps, a second at the rate
 * the DUT forwarded in it, steps that double away from there until a pass and a failure
 * bracket the answer, then bisection of the wider unresolved interval of [ndr, ndr_hi] and
 * [pdr, pdr_hi] until both are narrower than resolution * their upper end, or max_trials ran.
 * Returns 0 (out filled, out->converged says if the resolution was reached) or the callback's
 * / -EINVAL error (out holds the trials so far). */
int rfc_throughput(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		   struct rfc_throughput *out);

/* min / median / max of n values and their relative spread (max - min) / median. */
struct rfc_spread {
	unsigned n;
	double min, median, max, rel_spread; /* rel_spread 0 when the median is 0 */
};

/* Computes the spread of n >= 1 values (NDRs of repeated searches, say); returns 0, -EINVAL
 * (n == 0) or -ENOMEM. */
int rfc_repeat_spread(const double *v, unsigned n, struct rfc_spread *out);

/* Latency at a rate (the NDR), repeated. */
struct rfc_latency {
	double rate_pps;
	unsigned repeats;
	struct rfc_trial rep[RFC_MAX_REPEATS];
	double pdv_ns[RFC_MAX_REPEATS]; /* RFC 8219 delay variation: p99.9 - min; -1 unknown */
	unsigned insufficient;    /* repeats with fewer than RFC_LAT_MIN_FRAMES or no latency */
	unsigned lossy;           /* repeats that lost frames: the NDR did not hold */
	unsigned generator_bound; /* repeats the generator could not offer in full */
	struct rfc_spread p50, p99, p999, min, pdv; /* across the sufficient repeats */
};

/* Runs cfg->repeats trials of cfg->latency_ns at rate_pps and summarises them; returns 0,
 * -EINVAL (rate_pps <= 0, bad cfg), -ENOMEM or the callback's error. */
int rfc_latency(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		double rate_pps, struct rfc_latency *out);

/* Frame loss rate curve. */
struct rfc_loss_curve {
	unsigned n;
	struct rfc_trial pt[RFC_MAX_CURVE];
	bool complete; /* ended on two zero-loss trials in a row, as the RFC asks */
};

/* Runs trials from line_pps down in steps of loss_step * line_pps until two trials in a row,
 * both offered in full by the generator, show no loss; returns 0 or the callback's error. */
int rfc_loss_curve(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		   struct rfc_loss_curve *out);

/* Back-to-back burst search. */
struct rfc_b2b {
	uint64_t burst;     /* longest burst seen without loss (0: none) */
	uint64_t burst_hi;  /* shortest burst seen with loss (max_burst + 1 when none) */
	uint64_t max_burst; /* the longest burst tried */
	double burst_s;     /* burst / line_pps: how long the DUT absorbs line rate */
	bool at_max;        /* even max_burst passed: the DUT's buffer is at least that */
	bool converged;
	unsigned trials;
	uint64_t len[RFC_B2B_MAX_TRIALS], received[RFC_B2B_MAX_TRIALS];
};

/* Finds the longest burst forwarded without loss: max_burst first, then binary search until
 * burst_hi - burst <= b2b_resolution; returns 0 or the callback's / -EINVAL error. */
int rfc_back_to_back(const struct rfc_cfg *cfg, rfc_burst_fn fn, void *ctx, unsigned frame_len,
		     struct rfc_b2b *out);

/* Human-readable reports, one per procedure, written to f. */
/* Returns what an upper bound is, for the reports ("the line rate", "the generator's
 * ceiling", "the DUT's backpressure ceiling", "an undecided ceiling"). */
const char *rfc_top_name(enum rfc_top top);
/* Returns the status of an NDR/PDR summary: trial_st (the status of the trial that gave the
 * answer, RES_ERROR when none did), made generator-bound when the search was capped by a
 * generator-bound trial or found no loss below a generator's ceiling, and undecided when it
 * found no loss below an undecided one. No loss below the line rate or the DUT's
 * backpressure ceiling is the DUT's figure. */
enum res_status rfc_summary_status(enum res_status trial_st, bool capped, bool loss_seen,
				   enum rfc_top top);
void rfc_print_throughput(FILE *f, const struct rfc_cfg *cfg, unsigned frame_len,
			  const struct rfc_throughput *r);
void rfc_print_latency(FILE *f, const struct rfc_latency *r);
void rfc_print_loss_curve(FILE *f, const struct rfc_cfg *cfg, const struct rfc_loss_curve *r);
void rfc_print_b2b(FILE *f, const struct rfc_b2b *r);

#endif
