// SPDX-License-Identifier: MIT
/*
 * bench.c: `linerate bench`, the main job (`make bench`), and the session it shares with
 * `linerate run NAME`: doctor checks, the lr- topology and huge pages up, every point of the
 * chosen experiments run by the generic runner with a progress line (experiment, point,
 * trials done/total, ETA) on stderr, then teardown, plots and the report. Results go to
 * <out>/<timestamp>/ and <out>/latest points at it.
 *
 * Teardown runs on every exit path once the topology is up: a normal end, a failed setup
 * step, and SIGINT/SIGTERM/SIGHUP/SIGQUIT (the handler only sets a flag; the runner stops the
 * current trial's programs, killing their process groups, and the session winds down here).
 * results.csv and points.csv are rewritten atomically after every trial, so what was measured
 * before a Ctrl-C is kept, plotted and reported.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "experiments.h"
#include "log.h"
#include "lr.h"
#include "ports.h"
#include "runner.h"
#include "topo.h"

#define TOOL_TIMEOUT_S   120.0 /* doctor, topo up, topo down */
#define QUICK_BUDGET_S   600.0 /* the quick profile's promise: 10 minutes */
#define SETUP_OVERHEAD_S 20.0  /* doctor, topology, plots and report */
#define MAX_EXPS         16

/* A running session. */
struct session {
	const struct bench_opts *o;
	struct runner_out out;
	char self[PATH_MAX]; /* this linerate binary */
	const struct exp_def *exps[MAX_EXPS];
	unsigned nexps;
	bool topo_up, tty;
	struct ports ports;          /* the lr- topology's, or --ports FILE's */
	char ports_vars[PORTS_VARS]; /* their template variables, "" without --ports */
	/* progress */
	unsigned done, total, measured, skipped, failed;
	double t0, est_total, est_done, spent_on_est;
};

/* ---- Options ------------------------------------------------------------------------------ */

void bench_cli_options(struct bench_opts *o, struct cli_options *t)
{
	const struct cli_option opts[] = {
		{"profile", 0, CLI_ENUM, &o->profile, "PROFILE",
		 "smoke: seconds (tests); quick: the whole bench within 10 minutes; full: RFC 2544 "
		 "trial lengths",
		 exp_profile_enum},
		{"out", 'o', CLI_STRING, &o->out, "DIR",
		 "results base directory: writes DIR/<timestamp>/ and points DIR/latest at it"},
		{"repeat", 0, CLI_INT, &o->repeat, "N",
		 "repeats per point (0: the profile's, at least 3 in quick)", NULL, 0, 50},
		{"duration", 'd', CLI_STRING, &o->duration, "TIME",
		 "trial length for every point, e.g. 2s (default: the profile's)"},
		{"size", 's', CLI_STRING, &o->sizes, "SIZES",
		 "frame sizes for the experiments that sweep sizes, e.g. 64,512,1518"},
		{"only", 0, CLI_STRING, &o->only, "TEXT",
		 "run only the series whose name contains TEXT, e.g. fwd-afp or memif"},
		{"hugepages", 0, CLI_INT, &o->hugepages, "N",
		 "2 MB huge pages to reserve during the session (restored afterwards)", NULL, 0,
		 262144},
		{"plots", 0, CLI_STRING, &o->plots, "DIR",
		 "directory of the gnuplot scripts (default: plots/ of the source tree, or "
		 "PREFIX/share/linerate/plots when installed)"},
		{"no-doctor", 0, CLI_FLAG, &o->no_doctor, NULL, "skip the doctor checks"},
		{"keep-topo", 0, CLI_FLAG, &o->keep_topo, NULL,
		 "leave the lr- topology and huge pages up at the end"},
		{"dry-run", 'n', CLI_FLAG, &o->dry_run, NULL,
		 "print the plan and every command without running anything"},
		{"ports", 0, CLI_STRING, &o->ports, "FILE",
		 "a ports profile: which interfaces or DPDK devices play lr-g0, lr-d0, lr-d1 and "
		 "lr-k1, their namespaces, addresses and MACs (docs/ports.md; real NICs: "
		 "docs/real-nics.md)"},
	};

	CLI_OPTIONS_ADD(t, opts);
}

