// SPDX-License-Identifier: MIT
/*
 * report.c (lab 01, given): places measured cycles per packet against the budget your
 * budget.c computes. Usage: budget-report CLOCK_GHZ SIZE NAME=CYCLES... ; prints one line per
 * forwarder and writes budget.dat (forwarder, cycles, budgets at 10G, 40G, 100G) for plot.gp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

int main(int argc, char **argv)
{
	static const double links[] = {10e9, 40e9, 100e9};
	double hz, b[3];
	unsigned size;
	FILE *dat;

	if (argc < 4) {
		fprintf(stderr, "usage: budget-report CLOCK_GHZ SIZE NAME=CYCLES...\n");
		return 2;
	}
	hz = strtod(argv[1], NULL) * 1e9;
	size = (unsigned)strtoul(argv[2], NULL, 10);
	if (hz <= 0 || size < 64) {
		fprintf(stderr, "budget-report: bad clock '%s' or size '%s'\n", argv[1], argv[2]);
		return 2;
	}
	for (unsigned i = 0; i < 3; i++)
		b[i] = lab_budget_cycles(links[i], size, hz);
	dat = fopen("budget.dat", "w");
	if (!dat) {
		perror("budget.dat");
		return 1;
	}
	printf("%u B frames, %.3f GHz clock: budget %.1f cycles at 10G, %.1f at 40G, %.1f at "
	       "100G\n",
	       size, hz / 1e9, b[0], b[1], b[2]);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		double cyc = eq ? strtod(eq + 1, NULL) : -1;

		if (!eq)
			continue;
		*eq = '\0';
		printf("  %-16s %9.1f cycles/packet: 10G %s, 40G %s, 100G %s\n", argv[i], cyc,
		       lab_keeps_up(cyc, links[0], size, hz) ? "keeps up" : "cannot",
		       lab_keeps_up(cyc, links[1], size, hz) ? "keeps up" : "cannot",
		       lab_keeps_up(cyc, links[2], size, hz) ? "keeps up" : "cannot");
		fprintf(dat, "\"%s\" %.1f %.1f %.1f %.1f\n", argv[i], cyc, b[0], b[1], b[2]);
	}
	return fclose(dat) ? 1 : 0;
}
