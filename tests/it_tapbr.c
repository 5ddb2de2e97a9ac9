// SPDX-License-Identifier: MIT
/*
 * it_tapbr.c: the tap bridge of the fwd-dpdk-tap load series (bench/tapbr.c), as root, run by
 * the harness the way `make bench` runs it. `linerate run latency-load --only fwd-dpdk-tap
 * --profile smoke --keep-topo` must measure every trial of both series (calibration included)
 * with frames through fwd-dpdk both polling and with --rx-mode interrupt (which sleeps: a
 * fraction of the polling CPU at 1% load), and leave the topology up without any tap or
 * ingress qdisc in lr-dut. A fwd-dpdk that dies before it is ready, or Ctrl-C (SIGINT) while
 * the bridge is up, must leave no bridge either, nor must a bridge a killed harness left
 * outlive the next `linerate topo up`; `topo status` names one. A ports profile whose DUT
 * ports are not the lr- links skips both series. The echo bridge (one tap both ways with lr-d0)
 * does the same for the echo-dpdk-tap series: every rr transaction of both modes comes back
 * with every byte checked, and echo-dpdk --rx-mode interrupt on it sleeps when idle. The
 * absence checks ask ip and tc directly, not the code under test.
 */
#include <criterion/criterion.h>
#include <errno.h>
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

static char tmp_dir[64];
static long nr_huge_at_init = -1;

static void setup(void)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/lr-it-tapbr.XXXXXX");
	cr_assert_eq(it_session_setup(tmp_dir, &nr_huge_at_init), 0, "mkdtemp: %s",
		     strerror(errno));
}

static void teardown(void)
{
	it_session_teardown(tmp_dir, nr_huge_at_init);
}

TestSuite(tapbr_it, .init = setup, .fini = teardown, .timeout = 150);

/* Asserts that lr-dut (still there) holds no tap and lr-d0 no ingress qdisc, and that `topo
 * status` calls the topology complete. */
static void assert_no_bridge(const char *after)
{
	const char *taps[] = {TOPO_IF_TAP_IN, TOPO_IF_TAP_OUT, TOPO_IF_TAP_ECHO};
	struct it_result r;

	cr_assert(it_netns_exists(TOPO_NS_DUT), "%s: lr-dut is gone (--keep-topo)", after);
	for (size_t i = 0; i < ARRAY_SIZE(taps); i++) {
		it_runl(&r, "ip", "-n", TOPO_NS_DUT, "link", "show", "dev", taps[i], NULL);
		cr_expect_neq(r.status, 0, "%s: %s is left in lr-dut: %s", after, taps[i], r.out);
		it_result_free(&r);
	}
	it_runl(&r, "tc", "-n", TOPO_NS_DUT, "qdisc", "show", "dev", TOPO_IF_D0, NULL);
	cr_expect_eq(r.status, 0, "tc: %s", r.err);
	cr_expect(!it_contains(r.out, "ingress"), "%s: lr-d0 keeps an ingress qdisc: %s", after,
		  r.out);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, 0, "%s: topo status exited %d:\n%s", after, r.status, r.out);
	it_result_free(&r);
}

/* Resolves tmp_dir/latest into dir. */
static void latest_dir(const char *base, char *dir, size_t len)
{
	char latest[160], target[64];
	ssize_t n;

	snprintf(latest, sizeof(latest), "%s/latest", base);
	n = readlink(latest, target, sizeof(target) - 1);
	cr_assert_gt(n, 0, "%s is not a symlink: %s", latest, strerror(errno));
	target[n] = '\0';
	snprintf(dir, len, "%s/%s", base, target);
}

/* Reads a run directory's file (malloc'd). */
static char *run_file(const char *dir, const char *name)
{
	char path[256];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = res_read_text(path);
	cr_assert_not_null(text, "cannot read %s", path);
	return text;
}

/* Runs `linerate run exp --profile smoke --only only --keep-topo` into tmp_dir, which must
 * exit 0; returns its points.csv (malloc'd) with the measured trials counted in *measured and
 * its results.csv's rows in *rows (*n of them, malloc'd). */
static char *run_smoke(const char *exp, const char *only, unsigned *measured, struct res_row **rows,
		       size_t *n)
{
	char dir[192], *points, *results;
	struct it_result r;

	it_runl(&r, IT_LINERATE, "run", exp, "--profile", "smoke", "--only", only, "--no-doctor",
		"--keep-topo", "--out", tmp_dir, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "linerate run exited %d:\n%s", r.status, r.err);
	it_result_free(&r);
	latest_dir(tmp_dir, dir, sizeof(dir));
	points = run_file(dir, "points.csv");
	*measured = 0;
	for (const char *p = points; (p = strstr(p, ",measured,")); p++)
		(*measured)++;
	results = run_file(dir, "results.csv");
	*rows = NULL;
	*n = 0;
	cr_assert_geq(res_parse_rows(results, rows, n), 0);
	free(results);
	return points;
}

