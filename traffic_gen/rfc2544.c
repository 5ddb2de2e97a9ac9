// SPDX-License-Identifier: MIT
/*
 * rfc2544.c: the RFC 2544 section 26 procedures (throughput, latency, frame loss rate,
 * back-to-back) as searches over callbacks; see rfc2544.h for the contracts.
 *
 * The throughput search keeps two intervals, [ndr_lo, ndr_hi) for the zero-loss rate and
 * [pdr_lo, pdr_hi) for the rate within the loss tolerance. Every trial narrows whichever
 * intervals it falls into, and the next rate serves the wider interval still above the
 * resolution, so one search finds both: while the two intervals coincide a trial serves both.
 * Plain bisection from [0, line] needs log2(1 / resolution) trials whatever the DUT, and a
 * resolution relative to line rate means nothing for a DUT at 2% of it. So, as TRex's NDR
 * bench and FD.io CSIT's MLRsearch do, the first trial's forwarded rate R (what the DUT
 * managed under overload) is the estimate: the second trial runs at R; then steps away from
 * it (down after a failure, up after a pass), each twice as wide as the one before, until a
 * pass and a failure bracket the answer; then bisection until the interval is within the
 * resolution of its upper end. A DUT that forwards loss-free what it forwards under overload
 * takes three trials; one whose NDR is 1% above that (mild receive livelock) five; one whose
 * NDR is 10% below it about nine.
 * A trial the generator could not offer in full caps both intervals at the asked rate (the
 * DUT was not tested there) and counts as a trial at the rate that was really sent.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rfc2544.h"

#define RFC_DEFAULT_RESOLUTION 0.01
#define RFC_DEFAULT_MAX_TRIALS 12
#define RFC_DEFAULT_LOSS_STEP  0.10
#define RFC_MIN_LOSS_STEP      0.01
#define RFC_B2B_DEFAULT_TRIALS 40
#define RFC_B2B_SECONDS        2.0  /* RFC 2544 26.4: bursts of at least 2 s at line rate */
#define RFC_UP_WIDTH0          1.0  /* the step up from a pass: one resolution wide */
#define RFC_DOWN_WIDTH0        4.0  /* first step down from a failure: four resolutions */
#define RFC_MAX_STEP           0.9  /* a step down keeps at least 10% of the rate */
#define RFC_FLOOR              1e-5 /* lowest rate tried, a fraction of line_pps */

void rfc_cfg_init(struct rfc_cfg *cfg, double line_pps, bool strict)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->line_pps = line_pps;
	cfg->top = RFC_TOP_LINE;
	cfg->resolution = RFC_DEFAULT_RESOLUTION;
	cfg->loss_tolerance = 0;
	cfg->max_trials = RFC_DEFAULT_MAX_TRIALS;
	cfg->trial_ns = strict ? RFC_STRICT_TRIAL_NS : RFC_SHORT_TRIAL_NS;
	cfg->latency_ns = strict ? RFC_STRICT_LAT_NS : RFC_SHORT_TRIAL_NS;
	cfg->repeats = strict ? RFC_STRICT_REPEATS : RFC_SHORT_REPEATS;
	cfg->loss_step = RFC_DEFAULT_LOSS_STEP;
	cfg->b2b_max_burst = 0;
	cfg->b2b_resolution = 1;
	cfg->b2b_max_trials = RFC_B2B_DEFAULT_TRIALS;
	cfg->strict = strict;
}

