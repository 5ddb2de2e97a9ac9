// SPDX-License-Identifier: MIT
/*
 * test_rfc2544.c: the RFC 2544 searches against a simulated device under test. The simulated
 * DUT forwards up to C packets per second and loses the excess (loss = 1 - C / rate, at least
 * one frame when it overflows), optionally with a capacity that jitters per trial and a band
 * below C where it drops a few frames at random (fixed seed, so failures reproduce); a
 * simulated generator may have a ceiling below the asked rate; a simulated buffer drops the
 * frames of a burst beyond B; a DUT may also lose a little (1e-4) between its NDR and C, and
 * one trial may receive frames of the one before (rx > tx). The tests check the figures the
 * procedures must find, the trial budget (also for DUTs 60 and 1000 times slower than line
 * rate, where the resolution is relative to the answer), what gets reported, the --tests
 * list, and that callback errors come back to the caller.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfc2544.h"

#define TEST_SEED 0x6c696e6572617465ull /* "linerate" */
#define LINE_PPS  14880952.38           /* 10G, 64 B frames */
#define FRAME_LEN 64u

struct sim {
	double line;        /* what the search treats as 100% */
	double capacity;    /* C: packets per second the DUT forwards */
	double gen_max;     /* generator ceiling; 0 = none */
	double jitter;      /* capacity varies by +-jitter/2 (a fraction of C) per trial */
	double band;        /* below C by this fraction, random small loss ... */
	double band_loss;   /* ... of this ratio, half of the time */
	double lat_jitter;  /* relative spread of latency between trials */
	double lossy_above; /* loses 1e-4 of the frames above this rate, below C (0: never) */
	unsigned late_on;   /* this call (1-based) gets 1000 frames of the trial before */
	uint64_t buffer;    /* burst frames the DUT absorbs */
	unsigned calls;
	unsigned fail_at; /* return fail_ret on this call (1-based); 0 = never */
	int fail_ret;
	uint64_t rng;
};