/* Returns the trial id of points.csv's line for (series, x), or -1. */
static int trial_of(const char *points, const char *series, const char *x)
{
	char want[128];
	const char *p;

	snprintf(want, sizeof(want), ",latency-load,%s,%s,", series, x);
	p = strstr(points, want);
	if (!p)
		return -1;
	while (p > points && p[-1] != '\n')
		p--;
	return atoi(p);
}

/* Returns the row program printed in trial id (the generator's last one), or NULL. */
static const struct res_row *row_of(const struct res_row *rows, size_t n, int trial,
				    const char *program)
{
	const struct res_row *found = NULL;

	for (size_t i = 0; i < n; i++)
		if (trial >= 0 && rows[i].trial == (unsigned)trial &&
		    !strcmp(rows[i].program, program))
			found = &rows[i];
	return found;
}

/* Checks the 1% load point of both series: frames crossed without loss, and the interrupt
 * mode slept (a fraction of the polling mode's CPU over the generator's run). */
static void check_low_load(const char *points, const struct res_row *rows, size_t n)
{
	int tp = trial_of(points, "fwd-dpdk-tap veth", "1");
	int ti = trial_of(points, "fwd-dpdk-tap-irq veth", "1");
	const struct res_row *poll = row_of(rows, n, tp, "fwd-dpdk");
	const struct res_row *irq = row_of(rows, n, ti, "fwd-dpdk");
	const struct res_row *gen_p = row_of(rows, n, tp, "tgen");
	const struct res_row *gen_i = row_of(rows, n, ti, "tgen");

	cr_assert(poll && irq && gen_p && gen_i, "no rows for the 1%% load points:\n%s", points);
	cr_expect(gen_p->rx_pkts > 0 && gen_p->lost_pkts == 0,
		  "polling, 1%%: %llu received, %lld lost", (unsigned long long)gen_p->rx_pkts,
		  (long long)gen_p->lost_pkts);
	cr_expect(gen_i->rx_pkts > 0 && gen_i->lost_pkts == 0,
		  "interrupt, 1%%: %llu received, %lld lost", (unsigned long long)gen_i->rx_pkts,
		  (long long)gen_i->lost_pkts);
	cr_log_info("1%% load: CPU polling %.1f%%, interrupt %.1f%%", poll->cpu_window_pct,
		    irq->cpu_window_pct);
	cr_expect_lt(irq->cpu_window_pct, 50, "--rx-mode interrupt used %.1f%% of a core at 1%%",
		     irq->cpu_window_pct);
	cr_expect_gt(poll->cpu_window_pct, 2 * irq->cpu_window_pct,
		     "polling %.1f%% vs interrupt %.1f%%", poll->cpu_window_pct,
		     irq->cpu_window_pct);
}

Test(tapbr_it, both_tap_series_forward_through_the_bridge_and_leave_none)
{
	unsigned measured, dut_rows = 0;
	struct res_row *rows;
	size_t n;
	char *points = run_smoke("latency-load", "fwd-dpdk-tap", &measured, &rows, &n);

	cr_expect_eq(measured, 12, "2 calibrations and 2 x 5 loads, all measured:\n%s", points);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].program, "fwd-dpdk")) {
			dut_rows++;
			cr_expect_gt(rows[i].rx_pkts, 0, "trial %u: fwd-dpdk forwarded nothing",
				     rows[i].trial);
		}
	cr_expect_eq(dut_rows, 12, "one fwd-dpdk row per trial");
	check_low_load(points, rows, n);
	free(rows);
	free(points);
	assert_no_bridge("after the tap series");
}

/* Writes a program into dir that fails at once, the way a DUT that cannot open its ports
 * does. */
