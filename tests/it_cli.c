// SPDX-License-Identifier: MIT
/*
 * it_cli.c: what every program's command line promises, on the built programs: --version
 * everywhere (and exit 0), "-d 0s" (only at Ctrl-C) and "--stats-interval 0s" (never) where the
 * help says so, echo-dpdk's --port is the TCP port (its DPDK device is --dpdk-port), and tgen's
 * usage names every command, fwd-dpdk takes EAL options typed first without "--" (as DPDK's own
 * programs do) and -l means lcores there, not --link, and no program's option table gives a
 * long name or a short letter to two options.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it_helpers.h"

static const char *const programs[] = {"fwd-sock", "fwd-afp",  "fwd-xdp",   "fwd-dpdk", "echo-sock",
				       "echo-afp", "echo-xdp", "echo-dpdk", "tgen",     "linerate"};

Test(it_cli, every_program_answers_version)
{
	char bin[256], want[64];

	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		struct it_result r;

		snprintf(bin, sizeof(bin), "%s/%s", LR_BINDIR, programs[i]);
		it_runl(&r, bin, "--version", NULL);
		snprintf(want, sizeof(want), "%s (linerate) %s, commit ", programs[i], LR_VERSION);
		cr_assert_eq(r.status, 0, "%s --version: exit %d: %s", programs[i], r.status,
			     r.err);
		cr_assert(!strncmp(r.out, want, strlen(want)), "%s: %s", programs[i], r.out);
		it_result_free(&r);
	}
}

/* Checks one --help-table output: no long name twice, no short letter twice, and none of the
 * names every parser keeps (-h, --help, --version). */
static void table_names_unique(const char *what, const char *table)
{
	char longs[128][48], shorts[128];
	unsigned nl = 0, ns = 0;

	for (const char *l = table; (l = strstr(l, "| `")); l++) {
		const char *sh = strstr(l + 3, "| "), *lo;
		char name[48];

		cr_assert(sh, "%s: bad row %.60s", what, l);
		lo = strstr(sh + 2, "| `--");
		cr_assert(lo, "%s: bad row %.60s", what, l);
		if (sh[2] == '`') {
			cr_assert(sh[3] == '-' && sh[4] != 'h', "%s: -%c", what, sh[4]);
			for (unsigned i = 0; i < ns; i++)
				cr_assert_neq(shorts[i], sh[4], "%s: -%c twice", what, sh[4]);
			shorts[ns++] = sh[4];
		}
		cr_assert_eq(sscanf(lo + 5, "%47[a-z0-9-]", name), 1, "%s: %.60s", what, lo);
		cr_assert(strcmp(name, "help") && strcmp(name, "version"), "%s: --%s", what, name);
		for (unsigned i = 0; i < nl; i++)
			cr_assert_str_neq(longs[i], name, "%s: --%s twice", what, name);
		cr_assert_lt(nl, 128);
		snprintf(longs[nl++], sizeof(longs[0]), "%s", name);
		l = strchr(l, '\n');
		if (!l)
			break;
	}
	cr_assert_gt(nl, 0, "%s: no options in its table", what);
}

Test(it_cli, no_program_gives_a_long_name_or_short_letter_to_two_options)
{
	static const char *const cmds[][2] = {
		{"fwd-sock", NULL},    {"fwd-afp", NULL},         {"fwd-xdp", NULL},
		{"fwd-dpdk", NULL},    {"echo-sock", NULL},       {"echo-afp", NULL},
		{"echo-xdp", NULL},    {"echo-dpdk", NULL},       {"tgen", "run"},
		{"tgen", "selftest"},  {"tgen", "rfc2544"},       {"tgen", "echo"},
		{"linerate", "topo"},  {"linerate", "bench"},     {"linerate", "run"},
		{"linerate", "plot"},  {"linerate", "compare"},   {"linerate", "regress"},
		{"linerate", "table"}, {"linerate", "ringbench"},
	};
	char bin[256], what[64];

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct it_result r;

		snprintf(bin, sizeof(bin), "%s/%s", LR_BINDIR, cmds[i][0]);
		snprintf(what, sizeof(what), "%s %s", cmds[i][0], cmds[i][1] ? cmds[i][1] : "");
		if (cmds[i][1])
			it_runl(&r, bin, cmds[i][1], "--help-table", NULL);
		else
			it_runl(&r, bin, "--help-table", NULL);
		cr_assert_eq(r.status, 0, "%s --help-table: exit %d: %s", what, r.status, r.err);
		table_names_unique(what, r.out);
		it_result_free(&r);
	}
}

