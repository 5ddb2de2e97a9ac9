// SPDX-License-Identifier: MIT
/*
 * regress.c: `linerate regress`, the CI regression gate (Tier 1 of docs/regress.md). Runs
 * each user-space data path of build/bin/lr-paths under valgrind --tool=callgrind with
 * instrumentation on only around its steady-state loop, turns the instruction total into
 * instructions per packet (or per transaction), and compares them with bench/baseline.json,
 * which also holds the context (compiler, flags, valgrind, DPDK, CPU, counts) that produced
 * them. Instruction counts are repeatable on a shared, noisy machine where timings are not,
 * which is why they, and not time, are the gate.
 *
 * Instruction counts repeat on one machine and toolchain, not across them: when the committed
 * baseline cannot judge this machine (another context, or a figure it does not hold), or with
 * --paired, the base revision (--base REF, else where HEAD left main, else HEAD~1) is built in
 * /tmp and measured here in the same run, and its figures are the baseline ("paired Tier 1").
 *
 * Exit codes: 0 pass, 1 harness error (also: a baseline figure this run did not produce),
 * 2 cannot measure at all (no valgrind, no base revision to pair with), 3 regression (a figure
 * above the threshold, default +1%), 4 inconclusive (Tier 2).
 *
 * Tier 2 (--tier2-base PATH, or --base REF which builds a git revision's lr-paths) adds paired
 * timing as evidence; Tier 3 appends every figure to a JSON-lines history (--history) that
 * `linerate plot --history` draws as trends; --plot (or --report) draws the run's changes.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "json_read.h"
#include "log.h"
#include "lr.h"
#include "regress.h"

/* A path lr-paths runs: its subcommand, how many units per --packets, and its labels. */
struct path_def {
	const char *name, *size, *metric, *unit;
	unsigned divisor; /* units = packets / divisor (TCP transactions are dearer) */
};

static const struct path_def paths[] = {
	{"fwd", "64 B", "instructions/packet", "instructions", 1},
	{"fwd-run", "64 B", "instructions/packet", "instructions", 1},
	{"ring-lockfree", "burst 32", "instructions/item", "instructions", 1},
	{"ring-mutex", "burst 32", "instructions/item", "instructions", 1},
	{"tcp-echo", "64 B", "instructions/transaction", "instructions", 10},
	{"fwd-dpdk", "64 B", "instructions/packet", "instructions", 1},
	{"tgen-dpdk", "64 B", "instructions/packet", "instructions", 1},
};

struct regress_opts {
	long packets;
	double threshold;
	const char *baseline, *paths_bin, *report, *junit, *tier2_base;
	long pairs;
	int format;
	bool update;
	const char *base;       /* --base REF: build this git revision as Tier 2's baseline */
	const char *history;    /* Tier 3 file, "none" for no history, NULL for the default */
	const char *plot;       /* --plot DIR, NULL for none (or the --report file's directory) */
	const char *paths_list; /* --paths: comma-separated path names, NULL for all */
	bool no_kernel;         /* --no-kernel: skip the kernel forwarders' figures */
	bool paired;            /* --paired: measure the base revision here even when the
				 * committed baseline could judge */
};

#define HISTORY_DEFAULT "results/regress-history.jsonl"

enum {
	FMT_HUMAN,
	FMT_JSON
};
static const struct cli_enum fmt_enum[] = {{"human", FMT_HUMAN}, {"json", FMT_JSON}, {NULL, 0}};

/* Reads the first line of a command's output into buf; returns 0 or -EIO. */
static int cmd_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");
	int ok;

	if (!p)
		return -errno;
	ok = fgets(buf, (int)len, p) != NULL;
	pclose(p);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void ctx_set(struct regress_run *r, unsigned i, const char *key, const char *value)
{
	snprintf(r->ctx[i].key, sizeof(r->ctx[i].key), "%s", key);
	snprintf(r->ctx[i].value, sizeof(r->ctx[i].value), "%s", value);
}

/* Fills the context: lr-paths says how it was built; valgrind and /proc say the rest. */
static int context_fill(struct regress_run *r, const struct regress_opts *o)
{
	char cmd[PATH_MAX + 32], line[REGRESS_STR], cc[REGRESS_STR] = "", fl[REGRESS_STR] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "'%s' --context 2>/dev/null", o->paths_bin);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "compiler ", 9))
			snprintf(cc, sizeof(cc), "%s", line + 9);
		else if (!strncmp(line, "cflags ", 7))
			snprintf(fl, sizeof(fl), "%s", line + 7);
	}
	pclose(f);
	if (!*cc) {
		pr_err("regress: %s --context said nothing (build it with 'make')", o->paths_bin);
		return -EIO;
	}
	ctx_set(r, 0, "compiler", cc);
	ctx_set(r, 1, "cflags", fl);
	if (cmd_line("valgrind --version 2>/dev/null", line, sizeof(line))) {
		pr_err("regress: valgrind not found (install it with 'make deps')");
		return -ENOENT;
	}
	ctx_set(r, 2, "valgrind", line);
	ctx_set(r, 3, "dpdk", LR_DPDK_VERSION);
	if (cmd_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1", line,
		     sizeof(line)))
		snprintf(line, sizeof(line), "unknown");
	ctx_set(r, 4, "cpu", line);
	snprintf(line, sizeof(line), "%ld", o->packets);
	ctx_set(r, 5, "packets", line);
	return 0;
}

