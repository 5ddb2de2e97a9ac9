// SPDX-License-Identifier: MIT
/*
 * it_regress.c: `linerate regress`, the CI gate, end to end under valgrind. Each test writes
 * its own baseline in /tmp (so it does not depend on the committed one) with a small packet
 * count, then checks the verdicts: unchanged code passes twice with identical figures, the
 * planted regressions of lr-paths-plant1 (about +2.7%) and lr-paths-plant8 (about +21%) exit 3
 * naming the fwd path, a baseline from another context exits 2, an lr-paths that measures
 * nothing is a harness error (1), and Tier 2 of unchanged code against itself exits 0 or 4
 * (inconclusive), never 3; its timings are not asserted. The sanitizer build runs
 * the non-sanitized lr-paths of build/bin (valgrind cannot run ASan programs).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define PATHS_DIR LR_BINDIR "/../../bin"
#else
#define PATHS_DIR LR_BINDIR
#endif
#define PACKETS "20000"

static char base[] = "/tmp/lr-regress-base-XXXXXX";

static void setup(void)
{
	int fd;

	if (access("/usr/bin/valgrind", X_OK) || access(PATHS_DIR "/lr-paths", X_OK))
		cr_skip_test("valgrind or %s/lr-paths missing (run 'make deps && make')",
			     PATHS_DIR);
	strcpy(base, "/tmp/lr-regress-base-XXXXXX");
	fd = mkstemp(base);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(base); /* best effort */
}

/* Runs linerate regress against the test's baseline with lr-paths variant bin. */
static int regress(struct it_result *r, const char *bin, const char *extra)
{
	return it_runl(r, IT_LINERATE, "regress", "--packets", PACKETS, "--baseline", base,
		       "--paths-bin", bin, extra ? extra : "--format", extra ? NULL : "human",
		       NULL);
}

static void write_baseline(void)
{
	struct it_result r;

	regress(&r, PATHS_DIR "/lr-paths", "--update-baseline");
	cr_assert_eq(r.status, 0, "update-baseline failed: %s", r.err);
	it_result_free(&r);
}

/* The figure lines of a human report (everything after the verdict line). */
static char *figures(const char *out)
{
	const char *s = strstr(out, "fwd/64_B");

	cr_assert_not_null(s, "no fwd figure in:\n%s", out);
	return strdup(s);
}

TestSuite(it_regress, .init = setup, .fini = teardown, .timeout = 120);

Test(it_regress, unchanged_code_passes_twice_with_identical_figures)
{
	struct it_result a, b;
	char *fa, *fb;

	write_baseline();
	regress(&a, PATHS_DIR "/lr-paths", NULL);
	regress(&b, PATHS_DIR "/lr-paths", NULL);
	cr_assert_eq(a.status, 0, "first run: %s%s", a.out, a.err);
	cr_assert_eq(b.status, 0, "second run: %s%s", b.out, b.err);
	cr_assert(it_contains(a.out, "pass:"), "%s", a.out);
	fa = figures(a.out);
	fb = figures(b.out);
	cr_assert_str_eq(fa, fb, "the two runs differ");
	cr_assert(it_contains(fa, "+0.00%"));
	cr_assert(!it_contains(fa, "-0.0") && !it_contains(fa, "+0.01"), "%s", fa);
	free(fa);
	free(fb);
	it_result_free(&a);
	it_result_free(&b);
}

static void expect_regression(const char *bin)
{
	struct it_result r;
	char *line;

	regress(&r, bin, NULL);
	cr_assert_eq(r.status, 3, "%s: exit %d: %s%s", bin, r.status, r.out, r.err);
	line = strndup(r.out, strcspn(r.out, "\n"));
	cr_assert(it_contains(line, "regression of fwd instructions/packet at 64 B vs "), "%s",
		  line);
	cr_assert_eq(line[0], '+', "a cost increase: %s", line);
	cr_assert(it_contains(r.out, "top functions of fwd"), "%s", r.out);
	cr_assert(!it_contains(r.out, "top functions of tcp-echo"), "only fwd was planted");
	free(line);
	it_result_free(&r);
}

Test(it_regress, planted_regression_of_2_percent_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant1");
}

Test(it_regress, planted_regression_of_20_percent_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant8");
}

Test(it_regress, other_context_needs_a_rebaseline)
{
	struct it_result r;
	char cmd[128];

	write_baseline();
	snprintf(cmd, sizeof(cmd), "sed -i 's/\"cpu\": \"[^\"]*\"/\"cpu\": \"lr-other\"/' %s",
		 base);
	cr_assert_eq(system(cmd), 0);
	regress(&r, PATHS_DIR "/lr-paths", NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "rebaseline needed"), "%s", r.out);
	cr_assert(it_contains(r.out, "lr-other"), "the verdict names the difference: %s", r.out);
	it_result_free(&r);
}

Test(it_regress, json_has_one_entry_per_figure)
{
	struct it_result r;

	write_baseline();
	regress(&r, PATHS_DIR "/lr-paths", "--format=json");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(it_contains(r.out, "\"schema_version\": 1"));
	cr_assert(it_contains(r.out, "\"id\": \"fwd/64_B/instructions/packet\""));
	cr_assert(it_contains(r.out, "\"id\": \"ring-mutex/burst_32/instructions/item\""));
	cr_assert(it_contains(r.out, "\"change\": 0.000000"), "%s", r.out);
	it_result_free(&r);
}

Test(it_regress, a_paths_program_that_measures_nothing_is_a_harness_error)
{
	struct it_result r;

	write_baseline();
	regress(&r, "/bin/true", NULL);
	cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.err, "/bin/true"), "the message names the program: %s", r.err);
	it_result_free(&r);
}

Test(it_regress, tier2_on_unchanged_code_is_never_a_regression)
{
	struct it_result r;

	write_baseline();
	it_runl(&r, IT_LINERATE, "regress", "--packets", PACKETS, "--baseline", base, "--paths-bin",
		PATHS_DIR "/lr-paths", "--tier2-base", PATHS_DIR "/lr-paths", "--format=json",
		NULL);
	cr_assert(r.status == 0 || r.status == 4, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "\"id\": \"fwd/64_B/cycles/packet\""), "%s", r.out);
	cr_assert(it_contains(r.out, "\"tier\": 2, \"interval\": ["), "%s", r.out);
	it_result_free(&r);
}
