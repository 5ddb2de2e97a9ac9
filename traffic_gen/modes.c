// SPDX-License-Identifier: MIT
/*
 * modes.c: tgen's subcommands on top of tgen_trial_run(). run: one trial per --size (times
 * --repeat), each reported on its own. selftest: the same, unpaced, over the loop pair, then
 * the ceiling per size. rfc2544: a probe for the generator's own ceiling through the DUT,
 * then per size the throughput search (NDR/PDR), latency at the NDR, the frame loss curve and
 * the back-to-back search of rfc2544.c, every trial also a results row.
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
};

static int rfc_run_trial(void *arg, double rate_pps, unsigned frame_len, uint64_t duration_ns,
			 struct rfc_trial *out)
{
	struct rfc_ctx *x = arg;
	struct tgen_trial t = {.trial = x->trials++, .frame_len = frame_len};
	int ret =
		one_trial(x->c, x->r, &t, rate_pps, 0, duration_ns, x->c->cfg->ramp_ns, "rfc2544");

	if (ret)
		return ret;
	x->code = exit_code(x->code, &t);
	*out = (struct rfc_trial){
		.offered_pps = rate_pps,
		.tx_pps = t.tx_pps,
		.rx_pps = t.rx_pps,
		.tx = t.tx,
		.rx = t.rx,
		.loss_ratio = t.tx ? (double)t.lost / (double)t.tx : 0,
		.generator_bound = t.status == RES_GENERATOR_BOUND,
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

/* The search's upper bound: line rate, or less when the generator cannot offer it. */
static int rfc_ceiling(struct rfc_ctx *x, unsigned frame_len, double *bound)
{
	struct tgen_trial t = {.trial = x->trials++, .frame_len = frame_len};
	double line = rate_pps(frame_len, x->c->cfg->link_bps);
	int ret = one_trial(x->c, x->r, &t, 0, 0, PROBE_NS, 0, "rfc2544-probe");

	if (ret)
		return ret;
	*bound = t.tx_pps * PROBE_MARGIN < line ? t.tx_pps * PROBE_MARGIN : line;
	report_say(x->r,
		   "rfc2544 %u B: the generator offers at most %.3f Mpps (line %.3f Mpps); "
		   "searching up to %.3f Mpps%s\n",
		   frame_len, t.tx_pps / 1e6, line / 1e6, *bound / 1e6,
		   *bound < line ? " (generator-bound above it: the DUT may do more)" : "");
	return 0;
}

static void rfc_setup(const struct tgen_cfg *cfg, struct rfc_cfg *rc, double bound)
{
	rfc_cfg_init(rc, bound, cfg->strict);
	rc->resolution = cfg->resolution / 100;
	rc->loss_tolerance = cfg->loss_tolerance / 100;
	rc->max_trials = (unsigned)cfg->max_trials;
	if (!cfg->strict)
		rc->trial_ns = rc->latency_ns = cfg->duration_ns;
}

/* The four procedures for one frame size; returns 0 or the first error. */
static int rfc_size(struct rfc_ctx *x, unsigned frame_len)
{
	FILE *f = x->r->format == CLI_FORMAT_HUMAN ? stdout : stderr;
	static struct rfc_throughput tp;
	static struct rfc_latency lat;
	static struct rfc_loss_curve lc;
	static struct rfc_b2b b2b;
	char err[TGEN_ERR_LEN];
	struct rfc_cfg rc;
	double bound;
	int ret = rfc_ceiling(x, frame_len, &bound);

	if (ret)
		return ret;
	rfc_setup(x->c->cfg, &rc, bound);
	if (rfc_cfg_check(&rc, err, sizeof(err))) {
		pr_err("rfc2544: %s", err);
		return -EINVAL;
	}
	fprintf(f, "rfc2544: %s\n", rfc_duration_note(&rc));
	ret = rfc_throughput(&rc, rfc_run_trial, x, frame_len, &tp);
	rfc_print_throughput(f, &rc, frame_len, &tp);
	if (!ret && tp.ndr_pps > 0) {
		ret = rfc_latency(&rc, rfc_run_trial, x, frame_len, tp.ndr_pps, &lat);
		rfc_print_latency(f, &lat);
	}
	if (!ret) {
		ret = rfc_loss_curve(&rc, rfc_run_trial, x, frame_len, &lc);
		rfc_print_loss_curve(f, &rc, &lc);
	}
	if (!ret) {
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
