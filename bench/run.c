// SPDX-License-Identifier: MIT
/*
 * run.c: `linerate run NAME... [knobs]`, one experiment (or a few) of the bench on its own,
 * with the same session as `linerate bench`: doctor, topology and huge pages, progress,
 * teardown on every exit path, results directory, plots and report. The knobs narrow or
 * lengthen it: --only a series, --size, --duration, --repeat, --profile.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "experiments.h"
#include "log.h"
#include "lr.h"
#include "runner.h"

#define MAX_NAMES 16

/* Writes the experiment list ("NAME: what it shows" lines) for --help into buf. */
static const char *summary(char *buf, size_t len)
{
	size_t used = (size_t)snprintf(
		buf, len,
		"Runs the named experiments of the bench (see 'linerate bench --help') and writes "
		"a results directory with plots and a report. --dry-run prints every command. "
		"Needs root. Experiments:");
	for (unsigned i = 0; i < exp_count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " %s (%s);", exp_all[i]->name,
					 exp_all[i]->summary);
	return buf;
}

int cmd_run(int argc, char **argv)
{
	struct bench_opts o = {.profile = EXP_PROFILE_QUICK, .hugepages = 512};
	struct cli_options t = {0};
	static char text[4096];
	const struct cli_program prog = {"linerate run", "[options] NAME...",
					 summary(text, sizeof(text)), t.opts};
	const char *names[MAX_NAMES];
	int first, ret;
	unsigned n = 0;

	log_set_prog("linerate run");
	bench_cli_options(&o, &t);
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first >= argc) {
		pr_err("missing experiment name (accepted: linerate, latency-load, batch, "
		       "hugepages, affinity, rings, echo, budget)");
		return LR_EXIT_USAGE;
	}
	for (int i = first; i < argc; i++) {
		if (!exp_find(argv[i])) {
			pr_err("unknown experiment '%s' (accepted: linerate, latency-load, batch, "
			       "hugepages, affinity, rings, echo, budget)",
			       argv[i]);
			return LR_EXIT_USAGE;
		}
		if (n < MAX_NAMES)
			names[n++] = argv[i];
	}
	return bench_session(&o, names, n, argc, argv);
}
