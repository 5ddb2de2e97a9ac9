// SPDX-License-Identifier: MIT
/*
 * report.c: report.html and report.md of a run directory, written from results.csv,
 * points.csv, meta.json and the plots `linerate plot` drew: per experiment what it shows,
 * every graph with how to read it, a table of every point (median, min..max over the
 * repeats, how many repeats were generator-bound, invalid, failed or skipped, and why), then
 * the environment. Both files come from one walk over the same content through a tiny
 * emitter with an HTML and a Markdown back end, so they cannot drift apart.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments.h"
#include "lr.h"
#include "runner.h"

#define MAX_COLS 8 /* metric columns in a table */

enum fmt {
	FMT_HTML,
	FMT_MD
};

/* What the report is made of, shared by both back ends. */
struct report {
	const char *dir;
	struct exp_results r;
	char *meta; /* meta.json text, NULL if absent */
	FILE *f;
	enum fmt fmt;
};

/* ---- The emitter -------------------------------------------------------------------------- */

/* Writes text escaped for the format. */
static void text(struct report *rp, const char *s)
{
	for (; *s; s++) {
		if (rp->fmt == FMT_HTML && (*s == '<' || *s == '>' || *s == '&'))
			fputs(*s == '<' ? "&lt;" : *s == '>' ? "&gt;" : "&amp;", rp->f);
		else if (rp->fmt == FMT_MD && (*s == '|' || *s == '*' || *s == '_'))
			fprintf(rp->f, "\\%c", *s);
		else
			fputc(*s, rp->f);
	}
}

static void __attribute__((format(printf, 2, 3))) textf(struct report *rp, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	text(rp, buf);
}

static void heading(struct report *rp, int level, const char *s)
{
	if (rp->fmt == FMT_HTML) {
		fprintf(rp->f, "<h%d id=\"", level);
		text(rp, s);
		fputs("\">", rp->f);
		text(rp, s);
		fprintf(rp->f, "</h%d>\n", level);
	} else {
		fprintf(rp->f, "\n%.*s ", level, "######");
		text(rp, s);
		fputs("\n\n", rp->f);
	}
}

static void para_start(struct report *rp)
{
	fputs(rp->fmt == FMT_HTML ? "<p>" : "", rp->f);
}

static void para_end(struct report *rp)
{
	fputs(rp->fmt == FMT_HTML ? "</p>\n" : "\n\n", rp->f);
}

static void para(struct report *rp, const char *s)
{
	para_start(rp);
	text(rp, s);
	para_end(rp);
}

static void image(struct report *rp, const char *name, const char *caption)
{
	if (rp->fmt == FMT_HTML)
		fprintf(rp->f,
			"<figure><a href=\"%s.svg\"><img src=\"%s.png\" alt=\"%s\" "
			"width=\"1000\"></a><figcaption>",
			name, name, name);
	else
		fprintf(rp->f, "![%s](%s.png)\n\n[SVG](%s.svg). ", name, name, name);
	text(rp, caption);
	fputs(rp->fmt == FMT_HTML ? "</figcaption></figure>\n" : "\n\n", rp->f);
}

static void table_row(struct report *rp, const char *const *cells, unsigned n, bool head)
{
	if (rp->fmt == FMT_HTML) {
		fputs("<tr>", rp->f);
		for (unsigned i = 0; i < n; i++) {
			fputs(head ? "<th>" : "<td>", rp->f);
			text(rp, cells[i]);
			fputs(head ? "</th>" : "</td>", rp->f);
		}
		fputs("</tr>\n", rp->f);
		return;
	}
	fputs("|", rp->f);
	for (unsigned i = 0; i < n; i++) {
		fputc(' ', rp->f);
		text(rp, cells[i]);
		fputs(" |", rp->f);
	}
	fputc('\n', rp->f);
	if (head) {
		fputs("|", rp->f);
		for (unsigned i = 0; i < n; i++)
			fputs("---|", rp->f);
		fputc('\n', rp->f);
	}
}

