// SPDX-License-Identifier: MIT
/*
 * modes.c: tgen's subcommands on top of tgen_trial_run(). run: one trial per --size (times
 * --repeat), each reported on its own. selftest: the same, unpaced, over the loop pair, then
 * the ceiling per size. rfc2544: a probe for the generator's own ceiling through the DUT,
 * then per size the procedures --tests asks for (throughput search for NDR/PDR, latency at
 * the NDR, the frame loss curve, the back-to-back search of rfc2544.c), every trial also a
 * results row; the search adds summary rows "rfc2544-ndr" (and "rfc2544-pdr") with the
 * figures of the trial that gave the answer and the number of trials in the note.
 * Exit codes: LR_EXIT_INVALID when a trial's figures were impossible, LR_EXIT_FAIL when a
 * trial failed or the run was interrupted (the trials before are reported and kept).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "lr.h"
#include "rate.h"
#include "report.h"
#include "rfc2544.h"
#include "tgen.h"

#define PROBE_NS     500000000ULL /* rfc2544: the unpaced probe of the generator's ceiling */
#define PROBE_MARGIN 0.97         /* search below the probed ceiling: pacing costs a little */

/* Folds a trial's status into the run's exit code. */
static int exit_code(int code, const struct tgen_trial *t)
{
	if (t->status == RES_INVALID)
		return LR_EXIT_INVALID;
	if (t->status == RES_ERROR && code == LR_EXIT_OK)
		return LR_EXIT_FAIL;
	return code;
}

/* Runs and reports one trial; returns 0, -EINTR (reported, then stop) or -errno. */
static int one_trial(struct tgen_ctx *c, struct report *r, struct tgen_trial *t, double pps,
		     uint64_t count, uint64_t duration_ns, uint64_t ramp_ns, const char *experiment)
{
	char err[TGEN_ERR_LEN] = "";
	int ret = tgen_trial_run(c, t->frame_len, pps, count, duration_ns, ramp_ns, t, err,
				 sizeof(err));

	if (ret && ret != -EINTR) {
		pr_err("trial %u (%u B): %s", t->trial, t->frame_len,
		       err[0] ? err : strerror(-ret));
		return ret;
	}
	report_trial(r, c, t, experiment);
	r->trials = t->trial + 1;
	return ret;
}

/* Every size, --repeat times; returns the exit code. */
static int sweep(struct tgen_ctx *c, struct report *r, const char *experiment,
		 struct tgen_trial *res, unsigned cap)
{
	const struct tgen_cfg *cfg = c->cfg;
	unsigned n = 0;
	int code = LR_EXIT_OK;

	for (long rep = 0; rep < cfg->repeat; rep++) {
		for (unsigned i = 0; i < cfg->sizes.n; i++, n++) {
			struct tgen_trial t = {.trial = n, .repeat = (unsigned)rep};
			double pps = cli_rate_pps(&cfg->rate, cfg->sizes.v[i], cfg->link_bps);
			int ret;

			t.frame_len = cfg->sizes.v[i];
			ret = one_trial(c, r, &t, pps, (uint64_t)cfg->count, cfg->duration_ns,
					cfg->ramp_ns, experiment);
			if (ret && ret != -EINTR)
				return LR_EXIT_FAIL;
			code = exit_code(code, &t);
			if (res && n < cap)
				res[n] = t;
			if (ret == -EINTR) {
				pr_warn("interrupted: the trials so far are reported");
				return LR_EXIT_FAIL;
			}
		}
	}
	return code;
}

int tgen_mode_run(struct tgen_ctx *c)
{
	struct report r;
	int code;

	if (report_open(&r, c))
		return LR_EXIT_FAIL;
	code = sweep(c, &r, "run", NULL, 0);
	report_close(&r);
	return code;
}

