// SPDX-License-Identifier: MIT
/*
 * regress_out.c: the output of `linerate regress`: the human report (verdict line in the
 * style of the kernel's performance robot, significant and negligible tables, environment,
 * top functions of regressed paths), JSON, report.md and JUnit XML; the Tier 3 history
 * (one JSON line per figure appended to a file) and the change plot of a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "experiments.h"
#include "regress.h"

static const char *verdict_name(int code)
{
	switch (code) {
	case REGRESS_PASS:
		return "pass";
	case REGRESS_CANNOT:
		return "cannot measure";
	case REGRESS_REGRESSION:
		return "regression";
	case REGRESS_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "harness error";
	}
}

static void table(const struct regress_run *r, FILE *f, bool significant, bool md)
{
	const char *sep = md ? " | " : "  ";
	unsigned shown = 0;

	for (unsigned i = 0; i < r->nres; i++) {
		const struct regress_result *x = &r->res[i];

		if (x->tier != 1 || x->significant != significant)
			continue;
		if (!shown++)
			fprintf(f, "%s%-44s%s%14s%s%14s%s%8s%s\n%s", md ? "| " : "", "figure", sep,
				"value", sep, "baseline", sep, "change", md ? " |" : "",
				md ? "|---|---:|---:|---:|\n" : "");
		if (x->baseline <= 0)
			fprintf(f, "%s%-44s%s%14.4f%s%14s%s%8s%s\n", md ? "| " : "", x->id, sep,
				x->value, sep, "new", sep, "-", md ? " |" : "");
		else
			fprintf(f, "%s%-44s%s%14.4f%s%14.4f%s%+7.2f%%%s%s\n", md ? "| " : "", x->id,
				sep, x->value, sep, x->baseline, sep, 100.0 * x->change,
				x->accepted && 100.0 * x->change > r->threshold ? " (accepted)"
										: "",
				md ? " |" : "");
	}
	if (!shown)
		fprintf(f, "(none)\n");
}

/* Tier 2 figures: candidate and baseline medians, change and its bootstrap 95% interval. */
static void tier2_table(const struct regress_run *r, FILE *f, bool md)
{
	const char *sep = md ? " | " : "  ";
	unsigned shown = 0;

	for (unsigned i = 0; i < r->nres; i++) {
		const struct regress_result *x = &r->res[i];

		if (x->tier != 2)
			continue;
		if (!shown++)
			fprintf(f, "%s\n%s%-40s%s%12s%s%12s%s%8s%s%18s%s\n%s",
				md ? "\n### Tier 2 (paired timing, evidence)\n"
				   : "\nTier 2 (paired timing, evidence; medians of the pairs):",
				md ? "| " : "", "figure", sep, "value", sep, "baseline", sep,
				"change", sep, "95% interval", md ? " |" : "",
				md ? "|---|---:|---:|---:|---:|\n" : "");
		fprintf(f, "%s%-40s%s%12.3f%s%12.3f%s%+7.2f%%%s%+8.2f%%..%+7.2f%%%s\n",
			md ? "| " : "", x->id, sep, x->value, sep, x->baseline, sep,
			100.0 * x->change, sep, 100.0 * x->lo, 100.0 * x->hi, md ? " |" : "");
	}
	if (r->tier2_note[0])
		fprintf(f, "%sinconclusive: %s\n", md ? "\n" : "", r->tier2_note);
}

/* The five functions with the most instructions of a path's callgrind output. */
static void top_functions(const struct regress_result *x, FILE *f)
{
	char cmd[REGRESS_STR + 96], line[512];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "callgrind_annotate --inclusive=no '%s' 2>/dev/null",
		 x->cg_file);
	p = popen(cmd, "r");
	if (!p)
		return;
	fprintf(f, "\ntop functions of %s (self instructions in the measured loop):\n", x->path);
	while (fgets(line, sizeof(line), p) && n < 5) {
		if (strstr(line, " (") && strchr(line, ':') && strchr("0123456789 ", line[0]) &&
		    !strstr(line, "PROGRAM TOTALS")) {
			fputs(line, f);
			n++;
		}
	}
	pclose(p);
}

