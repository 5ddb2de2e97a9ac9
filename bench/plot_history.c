// SPDX-License-Identifier: MIT
/*
 * plot_history.c: `linerate plot --history FILE`, the Tier 3 trend plots of `linerate
 * regress`. Reads the JSON-lines history (one object per figure per run, appended by
 * regress_history_append()) and draws one plot per Tier 1 metric: the value of each figure
 * per run, so that a step change stands out. A run is the set of lines that share "time"
 * and "commit"; runs are numbered in the order they first appear in the file.
 * Per plot, data/regress-history-<metric>.dat holds one gnuplot block per figure id
 * ("run value" lines) and plots/regress-history.gp draws it as PNG and SVG.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "experiments.h"
#include "json_read.h"
#include "regress.h"

#define HIST_KEYS 64 /* distinct metrics, or ids of one metric, a plot set handles */

/* One Tier 1 figure of one run, as read from the history. */
struct hist_point {
	unsigned run;
	char id[64], metric[32], unit[32];
	double value;
};

struct hist {
	struct hist_point *p;
	size_t n, cap;
	char (*runs)[128]; /* "time commit" of every run, in order of first appearance */
	unsigned nruns, runcap;
};

/* Returns the number (1..) of the run with this key, adding it if new; 0 when out of memory.
 * The newest runs are searched first: a run's lines are normally together. */
static unsigned run_number(struct hist *h, const char *key)
{
	for (unsigned i = h->nruns; i > 0; i--)
		if (!strcmp(h->runs[i - 1], key))
			return i;
	if (h->nruns == h->runcap) {
		unsigned cap = h->runcap ? 2 * h->runcap : 64;
		char(*r)[128] = realloc(h->runs, cap * sizeof(*r));

		if (!r)
			return 0;
		h->runs = r;
		h->runcap = cap;
	}
	snprintf(h->runs[h->nruns++], sizeof(*h->runs), "%s", key);
	return h->nruns;
}

/* Adds one history line; lines of Tier 2, of other schemas or unreadable ones are skipped. */
static int hist_add(struct hist *h, const char *line)
{
	char when[48], commit[64], key[128];
	double schema, tier;
	struct hist_point x;
	json_t *o = lr_json_line(line);
	bool skip = !o || lr_json_num(o, "schema_version", &schema) || schema != 1 ||
		    lr_json_num(o, "tier", &tier) || tier != 1 ||
		    lr_json_str(o, "time", when, sizeof(when)) ||
		    lr_json_str(o, "commit", commit, sizeof(commit)) ||
		    lr_json_str(o, "id", x.id, sizeof(x.id)) ||
		    lr_json_str(o, "metric", x.metric, sizeof(x.metric)) ||
		    lr_json_str(o, "unit", x.unit, sizeof(x.unit)) ||
		    lr_json_num(o, "value", &x.value);

	json_decref(o);
	if (skip)
		return 0;
	snprintf(key, sizeof(key), "%s %s", when, commit);
	x.run = run_number(h, key);
	if (!x.run)
		return -ENOMEM;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 256;
		struct hist_point *p = realloc(h->p, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		h->p = p;
		h->cap = cap;
	}
	h->p[h->n++] = x;
	return 0;
}

/* Reads a history file; returns 0 or -errno with one line in err. */
static int hist_load(struct hist *h, const char *path, char *err, size_t errlen)
{
	char line[2048];
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot read history %s: %s (written by 'linerate regress')",
			 path, strerror(errno));
		return ret;
	}
	while (!ret && fgets(line, sizeof(line), f))
		ret = hist_add(h, line);
	fclose(f);
	if (ret)
		snprintf(err, errlen, "reading %s: %s", path, strerror(-ret));
	else if (!h->n) {
		snprintf(err, errlen, "%s holds no Tier 1 figure (schema_version 1)", path);
		ret = -ENODATA;
	}
	return ret;
}

/* "instructions/packet" -> "instructions-per-packet", for file names. */
static void metric_slug(const char *metric, char *out, size_t len)
{
	size_t n = 0;

	for (; *metric && n + 6 < len; metric++) {
		if (*metric == '/')
			n += (size_t)snprintf(out + n, len - n, "-per-");
		else
			out[n++] = (*metric >= 'a' && *metric <= 'z') ||
						   (*metric >= '0' && *metric <= '9')
					   ? *metric
					   : '-';
	}
	out[n] = '\0';
}

