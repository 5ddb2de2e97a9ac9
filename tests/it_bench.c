// SPDX-License-Identifier: MIT
/*
 * it_bench.c: the bench harness as a user runs it, as root, on small profiles and a temporary
 * results directory (--out) so results/ is never touched. `linerate run rings --profile
 * smoke` (ringbench always exists; the forwarder points run when the forwarders are built,
 * and are skipped with a reason when not) must leave a complete results directory: the
 * common CSV header, meta.json, points.csv, raw/, non-empty PNG plots with SVG twins and a
 * report that shows every PNG; every figure in results.csv must be the one the program
 * printed in raw/. `linerate plot` redraws, `linerate compare` of a run with itself gives
 * ratios of 1.00, Ctrl-C (SIGINT) after the first trial keeps what was measured, reports it
 * and leaves no lr- namespace, link or extra huge page behind, and the report renders in
 * headless Chromium.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "it_helpers.h"
#include "lr.h"
#include "results.h"
#include "topo_defs.h"

#define NR_HUGE     "/proc/sys/vm/nr_hugepages"
#define EXIT_SIGINT 130 /* what linerate bench returns after a stop signal */

static char tmp_dir[64];
static long nr_huge_at_init = -1;

static void setup(void)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/lr-it-bench.XXXXXX");
	cr_assert_eq(it_session_setup(tmp_dir, &nr_huge_at_init), 0, "mkdtemp: %s",
		     strerror(errno));
}

static void teardown(void)
{
	it_session_teardown(tmp_dir, nr_huge_at_init);
}

TestSuite(bench, .init = setup, .fini = teardown, .timeout = 120);

/* ---- Helpers --------------------------------------------------------------------------- */

/* Reads a whole file (malloc'd, NUL-terminated), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* Runs `linerate run EXP --profile smoke [--only ONLY] --out tmp_dir` and returns the run
 * directory (tmp_dir/latest resolved) in dir. */
static void latest_dir(char *dir, size_t len);

static void smoke_run(char *dir, size_t len, const char *exp, const char *only)
{
	struct it_result r;

	if (only)
		it_runl(&r, IT_LINERATE, "run", exp, "--profile", "smoke", "--only", only, "--out",
			tmp_dir, NULL);
	else
		it_runl(&r, IT_LINERATE, "run", exp, "--profile", "smoke", "--out", tmp_dir, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "linerate run %s exited %d:\n%s", exp, r.status, r.err);
	it_result_free(&r);
	latest_dir(dir, len);
}

/* Resolves tmp_dir/latest into dir (the run directory of the last run). */
static void latest_dir(char *dir, size_t len)
{
	char latest[128], target[64];
	ssize_t n;

	snprintf(latest, sizeof(latest), "%s/latest", tmp_dir);
	n = readlink(latest, target, sizeof(target) - 1);
	cr_assert_gt(n, 0, "%s is not a symlink: %s", latest, strerror(errno));
	target[n] = '\0';
	cr_assert_null(strchr(target, '/'), "latest should point at a sibling, not '%s'", target);
	snprintf(dir, len, "%s/%s", tmp_dir, target);
}

/* Returns the file names in dir ending with ext, one per line (malloc'd). */
static char *files_with(const char *dir, const char *ext)
{
	DIR *d = opendir(dir);
	size_t cap = 4096, used = 0, el = strlen(ext);
	char *out = calloc(1, cap);
	struct dirent *e;

	cr_assert(d && out, "cannot list %s", dir);
	while ((e = readdir(d))) {
		size_t nl = strlen(e->d_name);

		if (nl > el && !strcmp(e->d_name + nl - el, ext) && used + nl + 2 < cap)
			used += (size_t)snprintf(out + used, cap - used, "%s\n", e->d_name);
	}
	closedir(d);
	return out;
}

/* Asserts that path is a PNG of more than a few hundred bytes. */
static void assert_png(const char *path)
{
	static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	unsigned char head[8] = {0};
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0, "cannot open %s", path);
	cr_assert_eq(read(fd, head, sizeof(head)), (ssize_t)sizeof(head));
	fstat(fd, &st);
	close(fd);
	cr_expect(!memcmp(head, magic, sizeof(magic)), "%s is not a PNG", path);
	cr_expect_gt(st.st_size, 1000, "%s is only %lld bytes", path, (long long)st.st_size);
}

