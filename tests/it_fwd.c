// SPDX-License-Identifier: MIT
/*
 * it_fwd.c: the forwarders (build/bin/fwd-afp, fwd-xdp, fwd-sock, fwd-dpdk) on the lr- topology,
 * as root. Every test builds the topology with `linerate topo up --hugepages 256` in .init and
 * removes it with `topo down` in .fini, killing a forwarder left running by a failed test.
 *
 * Checked, for each value of each knob (batch 1 and 64, ring none/lockfree/mutex and rte for
 * fwd-dpdk, hugepages on and off, affinity pinned and floating; values are combined so that
 * every one is covered): tgen drives the forwarder at 20 kpps for 1 s with no loss, the
 * forwarder's JSON row says rx == tx (and at least what tgen sent), and every frame tgen
 * captures at lr-k1 (--pcap-out, read back here) has TTL 63 (tgen sends 64), a valid IPv4
 * checksum and the out-link's MACs (src lr-d1 02:00:00:00:01:02, dst lr-k1 02:00:00:00:01:01).
 * fwd-dpdk --rx-mode interrupt (over two net_tap ports in lr-dut: DPDK 22.11's veth and memif
 * PMDs have no RX interrupts) forwards every frame and sleeps when idle: its CPU time over the
 * run stays under a tenth of the wall time, while --rx-mode poll spins (three times more).
 * fwd-xdp runs each AF_XDP knob too (native and generic XDP, copy mode, need_wakeup on and
 * off, blocking and busy-polling). fwd-dpdk is also driven over two net_memif links by tgen --engine dpdk (over a socket file a
 * dead server left behind, which must not stop it), and with --pmd af_xdp. A sender of our own
 * (io_afp on lr-g0) mixes frames with a bad IPv4 checksum, TTL 1 and 0, a bad IHL and ARP into
 * good ones (fwd-afp, fwd-xdp, fwd-dpdk): the forwarder counts each by reason in its note and only the good ones arrive,
 * forwarded. With --bidir, frames from both ends cross in both directions with each side's
 * MACs.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "csum.h"
#include "io.h"
#include "io_afp.h"
#include "it_helpers.h"
#include "lr.h"
#include "pkt.h"
#include "topo_defs.h"

#define FWD_AFP     LR_BINDIR "/fwd-afp"
#define FWD_XDP     LR_BINDIR "/fwd-xdp"
#define FWD_SOCK    LR_BINDIR "/fwd-sock"
#define FWD_DPDK    LR_BINDIR "/fwd-dpdk"
#define TGEN        LR_BINDIR "/tgen"
#define TMP_DIR     "/tmp"
#define READY_MS    20000 /* a DPDK forwarder may take seconds to start */
#define STOP_MS     10000
#define MEMIF_IN    TOPO_STATE_DIR "/lr-fwd-in.sock"
#define MEMIF_OUT   TOPO_STATE_DIR "/lr-fwd-out.sock"
#define TTL_SENT    64
#define FLOW_FWD    4242 /* flow ids of our own sender's frames */
#define FLOW_BACK   4243
#define RING_FRAMES 1024

/* The forwarder of the running test. */
static pid_t fwd_pid = -1;
static char out_path[64], err_path[64], pcap_path[64];

static void setup(void)
{
	struct it_result r;

	snprintf(out_path, sizeof(out_path), TMP_DIR "/lr-it-fwd-%d.out", (int)getpid());
	snprintf(err_path, sizeof(err_path), TMP_DIR "/lr-it-fwd-%d.err", (int)getpid());
	snprintf(pcap_path, sizeof(pcap_path), TMP_DIR "/lr-it-fwd-%d.pcap", (int)getpid());
	it_runl(&r, IT_LINERATE, "topo", "up", "--hugepages", "256", NULL);
	cr_assert_eq(r.status, 0, "linerate topo up --hugepages 256 failed: %s", r.err);
	it_result_free(&r);
}

static void teardown(void)
{
	if (fwd_pid > 0) {
		kill(fwd_pid, SIGKILL);
		waitpid(fwd_pid, NULL, 0);
		fwd_pid = -1;
	}
	it_run_quiet((const char *[]){IT_LINERATE, "topo", "down", NULL});
	unlink(out_path);
	unlink(err_path);
	unlink(pcap_path);
}

TestSuite(fwd_it, .init = setup, .fini = teardown, .timeout = 90);

/* ---- the forwarder process ---- */

/* What the forwarder wrote to stderr, for failure messages (a static buffer: an assertion
 * that fails leaves the test without freeing anything). */
static const char *fwd_stderr(void)
{
	static char buf[1 << 16];

	return it_read_into(err_path, buf, sizeof(buf));
}

/* Starts argv in the background (stdout and stderr to files) and waits until its stderr says
 * ready; the test fails with what it printed if it exits first. */
static void fwd_start(const char *const argv[], const char *ready)
{
	static char why[1 << 14];

	fwd_pid = it_start_ready(argv, out_path, err_path, ready, READY_MS, 200, why, sizeof(why));
	cr_assert_gt(fwd_pid, 0, "%s", why);
}

/* Stops the forwarder with SIGINT and returns its stdout (the report, in a static buffer that
 * the next call reuses). */
