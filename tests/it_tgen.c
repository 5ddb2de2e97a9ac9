// SPDX-License-Identifier: MIT
/*
 * it_tgen.c: build/bin/tgen on the lr- topology, as root. .init brings the topology up,
 * .fini takes it down (and turns the kernel's forwarding in lr-dut off again), also when a
 * test fails. Checked, for each engine (sock, afp, dpdk, xdp): 1 s at 10 kpps over the loop pair
 * lr-s0 -> lr-s1 and through a DUT (the kernel of lr-dut forwarding, enabled for the test)
 * delivers every frame: rx == tx, no loss, tx within 2% of rate x duration, latency
 * percentiles present and ordered. A three-size sweep gives three CSV rows. The frames are
 * valid: a --pcap-out capture read with this file's own pcap parser has the right lengths
 * and correct IPv4 and UDP checksums for every flow, and so does that capture sent again
 * with --pcap-in and captured once more. The xdp engine unpaced over the loop pair accounts
 * for every frame, and refuses the options of the other engines (and they refuse its own)
 * with the fix in the message. Every bad input of the issue gives one
 * "tgen: " error line and its named exit code
 * ("tgen: ..." or, for option values, "tgen run: --size: ...").
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csum.h"
#include "it_helpers.h"
#include "lr.h"
#include "pkt.h"

#define TGEN     LR_BINDIR "/tgen"
#define LOOP     "--tx-dev", "lr-s0", "--rx-dev", "lr-s1", "--dst-ip", "198.18.2.2"
#define DUT_FWD  "/proc/sys/net/ipv4/ip_forward"
#define RATE     10000
#define MAX_COLS 64
#define PCAP_MAX (1 << 20)

static void topo_up(void)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert(eq(int, r.status, 0), "linerate topo up failed: %s", r.err);
	it_result_free(&r);
}

static void topo_down(void)
{
	struct it_result r;

	it_runl(&r, "ip", "netns", "exec", "lr-dut", "sysctl", "-qw", "net.ipv4.ip_forward=0",
		NULL);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	it_result_free(&r);
}

/* Lets the kernel of lr-dut forward: the DUT of these tests. */
static void dut_on(void)
{
	struct it_result r;

	it_runl(&r, "ip", "netns", "exec", "lr-dut", "sysctl", "-qw", "net.ipv4.ip_forward=1",
		NULL);
	cr_assert(eq(int, r.status, 0), "enabling forwarding in lr-dut failed: %s", r.err);
	it_result_free(&r);
}

TestSuite(tgen, .init = topo_up, .fini = topo_down, .timeout = 60);

/* ---- CSV rows of the results schema ---- */

struct csv {
	unsigned ncols, nrows;
	char *cols[MAX_COLS];
	char *rows[16][MAX_COLS];
	char *buf;
};