/* Returns the "totals:" (or, failing that, "summary:") figure of a callgrind output file. */
static int cg_total(const char *file, unsigned long long *ir)
{
	char line[512];
	FILE *f = fopen(file, "r");
	int found = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "totals:", 7) && sscanf(line + 7, "%llu", ir) == 1)
			found = 2;
		else if (found < 2 && !strncmp(line, "summary:", 8) &&
			 sscanf(line + 8, "%llu", ir) == 1 && *ir)
			found = 1;
	}
	fclose(f);
	return found ? 0 : -EIO;
}

/* Runs one path under callgrind and fills res; returns 0 or -errno (message logged). */
static int run_path(const struct path_def *p, const struct regress_opts *o, const char *dir,
		    struct regress_result *res)
{
	char cmd[3 * PATH_MAX], line[128];
	unsigned long units = 0;
	unsigned long long ir = 0;

	snprintf(res->cg_file, sizeof(res->cg_file), "%s/callgrind.%s.out", dir, p->name);
	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=callgrind --collect-atstart=no --instr-atstart=no "
		 "--callgrind-out-file='%s' '%s' %s %ld 2>'%s/%s.log'",
		 res->cg_file, o->paths_bin, p->name, o->packets / p->divisor, dir, p->name);
	if (cmd_line(cmd, line, sizeof(line)) || sscanf(line, "units %lu", &units) != 1 || !units) {
		pr_err("regress: path %s moved no packets under callgrind (see %s/%s.log)", p->name,
		       dir, p->name);
		return -EIO;
	}
	if (cg_total(res->cg_file, &ir) || !ir) {
		pr_err("regress: no instruction total in %s", res->cg_file);
		return -EIO;
	}
	snprintf(res->id, sizeof(res->id), "%s/%s/%s", p->name, p->size, p->metric);
	for (char *c = res->id; *c; c++)
		if (*c == ' ')
			*c = '_';
	snprintf(res->path, sizeof(res->path), "%s", p->name);
	snprintf(res->size, sizeof(res->size), "%s", p->size);
	snprintf(res->metric, sizeof(res->metric), "%s", p->metric);
	snprintf(res->unit, sizeof(res->unit), "%s", p->unit);
	/* rounded as the baseline stores it, so that unchanged code compares as exactly 0% */
	res->tier = 1;
	res->value = round(1e4 * (double)ir / (double)units) / 1e4;
	res->baseline = -1;
	return 0;
}

static const char *path_name(unsigned i);

/* True when the figure id belongs to a path this run measured (want: by path_name() index). */
static bool want_id(const bool *want, const char *id)
{
	size_t len = strcspn(id, "/");

	for (unsigned i = 0; path_name(i); i++)
		if (strlen(path_name(i)) == len && !strncmp(path_name(i), id, len))
			return want[i];
	return true; /* a path this build does not know: lost */
}

/* Looks up one figure of a baseline file; returns 0 or -ENOENT. */
static int baseline_value(const char *path, const char *id, double *v)
{
	char err[512], got[64];
	json_t *root = lr_json_file(path, err, sizeof(err)), *x;
	size_t i;
	int ret = -ENOENT;

	json_array_foreach(json_object_get(root, "results"), i, x)
	{
		if (ret && !lr_json_str(x, "id", got, sizeof(got)) && !strcmp(got, id) &&
		    !lr_json_num(x, "value", v))
			ret = 0;
	}
	json_decref(root);
	return ret;
}

/* Reads the baseline file written by baseline_write(): notes the first context difference in
 * r->mismatch, sets each result's baseline, and notes in r->missing the figures of wanted
 * paths it holds that this run did not produce. Returns 0, or -EINVAL with the reason logged. */
static int baseline_read(struct regress_run *r, const char *path, const bool *want)
{
	char err[512], id[64], v[REGRESS_STR];
	json_t *root = lr_json_file(path, err, sizeof(err)), *ctx, *x;
	size_t i;

	if (!root) {
		pr_err("regress: %s", err);
		return -EINVAL;
	}
	lr_json_str(root, "commit", r->base_commit, sizeof(r->base_commit));
	ctx = json_object_get(root, "context");
	for (unsigned k = 0; k < REGRESS_NCTX && !r->mismatch[0]; k++) {
		if (lr_json_str(ctx, r->ctx[k].key, v, sizeof(v)))
			snprintf(r->mismatch, sizeof(r->mismatch), "%s: not in the baseline",
				 r->ctx[k].key);
		else if (strcmp(v, r->ctx[k].value))
			snprintf(r->mismatch, sizeof(r->mismatch),
				 "%s: baseline '%.80s', now '%.80s'", r->ctx[k].key, v,
				 r->ctx[k].value);
	}
	json_array_foreach(json_object_get(root, "results"), i, x)
	{
		bool found = false;
		double value;

		if (lr_json_str(x, "id", id, sizeof(id)) || lr_json_num(x, "value", &value))
			continue;
		for (unsigned k = 0; k < r->nres; k++)
			if (!strcmp(r->res[k].id, id)) {
				r->res[k].baseline = value;
				found = true;
			}
		if (!found && want_id(want, id))
			snprintf(r->missing + strlen(r->missing),
				 sizeof(r->missing) - strlen(r->missing), "%s%s",
				 r->missing[0] ? ", " : "", id);
	}
	json_decref(root);
	return 0;
}

