// SPDX-License-Identifier: MIT
/*
 * plot.c: `linerate plot DIR`, the plots of a run directory. For every plot of every
 * experiment that has data it writes data/<plot>.dat (the summarised points) and
 * data/<plot>.vars.gp (the variables the script needs), then runs gnuplot on
 * plots/<script>.gp twice, for <plot>.png and <plot>.svg. The same two files let anyone redraw
 * one plot by hand:  gnuplot -e "fmt='png'" data/NAME.vars.gp plots/SCRIPT.gp
 *
 * Data file formats (gnuplot data blocks, two blank lines apart, each with its title on its
 * first line, read with `index i` and `title columnheader(1)`):
 *   lines:  x  median  min  max  flag        one block per series (and metric)
 *   bars:   group  median  min  max  flag    one block per bar (sweep value or metric)
 * flag: 0 ok, 1 generator-bound (drawn hollow), 2 invalid only (drawn as a cross), 3 mixed
 * (repeats disagree or undecided: drawn as an open diamond, a patterned bar).
 */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "experiments.h"
#include "log.h"
#include "lr.h"
#include "regress.h"
#include "runner.h"
#include "topo.h"

#define MAX_KEYS  64
#define GP_OUT    8192
#define UP_LEVELS 5

/* snprintf() for error messages, which may be cut short on purpose. */
static void __attribute__((format(printf, 3, 4))) say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