static void table_start(struct report *rp)
{
	fputs(rp->fmt == FMT_HTML ? "<table>\n" : "\n", rp->f);
}

static void table_end(struct report *rp)
{
	fputs(rp->fmt == FMT_HTML ? "</table>\n" : "\n", rp->f);
}

static void pre(struct report *rp, const char *s)
{
	fputs(rp->fmt == FMT_HTML ? "<pre>" : "```\n", rp->f);
	if (rp->fmt == FMT_HTML)
		text(rp, s);
	else
		fputs(s, rp->f);
	fputs(rp->fmt == FMT_HTML ? "</pre>\n" : "\n```\n\n", rp->f);
}

/* ---- The content -------------------------------------------------------------------------- */

const char *report_num(double v, char *buf, size_t len)
{
	double a = fabs(v);
	int decimals = a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : 6;

	snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

static void fmt_value(char *buf, size_t len, const struct exp_summary *s)
{
	char med[24], lo[24], hi[24];

	if (s->flag < 0)
		snprintf(buf, len, "-");
	else if (s->min == s->max)
		snprintf(buf, len, "%s", report_num(s->med, med, sizeof(med)));
	else
		snprintf(buf, len, "%s [%s..%s]", report_num(s->med, med, sizeof(med)),
			 report_num(s->min, lo, sizeof(lo)), report_num(s->max, hi, sizeof(hi)));
}

static void fmt_status(char *buf, size_t len, const struct exp_summary *s)
{
	size_t used = (size_t)snprintf(buf, len, "%s%u ok", s->flag == 3 ? "mixed: " : "",
				       s->n - s->genbound - s->undecided);

	if (s->genbound)
		used += (size_t)snprintf(buf + used, len - used, ", %u generator-bound",
					 s->genbound);
	if (s->undecided)
		used += (size_t)snprintf(buf + used, len - used, ", %u undecided", s->undecided);
	if (s->invalid)
		used += (size_t)snprintf(buf + used, len - used, ", %u invalid", s->invalid);
	if (s->failed)
		used += (size_t)snprintf(buf + used, len - used, ", %u failed", s->failed);
	if (s->skipped)
		used += (size_t)snprintf(buf + used, len - used, ", %u skipped", s->skipped);
	if (s->reason[0] && used < len)
		snprintf(buf + used, len - used, ": %s", s->reason);
}

/* The metrics of an experiment's plots, each once, with the series filter of their plot. */
static unsigned metrics_of(const struct exp_def *e, const struct exp_metric **m, const char **only,
			   unsigned max)
{
	unsigned n = 0;

	for (unsigned p = 0; p < EXP_MAX_PLOT && e->plots[p].name; p++)
		for (unsigned k = 0; k < EXP_MAX_MET && e->plots[p].metrics[k].field && n < max;
		     k++) {
			const struct exp_metric *c = &e->plots[p].metrics[k];
			bool dup = false;

			for (unsigned i = 0; i < n && !dup; i++)
				dup = m[i]->dut == c->dut && !strcmp(m[i]->field, c->field) &&
				      !strcmp(m[i]->unit, c->unit) && only[i] == e->plots[p].only;
			if (!dup) {
				only[n] = e->plots[p].only;
				m[n++] = c;
			}
		}
	return n;
}

static const struct exp_summary *find_point(const struct exp_summary *s, int n,
					    const struct exp_summary *want)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].series, want->series) && !strcmp(s[i].x, want->x))
			return &s[i];
	return NULL;
}

/* One table: a row per point, a column per metric ('-' where a metric's plot does not show
 * that series), then the repeats' status. */