static void plant_failing_dut(const char *dir, const char *name)
{
	char path[192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs("#!/bin/sh\necho 'fwd-dpdk: planted failure' >&2\nexit 3\n", f);
	fclose(f);
	cr_assert_eq(chmod(path, 0755), 0);
}

Test(tapbr_it, a_dut_that_dies_before_it_is_ready_leaves_no_bridge)
{
	char bin[128], self[160], tgen[160], res[128], dir[192], *points;
	struct it_result r;

	snprintf(bin, sizeof(bin), "%s/bin", tmp_dir);
	snprintf(self, sizeof(self), "%s/linerate", bin);
	snprintf(tgen, sizeof(tgen), "%s/tgen", bin);
	snprintf(res, sizeof(res), "%s/res", tmp_dir);
	cr_assert_eq(mkdir(bin, 0755), 0);
	it_runl(&r, "cp", IT_LINERATE, self, NULL);
	cr_assert_eq(r.status, 0, "cp: %s", r.err);
	it_result_free(&r);
	cr_assert_eq(symlink(LR_BINDIR "/tgen", tgen), 0);
	plant_failing_dut(bin, "fwd-dpdk");
	it_runl(&r, self, "run", "latency-load", "--profile", "smoke", "--only", "fwd-dpdk-tap-irq",
		"--no-doctor", "--keep-topo", "--plots", LR_TOPDIR "/plots", "--out", res, NULL);
	cr_expect_neq(r.status, LR_EXIT_OK, "nothing was measured, yet it exited 0");
	it_result_free(&r);
	latest_dir(res, dir, sizeof(dir));
	points = run_file(dir, "points.csv");
	cr_expect(it_contains(points, "exited with code 3 before it was ready: fwd-dpdk: planted "
				      "failure"),
		  "the calibration's DUT failure is the reason:\n%s", points);
	free(points);
	assert_no_bridge("after a failed DUT start");
}

/* Builds a bridge the way a harness killed mid-trial leaves it, with ip and tc. */
static void bridge_by_hand(void)
{
	const char *taps[] = {TOPO_IF_TAP_IN, TOPO_IF_TAP_OUT};
	struct it_result r;

	for (size_t i = 0; i < ARRAY_SIZE(taps); i++) {
		it_runl(&r, "ip", "-n", TOPO_NS_DUT, "tuntap", "add", "dev", taps[i], "mode", "tap",
			"multi_queue", NULL);
		cr_assert_eq(r.status, 0, "ip tuntap add %s: %s", taps[i], r.err);
		it_result_free(&r);
	}
	it_runl(&r, "tc", "-n", TOPO_NS_DUT, "qdisc", "add", "dev", TOPO_IF_D0, "ingress", NULL);
	cr_assert_eq(r.status, 0, "tc qdisc add: %s", r.err);
	it_result_free(&r);
	it_runl(&r, "tc", "-n", TOPO_NS_DUT, "filter", "add", "dev", TOPO_IF_D0, "ingress", "u32",
		"match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev",
		TOPO_IF_TAP_IN, NULL);
	cr_assert_eq(r.status, 0, "tc filter add: %s", r.err);
	it_result_free(&r);
}

Test(tapbr_it, topo_up_removes_a_bridge_a_killed_harness_left_and_status_names_it)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "topo up: %s", r.err);
	it_result_free(&r);
	bridge_by_hand();
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_neq(r.status, 0, "topo status calls a topology with a tap bridge complete");
	cr_expect(it_contains(r.out, "a tap bridge is in lr-dut"), "status:\n%s", r.out);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_expect_eq(r.status, 0, "topo up: %s", r.err);
	cr_expect(it_contains(r.err, "removed a tap bridge") ||
			  it_contains(r.out, "removed a tap bridge"),
		  "topo up says what it repaired:\n%s%s", r.out, r.err);
	it_result_free(&r);
	assert_no_bridge("after topo up");
	bridge_by_hand();
	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	cr_expect_eq(r.status, 0, "topo down: %s", r.err);
	it_result_free(&r);
	cr_expect(!it_netns_exists(TOPO_NS_DUT), "lr-dut outlived topo down");
	it_runl(&r, "ip", "link", "show", "dev", TOPO_IF_TAP_IN, NULL);
	cr_expect_neq(r.status, 0, "a tap reached the root namespace: %s", r.out);
	it_result_free(&r);
}

/* A profile whose DUT ports are other interfaces skips the tap series with the reason (and
 * prints no bridge command); one naming the lr- links plans them with the bridge. */