/* Writes the baseline: one key or one result per line, so that diffs show one figure each. */
static int baseline_write(const struct regress_run *r, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"schema_version\": 1,\n  \"commit\": \"%s\",\n  \"context\": {\n",
		LR_GIT_COMMIT);
	for (unsigned i = 0; i < REGRESS_NCTX; i++)
		fprintf(f, "    \"%s\": \"%s\"%s\n", r->ctx[i].key, r->ctx[i].value,
			i + 1 < REGRESS_NCTX ? "," : "");
	fprintf(f, "  },\n  \"results\": [\n");
	for (unsigned i = 0; i < r->nres; i++)
		fprintf(f,
			"    {\"id\": \"%s\", \"metric\": \"%s\", \"value\": %.4f, \"unit\": "
			"\"%s\", \"tier\": 1}%s\n",
			r->res[i].id, r->res[i].metric, r->res[i].value, r->res[i].unit,
			i + 1 < r->nres ? "," : "");
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

/* Sets each Tier 1 figure's change against its baseline and counts the regressed (*nreg),
 * new (*nnew) and accepted (*nacc) ones; returns the worst regression, or NULL. */
static const struct regress_result *figures_judge(struct regress_run *r, unsigned *nreg,
						  unsigned *nnew, unsigned *nacc)
{
	const struct regress_result *worst = NULL;

	for (unsigned i = 0; i < r->nres; i++) {
		struct regress_result *x = &r->res[i];

		if (x->tier != 1)
			continue;
		if (x->baseline <= 0) {
			(*nnew)++;
			continue;
		}
		x->change = (x->value - x->baseline) / x->baseline;
		x->significant = 100.0 * (x->change < 0 ? -x->change : x->change) >= r->threshold;
		x->regressed = 100.0 * x->change > r->threshold && !x->accepted;
		*nacc += x->accepted && 100.0 * x->change > r->threshold;
		if (x->regressed && (!worst || x->change > worst->change))
			worst = x;
		*nreg += x->regressed;
	}
	return worst;
}

/* Sets each figure's change and the run's verdict line and exit code. */
static void judge(struct regress_run *r)
{
	unsigned nreg = 0, nnew = 0, nacc = 0;
	const struct regress_result *worst = figures_judge(r, &nreg, &nnew, &nacc);
	char tail[160] = "";

	if (nnew || nacc)
		snprintf(tail, sizeof(tail),
			 "; %u new figure%s not gated, %u change%s accepted by "
			 "this change's bench/baseline.json",
			 nnew, nnew == 1 ? "" : "s", nacc, nacc == 1 ? "" : "s");
	if (r->missing[0]) {
		r->code = REGRESS_HARNESS;
		snprintf(r->verdict, sizeof(r->verdict),
			 "missing figures: the baseline holds %.200s, which this run did not "
			 "measure "
			 "(a path stopped working or was skipped: run as root, or name the paths "
			 "with --paths)",
			 r->missing);
	} else if (r->mismatch[0]) {
		r->code = REGRESS_CANNOT;
		snprintf(r->verdict, sizeof(r->verdict),
			 "cannot measure: context differs from baseline %s (%s) and no base "
			 "revision was measured here",
			 r->base_commit, r->mismatch);
	} else if (worst) {
		r->code = REGRESS_REGRESSION;
		snprintf(r->verdict, sizeof(r->verdict),
			 "%+.1f%% regression of %s %s at %s vs %s (%u path%s above +%.1f%%)",
			 100.0 * worst->change, worst->path, worst->metric, worst->size,
			 r->base_commit, nreg, nreg == 1 ? "" : "s", r->threshold);
	} else if (nnew && !r->paired[0]) {
		r->code = REGRESS_CANNOT;
		snprintf(r->verdict, sizeof(r->verdict),
			 "cannot measure: %u figure%s not in "
			 "baseline %s and no base revision was measured here",
			 nnew, nnew == 1 ? "" : "s", r->base_commit);
	} else {
		r->code = REGRESS_PASS;
		snprintf(r->verdict, sizeof(r->verdict),
			 "pass: %u Tier 1 figures within +%.1f%% of %s %s%s", r->nres - nnew,
			 r->threshold, r->paired[0] ? "base" : "baseline", r->base_commit, tail);
	}
}