int plot_find_scripts(char *buf, size_t len)
{
	char dir[PATH_MAX], probe[PATH_MAX + 64];

	if (runner_bindir(dir, sizeof(dir)))
		return -ENOENT;
	for (int up = 0; up <= UP_LEVELS; up++) {
		snprintf(probe, sizeof(probe), "%s/plots/linerate.gp", dir);
		if (!access(probe, R_OK)) {
			snprintf(buf, len, "%s/plots", dir);
			return 0;
		}
		/* installed: PREFIX/bin/linerate and PREFIX/share/linerate/plots (make install) */
		snprintf(probe, sizeof(probe), "%s/share/linerate/plots/linerate.gp", dir);
		if (!access(probe, R_OK)) {
			snprintf(buf, len, "%s/share/linerate/plots", dir);
			return 0;
		}
		char *slash = strrchr(dir, '/');

		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return -ENOENT;
}

/* An ordered set of names (series, bars, groups). */
struct keys {
	char k[MAX_KEYS][EXP_NAME];
	unsigned n;
};

static int key_index(struct keys *ks, const char *k)
{
	for (unsigned i = 0; i < ks->n; i++)
		if (!strcmp(ks->k[i], k))
			return (int)i;
	if (ks->n == MAX_KEYS)
		return -1;
	snprintf(ks->k[ks->n], EXP_NAME, "%s", k);
	return (int)ks->n++;
}

/* The summaries of every metric of a plot. */
struct plot_data {
	struct exp_summary *s[EXP_MAX_MET];
	int n[EXP_MAX_MET];
	unsigned nmet;
};

static void data_free(struct plot_data *d)
{
	for (unsigned m = 0; m < d->nmet; m++)
		free(d->s[m]);
}

/* Summarises a plot's metrics; returns the number of points with a value. */
static int data_load(const struct exp_results *r, const struct exp_def *e, const struct exp_plot *p,
		     struct plot_data *d)
{
	int with_value = 0;

	memset(d, 0, sizeof(*d));
	for (unsigned m = 0; m < EXP_MAX_MET && p->metrics[m].field; m++) {
		d->n[m] = exp_summarize(r, e, p->only, &p->metrics[m], &d->s[m]);
		if (d->n[m] < 0)
			return -ENOMEM;
		d->nmet = m + 1;
		for (int i = 0; i < d->n[m]; i++)
			with_value += d->s[m][i].flag >= 0;
	}
	return with_value;
}

static int cmp_x(const void *a, const void *b)
{
	double x = strtod(((const struct exp_summary *)a)->x, NULL);
	double y = strtod(((const struct exp_summary *)b)->x, NULL);

	return (x > y) - (x < y);
}

static void point_line(FILE *f, const char *x, const struct exp_summary *s)
{
	fprintf(f, "%s %.6g %.6g %.6g %d\n", x, s->med, s->min, s->max, s->flag);
}

/* Lines: one block per series and metric, points sorted by x. Returns the block count. */
static unsigned write_lines(FILE *f, const struct exp_plot *p, struct plot_data *d,
			    unsigned *nseries)
{
	struct keys series = {.n = 0};
	unsigned blocks = 0;

	for (unsigned m = 0; m < d->nmet; m++) /* series with a value: no empty legend entries */
		for (int i = 0; i < d->n[m]; i++)
			if (d->s[m][i].flag >= 0)
				key_index(&series, d->s[m][i].series);
	*nseries = series.n;
	for (unsigned m = 0; m < d->nmet; m++) {
		qsort(d->s[m], (size_t)d->n[m], sizeof(*d->s[m]), cmp_x);
		for (unsigned k = 0; k < series.n; k++) {
			if (blocks)
				fputs("\n\n", f);
			if (d->nmet > 1)
				fprintf(f, "\"%s %s\"\n", series.k[k], p->metrics[m].label);
			else
				fprintf(f, "\"%s\"\n", series.k[k]);
			for (int i = 0; i < d->n[m]; i++) {
				const struct exp_summary *s = &d->s[m][i];
				char *end;

				strtod(s->x, &end);
				if (!strcmp(s->series, series.k[k]) && s->flag >= 0 && !*end &&
				    end != s->x)
					point_line(f, s->x, s);
			}
			blocks++;
		}
	}
	return blocks;
}

/* Bars: groups are series; bars are the sweep values (one metric) or the metrics. */
static unsigned write_bars(FILE *f, const struct exp_plot *p, struct plot_data *d,
			   struct keys *groups)
{
	struct keys bars = {.n = 0};

	groups->n = 0;
	for (unsigned m = 0; m < d->nmet; m++)
		for (int i = 0; i < d->n[m]; i++) {
			if (d->s[m][i].flag < 0)
				continue;
			key_index(groups, d->s[m][i].series);
			key_index(&bars, d->nmet > 1 ? p->metrics[m].label : d->s[m][i].x);
		}
	for (unsigned b = 0; b < bars.n; b++) {
		if (b)
			fputs("\n\n", f);
		fprintf(f, "\"%s\"\n", bars.k[b]);
		for (unsigned m = 0; m < d->nmet; m++)
			for (int i = 0; i < d->n[m]; i++) {
				const struct exp_summary *s = &d->s[m][i];
				char g[16];

				if (s->flag < 0 ||
				    strcmp(d->nmet > 1 ? p->metrics[m].label : s->x, bars.k[b]))
					continue;
				snprintf(g, sizeof(g), "%d", key_index(groups, s->series));
				point_line(f, g, s);
			}
	}
	return bars.n;
}

void plot_gp_string(FILE *f, const char *name, const char *value)
{
	fprintf(f, "%s = '", name);
	for (; *value; value++)
		fputs(*value == '\'' ? "''" : (char[]){*value, 0}, f);
	fputs("'\n", f);
}

FILE *plot_vars_open(const char *path, const char *who, const char *scripts, const char *dat,
		     const char *out)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return NULL;
	fprintf(f, "# written by %s\n", who);
	plot_gp_string(f, "scripts", scripts);
	plot_gp_string(f, "datafile", dat);
	plot_gp_string(f, "outbase", out);
	return f;
}

/* Writes the script variables: files, format-independent sizes, axis tics of bar groups. */
static int write_vars(const char *path, const char *scripts, const char *dat, const char *out,
		      const char *xlabel, unsigned nblocks, unsigned nseries,
		      const struct keys *groups, double ghz, bool labelled)
{
	FILE *f = plot_vars_open(path, "linerate plot: the inputs of one plot script", scripts, dat,
				 out);

	if (!f)
		return -errno;
	plot_gp_string(f, "xlabel", xlabel);
	fprintf(f, "nblocks = %u\nnseries = %u\nngroups = %u\nghz = %.4f\nlabelled = %d\n", nblocks,
		nseries ? nseries : 1, groups->n, ghz, labelled);
	fprintf(f, "xtics_cmd = 'set xtics (");
	for (unsigned g = 0; g < groups->n; g++)
		fprintf(f, "%s\"%s\" %u", g ? ", " : "", groups->k[g], g);
	fprintf(f, ")'\n");
	if (fclose(f))
		return -errno;
	return 0;
}

