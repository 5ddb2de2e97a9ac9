// SPDX-License-Identifier: MIT
/*
 * it_regress_dpdk.c: the DPDK data paths of `linerate regress` (bench/paths/paths_dpdk.c), as
 * root, on vdevs without huge pages or the lr- topology. lr-paths fwd-dpdk (net_ring ports)
 * and tgen-dpdk (tgen's dpdk engine on net_null) run natively and report the units they moved
 * (the count rounded up to the burst of 32) and a nonzero cycle count; `linerate regress
 * --paths fwd-dpdk,tgen-dpdk` under callgrind gives figures in a sane range and the same
 * figures twice; `--paths` with an unknown name is a harness error that names the accepted
 * paths. The native runs use this build's lr-paths (the sanitizer one under test-asan); the
 * callgrind runs use the plain build/bin/lr-paths (valgrind cannot run ASan programs).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define PLAIN_DIR LR_BINDIR "/../../bin"
#else
#define PLAIN_DIR LR_BINDIR
#endif
#define BURST   32
#define PACKETS "20000"

static char base[] = "/tmp/lr-regress-dpdk-XXXXXX";

static void setup(void)
{
	if (geteuid() != 0)
		cr_skip_test("DPDK needs root");
	if (access(LR_BINDIR "/lr-paths", X_OK))
		cr_skip_test("%s/lr-paths missing (run 'make')", LR_BINDIR);
	base[0] = '\0';
}

static void teardown(void)
{
	if (base[0])
		unlink(base); /* best effort */
}

TestSuite(it_regress_dpdk, .init = setup, .fini = teardown, .timeout = 120);

/* Runs lr-paths PATH COUNT natively and checks its units and cycles. */
static void native_run(const char *path, unsigned long count)
{
	struct it_result r;
	unsigned long units = 0, want = (count + BURST - 1) / BURST * BURST;
	unsigned long long cycles = 0;
	char arg[24];
	const char *s;

	snprintf(arg, sizeof(arg), "%lu", count);
	it_runl(&r, LR_BINDIR "/lr-paths", path, arg, NULL);
	cr_assert_eq(r.status, 0, "lr-paths %s %s: exit %d: %s%s", path, arg, r.status, r.out,
		     r.err);
	cr_assert_eq(sscanf(r.out, "units %lu", &units), 1, "%s", r.out);
	cr_assert_eq(units, want, "%s moved %lu units for a count of %lu", path, units, count);
	s = strstr(r.out, "cycles ");
	cr_assert_not_null(s, "%s", r.out);
	cr_assert_eq(sscanf(s, "cycles %llu", &cycles), 1, "%s", r.out);
	cr_assert_gt(cycles, 0, "%s", r.out);
	it_result_free(&r);
}

Test(it_regress_dpdk, fwd_dpdk_runs_natively_and_counts_its_units)
{
	native_run("fwd-dpdk", 1000);
	native_run("fwd-dpdk", 64);
}

Test(it_regress_dpdk, tgen_dpdk_runs_natively_and_counts_its_units)
{
	native_run("tgen-dpdk", 1000);
	native_run("tgen-dpdk", 1);
}

/* Returns the "value" of result id in regress's JSON output. */
static double json_value(const char *out, const char *id)
{
	char key[128];
	const char *s;
	double v = -1;

	snprintf(key, sizeof(key), "\"id\": \"%s\"", id);
	s = strstr(out, key);
	cr_assert_not_null(s, "no %s in:\n%s", id, out);
	s = strstr(s, "\"value\": ");
	cr_assert_not_null(s, "%s", out);
	cr_assert_eq(sscanf(s, "\"value\": %lf", &v), 1, "%s", out);
	return v;
}

/* Runs regress on the DPDK paths against the test's baseline; extra is one more flag. */
static void regress_dpdk(struct it_result *r, const char *extra)
{
	it_runl(r, IT_LINERATE, "regress", "--packets", PACKETS, "--baseline", base, "--paths-bin",
		PLAIN_DIR "/lr-paths", "--paths", "fwd-dpdk,tgen-dpdk", "--history", "none", extra,
		NULL);
}

Test(it_regress_dpdk, callgrind_figures_are_sane_and_repeat)
{
	static const char *const ids[] = {"fwd-dpdk/64_B/instructions/packet",
					  "tgen-dpdk/64_B/instructions/packet"};
	struct it_result a, b;
	int fd;

	if (access("/usr/bin/valgrind", X_OK) || access(PLAIN_DIR "/lr-paths", X_OK))
		cr_skip_test("valgrind or %s/lr-paths missing (run 'make deps && make')",
			     PLAIN_DIR);
	strcpy(base, "/tmp/lr-regress-dpdk-XXXXXX");
	fd = mkstemp(base);
	cr_assert_geq(fd, 0);
	close(fd);
	regress_dpdk(&a, "--update-baseline");
	cr_assert_eq(a.status, 0, "update-baseline: exit %d: %s%s", a.status, a.out, a.err);
	it_result_free(&a);
	regress_dpdk(&a, "--format=json");
	regress_dpdk(&b, "--format=json");
	cr_assert_eq(a.status, 0, "first run: exit %d: %s%s", a.status, a.out, a.err);
	cr_assert_eq(b.status, 0, "second run: exit %d: %s%s", b.status, b.out, b.err);
	for (unsigned i = 0; i < 2; i++) {
		double va = json_value(a.out, ids[i]), vb = json_value(b.out, ids[i]);

		cr_assert(va >= 50 && va <= 2000, "%s: %.4f instructions/packet", ids[i], va);
		cr_assert_eq(va, vb, "%s: %.4f then %.4f", ids[i], va, vb);
	}
	cr_assert(!it_contains(a.out, "\"id\": \"fwd/"), "only the paths asked for: %s", a.out);
	cr_assert(!it_contains(a.out, "tcp-echo"), "only the paths asked for: %s", a.out);
	it_result_free(&a);
	it_result_free(&b);
}

Test(it_regress_dpdk, unknown_path_is_a_harness_error_naming_the_accepted_ones)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "regress", "--paths", "fwd,nope", "--history", "none", NULL);
	cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.err, "'nope'"), "names the bad path: %s", r.err);
	cr_assert(it_contains(r.err, "fwd-dpdk") && it_contains(r.err, "tgen-dpdk") &&
			  it_contains(r.err, "ring-mutex"),
		  "names the accepted paths: %s", r.err);
	cr_assert(!it_contains(r.out, "instructions"), "nothing was measured: %s", r.out);
	it_result_free(&r);
}