/* Splits one line at commas (no quoted fields in the numeric columns used here). */
static unsigned split(char *line, char **out)
{
	unsigned n = 0;

	for (char *p = line; p && n < MAX_COLS; n++) {
		out[n] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	return n;
}

static void csv_parse(const char *text, struct csv *c)
{
	char *save, *line;

	memset(c, 0, sizeof(*c));
	c->buf = strdup(text);
	for (line = strtok_r(c->buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!c->ncols)
			c->ncols = split(line, c->cols);
		else if (c->nrows < 16)
			split(line, c->rows[c->nrows++]);
	}
}

static double csv_num(const struct csv *c, unsigned row, const char *col)
{
	for (unsigned i = 0; i < c->ncols; i++)
		if (!strcmp(c->cols[i], col)) {
			cr_assert(not(eq(str, c->rows[row][i], "")), "column %s is empty", col);
			return strtod(c->rows[row][i], NULL);
		}
	cr_fatal("no column %s in the CSV output", col);
	return 0;
}

static const char *csv_str(const struct csv *c, unsigned row, const char *col)
{
	for (unsigned i = 0; i < c->ncols; i++)
		if (!strcmp(c->cols[i], col))
			return c->rows[row][i];
	cr_fatal("no column %s in the CSV output", col);
	return "";
}

/* Runs tgen with a NULL-terminated argument list; returns its CSV output parsed. */
static void run_csv(struct csv *c, const char *const argv[])
{
	struct it_result r;

	it_run(argv, &r);
	cr_assert(eq(int, r.status, 0), "tgen exited %d: %s", r.status, r.err);
	csv_parse(r.out, c);
	it_result_free(&r);
	cr_assert(ge(uint, c->nrows, 1), "no result row");
}

/* The acceptance checks of one 1 s trial at RATE pps. */
static void check_trial(const struct csv *c, unsigned row)
{
	static const char *const lat[] = {"lat_min_ns",  "lat_p50_ns",   "lat_p90_ns", "lat_p99_ns",
					  "lat_p999_ns", "lat_p9999_ns", "lat_max_ns"};
	double tx = csv_num(c, row, "tx_pkts"), rx = csv_num(c, row, "rx_pkts");
	double prev = 0;

	cr_assert(eq(dbl, rx, tx), "rx %.0f != tx %.0f", rx, tx);
	cr_assert(eq(dbl, csv_num(c, row, "lost_pkts"), 0));
	cr_assert(le(dbl, tx, RATE * 1.02), "tx %.0f is more than 2%% above %d", tx, RATE);
	cr_assert(ge(dbl, tx, RATE * 0.98), "tx %.0f is more than 2%% below %d", tx, RATE);
	for (unsigned i = 0; i < ARRAY_SIZE(lat); i++) {
		double v = csv_num(c, row, lat[i]);

		cr_assert(gt(dbl, v, 0), "%s is %g", lat[i], v);
		cr_assert(ge(dbl, v, prev), "%s (%g) is below the previous percentile (%g)", lat[i],
			  v, prev);
		prev = v;
	}
	cr_assert(eq(str, (char *)csv_str(c, row, "status"), "ok"), "status %s: %s",
		  csv_str(c, row, "status"), csv_str(c, row, "note"));
}

static void engine_trial(const char *engine, bool through_dut)
{
	const char *loop[] = {TGEN,         "run", "--engine", engine, "--rate", "10kpps",
			      "--duration", "1s",  "--format", "csv",  LOOP,     NULL};
	const char *dut[] = {TGEN,         "run", "--engine", engine, "--rate", "10kpps",
			     "--duration", "1s",  "--format", "csv",  NULL};
	struct csv c;

	if (through_dut)
		dut_on();
	run_csv(&c, through_dut ? dut : loop);
	cr_assert(eq(uint, c.nrows, 1));
	cr_assert(eq(str, (char *)csv_str(&c, 0, "backend"), (char *)engine));
	check_trial(&c, 0);
	free(c.buf);
}

Test(tgen, sock_loop_pair_10kpps_delivers_every_frame)
{
	engine_trial("sock", false);
}

Test(tgen, afp_loop_pair_10kpps_delivers_every_frame)
{
	engine_trial("afp", false);
}

Test(tgen, dpdk_loop_pair_10kpps_delivers_every_frame)
{
	engine_trial("dpdk", false);
}

Test(tgen, xdp_loop_pair_10kpps_delivers_every_frame)
{
	engine_trial("xdp", false);
}

Test(tgen, sock_through_kernel_dut_delivers_every_frame)
{
	engine_trial("sock", true);
}

Test(tgen, afp_through_kernel_dut_delivers_every_frame)
{
	engine_trial("afp", true);
}

Test(tgen, dpdk_through_kernel_dut_delivers_every_frame)
{
	engine_trial("dpdk", true);
}

Test(tgen, xdp_through_kernel_dut_delivers_every_frame)
{
	engine_trial("xdp", true);
}

/* Unpaced over the loop pair, the xdp engine's UMEM rings and their refills must account for
 * every frame: rx == tx, nothing lost, the generator's receive side dropped nothing (the
 * fill ring is primed before the first burst arrives), and the note names the AF_XDP TX ring. */
Test(tgen, xdp_selftest_unpaced_accounts_for_every_frame)
{
	const char *argv[] = {TGEN,      "selftest",   "--engine", "xdp",      "--size",
			      "64,1518", "--duration", "0.3s",     "--format", "csv",
			      "--link",  "100G",       NULL};
	struct csv c;

	run_csv(&c, argv);
	cr_assert(eq(uint, c.nrows, 2));
	for (unsigned i = 0; i < c.nrows; i++) {
		double tx = csv_num(&c, i, "tx_pkts"), rx = csv_num(&c, i, "rx_pkts");

		cr_assert(gt(dbl, tx, 1000), "row %u: only %.0f frames sent", i, tx);
		cr_assert(eq(dbl, rx, tx), "row %u: rx %.0f != tx %.0f", i, rx, tx);
		cr_assert(eq(dbl, csv_num(&c, i, "lost_pkts"), 0));
		cr_assert(eq(str, (char *)csv_str(&c, i, "status"), "ok"), "row %u: %s: %s", i,
			  csv_str(&c, i, "status"), csv_str(&c, i, "note"));
		cr_assert(it_contains(csv_str(&c, i, "note"), "AF_XDP TX ring"), "%s",
			  csv_str(&c, i, "note"));
	}
	free(c.buf);
}

Test(tgen, size_sweep_reports_one_row_per_size)
{
	const char *argv[] = {TGEN,          "run",    "--engine", "sock",       "--size",
			      "64,512,1518", "--rate", "5kpps",    "--duration", "200ms",
			      "--format",    "csv",    LOOP,       NULL};
	const unsigned want[] = {64, 512, 1518};
	struct csv c;

	run_csv(&c, argv);
	cr_assert(eq(uint, c.nrows, 3));
	for (unsigned i = 0; i < 3; i++) {
		cr_assert(eq(dbl, csv_num(&c, i, "frame_size"), want[i]));
		cr_assert(eq(dbl, csv_num(&c, i, "trial"), i));
		cr_assert(eq(dbl, csv_num(&c, i, "lost_pkts"), 0));
	}
	free(c.buf);
}

/* ---- frames on the wire, through a capture and an independent pcap reader ---- */

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Checks one captured frame: lengths, IPv4 and UDP checksums, the payload's magic. */
static void check_frame(const uint8_t *f, uint32_t len, unsigned *sizes)
{
	struct pkt_udp_view v;
	struct pkt_payload pl;
	uint8_t l4[2048];
	uint16_t want;
	size_t udp_len;

	cr_assert(eq(int, pkt_parse_udp(f, len, &v), 0), "captured frame of %u B is not UDP/IPv4",
		  len);
	cr_assert(eq(u16, (uint16_t)(f[12] << 8 | f[13]), PKT_ETHERTYPE_IPV4));
	cr_assert(eq(u32, ((uint32_t)f[16] << 8 | f[17]) + PKT_ETH_HLEN, len), "IPv4 length");
	udp_len = (size_t)(f[38] << 8 | f[39]);
	cr_assert(eq(sz, udp_len, len - PKT_ETH_HLEN - PKT_IPV4_HLEN), "UDP length");
	cr_assert(csum_ipv4_hdr_ok(v.ip), "IPv4 header checksum");
	memcpy(l4, f + 34, udp_len);
	memset(l4 + 6, 0, 2);
	want = csum_ipv4_l4(v.ip, l4, udp_len);
	cr_assert(eq(u16, want, v.udp->csum), "UDP checksum %#x, should be %#x", v.udp->csum, want);
	cr_assert(pkt_payload_read(&v, &pl), "no generator payload");
	if (len + 4 == 64)
		sizes[0]++;
	else if (len + 4 == 1518)
		sizes[1]++;
}

/* Reads a classic pcap file (micro- or nanosecond, either byte order) and checks each frame;
 * returns the number of frames. */
static unsigned check_pcap(const char *path, unsigned *sizes)
{
	static uint8_t buf[PCAP_MAX];
	FILE *f = fopen(path, "rb");
	size_t n, off = 24;
	unsigned frames = 0;
	uint32_t magic;
	bool swap;

	cr_assert(not(eq(ptr, f, NULL)), "no capture at %s", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cr_assert(ge(sz, n, 24), "capture too short");
	memcpy(&magic, buf, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	cr_assert(swap || magic == 0xa1b2c3d4 || magic == 0xa1b23c4d, "bad pcap magic %#x", magic);
	cr_assert(eq(u32, rd32(buf + 20, swap), 1), "link type is not Ethernet");
	while (off + 16 <= n) {
		uint32_t incl = rd32(buf + off + 8, swap), orig = rd32(buf + off + 12, swap);

		cr_assert(eq(u32, incl, orig), "frame cut in the capture");
		cr_assert(le(sz, off + 16 + incl, n));
		check_frame(buf + off + 16, incl, sizes);
		off += 16 + incl;
		frames++;
	}
	return frames;
}

/* Sends the capture again with --pcap-in (rewritten, payload and checksums redone), captures
 * that, and checks every frame again. */
static void replay_and_check(const char *in)
{
	char out[] = "/tmp/lr-tgen-XXXXXX.pcap";
	int fd = mkstemps(out, 5);
	const char *argv[] = {TGEN,       "run", "--engine",   "afp",    "--pcap-in", in,
			      "--count",  "400", "--rate",     "20kpps", "--ramp",    "off",
			      "--format", "csv", "--pcap-out", out,      LOOP,        NULL};
	unsigned sizes[2] = {0, 0};
	struct csv c;

	cr_assert(ge(int, fd, 0));
	close(fd);
	run_csv(&c, argv);
	cr_assert(eq(dbl, csv_num(&c, 0, "rx_pkts"), 400));
	cr_assert(eq(uint, check_pcap(out, sizes), 400));
	cr_assert(eq(uint, sizes[0] + sizes[1], 400), "replayed frames keep their sizes");
	unlink(out);
	free(c.buf);
}

Test(tgen, captured_frames_have_valid_lengths_and_checksums)
{
	char path[] = "/tmp/lr-tgen-XXXXXX.pcap";
	int fd = mkstemps(path, 5);
	const char *argv[] = {TGEN,         "run",     "--engine", "afp",         "--size",
			      "64,1518",    "--count", "500",      "--flows",     "7",
			      "--src-ips",  "3",       "--src-ip", "198.18.2.10", "--rate",
			      "20kpps",     "--ramp",  "off",      "--format",    "csv",
			      "--pcap-out", path,      LOOP,       NULL};
	unsigned sizes[2] = {0, 0};
	struct csv c;

	cr_assert(ge(int, fd, 0));
	close(fd);
	run_csv(&c, argv);
	cr_assert(eq(uint, check_pcap(path, sizes), 1000));
	cr_assert(eq(uint, sizes[0], 500), "64 B frames: %u", sizes[0]);
	cr_assert(eq(uint, sizes[1], 500), "1518 B frames: %u", sizes[1]);
	free(c.buf);
	replay_and_check(path);
	unlink(path);
}

/* ---- bad input: one clear line, a named exit code ---- */

static void expect_error(const char *const argv[], int code, const char *needle)
{
	struct it_result r;

	it_run(argv, &r);
	cr_assert(eq(int, r.status, code), "exit %d, want %d; stderr: %s", r.status, code, r.err);
	cr_assert(it_contains(r.err, needle), "stderr lacks '%s': %s", needle, r.err);
	cr_assert(it_contains(r.err, "tgen: ") || it_contains(r.err, "tgen run: "), "stderr: %s",
		  r.err);
	if (strcmp(argv[1], "-l")) /* DPDK's EAL adds lines of its own */
		cr_assert(eq(uint, it_count_lines(r.err), 1), "more than one line: %s", r.err);
	it_result_free(&r);
}

Test(tgen, size_below_64_is_a_usage_error)
{
	const char *argv[] = {TGEN, "run", "--size", "32", NULL};

	expect_error(argv, LR_EXIT_USAGE, "'32' is below 64");
}

Test(tgen, size_above_mtu_is_a_usage_error)
{
	const char *argv[] = {TGEN, "run", "--size", "64,2000", NULL};

	expect_error(argv, LR_EXIT_USAGE, "above what lr-g0 carries (MTU 1500");
}

Test(tgen, rate_above_line_rate_is_a_usage_error)
{
	const char *argv[] = {TGEN, "run", "--rate", "20Mpps", "--link", "10G", NULL};

	expect_error(argv, LR_EXIT_USAGE, "above line rate");
}

Test(tgen, unknown_interface_is_an_environment_error)
{
	const char *argv[] = {TGEN, "run", "--tx-dev", "lr-nosuch0", NULL};

	expect_error(argv, LR_EXIT_ENV, "interface lr-nosuch0 not found in netns lr-gen");
}

Test(tgen, missing_namespace_says_topo_up)
{
	const char *argv[] = {TGEN, "run", "--rx-netns", "lr-nosuch", NULL};

	expect_error(argv, LR_EXIT_ENV, "linerate topo up");
}

Test(tgen, eal_failure_is_an_environment_error)
{
	const char *argv[] = {TGEN, "-l", "63", "--", "run", "--engine", "dpdk", NULL};

	expect_error(argv, LR_EXIT_ENV, "EAL");
}

Test(tgen, hugepages_on_without_reserved_pages_is_an_environment_error)
{
	const char *argv[] = {TGEN, "run", "--engine", "dpdk", "--hugepages", "on", NULL};
	long total = 0, saved = -1;

	/* Make sure none is free for the test, and put back what was reserved. */
	if (it_read_long("/proc/sys/vm/nr_hugepages", &total) == 0 && total > 0) {
		saved = total;
		cr_assert(eq(int, it_write_long("/proc/sys/vm/nr_hugepages", 0), 0));
	}
	expect_error(argv, LR_EXIT_ENV, "no huge page is free");
	if (saved > 0)
		it_write_long("/proc/sys/vm/nr_hugepages", saved);
}

Test(tgen, not_root_is_a_permission_error)
{
	const char *argv[] = {TGEN, "run", NULL};
	struct it_result r;

	it_run_as_nobody(argv, &r);
	cr_assert(eq(int, r.status, LR_EXIT_NOPERM), "exit %d: %s", r.status, r.err);
	cr_assert(it_contains(r.err, "tgen: needs root"), "stderr: %s", r.err);
	cr_assert(eq(uint, it_count_lines(r.err), 1), "more than one line: %s", r.err);
	it_result_free(&r);
}

Test(tgen, eal_arguments_need_the_dpdk_engine)
{
	const char *argv[] = {TGEN, "run", "--eal", "-l 0", "--engine", "afp", NULL};

	expect_error(argv, LR_EXIT_USAGE, "add --engine dpdk");
}

/* The xdp engine refuses what belongs to another engine, naming the fix, and its own knobs
 * are refused with the others. */
Test(tgen, xdp_engine_refuses_other_engines_options)
{
	static const char *const cases[][4] = {
		{"--engine", "xdp", "--tx", "ring"},
		{"--engine", "xdp", "--tpacket", "v3"},
		{"--engine", "xdp", "--tx-port", "net_null0"},
		{"--engine", "xdp", "--pmd", "af_xdp"},
		{"--engine", "xdp", "--ring-frames", "3000"},
		{"--engine", "afp", "--xdp-mode", "generic"},
		{"--engine", "dpdk", "--copy", "copy"},
		{"--engine", "sock", "--need-wakeup", "off"},
	};
	static const char *const fix[] = {"or use --engine afp",
					  "or use --engine afp",
					  "or use --engine dpdk",
					  "--engine dpdk --pmd af_xdp",
					  "a power of two in 64..16384",
					  "add --engine xdp",
					  "add --engine xdp",
					  "add --engine xdp"};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[] = {TGEN,        "run",       cases[i][0], cases[i][1],
				      cases[i][2], cases[i][3], NULL};

		expect_error(argv, LR_EXIT_USAGE, fix[i]);
	}
}

/* Checked before the interface's MTU (lr-g0: 1500), which would refuse 4000 B too. */
Test(tgen, xdp_engine_refuses_frames_above_a_umem_chunk)
{
	const char *argv[] = {TGEN, "run", "--engine", "xdp", "--size", "64,4000", NULL};

	expect_error(argv, LR_EXIT_USAGE, "above what the xdp engine's UMEM chunk holds (3844 B");
}