int tgen_mode_selftest(struct tgen_ctx *c)
{
	const struct tgen_cfg *cfg = c->cfg;
	struct tgen_trial res[CLI_MAX_SIZES];
	struct report r;
	unsigned n;
	int code;

	if (report_open(&r, c))
		return LR_EXIT_FAIL;
	report_say(&r,
		   "selftest: engine %s from %s to %s with no DUT: the generator's own ceiling\n",
		   tgen_engine_name(cfg->engine), cfg->tx_port ? cfg->tx_port : cfg->tx_dev,
		   cfg->rx_on ? (cfg->rx_port ? cfg->rx_port : cfg->rx_dev) : "(no receiver)");
	code = sweep(c, &r, "selftest", res, CLI_MAX_SIZES);
	n = r.trials < CLI_MAX_SIZES ? r.trials : CLI_MAX_SIZES;
	report_say(&r, "ceiling of engine %s (frames it sends%s):\n", tgen_engine_name(cfg->engine),
		   cfg->rx_on ? " and counts back" : "");
	for (unsigned i = 0; i < n; i++)
		report_say(&r, "  %5u B  tx %8.3f Mpps  rx %8.3f Mpps  lost %lld%s\n",
			   res[i].frame_len, res[i].tx_pps / 1e6, res[i].rx_pps / 1e6,
			   (long long)res[i].lost,
			   res[i].lost > 0 ? "  (receive side is the limit)" : "");
	report_close(&r);
	return code;
}

/* ---- rfc2544 ------------------------------------------------------------------------------ */

struct rfc_ctx {
	struct tgen_ctx *c;
	struct report *r;
	unsigned trials;
	int code;
	const char *label;        /* experiment of the rows: "rfc2544", "rfc2544-latency", ... */
	struct tgen_trial *kept;  /* the throughput search's trials, for its summary rows */
	unsigned nkept, keep_max; /* keep_max 0: keep none */
};

static int rfc_run_trial(void *arg, double rate_pps, unsigned frame_len, uint64_t duration_ns,
			 struct rfc_trial *out)
{
	struct rfc_ctx *x = arg;
	struct tgen_trial t = {.trial = x->trials++, .frame_len = frame_len};
	int ret = one_trial(x->c, x->r, &t, rate_pps, 0, duration_ns, x->c->cfg->ramp_ns, x->label);

	if (ret)
		return ret;
	x->code = exit_code(x->code, &t);
	if (x->nkept < x->keep_max)
		x->kept[x->nkept++] = t;
	*out = (struct rfc_trial){
		.offered_pps = rate_pps,
		.tx_pps = t.tx_pps,
		.rx_pps = t.rx_pps,
		.tx = t.tx,
		.rx = t.rx,
		.loss_ratio = t.tx ? (double)t.lost / (double)t.tx : 0,
		.generator_bound = t.status == RES_GENERATOR_BOUND || t.status == RES_UNDECIDED,
		.invalid = t.status == RES_INVALID,
		.lat_p50_ns = t.lat[1],
		.lat_p99_ns = t.lat[3],
		.lat_p999_ns = t.lat[4],
		.lat_min_ns = t.lat[0],
		.lat_max_ns = t.lat[6],
	};
	return 0;
}

static int rfc_run_burst(void *arg, uint64_t burst_len, unsigned frame_len, uint64_t *received)
{
	struct rfc_ctx *x = arg;
	struct tgen_trial t = {.trial = x->trials++, .frame_len = frame_len};
	int ret = one_trial(x->c, x->r, &t, 0, burst_len, 0, 0, "rfc2544-b2b");

	*received = t.rx;
	return ret;
}

/* The search's upper bound: line rate, or less when an unpaced probe through the DUT moved
 * less; what set it (the generator, the DUT's backpressure, or undecided) comes from the
 * probe's verdict. The probe is no longer than a trial, so short-trial runs stay short. */