int plot_gnuplot(const char *fmt, const char *vars, const char *script, char *err, size_t errlen)
{
	char set_fmt[32], *out = malloc(GP_OUT);
	const char *argv[] = {"gnuplot", "-e", set_fmt, vars, script, NULL};
	int rc;

	if (!out)
		return -ENOMEM;
	snprintf(set_fmt, sizeof(set_fmt), "fmt='%s'", fmt);
	rc = topo_run(argv, out, GP_OUT);
	if (rc)
		say(err, errlen, "gnuplot %s %s (%s) failed with %d: %s", vars, script, fmt, rc,
		    rc < 0 ? "gnuplot not found (apt-get install gnuplot-nox)" : topo_oneline(out));
	free(out);
	return rc ? -EIO : 0;
}

/* Returns true when some row of experiment e carries the program label rows (e.g. the
 * "rfc2544" rows of an NDR search), so a script can say which measure it shows. */
static bool has_label(const struct exp_results *r, const struct exp_def *e, const char *rows)
{
	size_t n = strlen(e->name);

	for (size_t i = 0; rows && i < r->nrows; i++)
		if (!strncmp(r->rows[i].experiment, e->name, n) &&
		    r->rows[i].experiment[n] == ':' && !strcmp(exp_row_label(&r->rows[i]), rows))
			return true;
	return false;
}

/* Writes one plot's data and draws it; returns 1 if drawn, 0 if it has no data, -errno. */
static int draw(const char *dir, const char *scripts, const struct exp_results *r,
		const struct exp_def *e, const struct exp_plot *p, char *err, size_t errlen)
{
	char dat[PATH_MAX + 64], vars[PATH_MAX + 64], out[PATH_MAX + 64], script[PATH_MAX + 64];
	struct keys *groups = calloc(1, sizeof(*groups));
	unsigned nblocks, nseries = 0;
	struct plot_data d;
	int ret = groups ? data_load(r, e, p, &d) : -ENOMEM;
	FILE *f;

	if (ret <= 0) /* no point with a value: the summaries may still hold points */
		goto out_data;
	snprintf(dat, sizeof(dat), "%s/data/%s.dat", dir, p->name);
	snprintf(vars, sizeof(vars), "%s/data/%s.vars.gp", dir, p->name);
	snprintf(out, sizeof(out), "%s/%s", dir, p->name);
	snprintf(script, sizeof(script), "%s/%s.gp", scripts, p->script);
	f = fopen(dat, "we");
	if (!f) {
		ret = -errno;
		say(err, errlen, "cannot write %s: %s", dat, strerror(errno));
		goto out_data;
	}
	fprintf(f, "# %s: %s (%s)\n", p->name, e->summary, p->metrics[0].unit);
	nblocks = p->kind == EXP_PLOT_LINES ? write_lines(f, p, &d, &nseries)
					    : write_bars(f, p, &d, groups);
	fclose(f);
	ret = write_vars(vars, scripts, dat, out, e->xlabel, nblocks, nseries, groups, r->tsc_ghz,
			 has_label(r, e, p->metrics[0].rows));
	if (ret)
		say(err, errlen, "cannot write %s: %s", vars, strerror(-ret));
	if (!ret)
		ret = plot_gnuplot("png", vars, script, err, errlen);
	if (!ret)
		ret = plot_gnuplot("svg", vars, script, err, errlen);
	if (!ret)
		ret = 1;
out_data:
	if (groups)
		data_free(&d);
	free(groups);
	return ret;
}

