// SPDX-License-Identifier: MIT
/*
 * it_memif.c: fwd-dpdk as the memif server of a zero-copy client (issue 18), as root. The
 * client is dpdk-testpmd --forward-mode=flowgen with zero-copy=yes on both links (EAL
 * --single-file-segments on huge pages, as the memif PMD requires for zero copy): fwd-dpdk must
 * forward what it receives, and when the client leaves mid-run it must keep running, then end
 * promptly on SIGINT with its report. Sockets live in /tmp/lr-it-memif; huge pages reserved in
 * .init are given back in .fini, also when a test fails.
 *
 * DISABLED for now: run from Criterion, the testpmd client's control channel fails
 * ("memif_msg_send_from_queue(): sendmsg fail: Bad file descriptor"), its links stay down and
 * it quits after one burst round, while the very same two command lines run from a shell pass
 * (see issue 18's notes). Until that is understood the tests would fail for the harness's
 * reason, not fwd-dpdk's.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_helpers.h"

#define DIR        "/tmp/lr-it-memif"
#define SOCK_IN    DIR "/in.sock"
#define SOCK_OUT   DIR "/out.sock"
#define DUT_OUT    DIR "/dut.out"
#define DUT_ERR    DIR "/dut.err"
#define NR_HUGE    "/proc/sys/vm/nr_hugepages"
#define HUGE_PAGES 128
#define DUT_BIN    LR_BINDIR "/fwd-dpdk"

static long huge_saved = -1;
static pid_t dut = -1;

static void setup(void)
{
	mkdir(DIR, 0755); /* best effort: may exist */
	unlink(SOCK_IN);  /* best effort */
	unlink(SOCK_OUT); /* best effort */
	cr_assert_eq(it_read_long(NR_HUGE, &huge_saved), 0);
	cr_assert_eq(it_write_long(NR_HUGE, huge_saved + HUGE_PAGES), 0, "needs root");
}

static void cleanup(void)
{
	if (dut > 0) {
		kill(dut, SIGKILL); /* best effort: a test that failed left it running */
		waitpid(dut, NULL, 0);
		dut = -1;
	}
	unlink(SOCK_IN);  /* best effort */
	unlink(SOCK_OUT); /* best effort */
	if (huge_saved >= 0)
		it_write_long(NR_HUGE, huge_saved); /* best effort */
}

/* Starts fwd-dpdk as memif server on both sockets, core 1, for duration ("" = until SIGINT). */
static void dut_start(const char *duration)
{
	const char *argv[] = {DUT_BIN,
			      "-l",
			      "1",
			      "--no-pci",
			      "--file-prefix",
			      "lr-it-dut",
			      "--vdev=net_memif0,role=server,id=0,socket=" SOCK_IN,
			      "--vdev=net_memif1,role=server,id=1,socket=" SOCK_OUT,
			      "--",
			      "--bidir",
			      "--cpu",
			      "1",
			      duration[0] ? "--duration" : NULL,
			      duration,
			      NULL};
	char why[512];

	dut = it_start_ready(argv, DUT_OUT, DUT_ERR, "forwarding", 10000, 200, why, sizeof(why));
	cr_assert_gt(dut, 0, "fwd-dpdk did not start: %s", why);
}

/* Runs the zero-copy flowgen client for secs seconds, then SIGINT (testpmd's way to stop;
 * --stats-period keeps it from reading stdin, which is /dev/null here, and quitting at once). */
static void client_run(const char *secs)
{
	struct it_result r;

	it_runl(&r, "timeout", "-s", "INT", secs, "dpdk-testpmd", "-l", "0-1", "--main-lcore", "1",
		"--no-pci", "--single-file-segments", "--file-prefix", "lr-it-gen", "-m", "128",
		"--vdev=net_memif0,role=client,id=0,zero-copy=yes,socket=" SOCK_IN,
		"--vdev=net_memif1,role=client,id=1,zero-copy=yes,socket=" SOCK_OUT, "--",
		"--total-num-mbufs=8192", "--forward-mode=flowgen", "--txpkts=64", "--auto-start",
		"--stats-period", "1", "--no-lsc-interrupt", NULL);
	/* timeout's 124: the client ran until told to stop */
	cr_assert(r.status == 124 || r.status == 0, "dpdk-testpmd client failed (%d): %s", r.status,
		  r.err);
	cr_assert(it_contains(r.out, "TX-packets"), "no testpmd statistics: %s", r.out);
	FILE *f = fopen(DIR "/client.out", "w");
	if (f) {
		fputs(r.out, f);
		fputs(r.err, f);
		fclose(f);
	}
	it_result_free(&r);
}

/* Waits for the DUT to end; returns its exit status (128 + N if killed by signal N). */
static int dut_wait(unsigned timeout_ms)
{
	uint64_t end = it_now_ms() + timeout_ms;
	int st;

	while (it_now_ms() < end) {
		if (waitpid(dut, &st, WNOHANG) == dut) {
			dut = -1;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		it_sleep_ms(20);
	}
	return -1;
}

/* Returns the number after label in the DUT's report, or -1. */
static long long report_value(const char *text, const char *label)
{
	const char *p = strstr(text, label);

	return p ? atoll(p + strlen(label)) : -1;
}

Test(memif, fwd_dpdk_server_forwards_to_a_zero_copy_client, .init = setup, .fini = cleanup,
     .timeout = 60, .disabled = true)
{
	static char out[16384];
	long long rx, tx, fail;

	dut_start("4s");
	client_run("3");
	cr_assert_eq(dut_wait(8000), 0, "fwd-dpdk failed: %s", it_read_into(DUT_ERR, out, 4096));
	it_read_into(DUT_OUT, out, sizeof(out));
	rx = report_value(out, "received ");
	tx = report_value(out, "sent ");
	fail = report_value(out, "tx failures ");
	cr_assert_gt(rx, 100000, "fwd-dpdk received too little: %s", out);
	/* every frame received is sent; the few the client's ring refused are tx failures */
	cr_expect_gt(tx, rx * 95 / 100, "fwd-dpdk sent %lld of %lld: %s", tx, rx, out);
	cr_expect_lt(fail, rx / 100 + 1, "tx failures %lld of %lld: %s", fail, rx, out);
}

Test(memif, fwd_dpdk_survives_its_client_leaving_and_reports_on_sigint, .init = setup,
     .fini = cleanup, .timeout = 60, .disabled = true)
{
	static char out[16384];
	int st;

	dut_start("");
	client_run("3");
	it_sleep_ms(1000);
	cr_assert_eq(waitpid(dut, &st, WNOHANG), 0, "fwd-dpdk died when its client left: %s",
		     it_read_into(DUT_ERR, out, 4096));
	cr_assert_eq(kill(dut, SIGINT), 0);
	cr_assert_eq(dut_wait(2000), 0, "fwd-dpdk did not end within 2 s of SIGINT: %s",
		     it_read_into(DUT_ERR, out, 4096));
	it_read_into(DUT_OUT, out, sizeof(out));
	cr_expect_gt(report_value(out, "received "), 100000, "no report: %s", out);
	cr_expect(it_contains(out, "tx failures"), "no report: %s", out);
}
