// SPDX-License-Identifier: MIT
/*
 * it_regress.c: `linerate regress`, the CI gate, end to end under valgrind. Each test writes
 * its own baseline in /tmp (so it does not depend on the committed one) with a small packet
 * count, then checks the verdicts: unchanged code passes twice with identical figures, the
 * regressions planted in the product code (lr-paths-plant-fwdN: common/fwd.c; -loopN:
 * fwd_run.c's loop; about +2% and +20%) exit 3 naming a path that runs that code, a baseline
 * from another context makes the gate measure the base revision here (paired Tier 1) and
 * still catch a plant, a baseline figure the run did not produce fails it, the committed
 * baseline is not written from a dirty build, an lr-paths that measures
 * nothing is a harness error (1), and Tier 2 of unchanged code against itself exits 0 or 4
 * (inconclusive), never 3; its timings are not asserted. --base HEAD builds the committed
 * lr-paths in /tmp, names its short sha in the verdict and removes the tree; an unknown
 * revision is one line and exit 1; two runs append one history line per figure each, matching
 * their JSON output, which `linerate plot --history` draws; --history none writes nothing;
 * --report gets a change plot it links. The sanitizer build runs
 * the non-sanitized lr-paths of build/bin (valgrind cannot run ASan programs). The kernel
 * figures (which need the lr- topology) are left out with --no-kernel: it_kcount.c tests them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
		       "--history", "none", "--no-kernel", "--paths-bin", bin,
		       extra ? extra : "--format", extra ? NULL : "human", NULL);
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

/* Expects exit 3 from bin with the verdict naming one of the paths in names ("a|b|c"), and no
 * other path than those regressed. */
static void expect_regression_of(struct it_result *r, const char *names)
{
	char *line = strndup(r->out, strcspn(r->out, "\n")), want[64];
	bool named = false;

	cr_assert_eq(r->status, 3, "exit %d: %s%s", r->status, r->out, r->err);
	for (const char *s = names; *s; s += strcspn(s, "|") + (s[strcspn(s, "|")] == '|')) {
		snprintf(want, sizeof(want), "regression of %.*s instructions/packet at 64 B vs ",
			 (int)strcspn(s, "|"), s);
		named |= it_contains(line, want);
	}
	cr_assert(named, "the verdict names one of %s: %s", names, line);
	cr_assert_eq(line[0], '+', "a cost increase: %s", line);
	cr_assert(it_contains(r->out, "top functions of "), "%s", r->out);
	cr_assert(!it_contains(r->out, "top functions of tcp-echo"), "only forwarding was planted");
	cr_assert(!it_contains(r->out, "top functions of ring-"), "only forwarding was planted");
	free(line);
}

static void expect_regression(const char *bin, const char *names)
{
	struct it_result r;

	regress(&r, bin, NULL);
	expect_regression_of(&r, names);
	it_result_free(&r);
}

Test(it_regress, planted_regression_of_2_percent_in_fwd_c_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant-fwd4", "fwd|fwd-run|fwd-dpdk");
}

Test(it_regress, planted_regression_of_20_percent_in_fwd_c_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant-fwd44", "fwd|fwd-run|fwd-dpdk");
}

Test(it_regress, planted_regression_of_2_percent_in_the_loop_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant-loop4", "fwd-run");
}

Test(it_regress, planted_regression_of_20_percent_in_the_loop_is_caught)
{
	write_baseline();
	expect_regression(PATHS_DIR "/lr-paths-plant-loop44", "fwd-run");
}

/* Makes the test's baseline look as if made on another CPU. */
static void baseline_from_elsewhere(void)
{
	char cmd[128];

	write_baseline();
	snprintf(cmd, sizeof(cmd), "sed -i 's/\"cpu\": \"[^\"]*\"/\"cpu\": \"lr-other\"/' %s",
		 base);
	cr_assert_eq(system(cmd), 0);
}