Test(tapbr_it, tap_series_are_skipped_when_the_dut_ports_are_not_the_lr_links)
{
	struct it_result nic, lr;

	it_runl(&nic, IT_LINERATE, "run", "latency-load", "--only", "fwd-dpdk-tap", "--dry-run",
		"--ports", LR_TOPDIR "/bench/ports/two-port-tester.ports.example", NULL);
	it_runl(&lr, IT_LINERATE, "run", "latency-load", "--only", "fwd-dpdk-tap", "--dry-run",
		"--ports", LR_TOPDIR "/bench/ports/lr-topology.ports", NULL);
	cr_assert_eq(nic.status, 0, "%s", nic.err);
	cr_assert_eq(lr.status, 0, "%s", lr.err);
	cr_expect_eq(it_count_lines(nic.out) / 3, 10, "10 points, each skipped:\n%s", nic.out);
	cr_expect(it_contains(nic.out, "skipped: does not apply to these ports"), "%s", nic.out);
	cr_expect(!it_contains(nic.out, "tuntap"), "a bridge command for other ports:\n%s",
		  nic.out);
	cr_expect(!it_contains(lr.out, "skipped"), "%s", lr.out);
	cr_expect(it_contains(lr.out, "setup: up: ip -n lr-dut tuntap add dev lr-ti0"), "%s",
		  lr.out);
	it_result_free(&nic);
	it_result_free(&lr);
}

/* Ctrl-C while a tap trial's DUT runs: the harness stops it, takes the bridge down and exits
 * with 130. */
Test(tapbr_it, sigint_while_the_bridge_is_up_takes_it_down)
{
	const char *argv[] = {IT_LINERATE,   "run",    "latency-load", "--profile",
			      "smoke",       "--only", "fwd-dpdk-tap", "--no-doctor",
			      "--keep-topo", "--out",  tmp_dir,        NULL};
	char out[128], err[128], why[256];
	int status = -1, up = 1;
	uint64_t end;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/bench.out", tmp_dir);
	snprintf(err, sizeof(err), "%s/bench.err", tmp_dir);
	pid = it_start_ready(argv, out, err, "calibrating: fwd-dpdk-tap veth", 60000, 0, why,
			     sizeof(why));
	cr_assert_gt(pid, 0, "%s", why);
	for (end = it_now_ms() + 20000; up && it_now_ms() < end; it_sleep_ms(20)) {
		const char *show[] = {"ip",   "-n",  TOPO_NS_DUT,    "link",
				      "show", "dev", TOPO_IF_TAP_IN, NULL};
		struct it_result r;

		up = it_run(show, &r);
		it_result_free(&r);
	}
	cr_expect_eq(up, 0, "the bridge never came up");
	it_sleep_ms(300); /* the DUT starts on the bridge */
	kill(pid, SIGINT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 130, "exit status %d after SIGINT",
		  status);
	assert_no_bridge("after SIGINT");
}

/* The echo tap series through the harness: both smoke trials measured, every transaction back
 * with its bytes checked (tgen counts only bytes it compared), no bridge left. */
Test(tapbr_it, echo_tap_series_answer_every_transaction_and_leave_no_bridge)
{
	unsigned measured, gen_rows = 0;
	struct res_row *rows;
	size_t n;
	char *points = run_smoke("echo", "echo-dpdk-tap", &measured, &rows, &n);

	cr_expect_eq(measured, 2, "rr at 1 connection, both modes:\n%s", points);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].program, "tgen"))
			continue;
		gen_rows++;
		cr_expect_gt(rows[i].rx_pkts, 0, "trial %u: no transaction", rows[i].trial);
		cr_expect_eq(rows[i].errors, 0, "trial %u: %llu failed transactions", rows[i].trial,
			     (unsigned long long)rows[i].errors);
		cr_expect_eq(rows[i].echo_bytes, rows[i].rx_pkts * (uint64_t)rows[i].msg_bytes,
			     "trial %u: %llu bytes checked for %llu transactions of %d B",
			     rows[i].trial, (unsigned long long)rows[i].echo_bytes,
			     (unsigned long long)rows[i].rx_pkts, rows[i].msg_bytes);
	}
	cr_expect_eq(gen_rows, 2, "one tgen row per trial");
	free(rows);
	free(points);
	assert_no_bridge("after the echo tap series");
}