static uint64_t rnd(struct sim *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

/* A uniform number in [0, 1). */
static double rnd01(struct sim *s)
{
	return (double)(rnd(s) >> 11) / 9007199254740992.0;
}

static void sim_init(struct sim *s, double capacity)
{
	memset(s, 0, sizeof(*s));
	s->line = LINE_PPS;
	s->capacity = capacity;
	s->rng = TEST_SEED;
}

static void sim_latency(struct sim *s, struct rfc_trial *out)
{
	double k = 1.0 + s->lat_jitter * (rnd01(s) - 0.5);

	out->lat_min_ns = 800 * k;
	out->lat_p50_ns = 2000 * k;
	out->lat_p99_ns = 5000 * k;
	out->lat_p999_ns = 9000 * k;
	out->lat_max_ns = 20000 * k;
}

static int sim_trial(void *ctx, double rate, unsigned frame_len, uint64_t ns, struct rfc_trial *out)
{
	struct sim *s = ctx;
	double secs = (double)ns / 1e9, sent = rate, cap = s->capacity, loss;
	uint64_t lost;

	(void)frame_len;
	s->calls++;
	if (s->fail_at && s->calls == s->fail_at)
		return s->fail_ret;
	if (s->gen_max > 0 && sent > s->gen_max)
		sent = s->gen_max;
	out->generator_bound = sent < 0.99 * rate;
	cap *= 1.0 + s->jitter * (rnd01(s) - 0.5);
	loss = sent > cap ? 1.0 - cap / sent : 0;
	if (s->band > 0 && sent > s->capacity * (1 - s->band) && rnd01(s) < 0.5)
		loss += s->band_loss;
	if (s->lossy_above > 0 && sent > s->lossy_above && loss == 0)
		loss = 1e-4;
	out->tx = (uint64_t)llround(sent * secs);
	lost = (uint64_t)ceil((double)out->tx * loss);
	out->rx = out->tx - (lost > out->tx ? out->tx : lost);
	if (s->late_on == s->calls)
		out->rx += 1000; /* frames of the trial before, still in flight, counted here */
	out->tx_pps = (double)out->tx / secs;
	out->rx_pps = (double)out->rx / secs;
	out->loss_ratio = -1; /* the module recomputes it from the counters */
	sim_latency(s, out);
	return 0;
}

static int sim_burst(void *ctx, uint64_t burst, unsigned frame_len, uint64_t *received)
{
	struct sim *s = ctx;

	(void)frame_len;
	s->calls++;
	if (s->fail_at && s->calls == s->fail_at)
		return s->fail_ret;
	*received = burst < s->buffer ? burst : s->buffer;
	return 0;
}

static struct rfc_cfg cfg_for(const struct sim *s)
{
	struct rfc_cfg cfg;

	rfc_cfg_init(&cfg, s->line, false);
	return cfg;
}

static struct rfc_throughput res; /* large: keep it off the stack */

TestSuite(rfc2544);

Test(rfc2544, ndr_within_resolution_in_twelve_trials)
{
	const double frac[] = {0.05, 0.37, 0.633, 0.995};

	for (size_t i = 0; i < sizeof(frac) / sizeof(frac[0]); i++) {
		struct sim s;
		struct rfc_cfg cfg;
		double c = frac[i] * LINE_PPS, step;

		sim_init(&s, c);
		cfg = cfg_for(&s);
		step = cfg.resolution * cfg.line_pps;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		cr_assert(res.converged, "C=%g: not converged", frac[i]);
		cr_assert_leq(res.trials, 12u, "C=%g: %u trials", frac[i], res.trials);
		cr_assert_eq(res.trial[0].offered_pps, LINE_PPS, "the first trial is at line rate");
		cr_assert_leq(res.ndr_pps, c, "C=%g: NDR %g above capacity", frac[i], res.ndr_pps);
		cr_assert_geq(res.ndr_pps, c - step, "C=%g: NDR %g too low", frac[i], res.ndr_pps);
		cr_assert_gt(res.ndr_hi_pps, c);
		cr_assert_leq(res.ndr_hi_pps - res.ndr_pps, step);
		cr_assert_eq(res.pdr_pps, res.ndr_pps, "without a tolerance PDR is NDR");
		cr_assert_not(res.ndr_generator_limited);
		cr_assert_eq(res.generator_cap_pps, 0);
		cr_assert_eq(res.inconsistent, 0u);
	}
}

Test(rfc2544, slow_dut_converges_at_relative_resolution_from_the_forwarded_rate)
{
	const double slower[] = {60, 1000};

	for (size_t i = 0; i < sizeof(slower) / sizeof(slower[0]); i++) {
		struct sim s;
		struct rfc_cfg cfg;
		double c = LINE_PPS / slower[i];

		sim_init(&s, c);
		cfg = cfg_for(&s);
		cfg.loss_tolerance = 0.001;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		cr_assert(res.converged, "%gx slower: not converged", slower[i]);
		/* A DUT that forwards its capacity under overload: line rate, that rate, one
		 * resolution above it. */
		cr_assert_leq(res.trials, 4u, "%gx slower: %u trials", slower[i], res.trials);
		cr_assert_leq(res.trial[1].offered_pps, res.trial[0].rx_pps,
			      "the second trial is at the rate forwarded in the first");
		cr_assert_leq(res.ndr_pps, c);
		cr_assert_geq(res.ndr_pps, c * (1 - cfg.resolution), "%gx slower: NDR %g of %g",
			      slower[i], res.ndr_pps, c);
		cr_assert_leq(res.ndr_hi_pps - res.ndr_pps, cfg.resolution * res.ndr_hi_pps,
			      "the interval is within 1%% of its upper end");
		cr_assert_geq(res.pdr_pps, res.ndr_pps);
		cr_assert_leq(res.pdr_pps, c / (1 - 0.001));
	}
}

Test(rfc2544, ndr_below_the_overload_rate_converges_in_twelve_trials)
{
	const double below[] = {0.01, 0.05, 0.1, 0.2};

	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		struct sim s;
		struct rfc_cfg cfg;
		double c = LINE_PPS / 60, ndr = c * (1 - below[i]);

		sim_init(&s, c);
		s.lossy_above = ndr; /* small loss between the NDR and the capacity */
		cfg = cfg_for(&s);
		cfg.loss_tolerance = 0.001;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		cr_assert(res.converged, "NDR %g%% below: not converged in %u", 100 * below[i],
			  res.trials);
		cr_assert_leq(res.trials, 12u, "NDR %g%% below: %u trials", 100 * below[i],
			      res.trials);
		cr_assert_leq(res.ndr_pps, ndr);
		cr_assert_geq(res.ndr_pps, ndr * (1 - cfg.resolution), "NDR %g, true %g",
			      res.ndr_pps, ndr);
		/* 1e-4 loss is within the tolerance: the PDR is the capacity. */
		cr_assert_geq(res.pdr_pps, c * (1 - cfg.resolution), "PDR %g, C %g", res.pdr_pps,
			      c);
		cr_assert_geq(res.ndr_trial, 0);
		cr_assert_eq(res.trial[res.ndr_trial].offered_pps, res.ndr_pps);
		cr_assert_eq(res.trial[res.ndr_trial].loss_ratio, 0);
		cr_assert_leq(res.trial[res.pdr_trial].loss_ratio, 0.001);
	}
}

