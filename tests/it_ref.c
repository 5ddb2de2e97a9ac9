// SPDX-License-Identifier: MIT
/*
 * it_ref.c: bench/ref's l3fwd anchor (issue 11), as root. `make refbench-tools` builds DPDK's
 * l3fwd example from dpdk-doc's sources with bench/ref/l3fwd-22.11.patch; run as refbench.py
 * runs it (memif server on both ports, LPM routes, --parse-ptype, --eth-dest), it must start on
 * net_memif (unpatched, 22.11's l3fwd refuses the port: it asks for RX checksum offload) and
 * hand every frame of tgen's flow to tgen's receive port, where tgen counts it. Sockets and
 * route files live in /tmp/lr-it-ref; huge pages reserved in .init are given back in .fini.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_helpers.h"

#define DIR        "/tmp/lr-it-ref"
#define SOCK_IN    DIR "/in.sock"
#define SOCK_OUT   DIR "/out.sock"
#define ROUTES_V4  DIR "/v4.cfg"
#define ROUTES_V6  DIR "/v6.cfg"
#define HUGE_PAGES 256
#define L3FWD      LR_TOPDIR "/build/ref/l3fwd"
#define FRAMES     "100000"

static long huge_saved = -1;
static pid_t l3fwd = -1;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	cr_assert_eq(it_memif_setup(DIR, SOCK_IN, SOCK_OUT, HUGE_PAGES, &huge_saved), 0,
		     "cannot reserve %d huge pages (needs root)", HUGE_PAGES);
}

static void cleanup(void)
{
	if (l3fwd > 0) {
		kill(l3fwd, SIGKILL); /* best effort: a test that failed left it running */
		waitpid(l3fwd, NULL, 0);
		l3fwd = -1;
	}
	unlink(ROUTES_V4); /* best effort */
	unlink(ROUTES_V6); /* best effort */
	it_memif_cleanup(SOCK_IN, SOCK_OUT, huge_saved);
}

/* Starts l3fwd as refbench.py does, its output all on stderr (DPDK logs to stdout). */
static void l3fwd_start(void)
{
	const char *argv[] = {"/bin/sh",
			      "-c",
			      "exec \"$0\" \"$@\" 1>&2",
			      L3FWD,
			      "-l",
			      "1",
			      "--no-pci",
			      "--no-telemetry",
			      "--in-memory",
			      "--vdev",
			      "net_memif0,role=server,id=0,socket=" SOCK_IN ",socket-abstract=no",
			      "--vdev",
			      "net_memif1,role=server,id=0,socket=" SOCK_OUT ",socket-abstract=no",
			      "--",
			      "-p",
			      "0x3",
			      "--config",
			      "(0,0,1),(1,0,1)",
			      "--parse-ptype",
			      "--lookup",
			      "lpm",
			      "--eth-dest",
			      "0,02:00:00:00:00:01",
			      "--eth-dest",
			      "1,02:00:00:00:01:01",
			      "--rule_ipv4",
			      ROUTES_V4,
			      "--rule_ipv6",
			      ROUTES_V6,
			      NULL};
	static char why[16384]; /* it_start_ready looks for the ready text in what fits here */

	/* l3fwd waits up to 9 s for its links before its loop starts */
	l3fwd = it_start_ready(argv, DIR "/l3fwd.out", DIR "/l3fwd.err", "entering main loop",
			       30000, 200, why, sizeof(why));
	cr_assert_gt(l3fwd, 0, "l3fwd did not start: %s", why);
}

