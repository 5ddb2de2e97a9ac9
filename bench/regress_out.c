// SPDX-License-Identifier: MIT
/*
 * regress_out.c: the output of `linerate regress`: the human report (verdict line in the
 * style of the kernel's performance robot, significant and negligible tables, environment,
 * top functions of regressed paths), JSON, report.md and JUnit XML.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "regress.h"

static const char *verdict_name(int code)
{
	switch (code) {
	case REGRESS_PASS:
		return "pass";
	case REGRESS_REBASELINE:
		return "rebaseline needed";
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
		fprintf(f, "%s%-44s%s%14.4f%s%14.4f%s%+7.2f%%%s\n", md ? "| " : "", x->id, sep,
			x->value, sep, x->baseline, sep, 100.0 * x->change, md ? " |" : "");
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
		"}, \"baseline_commit\": \"%s\", \"verdict\": {\"code\": %d, \"name\": \"%s\", "
		"\"text\": \"%s\"}, \"results\": [",
		r->base_commit, r->code, verdict_name(r->code), r->verdict);
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
		else if (r->code == REGRESS_REBASELINE)
			fprintf(f, "<skipped message=\"rebaseline needed\"/>");
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "</testsuite>\n");
	return fclose(f) ? -errno : 0;
}