static int rfc_ceiling(struct rfc_ctx *x, unsigned frame_len, double *bound, enum rfc_top *top)
{
	const struct tgen_cfg *cfg = x->c->cfg;
	struct tgen_trial t = {.trial = x->trials++, .frame_len = frame_len};
	double line = rate_pps(frame_len, cfg->link_bps);
	uint64_t ns = !cfg->strict && cfg->duration_ns < PROBE_NS ? cfg->duration_ns : PROBE_NS;
	int ret = one_trial(x->c, x->r, &t, 0, 0, ns, 0, "rfc2544-probe");

	if (ret)
		return ret;
	*bound = t.tx_pps * PROBE_MARGIN < line ? t.tx_pps * PROBE_MARGIN : line;
	/* the link refusing the probe for most of its window: the DUT set the pace */
	*top = *bound >= line                                       ? RFC_TOP_LINE
	       : t.refused && t.gen_pps >= TGEN_HEADROOM * t.tx_pps ? RFC_TOP_DUT
	       : t.refused                                          ? RFC_TOP_UNDECIDED
								    : RFC_TOP_GENERATOR;
	report_say(x->r,
		   "rfc2544 %u B: an unpaced probe moved %.3f Mpps (line %.3f Mpps; the link "
		   "refused %llu frames; tgen's own work allowed %.3f Mpps); searching up to "
		   "%.3f Mpps (%s)\n",
		   frame_len, t.tx_pps / 1e6, line / 1e6, (unsigned long long)t.refused,
		   t.gen_pps / 1e6, *bound / 1e6, rfc_top_name(*top));
	return 0;
}

static void rfc_setup(const struct tgen_cfg *cfg, struct rfc_cfg *rc, double bound,
		      enum rfc_top top)
{
	rfc_cfg_init(rc, bound, cfg->strict);
	rc->top = top;
	rc->resolution = cfg->resolution / 100;
	rc->loss_tolerance = cfg->loss_tolerance / 100;
	rc->max_trials = (unsigned)cfg->max_trials;
	if (!cfg->strict)
		rc->trial_ns = rc->latency_ns = cfg->duration_ns;
}

/* Writes the NDR (pdr false) or PDR summary row: the figures of the trial that gave it, with
 * the search's trial count and what bounds the answer from above in the note;
 * generator-bound when the generator, not the DUT's loss, ended the search; error when no
 * trial qualified (the figures are then the last trial's). */
static void rfc_summary_row(struct rfc_ctx *x, const struct rfc_cfg *rc,
			    const struct rfc_throughput *tp, bool pdr)
{
	int i = pdr ? tp->pdr_trial : tp->ndr_trial;
	double hi = pdr ? tp->pdr_hi_pps : tp->ndr_hi_pps;
	bool capped = hi > 0 && (pdr ? tp->pdr_generator_limited : tp->ndr_generator_limited);
	const struct tgen_trial *t = &x->kept[x->nkept - 1];
	enum res_status st = RES_ERROR;
	char why[64], note[256]; /* the row keeps what fits */

	if (i >= 0 && (unsigned)i < x->nkept) {
		t = &x->kept[i];
		st = t->status;
	}
	st = rfc_summary_status(st, capped, hi > 0, rc->top);
	if (capped)
		snprintf(why, sizeof(why), "generator could not offer %.0f pps", hi);
	else if (hi > 0)
		snprintf(why, sizeof(why), "loss at %.0f pps", hi);
	else
		snprintf(why, sizeof(why), "no loss up to %s", rfc_top_name(rc->top));
	snprintf(note, sizeof(note), "%s %s: %u trials (max %u), %s at %g%%; %s%s",
		 pdr ? "PDR" : "NDR", st == RES_ERROR ? "none" : "found", tp->trials,
		 rc->max_trials, tp->converged ? "converged" : "NOT converged",
		 100 * rc->resolution, why, rfc_is_short(rc) ? "; short trials" : "");
	report_summary(x->r, x->c, t, pdr ? "rfc2544-pdr" : "rfc2544-ndr", st, note);
}

