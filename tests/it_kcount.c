// SPDX-License-Identifier: MIT
/*
 * it_kcount.c: the kernel backends' own counts of system calls and copied bytes per packet
 * (fwd-afp, fwd-sock, fwd-xdp) and their Tier 1 figures in `linerate regress`, as root on the lr-
 * topology.
 *
 * Suite it_kcount builds the topology in .init and removes it in .fini (killing a forwarder a
 * failed test left, stopped or not). Each test starts a forwarder, stops it with SIGSTOP once
 * it is ready, sends a burst of BURST frames of 64 B with `tgen run --count` while it cannot
 * read, lets it go with SIGCONT and reads its JSON row once it sent the burst. Every batch is
 * then full, so the counts follow from the code:
 *  - fwd-afp reads its RX ring without a call or a copy, copies each frame into a TX ring slot
 *    (60 B: 64 B on the wire less the FCS) and kicks the ring with one sendto() per batch;
 *    with --tx sendmmsg it makes one sendmmsg() per batch instead, which carries the 60 B.
 *  - fwd-sock makes one recvmmsg() and one sendmmsg() per batch; each carries the UDP payload
 *    (64 - 4 - 42 = 18 B) across the user boundary, so 36 B per packet.
 * The idle calls (poll, empty or timed-out receives) depend on time and are reported apart.
 *
 * Suite it_kcount_regress checks `linerate regress` end to end: it brings the topology up and
 * down itself, writes the six kernel figures into a baseline, passes against it, and skips
 * them with a note when not run as root.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_helpers.h"
#include "pkt.h"
#include "topo_defs.h"

/* valgrind cannot run an ASan lr-paths: the sanitizer build measures the plain one */
#if defined(__SANITIZE_ADDRESS__)
#define LR_PATHS LR_BINDIR "/../../bin/lr-paths"
#else
#define LR_PATHS LR_BINDIR "/lr-paths"
#endif
#define FWD_AFP    LR_BINDIR "/fwd-afp"
#define FWD_SOCK   LR_BINDIR "/fwd-sock"
#define TGEN       LR_BINDIR "/tgen"
#define BURST      256
#define WIRE       64
#define FRAME      (WIRE - 4)                   /* FCS excluded */
#define PAYLOAD    (FRAME - PKT_UDP_FRAME_HLEN) /* what a UDP socket sees */
#define READY_MS   10000
#define SETTLE_MS  200
#define DRAIN_MS   5000
#define STOP_MS    5000
#define ROW_MAX    (1 << 14)
#define STDERR_MAX (1 << 16)

static pid_t fwd_pid = -1;
static char out_path[64], err_path[64];

static void setup(void)
{
	struct it_result r;

	snprintf(out_path, sizeof(out_path), "/tmp/lr-it-kcount-%d.out", (int)getpid());
	snprintf(err_path, sizeof(err_path), "/tmp/lr-it-kcount-%d.err", (int)getpid());
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "linerate topo up failed: %s", r.err);
	it_result_free(&r);
}

static void teardown(void)
{
	struct it_result r;

	if (fwd_pid > 0) {
		kill(fwd_pid, SIGKILL);
		kill(fwd_pid, SIGCONT);
		waitpid(fwd_pid, NULL, 0);
		fwd_pid = -1;
	}
	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	it_result_free(&r);
	unlink(out_path);
	unlink(err_path);
}

TestSuite(it_kcount, .init = setup, .fini = teardown, .timeout = 60);

/* ---- one burst through a stopped forwarder ---- */

static const char *fwd_stderr(void)
{
	static char buf[STDERR_MAX];

	return it_read_into(err_path, buf, sizeof(buf));
}

/* Starts argv with stdout and stderr into files and waits for its ready line. */
static void fwd_start(const char *const argv[], const char *ready)
{
	static char why[1 << 14];

	fwd_pid = it_start_ready(argv, out_path, err_path, ready, READY_MS, SETTLE_MS, why,
				 sizeof(why));
	cr_assert_gt(fwd_pid, 0, "%s", why);
}

/* The tx count of the forwarder's last periodic line (0 before the first). */
static unsigned long long fwd_sent(void)
{
	const char *p = fwd_stderr(), *last = NULL;

	while ((p = strstr(p, ")  tx ")))
		last = p++;
	return last ? strtoull(last + 6, NULL, 10) : 0;
}

