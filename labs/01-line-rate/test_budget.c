// SPDX-License-Identifier: MIT
/*
 * test_budget.c (lab 01): the grader. Tasks 1-3 against the formula at 1G..100G and against
 * the project's own `linerate table` (one source of truth for line rate), task 4 at the edges.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "budget.h"

static const double links[] = {1e9, 10e9, 40e9, 100e9};
static const unsigned sizes[] = {64, 128, 512, 1518};

TestSuite(lab01, .timeout = 20);

Test(lab01, task1_line_rate_pps)
{
	cr_expect_float_eq(lab_line_rate_pps(10e9, 64), 14880952.38, 0.01,
			   "10G at 64 B is 14.88 Mpps; got %.2f pps", lab_line_rate_pps(10e9, 64));
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = 0; k < 4; k++) {
			double want = links[i] / ((sizes[k] + 20.0) * 8);

			cr_expect_float_eq(lab_line_rate_pps(links[i], sizes[k]), want, want * 1e-9,
					   "%.0f bit/s, %u B", links[i], sizes[k]);
		}
}

Test(lab01, task2_budget_ns)
{
	cr_expect_float_eq(lab_budget_ns(10e9, 64), 67.2, 1e-6, "10G at 64 B: 67.2 ns per frame");
	cr_expect_float_eq(lab_budget_ns(100e9, 1518), 123.04, 1e-6);
}

Test(lab01, task3_budget_cycles)
{
	cr_expect_float_eq(lab_budget_cycles(10e9, 64, 3e9), 201.6, 1e-6,
			   "10G at 64 B on a 3 GHz clock: 201.6 cycles");
	cr_expect_float_eq(lab_budget_cycles(40e9, 1518, 2e9), 615.2, 1e-6);
}

/* The same figures as the project's `linerate table --format csv`, row by row. */
Test(lab01, task1_to_3_agree_with_linerate_table)
{
	FILE *p =
		popen(LR_BINDIR "/linerate table --link 40G --size 64,128,1518 --format csv", "r");
	char line[256];
	unsigned rows = 0;

	cr_assert_not_null(p, "cannot run linerate (build the project first: make)");
	while (fgets(line, sizeof(line), p)) {
		unsigned size;
		double mpps, gbps, ns;

		if (sscanf(line, "40G,%u,%lf,%lf,%lf", &size, &mpps, &gbps, &ns) != 4)
			continue;
		rows++;
		cr_expect_float_eq(lab_line_rate_pps(40e9, size) / 1e6, mpps, 1e-5, "%u B", size);
		cr_expect_float_eq(lab_budget_ns(40e9, size), ns, 1e-3, "%u B", size);
	}
	cr_expect_eq(pclose(p), 0, "linerate table failed (build the project first: make)");
	cr_expect_eq(rows, 3, "linerate table printed %u rows", rows);
}

Test(lab01, task4_keeps_up)
{
	double budget = 67.2 * 2.0; /* 10G, 64 B, 2 GHz: 134.4 cycles */

	cr_expect(lab_keeps_up(100, 10e9, 64, 2e9), "100 cycles fit in 134.4");
	cr_expect(lab_keeps_up(budget, 10e9, 64, 2e9), "exactly the budget keeps up");
	cr_expect(!lab_keeps_up(budget + 0.5, 10e9, 64, 2e9), "half a cycle more does not");
	cr_expect(!lab_keeps_up(1000, 10e9, 64, 2e9), "a kernel path at 1000 cycles does not");
	cr_expect(lab_keeps_up(1000, 10e9, 1518, 2e9), "but it does at 1518 B");
	cr_expect(!lab_keeps_up(0, 10e9, 64, 2e9), "0: not measured");
	cr_expect(!lab_keeps_up(-1, 10e9, 64, 2e9), "-1: not measured");
}
