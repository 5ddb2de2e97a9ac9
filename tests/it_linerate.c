// SPDX-License-Identifier: MIT
/*
 * it_linerate.c: the linerate program's own commands (table, ringbench, help) as a user runs
 * them: figures in the table, and one clear line plus exit code 2 for every bad input.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "it_helpers.h"
#include "lr.h"

/* Runs linerate with the given arguments and checks a usage error: exit 2, nothing on stdout,
 * one line on stderr that contains each of the expected fragments. */
static void expect_usage_error(const char *const argv[], const char *frag1, const char *frag2)
{
	struct it_result r;

	it_run(argv, &r);
	cr_expect_eq(r.status, LR_EXIT_USAGE, "%s %s: exit %d, stderr: %s", argv[1], argv[2],
		     r.status, r.err);
	cr_expect_eq(it_count_lines(r.err), 1, "one line expected:\n%s", r.err);
	cr_expect(it_contains(r.err, frag1), "'%s' missing in: %s", frag1, r.err);
	cr_expect(!frag2 || it_contains(r.err, frag2), "'%s' missing in: %s", frag2, r.err);
	it_result_free(&r);
}

Test(linerate, table_prints_the_anchor_figures)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "table", "--link", "10G", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(it_contains(r.out, "      64     14.881      7.619        67.20"), "%s", r.out);
	cr_expect(it_contains(r.out, "    1518      0.813      9.870      1230.40"), "%s", r.out);
	cr_expect_eq(it_count_lines(r.out), 9, "title, header, 7 sizes:\n%s", r.out);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "table", "--link", "40G", "--size", "64", "--format", "csv", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.out, "link,frame_size,mpps", 20), "%s", r.out);
	cr_expect(it_contains(r.out, "\n40G,64,59.523810,30.476190,16.8000,"), "%s", r.out);
	it_result_free(&r);
}

Test(linerate, bad_sizes_are_rejected_with_the_accepted_forms)
{
	const char *small[] = {IT_LINERATE, "table", "--size", "63", NULL};
	const char *big[] = {IT_LINERATE, "table", "--size", "9019", NULL};
	const char *garbage[] = {IT_LINERATE, "table", "--size", "64,abc", NULL};
	const char *range[] = {IT_LINERATE, "table", "--size", "1518:64:64", NULL};

	expect_usage_error(small, "'63' is below 64", "rfc2544");
	expect_usage_error(big, "'9019' is above 9018", "rfc2544");
	expect_usage_error(garbage, "'abc'", "64:1518:64");
	expect_usage_error(range, "1518:64:64", "rfc2544");
}

Test(linerate, unknown_flags_links_and_commands_are_rejected)
{
	const char *flag[] = {IT_LINERATE, "table", "--speed", "10G", NULL};
	const char *link[] = {IT_LINERATE, "table", "--link", "7G", NULL};
	const char *fmt[] = {IT_LINERATE, "table", "--format", "xml", NULL};
	const char *cmd[] = {IT_LINERATE, "tabel", NULL};
	const char *items[] = {IT_LINERATE, "ringbench", "--items", "lots", NULL};
	const char *size[] = {IT_LINERATE, "ringbench", "--size", "1000", NULL};

	expect_usage_error(flag, "unknown option '--speed'", "--help");
	expect_usage_error(link, "'7G'", "10G");
	expect_usage_error(fmt, "'xml'", "human|csv|json");
	expect_usage_error(cmd, "unknown command 'tabel'", "--help");
	expect_usage_error(items, "--items", "lots");
	expect_usage_error(size, "--size", "power of two");
}

Test(linerate, help_is_generated_from_the_option_table)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "table", "--help", NULL);
	cr_assert_eq(r.status, 0);
	cr_expect(it_contains(r.out, "--link") && it_contains(r.out, "--size") &&
			  it_contains(r.out, "--format"),
		  "%s", r.out);
	cr_expect(it_contains(r.out, "10G"), "the default link is shown:\n%s", r.out);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "--help", NULL);
	cr_assert_eq(r.status, 0);
	cr_expect(it_contains(r.out, "ringbench") && it_contains(r.out, "topo"), "%s", r.out);
	it_result_free(&r);
}