/* Sends the burst with tgen (engine arguments in engine) while the forwarder is stopped. */
static void burst(const char *const engine[])
{
	const char *argv[IT_MAX_ARGS] = {TGEN,       "run",  "--count", "256", "--ramp",   "off",
					 "--rx-dev", "none", "--cpu",   "0",   "--format", "json"};
	unsigned n = 12;
	struct it_result r;
	int status;

	for (unsigned i = 0; engine[i]; i++)
		argv[n++] = engine[i];
	argv[n] = NULL;
	cr_assert_eq(kill(fwd_pid, SIGSTOP), 0);
	cr_assert_eq(waitpid(fwd_pid, &status, WUNTRACED), fwd_pid);
	cr_assert(WIFSTOPPED(status), "forwarder not stopped: 0x%x", status);
	it_run(argv, &r);
	it_sleep_ms(SETTLE_MS);
	kill(fwd_pid, SIGCONT);
	cr_assert_eq(r.status, 0, "tgen exited %d: %s%s", r.status, r.out, r.err);
	it_result_free(&r);
}

/* Waits until the burst went out, stops the forwarder and returns its JSON row (static). */
static const char *fwd_finish(void)
{
	static char row[ROW_MAX];
	uint64_t deadline = it_now_ms() + DRAIN_MS;
	int status = 0;

	while (fwd_sent() < BURST && it_now_ms() < deadline)
		it_sleep_ms(20);
	kill(fwd_pid, SIGINT);
	deadline = it_now_ms() + STOP_MS;
	while (waitpid(fwd_pid, &status, WNOHANG) != fwd_pid) {
		cr_assert_lt(it_now_ms(), deadline, "forwarder did not stop on SIGINT");
		it_sleep_ms(20);
	}
	fwd_pid = -1;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "forwarder status 0x%x: %s",
		  status, fwd_stderr());
	return it_read_into(out_path, row, sizeof(row));
}

static double json_num(const char *row, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(row, pat);
	cr_assert_not_null(p, "no %s in: %s", key, row);
	return strtod(p + strlen(pat), NULL);
}

/* What one burst run must report. */
struct expect {
	unsigned calls;       /* system calls that moved packets */
	const char *kinds;    /* how syscalls_by_kind starts, e.g. "recvmmsg 8, sendmmsg 8" */
	unsigned copied_each; /* bytes copied per packet */
};