static void points_table(struct report *rp, const struct exp_def *e)
{
	const struct exp_metric *m[MAX_COLS];
	const char *only[MAX_COLS];
	struct exp_summary *s[MAX_COLS] = {NULL}, *all = NULL;
	int ns[MAX_COLS], nall;
	unsigned nm = metrics_of(e, m, only, MAX_COLS);
	char head[MAX_COLS][96], val[MAX_COLS][96], status[384];
	const char *cells[MAX_COLS + 3];

	for (unsigned k = 0; k < nm; k++)
		ns[k] = exp_summarize(&rp->r, e, only[k], m[k], &s[k]);
	nall = nm ? exp_summarize(&rp->r, e, NULL, m[0], &all) : 0; /* every point, in order */
	table_start(rp);
	cells[0] = "series";
	cells[1] = e->xvar;
	for (unsigned k = 0; k < nm; k++) {
		snprintf(head[k], sizeof(head[k]), "%s%s (%s)", m[k]->dut ? "DUT " : "",
			 m[k]->label, m[k]->unit);
		cells[2 + k] = head[k];
	}
	cells[2 + nm] = "repeats";
	table_row(rp, cells, 3 + nm, true);
	for (int i = 0; i < nall; i++) {
		cells[0] = all[i].series;
		cells[1] = all[i].x;
		for (unsigned k = 0; k < nm; k++) {
			const struct exp_summary *v = find_point(s[k], ns[k], &all[i]);

			if (v)
				fmt_value(val[k], sizeof(val[k]), v);
			else
				snprintf(val[k], sizeof(val[k]), " ");
			cells[2 + k] = val[k];
		}
		fmt_status(status, sizeof(status), &all[i]);
		cells[2 + nm] = status;
		table_row(rp, cells, 3 + nm, false);
	}
	table_end(rp);
	for (unsigned k = 0; k < nm; k++)
		free(s[k]);
	free(all);
}

/* The sweep variables that are a DUT knob: their experiments say, per series, whether each
 * setting moved the figure beyond the repeats' spread (issue 11: "or the report says plainly
 * that here it makes no difference"). */
static bool knob_sweep(const struct exp_def *e)
{
	static const char *const knobs[] = {"huge", "affinity", "ring", "batch"};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(e->xvar, knobs[i]))
			return true;
	return false;
}

/* One setting against the series' first: the ratio of the medians, and whether the two
 * min..max ranges are apart (a difference) or overlap (none measured here). */
static void knob_line(struct report *rp, const struct exp_summary *ref, const struct exp_summary *s,
		      const struct exp_metric *m)
{
	char a[24], b[24];
	bool apart = s->min > ref->max || s->max < ref->min;

	textf(rp, "%s: %s %s %s vs %s %s %s: ", s->series, ref->x,
	      report_num(ref->med, a, sizeof(a)), m->unit, s->x, report_num(s->med, b, sizeof(b)),
	      m->unit);
	if (s->flag != 0 || ref->flag != 0)
		text(rp, "not all repeats ok (see the table), so no claim either way. ");
	else if (s->n < 2 || ref->n < 2)
		text(rp, "a single repeat has no spread to judge a difference by. ");
	else if (apart)
		textf(rp, "%.2fx, beyond the repeats' spread. ", s->med / ref->med);
	else
		text(rp, "the spreads overlap: no difference measured here. ");
}

/* For a knob sweep: each series' settings against its first one, main metric. */
static void knob_effects(struct report *rp, const struct exp_def *e)
{
	const struct exp_metric *m = &e->plots[0].metrics[0];
	struct exp_summary *s = NULL;
	int n = exp_summarize(&rp->r, e, e->plots[0].only, m, &s);
	bool any = false;

	for (int i = 0; i < n; i++) {
		const struct exp_summary *ref = NULL;

		for (int j = 0; j < i && !ref; j++)
			if (!strcmp(s[j].series, s[i].series))
				ref = &s[j];
		if (!ref || ref->flag < 0 || s[i].flag < 0 || ref->med <= 0)
			continue;
		if (!any)
			para_start(rp), text(rp, "What the knob did (median of the repeats): "),
				any = true;
		knob_line(rp, ref, &s[i], m);
	}
	if (any)
		para_end(rp);
	free(s);
}

static bool has_trials(const struct report *rp, const struct exp_def *e)
{
	for (size_t i = 0; i < rp->r.ntrials; i++)
		if (!strcmp(rp->r.trials[i].experiment, e->name))
			return true;
	return false;
}

static bool png_exists(const struct report *rp, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s.png", rp->dir, name);
	return !access(path, R_OK);
}