/* Adds one Tier 2 figure (cycles or Mpps of a path) to the run. */
static void tier2_add(struct regress_run *r, const struct path_def *p, const char *what,
		      double cand, double base, double lo, double hi)
{
	struct regress_result *x = &r->res[r->nres++];
	const char *per = strchr(p->metric, '/');

	char metric[sizeof(x->metric)];

	if (!strcmp(what, "cycles"))
		snprintf(metric, sizeof(metric), "cycles%s", per);
	else
		snprintf(metric, sizeof(metric), "M%ss/s", per + 1);
	snprintf(x->path, sizeof(x->path), "%s", p->name);
	snprintf(x->size, sizeof(x->size), "%s", p->size);
	snprintf(x->metric, sizeof(x->metric), "%s", metric);
	snprintf(x->unit, sizeof(x->unit), "%s", strcmp(what, "cycles") ? "Mpps" : "TSC cycles");
	snprintf(x->id, sizeof(x->id), "%s/%s/%s", p->name, p->size, metric);
	for (char *c = x->id; *c; c++)
		if (*c == ' ')
			*c = '_';
	x->tier = 2;
	x->value = cand;
	x->baseline = base;
	x->change = cand / base - 1;
	x->lo = lo;
	x->hi = hi;
}

/* Whether Tier 1 measured path name in this run (--paths may leave some out). */
static bool measured(const struct regress_run *r, const char *name)
{
	for (unsigned i = 0; i < r->nres; i++)
		if (r->res[i].tier == 1 && !strcmp(r->res[i].path, name))
			return true;
	return false;
}

/* Turns a Tier 1 pass into a regression (an interval entirely beyond +5%) or inconclusive
 * (an interval wider than 10%) from one path's Tier 2 figures. */
static void tier2_judge(struct regress_run *r, const struct path_def *p,
			const struct regress_tier2 *t)
{
	if (r->code != REGRESS_PASS && r->code != REGRESS_INCONCLUSIVE)
		return;
	if (t->lo > 1.05) {
		r->code = REGRESS_REGRESSION;
		snprintf(r->verdict, sizeof(r->verdict),
			 "%+.1f%% regression of %s cycles%s at %s vs %s (Tier 2, 95%% "
			 "interval %+.1f%%..%+.1f%%, %u pairs)",
			 100 * (t->ratio - 1), p->name, strchr(p->metric, '/'), p->size,
			 r->tier2_base, 100 * (t->lo - 1), 100 * (t->hi - 1), t->pairs);
	} else if (t->hi - t->lo > 0.10 && r->code == REGRESS_PASS) {
		r->code = REGRESS_INCONCLUSIVE;
		snprintf(r->tier2_note, sizeof(r->tier2_note),
			 "%s interval %+.1f%%..%+.1f%% is wider than 10%% (CPU steal %.1f%% "
			 "over the runs, /proc/stat)",
			 p->name, 100 * (t->lo - 1), 100 * (t->hi - 1), t->steal_pct);
		snprintf(r->verdict, sizeof(r->verdict),
			 "inconclusive: Tier 1 passed; Tier 2 vs %s: %s", r->tier2_base,
			 r->tier2_note);
	}
}

/* Tier 2: paired timing of every path Tier 1 measured. A path that fails natively is skipped
 * with a warning (a baseline revision may predate it: Tier 1 already ran the candidate's);
 * -EIO when no path could be timed. */
static int tier2(struct regress_run *r, const struct regress_opts *o)
{
	char skipped[128] = "";
	unsigned timed = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(paths); i++) {
		const struct path_def *p = &paths[i];
		struct regress_tier2 t;

		if (!measured(r, p->name))
			continue;
		if (regress_tier2_path(o->tier2_base, o->paths_bin, p->name,
				       o->packets / p->divisor, (unsigned)o->pairs, &t)) {
			pr_warn("regress: Tier 2 of %s failed with %s or %s: skipped (does the "
				"baseline build have this path?)",
				p->name, o->tier2_base, o->paths_bin);
			snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped),
				 "%s%s", skipped[0] ? ", " : "", p->name);
			continue;
		}
		timed++;
		tier2_add(r, p, "cycles", t.cand_cpp, t.base_cpp, t.lo - 1, t.hi - 1);
		tier2_add(r, p, "mpps", t.cand_mpps, t.base_mpps, 1 / t.hi - 1, 1 / t.lo - 1);
		tier2_judge(r, p, &t);
	}
	if (!timed)
		return -EIO;
	if (r->code == REGRESS_PASS) {
		size_t n = strlen(r->verdict);

		snprintf(r->verdict + n, sizeof(r->verdict) - n,
			 "; Tier 2 vs %s: every timed path's 95%% interval below +5%% and "
			 "narrower than 10%%%s%s%s",
			 r->tier2_base, skipped[0] ? " (not timed: " : "", skipped,
			 skipped[0] ? ")" : "");
	}
	return 0;
}

/* lr-paths next to this program, unless --paths-bin says otherwise. */
static void default_paths_bin(char *buf, size_t len)
{
	char self[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		snprintf(buf, len, "lr-paths");
		return;
	}
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(buf, len, "%s/lr-paths", self);
}