Test(it_regress, other_context_pairs_with_the_base_revision_and_still_gates)
{
	struct it_result r;
	char *sha = it_capture("git", "rev-parse", "--short=12", "HEAD", NULL);

	if (!sha)
		cr_skip_test("not run from a git checkout");
	sha[strcspn(sha, "\n")] = '\0';
	baseline_from_elsewhere();
	/* the planted build against HEAD's own lr-paths, built and measured in this run */
	regress(&r, PATHS_DIR "/lr-paths-plant-fwd44", "--base=HEAD");
	expect_regression_of(&r, "fwd|fwd-run|fwd-dpdk");
	cr_assert(it_contains(r.out, "paired"), "the output says the base was measured: %s", r.out);
	cr_assert(it_contains(r.out, "lr-other"), "and why: %s", r.out);
	cr_assert(it_contains(r.out, sha), "and names the base %s: %s", sha, r.out);
	free(sha);
	it_result_free(&r);
}

Test(it_regress, no_base_revision_to_pair_with_is_exit_2)
{
	struct it_result r;

	baseline_from_elsewhere();
	/* outside any git checkout: the base revision cannot be built */
	it_runl(&r, "/bin/sh", "-c",
		"cd / && exec \"$0\" regress --packets " PACKETS " --baseline \"$1\" --history "
		"none --no-kernel --paths ring-mutex --paths-bin \"$2\"",
		IT_LINERATE, base, PATHS_DIR "/lr-paths", NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.err, "cannot measure"), "%s", r.err);
	cr_assert(it_contains(r.err, "not in a git repository"), "says what is missing: %s", r.err);
	it_result_free(&r);
}

Test(it_regress, a_baseline_figure_the_run_did_not_produce_fails_it)
{
	struct it_result r;
	char cmd[256];

	write_baseline();
	snprintf(cmd, sizeof(cmd),
		 "sed -i 's|^\\(    {\"id\": \"fwd/64_B.*\\)$|\\1\\n    {\"id\": "
		 "\"lr-gone/64_B/instructions/packet\", \"value\": 1.0},|' %s",
		 base);
	cr_assert_eq(system(cmd), 0);
	regress(&r, PATHS_DIR "/lr-paths", NULL);
	cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "missing figures"), "%s", r.out);
	cr_assert(it_contains(r.out, "lr-gone/64_B/instructions/packet"), "named: %s", r.out);
	it_result_free(&r);
}

Test(it_regress, the_committed_baseline_is_not_written_from_a_dirty_build)
{
	struct it_result r;
	char *top = it_capture("git", "rev-parse", "--show-toplevel", NULL), file[4200];
	char cmd[8600];
	int ret;

	if (!top)
		cr_skip_test("not run from a git checkout");
	char *version = it_capture(IT_LINERATE, "--version", NULL);
	bool dirty = version && strstr(version, "-dirty");

	free(version);
	/* linerate's own build decides the refusal, not this test binary's (the two may have
	 * been built at different states of the tree) */
	if (!dirty) {
		free(top);
		cr_skip_test("linerate's build is clean: the refusal needs a dirty one");
	}
	top[strcspn(top, "\n")] = '\0';
	snprintf(file, sizeof(file), "%s/bench/baseline.json", top);
	snprintf(cmd, sizeof(cmd), "cp -p '%s' '%s'", file, base); /* restored below, whatever */
	cr_assert_eq(system(cmd), 0);
	it_runl(&r, IT_LINERATE, "regress", "--packets", PACKETS, "--baseline", file, "--history",
		"none", "--no-kernel", "--paths", "ring-mutex", "--update-baseline", NULL);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", file, base);
	ret = system(cmd);
	snprintf(cmd, sizeof(cmd), "cp -p '%s' '%s'", base, file);
	if (ret && system(cmd))
		cr_log_error("could not restore %s from %s", file, base);
	cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.err, "changes"), "%s", r.err);
	cr_assert_eq(ret, 0, "the committed baseline was rewritten (and now restored)");
	free(top);
	it_result_free(&r);
}

Test(it_regress, a_reformatted_baseline_gates_the_same)
{
	struct it_result r;
	char cmd[512];

	write_baseline();
	/* compact, keys sorted: what a JSON tool or a hand edit may leave */
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
		 "open(sys.argv[1],\"w\").write(json.dumps(d,sort_keys=True,separators=(\",\","
		 "\":\")))' %s",
		 base);
	cr_assert_eq(system(cmd), 0);
	regress(&r, PATHS_DIR "/lr-paths", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "+0.00%"), "%s", r.out);
	it_result_free(&r);
	expect_regression(PATHS_DIR "/lr-paths-plant-fwd44", "fwd|fwd-run|fwd-dpdk");
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
		"--history", "none", "--no-kernel", NULL);
	cr_assert(r.status == 0 || r.status == 4, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "\"id\": \"fwd/64_B/cycles/packet\""), "%s", r.out);
	cr_assert(it_contains(r.out, "\"tier\": 2, \"interval\": ["), "%s", r.out);
	it_result_free(&r);
}