void regress_print_human(const struct regress_run *r, FILE *f)
{
	fprintf(f, "%s\n\nsignificant changes (|change| >= %.1f%%):\n", r->verdict, r->threshold);
	table(r, f, true, false);
	fprintf(f, "\nnegligible changes:\n");
	table(r, f, false, false);
	tier2_table(r, f, false);
	fprintf(f, "\nenvironment:\n");
	for (unsigned i = 0; i < REGRESS_NCTX; i++)
		fprintf(f, "  %-9s %s\n", r->ctx[i].key, r->ctx[i].value);
	if (r->paired[0])
		fprintf(f, "  paired    %s\n", r->paired);
	for (unsigned i = 0; i < r->nres; i++)
		if (r->res[i].regressed)
			top_functions(&r->res[i], f);
}

void regress_print_json(const struct regress_run *r, FILE *f)
{
	fprintf(f, "{\"schema_version\": 1, \"context\": {");
	for (unsigned i = 0; i < REGRESS_NCTX; i++)
		fprintf(f, "%s\"%s\": \"%s\"", i ? ", " : "", r->ctx[i].key, r->ctx[i].value);
	fprintf(f,
		"}, \"baseline_commit\": \"%s\", \"paired\": \"%s\", \"verdict\": {\"code\": %d, "
		"\"name\": \"%s\", \"text\": \"%s\"}, \"results\": [",
		r->base_commit, r->paired, r->code, verdict_name(r->code), r->verdict);
	for (unsigned i = 0; i < r->nres; i++) {
		const struct regress_result *x = &r->res[i];

		fprintf(f,
			"%s{\"id\": \"%s\", \"metric\": \"%s\", \"value\": %.4f, \"unit\": "
			"\"%s\", \"tier\": %d, ",
			i ? ", " : "", x->id, x->metric, x->value, x->unit, x->tier);
		if (x->tier == 2)
			fprintf(f, "\"interval\": [%.6f, %.6f], ", x->lo, x->hi);
		if (x->baseline > 0)
			fprintf(f, "\"baseline\": %.4f, \"change\": %.6f}", x->baseline, x->change);
		else
			fprintf(f, "\"baseline\": null, \"change\": null}");
	}
	fprintf(f, "]}\n");
}

int regress_write_markdown(const struct regress_run *r, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "## linerate regress: %s\n\n%s\n\n### Significant changes\n\n",
		verdict_name(r->code), r->verdict);
	table(r, f, true, true);
	fprintf(f, "\n### Negligible changes\n\n");
	table(r, f, false, true);
	tier2_table(r, f, true);
	if (r->plot[0])
		fprintf(f, "\n### Plot\n\n![change per figure vs baseline](%s)\n", r->plot);
	fprintf(f, "\n### Environment\n\n");
	for (unsigned i = 0; i < REGRESS_NCTX; i++)
		fprintf(f, "- %s: `%s`\n", r->ctx[i].key, r->ctx[i].value);
	return fclose(f) ? -errno : 0;
}

int regress_write_junit(const struct regress_run *r, const char *path)
{
	unsigned fails = 0, tests = 0;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	for (unsigned i = 0; i < r->nres; i++) {
		fails += r->res[i].regressed;
		tests += r->res[i].tier == 1;
	}
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuite name=\"linerate-regress\" tests=\"%u\" failures=\"%u\">\n",
		tests, fails);
	for (unsigned i = 0; i < r->nres; i++) {
		const struct regress_result *x = &r->res[i];

		if (x->tier != 1)
			continue;
		fprintf(f, "  <testcase classname=\"regress.tier1\" name=\"%s\">", x->id);
		if (x->regressed)
			fprintf(f, "<failure message=\"%+.2f%% %s (%.4f vs %.4f)\"/>",
				100.0 * x->change, x->metric, x->value, x->baseline);
		else if (r->code == REGRESS_CANNOT)
			fprintf(f, "<skipped message=\"cannot measure\"/>");
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "</testsuite>\n");
	return fclose(f) ? -errno : 0;
}