/* The throughput search, its report and its summary rows; returns 0 or the first error. */
static int rfc_do_throughput(struct rfc_ctx *x, const struct rfc_cfg *rc, unsigned frame_len,
			     struct rfc_throughput *tp, FILE *f)
{
	static struct tgen_trial kept[RFC_MAX_TRIALS];
	int ret;

	x->label = "rfc2544";
	x->kept = kept;
	x->nkept = 0;
	x->keep_max = RFC_MAX_TRIALS;
	ret = rfc_throughput(rc, rfc_run_trial, x, frame_len, tp);
	x->keep_max = 0;
	rfc_print_throughput(f, rc, frame_len, tp);
	if (x->nkept) /* also after an interruption: the trials so far have an answer */
		rfc_summary_row(x, rc, tp, false);
	if (x->nkept && rc->loss_tolerance > 0)
		rfc_summary_row(x, rc, tp, true);
	return ret;
}

/* The procedures of --tests for one frame size; returns 0 or the first error. */
static int rfc_size(struct rfc_ctx *x, unsigned frame_len)
{
	FILE *f = x->r->format == CLI_FORMAT_HUMAN ? stdout : stderr;
	unsigned tests = x->c->cfg->rfc_tests;
	static struct rfc_throughput tp;
	static struct rfc_latency lat;
	static struct rfc_loss_curve lc;
	static struct rfc_b2b b2b;
	char err[TGEN_ERR_LEN], names[64];
	struct rfc_cfg rc;
	enum rfc_top top;
	double bound;
	int ret = rfc_ceiling(x, frame_len, &bound, &top);

	if (ret)
		return ret;
	rfc_setup(x->c->cfg, &rc, bound, top);
	if (rfc_cfg_check(&rc, err, sizeof(err))) {
		pr_err("rfc2544: %s", err);
		return -EINVAL;
	}
	fprintf(f, "rfc2544: tests %s; %s\n", rfc_tests_str(tests, names, sizeof(names)),
		rfc_duration_note(&rc));
	if (tests & RFC_TEST_THROUGHPUT)
		ret = rfc_do_throughput(x, &rc, frame_len, &tp, f);
	if (!ret && (tests & RFC_TEST_LATENCY) && tp.ndr_pps > 0) {
		x->label = "rfc2544-latency";
		ret = rfc_latency(&rc, rfc_run_trial, x, frame_len, tp.ndr_pps, &lat);
		rfc_print_latency(f, &lat);
	}
	if (!ret && (tests & RFC_TEST_LOSS)) {
		x->label = "rfc2544-loss";
		ret = rfc_loss_curve(&rc, rfc_run_trial, x, frame_len, &lc);
		rfc_print_loss_curve(f, &rc, &lc);
	}
	if (!ret && (tests & RFC_TEST_B2B)) {
		ret = rfc_back_to_back(&rc, rfc_run_burst, x, frame_len, &b2b);
		rfc_print_b2b(f, &b2b);
	}
	fflush(f);
	return ret;
}

int tgen_mode_rfc2544(struct tgen_ctx *c)
{
	struct report r;
	struct rfc_ctx x = {.c = c, .r = &r, .code = LR_EXIT_OK};
	int ret = 0;

	if (!c->cfg->rx_on) {
		pr_err("rfc2544 needs a receiver: give --rx-dev (or --rx-port) instead of 'none'");
		return LR_EXIT_USAGE;
	}
	if (report_open(&r, c))
		return LR_EXIT_FAIL;
	for (unsigned i = 0; i < c->cfg->sizes.n && !ret; i++)
		ret = rfc_size(&x, c->cfg->sizes.v[i]);
	report_close(&r);
	if (ret == -EINTR)
		pr_warn("interrupted: the trials so far are reported");
	return ret ? LR_EXIT_FAIL : x.code;
}