/* Tier 2 against a git revision, Tier 3 history and the plots (issue 7). The runs measure
 * two paths only (--paths) to stay fast. */
#define SOME_PATHS "fwd,ring-mutex"

/* Runs regress on SOME_PATHS against the test's baseline with up to four more arguments. */
static int regress_some(struct it_result *r, const char *a, const char *b, const char *c,
			const char *d)
{
	return it_runl(r, IT_LINERATE, "regress", "--packets", PACKETS, "--baseline", base,
		       "--paths", SOME_PATHS, "--paths-bin", PATHS_DIR "/lr-paths", a, b, c, d,
		       NULL);
}

/* The test's baseline of SOME_PATHS only. */
static void write_some_baseline(void)
{
	struct it_result r;

	regress_some(&r, "--update-baseline", NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "update-baseline failed: %s", r.err);
	it_result_free(&r);
}

Test(it_regress, base_head_builds_and_names_the_short_sha)
{
	struct it_result r;
	char *sha = it_capture("git", "rev-parse", "--short=12", "HEAD", NULL);
	const char *dir;
	char line[512];

	if (!sha)
		cr_skip_test("not run from a git checkout");
	sha[strcspn(sha, "\n")] = '\0';
	write_some_baseline();
	regress_some(&r, "--base", "HEAD", "--history", "none");
	cr_assert(r.status == 0 || r.status == 4, "exit %d: %s%s", r.status, r.out, r.err);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(r.out, "\n"), r.out);
	cr_assert(it_contains(line, "Tier 2 vs "), "%s", line);
	cr_assert(it_contains(line, sha), "the verdict names %s: %s", sha, line);
	dir = strstr(r.err, "/tmp/lr-regress-base-");
	cr_assert_not_null(dir, "the build directory is named: %s", r.err);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(dir, " \n"), dir);
	cr_assert(access(line, F_OK) != 0, "%s was not removed", line);
	free(sha);
	it_result_free(&r);
}

Test(it_regress, base_of_an_unknown_revision_is_a_harness_error)
{
	struct it_result r;

	write_some_baseline();
	regress_some(&r, "--base", "lr-no-such-rev", "--history", "none");
	cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.err, "unknown revision 'lr-no-such-rev'"), "%s", r.err);
	cr_assert_eq(it_count_lines(r.err), 1, "one line: %s", r.err);
	it_result_free(&r);
}

/* Checks that line is one flat JSON object of string and number values; returns the number
 * of keys, or -1 if it does not parse. */
static int flat_json_keys(const char *s)
{
	int keys = 0;

	if (*s++ != '{')
		return -1;
	while (*s != '}') {
		if (keys && *s++ != ',')
			return -1;
		if (*s++ != '"')
			return -1;
		s += strcspn(s, "\"\\");
		if (*s++ != '"' || *s++ != ':')
			return -1;
		if (*s == '"') {
			s += 1 + strcspn(s + 1, "\"\\");
			if (*s++ != '"')
				return -1;
		} else {
			char *end;

			strtod(s, &end);
			if (end == s)
				return -1;
			s = end;
		}
		keys++;
	}
	return s[1] == '\n' || s[1] == '\0' ? keys : -1;
}

/* Copies the text of "key":"..." or "key":number from a history line. */
static void field(const char *line, const char *key, char *out, size_t len)
{
	char pat[48];
	const char *s;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	s = strstr(line, pat);
	cr_assert_not_null(s, "no %s in %s", key, line);
	s += strlen(pat);
	if (*s == '"')
		s++;
	snprintf(out, len, "%.*s", (int)strcspn(s, "\",}"), s);
}