Test(it_cli, zero_durations_mean_forever_and_never_where_the_help_says_so)
{
	static const char *const progs[] = {"fwd-sock",  "fwd-afp",  "fwd-xdp",
					    "echo-sock", "echo-afp", "echo-xdp"};
	char bin[256];

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct it_result r;

		snprintf(bin, sizeof(bin), "%s/%s", LR_BINDIR, progs[i]);
		/* parsed in order: a refused value would stop before --version */
		it_runl(&r, bin, "-d", "0s", "--duration=0", "--version", NULL);
		cr_assert_eq(r.status, 0, "%s -d 0s: exit %d: %s", progs[i], r.status, r.err);
		it_result_free(&r);
	}
	{
		struct it_result r;

		it_runl(&r, LR_BINDIR "/fwd-afp", "--stats-interval", "0s", "--version", NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		it_result_free(&r);
		it_runl(&r, LR_BINDIR "/tgen", "run", "--stats-interval", "0s", "--version", NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		it_result_free(&r);
		it_runl(&r, LR_BINDIR "/tgen", "run", "--duration", "0s", NULL);
		cr_assert_neq(r.status, 0, "a trial of 0 s is still refused");
		cr_assert(strstr(r.err, "zero"), "%s", r.err);
		it_result_free(&r);
	}
}

Test(it_cli, echo_dpdk_port_is_the_tcp_port)
{
	struct it_result r;

	it_runl(&r, LR_BINDIR "/echo-dpdk", "--", "--port", "70000", NULL);
	cr_assert_neq(r.status, 0);
	cr_assert(strstr(r.err, "--port: '70000'") && strstr(r.err, "65535"),
		  "checked as a TCP port: %s", r.err);
	it_result_free(&r);
	it_runl(&r, LR_BINDIR "/echo-dpdk", "--help", NULL);
	cr_assert(strstr(r.out, "--dpdk-port DEVARGS"), "%s", r.out);
	cr_assert(strstr(r.out, "-p, --port N"), "%s", r.out);
	it_result_free(&r);
}

Test(it_cli, tgen_usage_names_every_command)
{
	struct it_result r;

	it_runl(&r, LR_BINDIR "/tgen", "--help", NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "run|selftest|rfc2544|echo"), "%s", r.out);
	it_result_free(&r);
}

Test(it_cli, fwd_dpdk_takes_eal_options_first_without_the_separator)
{
	struct it_result r;

	if (geteuid() != 0)
		cr_skip_test("DPDK needs root");
	it_runl(&r, "/usr/bin/timeout", "-s", "INT", "2", LR_BINDIR "/fwd-dpdk", "-l", "1",
		"--no-pci", "--vdev=net_null0", "--vdev=net_null1", NULL);
	cr_assert(it_contains(r.out, "net_null0 -> net_null1"), "%s%s", r.out, r.err);
	cr_assert(it_contains(r.out, "received"), "it ran and reported: %s", r.out);
	it_result_free(&r);
	/* mixed without "--": EAL refuses the program's option, and the message says where it goes */
	it_runl(&r, LR_BINDIR "/fwd-dpdk", "-l", "1", "--no-pci", "--vdev=net_null0",
		"--vdev=net_null1", "--bidir", NULL);
	cr_assert_neq(r.status, 0);
	cr_assert(it_contains(r.err, "the program's own after '--'"), "%s", r.err);
	it_result_free(&r);
}

Test(it_cli, docs_flags_md_is_current_and_no_short_option_means_two_things)
{
	struct it_result r;

	/* flags-doc.sh fails on a short letter with two meanings anywhere in the suite */
	it_runl(&r, "/bin/sh", "-c",
		"\"$0\"/bench/flags-doc.sh \"$1\" > /tmp/lr-flags-check.md && "
		"cmp /tmp/lr-flags-check.md \"$0\"/docs/flags.md; rc=$?; rm -f "
		"/tmp/lr-flags-check.md; "
		"exit $rc",
		LR_TOPDIR, LR_BINDIR, NULL);
	cr_assert_eq(r.status, 0,
		     "docs/flags.md is stale or a short option clashes (run 'make "
		     "flags'): %s%s",
		     r.out, r.err);
	it_result_free(&r);
}

/* fwd-dpdk on two net_null ports for a second; returns its stderr line about huge pages. */
static char *huge_line(const char *extra)
{
	struct it_result r;
	char *line, *s;

	it_runl(&r, "/usr/bin/timeout", "-s", "INT", "1", LR_BINDIR "/fwd-dpdk", "-l", "1",
		"--no-pci", "--vdev=net_null0", "--vdev=net_null1", "--", "--duration", "0s", extra,
		NULL);
	s = strstr(r.err, "huge pages: ");
	cr_assert_not_null(s, "no huge pages line: %s", r.err);
	line = strndup(s, strcspn(s, "\n"));
	it_result_free(&r);
	return line;
}

Test(it_cli, dpdk_programs_use_huge_pages_when_reserved_and_say_which)
{
	long before = -1;
	char *line;

	if (geteuid() != 0)
		cr_skip_test("DPDK and nr_hugepages need root");
	cr_assert_eq(it_read_long("/proc/sys/vm/nr_hugepages", &before), 0);
	it_write_long("/proc/sys/vm/nr_hugepages", 0);
	line = huge_line(NULL);
	cr_expect(it_contains(line, "off (fewer than 128 free"), "%s", line);
	free(line);
	it_write_long("/proc/sys/vm/nr_hugepages", 256);
	line = huge_line(NULL);
	cr_expect(it_contains(line, "on (the default when reserved"), "%s", line);
	free(line);
	line = huge_line("--hugepages=off");
	cr_expect(it_contains(line, "off (--hugepages off"), "the user's choice wins: %s", line);
	free(line);
	it_write_long("/proc/sys/vm/nr_hugepages", before);
}

Test(it_cli, the_documentation_points_at_files_that_exist)
{
	struct it_result r;

	it_runl(&r, LR_TOPDIR "/bench/check-docs.sh", NULL);
	cr_assert_eq(r.status, 0, "dangling references in the docs:\n%s%s", r.out, r.err);
	it_result_free(&r);
}
