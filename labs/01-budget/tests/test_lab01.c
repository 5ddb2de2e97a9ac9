// SPDX-License-Identifier: MIT
/*
 * test_lab01.c: lab 01's grader. Task 1 and 2 are graded against `linerate table` itself (the
 * program's CSV output, run here) and against common/rate.h, which that program prints.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "rate.h"

static const double links[] = {1e9, 10e9, 25e9, 40e9, 100e9};
static const char *const link_names[] = {"1G", "10G", "25G", "40G", "100G"};

#define NLINKS (sizeof(links) / sizeof(links[0]))

static void expect_close(double got, double want, double rel, const char *what, unsigned len,
			 const char *link)
{
	cr_expect(fabs(got - want) <= rel * fabs(want), "%s for %u B at %s: %.6f, want %.6f", what,
		  len, link, got, want);
}

/* One row of `linerate table --format csv`. */
struct row {
	unsigned len;
	double mpps, ns, cycles;
};

/* Runs linerate table for a link and reads its 7 rows; returns how many it read. */
static unsigned linerate_table(const char *link, struct row *rows)
{
	char cmd[512], line[256], name[16];
	unsigned n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s/linerate table --link %s --format csv", LAB_BINDIR, link);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run %s (build it: make)", cmd);
	while (fgets(line, sizeof(line), p) && n < 7) {
		double gbps;

		if (sscanf(line, "%15[^,],%u,%lf,%lf,%lf,%lf", name, &rows[n].len, &rows[n].mpps,
			   &gbps, &rows[n].ns, &rows[n].cycles) == 6)
			n++;
	}
	cr_assert_eq(pclose(p), 0, "%s failed", cmd);
	return n;
}

/* ---- task 1: packets per second ---- */

Test(lab01_task1, pps_against_linerate_table, .timeout = 20)
{
	for (unsigned l = 0; l < NLINKS; l++) {
		struct row rows[7];
		unsigned n = linerate_table(link_names[l], rows);

		cr_assert_eq(n, 7, "linerate table --link %s printed %u rows", link_names[l], n);
		for (unsigned i = 0; i < n; i++) /* the table prints 6 decimals of Mpps */
			cr_expect(fabs(lab01_pps(rows[i].len, links[l]) / 1e6 - rows[i].mpps) <
					  2e-6,
				  "pps for %u B at %s: %.6f Mpps, linerate table says %.6f",
				  rows[i].len, link_names[l],
				  lab01_pps(rows[i].len, links[l]) / 1e6, rows[i].mpps);
	}
}

Test(lab01_task1, pps_every_size, .timeout = 10)
{
	for (unsigned l = 0; l < NLINKS; l++)
		for (unsigned len = RATE_MIN_FRAME; len <= RATE_MAX_JUMBO; len += 7)
			expect_close(lab01_pps(len, links[l]), rate_pps(len, links[l]), 1e-12,
				     "pps", len, link_names[l]);
}

Test(lab01_task1, pps_known_answers, .timeout = 10)
{
	/* from the Ethernet standard's arithmetic: 14.88 Mpps is "10G line rate at 64 B" */
	expect_close(lab01_pps(64, 10e9), 14880952.380952, 1e-9, "pps", 64, "10G");
	expect_close(lab01_pps(1518, 10e9), 812743.823147, 1e-9, "pps", 1518, "10G");
	expect_close(lab01_pps(64, 100e9), 148809523.809524, 1e-9, "pps", 64, "100G");
}

/* ---- task 2: budgets ---- */

Test(lab01_task2, budget_against_linerate_table, .timeout = 20)
{
	for (unsigned l = 0; l < NLINKS; l++) {
		struct row rows[7];
		unsigned n = linerate_table(link_names[l], rows);

		cr_assert_eq(n, 7);
		for (unsigned i = 0; i < n; i++) {
			/* the cycles column is at this machine's TSC frequency: recover it */
			double hz = rows[i].cycles / rows[i].ns * 1e9;

			cr_expect(fabs(lab01_budget_ns(rows[i].len, links[l]) - rows[i].ns) < 1e-4,
				  "budget for %u B at %s: %.4f ns, linerate table says %.4f",
				  rows[i].len, link_names[l],
				  lab01_budget_ns(rows[i].len, links[l]), rows[i].ns);
			cr_expect(fabs(lab01_budget_cycles(rows[i].len, links[l], hz) -
				       rows[i].cycles) < 0.02 + 1e-3 * rows[i].cycles,
				  "budget for %u B at %s: %.2f cycles, linerate table says %.2f",
				  rows[i].len, link_names[l],
				  lab01_budget_cycles(rows[i].len, links[l], hz), rows[i].cycles);
		}
	}
}

Test(lab01_task2, budget_known_answers, .timeout = 10)
{
	expect_close(lab01_budget_ns(64, 40e9), 16.8, 1e-9, "ns", 64, "40G");
	expect_close(lab01_budget_cycles(64, 40e9, 2e9), 33.6, 1e-9, "cycles at 2 GHz", 64, "40G");
	expect_close(lab01_budget_ns(1518, 1e9), 12304, 1e-9, "ns", 1518, "1G");
	expect_close(lab01_budget_cycles(1518, 100e9, 3e9), 369.12, 1e-9, "cycles at 3 GHz", 1518,
		     "100G");
}

/* ---- task 3: placing a forwarder against the budget ---- */

Test(lab01_task3, core_mpps, .timeout = 10)
{
	cr_expect(fabs(lab01_core_mpps(5000, 2e9) - 0.4) < 1e-12, "5000 cycles at 2 GHz: %.6f Mpps",
		  lab01_core_mpps(5000, 2e9));
	cr_expect(fabs(lab01_core_mpps(134.4, 2e9) - 14.880952) < 1e-6);
	cr_expect_eq(lab01_core_mpps(0, 2e9), 0);
	cr_expect_eq(lab01_core_mpps(-3, 2e9), 0);
}

Test(lab01_task3, cores_needed, .timeout = 10)
{
	/* 64 B at 10G on a 2 GHz core: a budget of 134.4 cycles */
	cr_expect_eq(lab01_cores_needed(100, 64, 10e9, 2e9), 1);
	cr_expect_eq(lab01_cores_needed(134.4, 64, 10e9, 2e9), 1, "exactly the budget: one core");
	cr_expect_eq(lab01_cores_needed(134.5, 64, 10e9, 2e9), 2);
	cr_expect_eq(lab01_cores_needed(268.8, 64, 10e9, 2e9), 2, "exactly two budgets: two cores");
	cr_expect_eq(lab01_cores_needed(5000, 64, 10e9, 2e9), 38);
	cr_expect_eq(lab01_cores_needed(5000, 1518, 10e9, 2e9), 3);
	cr_expect_eq(lab01_cores_needed(0, 64, 10e9, 2e9), 0);
}

Test(lab01_task3, keeps_up, .timeout = 10)
{
	cr_expect(lab01_keeps_up(100, 64, 10e9, 2e9));
	cr_expect(lab01_keeps_up(134.4, 64, 10e9, 2e9));
	cr_expect_not(lab01_keeps_up(135, 64, 10e9, 2e9));
	cr_expect_not(lab01_keeps_up(3300, 64, 10e9, 2e9), "fwd-afp's cost at 64 B and 10G");
	cr_expect(lab01_keeps_up(3300, 1518, 1e9, 2.1e9), "1G at 1518 B leaves 25838 cycles");
	cr_expect_not(lab01_keeps_up(0, 64, 10e9, 2e9), "no measurement is no verdict");
}