/* Checks one history line against the --format json output of the run that wrote it. */
static void check_history_line(const char *line, const char *json)
{
	char id[96], metric[64], value[32], unit[32], tier[8], verdict[32], expect[512];

	cr_assert_eq(flat_json_keys(line), 9, "not a flat JSON object of 9 keys: %s", line);
	cr_assert(!strncmp(line, "{\"schema_version\":1,\"time\":\"", 28), "%s", line);
	field(line, "id", id, sizeof(id));
	field(line, "metric", metric, sizeof(metric));
	field(line, "value", value, sizeof(value));
	field(line, "unit", unit, sizeof(unit));
	field(line, "tier", tier, sizeof(tier));
	field(line, "verdict", verdict, sizeof(verdict));
	snprintf(expect, sizeof(expect),
		 "{\"id\": \"%s\", \"metric\": \"%s\", \"value\": %s, \"unit\": \"%s\", "
		 "\"tier\": %s,",
		 id, metric, value, unit, tier);
	cr_assert(it_contains(json, expect), "%s\nnot in the run's JSON:\n%s", expect, json);
	snprintf(expect, sizeof(expect), "\"name\": \"%s\"", verdict);
	cr_assert(it_contains(json, expect), "verdict %s not in %s", verdict, json);
}

static unsigned count_of(const char *s, const char *needle)
{
	unsigned n = 0;

	for (s = strstr(s, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

Test(it_regress, history_gets_one_json_line_per_figure_per_run_and_plots)
{
	char dir[] = "/tmp/lr-regress-hist-XXXXXX", hist[128], png[160], cmd[192];
	struct it_result r[2], p;
	char *text, *line, *save;
	unsigned nres, n = 0;
	struct stat st;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(hist, sizeof(hist), "%s/sub/history.jsonl", dir);
	write_some_baseline();
	for (int i = 0; i < 2; i++) {
		regress_some(&r[i], "--history", hist, "--format", "json");
		cr_assert_eq(r[i].status, 0, "run %d: %s%s", i, r[i].out, r[i].err);
	}
	nres = count_of(r[0].out, "{\"id\": ");
	cr_assert_eq(nres, 2, "two paths, one Tier 1 figure each: %s", r[0].out);
	text = it_capture("cat", hist, NULL);
	cr_assert_not_null(text, "%s was not written", hist);
	cr_assert_eq(it_count_lines(text), 2 * nres, "%s", text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		check_history_line(line, r[n++ / nres].out);
	it_runl(&p, IT_LINERATE, "plot", "--history", hist, "--out", dir, NULL);
	cr_assert_eq(p.status, 0, "%s%s", p.out, p.err);
	for (const char *const *ext = (const char *const[]){"png", "svg", NULL}; *ext; ext++) {
		snprintf(png, sizeof(png), "%s/regress-history-instructions-per-packet.%s", dir,
			 *ext);
		cr_assert(stat(png, &st) == 0 && st.st_size > 0, "%s missing or empty", png);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(text);
	it_result_free(&r[0]);
	it_result_free(&r[1]);
	it_result_free(&p);
}

Test(it_regress, history_none_writes_nothing)
{
	struct it_result r;
	struct stat before, after;
	int had = stat("results/regress-history.jsonl", &before);

	write_some_baseline();
	regress_some(&r, "--history", "none", "--format", "human");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	if (had)
		cr_assert(stat("results/regress-history.jsonl", &after) != 0,
			  "the default history was created");
	else
		cr_assert(stat("results/regress-history.jsonl", &after) == 0 &&
				  after.st_size == before.st_size,
			  "the default history grew");
	it_result_free(&r);
}

Test(it_regress, plot_draws_the_change_chart_and_the_report_links_it)
{
	char dir[] = "/tmp/lr-regress-plot-XXXXXX", report[96], f[128], cmd[128];
	struct it_result r;
	struct stat st;
	char *md;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(report, sizeof(report), "%s/report.md", dir);
	write_some_baseline();
	regress_some(&r, "--history", "none", "--report", report);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	for (const char *const *ext = (const char *const[]){"png", "svg", NULL}; *ext; ext++) {
		snprintf(f, sizeof(f), "%s/regress-change.%s", dir, *ext);
		cr_assert(stat(f, &st) == 0 && st.st_size > 0, "%s missing or empty", f);
	}
	md = it_capture("cat", report, NULL);
	cr_assert(it_contains(md, "](regress-change.png)"), "report.md links the plot: %s", md);
	snprintf(f, sizeof(f), "%s/data/regress-change.dat", dir);
	free(md);
	md = it_capture("cat", f, NULL);
	cr_assert_eq(count_of(md, "\n0 ") + count_of(md, "\n1 "), 2, "one bar per figure: %s", md);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(md);
	it_result_free(&r);
}