Test(rfc2544, a_trial_with_more_received_than_sent_is_never_a_pass)
{
	struct sim s;
	struct rfc_cfg cfg;

	/* The second trial, at the forwarded rate C (a pass otherwise), gets frames of the
	 * first: the search must not take its figures as a loss-free trial. */
	sim_init(&s, 0.5 * LINE_PPS);
	s.lossy_above = 0.45 * LINE_PPS;
	s.late_on = 2;
	cfg = cfg_for(&s);
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.trial[1].invalid, "rx > tx marks the trial invalid");
	cr_assert_eq(res.trial[1].loss_ratio, 0);
	cr_assert(res.converged);
	cr_assert_leq(res.ndr_pps, 0.45 * LINE_PPS, "NDR %g above the loss-free rate", res.ndr_pps);
	cr_assert_neq(res.ndr_trial, 1);
}

Test(rfc2544, dut_that_loses_everything_has_no_ndr)
{
	struct sim s;
	struct rfc_cfg cfg;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	sim_init(&s, 0);
	cfg = cfg_for(&s);
	cfg.max_trials = RFC_MAX_TRIALS;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.floored, "the search gives up at its floor");
	cr_assert_not(res.converged);
	cr_assert_lt(res.trials, RFC_MAX_TRIALS, "%u trials", res.trials);
	cr_assert_eq(res.ndr_pps, 0);
	cr_assert_eq(res.ndr_trial, -1);
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	rfc_print_throughput(f, &cfg, FRAME_LEN, &res);
	fclose(f);
	cr_assert_not_null(strstr(text, "no loss-free rate"), "%s", text);
	free(text);
}