/* Writes s as a JSON string body into out (quotes, backslashes and control bytes escaped). */
static void json_escape(char *out, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 7 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, len - n, "\\%c", c);
		else if (c < 0x20)
			n += (size_t)snprintf(out + n, len - n, "\\u%04x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* Creates every missing directory above path's last component ("mkdir -p dirname"). */
static int mkdir_parents(const char *path)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

/* One history line of result x; returns its length (the line is cut if it does not fit). */
static size_t history_line(char *buf, size_t len, const struct regress_run *r,
			   const struct regress_result *x, const char *when, const char *commit)
{
	char id[2 * sizeof(x->id)], metric[2 * sizeof(x->metric)], unit[2 * sizeof(x->unit)];
	char com[2 * REGRESS_STR];
	int n;

	json_escape(id, sizeof(id), x->id);
	json_escape(metric, sizeof(metric), x->metric);
	json_escape(unit, sizeof(unit), x->unit);
	json_escape(com, sizeof(com), commit);
	n = snprintf(buf, len,
		     "{\"schema_version\":1,\"time\":\"%s\",\"commit\":\"%s\",\"id\":\"%s\","
		     "\"metric\":\"%s\",\"value\":%.4f,\"unit\":\"%s\",\"tier\":%d,"
		     "\"verdict\":\"%s\"}\n",
		     when, com, id, metric, x->value, unit, x->tier, verdict_name(r->code));
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

int regress_history_append(const struct regress_run *r, const char *path, const char *commit)
{
	char when[32], line[1024];
	time_t now = time(NULL);
	struct tm tm;
	int fd, ret = mkdir_parents(path);

	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	for (unsigned i = 0; i < r->nres && !ret; i++) {
		size_t n = history_line(line, sizeof(line), r, &r->res[i], when, commit);

		/* one write per line: O_APPEND makes each one land whole at the end */
		if (write(fd, line, n) != (ssize_t)n)
			ret = errno ? -errno : -EIO;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The change plot's data: index, change %, interval lo % and hi %, kind, label. Kind 0 is a
 * Tier 1 figure within the threshold, 1 a Tier 1 regression, 2 a Tier 2 cycles figure. */
static unsigned change_data(const struct regress_run *r, FILE *f)
{
	unsigned n = 0;

	fprintf(f, "# linerate regress: change per figure vs baseline %s (percent)\n",
		r->base_commit);
	for (unsigned i = 0; i < r->nres; i++) {
		const struct regress_result *x = &r->res[i];
		bool t2 = x->tier == 2;

		if (x->baseline <= 0 || (t2 && strncmp(x->metric, "cycles", 6)))
			continue; /* new figures have no change; Mpps repeats cycles inverted */
		fprintf(f, "%u %.4f %.4f %.4f %d \"%s\"\n", n++, 100.0 * x->change,
			100.0 * (t2 ? x->lo : x->change), 100.0 * (t2 ? x->hi : x->change),
			t2 ? 2 : x->regressed, x->id);
	}
	return n;
}

/* Writes the change plot's data and variables files; returns the figure count or -errno. */
static int change_files(const struct regress_run *r, const char *dat, const char *vars,
			const char *scripts, const char *out)
{
	FILE *f = fopen(dat, "we");
	unsigned n;

	if (!f)
		return -errno;
	n = change_data(r, f);
	if (fclose(f))
		return -errno;
	f = plot_vars_open(vars, "linerate regress: the inputs of regress-change.gp", scripts, dat,
			   out);
	if (!f)
		return -errno;
	plot_gp_string(f, "base", r->base_commit);
	plot_gp_string(f, "tier2_base", r->tier2_base);
	fprintf(f, "nfig = %u\nthreshold = %.4f\n", n, r->threshold);
	return fclose(f) ? -errno : (int)n;
}

int regress_plot_changes(const struct regress_run *r, const char *dir, char *err, size_t errlen)
{
	char scripts[PATH_MAX], data[PATH_MAX], dat[PATH_MAX + 32], vars[PATH_MAX + 32];
	char out[PATH_MAX + 32], script[PATH_MAX + 32];
	int ret;

	if (plot_find_scripts(scripts, sizeof(scripts))) {
		snprintf(err, errlen,
			 "cannot find the gnuplot scripts (plots/ above this binary's directory)");
		return -ENOENT;
	}
	snprintf(data, sizeof(data), "%s/data/", dir);
	ret = mkdir_parents(data);
	if (ret) {
		snprintf(err, errlen, "cannot create %s: %s", data, strerror(-ret));
		return ret;
	}
	snprintf(dat, sizeof(dat), "%sregress-change.dat", data);
	snprintf(vars, sizeof(vars), "%sregress-change.vars.gp", data);
	snprintf(out, sizeof(out), "%s/regress-change", dir);
	snprintf(script, sizeof(script), "%s/regress-change.gp", scripts);
	ret = change_files(r, dat, vars, scripts, out);
	if (ret <= 0) {
		snprintf(err, errlen, "%s%s: %s", ret ? "cannot write " : "", dat,
			 ret ? strerror(-ret) : "no figure has a baseline to compare with");
		return ret ? ret : -ENODATA;
	}
	ret = plot_gnuplot("png", vars, script, err, errlen);
	return ret ? ret : plot_gnuplot("svg", vars, script, err, errlen);
}