/* Writes one block per figure id of metric: its title, then "run value" lines; returns the
 * number of blocks. */
static unsigned metric_blocks(const struct hist *h, const char *metric, FILE *f)
{
	char ids[HIST_KEYS][64];
	unsigned nids = 0;

	for (size_t i = 0; i < h->n; i++) {
		unsigned k = 0;

		if (strcmp(h->p[i].metric, metric))
			continue;
		while (k < nids && strcmp(ids[k], h->p[i].id))
			k++;
		if (k == nids && nids < HIST_KEYS)
			snprintf(ids[nids++], sizeof(ids[0]), "%s", h->p[i].id);
	}
	for (unsigned k = 0; k < nids; k++) {
		fprintf(f, "%s\"%s\"\n", k ? "\n\n" : "", ids[k]);
		for (size_t i = 0; i < h->n; i++)
			if (!strcmp(h->p[i].id, ids[k]) && !strcmp(h->p[i].metric, metric))
				fprintf(f, "%u %.4f\n", h->p[i].run, h->p[i].value);
	}
	return nids;
}

/* Writes and draws the trend plot of one metric; returns 0 or -errno with one line in err. */
static int draw_metric(const struct hist *h, const struct hist_point *m, const char *dir,
		       const char *scripts, char *err, size_t errlen)
{
	char slug[96], dat[PATH_MAX + 128], vars[PATH_MAX + 128], out[PATH_MAX + 128];
	char script[PATH_MAX + 32];
	const char *what = dat;
	unsigned nblocks;
	FILE *f;

	metric_slug(m->metric, slug, sizeof(slug));
	snprintf(dat, sizeof(dat), "%s/data/regress-history-%s.dat", dir, slug);
	snprintf(vars, sizeof(vars), "%s/data/regress-history-%s.vars.gp", dir, slug);
	snprintf(out, sizeof(out), "%s/regress-history-%s", dir, slug);
	snprintf(script, sizeof(script), "%s/regress-history.gp", scripts);
	f = fopen(dat, "we");
	if (!f)
		goto err_write;
	fprintf(f, "# linerate regress history: %s (%s) per run\n", m->metric, m->unit);
	nblocks = metric_blocks(h, m->metric, f);
	if (fclose(f))
		goto err_write;
	what = vars;
	f = plot_vars_open(vars, "linerate plot --history: the inputs of regress-history.gp",
			   scripts, dat, out);
	if (!f)
		goto err_write;
	plot_gp_string(f, "metric", m->metric);
	plot_gp_string(f, "unit", m->unit);
	fprintf(f, "nblocks = %u\nnruns = %u\n", nblocks, h->nruns);
	if (fclose(f))
		goto err_write;
	if (plot_gnuplot("png", vars, script, err, errlen))
		return -EIO;
	return plot_gnuplot("svg", vars, script, err, errlen);
err_write:
	snprintf(err, errlen, "cannot write %s: %s", what, strerror(errno));
	return -errno;
}

int regress_plot_history(const char *history, const char *dir, char *err, size_t errlen)
{
	char scripts[PATH_MAX], data[PATH_MAX + 8];
	const struct hist_point *done[HIST_KEYS];
	struct hist h = {0};
	unsigned ndone = 0;
	int ret;

	if (plot_find_scripts(scripts, sizeof(scripts))) {
		snprintf(err, errlen,
			 "cannot find the gnuplot scripts (plots/ above this binary's directory)");
		return -ENOENT;
	}
	ret = hist_load(&h, history, err, errlen);
	snprintf(data, sizeof(data), "%s/data", dir);
	if (!ret &&
	    ((mkdir(dir, 0755) && errno != EEXIST) || (mkdir(data, 0755) && errno != EEXIST))) {
		ret = -errno;
		snprintf(err, errlen, "cannot create %s: %s", data, strerror(errno));
	}
	/* one plot per metric, in the order the metrics first appear */
	for (size_t i = 0; !ret && i < h.n && ndone < HIST_KEYS; i++) {
		unsigned k = 0;

		while (k < ndone && strcmp(done[k]->metric, h.p[i].metric))
			k++;
		if (k < ndone)
			continue;
		done[ndone++] = &h.p[i];
		ret = draw_metric(&h, &h.p[i], dir, scripts, err, errlen);
	}
	free(h.p);
	free(h.runs);
	return ret ? ret : (int)ndone;
}