Test(rfc2544, tests_list_parses_and_prints_back)
{
	char err[256] = "", buf[64];
	unsigned m = 0;

	cr_assert_eq(rfc_tests_parse("throughput", &m, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m, (unsigned)RFC_TEST_THROUGHPUT);
	cr_assert_str_eq(rfc_tests_str(m, buf, sizeof(buf)), "throughput");
	cr_assert_eq(rfc_tests_parse("loss,throughput,b2b", &m, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m, (unsigned)(RFC_TEST_THROUGHPUT | RFC_TEST_LOSS | RFC_TEST_B2B));
	cr_assert_str_eq(rfc_tests_str(m, buf, sizeof(buf)), "throughput,loss,b2b");
	cr_assert_eq(rfc_tests_parse("all", &m, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m, (unsigned)RFC_TEST_ALL);
	cr_assert_str_eq(rfc_tests_str(m, buf, sizeof(buf)), "all");
	m = 0;
	cr_assert_eq(rfc_tests_parse("throughput,speed", &m, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "'speed' is not a test"), "%s", err);
	cr_assert_eq(m, 0u, "a bad list leaves the mask alone");
	cr_assert_eq(rfc_tests_parse("latency", &m, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "add throughput"), "%s", err);
	cr_assert_eq(rfc_tests_parse("", &m, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "no test given"), "%s", err);
}

Test(rfc2544, ndr_at_line_rate_takes_one_trial)
{
	struct sim s;
	struct rfc_cfg cfg;

	sim_init(&s, LINE_PPS);
	cfg = cfg_for(&s);
	cfg.loss_tolerance = 0.001;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert_eq(res.trials, 1u);
	cr_assert(res.converged);
	cr_assert_eq(res.ndr_pps, LINE_PPS);
	cr_assert_eq(res.pdr_pps, LINE_PPS);
	cr_assert_eq(res.ndr_hi_pps, 0, "no loss seen: no upper bound");
}

Test(rfc2544, pdr_within_tolerance_in_the_same_search)
{
	const double frac[] = {0.05, 0.37, 0.633, 0.995};

	for (size_t i = 0; i < sizeof(frac) / sizeof(frac[0]); i++) {
		struct sim s;
		struct rfc_cfg cfg;
		double c = frac[i] * LINE_PPS, pdr_true = c / (1 - 0.001), step;
		unsigned ndr_only;

		sim_init(&s, c);
		cfg = cfg_for(&s);
		step = cfg.resolution * cfg.line_pps;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		ndr_only = res.trials;
		cfg.loss_tolerance = 0.001;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		cr_assert(res.converged);
		cr_assert_leq(res.trials, 12u);
		/* One search, not two: shared trials keep the count well under twice NDR's. */
		cr_assert_lt(res.trials, 2 * ndr_only - 1, "%u trials vs %u", res.trials, ndr_only);
		cr_assert_leq(res.pdr_pps, pdr_true, "C=%g: PDR %g", frac[i], res.pdr_pps);
		cr_assert_geq(res.pdr_pps, pdr_true - step, "C=%g: PDR %g", frac[i], res.pdr_pps);
		cr_assert_geq(res.pdr_pps, res.ndr_pps);
		cr_assert_leq(res.ndr_pps, c);
		cr_assert_geq(res.ndr_pps, c - step);
	}
}

Test(rfc2544, pdr_between_capacity_and_tolerance_at_fine_resolution)
{
	struct sim s;
	struct rfc_cfg cfg;
	double c = 0.633 * LINE_PPS;

	sim_init(&s, c);
	cfg = cfg_for(&s);
	cfg.loss_tolerance = 0.001;
	cfg.resolution = 0.0002; /* finer than C * 0.001, so PDR must land above C */
	cfg.max_trials = RFC_MAX_TRIALS;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.converged);
	cr_assert_geq(res.pdr_pps, c);
	cr_assert_leq(res.pdr_pps, c / (1 - 0.001));
	cr_assert_lt(res.ndr_pps, c + 1);
}

Test(rfc2544, wide_tolerance_splits_the_intervals)
{
	struct sim s;
	struct rfc_cfg cfg;
	double c = 0.5 * LINE_PPS, step;

	sim_init(&s, c);
	cfg = cfg_for(&s);
	cfg.loss_tolerance = 0.05;
	step = cfg.resolution * cfg.line_pps;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.converged);
	cr_assert_leq(res.trials, 12u);
	cr_assert(res.ndr_pps <= c && res.ndr_pps >= c - step);
	cr_assert(res.pdr_pps <= c / 0.95 && res.pdr_pps >= c / 0.95 - step);
}

Test(rfc2544, generator_bound_caps_and_is_reported)
{
	struct sim s;
	struct rfc_cfg cfg;
	double g = 0.4 * LINE_PPS, step;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	sim_init(&s, 0.8 * LINE_PPS);
	s.gen_max = g;
	cfg = cfg_for(&s);
	cfg.loss_tolerance = 0.001;
	step = cfg.resolution * cfg.line_pps;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.converged);
	cr_assert_leq(res.trials, 12u);
	cr_assert(res.trial[0].generator_bound);
	cr_assert_leq(res.ndr_pps, g + 1, "NDR %g above what the generator sent", res.ndr_pps);
	cr_assert_geq(res.ndr_pps, g - step);
	cr_assert(res.ndr_generator_limited);
	cr_assert(res.pdr_generator_limited);
	cr_assert_gt(res.generator_cap_pps, g);
	cr_assert_leq(res.generator_cap_pps - g, step);
	cr_assert_eq(res.inconsistent, 0u);

	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	rfc_print_throughput(f, &cfg, FRAME_LEN, &res);
	fclose(f);
	cr_assert_not_null(strstr(text, "generator-bound"), "%s", text);
	cr_assert_not_null(strstr(text, "lower bound"), "%s", text);
	free(text);
}

Test(rfc2544, generator_above_capacity_does_not_limit_ndr)
{
	struct sim s;
	struct rfc_cfg cfg;
	double c = 0.5 * LINE_PPS, step;

	sim_init(&s, c);
	s.gen_max = 0.9 * LINE_PPS;
	cfg = cfg_for(&s);
	step = cfg.resolution * cfg.line_pps;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	cr_assert(res.converged);
	cr_assert(res.trial[0].generator_bound, "line rate was beyond the generator");
	cr_assert_eq(res.generator_cap_pps, LINE_PPS);
	cr_assert_not(res.ndr_generator_limited, "the DUT's loss bounds the NDR");
	cr_assert(res.ndr_pps <= c && res.ndr_pps >= c - step);
}