/* Checks every PNG of dir: a real PNG, an SVG twin, shown by report.html and report.md.
 * Returns how many there are. */
static unsigned check_plots(const char *dir)
{
	char *pngs = files_with(dir, ".png"), path[256], *save = NULL;
	char *html, *md;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s/report.html", dir);
	html = slurp(path);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	md = slurp(path);
	cr_assert(html && md, "report.html or report.md missing in %s", dir);
	for (char *png = strtok_r(pngs, "\n", &save); png; png = strtok_r(NULL, "\n", &save)) {
		char src[160];

		snprintf(path, sizeof(path), "%s/%s", dir, png);
		assert_png(path);
		snprintf(path, sizeof(path), "%s/%.*s.svg", dir, (int)strlen(png) - 4, png);
		cr_expect_eq(access(path, R_OK), 0, "no SVG beside %s", png);
		snprintf(src, sizeof(src), "src=\"%s\"", png);
		cr_expect(it_contains(html, src), "report.html does not show %s", png);
		snprintf(src, sizeof(src), "(%s)", png);
		cr_expect(it_contains(md, src), "report.md does not show %s", png);
		n++;
	}
	free(pngs);
	free(html);
	free(md);
	return n;
}

/* Returns the CSV header of the common schema (malloc'd), as common/results.c writes it. */
static char *schema_header(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	res_csv_header(f);
	fclose(f);
	return buf;
}

