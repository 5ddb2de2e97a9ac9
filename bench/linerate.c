// SPDX-License-Identifier: MIT
/*
 * linerate.c: the entry point of build/bin/linerate, which dispatches to one subcommand.
 * Start reading here; each subcommand lives in its own file (see commands.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "lr.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"table", cmd_table, "line-rate table: Mpps, Gbps and per-packet budget per frame size"},
	{"ringbench", cmd_ringbench,
	 "throughput of the lockfree and mutex rings between two cores"},
	{"topo", cmd_topo, "create, remove or show the lr- test topology (namespaces, veth)"},
	{"doctor", cmd_doctor,
	 "check what this machine can run and say how to fix what is missing"},
	{"bench", cmd_bench,
	 "the main job: every experiment, results, plots and report (make bench)"},
	{"run", cmd_run, "one experiment of the bench: linerate run NAME [knobs]"},
	{"plot", cmd_plot, "redraw the plots and the report of a results directory"},
	{"compare", cmd_compare, "two results directories side by side, with ratios"},
	{"regress", cmd_regress,
	 "CI regression gate: instructions per packet under callgrind vs bench/baseline.json"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: linerate COMMAND [options]   (linerate COMMAND --help for its options; "
		   "linerate --version)\n\n"
		   "Measures the cost of packet processing in the Linux kernel against kernel "
		   "bypass.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	log_set_prog("linerate");
	if (argc < 2) {
		usage(stderr);
		return LR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return LR_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		cli_version("linerate", stdout);
		return LR_EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	pr_err("unknown command '%s' (run 'linerate --help' for the list)", argv[1]);
	return LR_EXIT_USAGE;
}