static int parse_opts(int argc, char **argv, struct regress_opts *o)
{
	const struct cli_option opts[] = {
		{"packets", 0, CLI_INT, &o->packets, "N",
		 "packets per path (TCP echo: N/10 transactions)", NULL, 1000, 100000000},
		{"threshold", 0, CLI_DOUBLE, &o->threshold, "PCT",
		 "a figure this many percent above baseline is a regression", NULL, 0, 1000},
		{"baseline", 0, CLI_STRING, &o->baseline, "FILE", "the committed Tier 1 figures"},
		{"update-baseline", 0, CLI_FLAG, &o->update, NULL,
		 "rewrite the baseline file with this run's figures and context"},
		{"paths-bin", 0, CLI_STRING, &o->paths_bin, "PATH",
		 "the lr-paths program to measure (a candidate build)",
		 .def = "lr-paths beside "
			"linerate"},
		{"paths", 0, CLI_STRING, &o->paths_list, "LIST",
		 "measure only these paths, comma-separated (default: all; fwd, ring-lockfree, "
		 "ring-mutex, tcp-echo, fwd-dpdk, tgen-dpdk, fwd-sock, fwd-afp, fwd-xdp)"},
		{"paired", 0, CLI_FLAG, &o->paired, NULL,
		 "build the base revision (--base REF, else where HEAD left main, else HEAD~1) and "
		 "gate on its figures measured here, even when the committed baseline could judge"},
		{"no-kernel", 0, CLI_FLAG, &o->no_kernel, NULL,
		 "skip fwd-sock's, fwd-afp's and fwd-xdp's syscalls and copied bytes per packet "
		 "(they need "
		 "root and the lr- topology)"},
		{"tier2-base", 0, CLI_STRING, &o->tier2_base, "PATH",
		 "also run Tier 2: paired timing against this baseline lr-paths build"},
		{"base", 0, CLI_STRING, &o->base, "REF",
		 "also run Tier 2 against the lr-paths of git revision REF, built in /tmp"},
		{"pairs", 0, CLI_INT, &o->pairs, "N", "Tier 2 A/B pairs (the first is discarded)",
		 NULL, 16, 256},
		{"format", 0, CLI_ENUM, &o->format, NULL, "output format", fmt_enum},
		{"report", 0, CLI_STRING, &o->report, "FILE", "also write report.md there"},
		{"junit", 0, CLI_STRING, &o->junit, "FILE", "also write JUnit XML there"},
		{"plot", 0, CLI_STRING, &o->plot, "DIR",
		 "also draw regress-change.png/.svg there (default: beside --report)"},
		{"history", 0, CLI_STRING, &o->history, "FILE",
		 "Tier 3: append one JSON line per figure (default " HISTORY_DEFAULT
		 "; 'none' for no history)"},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate regress", "[options]",
		"CI regression gate (Tier 1): instructions per packet of each user-space data "
		"path under callgrind, compared with the committed baseline, or, when that "
		"baseline was made on another machine or lacks a figure, with the base "
		"revision built and measured here. Exit 0 pass, 1 harness error or a missing "
		"figure, 2 cannot measure, 3 regression, 4 inconclusive (Tier 2). See "
		"docs/regress.md.",
		opts};
	int first, ret = cli_parse(&prog, argc, argv, &first);

	if (ret == 0 && first < argc) {
		pr_err("regress: unexpected argument '%s' (see 'linerate regress --help')",
		       argv[first]);
		return -EINVAL;
	}
	return ret;
}

/* Returns the name of path i: paths[] first, then the kernel backends' paths, which
 * regress_kernel.c measures (not under callgrind); NULL past the last. */
static const char *path_name(unsigned i)
{
	return i < ARRAY_SIZE(paths) ? paths[i].name : regress_kernel_path(i - ARRAY_SIZE(paths));
}

/* Returns the index of the path named by the len bytes at s (path_name()'s numbering); -1
 * when there is none. */
static int path_index(const char *s, size_t len)
{
	const char *name;

	for (unsigned i = 0; (name = path_name(i)); i++)
		if (strlen(name) == len && !strncmp(name, s, len))
			return (int)i;
	return -1;
}

/* Marks in want the callgrind paths named in list (comma-separated; NULL: every path; the
 * kernel paths are accepted and left to regress_kernel()); returns 0, or -EINVAL after a
 * message naming the accepted paths. */
static int paths_select(const char *list, bool *want)
{
	char names[256] = "";
	size_t len = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(paths); i++)
		want[i] = list == NULL;
	for (const char *s = list; s; s = s[len] ? s + len + 1 : NULL) {
		int i;

		len = strcspn(s, ",");
		i = path_index(s, len);
		if (i < 0) {
			for (unsigned j = 0; path_name(j); j++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", j ? ", " : "", path_name(j));
			pr_err("regress: --paths: unknown path '%.*s' in '%s' (accepted, "
			       "comma-separated: %s)",
			       (int)len, s, list, names);
			return -EINVAL;
		}
		if ((size_t)i < ARRAY_SIZE(paths))
			want[i] = true;
	}
	return 0;
}