static void experiment(struct report *rp, const struct exp_def *e)
{
	heading(rp, 2, e->name);
	para(rp, e->summary);
	for (unsigned p = 0; p < EXP_MAX_PLOT && e->plots[p].name; p++) {
		if (png_exists(rp, e->plots[p].name)) {
			image(rp, e->plots[p].name, e->plots[p].caption);
			continue;
		}
		para_start(rp);
		textf(rp, "Plot %s: not drawn, no point of it was measured (see the table).",
		      e->plots[p].name);
		para_end(rp);
	}
	points_table(rp, e);
	if (knob_sweep(e))
		knob_effects(rp, e);
}

static void counts(struct report *rp)
{
	unsigned c[4] = {0};

	for (size_t i = 0; i < rp->r.ntrials; i++)
		c[rp->r.trials[i].outcome < 4 ? rp->r.trials[i].outcome : EXP_FAILED]++;
	para_start(rp);
	textf(rp,
	      "%zu trials: %u measured, %u skipped (a program not built), %u failed, %u "
	      "interrupted; %zu result rows in results.csv (the generator's row and the DUT's "
	      "final row of a trial share its trial id).",
	      rp->r.ntrials, c[EXP_MEASURED], c[EXP_SKIPPED], c[EXP_FAILED], c[EXP_INTERRUPTED],
	      rp->r.nrows);
	para_end(rp);
}

static const char how_to_read[] =
	"Every point was repeated; figures are the median of the repeats with error bars from "
	"the smallest to the largest. Filled markers are valid measurements of the device under "
	"test. Hollow markers (and hollow bars) are generator-bound: the generator could not "
	"offer what was asked, so the DUT was not the limit and the figure is a lower bound. A "
	"cross is invalid (impossible figures such as a rate above line rate): never a record. "
	"Every figure is a program's own counter from results.csv (columns in docs/results.md); "
	"raw/ keeps each program's output per trial (tNNNN-gen.out, tNNNN-dut.out, tNNNN.cmd).";

static void environment(struct report *rp)
{
	heading(rp, 2, "environment");
	if (!rp->meta) {
		para(rp, "meta.json is missing.");
		return;
	}
	para(rp, "meta.json: the machine, the software and the configuration of this run.");
	pre(rp, rp->meta);
}

static int fill(FILE *f, void *arg)
{
	struct report *rp = arg;

	rp->f = f;
	if (rp->fmt == FMT_HTML)
		fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>linerate bench "
		      "report</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:"
		      "auto;padding:1em}table{border-collapse:collapse;margin:1em 0}td,th{border:"
		      "1px solid #ccc;padding:3px 8px;font-size:90%}th{background:#eee}img{max-"
		      "width:100%}figure{margin:1em 0}figcaption{color:#333}pre{background:#f6f6f6;"
		      "padding:1em;overflow:auto}</style></head><body>\n",
		      f);
	heading(rp, 1, "linerate bench report");
	counts(rp);
	heading(rp, 2, "how to read it");
	para(rp, how_to_read);
	for (unsigned i = 0; i < exp_count; i++)
		if (has_trials(rp, exp_all[i]))
			experiment(rp, exp_all[i]);
	environment(rp);
	if (rp->fmt == FMT_HTML)
		fputs("</body></html>\n", f);
	return ferror(f) ? -EIO : 0;
}

int report_write(const char *dir, char *err, size_t errlen)
{
	struct report rp = {.dir = dir};
	char path[PATH_MAX + 32];
	int ret = exp_results_load(dir, &rp.r, err, errlen);

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	rp.meta = res_read_text(path);
	for (int k = FMT_HTML; k <= FMT_MD && !ret; k++) {
		rp.fmt = (enum fmt)k;
		snprintf(path, sizeof(path), "%s/report.%s", dir, k == FMT_HTML ? "html" : "md");
		ret = res_write_atomic(path, fill, &rp);
		if (ret)
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
	}
	free(rp.meta);
	exp_results_free(&rp.r);
	return ret;
}
