// SPDX-License-Identifier: MIT
/*
 * it_vhost.c: fwd-dpdk on virtio_user ports with tgen on the vhost-user ends (issue 17's
 * bypass pair of latency-load: shared memory, no kernel on the data path), as root. With
 * --rx-mode interrupt the forwarder must forward every frame of tgen's flow and sleep when no
 * frame comes (the vhost end kicks an eventfd, virtio_user's RX interrupt); polling, the same
 * forwarder keeps its core busy while idle, which shows the idle check can fail. fwd-dpdk is
 * the vhost-user server (server=1: its probe waits for tgen to connect, so it says nothing
 * before), tgen the client. Sockets live in /tmp/lr-it-vhost; huge pages reserved in .init
 * are given back in .fini, also when a test fails.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_helpers.h"

#define DIR        "/tmp/lr-it-vhost"
#define SOCK_IN    DIR "/in.sock"
#define SOCK_OUT   DIR "/out.sock"
#define DUT_OUT    DIR "/dut.out"
#define DUT_ERR    DIR "/dut.err"
#define HUGE_PAGES 256
#define FRAMES     "50000"

static long huge_saved = -1;
static pid_t dut = -1;

static void setup(void)
{
	cr_assert_eq(it_memif_setup(DIR, SOCK_IN, SOCK_OUT, HUGE_PAGES, &huge_saved), 0,
		     "cannot reserve %d huge pages (needs root)", HUGE_PAGES);
}

static void cleanup(void)
{
	if (dut > 0) {
		kill(dut, SIGKILL); /* best effort: a test that failed left it running */
		waitpid(dut, NULL, 0);
		dut = -1;
	}
	it_memif_cleanup(SOCK_IN, SOCK_OUT, huge_saved);
}

/* Starts fwd-dpdk in rx_mode on the two virtio_user server ports, runs tgen through it for
 * FRAMES frames, checks every one came back, then returns the forwarder's CPU use, in % of a
 * core, over 2 s without traffic; the forwarder is stopped with SIGINT and must report. */
static double forward_then_idle(const char *rx_mode)
{
	const char *argv[] = {LR_BINDIR "/fwd-dpdk",
			      "-l",
			      "1",
			      "--no-pci",
			      "--single-file-segments",
			      "--",
			      "--in-port",
			      "virtio_user0,path=" SOCK_IN ",server=1,queues=1",
			      "--out-port",
			      "virtio_user1,path=" SOCK_OUT ",server=1,queues=1",
			      "--rx-mode",
			      rx_mode,
			      "--hugepages",
			      "on",
			      "--format",
			      "json",
			      NULL};
	struct it_result r;
	char why[512], out[4096];
	const char *p;
	double c0, c1;
	int status;

	/* the huge pages line comes before the ports' probe, which waits for tgen */
	dut = it_start_ready(argv, DUT_OUT, DUT_ERR, "huge pages", 20000, 500, why, sizeof(why));
	cr_assert_gt(dut, 0, "fwd-dpdk did not start: %s", why);
	it_runl(&r, LR_BINDIR "/tgen", "-l", "0", "--no-pci", "--", "run", "--engine", "dpdk",
		"--hugepages", "on", "--tx-port", "net_vhost0,iface=" SOCK_IN ",client=1,queues=1",
		"--rx-port", "net_vhost1,iface=" SOCK_OUT ",client=1,queues=1", "--link", "100G",
		"--rate", "50kpps", "--count", FRAMES, "--size", "64", "--cpu", "0", "--format",
		"json", NULL);
	cr_assert_eq(r.status, 0, "tgen failed (%d): %s%s", r.status, r.out, r.err);
	cr_assert(it_contains(r.out, "\"tx_pkts\":" FRAMES ","), "tgen sent: %s", r.out);
	cr_assert(it_contains(r.out, "\"rx_pkts\":" FRAMES ","), "frames lost (%s): %s", rx_mode,
		  r.out);
	it_result_free(&r);
	c0 = it_proc_cpu_s(dut);
	it_sleep_ms(2000);
	c1 = it_proc_cpu_s(dut);
	cr_assert(c0 >= 0 && c1 >= 0, "cannot read fwd-dpdk's CPU time (/proc/%d/stat)", (int)dut);
	kill(dut, SIGINT);
	cr_assert_eq(waitpid(dut, &status, 0), dut);
	dut = -1;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fwd-dpdk ended with status %d",
		  status);
	it_read_into(DUT_OUT, out, sizeof(out));
	/* tgen's warm-up frames come before the FRAMES it counts: at least FRAMES */
	p = strstr(out, "\"rx_pkts\":");
	cr_assert(p && atol(p + 10) >= atol(FRAMES), "fwd-dpdk's row: %s", out);
	cr_assert_neq(access(SOCK_IN, F_OK), 0, "fwd-dpdk left %s behind", SOCK_IN);
	return 100.0 * (c1 - c0) / 2.0;
}

Test(vhost, fwd_dpdk_sleeps_on_virtio_user_rx_interrupts, .init = setup, .fini = cleanup,
     .timeout = 120)
{
	double irq = forward_then_idle("interrupt");
	double poll = forward_then_idle("poll");

	cr_log_info("idle CPU: interrupt %.1f%%, poll %.1f%%", irq, poll);
	cr_expect_lt(irq, 10.0, "interrupt mode used %.1f%% of a core with no traffic", irq);
	cr_expect_gt(poll, 50.0, "polling used only %.1f%% of a core with no traffic", poll);
}