Test(rfc2544, noisy_dut_stays_in_its_band)
{
	for (unsigned seed = 1; seed <= 20; seed++) {
		struct sim s;
		struct rfc_cfg cfg;
		double c = 0.6 * LINE_PPS, step;

		sim_init(&s, c);
		s.rng ^= seed * 0x9e3779b97f4a7c15ull;
		s.jitter = 0.004; /* capacity +-0.2% */
		s.band = 0.03;    /* random drops up to 3% below C */
		s.band_loss = 1e-5;
		cfg = cfg_for(&s);
		step = cfg.resolution * cfg.line_pps;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		cr_assert_leq(res.trials, 12u);
		cr_assert_leq(res.ndr_pps, c * 1.002, "seed %u: NDR %g", seed, res.ndr_pps);
		cr_assert_geq(res.ndr_pps, c * (1 - 0.03) - step, "seed %u: NDR %g", seed,
			      res.ndr_pps);
	}
}

Test(rfc2544, contradicting_trials_are_counted)
{
	struct sim s;
	struct rfc_cfg cfg;
	unsigned caught = 0;

	/* Random small loss at every rate and a capacity that wanders by +-5%: the NDR search
	 * fails at rates where the PDR trials, stepping up from the first trial's forwarded
	 * rate, sometimes pass with no loss at all. Bisection never retries inside its own
	 * interval, so only such cross-interval trials can expose a noisy DUT. */
	sim_init(&s, 0.6 * LINE_PPS);
	s.band = 1.0;
	s.band_loss = 1e-5;
	s.jitter = 0.1;
	cfg = cfg_for(&s);
	cfg.loss_tolerance = 0.001;
	for (unsigned seed = 1; seed <= 20; seed++) {
		s.rng = TEST_SEED ^ seed;
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		caught += res.inconsistent > 0;
	}
	cr_assert_gt(caught, 0u, "a DUT that drops at random was never caught");
}

Test(rfc2544, loss_curve_stops_after_two_zero_loss_steps)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_loss_curve lc;
	double c = 0.63 * LINE_PPS;

	sim_init(&s, c);
	cfg = cfg_for(&s);
	cr_assert_eq(rfc_loss_curve(&cfg, sim_trial, &s, FRAME_LEN, &lc), 0);
	cr_assert(lc.complete);
	cr_assert_geq(lc.n, 3u);
	cr_assert_eq(lc.pt[0].offered_pps, LINE_PPS, "the curve starts at line rate");
	for (unsigned i = 1; i < lc.n; i++) {
		double drop = lc.pt[i - 1].offered_pps - lc.pt[i].offered_pps;

		cr_assert_gt(drop, 0);
		cr_assert_leq(drop, 0.10 * LINE_PPS + 1, "step %u is %g", i, drop);
	}
	for (unsigned i = 0; i + 2 < lc.n; i++)
		cr_assert_gt(lc.pt[i].loss_ratio, 0, "point %u lossless yet the curve went on", i);
	cr_assert_eq(lc.pt[lc.n - 1].loss_ratio, 0);
	cr_assert_eq(lc.pt[lc.n - 2].loss_ratio, 0);
	cr_assert_gt(lc.pt[lc.n - 3].offered_pps, c);
	cr_assert_float_eq(lc.pt[0].loss_ratio, 1 - c / LINE_PPS, 1e-6);
}

Test(rfc2544, loss_curve_ignores_generator_bound_zero_loss)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_loss_curve lc;

	sim_init(&s, 0.8 * LINE_PPS);
	s.gen_max = 0.55 * LINE_PPS;
	cfg = cfg_for(&s);
	cr_assert_eq(rfc_loss_curve(&cfg, sim_trial, &s, FRAME_LEN, &lc), 0);
	cr_assert(lc.complete);
	cr_assert(lc.pt[0].generator_bound);
	cr_assert_not(lc.pt[lc.n - 1].generator_bound);
	cr_assert_not(lc.pt[lc.n - 2].generator_bound);
	cr_assert_leq(lc.pt[lc.n - 2].offered_pps, s.gen_max);
}

Test(rfc2544, loss_curve_of_a_dead_dut_is_incomplete)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_loss_curve lc;

	sim_init(&s, 0);
	cfg = cfg_for(&s);
	cr_assert_eq(rfc_loss_curve(&cfg, sim_trial, &s, FRAME_LEN, &lc), 0);
	cr_assert_not(lc.complete);
	cr_assert_eq(lc.n, 10u, "100%% down to 10%% in 10%% steps");
	for (unsigned i = 0; i < lc.n; i++)
		cr_assert_eq(lc.pt[i].loss_ratio, 1.0);
}