/* Runs one burst through prog with args and checks its counts against e. */
static void burst_check(const char *prog, const char *ready, const char *const args[],
			const char *const engine[], const struct expect *e)
{
	const char *argv[IT_MAX_ARGS] = {prog, "--format", "json", "--stats-interval", "20ms"};
	unsigned n = 5;
	const char *row;
	char kinds[96];

	for (unsigned i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fwd_start(argv, ready);
	burst(engine);
	row = fwd_finish();
	cr_assert_eq(json_num(row, "rx_pkts"), BURST, "%s", row);
	cr_assert_eq(json_num(row, "tx_pkts"), BURST, "%s", row);
	cr_assert_eq(json_num(row, "syscalls"), e->calls, "%s", row);
	cr_assert_eq(json_num(row, "syscalls_per_packet"), (double)e->calls / BURST, "%s", row);
	cr_assert_eq(json_num(row, "copied_bytes"), (double)e->copied_each * BURST, "%s", row);
	cr_assert_eq(json_num(row, "copied_bytes_per_packet"), e->copied_each, "%s", row);
	snprintf(kinds, sizeof(kinds), "\"syscalls_by_kind\":\"%s; idle: ", e->kinds);
	cr_assert(it_contains(row, kinds), "want %s in %s", kinds, row);
}

static const char *const engine_afp[] = {"--engine", "afp", NULL};
static const char *const engine_sock[] = {"--engine", "sock", "--dst-ip", TOPO_IP_D0, NULL};

Test(it_kcount, afp_batch_32_one_sendto_per_batch_and_one_copy_per_frame)
{
	const char *const args[] = {"--batch", "32", NULL};
	const struct expect e = {BURST / 32, "sendto 8", FRAME};

	burst_check(FWD_AFP, "forwarding", args, engine_afp, &e);
}

Test(it_kcount, afp_batch_1_one_sendto_per_packet)
{
	const char *const args[] = {"--batch", "1", NULL};
	const struct expect e = {BURST, "sendto 256", FRAME};

	burst_check(FWD_AFP, "forwarding", args, engine_afp, &e);
}

Test(it_kcount, afp_sendmmsg_batch_32_one_sendmmsg_per_batch)
{
	const char *const args[] = {"--batch", "32", "--tx", "sendmmsg", NULL};
	const struct expect e = {BURST / 32, "sendmmsg 8", FRAME};

	burst_check(FWD_AFP, "forwarding", args, engine_afp, &e);
}

Test(it_kcount, sock_batch_32_one_recvmmsg_and_one_sendmmsg_per_batch)
{
	const char *const args[] = {"--batch", "32", NULL};
	const struct expect e = {2 * BURST / 32, "recvmmsg 8, sendmmsg 8", 2 * PAYLOAD};

	burst_check(FWD_SOCK, "relaying", args, engine_sock, &e);
}

Test(it_kcount, sock_batch_1_two_calls_per_packet)
{
	const char *const args[] = {"--batch", "1", NULL};
	const struct expect e = {2 * BURST, "recvmmsg 256, sendmmsg 256", 2 * PAYLOAD};

	burst_check(FWD_SOCK, "relaying", args, engine_sock, &e);
}

/* ---- linerate regress ---- */

static char base_dir[] = "/tmp/lr-it-kcount-XXXXXX";
static char base_file[64];

static void regress_setup(void)
{
	strcpy(base_dir, "/tmp/lr-it-kcount-XXXXXX");
	cr_assert_not_null(mkdtemp(base_dir), "mkdtemp: %s", strerror(errno));
	chmod(base_dir, 0777); /* the unprivileged run writes its baseline here */
	snprintf(base_file, sizeof(base_file), "%s/baseline.json", base_dir);
}

static void regress_teardown(void)
{
	struct it_result r;

	unlink(base_file);
	rmdir(base_dir);
	it_runl(&r, IT_LINERATE, "topo", "down", NULL); /* in case a failed run left it */
	it_result_free(&r);
}

TestSuite(it_kcount_regress, .init = regress_setup, .fini = regress_teardown, .timeout = 120);

/* Returns the value of figure id in a baseline file's text. */
static double baseline_value(const char *text, const char *id)
{
	char pat[96];
	const char *p;

	snprintf(pat, sizeof(pat), "\"id\": \"%s\"", id);
	p = strstr(text, pat);
	cr_assert_not_null(p, "no %s in the baseline:\n%s", id, text);
	p = strstr(p, "\"value\": ");
	cr_assert_not_null(p);
	return strtod(p + strlen("\"value\": "), NULL);
}

Test(it_kcount_regress, builds_the_topology_writes_the_figures_and_passes)
{
	static char text[1 << 14];
	struct it_result r;

	cr_assert(!it_netns_exists(TOPO_NS_DUT), "the lr- topology is up before the test");
	it_runl(&r, IT_LINERATE, "regress", "--packets", "20000", "--baseline", base_file,
		"--paths-bin", LR_PATHS, "--history", "none", "--update-baseline", NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	it_result_free(&r);
	cr_assert(!it_netns_exists(TOPO_NS_DUT), "regress left the lr- topology up");
	it_read_into(base_file, text, sizeof(text));
	cr_assert_eq(baseline_value(text, "fwd-sock/64_B/syscalls/packet"), 0.0625);
	cr_assert_eq(baseline_value(text, "fwd-sock/64_B/copied_bytes/packet"), 2 * PAYLOAD);
	cr_assert_eq(baseline_value(text, "fwd-afp/64_B/syscalls/packet"), 0.0313); /* 8/256 */
	cr_assert_eq(baseline_value(text, "fwd-afp/64_B/copied_bytes/packet"), FRAME);
	/* fwd-xdp: one sendto kick per batch, each frame copied into the other port's UMEM */
	cr_assert_eq(baseline_value(text, "fwd-xdp/64_B/syscalls/packet"), 0.0313);
	cr_assert_eq(baseline_value(text, "fwd-xdp/64_B/copied_bytes/packet"), FRAME);
	it_runl(&r, IT_LINERATE, "regress", "--packets", "20000", "--baseline", base_file,
		"--paths-bin", LR_PATHS, "--history", "none", NULL);
	cr_assert_eq(r.status, 0, "unchanged code did not pass: %s%s", r.out, r.err);
	cr_assert(it_contains(r.out, "fwd-afp/64_B/syscalls/packet"), "%s", r.out);
	it_result_free(&r);
}

Test(it_kcount_regress, skips_the_kernel_figures_with_a_note_when_not_root)
{
	static char text[1 << 14];
	const char *argv[] = {IT_LINERATE,  "regress", "--packets",         "20000",
			      "--baseline", base_file, "--paths-bin",       LR_PATHS,
			      "--history",  "none",    "--update-baseline", NULL};
	struct it_result r;

	it_run_as_nobody(argv, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(it_contains(r.err, "need root"), "no note in: %s", r.err);
	it_result_free(&r);
	it_read_into(base_file, text, sizeof(text));
	cr_assert(it_contains(text, "fwd/64_B/instructions/packet"), "%s", text);
	cr_assert(!it_contains(text, "fwd-sock/"), "%s", text);
	cr_assert(!it_contains(text, "fwd-afp/"), "%s", text);
	cr_assert(!it_contains(text, "fwd-xdp/"), "%s", text);
}