/* Which paths this run measures, indexed as path_name(): paths[] by --paths, the kernel
 * paths unless --no-kernel (or a --paths list that leaves them out). */
static void wanted(const struct regress_opts *o, bool *want)
{
	for (unsigned i = 0; path_name(i); i++) {
		const char *name = path_name(i), *s = o->paths_list;
		size_t len = strlen(name);

		want[i] = !s;
		for (; s && !want[i]; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
			want[i] = !strncmp(s, name, len) && (s[len] == ',' || !s[len]);
		if (i >= ARRAY_SIZE(paths) && o->no_kernel)
			want[i] = false;
	}
}

static int measure(struct regress_run *r, const struct regress_opts *o)
{
	char dir[] = "/tmp/lr-regress-XXXXXX";
	bool want[ARRAY_SIZE(paths)];
	int ret = paths_select(o->paths_list, want);

	if (!ret)
		ret = context_fill(r, o);
	if (ret)
		return ret;
	if (!mkdtemp(dir)) {
		ret = -errno;
		pr_err("regress: cannot create a directory in /tmp: %s", strerror(-ret));
		return ret;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(paths) && !ret; i++)
		if (want[i])
			ret = run_path(&paths[i], o, dir, &r->res[r->nres++]);
	if (!ret && !o->no_kernel)
		ret = regress_kernel(r, o->paths_list);
	return ret;
}

/* Removes the callgrind files of a finished run (best effort). */
static void cleanup(const struct regress_run *r)
{
	char dir[REGRESS_STR], log[REGRESS_STR + 64], *slash;

	if (!r->nres)
		return;
	snprintf(dir, sizeof(dir), "%s", r->res[0].cg_file);
	slash = strrchr(dir, '/');
	if (!slash)
		return; /* only kernel figures (--paths fwd-sock,fwd-afp): no callgrind files */
	*slash = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(paths); i++) {
		snprintf(log, sizeof(log), "%s/callgrind.%s.out", dir, paths[i].name);
		unlink(log);
		snprintf(log, sizeof(log), "%s/%s.log", dir, paths[i].name);
		unlink(log);
	}
	rmdir(dir);
}

/* Tier 3: appends the run to the history; a failure only warns when the file is the default. */
static int history(const struct regress_run *r, const struct regress_opts *o)
{
	const char *path = o->history ? o->history : HISTORY_DEFAULT;
	int ret;

	if (!strcmp(path, "none"))
		return 0;
	ret = regress_history_append(r, path, LR_GIT_COMMIT);
	if (!ret)
		return 0;
	if (!o->history) {
		pr_warn("regress: cannot append to history %s: %s (give --history FILE or "
			"--history none)",
			path, strerror(-ret));
		return 0;
	}
	pr_err("regress: cannot append to history %s: %s", path, strerror(-ret));
	return -EIO;
}

/* Draws the change plot in --plot DIR, or beside --report (where a failure only warns), sets
 * the link report.md uses and writes the plot's own path into png ("" for none). */
static int plot(struct regress_run *r, const struct regress_opts *o, char *png, size_t len)
{
	char dir[PATH_MAX], err[768], a[PATH_MAX], b[PATH_MAX];
	int ret;

	if (!o->plot && !o->report)
		return 0;
	snprintf(a, sizeof(a), "%s", o->plot ? o->plot : o->report);
	snprintf(dir, sizeof(dir), "%s", o->plot ? a : dirname(a));
	ret = regress_plot_changes(r, dir, err, sizeof(err));
	if (ret) {
		if (o->plot)
			pr_err("regress: plot in %s: %s", dir, err);
		else
			pr_warn("regress: no plot beside %s: %s", o->report, err);
		return o->plot ? ret : 0;
	}
	snprintf(png, len, "%s/regress-change.png", dir);
	snprintf(a, sizeof(a), "%s", o->report ? o->report : ".");
	if (o->report && realpath(dirname(a), b) && realpath(dir, a) && !strcmp(a, b))
		snprintf(r->plot, sizeof(r->plot), "regress-change.png");
	else
		snprintf(r->plot, sizeof(r->plot), "%s/regress-change.png",
			 realpath(dir, a) ? a : dir);
	return 0;
}

static int output(struct regress_run *r, const struct regress_opts *o)
{
	char png[PATH_MAX + 32] = "";
	int bad = plot(r, o, png, sizeof(png));

	if (o->format == FMT_JSON)
		regress_print_json(r, stdout);
	else
		regress_print_human(r, stdout);
	if (o->format != FMT_JSON && png[0])
		printf("\nplot: %s (and .svg)\n", png);
	bad |= history(r, o);
	if (bad)
		return REGRESS_HARNESS;
	if (o->report && regress_write_markdown(r, o->report)) {
		pr_err("regress: cannot write %s: %s", o->report, strerror(errno));
		return REGRESS_HARNESS;
	}
	if (o->junit && regress_write_junit(r, o->junit)) {
		pr_err("regress: cannot write %s: %s", o->junit, strerror(errno));
		return REGRESS_HARNESS;
	}
	return r->code;
}