Test(rfc2544, back_to_back_finds_the_buffer)
{
	const uint64_t buffers[] = {1, 1000, 123457, 29000000};

	for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) {
		struct sim s;
		struct rfc_cfg cfg;
		struct rfc_b2b b;

		sim_init(&s, LINE_PPS);
		s.buffer = buffers[i];
		cfg = cfg_for(&s);
		cr_assert_eq(rfc_back_to_back(&cfg, sim_burst, &s, FRAME_LEN, &b), 0);
		cr_assert(b.converged);
		cr_assert_not(b.at_max);
		cr_assert_eq(b.max_burst, (uint64_t)(2 * LINE_PPS), "2 s of line rate");
		cr_assert_eq(b.len[0], b.max_burst, "the first burst is the longest");
		cr_assert_eq(b.burst, buffers[i], "B=%llu: found %llu",
			     (unsigned long long)buffers[i], (unsigned long long)b.burst);
		cr_assert_eq(b.burst_hi, buffers[i] + 1);
		cr_assert_leq(b.trials, cfg.b2b_max_trials);
		cr_assert_float_eq(b.burst_s, (double)buffers[i] / LINE_PPS, 1e-12);
	}
}

Test(rfc2544, back_to_back_at_resolution_and_at_max)
{
	struct sim s;
	struct rfc_cfg cfg;
	struct rfc_b2b b;

	sim_init(&s, LINE_PPS);
	s.buffer = 123457;
	cfg = cfg_for(&s);
	cfg.b2b_resolution = 1000;
	cr_assert_eq(rfc_back_to_back(&cfg, sim_burst, &s, FRAME_LEN, &b), 0);
	cr_assert(b.converged);
	cr_assert_leq(b.burst, s.buffer);
	cr_assert_gt(b.burst_hi, s.buffer);
	cr_assert_leq(b.burst_hi - b.burst, 1000u);

	s.buffer = UINT64_MAX;
	cfg.b2b_max_burst = 5000;
	cr_assert_eq(rfc_back_to_back(&cfg, sim_burst, &s, FRAME_LEN, &b), 0);
	cr_assert(b.at_max);
	cr_assert_eq(b.trials, 1u);
	cr_assert_eq(b.burst, 5000u);

	s.buffer = 0; /* drops everything */
	cfg.b2b_resolution = 1;
	cr_assert_eq(rfc_back_to_back(&cfg, sim_burst, &s, FRAME_LEN, &b), 0);
	cr_assert(b.converged);
	cr_assert_eq(b.burst, 0u);
	cr_assert_eq(b.burst_hi, 1u);
}

Test(rfc2544, latency_repeats_produce_a_spread)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_latency lat;
	double c = 0.5 * LINE_PPS;

	sim_init(&s, c);
	s.lat_jitter = 0.2;
	cfg = cfg_for(&s);
	cfg.repeats = 5;
	cr_assert_eq(rfc_latency(&cfg, sim_trial, &s, FRAME_LEN, 0.4 * LINE_PPS, &lat), 0);
	cr_assert_eq(lat.repeats, 5u);
	cr_assert_eq(lat.insufficient, 0u);
	cr_assert_eq(lat.lossy, 0u);
	cr_assert_eq(lat.p50.n, 5u);
	cr_assert_eq(lat.pdv.n, 5u);
	cr_assert_gt(lat.p50.rel_spread, 0);
	cr_assert(lat.p50.min <= lat.p50.median && lat.p50.median <= lat.p50.max);
	cr_assert(lat.p999.min <= lat.p999.median && lat.p999.median <= lat.p999.max);
	for (unsigned i = 0; i < lat.repeats; i++) {
		cr_assert_float_eq(lat.pdv_ns[i], lat.rep[i].lat_p999_ns - lat.rep[i].lat_min_ns,
				   1e-9);
		cr_assert_geq(lat.rep[i].rx, RFC_LAT_MIN_FRAMES);
	}
}

Test(rfc2544, latency_flags_short_and_lossy_repeats)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_latency lat;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	sim_init(&s, 0.5 * LINE_PPS);
	cfg = cfg_for(&s);
	cfg.repeats = 3;
	/* 100 pps for 1 s: 100 frames, fewer than RFC 8219's 500. */
	cr_assert_eq(rfc_latency(&cfg, sim_trial, &s, FRAME_LEN, 100, &lat), 0);
	cr_assert_eq(lat.insufficient, 3u);
	cr_assert_eq(lat.p50.n, 0u);
	cr_assert_lt(lat.pdv_ns[0], 0);
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	rfc_print_latency(f, &lat);
	fclose(f);
	cr_assert_not_null(strstr(text, "insufficient"), "%s", text);
	free(text);

	/* Above capacity the NDR did not hold: every repeat lost frames. */
	cr_assert_eq(rfc_latency(&cfg, sim_trial, &s, FRAME_LEN, 0.6 * LINE_PPS, &lat), 0);
	cr_assert_eq(lat.lossy, 3u);
	cr_assert_eq(rfc_latency(&cfg, sim_trial, &s, FRAME_LEN, 0, &lat), -EINVAL);
}