/* Checks option values the parser cannot; returns 0 or LR_EXIT_USAGE after saying why. */
static int check_opts(const struct bench_opts *o)
{
	char err[CLI_ERR_LEN];
	struct cli_sizes sizes;
	uint64_t ns;

	if (o->duration && cli_parse_duration(o->duration, &ns, err, sizeof(err))) {
		pr_err("--duration: %s", err);
		return LR_EXIT_USAGE;
	}
	if (o->sizes && cli_parse_sizes(o->sizes, 1518, &sizes, err, sizeof(err))) {
		pr_err("--size: %s", err);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* ---- Tools: doctor and topo, run as child processes of this binary ------------------------- */

/* Runs `linerate ARGS...` (this binary) in its own process group, so a Ctrl-C at the
 * terminal cannot cut a setup or teardown step short, with its output in raw/<log> (in a
 * temporary file before the run directory exists); prints the output when it fails. Returns
 * its exit status. */
static int run_self(struct session *ss, const char *log, const char *a1, const char *a2,
		    const char *a3, const char *a4)
{
	char *const argv[] = {ss->self, (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
	char path[PATH_MAX + 32];
	struct runner_proc p;
	char *text;
	int err;

	if (ss->out.dir[0])
		snprintf(path, sizeof(path), "%s/raw/%s", ss->out.dir, log);
	else
		snprintf(path, sizeof(path), "/tmp/lr-bench-%s.%d", log, (int)getpid());
	err = runner_start(&p, argv, NULL, path, path);
	if (err) {
		pr_err("cannot run %s %s: %s", ss->self, a1, strerror(-err));
		return 127;
	}
	runner_wait(&p, TOOL_TIMEOUT_S, false);
	if (runner_stop(&p, SIGTERM, 5.0) && (text = res_read_text(path))) {
		fputs(text, stderr);
		free(text);
	}
	if (!ss->out.dir[0])
		unlink(path); /* best effort: a temporary copy */
	return p.status;
}

static int doctor(struct session *ss)
{
	int rc;

	if (ss->o->no_doctor)
		return 0;
	fprintf(stderr, "bench: doctor checks...\n");
	rc = run_self(ss, "doctor.txt", "doctor", NULL, NULL, NULL);
	if (rc) {
		pr_err("the doctor checks failed (exit %d, see above): fix what they name, or run "
		       "with --no-doctor to measure what can run",
		       rc);
		return LR_EXIT_ENV;
	}
	return 0;
}

/* With "topology = existing" bench builds nothing: it checks that every port of the profile is
 * there, and leaves the huge pages to the machine's owner. */
static int ports_check(struct session *ss)
{
	char out[512];
	int bad = 0;

	fprintf(stderr,
		"bench: ports profile %s: topology existing, nothing is built or removed; "
		"huge pages as reserved (%s)\n",
		ss->o->ports, "the DPDK programs say which they use");
	for (int r = 0; r < PORTS_NROLES; r++) {
		const struct ports_end *e = &ss->ports.end[r];
		int rc;

		if (e->dpdk[0]) {
			fprintf(stderr, "bench:   %s: DPDK device %s\n", ports_role_name(r),
				e->dpdk);
			continue;
		}
		rc = e->ns[0] ? topo_runl(out, sizeof(out), "ip", "-n", e->ns, "link", "show",
					  "dev", e->ifname, NULL)
			      : topo_runl(out, sizeof(out), "ip", "link", "show", "dev", e->ifname,
					  NULL);
		fprintf(stderr, "bench:   %s: %s in %s, %s, %s%s\n", ports_role_name(r), e->ifname,
			e->ns[0] ? e->ns : "this namespace", e->ip, e->mac, rc ? ": MISSING" : "");
		if (rc) {
			pr_err("%s: interface %s is not in %s (ip: %s): bring it up there or fix "
			       "%s.if / %s.ns in %s",
			       ports_role_name(r), e->ifname, e->ns[0] ? e->ns : "this namespace",
			       topo_oneline(out), ports_role_name(r), ports_role_name(r),
			       ss->o->ports);
			bad = 1;
		}
	}
	return bad ? LR_EXIT_ENV : 0;
}

/* Builds the topology; before each later experiment (repair) it checks and repairs it again,
 * as `topo up` is idempotent: a DUT that crashed, or anything else, may have broken it. */
static int topo_up(struct session *ss, const char *repair)
{
	char pages[24], log[96];
	int rc;

	if (ss->ports.existing)
		return repair ? 0 : ports_check(ss);

	snprintf(pages, sizeof(pages), "%ld", ss->o->hugepages);
	snprintf(log, sizeof(log), "topo-up%s%s.txt", repair ? "-" : "", repair ? repair : "");
	if (!repair)
		fprintf(stderr, "bench: lr- topology up, %ld huge pages...\n", ss->o->hugepages);
	ss->topo_up = true; /* from here on, teardown runs `topo down` on every path */
	rc = run_self(ss, log, "topo", "--hugepages", pages, "up");
	if (rc) {
		pr_err("'linerate topo up --hugepages %s' failed (exit %d, see above)", pages, rc);
		return LR_EXIT_ENV;
	}
	return 0;
}

static int topo_down(struct session *ss)
{
	int rc;

	if (!ss->topo_up)
		return 0;
	if (ss->o->keep_topo) {
		fprintf(stderr, "bench: --keep-topo: the lr- topology and huge pages stay up "
				"('linerate topo down' removes them)\n");
		return 0;
	}
	fprintf(stderr, "bench: lr- topology down, huge pages restored...\n");
	rc = run_self(ss, "topo-down.txt", "topo", "down", NULL, NULL);
	ss->topo_up = rc != 0;
	if (rc)
		pr_err("'linerate topo down' failed (exit %d, see above): run it again by hand",
		       rc);
	return rc;
}

/* ---- The run directory -------------------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Points base/latest at name, atomically (a new link renamed over the old one). */
static void link_latest(const char *base, const char *name)
{
	char tmp[PATH_MAX + 32], latest[PATH_MAX + 16];

	snprintf(tmp, sizeof(tmp), "%s/.latest.%d", base, (int)getpid());
	snprintf(latest, sizeof(latest), "%s/latest", base);
	unlink(tmp);
	if (symlink(name, tmp) || rename(tmp, latest)) {
		pr_warn("cannot point %s at %s: %s", latest, name, strerror(errno));
		unlink(tmp); /* best effort */
	}
}

/* Creates <out>/<timestamp>/ (a suffix if it exists) and opens its files. */
static int open_run_dir(struct session *ss)
{
	const char *base = ss->o->out ? ss->o->out : "results";
	char stamp[32], name[48], dir[PATH_MAX];
	time_t now = time(NULL);
	int err = mkdir_p(base);

	if (err) {
		pr_err("cannot create the results directory %s: %s", base, strerror(-err));
		return LR_EXIT_FAIL;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(name, sizeof(name), "%s", stamp);
	for (int i = 2; i < 100; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", base, name);
		if (access(dir, F_OK))
			break;
		snprintf(name, sizeof(name), "%s-%d", stamp, i);
	}
	err = runner_out_open(&ss->out, dir);
	if (err) {
		pr_err("cannot create %s and its files: %s", dir, strerror(-err));
		return LR_EXIT_FAIL;
	}
	link_latest(base, name);
	return 0;
}

static const char *profile_name(int p)
{
	return exp_profile_enum[p].name;
}

static void write_meta(struct session *ss, int argc, char **argv)
{
	char names[512] = "", repeat[16], pages[16], path[PATH_MAX + 16];
	const struct bench_opts *o = ss->o;
	size_t used = 0;
	int err;

	for (unsigned i = 0; i < ss->nexps; i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? " " : "",
					 ss->exps[i]->name);
	snprintf(repeat, sizeof(repeat), "%ld", o->repeat);
	snprintf(pages, sizeof(pages), "%ld", o->hugepages);
	const struct res_kv cfg[] = {
		{"profile", profile_name(o->profile)},
		{"experiments", names},
		{"repeat", o->repeat ? repeat : "profile"},
		{"duration", o->duration ? o->duration : "profile"},
		{"size", o->sizes ? o->sizes : "profile"},
		{"only", o->only ? o->only : "all"},
		{"hugepages", pages},
		{"ports", o->ports ? o->ports : "lr- topology"},
		{"topology", ss->ports.existing ? "existing" : "lr (built by bench)"},
		{"ports_vars", ss->ports_vars[0] ? ss->ports_vars : "lr- defaults"},
	};
	snprintf(path, sizeof(path), "%s/meta.json", ss->out.dir);
	err = res_meta_write(path, argc, argv, cfg, ARRAY_SIZE(cfg));
	if (err)
		pr_warn("cannot write %s: %s", path, strerror(-err));
}

/* ---- Progress ----------------------------------------------------------------------------- */

static void fmt_time(double s, char *buf, size_t len)
{
	if (s < 0 || isnan(s))
		snprintf(buf, len, "?");
	else if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
}

/* Shows the trial about to run: experiment, point, repeat, done/total, elapsed and ETA. */
static void progress(struct session *ss, const struct exp_point *pt, unsigned rep, unsigned nrep)
{
	double elapsed = runner_now() - ss->t0;
	double speed = ss->est_done > 0 ? ss->spent_on_est / ss->est_done : 1;
	char el[16], eta[16];

	fmt_time(elapsed, el, sizeof(el));
	fmt_time((ss->est_total - ss->est_done) * speed, eta, sizeof(eta));
	fprintf(stderr, "%s[%u/%u %3.0f%%] %s: %s %s=%s rep %u/%u | %s elapsed, ETA %s%s",
		ss->tty ? "\r\033[K" : "", ss->done + 1, ss->total,
		100.0 * ss->done / (ss->total ? ss->total : 1), pt->exp->name, pt->series->name,
		pt->exp->xvar, pt->x, rep + 1, nrep, el, eta, ss->tty ? "" : "\n");
	fflush(stderr);
}

/* Says why a trial did not measure (once per point when it was skipped). */
static void progress_note(struct session *ss, const struct exp_point *pt, const struct exp_trial *t,
			  bool first)
{
	if (t->outcome == EXP_MEASURED && !t->reason[0])
		return;
	if (!first && t->outcome == EXP_SKIPPED)
		return;
	fprintf(stderr, "%s  %s: %s: %s %s=%s: %s%s\n", ss->tty ? "\r\033[K" : "",
		t->outcome == EXP_MEASURED ? "note" : exp_outcome_name(t->outcome), t->experiment,
		t->series, pt->exp->xvar, t->x, t->reason,
		t->outcome == EXP_SKIPPED ? "" : " (see raw/)");
}

/* ---- The plan ----------------------------------------------------------------------------- */

static unsigned repeats_of(const struct session *ss, const struct exp_def *e)
{
	return ss->o->repeat ? (unsigned)ss->o->repeat : exp_repeat(e, ss->o->profile);
}

static struct exp_overrides overrides(const struct session *ss, double ndr)
{
	return (struct exp_overrides){ss->o->only, ss->o->sizes, ss->o->duration, ndr,
				      ss->ports_vars[0] ? ss->ports_vars : NULL};
}

/* Counts the trials and their estimated time; prints every command with --dry-run. */
static int plan(struct session *ss)
{
	char err[256], why[256];

	for (unsigned i = 0; i < ss->nexps; i++) {
		const struct exp_def *e = ss->exps[i];
		struct exp_overrides ov = overrides(ss, 0);
		unsigned nrep = repeats_of(ss, e);
		struct exp_point *pts;
		size_t n;

		if (exp_expand(e, ss->o->profile, -1, &ov, &pts, &n, err, sizeof(err))) {
			pr_err("experiment %s: %s", e->name, err);
			return LR_EXIT_FAIL;
		}
		for (size_t k = 0; k < n; k++) {
			bool ok = runner_point_runnable(&ss->out, &pts[k], why, sizeof(why));

			ss->total += nrep;
			ss->est_total += ok ? nrep * pts[k].est_s : 0;
			if (!ss->o->dry_run)
				continue;
			printf("%s %s %s=%s x%u%s%s\n", e->name, pts[k].series->name, e->xvar,
			       pts[k].x, nrep, ok ? "" : "  skipped: ", ok ? "" : why);
			if (ok && pts[k].series->setup &&
			    (!k || pts[k - 1].series != pts[k].series))
				runner_setup_print(pts[k].series->setup, stdout, "  setup: ");
			if (pts[k].dut_cmd[0])
				printf("  dut: %s\n", pts[k].dut_cmd);
			printf("  gen: %s\n", pts[k].gen_cmd);
		}
		free(pts);
	}
	return 0;
}

static void print_plan(const struct session *ss)
{
	char est[16];

	fmt_time(ss->est_total + SETUP_OVERHEAD_S, est, sizeof(est));
	if (ss->o->ports)
		fprintf(stderr, "bench: ports from %s (topology %s): %s\n", ss->o->ports,
			ss->ports.existing ? "existing" : "lr", ss->ports_vars);
	fprintf(stderr, "bench: profile %s, %u experiment%s, %u trials, about %s\n",
		profile_name(ss->o->profile), ss->nexps, ss->nexps == 1 ? "" : "s", ss->total, est);
	if (ss->o->profile == EXP_PROFILE_QUICK &&
	    ss->est_total + SETUP_OVERHEAD_S > QUICK_BUDGET_S)
		pr_warn("the quick profile is planned above its 10-minute budget (%.0f s)",
			ss->est_total + SETUP_OVERHEAD_S);
}

/* ---- Running ------------------------------------------------------------------------------ */

/* Runs every repeat of one point (or records them as skipped, with the reason said once);
 * returns 0, or an exit code when the results cannot be written. */
static int run_point(struct session *ss, const struct exp_point *pt, const char *skip_reason)
{
	unsigned nrep = repeats_of(ss, pt->exp);
	char why[256];

	if (!skip_reason && !runner_point_runnable(&ss->out, pt, why, sizeof(why)))
		skip_reason = why;
	for (unsigned rep = 0; rep < nrep && !runner_stop_requested(); rep++) {
		unsigned id = (unsigned)ss->out.ntrials;
		struct exp_trial t;
		int err;

		if (skip_reason) {
			err = runner_skip_point(&ss->out, pt, id, rep, skip_reason, &t);
		} else {
			progress(ss, pt, rep, nrep);
			err = runner_run_point(&ss->out, pt, id, rep, &t);
		}
		if (err) {
			pr_err("cannot write the results in %s: %s", ss->out.dir, strerror(-err));
			return LR_EXIT_FAIL;
		}
		ss->done++;
		ss->measured += t.outcome == EXP_MEASURED;
		ss->skipped += t.outcome == EXP_SKIPPED;
		ss->failed += t.outcome == EXP_FAILED;
		if (t.outcome != EXP_SKIPPED) {
			ss->est_done += pt->est_s;
			ss->spent_on_est += t.seconds;
		}
		progress_note(ss, pt, &t, rep == 0);
	}
	return 0;
}

/* Returns the median rate (pps) metric m (the linerate experiment's main figure) found for
 * the point (series, x) of experiment e in this run, 0 if there is none. */
static double ndr_measured(struct session *ss, const struct exp_def *e, const char *series,
			   const char *x, const struct exp_metric *m)
{
	struct exp_metric unscaled = *m;
	struct exp_summary *sum = NULL;
	struct exp_results r;
	char err[256];
	double ndr = 0;
	int n;

	unscaled.scale = 1;
	if (exp_results_load(ss->out.dir, &r, err, sizeof(err)))
		return 0;
	n = exp_summarize(&r, e, NULL, &unscaled, &sum);
	for (int i = 0; i < n; i++)
		if (!strcmp(sum[i].series, series) && !strcmp(sum[i].x, x) && sum[i].flag >= 0 &&
		    sum[i].flag != 2)
			ndr = sum[i].med;
	free(sum);
	exp_results_free(&r);
	return ndr;
}

/* Runs series si of e through the linerate experiment's 64 B NDR search once (the linerate
 * experiment's mode and variables, the series' own DUT and generator), recorded as a
 * calibration trial of e (x = "ndr"). The series need not be one of linerate's. */
static void calibrate(struct session *ss, const struct exp_def *lr, const struct exp_def *e,
		      unsigned si)
{
	struct exp_overrides ov = {NULL, "64", NULL, 0, ss->ports_vars[0] ? ss->ports_vars : NULL};
	struct exp_def one = *lr;
	struct exp_point *pts = NULL, cal;
	struct exp_trial t;
	char err[256];
	size_t n = 0;

	one.series = &e->series[si];
	one.nseries = 1;
	if (exp_expand(&one, ss->o->profile, 0, &ov, &pts, &n, err, sizeof(err)) || !n) {
		free(pts);
		return;
	}
	cal = pts[0];
	free(pts);
	cal.exp = e;
	cal.series = &e->series[si];
	snprintf(cal.x, sizeof(cal.x), "ndr");
	fprintf(stderr, "%scalibrating: %s at 64 B, the 100%% load of %s\n",
		ss->tty ? "\r\033[K" : "", cal.series->name, e->name);
	if (!runner_run_point(&ss->out, &cal, (unsigned)ss->out.ntrials, 0, &t))
		progress_note(ss, &cal, &t, true);
}

/* Finds series si's throughput at 64 B (the 100% load of e): from the linerate experiment of
 * this run, else from a calibration trial run now. */
static double find_ndr(struct session *ss, const struct exp_def *e, unsigned si)
{
	const struct exp_def *lr = exp_find("linerate");
	const struct exp_metric *m = &lr->plots[0].metrics[0];
	const char *name = e->series[si].name;
	double ndr = ndr_measured(ss, lr, name, "64", m);

	if (ndr <= 0 && !runner_stop_requested()) {
		calibrate(ss, lr, e, si);
		ndr = ndr_measured(ss, e, name, "ndr", m);
	}
	return ndr;
}

/* Runs one experiment: every point, every repeat. */
static int run_experiment(struct session *ss, const struct exp_def *e)
{
	struct exp_overrides ov = overrides(ss, 0);
	int ret = 0;
	char err[256];

	for (unsigned si = 0; si < e->nseries && !ret && !runner_stop_requested(); si++) {
		struct exp_point *pts;
		const char *skip = NULL;
		char why[256];
		size_t n;

		if (ss->o->only && !strstr(e->series[si].name, ss->o->only))
			continue;
		if (exp_expand(e, ss->o->profile, (int)si, &ov, &pts, &n, err, sizeof(err)))
			return LR_EXIT_FAIL;
		if (n && e->needs_ndr &&
		    runner_point_runnable(&ss->out, &pts[0], why, sizeof(why))) {
			free(pts);
			ov.ndr_pps = find_ndr(ss, e, si);
			if (exp_expand(e, ss->o->profile, (int)si, &ov, &pts, &n, err, sizeof(err)))
				return LR_EXIT_FAIL;
			if (ov.ndr_pps <= 0)
				skip = "no NDR at 64 B for this series (its calibration failed)";
		}
		for (size_t k = 0; k < n && !ret && !runner_stop_requested(); k++)
			ret = run_point(ss, &pts[k], skip);
		free(pts);
	}
	return ret;
}

/* Teardown, then plots and the report of whatever was measured. */
static int finish(struct session *ss, int ret)
{
	char err[512];
	int n;

	if (ss->tty)
		fprintf(stderr, "\n");
	if (topo_down(ss) && !ret)
		ret = LR_EXIT_ENV;
	if (!ss->out.results)
		return ret;
	n = plot_dir(ss->out.dir, ss->o->plots, err, sizeof(err));
	if (n < 0) {
		pr_err("plots: %s", err);
		ret = ret ? ret : LR_EXIT_FAIL;
	}
	if (report_write(ss->out.dir, err, sizeof(err))) {
		pr_err("report: %s", err);
		ret = ret ? ret : LR_EXIT_FAIL;
	}
	fprintf(stderr,
		"bench: %u trials measured, %u skipped, %u failed; %d plots; in %.0f s\n"
		"bench: results in %s (report.html, report.md, results.csv)\n",
		ss->measured, ss->skipped, ss->failed, n < 0 ? 0 : n, runner_now() - ss->t0,
		ss->out.dir);
	runner_out_close(&ss->out);
	if (runner_stop_requested()) {
		fprintf(stderr,
			"bench: stopped by signal %d; the trials measured before it are kept\n",
			runner_stop_signal());
		return RUNNER_EXIT_INTERRUPTED;
	}
	if (!ret && !ss->measured) {
		pr_err("no trial was measured (see the skipped and failed points above)");
		ret = LR_EXIT_FAIL;
	}
	return ret;
}

static int setup(struct session *ss, int argc, char **argv)
{
	int ret = doctor(ss);

	if (!ret && !runner_stop_requested())
		ret = open_run_dir(ss);
	if (!ret && !runner_stop_requested())
		ret = topo_up(ss, NULL);
	if (ss->out.results)
		write_meta(ss, argc, argv);
	return ret;
}

int bench_session(const struct bench_opts *o, const char *const *names, unsigned n, int argc,
		  char **argv)
{
	struct session *ss = calloc(1, sizeof(*ss));
	int ret;

	if (!ss)
		return LR_EXIT_FAIL;
	ss->o = o;
	ret = check_opts(o);
	ports_default(&ss->ports);
	if (!ret && o->ports) {
		char err[512];

		if (ports_load(o->ports, &ss->ports, err, sizeof(err))) {
			pr_err("--ports: %s", err);
			ret = LR_EXIT_USAGE;
		} else {
			ports_vars(&ss->ports, ss->ports_vars, sizeof(ss->ports_vars));
			ss->out.ports_not_lr = !ports_dut_is_lr(&ss->ports);
		}
	}
	for (unsigned i = 0; !ret && i < (n ? n : exp_count) && i < MAX_EXPS; i++) {
		ss->exps[ss->nexps] = n ? exp_find(names[i]) : exp_all[i];
		if (!ss->exps[ss->nexps++]) {
			pr_err("unknown experiment '%s' (see 'linerate run --help' for the list)",
			       names[i]);
			ret = LR_EXIT_USAGE;
		}
	}
	if (!ret && (runner_bindir(ss->out.bindir, sizeof(ss->out.bindir)) ||
		     readlink("/proc/self/exe", ss->self, sizeof(ss->self) - 1) < 0)) {
		pr_err("cannot find this program's directory through /proc/self/exe");
		ret = LR_EXIT_ENV;
	}
	if (!ret)
		ret = plan(ss);
	if (!ret && o->dry_run)
		print_plan(ss);
	if (ret || o->dry_run)
		goto out;
	if (geteuid() != 0) {
		pr_err("must run as root: it builds network namespaces and reserves huge pages "
		       "(try: sudo linerate bench, or --dry-run to see the plan)");
		ret = LR_EXIT_NOPERM;
		goto out;
	}
	runner_signals_install();
	ss->tty = isatty(2);
	ss->t0 = runner_now();
	print_plan(ss);
	ret = setup(ss, argc, argv);
	for (unsigned i = 0; !ret && i < ss->nexps && !runner_stop_requested(); i++) {
		if (i)
			topo_up(ss, ss->exps[i]->name); /* best effort: failed trials say why */
		ret = run_experiment(ss, ss->exps[i]);
	}
	ret = finish(ss, ret);
out:
	free(ss);
	return ret;
}

int cmd_bench(int argc, char **argv)
{
	struct bench_opts o = {.profile = EXP_PROFILE_QUICK, .hugepages = 512};
	struct cli_options t = {0};
	const struct cli_program prog = {
		"linerate bench", "[options]",
		"The main job (make bench): checks the machine (linerate doctor), builds the lr- "
		"topology and reserves huge pages, runs every experiment (linerate, latency-load, "
		"batch, hugepages, affinity, rings, echo, budget) with each point repeated, then "
		"tears everything down and writes results.csv, meta.json, raw/, PNG and SVG plots "
		"and report.html + report.md to <out>/<timestamp>/ (<out>/latest points at it). "
		"Ctrl-C stops the current trial, keeps what was measured and still reports it. "
		"Needs root.",
		t.opts};
	int first, ret;

	log_set_prog("linerate bench");
	bench_cli_options(&o, &t);
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first < argc) {
		pr_err("unexpected argument '%s' (to run one experiment: linerate run NAME)",
		       argv[first]);
		return LR_EXIT_USAGE;
	}
	return bench_session(&o, NULL, 0, argc, argv);
}