/* --base REF: builds REF's lr-paths as Tier 2's baseline (one line and exit 1 on failure). */
static int base_prepare(struct regress_run *r, struct regress_opts *o, struct regress_base *b)
{
	char err[1024];
	struct timespec t0, t1;
	int ret;

	if (o->tier2_base || o->update) {
		pr_err("regress: --base REF does not go with %s (give one baseline for Tier 2)",
		       o->update ? "--update-baseline" : "--tier2-base");
		return -EINVAL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = regress_base_build(o->base, b, err, sizeof(err));
	if (ret) {
		pr_err("regress: %s", err);
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pr_info("regress: built lr-paths of %s (%s) in %s in %.1f s", o->base, b->short_sha, b->dir,
		(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	o->tier2_base = b->bin;
	snprintf(r->tier2_base, sizeof(r->tier2_base), "%s", b->short_sha);
	return 0;
}

/* The revision paired Tier 1 measures when --base is not given: HEAD when this build has
 * uncommitted changes (they are the change), else where HEAD left main (or origin/main), else,
 * on main itself, the commit before HEAD. */
static void default_base(char *ref, size_t len)
{
	char head[64], mb[64];

	snprintf(ref, len, "%s", strstr(LR_GIT_COMMIT, "-dirty") ? "HEAD" : "HEAD~1");
	if (strstr(LR_GIT_COMMIT, "-dirty"))
		return;
	if (cmd_line("git rev-parse --verify -q HEAD 2>/dev/null", head, sizeof(head)))
		return;
	if ((!cmd_line("git merge-base HEAD main 2>/dev/null", mb, sizeof(mb)) ||
	     !cmd_line("git merge-base HEAD origin/main 2>/dev/null", mb, sizeof(mb))) &&
	    strcmp(mb, head))
		snprintf(ref, len, "%s", mb);
}

/* True when the base tree holds path's lr-paths subcommand (a path added by this change is
 * not in it). */
static bool base_has_path(const struct regress_base *b, const char *name)
{
	char file[PATH_MAX], quoted[64], *src;
	FILE *f;
	long n;
	bool has = false;

	snprintf(file, sizeof(file), "%s/bench/paths/paths.c", b->dir);
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	f = fopen(file, "r");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	src = n > 0 ? calloc(1, (size_t)n + 1) : NULL;
	if (src && fread(src, 1, (size_t)n, f) == (size_t)n)
		has = strstr(src, quoted) != NULL;
	free(src);
	fclose(f);
	return has; /* every subcommand, the DPDK ones too, is named in paths.c's run_path() */
}

/* Paired Tier 1: builds the base revision (unless --base did) and measures its lr-paths under
 * callgrind here, in this run; its figures become the baseline of every callgrind figure (the
 * kernel paths' counts keep the committed baseline: they do not depend on the machine). A
 * figure above the threshold is accepted when this change also changes its entry in
 * bench/baseline.json (an intended change). Returns 0 or an exit code. */
static int paired(struct regress_run *r, const struct regress_opts *o, struct regress_base *b,
		  const char *why)
{
	char ref[64], err[1024], dir[] = "/tmp/lr-regress-XXXXXX", base_json[PATH_MAX];
	struct regress_opts bo = *o;
	int ret = 0;

	if (!b->bin[0]) {
		if (o->base)
			snprintf(ref, sizeof(ref), "%s", o->base);
		else
			default_base(ref, sizeof(ref));
		pr_info("regress: %s: building base revision %s to measure it here", why, ref);
		if (regress_base_build(ref, b, err, sizeof(err))) {
			pr_err("regress: cannot measure: %s, and the base revision cannot be "
			       "built: %s",
			       why, err);
			return REGRESS_CANNOT;
		}
	}
	if (!mkdtemp(dir)) {
		pr_err("regress: cannot create a directory in /tmp: %s", strerror(errno));
		return REGRESS_HARNESS;
	}
	bo.paths_bin = b->bin;
	snprintf(base_json, sizeof(base_json), "%s/bench/baseline.json", b->dir);
	for (unsigned i = 0; i < r->nres && !ret; i++) {
		struct regress_result *x = &r->res[i], br;
		double now, then;
		int k = path_index(x->path, strlen(x->path));

		if (x->tier != 1 || k < 0 || (size_t)k >= ARRAY_SIZE(paths))
			continue; /* a kernel figure: the committed baseline holds */
		x->baseline = -1;
		if (!base_has_path(b, x->path))
			continue; /* new in this change: reported, not gated */
		memset(&br, 0, sizeof(br));
		ret = run_path(&paths[k], &bo, dir, &br);
		unlink(br.cg_file);
		if (ret)
			break;
		x->baseline = br.value;
		x->accepted = !baseline_value(o->baseline, x->id, &now) &&
			      (baseline_value(base_json, x->id, &then) || now != then);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(paths); i++) {
		snprintf(err, sizeof(err), "%s/%s.log", dir, paths[i].name);
		unlink(err);
	}
	rmdir(dir);
	if (ret) {
		pr_err("regress: the base revision %s's lr-paths failed under callgrind",
		       b->short_sha);
		return REGRESS_HARNESS;
	}
	snprintf(r->paired, sizeof(r->paired), "%.250s: base %s built and measured here", why,
		 b->short_sha);
	snprintf(r->base_commit, sizeof(r->base_commit), "%s", b->short_sha);
	r->mismatch[0] = '\0';
	return 0;
}

/* Refuses to write the committed baseline from a tree or a build with changes: the file names
 * a commit, and its figures must be that commit's. Returns 0 or -EPERM (message logged). */
static int baseline_clean(const char *path)
{
	char top[PATH_MAX], want[PATH_MAX + 32], real[PATH_MAX], line[256];

	if (cmd_line("git rev-parse --show-toplevel 2>/dev/null", top, sizeof(top)))
		return 0; /* not in a repository: a scratch baseline */
	snprintf(want, sizeof(want), "%s/bench/baseline.json", top);
	if (!realpath(path, real) || strcmp(real, want))
		return 0; /* not the committed file */
	if (strstr(LR_GIT_COMMIT, "-dirty") ||
	    !cmd_line("git status --porcelain --untracked-files=no 2>/dev/null | "
		      "grep -v ' bench/baseline.json$'",
		      line, sizeof(line))) {
		pr_err("regress: --update-baseline: %s names a commit, but %s (commit or stash "
		       "the changes, 'make', then update the baseline)",
		       path,
		       strstr(LR_GIT_COMMIT, "-dirty") ? "this build was made from a tree with "
							 "changes"
						       : "the tree has changes");
		return -EPERM;
	}
	return 0;
}

/* --update-baseline: writes the run's figures as the baseline; returns the exit code. */
static int update_baseline(struct regress_run *r, const struct regress_opts *o)
{
	int ret = baseline_write(r, o->baseline);

	if (ret)
		pr_err("regress: cannot write %s: %s", o->baseline, strerror(-ret));
	else
		printf("regress: wrote %u Tier 1 figures to %s\n", r->nres, o->baseline);
	cleanup(r);
	return ret ? REGRESS_HARNESS : REGRESS_PASS;
}

/* The gate: measure, then write the baseline or compare with it, Tier 2, output. */
static int gate(struct regress_run *r, struct regress_opts *o, struct regress_base *b)
{
	int ret;

	bool want[ARRAY_SIZE(paths) + 8] = {false};
	const char *why = NULL;

	if (o->update && baseline_clean(o->baseline))
		return REGRESS_HARNESS;
	ret = measure(r, o);
	if (ret == -ENOENT)
		return REGRESS_CANNOT; /* no valgrind: nothing can be measured */
	if (ret)
		return REGRESS_HARNESS; /* the callgrind files and logs stay for a look */
	if (o->update)
		return update_baseline(r, o);
	wanted(o, want);
	ret = baseline_read(r, o->baseline, want);
	if (ret) {
		pr_err("regress: cannot read baseline %s (create it with 'linerate regress "
		       "--update-baseline')",
		       o->baseline);
		cleanup(r);
		return REGRESS_HARNESS;
	}
	for (unsigned i = 0; i < r->nres && !why; i++)
		if (r->res[i].baseline < 0)
			why = "a figure is not in the committed baseline";
	if (r->mismatch[0])
		why = r->mismatch;
	if (o->paired && !why)
		why = "--paired";
	if (why) {
		char because[300];

		snprintf(because, sizeof(because), "%s%s",
			 r->mismatch[0] ? "the committed baseline was made elsewhere: " : "", why);
		ret = paired(r, o, b, because);
		if (ret) {
			cleanup(r);
			return ret;
		}
	}
	judge(r);
	if (o->tier2_base && tier2(r, o)) {
		pr_err("regress: Tier 2 runs of %s or %s failed (are both lr-paths builds?)",
		       o->tier2_base, o->paths_bin);
		cleanup(r);
		return REGRESS_HARNESS;
	}
	ret = output(r, o);
	cleanup(r);
	return ret;
}

int cmd_regress(int argc, char **argv)
{
	static struct regress_run r;
	static char bin[PATH_MAX];
	struct regress_base b = {.dir = ""};
	struct regress_opts o = {.packets = 200000,
				 .threshold = 1.0,
				 .pairs = 16,
				 .baseline = "bench/baseline.json",
				 .paths_bin = bin};
	int ret;

	default_paths_bin(bin, sizeof(bin));
	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : REGRESS_HARNESS;
	memset(&r, 0, sizeof(r));
	r.threshold = o.threshold;
	if (o.tier2_base)
		snprintf(r.tier2_base, sizeof(r.tier2_base), "%s", o.tier2_base);
	if (o.base && base_prepare(&r, &o, &b))
		return REGRESS_HARNESS;
	ret = gate(&r, &o, &b);
	regress_base_remove(&b);
	return ret;
}