Test(rfc2544, callback_errors_propagate)
{
	struct sim s;
	struct rfc_cfg cfg;
	static struct rfc_latency lat;
	static struct rfc_loss_curve lc;
	struct rfc_b2b b;

	sim_init(&s, 0.3 * LINE_PPS);
	cfg = cfg_for(&s);
	s.fail_at = 3;
	s.fail_ret = -EINTR;
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), -EINTR);
	cr_assert_eq(res.trials, 2u, "the trials before the error are kept");
	s.calls = 0;
	s.fail_ret = 7; /* a positive return is not success either */
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), -EIO);
	s.calls = 0;
	s.fail_ret = -ENETDOWN;
	cr_assert_eq(rfc_latency(&cfg, sim_trial, &s, FRAME_LEN, 1000, &lat), -ENETDOWN);
	cr_assert_eq(lat.repeats, 2u);
	s.calls = 0;
	cr_assert_eq(rfc_loss_curve(&cfg, sim_trial, &s, FRAME_LEN, &lc), -ENETDOWN);
	cr_assert_eq(lc.n, 2u);
	s.calls = 0;
	s.buffer = 100;
	cr_assert_eq(rfc_back_to_back(&cfg, sim_burst, &s, FRAME_LEN, &b), -ENETDOWN);
	cr_assert_eq(b.trials, 2u);
}

Test(rfc2544, durations_short_by_default_strict_on_request)
{
	struct rfc_cfg cfg;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct sim s;

	rfc_cfg_init(&cfg, LINE_PPS, false);
	cr_assert(rfc_is_short(&cfg));
	cr_assert_lt(cfg.trial_ns, RFC_STRICT_TRIAL_NS);
	cr_assert_not_null(strstr(rfc_duration_note(&cfg), "--strict"));
	sim_init(&s, LINE_PPS);
	cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	rfc_print_throughput(f, &cfg, FRAME_LEN, &res);
	fclose(f);
	cr_assert_not_null(strstr(text, "short trials"), "%s", text);
	cr_assert_not_null(strstr(text, "NDR"), "%s", text);
	free(text);

	rfc_cfg_init(&cfg, LINE_PPS, true);
	cr_assert_not(rfc_is_short(&cfg));
	cr_assert_eq(cfg.trial_ns, 60ull * 1000000000ull);
	cr_assert_geq(cfg.repeats, 20u);
	cr_assert_null(strstr(rfc_duration_note(&cfg), "--strict"));
}

Test(rfc2544, bad_configuration_is_rejected)
{
	struct rfc_cfg cfg, bad;
	char err[160] = "";
	struct sim s;

	sim_init(&s, LINE_PPS);
	rfc_cfg_init(&cfg, LINE_PPS, false);
	cr_assert_eq(rfc_cfg_check(&cfg, err, sizeof(err)), 0);

	bad = cfg;
	bad.resolution = 0;
	cr_assert_eq(rfc_cfg_check(&bad, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "resolution"), "%s", err);
	cr_assert_eq(rfc_throughput(&bad, sim_trial, &s, FRAME_LEN, &res), -EINVAL);
	cr_assert_eq(res.trials, 0u);

	bad = cfg;
	bad.loss_step = 0.2;
	cr_assert_eq(rfc_cfg_check(&bad, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "10%"), "%s", err);

	bad = cfg;
	bad.max_trials = RFC_MAX_TRIALS + 1;
	cr_assert_eq(rfc_cfg_check(&bad, err, sizeof(err)), -EINVAL);
	bad = cfg;
	bad.line_pps = 0;
	cr_assert_eq(rfc_cfg_check(&bad, err, sizeof(err)), -EINVAL);
	bad = cfg;
	bad.repeats = 0;
	cr_assert_eq(rfc_cfg_check(&bad, err, sizeof(err)), -EINVAL);
}

