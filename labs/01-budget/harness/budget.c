// SPDX-License-Identifier: MIT
/*
 * budget.c: lab01-budget, lab 01's program, built twice: with your budget.c and with the
 * reference. perf.sh runs both on the same measured figures.
 *
 *   lab01-budget table [--link 10G] [--hz HZ]
 *       line rate per RFC 2544 frame size, CSV as `linerate table --format csv` prints it
 *   lab01-budget place --name NAME --cycles C [--size 64] [--link 10G] [--hz HZ]
 *       one forwarder's measured cycles per packet against the budget, one CSV line:
 *       name,cycles_per_pkt,core_mpps,frame_size,link,budget_cycles,cores_needed,keeps_up
 *
 * --hz defaults to the TSC frequency of this machine (the clock cycles per packet are
 * counted in).
 */
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "cli.h"
#include "log.h"
#include "lr.h"
#include "rate.h"
#include "tsc.h"

struct opts {
	double link_bps;
	double hz;
	double cycles;
	long size;
	const char *name;
};

static void table(const struct opts *o)
{
	char link[16];

	rate_link_name(o->link_bps, link, sizeof(link));
	printf("link,frame_size,mpps,l2_gbps,ns_per_pkt,cycles_per_pkt\n");
	for (unsigned i = 0; i < 7; i++) {
		unsigned len = rate_rfc2544_sizes[i];
		double pps = lab01_pps(len, o->link_bps);

		printf("%s,%u,%.6f,%.6f,%.4f,%.2f\n", link, len, pps / 1e6, pps * len * 8 / 1e9,
		       lab01_budget_ns(len, o->link_bps),
		       lab01_budget_cycles(len, o->link_bps, o->hz));
	}
}

static void place(const struct opts *o)
{
	unsigned len = (unsigned)o->size;
	char link[16];

	rate_link_name(o->link_bps, link, sizeof(link));
	printf("%s,%.1f,%.4f,%u,%s,%.2f,%u,%s\n", o->name, o->cycles,
	       lab01_core_mpps(o->cycles, o->hz), len, link,
	       lab01_budget_cycles(len, o->link_bps, o->hz),
	       lab01_cores_needed(o->cycles, len, o->link_bps, o->hz),
	       lab01_keeps_up(o->cycles, len, o->link_bps, o->hz) ? "yes" : "no");
}

int main(int argc, char **argv)
{
	struct opts o = {.link_bps = 10e9, .size = 64, .name = "forwarder"};
	const struct cli_option table_opts[] = {
		{"link", 0, CLI_LINK, &o.link_bps, NULL, "link speed"},
		{"hz", 0, CLI_DOUBLE, &o.hz, "HZ", "CPU cycles per second", NULL, 0, 0,
		 "this machine's TSC"},
		{"cycles", 0, CLI_DOUBLE, &o.cycles, "C", "place: measured cycles per packet"},
		{"size", 's', CLI_INT, &o.size, "L", "place: frame size", NULL, RATE_MIN_FRAME,
		 RATE_MAX_JUMBO},
		{"name", 0, CLI_STRING, &o.name, "NAME", "place: the forwarder's name"},
		{NULL},
	};
	const struct cli_program prog = {
		.name = "lab01-budget",
		.usage = "[options] table|place",
		.summary = "Lab 01: line rate and per-packet budgets from your budget.c.",
		.opts = table_opts,
	};
	int first, ret = cli_parse(&prog, argc, argv, &first);

	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first != argc - 1 || (strcmp(argv[first], "table") && strcmp(argv[first], "place"))) {
		pr_err("lab01-budget: say table or place (see --help)");
		return LR_EXIT_USAGE;
	}
	if (o.hz <= 0) {
		if (tsc_init() < 0) {
			pr_err("lab01-budget: cannot calibrate the TSC; give --hz");
			return LR_EXIT_ENV;
		}
		o.hz = tsc_hz();
	}
	if (!strcmp(argv[first], "table"))
		table(&o);
	else
		place(&o);
	return LR_EXIT_OK;
}