/* Returns cell i of a CSV line (no quoted commas before it) in buf. */
static const char *cell(const char *line, unsigned i, char *buf, size_t len)
{
	const char *p = line;

	for (unsigned k = 0; k < i && p; k++) {
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	snprintf(buf, len, "%.*s", p ? (int)strcspn(p, ",\n") : 0, p ? p : "");
	return buf;
}

/* Index of column name in the CSV header line. */
static unsigned col(const char *header, const char *name)
{
	char buf[64];

	for (unsigned i = 0; i < 64; i++)
		if (!strcmp(cell(header, i, buf, sizeof(buf)), name))
			return i;
	cr_assert_fail("column %s not in the header", name);
	return 0;
}

/* Returns row without its experiment, trial and repeat cells (the harness's own), as a
 * malloc'd string: what must equal the program's own line. Splitting at every comma is fine
 * here: those three come before the only quoted column (note). */
static char *program_cells(const char *header, const char *row)
{
	unsigned skip[3] = {col(header, "experiment"), col(header, "trial"), col(header, "repeat")};
	char *out = calloc(1, strlen(row) + 2), *w = out;
	unsigned i = 0;

	for (const char *p = row; out; i++) {
		size_t n = strcspn(p, ",");

		if (i != skip[0] && i != skip[1] && i != skip[2]) {
			memcpy(w, p, n);
			w += n;
			*w++ = '|';
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	return out;
}

/* Returns true if raw/tNNNN-<role>.out holds row: the same CSV cells (the harness's three
 * aside) or, for a JSON line, the same counters. */
static bool raw_has_row(const char *dir, const char *trial, const char *role, const char *header,
			const char *row)
{
	char path[256], a[64], b[64], c[64], needle[256], *raw, *save = NULL, *want;
	bool found = false;

	snprintf(path, sizeof(path), "%s/raw/t%04u-%s.out", dir, (unsigned)atoi(trial), role);
	raw = slurp(path);
	if (!raw)
		return false;
	if (raw[0] == '{') { /* JSON: the counters and the cycles as the program wrote them */
		cell(row, col(header, "tx_pkts"), a, sizeof(a));
		cell(row, col(header, "rx_pkts"), b, sizeof(b));
		cell(row, col(header, "cycles_per_pkt"), c, sizeof(c));
		snprintf(needle, sizeof(needle), "\"tx_pkts\":%s,\"rx_pkts\":%s,", a, b);
		found = it_contains(raw, needle);
		snprintf(needle, sizeof(needle), "\"cycles_per_pkt\":%s,", c[0] ? c : "null");
		found = found && it_contains(raw, needle);
		free(raw);
		return found;
	}
	want = program_cells(header, row);
	for (char *l = strtok_r(raw, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		char *got = program_cells(header, l);

		found = got && want && !strcmp(got, want);
		free(got);
	}
	free(want);
	free(raw);
	return found;
}

/* Checks one results.csv row against what its program printed in raw/. */
static void check_row_against_raw(const char *dir, const char *header, const char *row)
{
	char prog[32], trial[16], path[256], a[64], b[64], items[64], needle[128];
	char *raw;

	cell(row, col(header, "program"), prog, sizeof(prog));
	cell(row, col(header, "trial"), trial, sizeof(trial));
	if (!strcmp(prog, "ringbench")) {
		/* ringbench prints kind,batch,ring_size,items,... : the same items and cycles */
		snprintf(path, sizeof(path), "%s/raw/t%04u-gen.out", dir, (unsigned)atoi(trial));
		raw = slurp(path);
		cr_assert_not_null(raw, "no raw output %s for trial %s", path, trial);
		snprintf(needle, sizeof(needle), "\n%s,%s,", cell(row, col(header, "ring"), a, 64),
			 cell(row, col(header, "batch"), b, 64));
		cr_expect(it_contains(raw, needle), "%s has no line for %s", path, needle + 1);
		cell(strstr(raw, needle) ? strstr(raw, needle) + 1 : "", 3, items, sizeof(items));
		cr_expect_str_eq(items, cell(row, col(header, "tx_pkts"), a, sizeof(a)),
				 "trial %s: items %s in raw/, tx_pkts %s in results.csv", trial,
				 items, a);
		free(raw);
		return;
	}
	/* programs of the common schema: the row must be in raw/ as the program printed it */
	if (raw_has_row(dir, trial, "gen", header, row) ||
	    raw_has_row(dir, trial, "dut", header, row))
		return;
	cr_expect_fail("trial %s (%s): this row of results.csv is in neither raw output:\n%s",
		       trial, prog, row);
}

/* Checks results.csv: the schema's header, and every row's figures as printed in raw/. */
static unsigned check_results(const char *dir)
{
	char path[256], *text, *header = schema_header(), *save = NULL, *line;
	unsigned rows = 0;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	text = slurp(path);
	cr_assert_not_null(text, "no %s", path);
	cr_assert(!strncmp(text, header, strlen(header)), "results.csv header differs:\n%.300s",
		  text);
	line = strtok_r(text + strlen(header), "\n", &save);
	for (; line; line = strtok_r(NULL, "\n", &save), rows++) {
		char buf[512];

		snprintf(buf, sizeof(buf), "\n%s", line);
		check_row_against_raw(dir, header, buf + 1);
	}
	free(text);
	free(header);
	return rows;
}

/* Asserts that no lr- namespace or link is left and huge pages are as before the test. */
static void assert_clean(void)
{
	char *links = it_snapshot_links();
	long now = -1;

	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++)
		cr_expect(!it_netns_exists(topo_namespaces[i]), "namespace %s left behind",
			  topo_namespaces[i]);
	cr_expect(links && !strstr(links, " lr-"), "an lr- link is left in the root namespace:\n%s",
		  links);
	free(links);
	cr_expect_eq(it_read_long(NR_HUGE, &now), 0);
	cr_expect_eq(now, nr_huge_at_init, "nr_hugepages is %ld, was %ld before the run", now,
		     nr_huge_at_init);
}

/* ---- Tests -------------------------------------------------------------------------------- */

Test(bench, run_rings_smoke_leaves_a_complete_results_directory)
{
	char dir[128], path[192], *meta, *points, *raw;
	unsigned rows, plots;

	smoke_run(dir, sizeof(dir), "rings", NULL);
	rows = check_results(dir);
	cr_expect_geq(rows, 8, "ringbench alone prints 8 rows per repeat; results.csv has %u",
		      rows);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	meta = slurp(path);
	cr_expect(it_contains(meta, "\"schema_version\": 2") && it_contains(meta, "\"tsc_ghz\"") &&
			  it_contains(meta, "\"profile\": \"smoke\""),
		  "meta.json: %s", meta);
	free(meta);
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	points = slurp(path);
	cr_expect(it_contains(points, ",rings,ringbench lockfree,") &&
			  it_contains(points, ",measured,"),
		  "points.csv: %s", points);
	free(points);
	snprintf(path, sizeof(path), "%s/raw", dir);
	raw = files_with(path, ".cmd");
	cr_expect(it_contains(raw, ".cmd\n"), "raw/ keeps the commands of each trial");
	free(raw);
	raw = files_with(path, "-gen.out");
	cr_expect(it_contains(raw, "-gen.out\n"), "raw/ keeps the generator's output");
	free(raw);
	plots = check_plots(dir);
	cr_expect_geq(plots, 1, "at least the ringbench plot is drawn");
	snprintf(path, sizeof(path), "%s/report.md", dir);
	meta = slurp(path);
	/* the ring knob's effect per series, and no claim from a single repeat (smoke: 1) */
	cr_expect(it_contains(meta, "What the knob did") &&
			  it_contains(meta, "a single repeat has no spread") &&
			  !it_contains(meta, "beyond the repeats' spread"),
		  "report.md: %s", meta);
	free(meta);
	assert_clean();
}

/* budget's AF_XDP pair (issue 17): fwd-xdp --poll and fwd-dpdk --pmd af_xdp driven by tgen's
 * xdp engine, and the report gives their cycles-per-packet ratio with what may be claimed
 * from one repeat (nothing). */
Test(bench, budget_af_xdp_pair_runs_on_the_xdp_engine_and_the_report_gives_the_ratio)
{
	char dir[128], path[192], *text;

	smoke_run(dir, sizeof(dir), "budget", "xdp");
	snprintf(path, sizeof(path), "%s/raw/t0000.cmd", dir);
	text = slurp(path);
	cr_expect(it_contains(text, "fwd-xdp ") && it_contains(text, " --poll") &&
			  it_contains(text, "--engine xdp "),
		  "raw/t0000.cmd: %s", text);
	free(text);
	snprintf(path, sizeof(path), "%s/report.md", dir);
	text = slurp(path);
	cr_expect(it_contains(text,
			      "The AF\\_XDP pair (median of the repeats): fwd-xdp-poll veth vs "
			      "fwd-dpdk-afxdp veth, size 64: ") &&
			  it_contains(text, "(fwd-dpdk-afxdp's cycles over fwd-xdp's)") &&
			  it_contains(text, "a single repeat has no spread"),
		  "report.md: %s", text);
	free(text);
	assert_clean();
}

/* cpu-load's figure is the DUT's CPU while the generator ran (cpu_window_pct, filled by the
 * harness for DUT rows only): a busy-polling forwarder reads near one core there. */
Test(bench, dut_cpu_is_taken_over_the_generator_run)
{
	char dir[128], path[192], v[64], prog[32], *text, *header = schema_header(), *save = NULL;
	unsigned dut_rows = 0;

	smoke_run(dir, sizeof(dir), "latency-load", "fwd-afp-poll");
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	text = slurp(path);
	cr_assert_not_null(text, "no %s", path);
	for (char *l = strtok_r(text + strlen(header), "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		double pct;

		cell(l, col(header, "program"), prog, sizeof(prog));
		cell(l, col(header, "cpu_window_pct"), v, sizeof(v));
		if (strcmp(prog, "fwd-afp")) {
			cr_expect_str_empty(v, "a %s row has a DUT CPU window: %s", prog, l);
			continue;
		}
		pct = strtod(v, NULL);
		dut_rows++;
		cr_expect(v[0] && pct > 60 && pct < 110,
			  "fwd-afp --poll used '%s' %% of a core while the generator ran: %s", v,
			  l);
	}
	cr_expect_geq(dut_rows, 5, "%u DUT rows (five loads)", dut_rows);
	free(text);
	free(header);
	assert_clean();
}

Test(bench, a_program_that_is_not_built_is_skipped_with_the_reason)
{
	char dir[128], path[192], *points, *save = NULL;
	unsigned skipped = 0;

	smoke_run(dir, sizeof(dir), "rings", NULL);
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	points = slurp(path);
	cr_assert_not_null(points);
	for (char *l = strtok_r(points, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char prog[64], bin[192];
		const char *s = strstr(l, ",skipped,"), *start;

		if (!s)
			continue;
		skipped++;
		s = strstr(l, " not built");
		cr_assert_not_null(s, "a skipped point gives no reason: %s", l);
		/* the reason names the program, which must really be missing */
		for (start = s; start > l && start[-1] != ',';)
			start--;
		snprintf(prog, sizeof(prog), "%.*s", (int)(s - start), start);
		snprintf(bin, sizeof(bin), "%s/%s", LR_BINDIR, prog);
		cr_expect_neq(access(bin, X_OK), 0, "%s exists but its point was skipped: %s", bin,
			      l);
	}
	free(points);
	cr_expect_leq(skipped, 30, "only the forwarder points may be skipped");
}

Test(bench, plot_redraws_and_compare_with_itself_gives_ratios_of_one)
{
	char dir[128], path[192], *pngs, *save = NULL;
	struct it_result r;
	unsigned before, ratios = 0;

	smoke_run(dir, sizeof(dir), "rings", NULL);
	before = check_plots(dir);
	pngs = files_with(dir, ".png");
	for (char *p = strtok_r(pngs, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "%s/%s", dir, p);
		cr_assert_eq(unlink(path), 0);
	}
	free(pngs);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	cr_assert_eq(unlink(path), 0);
	it_runl(&r, IT_LINERATE, "plot", dir, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "linerate plot: %s", r.err);
	it_result_free(&r);
	cr_expect_eq(check_plots(dir), before, "plot must redraw the same %u plots", before);

	it_runl(&r, IT_LINERATE, "compare", "--format", "csv", dir, dir, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "linerate compare: %s", r.err);
	save = NULL;
	for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *ratio = strrchr(l, ',') + 1;

		if (!strcmp(ratio, "-") || !strcmp(ratio, "b_over_a"))
			continue;
		cr_expect_str_eq(ratio, "1.00", "a run against itself: %s", l);
		ratios++;
	}
	cr_expect_geq(ratios, 8, "ringbench's 8 points at least:\n%s", r.out);
	it_result_free(&r);
}

Test(bench, report_renders_in_headless_chromium)
{
	char dir[128], url[256], shot[192], profile[160];
	struct it_result r;
	const char *argv[] = {"chromium",
			      "--headless",
			      "--no-sandbox",
			      "--disable-gpu",
			      "--disable-quic",
			      "--no-first-run",
			      "--disable-background-networking",
			      "--disable-component-update",
			      "--disable-sync",
			      profile,
			      shot,
			      "--window-size=1280,2000",
			      url,
			      NULL};
	char *found = it_capture("sh", "-c", "command -v chromium", NULL);

	cr_assert_not_null(found, "chromium is not installed (make deps installs it)");
	free(found);
	smoke_run(dir, sizeof(dir), "rings", NULL);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium", tmp_dir);
	snprintf(shot, sizeof(shot), "--screenshot=%s/report.png", tmp_dir);
	snprintf(url, sizeof(url), "file://%s/report.html", dir);
	it_run(argv, &r);
	cr_assert_eq(r.status, 0, "chromium exited %d: %s", r.status, r.err);
	it_result_free(&r);
	snprintf(shot, sizeof(shot), "%s/report.png", tmp_dir);
	assert_png(shot);
}

/* Starts linerate with argv in the background, output into files of tmp_dir. */
static pid_t spawn(const char *const argv[])
{
	char out[128];
	pid_t pid;

	snprintf(out, sizeof(out), "%s/bench.log", tmp_dir);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Waits until the run's points.csv records a measured trial (or the run ends). */
static bool wait_first_trial(pid_t pid, double timeout_s)
{
	char path[128];
	struct timespec nap = {0, 10 * 1000 * 1000};

	snprintf(path, sizeof(path), "%s/latest/points.csv", tmp_dir);
	for (double t = 0; t < timeout_s; t += 0.01) {
		char *text = slurp(path);
		bool measured = it_contains(text, ",measured,");

		free(text);
		if (measured)
			return true;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		nanosleep(&nap, NULL);
	}
	return false;
}

Test(bench, sigint_after_the_first_trial_keeps_it_and_cleans_up)
{
	const char *argv[] = {IT_LINERATE, "run",       "rings", "--profile", "quick",
			      "--only",    "ringbench", "--out", tmp_dir,     NULL};
	char path[128], *points, *log, *save = NULL;
	unsigned measured = 0, total = 0;
	int status = -1;
	pid_t pid = spawn(argv);

	cr_assert(wait_first_trial(pid, 60), "no trial was measured within 60 s");
	kill(pid, SIGINT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	snprintf(path, sizeof(path), "%s/bench.log", tmp_dir);
	log = slurp(path);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SIGINT,
		  "exit status %d after SIGINT, log:\n%s", status, log);
	cr_expect(it_contains(log, "stopped by signal 2"), "log:\n%s", log);
	free(log);

	snprintf(path, sizeof(path), "%s/latest/points.csv", tmp_dir);
	points = slurp(path);
	cr_assert_not_null(points);
	for (char *l = strtok_r(points, "\n", &save); l; l = strtok_r(NULL, "\n", &save), total++)
		measured += it_contains(l, ",measured,");
	free(points);
	cr_expect_geq(measured, 1, "the trial measured before SIGINT is kept");
	cr_expect_lt(measured, 6, "SIGINT should have stopped the run before its 6 trials");
	snprintf(path, sizeof(path), "%s/latest", tmp_dir);
	cr_expect_geq(check_results(path), 4, "one ringbench trial prints 4 rows");
	cr_expect_geq(check_plots(path), 1, "the measured trials are plotted and reported");
	assert_clean();
}

Test(bench, bad_command_lines_are_refused)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "run", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "missing experiment name"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "run", "linerat", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "unknown experiment 'linerat'") &&
			  it_contains(r.err, "latency-load"),
		  "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "bench", "--profile", "fast", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "smoke|quick|full"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "compare", "/nonexistent", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "two results directories needed"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "compare", "/nonexistent", "/nonexistent", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "/nonexistent/results.csv"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "plot", "/nonexistent", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "/nonexistent/results.csv"), "%s", r.err);
	it_result_free(&r);
}

Test(bench, dry_run_prints_every_command_and_runs_nothing)
{
	struct it_result r;
	const char *exps[] = {"linerate", "latency-load", "batch", "hugepages",
			      "affinity", "rings",        "echo",  "budget"};

	it_runl(&r, IT_LINERATE, "bench", "--dry-run", "--out", tmp_dir, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "%s", r.err);
	for (size_t i = 0; i < ARRAY_SIZE(exps); i++) {
		char head[64];

		snprintf(head, sizeof(head), "\n%s ", exps[i]);
		cr_expect(it_contains(r.out, head) || !strncmp(r.out, head + 1, strlen(head) - 1),
			  "experiment %s missing from the plan", exps[i]);
	}
	cr_expect(it_contains(r.out, "  gen: tgen run --size 64"), "%s", r.out);
	cr_expect(it_contains(r.out, "  gen: linerate ringbench"), "%s", r.out);
	cr_expect(it_contains(r.err, "trials, about"), "%s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "run", "linerate", "--profile", "full", "--dry-run", NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "%s", r.err);
	cr_expect(it_contains(r.out, "  gen: tgen rfc2544 --size 1518 --duration 60s"),
		  "the full profile runs RFC 2544 with its trial length:\n%s", r.out);
	it_result_free(&r);
	cr_expect_eq(rmdir(tmp_dir), 0, "--dry-run must not create anything in --out");
	mkdir(tmp_dir, 0700); /* for teardown */
}

/* ---- Ports profiles (bench --ports FILE, docs/ports.md) ------------------------------------ */

#define LR_PROFILE LR_TOPDIR "/bench/ports/lr-topology.ports"

/* Writes text into tmp_dir/name and returns its path in buf. */
static const char *write_profile(const char *name, const char *text, char *buf, size_t len)
{
	FILE *f;

	snprintf(buf, len, "%s/%s", tmp_dir, name);
	f = fopen(buf, "we");
	cr_assert_not_null(f, "cannot write %s", buf);
	fputs(text, f);
	fclose(f);
	return buf;
}

/* The lr- profile with "topology = existing": bench then builds nothing. */
static const char *existing_profile(char *buf, size_t len)
{
	char *lr = slurp(LR_PROFILE), text[4096];

	cr_assert_not_null(lr, "cannot read %s", LR_PROFILE);
	cr_assert(it_contains(lr, "topology = lr "), "%s sets no 'topology = lr'", LR_PROFILE);
	snprintf(text, sizeof(text), "topology = existing\n%s",
		 strstr(lr, "topology = lr ") + strlen("topology = lr "));
	free(lr);
	return write_profile("existing.ports", text, buf, len);
}

Test(bench, a_ports_profile_naming_the_lr_links_gives_the_same_experiments)
{
	struct it_result def, prof, ex;
	char path[160];

	it_runl(&def, IT_LINERATE, "bench", "--dry-run", NULL);
	it_runl(&prof, IT_LINERATE, "bench", "--dry-run", "--ports", LR_PROFILE, NULL);
	it_runl(&ex, IT_LINERATE, "bench", "--dry-run", "--ports",
		existing_profile(path, sizeof(path)), NULL);
	cr_assert_eq(def.status, LR_EXIT_OK, "%s", def.err);
	cr_assert_eq(prof.status, LR_EXIT_OK, "%s", prof.err);
	cr_assert_eq(ex.status, LR_EXIT_OK, "%s", ex.err);
	cr_expect(it_contains(def.out, " --tx-dev lr-g0 --tx-netns=lr-gen --rx-dev lr-k1 "),
		  "the generator's ports come from the port variables:\n%s", def.out);
	cr_expect(it_contains(def.out, "dut: fwd-afp --in lr-d0 --out lr-d1 --netns=lr-dut "),
		  "the forwarder's ports come from the port variables:\n%s", def.out);
	cr_expect_str_eq(prof.out, def.out, "the lr- profile must give the default's commands");
	cr_expect_str_eq(ex.out, def.out, "topology = existing must not change a command");
	cr_expect(it_contains(prof.err, "(topology lr)") &&
			  it_contains(ex.err, "(topology existing)"),
		  "%s\n%s", prof.err, ex.err);
	it_result_free(&def);
	it_result_free(&prof);
	it_result_free(&ex);
}

Test(bench, a_profile_names_other_ports_in_every_command)
{
	char path[160];
	struct it_result r;

	write_profile(
		"nic.ports",
		"topology = existing\n"
		"g0.if = enp1s0f0\ng0.ns = lr-gen\ng0.ip = 198.18.0.1\n"
		"g0.mac = 3c:fd:fe:00:00:01\n"
		"d0.if = enp2s0f0\nd0.ns = \"\"\nd0.ip = 198.18.0.2\nd0.mac = 3c:fd:fe:00:00:02\n"
		"d1.if = enp2s0f1\nd1.ns = \"\"\nd1.ip = 198.18.1.2\nd1.mac = 3c:fd:fe:00:00:03\n"
		"k1.if = enp1s0f1\nk1.ns = lr-sink\nk1.ip = 198.18.1.1\n"
		"k1.mac = 3c:fd:fe:00:00:04\n"
		"d0.dpdk = 0000:02:00.0\nd1.dpdk = 0000:02:00.1   # vfio-pci\n",
		path, sizeof(path));
	it_runl(&r, IT_LINERATE, "run", "linerate", "echo", "--dry-run", "--ports", path, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "%s", r.err);
	cr_expect(it_contains(r.out, "dut: fwd-afp --in enp2s0f0 --out enp2s0f1 --netns= "
				     "--dst-mac 3c:fd:fe:00:00:04 --src-mac 3c:fd:fe:00:00:03 "),
		  "%s", r.out);
	cr_expect(it_contains(r.out, "dut: fwd-dpdk -l 1 -- --in-port 0000:02:00.0 --out-port "
				     "0000:02:00.1 --dst-mac 3c:fd:fe:00:00:04"),
		  "%s", r.out);
	cr_expect(it_contains(r.out, "dut: echo-dpdk -l 1 -- --dpdk-port 0000:02:00.0 "), "%s",
		  r.out);
	cr_expect(it_contains(r.out, "--engine afp --tx-dev enp1s0f0 --tx-netns=lr-gen --rx-dev "
				     "enp1s0f1 --rx-netns=lr-sink --src-mac 3c:fd:fe:00:00:01 "
				     "--dst-mac 3c:fd:fe:00:00:02 --src-ip 198.18.0.1 --dst-ip "
				     "198.18.1.1 "),
		  "%s", r.out);
	cr_expect(!it_contains(r.out, "lr-g0") && !it_contains(r.out, "lr-d0") &&
			  !it_contains(r.out, "lr-k1"),
		  "an lr- port is left in a command:\n%s", r.out);
	it_result_free(&r);
}

Test(bench, bad_ports_profiles_are_refused_with_the_line_and_the_fix)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{"topology = lr\ng0.iff = lr-g0\n", ":2: unknown key 'g0.iff' (accepted:"},
		{"topology = lr\ng0.mac = 02:00:00:00:00\n",
		 ":2: g0.mac: '02:00:00:00:00' is not a MAC"},
		{"d0.ip = 198.18.0.300\n", ":1: d0.ip: '198.18.0.300' is not an IPv4 address"},
		{"topology = maybe\n", ":1: topology: 'maybe' is neither 'lr'"},
		{"topology = lr\nd0.if = eth0\n",
		 "d0: with topology = lr the ports are the lr- links"},
		{"topology = existing\ng0.if = lr-g0\n",
		 "g0.ns is missing: with topology = existing"},
		{"g0.if lr-g0\n", ":1: 'g0.if lr-g0' is not 'key = value'"},
		{"topology = lr\ng0.if = lr-g0\ng0.if = lr-g0\n", ":3: g0.if is set twice"},
		{"topology = lr\nd1.ns = lr-gen\n", "d1: with topology = lr"},
		{"topology = lr\ng0.dpdk = 0000:01:00.0\n",
		 "only the DUT's ports (d0.dpdk, d1.dpdk)"},
	};
	char path[160];
	struct it_result r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		write_profile("bad.ports", bad[i].text, path, sizeof(path));
		it_runl(&r, IT_LINERATE, "bench", "--dry-run", "--ports", path, NULL);
		cr_expect_eq(r.status, LR_EXIT_USAGE, "profile %zu: exit %d:\n%s", i, r.status,
			     r.err);
		cr_expect(it_contains(r.err, bad[i].says), "profile %zu should say '%s':\n%s", i,
			  bad[i].says, r.err);
		it_result_free(&r);
	}
	it_runl(&r, IT_LINERATE, "bench", "--dry-run", "--ports", "/nonexistent.ports", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "/nonexistent.ports: cannot read it"), "%s", r.err);
	it_result_free(&r);
}