int rfc_cfg_check(const struct rfc_cfg *cfg, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!(cfg->line_pps > 0) || !isfinite(cfg->line_pps))
		why = "line rate must be a positive number of packets per second";
	else if (!(cfg->resolution > 0 && cfg->resolution <= 0.5))
		why = "resolution must be in (0, 0.5] (a fraction of the line rate, e.g. 0.01)";
	else if (!(cfg->loss_tolerance >= 0 && cfg->loss_tolerance < 1))
		why = "loss tolerance must be in [0, 1) (a ratio: 0.001 is 0.1%)";
	else if (cfg->max_trials < 1 || cfg->max_trials > RFC_MAX_TRIALS)
		why = "max trials must be in 1..32";
	else if (!cfg->trial_ns || !cfg->latency_ns)
		why = "trial durations must be positive";
	else if (cfg->repeats < 1 || cfg->repeats > RFC_MAX_REPEATS)
		why = "repeats must be in 1..64";
	else if (!(cfg->loss_step >= RFC_MIN_LOSS_STEP && cfg->loss_step <= RFC_DEFAULT_LOSS_STEP))
		why = "loss curve step must be in [0.01, 0.10] of the line rate (RFC 2544: <= 10%)";
	else if (!cfg->b2b_resolution)
		why = "back-to-back resolution must be at least 1 frame";
	else if (cfg->b2b_max_trials < 1 || cfg->b2b_max_trials > RFC_B2B_MAX_TRIALS)
		why = "back-to-back trials must be in 1..64";
	if (!why)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "rfc2544: %s", why);
	return -EINVAL;
}

static const struct {
	const char *name;
	unsigned bit;
} test_names[] = {
	{"throughput", RFC_TEST_THROUGHPUT},
	{"latency", RFC_TEST_LATENCY},
	{"loss", RFC_TEST_LOSS},
	{"b2b", RFC_TEST_B2B},
	{"all", RFC_TEST_ALL},
};

/* Returns the bit of one test name of len characters, 0 if it is none. */
static unsigned test_bit(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(test_names) / sizeof(test_names[0]); i++)
		if (strlen(test_names[i].name) == len && !strncmp(name, test_names[i].name, len))
			return test_names[i].bit;
	return 0;
}

int rfc_tests_parse(const char *list, unsigned *mask, char *err, size_t errlen)
{
	unsigned m = 0;

	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		unsigned bit = test_bit(p, len);

		if (!bit) {
			if (err && errlen)
				snprintf(
					err, errlen,
					"'%.*s' is not a test (accepted: a comma-separated list of "
					"throughput, latency, loss, b2b, or all)",
					(int)len, p);
			return -EINVAL;
		}
		m |= bit;
		p += len + (p[len] == ',');
	}
	if (!m) {
		if (err && errlen)
			snprintf(err, errlen,
				 "no test given (accepted: throughput, latency, loss, "
				 "b2b, all)");
		return -EINVAL;
	}
	if ((m & RFC_TEST_LATENCY) && !(m & RFC_TEST_THROUGHPUT)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "latency is measured at the NDR: add throughput "
				 "(--tests throughput,latency)");
		return -EINVAL;
	}
	*mask = m;
	return 0;
}