Test(rfc2544, repeat_spread_of_known_values)
{
	const double odd[] = {3, 1, 2};
	const double even[] = {4, 1, 3, 2};
	const double zero[] = {0, 0};
	struct rfc_spread sp;

	cr_assert_eq(rfc_repeat_spread(odd, 3, &sp), 0);
	cr_assert_eq(sp.n, 3u);
	cr_assert_eq(sp.min, 1);
	cr_assert_eq(sp.median, 2);
	cr_assert_eq(sp.max, 3);
	cr_assert_float_eq(sp.rel_spread, 1.0, 1e-12);
	cr_assert_eq(rfc_repeat_spread(even, 4, &sp), 0);
	cr_assert_float_eq(sp.median, 2.5, 1e-12);
	cr_assert_float_eq(sp.rel_spread, 3 / 2.5, 1e-12);
	cr_assert_eq(rfc_repeat_spread(zero, 2, &sp), 0);
	cr_assert_eq(sp.rel_spread, 0);
	cr_assert_eq(rfc_repeat_spread(odd, 0, &sp), -EINVAL);
	cr_assert_eq(odd[0], 3, "the input is not reordered");
}

Test(rfc2544, repeated_searches_report_a_spread)
{
	double ndr[5];
	struct rfc_spread sp;

	for (unsigned i = 0; i < 5; i++) {
		struct sim s;
		struct rfc_cfg cfg;

		sim_init(&s, 0.6 * LINE_PPS);
		s.rng ^= (i + 1) * 0x9e3779b97f4a7c15ull;
		s.jitter = 0.05;
		cfg = cfg_for(&s);
		cr_assert_eq(rfc_throughput(&cfg, sim_trial, &s, FRAME_LEN, &res), 0);
		ndr[i] = res.ndr_pps;
	}
	cr_assert_eq(rfc_repeat_spread(ndr, 5, &sp), 0);
	cr_assert_eq(sp.n, 5u);
	cr_assert(sp.min <= sp.median && sp.median <= sp.max);
	cr_assert_gt(sp.rel_spread, 0, "a jittery DUT gave five equal NDRs");
}

/* The NDR summary's status for every bound and outcome (issue 11). */
Test(rfc2544, summary_status_says_what_bound_the_answer)
{
	/* loss found: the DUT's answer whatever the top */
	cr_assert_eq(rfc_summary_status(RES_OK, false, true, RFC_TOP_GENERATOR), RES_OK);
	/* capped by a generator-bound trial */
	cr_assert_eq(rfc_summary_status(RES_OK, true, true, RFC_TOP_LINE), RES_GENERATOR_BOUND);
	/* no loss below the line rate or the DUT's backpressure ceiling: the DUT's figure */
	cr_assert_eq(rfc_summary_status(RES_OK, false, false, RFC_TOP_LINE), RES_OK);
	cr_assert_eq(rfc_summary_status(RES_OK, false, false, RFC_TOP_DUT), RES_OK);
	/* no loss below the generator's ceiling: the generator's figure */
	cr_assert_eq(rfc_summary_status(RES_OK, false, false, RFC_TOP_GENERATOR),
		     RES_GENERATOR_BOUND);
	cr_assert_eq(rfc_summary_status(RES_OK, false, false, RFC_TOP_UNDECIDED), RES_UNDECIDED);
	/* the answering trial's own status wins */
	cr_assert_eq(rfc_summary_status(RES_ERROR, false, false, RFC_TOP_LINE), RES_ERROR);
	cr_assert_eq(rfc_summary_status(RES_UNDECIDED, false, true, RFC_TOP_LINE), RES_UNDECIDED);
}

/* The human text names the bound: never "no loss up to the line rate" below a generator's
 * ceiling. */
Test(rfc2544, human_text_names_the_generator_ceiling)
{
	static struct rfc_throughput res;
	enum rfc_top tops[] = {RFC_TOP_GENERATOR, RFC_TOP_DUT, RFC_TOP_LINE};
	const char *want[] = {"no loss up to the generator's ceiling",
			      "no loss up to the DUT's backpressure ceiling",
			      "no loss up to the line rate"};
	struct rfc_cfg cfg;

	for (unsigned i = 0; i < 3; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		rfc_cfg_init(&cfg, 0.4 * LINE_PPS, false);
		cfg.top = tops[i];
		memset(&res, 0, sizeof(res));
		res.ndr_pps = 0.4 * LINE_PPS;
		res.converged = true;
		f = open_memstream(&text, &len);
		cr_assert_not_null(f);
		rfc_print_throughput(f, &cfg, FRAME_LEN, &res);
		fclose(f);
		cr_assert_not_null(strstr(text, want[i]), "%s", text);
		if (i < 2)
			cr_assert_null(strstr(text, "line rate\n"), "%s", text);
		free(text);
	}
}