/* Builds the echo bridge by hand with ip and tc: lr-d0 <-> lr-te0 both ways. */
static void echo_bridge_by_hand(void)
{
	const char *const steps[][20] = {
		{"ip", "-n", TOPO_NS_DUT, "tuntap", "add", "dev", TOPO_IF_TAP_ECHO, "mode", "tap",
		 "multi_queue", NULL},
		{"ip", "-n", TOPO_NS_DUT, "link", "set", "dev", TOPO_IF_TAP_ECHO, "up", NULL},
		{"tc", "-n", TOPO_NS_DUT, "qdisc", "add", "dev", TOPO_IF_TAP_ECHO, "ingress", NULL},
		{"tc",      "-n",     TOPO_NS_DUT, "filter", "add",      "dev", TOPO_IF_TAP_ECHO,
		 "ingress", "u32",    "match",     "u32",    "0",        "0",   "action",
		 "mirred",  "egress", "redirect",  "dev",    TOPO_IF_D0, NULL},
		{"tc", "-n", TOPO_NS_DUT, "qdisc", "add", "dev", TOPO_IF_D0, "ingress", NULL},
		{"tc",
		 "-n",
		 TOPO_NS_DUT,
		 "filter",
		 "add",
		 "dev",
		 TOPO_IF_D0,
		 "ingress",
		 "u32",
		 "match",
		 "u32",
		 "0",
		 "0",
		 "action",
		 "mirred",
		 "egress",
		 "redirect",
		 "dev",
		 TOPO_IF_TAP_ECHO,
		 NULL},
	};
	struct it_result r;

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		it_run((const char *const *)steps[i], &r);
		cr_assert_eq(r.status, 0, "%s %s %s: %s", steps[i][0], steps[i][3], steps[i][4],
			     r.err);
		it_result_free(&r);
	}
}

/* echo-dpdk --rx-mode interrupt on the bridged tap, run by hand: idle for 2 s it uses a small
 * share of a core (it sleeps in rte_epoll_wait), then it answers tgen's rr from lr-gen through
 * lr-d0 with every byte checked; `topo up` removes the bridge afterwards. */
Test(tapbr_it, echo_dpdk_interrupt_on_the_bridge_sleeps_when_idle_and_answers_rr)
{
	const char *argv[] = {LR_BINDIR "/echo-dpdk",
			      "-l",
			      "1",
			      "--no-pci",
			      "--",
			      "--dpdk-port",
			      "net_tap0,iface=" TOPO_IF_TAP_ECHO,
			      "--netns=" TOPO_NS_DUT,
			      "--mac",
			      TOPO_MAC_D0,
			      "--ip",
			      TOPO_IP_ECHO,
			      "--rx-mode",
			      "interrupt",
			      "--format",
			      "json",
			      NULL};
	char out[128], err[128], why[4096]; /* holds its stderr up to the ready line */
	struct res_row *rows = NULL;
	double cpu0, idle;
	struct it_result r;
	size_t n = 0;
	int status;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/echo.out", tmp_dir);
	snprintf(err, sizeof(err), "%s/echo.err", tmp_dir);
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "topo up: %s", r.err);
	it_result_free(&r);
	echo_bridge_by_hand();
	pid = it_start_ready(argv, out, err, "listening", 30000, 300, why, sizeof(why));
	cr_assert_gt(pid, 0, "%s", why);
	cpu0 = it_proc_cpu_s(pid);
	it_sleep_ms(2000);
	idle = it_proc_cpu_s(pid) - cpu0;
	cr_log_info("echo-dpdk --rx-mode interrupt, idle: %.3f CPU-s in 2 s", idle);
	cr_expect(cpu0 >= 0 && idle < 0.2, "idle for 2 s it used %.3f CPU-s: it did not sleep",
		  idle);
	it_runl(&r, LR_BINDIR "/tgen", "echo", "--mode", "rr", "--conns", "1", "--size", "64",
		"--duration", "1s", "--dst-port", "7", "--netns=" TOPO_NS_GEN, "--dst-ip",
		TOPO_IP_ECHO, "--cpu", "0", "--format", "csv", NULL);
	cr_expect_eq(r.status, 0, "tgen echo exited %d: %s%s", r.status, r.out, r.err);
	cr_assert_eq(res_parse_rows(r.out, &rows, &n), 1, "rr: %s", r.out);
	cr_log_info("rr through the bridge, 1 connection: %.0f transactions/s, p50 %.1f us",
		    rows[0].rx_pps, rows[0].lat_p50_ns / 1e3);
	cr_expect(rows[0].rx_pkts > 0 && rows[0].errors == 0, "rr: %s", r.out);
	cr_expect_eq(rows[0].echo_bytes, rows[0].rx_pkts * 64, "not every byte checked: %s", r.out);
	free(rows);
	it_result_free(&r);
	kill(pid, SIGINT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "echo-dpdk: status %d", status);
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_expect_eq(r.status, 0, "topo up: %s", r.err);
	cr_expect(it_contains(r.err, "removed a tap bridge") ||
			  it_contains(r.out, "removed a tap bridge"),
		  "topo up says it removed the echo bridge:\n%s%s", r.out, r.err);
	it_result_free(&r);
	assert_no_bridge("after topo up");
}