const char *rfc_tests_str(unsigned mask, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	if ((mask & RFC_TEST_ALL) == RFC_TEST_ALL) {
		snprintf(buf, len, "all");
		return buf;
	}
	for (size_t i = 0; i + 1 < sizeof(test_names) / sizeof(test_names[0]) && n < len; i++)
		if (mask & test_names[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					      test_names[i].name);
	return buf;
}

bool rfc_is_short(const struct rfc_cfg *cfg)
{
	return cfg->trial_ns < RFC_STRICT_TRIAL_NS || cfg->latency_ns < RFC_STRICT_LAT_NS;
}

const char *rfc_duration_note(const struct rfc_cfg *cfg)
{
	if (rfc_is_short(cfg))
		return "short trials (labs/CI), not RFC 2544 durations; use --strict";
	return "RFC 2544 durations: 60 s trials, 120 s latency streams";
}

/* Runs one trial and normalises what the callback left: the asked rate, the loss ratio from
 * the counters (rx beyond tx is not negative loss but an invalid trial), and a trial that
 * sent nothing counts as one the generator could not offer. */
static int run_trial(rfc_trial_fn fn, void *ctx, double rate, unsigned frame_len, uint64_t ns,
		     struct rfc_trial *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->offered_pps = rate;
	t->lat_p50_ns = t->lat_p99_ns = t->lat_p999_ns = -1;
	t->lat_min_ns = t->lat_max_ns = -1;
	ret = fn(ctx, rate, frame_len, ns, t);
	if (ret)
		return ret < 0 ? ret : -EIO;
	t->offered_pps = rate;
	t->invalid |= t->rx > t->tx;
	if (t->tx > 0) {
		t->loss_ratio = t->rx >= t->tx ? 0 : (double)(t->tx - t->rx) / (double)t->tx;
	} else {
		t->loss_ratio = 0;
		t->generator_bound = true;
	}
	return 0;
}

/* One search interval: lo passed, hi failed (INFINITY until a trial fails); hi_cap says that
 * hi is where the generator gave up rather than where the DUT lost frames. up and down count
 * the steps taken away from lo and from hi. */
struct bounds {
	double lo, hi;
	bool hi_cap;
	int lo_trial;      /* the trial that set lo, -1: none */
	unsigned up, down; /* steps taken up from lo and down from hi */
};

/* Records a passing trial at rate r; returns true when it contradicts a failure below it. */
static bool bound_pass(struct bounds *b, double r, int trial)
{
	if (r >= b->hi)
		return !b->hi_cap;
	if (r > b->lo) {
		b->lo = r;
		b->lo_trial = trial;
	}
	return false;
}

/* Records a failing trial at rate r; returns true when it contradicts a pass above it. */
static bool bound_fail(struct bounds *b, double r)
{
	if (r <= b->lo)
		return true;
	if (r < b->hi) {
		b->hi = r;
		b->hi_cap = false;
	}
	return false;
}

/* Records that the generator could not offer rate r: nothing above r can be measured. A cap
 * at or below a passing rate (the generator managed it before) closes the interval there. */
static void bound_cap(struct bounds *b, double r)
{
	if (r < b->lo)
		r = b->lo;
	if (r < b->hi) {
		b->hi = r;
		b->hi_cap = true;
	}
}

struct search {
	struct bounds ndr, pdr;
	bool want_pdr;
	double tol, line, res;
	double up0, down0; /* the first steps, fractions of the rate they start from */
	double floor;      /* below this rate a DUT that loses everywhere is given up on */
	double est;        /* what the DUT forwarded in the first trial (0: unknown) */
	bool est_used;
	double cap;
	unsigned inconsistent;
};

static double bound_top(const struct search *s, const struct bounds *b)
{
	return fmin(b->hi, s->line);
}

/* Width of the interval relative to its upper end: 1 while nothing passed. */
static double bound_rel_width(const struct search *s, const struct bounds *b)
{
	double top = bound_top(s, b);

	return top > 0 ? (top - b->lo) / top : 0;
}

/* Resolved (the 1e-9 absorbs rounding), or given up: loss at every rate down to the floor. */
static bool bound_done(const struct search *s, const struct bounds *b)
{
	return bound_rel_width(s, b) <= s->res * (1 + 1e-9) ||
	       (b->lo <= 0 && bound_top(s, b) <= s->floor);
}

static bool search_done(const struct search *s)
{
	return bound_done(s, &s->ndr) && (!s->want_pdr || bound_done(s, &s->pdr));
}

/* Narrows the intervals with trial number i: first with what the DUT saw at the rate really
 * sent, then, for a trial the generator could not offer in full, with the cap at the asked
 * rate. Short of the asked rate by more than half the resolution counts as not in full here
 * (the generator's own verdict allows 1%, a step of the search may be smaller). The first
 * trial's forwarded rate becomes the estimate the search starts from. */
static void search_record(struct search *s, const struct rfc_trial *t, int i)
{
	double asked = t->offered_pps;
	bool shortfall = t->generator_bound || t->tx_pps < asked * (1 - s->res / 2);
	double rate = shortfall ? fmin(t->tx_pps, asked) : asked;
	bool bad = false;

	if (i == 0 && t->loss_ratio > 0 && !t->invalid)
		s->est = t->rx_pps;
	if (rate > 0) {
		if (t->loss_ratio == 0 && !t->invalid)
			bad = bound_pass(&s->ndr, rate, i);
		else
			bad = bound_fail(&s->ndr, rate);
		if (s->want_pdr && t->loss_ratio <= s->tol && !t->invalid)
			bad |= bound_pass(&s->pdr, rate, i);
		else if (s->want_pdr)
			bad |= bound_fail(&s->pdr, rate);
	}
	s->inconsistent += bad;
	if (shortfall) {
		if (s->cap == 0 || asked < s->cap)
			s->cap = asked;
		bound_cap(&s->ndr, asked);
		bound_cap(&s->pdr, asked);
	}
}

/* The next rate for one interval. Nothing passed yet: the first trial's forwarded rate, then
 * steps down from the lowest failure. A pass, with no step down taken: steps up from it.
 * Step k is 2^k first steps wide (MLRsearch's external search), so a bad estimate costs a
 * logarithmic number of trials; the first step up is one resolution (a DUT that forwards its
 * capacity under overload ends there), the first step down four (loss often starts some way
 * below it), and no step more than doubles the rate. Bracketed: the midpoint, geometric while
 * the ends are more than a factor 2 apart. */
static double bound_next(struct search *s, struct bounds *b)
{
	double top = bound_top(s, b), w;

	if (b->lo <= 0) {
		if (!s->est_used && s->est > 0 && s->est < top) {
			s->est_used = true;
			return fmin(s->est, top * (1 - s->res / 2));
		}
		w = fmin(s->down0 * ldexp(1, (int)b->down++), RFC_MAX_STEP);
		return top * (1 - w);
	}
	w = s->up0 * ldexp(1, (int)b->up);
	if (!b->down && w < 1 && top > b->lo * (1 + 2 * w)) {
		b->up++;
		return b->lo * (1 + w);
	}
	return top > 2 * b->lo ? fmin(sqrt(b->lo * top), 2 * b->lo) : (b->lo + top) / 2;
}

/* Returns the next rate: for the wider interval not yet resolved (NDR first on a tie). */
static double search_next(struct search *s)
{
	struct bounds *b = &s->ndr;

	if (s->want_pdr && !bound_done(s, &s->pdr) &&
	    (bound_done(s, &s->ndr) || bound_rel_width(s, &s->pdr) > bound_rel_width(s, &s->ndr)))
		b = &s->pdr;
	return bound_next(s, b);
}

static void search_result(const struct search *s, struct rfc_throughput *out)
{
	const struct bounds *pdr = s->want_pdr ? &s->pdr : &s->ndr;

	out->ndr_pps = s->ndr.lo;
	out->ndr_trial = s->ndr.lo_trial;
	out->ndr_hi_pps = isinf(s->ndr.hi) ? 0 : s->ndr.hi;
	out->ndr_generator_limited = !isinf(s->ndr.hi) && s->ndr.hi_cap;
	out->pdr_pps = pdr->lo;
	out->pdr_trial = pdr->lo_trial;
	out->pdr_hi_pps = isinf(pdr->hi) ? 0 : pdr->hi;
	out->pdr_generator_limited = !isinf(pdr->hi) && pdr->hi_cap;
	out->generator_cap_pps = s->cap;
	out->floored = s->ndr.lo <= 0 && bound_done(s, &s->ndr);
	out->converged = search_done(s) && !out->floored;
	out->inconsistent = s->inconsistent;
}

int rfc_throughput(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		   struct rfc_throughput *out)
{
	struct search s = {
		.ndr = {.lo = 0, .hi = INFINITY, .lo_trial = -1},
		.pdr = {.lo = 0, .hi = INFINITY, .lo_trial = -1},
		.want_pdr = cfg->loss_tolerance > 0,
		.tol = cfg->loss_tolerance,
		.line = cfg->line_pps,
		.res = cfg->resolution,
		.up0 = RFC_UP_WIDTH0 * cfg->resolution,
		.down0 = fmin(RFC_DOWN_WIDTH0 * cfg->resolution, RFC_MAX_STEP),
		.floor = cfg->line_pps * RFC_FLOOR,
	};
	double rate = cfg->line_pps;
	int ret;

	memset(out, 0, sizeof(*out));
	out->ndr_trial = out->pdr_trial = -1;
	ret = rfc_cfg_check(cfg, NULL, 0);
	if (ret)
		return ret;
	/* The first trial at the top: a DUT that keeps up with line rate needs no search. */
	while (out->trials < cfg->max_trials) {
		struct rfc_trial *t = &out->trial[out->trials];

		ret = run_trial(fn, ctx, rate, frame_len, cfg->trial_ns, t);
		if (ret)
			break;
		search_record(&s, t, (int)out->trials++);
		if (search_done(&s))
			break;
		rate = search_next(&s);
	}
	search_result(&s, out);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int rfc_repeat_spread(const double *v, unsigned n, struct rfc_spread *out)
{
	double *s;

	memset(out, 0, sizeof(*out));
	if (!n)
		return -EINVAL;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	out->n = n;
	out->min = s[0];
	out->max = s[n - 1];
	out->median = (n & 1) ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	out->rel_spread = out->median != 0 ? (out->max - out->min) / fabs(out->median) : 0;
	free(s);
	return 0;
}

/* The latency figures of the repeats that carry enough frames, one array per figure. */
struct lat_cols {
	unsigned n;
	double p50[RFC_MAX_REPEATS], p99[RFC_MAX_REPEATS], p999[RFC_MAX_REPEATS];
	double min[RFC_MAX_REPEATS], pdv[RFC_MAX_REPEATS];
};

/* Classifies one repeat and, when its latency counts, adds it to the columns. */
static void latency_add(struct rfc_latency *out, unsigned i, struct lat_cols *c)
{
	const struct rfc_trial *t = &out->rep[i];

	out->pdv_ns[i] = -1;
	if (t->loss_ratio > 0)
		out->lossy++;
	if (t->generator_bound)
		out->generator_bound++;
	if (t->rx < RFC_LAT_MIN_FRAMES || t->lat_min_ns < 0 || t->lat_p999_ns < 0 ||
	    t->lat_p50_ns < 0 || t->lat_p99_ns < 0) {
		out->insufficient++;
		return;
	}
	out->pdv_ns[i] = t->lat_p999_ns - t->lat_min_ns;
	c->p50[c->n] = t->lat_p50_ns;
	c->p99[c->n] = t->lat_p99_ns;
	c->p999[c->n] = t->lat_p999_ns;
	c->min[c->n] = t->lat_min_ns;
	c->pdv[c->n] = out->pdv_ns[i];
	c->n++;
}

static int latency_spreads(struct rfc_latency *out, const struct lat_cols *c)
{
	int ret;

	if (!c->n)
		return 0; /* every spread stays at n == 0: nothing to summarise */
	ret = rfc_repeat_spread(c->p50, c->n, &out->p50);
	if (!ret)
		ret = rfc_repeat_spread(c->p99, c->n, &out->p99);
	if (!ret)
		ret = rfc_repeat_spread(c->p999, c->n, &out->p999);
	if (!ret)
		ret = rfc_repeat_spread(c->min, c->n, &out->min);
	if (!ret)
		ret = rfc_repeat_spread(c->pdv, c->n, &out->pdv);
	return ret;
}

int rfc_latency(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		double rate_pps, struct rfc_latency *out)
{
	struct lat_cols *cols;
	int ret;

	memset(out, 0, sizeof(*out));
	out->rate_pps = rate_pps;
	ret = rfc_cfg_check(cfg, NULL, 0);
	if (ret)
		return ret;
	if (!(rate_pps > 0) || !isfinite(rate_pps))
		return -EINVAL;
	cols = calloc(1, sizeof(*cols));
	if (!cols)
		return -ENOMEM;
	for (unsigned i = 0; i < cfg->repeats; i++) {
		ret = run_trial(fn, ctx, rate_pps, frame_len, cfg->latency_ns, &out->rep[i]);
		if (ret)
			break;
		out->repeats++;
		latency_add(out, i, cols);
	}
	if (!ret)
		ret = latency_spreads(out, cols);
	free(cols);
	return ret;
}

int rfc_loss_curve(const struct rfc_cfg *cfg, rfc_trial_fn fn, void *ctx, unsigned frame_len,
		   struct rfc_loss_curve *out)
{
	unsigned zero_run = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = rfc_cfg_check(cfg, NULL, 0);
	if (ret)
		return ret;
	for (unsigned k = 0; out->n < RFC_MAX_CURVE; k++) {
		double rate = cfg->line_pps * (1.0 - k * cfg->loss_step);
		struct rfc_trial *t = &out->pt[out->n];

		/* Half a step above zero is zero: the curve has reached the bottom. */
		if (rate < cfg->line_pps * cfg->loss_step / 2)
			break;
		ret = run_trial(fn, ctx, rate, frame_len, cfg->trial_ns, t);
		if (ret)
			return ret;
		out->n++;
		/* A rate the generator could not offer says nothing about the DUT there. */
		if (t->loss_ratio == 0 && !t->generator_bound && !t->invalid)
			zero_run++;
		else
			zero_run = 0;
		if (zero_run == 2) {
			out->complete = true;
			break;
		}
	}
	return 0;
}

/* Longest burst the search may try: the configured one, or 2 s of frames at line rate. */
static uint64_t b2b_max(const struct rfc_cfg *cfg)
{
	double n = cfg->line_pps * RFC_B2B_SECONDS;

	if (cfg->b2b_max_burst)
		return cfg->b2b_max_burst;
	return n < 1 ? 1 : (uint64_t)n;
}

int rfc_back_to_back(const struct rfc_cfg *cfg, rfc_burst_fn fn, void *ctx, unsigned frame_len,
		     struct rfc_b2b *out)
{
	uint64_t lo = 0, hi, len;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = rfc_cfg_check(cfg, NULL, 0);
	if (ret)
		return ret;
	out->max_burst = len = b2b_max(cfg);
	hi = len + 1; /* no burst has failed yet */
	while (out->trials < cfg->b2b_max_trials) {
		uint64_t got = 0;

		ret = fn(ctx, len, frame_len, &got);
		if (ret) {
			ret = ret < 0 ? ret : -EIO;
			break;
		}
		out->len[out->trials] = len;
		out->received[out->trials++] = got;
		if (got >= len && len > lo)
			lo = len;
		else if (got < len && len < hi)
			hi = len;
		if (lo == out->max_burst || hi - lo <= cfg->b2b_resolution)
			break;
		len = lo + (hi - lo) / 2;
	}
	out->burst = lo;
	out->burst_hi = hi;
	out->at_max = lo == out->max_burst;
	out->converged = out->at_max || hi - lo <= cfg->b2b_resolution;
	out->burst_s = (double)lo / cfg->line_pps;
	return ret;
}

/* Writes a rate with a unit that keeps four significant digits readable. */
static const char *fmt_pps(double pps, char *buf, size_t len)
{
	if (pps >= 1e6)
		snprintf(buf, len, "%.4f Mpps", pps / 1e6);
	else if (pps >= 1e3)
		snprintf(buf, len, "%.3f kpps", pps / 1e3);
	else
		snprintf(buf, len, "%.0f pps", pps);
	return buf;
}

static void print_trial_line(FILE *f, unsigned i, double line_pps, const struct rfc_trial *t)
{
	fprintf(f, "  %3u %14.0f %6.2f%% %14.0f %14.0f %9.4f%%%s%s\n", i, t->offered_pps,
		100.0 * t->offered_pps / line_pps, t->tx_pps, t->rx_pps, 100.0 * t->loss_ratio,
		t->generator_bound ? "  generator-bound" : "",
		t->invalid ? "  invalid: counted as a failure" : "");
}

const char *rfc_top_name(enum rfc_top top)
{
	switch (top) {
	case RFC_TOP_GENERATOR:
		return "the generator's ceiling";
	case RFC_TOP_DUT:
		return "the DUT's backpressure ceiling";
	case RFC_TOP_UNDECIDED:
		return "an undecided ceiling (generator or DUT)";
	default:
		return "the line rate";
	}
}

enum res_status rfc_summary_status(enum res_status trial_st, bool capped, bool loss_seen,
				   enum rfc_top top)
{
	if (trial_st != RES_OK)
		return trial_st;
	if (capped || (!loss_seen && top == RFC_TOP_GENERATOR))
		return RES_GENERATOR_BOUND;
	if (!loss_seen && top == RFC_TOP_UNDECIDED)
		return RES_UNDECIDED;
	return RES_OK;
}

static void print_bound(FILE *f, const char *name, double lo, double hi, bool capped,
			double line_pps, enum rfc_top top)
{
	char a[32], b[32];

	fprintf(f, "  %s %s (%.2f%% of the upper bound)", name, fmt_pps(lo, a, sizeof(a)),
		100.0 * lo / line_pps);
	if (hi > 0 && capped)
		fprintf(f, ", a lower bound: the generator could not offer %s\n",
			fmt_pps(hi, b, sizeof(b)));
	else if (hi > 0)
		fprintf(f, ", loss seen at %s\n", fmt_pps(hi, b, sizeof(b)));
	else
		fprintf(f, ", no loss up to %s\n", rfc_top_name(top));
}

void rfc_print_throughput(FILE *f, const struct rfc_cfg *cfg, unsigned frame_len,
			  const struct rfc_throughput *r)
{
	char buf[32];

	fprintf(f, "RFC 2544 throughput, %u B frames, upper bound %s (%s; %s)\n", frame_len,
		fmt_pps(cfg->line_pps, buf, sizeof(buf)), rfc_top_name(cfg->top),
		rfc_duration_note(cfg));
	fprintf(f, "  %3s %14s %7s %14s %14s %10s\n", "#", "offered pps", "of top", "tx pps",
		"rx pps", "loss");
	for (unsigned i = 0; i < r->trials; i++)
		print_trial_line(f, i + 1, cfg->line_pps, &r->trial[i]);
	print_bound(f, "NDR", r->ndr_pps, r->ndr_hi_pps, r->ndr_generator_limited, cfg->line_pps,
		    cfg->top);
	if (cfg->loss_tolerance > 0) {
		char name[48];

		snprintf(name, sizeof(name), "PDR (loss <= %g%%)", 100.0 * cfg->loss_tolerance);
		print_bound(f, name, r->pdr_pps, r->pdr_hi_pps, r->pdr_generator_limited,
			    cfg->line_pps, cfg->top);
	}
	if (r->converged)
		fprintf(f, "  converged in %u trials (at most %u) at %g%% resolution\n", r->trials,
			cfg->max_trials, 100.0 * cfg->resolution);
	else if (r->floored)
		fprintf(f,
			"  no loss-free rate: loss at every rate tried, down to %s (%u trials)\n",
			fmt_pps(r->ndr_hi_pps, buf, sizeof(buf)), r->trials);
	else
		fprintf(f,
			"  NOT converged after %u trials at %g%% resolution: raise --max-trials "
			"or coarsen --resolution\n",
			r->trials, 100.0 * cfg->resolution);
	if (r->generator_cap_pps > 0)
		fprintf(f, "  generator-bound at %s: the DUT was not the limit there\n",
			fmt_pps(r->generator_cap_pps, buf, sizeof(buf)));
	if (r->inconsistent)
		fprintf(f,
			"  %u trial(s) contradicted earlier ones: the DUT is noisy; repeat the "
			"search and report the spread\n",
			r->inconsistent);
}

static void print_spread(FILE *f, const char *name, const struct rfc_spread *s)
{
	fprintf(f, "  %-6s median %10.0f ns  min %10.0f  max %10.0f  spread %6.2f%%\n", name,
		s->median, s->min, s->max, 100.0 * s->rel_spread);
}

void rfc_print_latency(FILE *f, const struct rfc_latency *r)
{
	char buf[32];

	fprintf(f, "RFC 8219 latency at %s, %u repeat(s), at least %u frames each\n",
		fmt_pps(r->rate_pps, buf, sizeof(buf)), r->repeats, RFC_LAT_MIN_FRAMES);
	fprintf(f, "  %3s %12s %10s %10s %10s %10s %10s\n", "#", "rx", "p50 ns", "p99 ns",
		"p99.9 ns", "min ns", "pdv ns");
	for (unsigned i = 0; i < r->repeats; i++) {
		const struct rfc_trial *t = &r->rep[i];

		fprintf(f, "  %3u %12llu %10.0f %10.0f %10.0f %10.0f %10.0f%s%s%s\n", i + 1,
			(unsigned long long)t->rx, t->lat_p50_ns, t->lat_p99_ns, t->lat_p999_ns,
			t->lat_min_ns, r->pdv_ns[i], r->pdv_ns[i] < 0 ? "  insufficient" : "",
			t->loss_ratio > 0 ? "  lossy" : "",
			t->generator_bound ? "  generator-bound" : "");
	}
	if (r->p50.n) {
		fprintf(f, "  across %u repeat(s):\n", r->p50.n);
		print_spread(f, "p50", &r->p50);
		print_spread(f, "p99", &r->p99);
		print_spread(f, "p99.9", &r->p999);
		print_spread(f, "min", &r->min);
		print_spread(f, "pdv", &r->pdv);
	}
	if (r->insufficient)
		fprintf(f,
			"  %u repeat(s) insufficient: fewer than %u timestamped frames (lengthen "
			"the trial)\n",
			r->insufficient, RFC_LAT_MIN_FRAMES);
	if (r->lossy)
		fprintf(f, "  %u repeat(s) lost frames at this rate: the NDR did not hold\n",
			r->lossy);
	if (r->generator_bound)
		fprintf(f, "  %u repeat(s) generator-bound\n", r->generator_bound);
}

void rfc_print_loss_curve(FILE *f, const struct rfc_cfg *cfg, const struct rfc_loss_curve *r)
{
	fprintf(f, "RFC 2544 frame loss rate, steps of %g%% of line\n", 100.0 * cfg->loss_step);
	fprintf(f, "  %3s %14s %7s %14s %14s %10s\n", "#", "offered pps", "line", "tx pps",
		"rx pps", "loss");
	for (unsigned i = 0; i < r->n; i++)
		print_trial_line(f, i + 1, cfg->line_pps, &r->pt[i]);
	if (r->complete)
		fprintf(f, "  ended on two zero-loss trials in a row\n");
	else
		fprintf(f, "  incomplete: never two zero-loss trials in a row\n");
}

void rfc_print_b2b(FILE *f, const struct rfc_b2b *r)
{
	fprintf(f, "RFC 2544 back-to-back, longest burst tried %llu frames, %u burst(s)\n",
		(unsigned long long)r->max_burst, r->trials);
	for (unsigned i = 0; i < r->trials; i++)
		fprintf(f, "  %3u burst %12llu received %12llu%s\n", i + 1,
			(unsigned long long)r->len[i], (unsigned long long)r->received[i],
			r->received[i] < r->len[i] ? "  loss" : "");
	if (r->at_max)
		fprintf(f,
			"  no loss even at %llu frames: the DUT absorbs at least %.3f s at "
			"line rate\n",
			(unsigned long long)r->burst, r->burst_s);
	else
		fprintf(f, "  longest burst without loss %llu frames (%.6f s at line rate)%s\n",
			(unsigned long long)r->burst, r->burst_s,
			r->converged ? "" : ", NOT converged: raise the burst limit");
}