int plot_dir(const char *dir, const char *scripts_dir, char *err, size_t errlen)
{
	char scripts[PATH_MAX], data[PATH_MAX + 16];
	struct exp_results r;
	int drawn = 0, failed = 0, ret;

	if (scripts_dir)
		snprintf(scripts, sizeof(scripts), "%s", scripts_dir);
	else if (plot_find_scripts(scripts, sizeof(scripts))) {
		snprintf(err, errlen,
			 "cannot find the gnuplot scripts (plots/linerate.gp above "
			 "this binary's directory); give --plots DIR");
		return -ENOENT;
	}
	ret = exp_results_load(dir, &r, err, errlen);
	if (ret)
		return ret;
	snprintf(data, sizeof(data), "%s/data", dir);
	if (mkdir(data, 0755) && errno != EEXIST) {
		ret = failed = -errno;
		say(err, errlen, "cannot create %s: %s", data, strerror(errno));
	}
	/* a plot that fails does not stop the others; the first failure is returned */
	for (unsigned i = 0; i < exp_count && !failed; i++)
		for (unsigned k = 0; k < EXP_MAX_PLOT && exp_all[i]->plots[k].name; k++) {
			char why[512];
			int n = draw(dir, scripts, &r, exp_all[i], &exp_all[i]->plots[k], why,
				     sizeof(why));

			drawn += n > 0;
			if (n < 0 && !ret) {
				ret = n;
				say(err, errlen, "%s", why);
			}
		}
	exp_results_free(&r);
	return ret ? ret : drawn;
}

/* linerate plot --history FILE [--out DIR]: the trend plots of linerate regress's history. */
static int plot_history(const char *history, const char *out, int nargs)
{
	char dir[PATH_MAX], copy[PATH_MAX], err[768];
	int n;

	if (nargs) {
		pr_err("--history FILE takes no results directory (usage: linerate plot --history "
		       "FILE [--out DIR])");
		return LR_EXIT_USAGE;
	}
	snprintf(copy, sizeof(copy), "%s", history);
	snprintf(dir, sizeof(dir), "%s", out ? out : dirname(copy));
	n = regress_plot_history(history, dir, err, sizeof(err));
	if (n < 0) {
		pr_err("%s", err);
		return n == -ENOENT ? LR_EXIT_ENV : LR_EXIT_FAIL;
	}
	printf("plot: %d trend plot%s of %s drawn in %s (regress-history-*.png and .svg)\n", n,
	       n == 1 ? "" : "s", history, dir);
	return LR_EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
	const char *scripts = NULL, *history = NULL, *out = NULL;
	const struct cli_option opts[] = {
		{"plots", 0, CLI_STRING, &scripts, "DIR",
		 "directory of the gnuplot scripts (default: plots/ of the source tree, or "
		 "PREFIX/share/linerate/plots when installed)"},
		{"history", 0, CLI_STRING, &history, "FILE",
		 "draw the trend plots of a 'linerate regress' history instead (one per Tier 1 "
		 "metric)"},
		{"out", 0, CLI_STRING, &out, "DIR",
		 "with --history: where the plots go (default: the history file's directory)"},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate plot", "[options] DIR | --history FILE [--out DIR]",
		"Redraws the plots of a results directory (e.g. results/latest) from its "
		"results.csv and points.csv: data/*.dat, then PNG and SVG through the gnuplot "
		"scripts in plots/, and rewrites report.html and report.md. With --history, "
		"draws the value per run of every figure of a 'linerate regress' history "
		"(results/regress-history.jsonl) instead.",
		opts};
	char err[512];
	int first, ret, n;

	log_set_prog("linerate plot");
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (history)
		return plot_history(history, out, argc - first);
	if (out) {
		pr_err("--out DIR goes with --history FILE (a results directory is redrawn in "
		       "place)");
		return LR_EXIT_USAGE;
	}
	if (first + 1 != argc) {
		pr_err("%s (usage: linerate plot DIR, e.g. linerate plot results/latest)",
		       first >= argc ? "missing results directory" : "too many arguments");
		return LR_EXIT_USAGE;
	}
	snprintf(err, sizeof(err), "%s/results.csv", argv[first]);
	if (access(err, R_OK)) {
		pr_err("%s: %s (give a results directory, e.g. results/latest)", err,
		       strerror(errno));
		return LR_EXIT_USAGE;
	}
	n = plot_dir(argv[first], scripts, err, sizeof(err));
	if (n < 0) {
		pr_err("%s", err);
		return n == -ENOENT ? LR_EXIT_ENV : LR_EXIT_FAIL;
	}
	if (report_write(argv[first], err, sizeof(err))) {
		pr_err("%s", err);
		return LR_EXIT_FAIL;
	}
	printf("plot: %d plots drawn in %s (PNG and SVG), report.html and report.md rewritten\n", n,
	       argv[first]);
	return LR_EXIT_OK;
}