static const char *fwd_finish(void)
{
	static char row[1 << 16];
	uint64_t deadline = it_now_ms() + STOP_MS;
	int status = 0;

	cr_assert_gt(fwd_pid, 0);
	kill(fwd_pid, SIGINT);
	while (waitpid(fwd_pid, &status, WNOHANG) != fwd_pid) {
		cr_assert_lt(it_now_ms(), deadline, "forwarder did not stop on SIGINT");
		it_sleep_ms(20);
	}
	fwd_pid = -1;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "forwarder ended with status 0x%x: %s", status, fwd_stderr());
	return it_read_into(out_path, row, sizeof(row));
}

/* Reads the number after "key": in a JSON row; fails the test when it is missing. */
static long long json_num(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	cr_assert_not_null(p, "no %s in: %s", key, json);
	return strtoll(p + strlen(pat), NULL, 10);
}

/* Reads "name=N" from the note of a forwarder's JSON row (0 when the reason is absent: the
 * note lists only non-zero counters). */
static long long note_count(const char *json, const char *name)
{
	const char *note = strstr(json, "\"note\":\"drops: ");
	char pat[48];
	const char *p;

	cr_assert_not_null(note, "no drops note in: %s", json);
	snprintf(pat, sizeof(pat), " %s=", name);
	p = strstr(note + strlen("\"note\":\"drops:"), pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : 0;
}

/* ---- what arrives at the sink ---- */

/* Asserts one frame that came out of the forwarder: IPv4 with TTL 63, a valid header
 * checksum, and the MACs of the link it left on. */
static void frame_check(const uint8_t *f, uint32_t len, const char *src, const char *dst,
			unsigned n)
{
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)(f + PKT_ETH_HLEN);
	uint8_t smac[PKT_ETH_ALEN], dmac[PKT_ETH_ALEN];
	char a[18], b[18];

	cr_assert_geq(len, PKT_ETH_HLEN + PKT_IPV4_HLEN, "frame %u: %u bytes", n, len);
	cr_assert_eq(pkt_mac_parse(src, smac), 0);
	cr_assert_eq(pkt_mac_parse(dst, dmac), 0);
	cr_assert_eq(memcmp(f, dmac, 6), 0, "frame %u: dst MAC %s, want %s", n, pkt_mac_str(f, a),
		     dst);
	cr_assert_eq(memcmp(f + 6, smac, 6), 0, "frame %u: src MAC %s, want %s", n,
		     pkt_mac_str(f + 6, b), src);
	cr_assert_eq(ip->ttl, TTL_SENT - 1, "frame %u: TTL %u, want %u", n, ip->ttl, TTL_SENT - 1);
	cr_assert(csum_ipv4_hdr_ok(ip), "frame %u: bad IPv4 header checksum", n);
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Reads tgen's capture (the pcap format, read here without libpcap) and checks every frame
 * tgen received: the forwarder's output; returns how many there were. */
static unsigned pcap_check(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t hdr[24], rec[16], frame[65536];
	unsigned n = 0;
	bool swap;
	uint32_t magic;

	cr_assert_not_null(f, "no capture at %s", path);
	cr_assert_eq(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr), "capture has no header");
	memcpy(&magic, hdr, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	cr_assert(swap || magic == 0xa1b2c3d4 || magic == 0xa1b23c4d, "not a pcap file");
	while (fread(rec, 1, sizeof(rec), f) == sizeof(rec)) {
		uint32_t caplen = rd32(rec + 8, swap);

		cr_assert_leq(caplen, sizeof(frame));
		cr_assert_eq(fread(frame, 1, caplen, f), caplen, "capture cut short");
		frame_check(frame, caplen, TOPO_MAC_D1, TOPO_MAC_K1, n);
		n++;
	}
	fclose(f);
	return n;
}

/* Drives the running forwarder with tgen at 20 kpps for 1 s (extra: more tgen arguments,
 * e.g. EAL ones first), checks tgen lost nothing and every captured frame, then stops the
 * forwarder and checks its row: rx == tx, at least what tgen sent. Returns the row. */
static const char *drive(const char *const pre[], const char *const extra[])
{
	const char *argv[IT_MAX_ARGS];
	struct it_result r;
	long long sent, got, rx, tx;
	unsigned n = 0, frames;
	const char *row;

	argv[n++] = TGEN;
	for (unsigned i = 0; pre && pre[i]; i++)
		argv[n++] = pre[i];
	const char *const common[] = {"run", "--rate",   "20kpps", "--duration", "1s",      "--cpu",
				      "0",   "--format", "json",   "--pcap-out", pcap_path, NULL};
	for (unsigned i = 0; common[i]; i++)
		argv[n++] = common[i];
	for (unsigned i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	it_run(argv, &r);
	cr_assert_eq(r.status, 0, "tgen exited %d: %s%s", r.status, r.out, r.err);
	sent = json_num(r.out, "tx_pkts");
	got = json_num(r.out, "rx_pkts");
	if (got != sent) {
		/* Once, a whole run again through the same forwarder: a stall of the shared VM
		 * (seen: 100 ms, p99 latency 93 ms, 1005 of 18,892 frames lost at 20 kpps on the
		 * af_xdp PMD's 1024-slot ring, passing 5 of 5 alone) overflows any ring. A
		 * forwarder that loses frames by itself loses them in the second run too. */
		/* on stderr, not cr_log_warn(): a warning makes Criterion exit 1 with every test
		 * passed (make test-asan failed so, 495/495) */
		fprintf(stderr, "it_fwd: tgen sent %lld, got back %lld: running it once more\n",
			sent, got);
		it_result_free(&r);
		it_run(argv, &r);
		cr_assert_eq(r.status, 0, "tgen exited %d: %s%s", r.status, r.out, r.err);
		sent = json_num(r.out, "tx_pkts");
		got = json_num(r.out, "rx_pkts");
	}
	/* the schedule is 20,000 frames; on a shared 2-core machine the generator can lose
	 * 100 ms or more to other work (seen: 14,660 with two builds running), so this only asks that it ran: what
	 * the test checks is that every frame sent comes back, below */
	cr_assert_geq(sent, 2000, "tgen sent %lld frames in 1 s at 20 kpps", sent);
	cr_assert_eq(got, sent, "tgen sent %lld, got back %lld: %s", sent, got, r.out);
	it_result_free(&r);
	frames = pcap_check(pcap_path);
	cr_assert_geq(frames, (unsigned)sent, "captured %u frames of %lld", frames, sent);
	row = fwd_finish();
	rx = json_num(row, "rx_pkts");
	tx = json_num(row, "tx_pkts");
	cr_assert_eq(rx, tx, "forwarder received %lld, sent %lld: %s", rx, tx, row);
	cr_assert_geq(rx, sent, "forwarder saw %lld frames, tgen sent %lld", rx, sent);
	cr_assert_eq(note_count(row, "tx_fail"), 0);
	return row;
}

/* Runs one forwarder (argv, NULL-terminated) under tgen and checks its row's knob columns. */
static void knob_run(const char *const argv[], const char *ready, const char *const tgen_pre[],
		     const char *const tgen_extra[], const char *want[][2])
{
	const char *row;

	fwd_start(argv, ready);
	row = drive(tgen_pre, tgen_extra);
	for (unsigned i = 0; want && want[i][0]; i++) {
		char pat[96];

		snprintf(pat, sizeof(pat), "\"%s\":%s", want[i][0], want[i][1]);
		cr_assert_not_null(strstr(row, pat), "row lacks %s: %s", pat, row);
	}
}

/* ---- the knob tests: tgen through each forwarder ---- */

#define JSON "--format", "json"

Test(fwd_it, afp_batch_1_ring_none_pinned_hugepages_off)
{
	const char *argv[] = {FWD_AFP,  "--batch",     "1",   "--ring", "none", "--affinity",
			      "pinned", "--hugepages", "off", JSON,     NULL};
	const char *want[][2] = {{"batch", "1"},         {"ring", "\"none\""},
				 {"hugepages", "0"},     {"affinity", "\"pinned\""},
				 {"backend", "\"afp\""}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, afp_batch_64_ring_lockfree_floating_hugepages_on)
{
	const char *argv[] = {FWD_AFP,    "--batch",     "64", "--ring", "lockfree", "--affinity",
			      "floating", "--hugepages", "on", JSON,     NULL};
	const char *want[][2] = {{"batch", "64"},
				 {"ring", "\"lockfree\""},
				 {"hugepages", "1"},
				 {"affinity", "\"floating\""},
				 {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, afp_ring_mutex_tpacket_v3_sendmmsg_polling)
{
	const char *argv[] = {FWD_AFP, "--ring",   "mutex",  "--tpacket", "v3",
			      "--tx",  "sendmmsg", "--poll", JSON,        NULL};
	const char *want[][2] = {{"ring", "\"mutex\""}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, xdp_batch_1_ring_none_pinned_hugepages_off)
{
	const char *argv[] = {FWD_XDP,  "--batch",     "1",   "--ring", "none", "--affinity",
			      "pinned", "--hugepages", "off", JSON,     NULL};
	const char *want[][2] = {{"batch", "1"},         {"ring", "\"none\""},
				 {"hugepages", "0"},     {"affinity", "\"pinned\""},
				 {"backend", "\"xdp\""}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, xdp_batch_64_ring_lockfree_floating_hugepages_on_busy_poll)
{
	const char *argv[] = {FWD_XDP,    "--batch",     "64", "--ring", "lockfree", "--affinity",
			      "floating", "--hugepages", "on", "--poll", JSON,       NULL};
	const char *want[][2] = {{"batch", "64"},
				 {"ring", "\"lockfree\""},
				 {"hugepages", "1"},
				 {"affinity", "\"floating\""},
				 {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, xdp_ring_mutex_generic_copy_no_wakeup)
{
	const char *argv[] = {FWD_XDP, "--ring",        "mutex", "--xdp-mode", "generic", "--copy",
			      "copy",  "--need-wakeup", "off",   JSON,         NULL};
	const char *want[][2] = {{"ring", "\"mutex\""}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

/* veth has no zero-copy AF_XDP: insisting on it is refused with the fix. */
Test(fwd_it, xdp_zerocopy_on_veth_is_refused_with_the_fix)
{
	struct it_result r;

	it_runl(&r, FWD_XDP, "--copy", "zerocopy", "--duration", "1s", NULL);
	cr_assert_neq(r.status, 0, "fwd-xdp --copy zerocopy ran on veth: %s", r.out);
	cr_assert(it_contains(r.err, "--copy copy"), "message: %s", r.err);
	it_result_free(&r);
}

/* A missing interface is named with its namespace and the fix; so is a missing namespace. */
Test(fwd_it, xdp_missing_interface_or_namespace_is_named)
{
	struct it_result r;

	it_runl(&r, FWD_XDP, "--in", "lr-none0", "--duration", "1s", NULL);
	cr_assert_neq(r.status, 0);
	cr_assert(it_contains(r.err, "lr-none0") && it_contains(r.err, TOPO_NS_DUT) &&
			  it_contains(r.err, "linerate topo up"),
		  "message: %s", r.err);
	it_result_free(&r);
	it_runl(&r, FWD_XDP, "--netns", "lr-nonens", "--duration", "1s", NULL);
	cr_assert_neq(r.status, 0);
	cr_assert(it_contains(r.err, "lr-nonens"), "message: %s", r.err);
	it_result_free(&r);
}

static const char *const to_sock[] = {"--dst-ip", TOPO_IP_D0, NULL};

Test(fwd_it, sock_batch_1_ring_none_pinned_hugepages_off)
{
	const char *argv[] = {FWD_SOCK, "--batch",     "1",   "--ring", "none", "--affinity",
			      "pinned", "--hugepages", "off", JSON,     NULL};
	const char *want[][2] = {{"batch", "1"},          {"ring", "\"none\""},
				 {"hugepages", "0"},      {"affinity", "\"pinned\""},
				 {"backend", "\"sock\""}, {NULL, NULL}};

	knob_run(argv, "relaying", NULL, to_sock, want);
}

Test(fwd_it, sock_batch_64_ring_lockfree_floating_hugepages_on)
{
	const char *argv[] = {FWD_SOCK,   "--batch",     "64", "--ring", "lockfree", "--affinity",
			      "floating", "--hugepages", "on", JSON,     NULL};
	const char *want[][2] = {{"batch", "64"},
				 {"ring", "\"lockfree\""},
				 {"hugepages", "1"},
				 {"affinity", "\"floating\""},
				 {NULL, NULL}};

	knob_run(argv, "relaying", NULL, to_sock, want);
}

Test(fwd_it, sock_ring_mutex_polling)
{
	const char *argv[] = {FWD_SOCK, "--ring", "mutex", "--poll", JSON, NULL};
	const char *want[][2] = {{"ring", "\"mutex\""}, {NULL, NULL}};

	knob_run(argv, "relaying", NULL, to_sock, want);
}

Test(fwd_it, dpdk_batch_1_ring_none_pinned_hugepages_off)
{
	const char *argv[] = {FWD_DPDK,     "--",     "--batch",     "1",   "--ring", "none",
			      "--affinity", "pinned", "--hugepages", "off", JSON,     NULL};
	const char *want[][2] = {{"batch", "1"},
				 {"ring", "\"none\""},
				 {"hugepages", "0"},
				 {"affinity", "\"pinned\""},
				 {"backend", "\"dpdk\""},
				 {"link", "\"veth\""},
				 {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, dpdk_batch_64_ring_lockfree_floating_hugepages_on)
{
	const char *argv[] = {FWD_DPDK,     "--",       "--batch",     "64", "--ring", "lockfree",
			      "--affinity", "floating", "--hugepages", "on", JSON,     NULL};
	const char *want[][2] = {{"batch", "64"},
				 {"ring", "\"lockfree\""},
				 {"hugepages", "1"},
				 {"affinity", "\"floating\""},
				 {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, dpdk_ring_mutex)
{
	/* --hugepages off: without it the default follows the reserved pages (it_cli tests it) */
	const char *argv[] = {FWD_DPDK, "--", "--ring", "mutex", "--hugepages", "off", JSON, NULL};
	const char *want[][2] = {{"ring", "\"mutex\""}, {"hugepages", "0"}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, dpdk_af_xdp_pmd)
{
	const char *argv[] = {FWD_DPDK, "--", "--pmd", "af_xdp", JSON, NULL};
	const char *want[][2] = {{"link", "\"veth\""}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

Test(fwd_it, dpdk_ring_rte_hugepages_on)
{
	const char *argv[] = {FWD_DPDK, "--", "--ring", "rte", "--hugepages", "on", JSON, NULL};
	const char *want[][2] = {{"ring", "\"rte\""}, {"hugepages", "1"}, {NULL, NULL}};

	knob_run(argv, "forwarding", NULL, NULL, want);
}

/* Leaves a socket file at path as a server that died would (bound, never unlinked). */
static void stale_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	cr_assert_geq(fd, 0);
	mkdir(TOPO_STATE_DIR, 0755); /* best effort: topo up made it */
	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "bind %s: %s", path,
		     strerror(errno));
	close(fd);
}

/* tgen's options for the DPDK engine as a memif client of fwd-dpdk --memif. */
#define TGEN_MEMIF                                                                                 \
	"--engine", "dpdk", "--hugepages", "on", "--tx-port",                                      \
		"net_memif0,role=client,id=0,socket=" MEMIF_IN ",socket-abstract=no", "--rx-port", \
		"net_memif1,role=client,id=0,socket=" MEMIF_OUT ",socket-abstract=no"

/* The memif topology; a socket file left by a dead server does not stop fwd-dpdk. */
Test(fwd_it, dpdk_memif_driven_by_tgen_dpdk)
{
	const char *argv[] = {FWD_DPDK, "--", "--memif", "--hugepages", "on", JSON, NULL};
	const char *pre[] = {"-l", "0", "--no-pci", "--", NULL};
	const char *extra[] = {TGEN_MEMIF, NULL};
	const char *want[][2] = {{"link", "\"memif\""}, {NULL, NULL}};

	stale_socket(MEMIF_IN);
	knob_run(argv, "forwarding", pre, extra, want);
	cr_assert_neq(access(MEMIF_IN, F_OK), 0, "fwd-dpdk left %s behind", MEMIF_IN);
}

/* A deliberately throttled DUT (fwd-dpdk --test-delay, test only) behind memif: tgen asks for
 * more than it forwards, the memif ring fills and tx_burst comes back short. The trial must be
 * the DUT's limit ("DUT backpressure", status ok), never generator-bound (issue 11). */
Test(fwd_it, dpdk_memif_throttled_dut_is_dut_limited_not_generator_bound)
{
	const char *argv[] = {FWD_DPDK,       "--",    "--memif", "--hugepages", "on",
			      "--test-delay", "10000", JSON,      NULL};
	const char *tgen[] = {TGEN,       "-l",      "0",          "--no-pci", "--",    "run",
			      "--rate",   "400kpps", "--duration", "1s",       "--cpu", "0",
			      "--format", "json",    TGEN_MEMIF,   NULL};
	struct it_result r;
	long long sent;
	const char *row;

	fwd_start(argv, "forwarding");
	it_run(tgen, &r);
	cr_assert_eq(r.status, 0, "tgen exited %d: %s%s", r.status, r.out, r.err);
	sent = json_num(r.out, "tx_pkts");
	cr_expect_lt(sent, 300000, "a 10 us/frame DUT cannot take 400 kpps (sent %lld): %s", sent,
		     r.out);
	cr_expect_null(strstr(r.out, "\"generator-bound\""),
		       "throttled DUT called generator-bound: %s", r.out);
	cr_expect_not_null(strstr(r.out, "\"status\":\"ok\""), "%s", r.out);
	cr_expect_not_null(strstr(r.out, "DUT backpressure"), "%s", r.out);
	it_result_free(&r);
	row = fwd_finish();
	cr_expect_not_null(strstr(row, "TEST ONLY --test-delay"), "%s", row);
}

/* ---- our own sender: bad frames and both directions ---- */

static struct io_port *afp_port(const char *ns, const char *dev, bool rx, bool tx)
{
	struct afp_cfg cfg = {
		.ifname = dev,
		.netns = ns,
		.version = 2,
		.ring_frames = RING_FRAMES,
		.frame_size = 2048,
		.tx_mode = AFP_TX_SENDMMSG,
		.rx = rx,
		.tx = tx,
	};
	char err[256];
	struct io_port *p = afp_open(&cfg, err, sizeof(err));

	cr_assert_not_null(p, "afp_open %s in %s: %s", dev, ns, err);
	return p;
}

/* One end of the topology our frames leave from. */
struct end {
	const char *smac, *dmac, *sip, *dip;
	uint16_t flow;
};

static const struct end from_gen = {TOPO_MAC_G0, TOPO_MAC_D0, TOPO_IP_G0, TOPO_IP_K1, FLOW_FWD};
static const struct end from_gen_to_sock = {TOPO_MAC_G0, TOPO_MAC_D0, TOPO_IP_G0, TOPO_IP_D0,
					    FLOW_FWD};
static const struct end from_sink = {TOPO_MAC_K1, TOPO_MAC_D1, TOPO_IP_K1, TOPO_IP_G0, FLOW_BACK};

/* Builds a 64-byte UDP test frame of e, sequence seq, TTL 64; returns its length. */
static uint32_t frame_make(uint8_t *buf, const struct end *e, uint32_t seq)
{
	struct pkt_udp_spec spec = {.src_port = 10000, .dst_port = 9000, .ttl = TTL_SENT};
	int len;

	cr_assert_eq(pkt_mac_parse(e->smac, spec.src_mac), 0);
	cr_assert_eq(pkt_mac_parse(e->dmac, spec.dst_mac), 0);
	cr_assert_eq(pkt_ip_parse(e->sip, &spec.src_ip), 0);
	cr_assert_eq(pkt_ip_parse(e->dip, &spec.dst_ip), 0);
	len = pkt_build_udp(buf, 2048, 64, &spec);
	cr_assert_gt(len, 0);
	pkt_payload_write(buf + PKT_UDP_FRAME_HLEN, e->flow, seq, 0);
	/* the payload changed: patch the UDP checksum so the kernel (fwd-sock) accepts it */
	struct udp_hdr *udp = (struct udp_hdr *)(buf + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	udp->csum = 0;
	udp->csum = csum_ipv4_l4((const struct ipv4_hdr *)(buf + PKT_ETH_HLEN), udp,
				 (size_t)len - PKT_ETH_HLEN - PKT_IPV4_HLEN);
	return (uint32_t)len;
}

static void ip_csum_fix(uint8_t *f)
{
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f + PKT_ETH_HLEN);

	ip->csum = 0;
	ip->csum = csum_ipv4_hdr(ip);
}

/* Sends one frame on p, waiting briefly while the port is busy. */
static void send_one(struct io_port *p, const uint8_t *f, uint32_t len)
{
	struct io_buf b;
	uint64_t deadline = it_now_ms() + 2000;

	while (io_alloc(p, &b, 1) != 1)
		cr_assert_lt(it_now_ms(), deadline, "no transmit buffer on %s", p->name);
	memcpy(b.data, f, len);
	b.len = len;
	while (io_tx_burst(p, &b, 1) != 1)
		cr_assert_lt(it_now_ms(), deadline, "%s does not send", p->name);
}

/* Receives on p until nothing of flow came for 300 ms; checks every such frame (TTL 63, a
 * valid checksum, MACs src/dst, a sequence number below expect seen once) and that no frame
 * of flow forbid (which went the other way) came back; returns how many came. Frames without
 * our payload (the kernels' ICMP) are skipped. */
static unsigned receive_flow(struct io_port *p, uint16_t flow, uint16_t forbid, const char *src,
			     const char *dst, unsigned expect)
{
	uint64_t quiet = it_now_ms() + 1500;
	struct io_buf bufs[64];
	unsigned got = 0;
	bool seen[4096] = {false};

	cr_assert_leq(expect, 4096);

	while (it_now_ms() < quiet) {
		unsigned n = io_rx_burst(p, bufs, 64);

		for (unsigned i = 0; i < n; i++) {
			struct pkt_udp_view v;
			struct pkt_payload pl;

			if (pkt_parse_udp(bufs[i].data, bufs[i].len, &v) ||
			    !pkt_payload_read(&v, &pl))
				continue;
			cr_assert_neq(pl.flow, forbid, "flow %u came back on %s (a loop?)", pl.flow,
				      p->name);
			if (pl.flow != flow)
				continue;
			frame_check(bufs[i].data, bufs[i].len, src, dst, got);
			cr_assert_lt(pl.seq, expect, "frame %u should have been dropped", pl.seq);
			cr_assert(!seen[pl.seq], "frame %u arrived twice", pl.seq);
			seen[pl.seq] = true;
			got++;
			quiet = it_now_ms() + 300;
		}
		io_free(bufs, n);
		if (!n)
			it_sleep_ms(1);
	}
	return got;
}

/* The bad frames our sender mixes in, and how many of each. */
enum bad {
	BAD_CSUM,
	BAD_TTL1,
	BAD_TTL0,
	BAD_IHL,
	BAD_ARP,
	BAD_KINDS
};

static const unsigned bad_count[BAD_KINDS] = {40, 30, 20, 10, 25};

#define GOOD      400
#define BAD_TOTAL (40 + 30 + 20 + 10 + 25)
#define BAD_SEQ   10000 /* bad frames' sequence numbers start here */

/* Builds an ARP request for an address nobody has (so no kernel learns from it). */
static uint32_t arp_make(uint8_t *f)
{
	struct eth_hdr *eth = (struct eth_hdr *)f;
	struct arp_hdr *arp = (struct arp_hdr *)(f + PKT_ETH_HLEN);

	memset(f, 0, 60);
	memset(eth->dst, 0xff, PKT_ETH_ALEN);
	cr_assert_eq(pkt_mac_parse(TOPO_MAC_G0, eth->src), 0);
	eth->type = htons(PKT_ETHERTYPE_ARP);
	arp->htype = htons(1);
	arp->ptype = htons(PKT_ETHERTYPE_IPV4);
	arp->hlen = PKT_ETH_ALEN;
	arp->plen = 4;
	arp->oper = htons(1);
	memcpy(arp->sha, eth->src, PKT_ETH_ALEN);
	arp->spa = htonl(0xc6120063); /* 198.18.0.99 */
	arp->tpa = htonl(0xc6120062); /* 198.18.0.98 */
	return 60;
}

static uint32_t bad_make(uint8_t *f, const struct end *e, enum bad kind, uint32_t seq)
{
	uint32_t len = frame_make(f, e, seq);
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f + PKT_ETH_HLEN);

	switch (kind) {
	case BAD_CSUM:
		ip->csum ^= htons(0x00ff);
		break;
	case BAD_TTL1:
	case BAD_TTL0:
		ip->ttl = kind == BAD_TTL1 ? 1 : 0;
		ip_csum_fix(f);
		break;
	case BAD_IHL:
		ip->ver_ihl = 0x43;
		break;
	default:
		len = arp_make(f);
		break;
	}
	return len;
}

/* Sends GOOD good frames of e with the bad ones spread among them, about 20 kpps. */
static void send_mix(struct io_port *p, const struct end *e)
{
	unsigned left[BAD_KINDS], kind = 0, bad = 0;
	uint8_t f[2048];

	memcpy(left, bad_count, sizeof(left));
	for (unsigned i = 0; i < GOOD; i++) {
		send_one(p, f, frame_make(f, e, i));
		for (unsigned tries = 0; i % 3 == 0 && tries < BAD_KINDS; tries++) {
			kind = (kind + 1) % BAD_KINDS;
			if (!left[kind])
				continue;
			left[kind]--;
			send_one(p, f, bad_make(f, e, (enum bad)kind, BAD_SEQ + bad++));
			break;
		}
		if (i % 20 == 19)
			it_sleep_ms(1);
	}
	for (kind = 0; kind < BAD_KINDS; kind++) /* the rest, if the mix did not place them */
		while (left[kind]-- > 0)
			send_one(p, f, bad_make(f, e, (enum bad)kind, BAD_SEQ + bad++));
}

/* Our sender through one of the frame forwarders (fwd-afp, fwd-dpdk): only the good frames
 * arrive, forwarded; each bad one is counted by its reason. */
static void bad_frames_run(const char *const argv[])
{
	struct io_port *tx, *rx;
	long long frx, ftx;
	unsigned got;
	const char *row;

	fwd_start(argv, "forwarding");
	rx = afp_port(TOPO_NS_SINK, TOPO_IF_K1, true, false);
	tx = afp_port(TOPO_NS_GEN, TOPO_IF_G0, false, true);
	send_mix(tx, &from_gen);
	got = receive_flow(rx, FLOW_FWD, FLOW_BACK, TOPO_MAC_D1, TOPO_MAC_K1, GOOD);
	io_close(tx);
	io_close(rx);
	row = fwd_finish();
	cr_assert_eq(got, GOOD, "%u of %d good frames arrived", got, GOOD);
	frx = json_num(row, "rx_pkts");
	ftx = json_num(row, "tx_pkts");
	cr_assert_eq(frx - ftx, BAD_TOTAL, "received %lld, sent %lld: %s", frx, ftx, row);
	cr_assert_eq(note_count(row, "bad_csum"), bad_count[BAD_CSUM], "%s", row);
	cr_assert_eq(note_count(row, "ttl"), bad_count[BAD_TTL1] + bad_count[BAD_TTL0], "%s", row);
	cr_assert_eq(note_count(row, "bad_ihl"), bad_count[BAD_IHL], "%s", row);
	cr_assert_eq(note_count(row, "not_ipv4"), bad_count[BAD_ARP], "%s", row);
	cr_assert_eq(note_count(row, "tx_fail"), 0);
}

Test(fwd_it, afp_drops_bad_frames_by_reason)
{
	const char *argv[] = {FWD_AFP, JSON, NULL};

	bad_frames_run(argv);
}

Test(fwd_it, xdp_drops_bad_frames_by_reason)
{
	const char *argv[] = {FWD_XDP, JSON, NULL};

	bad_frames_run(argv);
}

Test(fwd_it, dpdk_drops_bad_frames_by_reason)
{
	const char *argv[] = {FWD_DPDK, "--", JSON, NULL};

	bad_frames_run(argv);
}

/* fwd-sock: the kernel drops bad headers and answers ARP itself; what reaches the socket
 * with TTL 1 or 0 is dropped by fwd-sock and counted. */
Test(fwd_it, sock_drops_expiring_datagrams)
{
	const char *argv[] = {FWD_SOCK, JSON, NULL};
	struct io_port *tx, *rx;
	long long frx, ftx, ttl = bad_count[BAD_TTL1] + bad_count[BAD_TTL0];
	unsigned got;
	const char *row;

	fwd_start(argv, "relaying");
	rx = afp_port(TOPO_NS_SINK, TOPO_IF_K1, true, false);
	tx = afp_port(TOPO_NS_GEN, TOPO_IF_G0, false, true);
	send_mix(tx, &from_gen_to_sock);
	got = receive_flow(rx, FLOW_FWD, FLOW_BACK, TOPO_MAC_D1, TOPO_MAC_K1, GOOD);
	io_close(tx);
	io_close(rx);
	row = fwd_finish();
	cr_assert_eq(got, GOOD, "%u of %d good datagrams arrived", got, GOOD);
	frx = json_num(row, "rx_pkts");
	ftx = json_num(row, "tx_pkts");
	cr_assert_eq(ftx, GOOD, "%s", row);
	cr_assert_eq(frx - ftx, ttl, "received %lld, sent %lld: %s", frx, ftx, row);
	cr_assert_eq(note_count(row, "ttl"), ttl, "%s", row);
}

/* --bidir: frames from lr-gen reach lr-k1 with the out-link's MACs, frames from lr-sink
 * reach lr-g0 with the in-link's, and nothing loops back. */
static void bidir_run(const char *const argv[])
{
	struct io_port *gen, *sink;
	unsigned fwd, back;
	uint8_t f[2048];
	const char *row;

	fwd_start(argv, "forwarding");
	gen = afp_port(TOPO_NS_GEN, TOPO_IF_G0, true, true);
	sink = afp_port(TOPO_NS_SINK, TOPO_IF_K1, true, true);
	for (unsigned i = 0; i < 500; i++) {
		send_one(gen, f, frame_make(f, &from_gen, i));
		send_one(sink, f, frame_make(f, &from_sink, i));
		if (i % 10 == 9)
			it_sleep_ms(1);
	}
	fwd = receive_flow(sink, FLOW_FWD, FLOW_BACK, TOPO_MAC_D1, TOPO_MAC_K1, 500);
	back = receive_flow(gen, FLOW_BACK, FLOW_FWD, TOPO_MAC_D0, TOPO_MAC_G0, 500);
	io_close(gen);
	io_close(sink);
	row = fwd_finish();
	cr_assert_eq(fwd, 500, "%u of 500 frames crossed lr-g0 -> lr-k1", fwd);
	cr_assert_eq(back, 500, "%u of 500 frames crossed lr-k1 -> lr-g0", back);
	cr_assert_eq(json_num(row, "rx_pkts"), json_num(row, "tx_pkts"), "%s", row);
	cr_assert_geq(json_num(row, "rx_pkts"), 1000, "%s", row);
}

Test(fwd_it, afp_bidir_forwards_both_ways)
{
	const char *argv[] = {FWD_AFP, "--bidir", JSON, NULL};

	bidir_run(argv);
}

Test(fwd_it, xdp_bidir_forwards_both_ways)
{
	const char *argv[] = {FWD_XDP, "--bidir", JSON, NULL};

	bidir_run(argv);
}

/* ---- fwd-dpdk --rx-mode interrupt, over net_tap ---- */

#define TAP_IN  TOPO_IF_TAP_IN /* the tap bridge's names (bench/tapbr.c): fwd-dpdk makes its own */
#define TAP_OUT TOPO_IF_TAP_OUT

static double json_dbl(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	cr_assert_not_null(p, "no %s in: %s", key, json);
	return strtod(p + strlen(pat), NULL);
}

/* Runs fwd-dpdk on two tap ports in lr-dut with rx_mode, idle for 2 s, then 500 frames from
 * the in-tap's kernel side; checks every frame arrives forwarded on the out-tap and returns
 * the forwarder's CPU time (user + system) per second of its run. */
static double tap_run(const char *rx_mode)
{
	const char *argv[] = {FWD_DPDK,     "-l",
			      "1",          "--",
			      "--in-port",  "net_tap0,iface=" TAP_IN,
			      "--out-port", "net_tap1,iface=" TAP_OUT,
			      "--netns",    TOPO_NS_DUT,
			      "--rx-mode",  rx_mode,
			      JSON,         NULL};
	struct io_port *tx, *rx;
	uint8_t f[2048];
	const char *row;
	unsigned got;

	fwd_start(argv, "forwarding");
	it_sleep_ms(2000); /* idle: the interrupt mode sleeps through this */
	rx = afp_port(TOPO_NS_DUT, TAP_OUT, true, false);
	tx = afp_port(TOPO_NS_DUT, TAP_IN, false, true);
	for (unsigned i = 0; i < 500; i++) {
		send_one(tx, f, frame_make(f, &from_gen, i));
		if (i % 10 == 9)
			it_sleep_ms(1);
	}
	got = receive_flow(rx, FLOW_FWD, FLOW_BACK, TOPO_MAC_D1, TOPO_MAC_K1, 500);
	io_close(tx);
	io_close(rx);
	row = fwd_finish();
	cr_assert_eq(got, 500, "--rx-mode %s: %u of 500 frames crossed the taps", rx_mode, got);
	/* the kernel's own frames on the taps (IPv6 neighbour discovery) are dropped as not IPv4 */
	cr_assert_geq(json_num(row, "tx_pkts"), 500, "%s", row);
	cr_assert_eq(note_count(row, "tx_fail"), 0);
	return (json_dbl(row, "cpu_user_s") + json_dbl(row, "cpu_sys_s")) /
	       json_dbl(row, "duration_s");
}

Test(fwd_it, dpdk_rx_mode_interrupt_sleeps_when_idle_and_forwards_every_frame)
{
	double irq = tap_run("interrupt"), poll = tap_run("poll");

	cr_log_info("CPU-seconds per second: --rx-mode interrupt %.3f, poll %.3f", irq, poll);

	cr_assert_lt(irq, 0.1, "--rx-mode interrupt used %.2f CPU-seconds per second", irq);
	cr_assert_gt(poll, 3 * irq, "--rx-mode poll used %.2f CPU-s/s, interrupt %.2f", poll, irq);
}

/* On veth, DPDK 22.11's PMDs have no RX interrupts: the port is refused with the reason. */
Test(fwd_it, dpdk_rx_mode_interrupt_on_af_packet_is_refused_with_the_reason)
{
	struct it_result r;

	it_runl(&r, FWD_DPDK, "-l", "1", "--", "--rx-mode", "interrupt", "--duration", "1s", NULL);
	cr_assert_neq(r.status, 0, "fwd-dpdk --rx-mode interrupt ran on net_af_packet: %s", r.out);
	cr_assert(it_contains(r.err, "has no RX interrupts"), "message: %s", r.err);
	it_result_free(&r);
}

Test(fwd_it, dpdk_bidir_forwards_both_ways)
{
	const char *argv[] = {FWD_DPDK, "--", "--bidir", "--ring", "lockfree", JSON, NULL};

	bidir_run(argv);
}