Test(it_ref, l3fwd_forwards_tgen_memif_flow, .init = setup, .fini = cleanup, .timeout = 180)
{
	struct it_result r;
	int status;

	/* into the tree's default build/, where refbench.py looks, whatever BUILD the make that
	 * runs the tests passed down (make test-asan: build/asan) */
	it_runl(&r, "make", "-C", LR_TOPDIR, "refbench-tools", "BUILD=" LR_TOPDIR "/build",
		"SAN=", NULL);
	cr_assert_eq(r.status, 0, "make refbench-tools failed: %s%s", r.out, r.err);
	it_result_free(&r);
	cr_assert_eq(access(L3FWD, X_OK), 0, "no %s after make refbench-tools", L3FWD);
	write_file(ROUTES_V4, "R198.18.0.0/24 0\nR198.18.1.0/24 1\n");
	write_file(ROUTES_V6, "R2001:0db8:0000:0000:0000:0000:0000:0000/32 0\n");
	l3fwd_start();
	it_runl(&r, LR_BINDIR "/tgen", "-l", "0", "--no-pci", "--", "run", "--engine", "dpdk",
		"--hugepages", "on", "--tx-port",
		"net_memif0,role=client,id=0,socket=" SOCK_IN ",socket-abstract=no", "--rx-port",
		"net_memif1,role=client,id=0,socket=" SOCK_OUT ",socket-abstract=no", "--link",
		"100G", "--rate", "1Mpps", "--count", FRAMES, "--size", "64", "--cpu", "0",
		"--format", "json", NULL);
	cr_assert_eq(r.status, 0, "tgen failed: %s", r.err);
	/* tgen counts a frame only when it parses as its own UDP flow with a known sequence */
	cr_assert(it_contains(r.out, "\"tx_pkts\":" FRAMES ","), "tgen sent: %s", r.out);
	cr_assert(it_contains(r.out, "\"rx_pkts\":" FRAMES ","), "l3fwd lost frames: %s", r.out);
	cr_assert(it_contains(r.out, "\"lost_pkts\":0,"), "l3fwd lost frames: %s", r.out);
	it_result_free(&r);
	kill(l3fwd, SIGINT);
	cr_assert_eq(waitpid(l3fwd, &status, 0), l3fwd);
	l3fwd = -1;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "l3fwd ended with status %d",
		  status);
}

/* refbench.py --dut-share (issue 11's DUT-bound setup): the cgroup quota it gives a DUT holds a
 * busy process to its share of a core and is removed afterwards; a share outside 10..100 is
 * refused with the range. The script below uses refbench's own functions. */
#define SHARE_SCRIPT                                                                               \
	"import os, subprocess, sys, time\n"                                                       \
	"sys.path.insert(0, '" LR_TOPDIR "/bench/ref')\n"                                          \
	"import refbench as R\n"                                                                   \
	"R.cgroup_setup(40)\n"                                                                     \
	"p = subprocess.Popen(['sh', '-c', 'while :; do :; done'])\n"                              \
	"try:\n"                                                                                   \
	"    with open(R.cgroup_dir()[0] + '/cgroup.procs', 'w') as f:\n"                          \
	"        f.write(str(p.pid))\n"                                                            \
	"    t0, c0 = time.time(), R.cpu_seconds(p.pid)\n"                                         \
	"    time.sleep(2)\n"                                                                      \
	"    t1, c1 = time.time(), R.cpu_seconds(p.pid)\n"                                         \
	"finally:\n"                                                                               \
	"    p.kill()\n"                                                                           \
	"    p.wait()\n"                                                                           \
	"n, thr = R.cgroup_stat()\n"                                                               \
	"R.cgroup_remove()\n"                                                                      \
	"print('share=%.0f throttled=%d periods=%d gone=%d' % (100 * (c1 - c0) / (t1 - t0), thr, " \
	"n, not os.path.exists(R.cgroup_dir()[0])))\n"

Test(it_ref, dut_share_quota_holds_a_busy_process, .timeout = 60)
{
	struct it_result r;
	int share = -1, thr = -1, periods = -1, gone = -1;

	it_runl(&r, "python3", "-c", SHARE_SCRIPT, NULL);
	cr_assert_eq(r.status, 0, "the quota script failed: %s%s", r.out, r.err);
	cr_assert_eq(sscanf(r.out, "share=%d throttled=%d periods=%d gone=%d", &share, &thr,
			    &periods, &gone),
		     4, "unexpected output: %s", r.out);
	/* 40% asked; a busy loop without the quota takes 100% */
	cr_assert(share > 5 && share <= 50, "a busy process got %d%% of a core under a 40%% quota",
		  share);
	cr_assert_gt(thr, 0, "the quota never stopped it (%d periods): %s", periods, r.out);
	cr_assert_eq(gone, 1, "the cgroup was left behind");
	it_result_free(&r);

	it_runl(&r, LR_TOPDIR "/bench/ref/refbench.py", "--dut-share", "5", "fwd-anchors", NULL);
	cr_assert_neq(r.status, 0, "--dut-share 5 was accepted");
	cr_assert(it_contains(r.err, "from 10 to 100"), "no range in the refusal: %s", r.err);
	it_result_free(&r);
}
