// SPDX-License-Identifier: MIT
/*
 * it_doctor.c: `linerate doctor` on the real machine, as root. It passes here and names every
 * DPDK PMD, removes its throwaway lr-doctor namespace, says MISSING with the fix when a tool
 * cannot be found, and refuses non-root users and bad command lines.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "it_helpers.h"
#include "lr.h"

#define DOC_NS "lr-doctor"

static void teardown(void)
{
	struct it_result r;

	if (it_netns_exists(DOC_NS)) {
		it_runl(&r, "ip", "netns", "delete", DOC_NS, NULL); /* best effort */
		it_result_free(&r);
	}
}

TestSuite(doctor, .fini = teardown, .timeout = 60);

/* Returns a copy of the line of s that contains needle ("" if none). */
static char *line_with(const char *s, const char *needle)
{
	const char *p = s ? strstr(s, needle) : NULL, *start, *end;

	if (!p)
		return strdup("");
	for (start = p; start > s && start[-1] != '\n'; start--)
		;
	end = p + strcspn(p, "\n");
	return strndup(start, (size_t)(end - start));
}

Test(doctor, passes_as_root_and_names_every_pmd)
{
	static const char *const pmds[] = {"net_memif", "net_af_packet", "net_af_xdp", "net_null",
					   "net_ring"};
	char *links0 = it_snapshot_links(), *links1;
	struct it_result r;

	it_runl(&r, IT_LINERATE, "doctor", NULL);
	cr_expect_eq(r.status, LR_EXIT_OK, "doctor exited %d:\n%s%s", r.status, r.out, r.err);
	cr_expect_not(it_contains(r.out, "MISSING"), "%s", r.out);
	for (size_t i = 0; i < ARRAY_SIZE(pmds); i++) {
		char lib[64], *line = line_with(r.out, pmds[i]);

		snprintf(lib, sizeof(lib), "librte_%s.so", pmds[i]);
		cr_expect(it_contains(line, "OK") && it_contains(line, lib), "PMD %s: '%s'",
			  pmds[i], line);
		free(line);
	}
	cr_expect(it_contains(r.out, "netns + veth"), "%s", r.out);
	cr_expect(it_contains(r.out, "all ") && it_contains(r.out, " checks passed"), "%s", r.out);
	it_result_free(&r);

	cr_expect_not(it_netns_exists(DOC_NS), "doctor left namespace %s behind", DOC_NS);
	links1 = it_snapshot_links();
	cr_expect_str_eq(links1, links0, "doctor changed the root namespace's links");
	free(links0);
	free(links1);
}

Test(doctor, names_the_fix_for_a_missing_tool)
{
	const char *argv[] = {IT_LINERATE, "doctor", NULL};
	const char **env = it_env_with("PATH=/nonexistent-lr-doctor");
	struct it_result r;
	char *line;

	cr_assert_not_null(env);
	it_run_env(argv, env, &r);
	it_env_free(env);
	cr_expect_eq(r.status, LR_EXIT_ENV, "doctor without gnuplot in PATH exited %d", r.status);
	line = line_with(r.out, "gnuplot ");
	cr_expect(it_contains(line, "MISSING"), "gnuplot line: '%s'", line);
	cr_expect(it_contains(r.out, "fix: apt-get install gnuplot-nox"), "%s", r.out);
	cr_expect(it_contains(r.out, "checks failed"), "%s", r.out);
	free(line);
	it_result_free(&r);
}

Test(doctor, refuses_non_root_with_one_line)
{
	const char *argv[] = {IT_LINERATE, "doctor", NULL};
	struct it_result r;

	it_run_as_nobody(argv, &r);
	cr_expect_eq(r.status, LR_EXIT_NOPERM, "doctor as nobody exited %d: %s", r.status, r.err);
	cr_expect_eq(it_count_lines(r.err), 1, "want one line, got: %s", r.err);
	cr_expect(it_contains(r.err, "must run as root"), "%s", r.err);
	cr_expect_str_empty(r.out);
	it_result_free(&r);
}

Test(doctor, rejects_unknown_flags_and_arguments)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "doctor", "--frobnicate", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE, "unknown flag exited %d", r.status);
	cr_expect(it_contains(r.err, "--frobnicate"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "doctor", "extra", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE, "stray argument exited %d", r.status);
	it_result_free(&r);
}

Test(doctor, reports_what_real_nics_need_without_failing_for_it)
{
	static const char *const items[] = {"IOMMU", "vfio-pci", "NIC on vfio-pci",
					    "dpdk-devbind.py"};
	struct it_result r;

	it_runl(&r, IT_LINERATE, "doctor", NULL);
	cr_expect_eq(r.status, LR_EXIT_OK, "optional checks never fail the doctor:\n%s", r.out);
	cr_assert(it_contains(r.out, "real NICs (optional"), "%s", r.out);
	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		char *line = line_with(r.out, items[i]);

		/* each says OK, or n/a with the command that fixes it */
		cr_expect(it_contains(line, "OK") || (it_contains(line, "n/a") &&
						      (it_contains(line, "boot with") ||
						       it_contains(line, "modprobe") ||
						       it_contains(line, "dpdk-devbind.py -b") ||
						       it_contains(line, "make deps"))),
			  "%s: '%s'", items[i], line);
		free(line);
	}
	it_result_free(&r);
}