/* The harness on a profile for real: the lr- links brought up by hand, named by a
 * "topology = existing" profile. bench must measure through them and leave them up. */
Test(bench, an_existing_topology_profile_measures_and_leaves_the_ports_up)
{
	char path[160], dir[160], target[64], file[224], *points, *cmd;
	struct it_result r;
	ssize_t n;

	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "topo up: %s", r.err);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "run", "batch", "--profile", "smoke", "--only", "fwd-afp",
		"--repeat", "1", "--ports", existing_profile(path, sizeof(path)), "--out", tmp_dir,
		NULL);
	cr_expect_eq(r.status, LR_EXIT_OK, "linerate run batch --ports: exit %d\n%s", r.status,
		     r.err);
	cr_expect(it_contains(r.err, "topology existing, nothing is built or removed") &&
			  it_contains(r.err, "g0: lr-g0 in lr-gen"),
		  "%s", r.err);
	it_result_free(&r);
	cr_expect(it_netns_exists(TOPO_NS_DUT), "bench removed a topology it did not build");
	snprintf(file, sizeof(file), "%s/latest", tmp_dir);
	n = readlink(file, target, sizeof(target) - 1);
	cr_assert_gt(n, 0);
	target[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/%s", tmp_dir, target);
	snprintf(file, sizeof(file), "%s/points.csv", dir);
	points = slurp(file);
	cr_expect(it_contains(points, ",batch,fwd-afp veth,") &&
			  it_contains(points, ",measured,") && !it_contains(points, ",failed,"),
		  "points.csv: %s", points);
	free(points);
	snprintf(file, sizeof(file), "%s/raw/t0000.cmd", dir);
	cmd = slurp(file);
	cr_expect(it_contains(cmd, "--tx-dev lr-g0 --tx-netns=lr-gen"), "raw/t0000.cmd: %s", cmd);
	free(cmd);
	snprintf(file, sizeof(file), "%s/meta.json", dir);
	cmd = slurp(file);
	cr_expect(it_contains(cmd, "\"topology\": \"existing\""), "meta.json: %s", cmd);
	free(cmd);
	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	it_result_free(&r);
	assert_clean();
}
