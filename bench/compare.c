// SPDX-License-Identifier: MIT
/*
 * compare.c: `linerate compare DIR_A DIR_B`, the same points of two runs side by side: for
 * every experiment and every figure its plots show, the median of A, the median of B and
 * B / A. Points present in one run only are listed with '-'. This is the base of a later CI
 * regression mode, so --format csv prints the same table for machines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "experiments.h"
#include "log.h"
#include "lr.h"

/* Both runs' summaries of one metric of one experiment. */
struct side {
	struct exp_summary *s;
	int n;
};

static const struct exp_summary *lookup(const struct side *sd, const struct exp_summary *want)
{
	for (int i = 0; i < sd->n; i++)
		if (!strcmp(sd->s[i].series, want->series) && !strcmp(sd->s[i].x, want->x))
			return &sd->s[i];
	return NULL;
}

static void fmt_med(char *buf, size_t len, const struct exp_summary *s)
{
	char v[40];

	if (!s || s->flag < 0) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%s%s", report_num(s->med, v, sizeof(v)),
		 s->flag == 1   ? "*"
		 : s->flag == 2 ? "!"
		 : s->flag == 3 ? "~"
				: "");
}

static void print_row(int format, const struct exp_def *e, const struct exp_metric *m,
		      const struct exp_summary *key, const struct exp_summary *a,
		      const struct exp_summary *b)
{
	char va[32], vb[32], ratio[16] = "-", what[64];

	fmt_med(va, sizeof(va), a);
	fmt_med(vb, sizeof(vb), b);
	if (a && b && a->flag >= 0 && b->flag >= 0 && a->med != 0)
		snprintf(ratio, sizeof(ratio), "%.2f", b->med / a->med);
	snprintf(what, sizeof(what), "%s%s (%s)", m->dut ? "DUT " : "", m->label, m->unit);
	if (format == CLI_FORMAT_CSV)
		printf("%s,%s,%s,%s,%s,%s,%s\n", e->name, key->series, key->x, what, va, vb, ratio);
	else
		printf("%-13s %-16s %-9s %-22s %12s %12s %7s\n", e->name, key->series, key->x, what,
		       va, vb, ratio);
}

/* Prints every point of one metric: those of A in A's order, then those only in B. */
static void compare_metric(int format, const struct exp_def *e, const struct exp_metric *m,
			   const char *only, const struct exp_results *ra,
			   const struct exp_results *rb)
{
	struct side a = {NULL, 0}, b = {NULL, 0};

	a.n = exp_summarize(ra, e, only, m, &a.s);
	b.n = exp_summarize(rb, e, only, m, &b.s);
	for (int i = 0; i < a.n; i++)
		print_row(format, e, m, &a.s[i], &a.s[i], lookup(&b, &a.s[i]));
	for (int i = 0; i < b.n; i++)
		if (!lookup(&a, &b.s[i]))
			print_row(format, e, m, &b.s[i], NULL, &b.s[i]);
	free(a.s);
	free(b.s);
}

static void compare_all(int format, const struct exp_results *ra, const struct exp_results *rb)
{
	if (format == CLI_FORMAT_CSV)
		printf("experiment,series,x,metric,a,b,b_over_a\n");
	else
		printf("%-13s %-16s %-9s %-22s %12s %12s %7s\n", "experiment", "series", "x",
		       "metric", "A", "B", "B/A");
	for (unsigned i = 0; i < exp_count; i++) {
		const struct exp_def *e = exp_all[i];

		for (unsigned p = 0; p < EXP_MAX_PLOT && e->plots[p].name; p++) {
			/* the Gbps chart shows the Mpps figures again: compare each figure once */
			if (p &&
			    !strcmp(e->plots[p].metrics[0].field, e->plots[0].metrics[0].field) &&
			    e->plots[p].metrics[0].dut == e->plots[0].metrics[0].dut &&
			    e->plots[p].only == e->plots[0].only)
				continue;
			for (unsigned k = 0; k < EXP_MAX_MET && e->plots[p].metrics[k].field; k++)
				compare_metric(format, e, &e->plots[p].metrics[k], e->plots[p].only,
					       ra, rb);
		}
	}
	if (format != CLI_FORMAT_CSV)
		printf("(median over the repeats; * generator-bound, ! invalid only, - not "
		       "measured)\n");
}

int cmd_compare(int argc, char **argv)
{
	int format = CLI_FORMAT_HUMAN;
	const struct cli_option opts[] = {
		{"format", 'f', CLI_ENUM, &format, "FORMAT", "output format", cli_format_enum},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate compare", "[options] DIR_A DIR_B",
		"Prints the same points of two results directories side by side: the median of "
		"each figure in A and in B and the ratio B/A (e.g. linerate compare "
		"results/20260101-120000 results/latest).",
		opts};
	struct exp_results ra, rb;
	char err[512];
	int first, ret;

	log_set_prog("linerate compare");
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (argc - first != 2) {
		pr_err("%s (usage: linerate compare DIR_A DIR_B)",
		       argc - first < 2 ? "two results directories needed" : "too many arguments");
		return LR_EXIT_USAGE;
	}
	if (exp_results_load(argv[first], &ra, err, sizeof(err))) {
		pr_err("%s", err);
		return LR_EXIT_USAGE;
	}
	if (exp_results_load(argv[first + 1], &rb, err, sizeof(err))) {
		pr_err("%s", err);
		exp_results_free(&ra);
		return LR_EXIT_USAGE;
	}
	compare_all(format, &ra, &rb);
	exp_results_free(&ra);
	exp_results_free(&rb);
	return LR_EXIT_OK;
}
