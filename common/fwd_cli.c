// SPDX-License-Identifier: MIT
/*
 * fwd_cli.c: the knobs the three forwarders share and their final report. Each program's
 * option table is its own options followed by the entries fwd_cli_options() writes, so the
 * shared knobs have one spelling, one help text and one default everywhere.
 */
#include "fwd_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lr.h"
#include "rate.h"
#include "topo_defs.h"
#include "tsc.h"

#define DEF_LINK_BPS 10e9

const struct cli_enum fwd_ring_enum[] = {
	{"none", FWD_RING_NONE},
	{"lockfree", FWD_RING_LOCKFREE},
	{"mutex", FWD_RING_MUTEX},
	{NULL, 0},
};

const struct cli_enum fwd_ring_enum_rte[] = {
	{"none", FWD_RING_NONE},
	{"lockfree", FWD_RING_LOCKFREE},
	{"mutex", FWD_RING_MUTEX},
	{"rte", FWD_RING_RTE},
	{NULL, 0},
};

const char *fwd_ring_name(int ring)
{
	for (const struct cli_enum *e = fwd_ring_enum_rte; e->name; e++)
		if (e->value == ring)
			return e->name;
	return "unknown";
}

void fwd_opts_init(struct fwd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->batch = FWD_DEF_BATCH;
	o->affinity = CLI_AFFINITY_PINNED;
	o->cpu = cpu_count() > 1 ? 1 : 0;
	o->tx_cpu = -1;
	o->ring = FWD_RING_NONE;
	o->format = CLI_FORMAT_HUMAN;
	o->link_bps = DEF_LINK_BPS;
	o->dst_mac = TOPO_MAC_K1;
	o->src_mac = TOPO_MAC_D1;
	o->rev_dst_mac = TOPO_MAC_G0;
	o->rev_src_mac = TOPO_MAC_D0;
}

/* The knobs of the loops: batch, ring, huge pages, affinity and CPUs, polling. */
static void loop_options(struct fwd_opts *o, unsigned features, struct cli_options *t)
{
	const struct cli_option opts[] = {
		{"batch", 'b', CLI_INT, &o->batch, "N", "packets per burst or system call", NULL, 1,
		 IO_BURST_MAX},
		{"ring", 0, CLI_ENUM, &o->ring, NULL,
		 "none: run to completion; else an RX thread hands bursts to a TX thread through "
		 "this kind of ring",
		 features & FWD_CLI_RTE ? fwd_ring_enum_rte : fwd_ring_enum},
		{"hugepages", 0, CLI_ONOFF, &o->hugepages, NULL,
		 "put the buffers and rings the program allocates on 2 MB huge pages"},
		{"affinity", 0, CLI_ENUM, &o->affinity, NULL,
		 "pin the loop threads to --cpu, or let them float", cli_affinity_enum},
		{"cpu", 0, CLI_INT, &o->cpu, "N",
		 "the CPU of the loop (the RX thread with --ring); the generator uses 0", NULL, 0,
		 4095},
		{"tx-cpu", 0, CLI_INT, &o->tx_cpu, "N",
		 "with --ring: the TX thread's CPU (-1: the same as --cpu)", NULL, -1, 4095},
		{"poll", 0, CLI_FLAG, &o->poll, NULL,
		 "busy-poll when idle instead of sleeping until frames arrive"},
		{"test-delay", 0, CLI_INT, &o->test_delay_ns, "NS",
		 "TEST ONLY: busy-wait NS ns per received packet (a deliberately slow DUT for "
		 "the verdict tests; the row's note says so)",
		 NULL, 0, 1000000},
	};

	CLI_OPTIONS_ADD(t, opts);
}

/* The directions and addresses: --bidir, the MACs of both routes. */
static void route_options(struct fwd_opts *o, unsigned features, struct cli_options *t)
{
	const struct cli_option bidir[] = {
		{"bidir", 0, CLI_FLAG, &o->bidir, NULL,
		 "also forward from the out-port to the in-port (as l2fwd and testpmd do)"},
	};
	const struct cli_option macs[] = {
		{"dst-mac", 0, CLI_STRING, &o->dst_mac, "MAC",
		 "next hop of frames leaving on the out-port"},
		{"src-mac", 0, CLI_STRING, &o->src_mac, "MAC",
		 "source of frames leaving on the out-port"},
	};
	const struct cli_option rev[] = {
		{"rev-dst-mac", 0, CLI_STRING, &o->rev_dst_mac, "MAC",
		 "with --bidir: next hop on the in-port"},
		{"rev-src-mac", 0, CLI_STRING, &o->rev_src_mac, "MAC",
		 "with --bidir: source on the in-port"},
	};

	if (features & FWD_CLI_BIDIR)
		CLI_OPTIONS_ADD(t, bidir);
	if (features & FWD_CLI_MACS)
		CLI_OPTIONS_ADD(t, macs);
	if ((features & FWD_CLI_MACS) && (features & FWD_CLI_BIDIR))
		CLI_OPTIONS_ADD(t, rev);
}

/* How long, and what the report says. */
static void report_options(struct fwd_opts *o, struct cli_options *t)
{
	const struct cli_option opts[] = {
		{"duration", 'd', CLI_DURATION0, &o->duration_ns, NULL,
		 "stop after TIME (0s: only at Ctrl-C)"},
		{"stats-interval", 'i', CLI_DURATION0, &o->stats_ns, NULL,
		 "print a counters line to stderr every TIME (0s: never)"},
		{"link", 0, CLI_LINK, &o->link_bps, NULL,
		 "link speed the cycles per packet are set against"},
		{"format", 'f', CLI_ENUM, &o->format, NULL,
		 "report format (csv and json: the common results row)", cli_format_enum},
	};

	CLI_OPTIONS_ADD(t, opts);
}

void fwd_cli_options(struct fwd_opts *o, unsigned features, struct cli_options *t)
{
	loop_options(o, features, t);
	route_options(o, features, t);
	report_options(o, t);
}

/* Parses one MAC option into mac; prints the error and returns -EINVAL when it is bad. */
static int mac_opt(const char *prog, const char *flag, const char *s, uint8_t *mac)
{
	if (!pkt_mac_parse(s, mac))
		return 0;
	fprintf(stderr, "%s: --%s: '%s' is not a MAC address (accepted: aa:bb:cc:dd:ee:ff)\n", prog,
		flag, s);
	return -EINVAL;
}

int fwd_opts_check(struct fwd_opts *o, const char *prog)
{
	if (mac_opt(prog, "dst-mac", o->dst_mac, o->route[0].dst) ||
	    mac_opt(prog, "src-mac", o->src_mac, o->route[0].src) ||
	    mac_opt(prog, "rev-dst-mac", o->rev_dst_mac, o->route[1].dst) ||
	    mac_opt(prog, "rev-src-mac", o->rev_src_mac, o->route[1].src))
		return -EINVAL;
	if (o->tx_cpu >= 0 && o->ring == FWD_RING_NONE) {
		fprintf(stderr,
			"%s: --tx-cpu needs a pipeline (--ring lockfree|mutex): run to "
			"completion has one thread\n",
			prog);
		return -EINVAL;
	}
	return 0;
}

void fwd_opts_run_cfg(const struct fwd_opts *o, struct fwd_run_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (o->ring == FWD_RING_LOCKFREE)
		cfg->ring = &fwd_ring_lockfree;
	else if (o->ring == FWD_RING_MUTEX)
		cfg->ring = &fwd_ring_mutex;
	/* enough jobs to keep both threads busy, few enough that the frames they hold fit a
	 * backend's receive ring or pool */
	cfg->jobs = FWD_FRAMES_IN_FLIGHT / (unsigned)o->batch;
	cfg->jobs = cfg->jobs < 4 ? 4 : cfg->jobs > 64 ? 64 : cfg->jobs;
	cfg->poll = o->poll;
	cfg->hugepages = o->hugepages;
	cfg->pinned = o->affinity == CLI_AFFINITY_PINNED;
	cfg->cpu = (int)o->cpu;
	cfg->tx_cpu = o->tx_cpu >= 0 ? (int)o->tx_cpu : (int)o->cpu;
	cfg->duration_ns = o->duration_ns;
	cfg->stats_ns = o->stats_ns;
	cfg->stats_out = stderr;
	cfg->test_delay_ns = (uint64_t)o->test_delay_ns;
}

/* ---- the kernel-boundary cost ---- */

static double per_packet(uint64_t n, uint64_t packets)
{
	return packets ? (double)n / (double)packets : -1;
}

/* Writes "recvmmsg 8, sendmmsg 8" (kinds with calls; idle: the idle calls) into buf. */
static void kinds_str(const struct io_kcost *k, bool idle, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < IO_SYS_MAX && n < len; i++) {
		uint64_t c = idle ? k->idle_calls[i] : k->calls[i];

		if (c)
			n += snprintf(buf + n, len - n, "%s%s %llu", n ? ", " : "", io_sys_name(i),
				      (unsigned long long)c);
	}
	if (!n)
		snprintf(buf, len, "none");
}

/* The row's JSON-only fields: "syscalls" (calls that moved frames), "syscalls_per_packet",
 * "idle_syscalls" (not per packet: their number follows the time spent waiting),
 * "syscalls_by_kind", "copied_bytes" and "copied_bytes_per_packet". */
static void kcost_row(struct res_row *row, const struct io_kcost *k, uint64_t packets)
{
	uint64_t calls = io_kcost_calls(k, false);
	char moved[160], idle[160], kinds[330];

	kinds_str(k, false, moved, sizeof(moved));
	kinds_str(k, true, idle, sizeof(idle));
	snprintf(kinds, sizeof(kinds), "%s; idle: %s", moved, idle);
	if (res_extra_u64(row, "syscalls", calls) ||
	    res_extra_num(row, "syscalls_per_packet", per_packet(calls, packets)) ||
	    res_extra_u64(row, "idle_syscalls", io_kcost_calls(k, true)) ||
	    res_extra_str(row, "syscalls_by_kind", kinds) ||
	    res_extra_u64(row, "copied_bytes", k->copied_bytes) ||
	    res_extra_num(row, "copied_bytes_per_packet", per_packet(k->copied_bytes, packets)))
		pr_warn("the system call counts do not all fit in the results row");
}

/* The human report's two lines of the same figures. */
static void kcost_human(FILE *f, const struct io_kcost *k, uint64_t packets)
{
	uint64_t calls = io_kcost_calls(k, false);
	char moved[160], idle[160];

	kinds_str(k, false, moved, sizeof(moved));
	kinds_str(k, true, idle, sizeof(idle));
	fprintf(f,
		"  syscalls      %llu that moved packets (%.4f per packet: %s); %llu idle, not "
		"per packet (%s)\n"
		"  copied        %llu B (%.1f B per packet; user-space copies and the bytes "
		"recvmmsg/sendmmsg carry across the user boundary)\n",
		(unsigned long long)calls, per_packet(calls, packets), moved,
		(unsigned long long)io_kcost_calls(k, true), idle,
		(unsigned long long)k->copied_bytes, per_packet(k->copied_bytes, packets));
}

/* ---- the report ---- */

/* Mean wire frame size (FCS included) of what was received; 0 without packets. */
static unsigned mean_frame(const struct fwd_counters *t)
{
	if (!t->rx)
		return 0;
	return (unsigned)lround((double)t->rx_bytes / (double)t->rx) + RATE_FCS_LEN;
}

/* Writes "bad_csum=2 ttl=5 tx_fail=1" (non-zero counters only; "none") into buf. */
static void drops_str(const struct fwd_counters *t, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned d = 0; d < FWD_DROP_MAX; d++)
		if (t->drop[d] && n < len)
			n += snprintf(buf + n, len - n, "%s%s=%llu", n ? " " : "", fwd_drop_name(d),
				      (unsigned long long)t->drop[d]);
	if (t->tx_fail && n < len)
		n += snprintf(buf + n, len - n, "%stx_fail=%llu", n ? " " : "",
			      (unsigned long long)t->tx_fail);
	if (!n)
		snprintf(buf, len, "none");
}

/* A forwarder cannot tell the speed of its links (veth, memif and null have none): --link is
 * only the reference of the budget, so a rate above its line rate is remarked on, not
 * declared invalid. */
static bool above_line(const struct res_row *row)
{
	return row->line_rate_pps > 0 && row->rx_pps > row->line_rate_pps * 1.001;
}

void fwd_result_row(const struct fwd_opts *o, const struct fwd_report_info *info,
		    const struct fwd_run_result *res, struct res_row *row)
{
	const struct fwd_counters *t = &res->total;
	unsigned frame = mean_frame(t);
	char drops[128];

	res_row_start(row, (const char *const[4]){"fwd", info->program, info->backend, info->link},
		      (unsigned)o->batch, fwd_ring_name(o->ring), o->hugepages,
		      o->affinity == CLI_AFFINITY_PINNED);
	if (frame)
		row->frame_size = frame;
	row->link_bps = o->link_bps;
	row->duration_s = res->duration_s;
	row->rx_pkts = t->rx;
	row->tx_pkts = t->tx;
	row->lost_pkts = (int64_t)(t->rx - t->tx);
	if (res->duration_s > 0) {
		row->rx_pps = t->rx / res->duration_s;
		row->tx_pps = t->tx / res->duration_s;
	}
	if (frame)
		row->line_rate_pps =
			rate_pps(frame < RATE_MIN_FRAME ? RATE_MIN_FRAME : frame, o->link_bps);
	row->cpu_user_s = res->cpu.user_s;
	row->cpu_sys_s = res->cpu.sys_s;
	row->cpu_softirq_s = res->cpu.softirq_s;
	row->cycles_per_pkt = res->cycles_per_pkt;
	row->status = RES_OK;
	drops_str(t, drops, sizeof(drops));
	snprintf(row->note, sizeof(row->note), "drops: %s%s%s%s%s", drops,
		 above_line(row) ? "; rx above --link's line rate" : "",
		 o->test_delay_ns ? "; TEST ONLY --test-delay (throttled)" : "",
		 info->extra ? "; " : "", info->extra ? info->extra : "");
	if (res_extra_u64(row, "rx_bursts", t->rx_bursts) ||
	    res_extra_num(row, "frames_per_rx_burst", per_packet(t->rx, t->rx_bursts)))
		pr_warn("the RX burst counts do not fit in the results row");
	if (info->kcost)
		kcost_row(row, info->kcost, t->rx);
}

/* The drop counters of the human report: every reason, zeros included. */
static void human_drops(FILE *f, const struct fwd_counters *t)
{
	fprintf(f, "  dropped       %llu (", (unsigned long long)fwd_drops_total(t));
	for (unsigned d = 0; d < FWD_DROP_MAX; d++)
		fprintf(f, "%s%s %llu", d ? ", " : "", fwd_drop_name(d),
			(unsigned long long)t->drop[d]);
	fprintf(f, ")\n  tx failures   %llu\n", (unsigned long long)t->tx_fail);
}

/* The cycles-per-packet line, set against the budget per packet at --link. */
static void human_cycles(FILE *f, const struct fwd_opts *o, const struct fwd_run_result *res,
			 unsigned frame)
{
	char link[16];
	double budget;

	rate_link_name(o->link_bps, link, sizeof(link));
	if (res->cycles_per_pkt < 0) {
		fprintf(f, "  cycles/pkt    - (no packets)\n");
		return;
	}
	if (frame < RATE_MIN_FRAME)
		frame = RATE_MIN_FRAME;
	budget = rate_budget_cycles(frame, o->link_bps, tsc_hz());
	fprintf(f,
		"  cycles/pkt    %.1f (TSC cycles of loop rounds that moved packets, per packet "
		"received)\n"
		"  budget        %.1f cycles per %u B frame at %s line rate (%.2f Mpps): %.2fx "
		"the budget\n",
		res->cycles_per_pkt, budget, frame, link, rate_pps(frame, o->link_bps) / 1e6,
		res->cycles_per_pkt / budget);
}

static void human_report(FILE *f, const struct fwd_opts *o, const struct fwd_report_info *info,
			 const struct fwd_run_result *res, const struct res_row *row)
{
	const struct fwd_counters *t = &res->total;
	double d = res->duration_s > 0 ? res->duration_s : 1;
	double busy = res->cpu.user_s + res->cpu.sys_s;
	unsigned frame = mean_frame(t);

	fprintf(f, "%s: %s\n", info->program, info->desc ? info->desc : "");
	fprintf(f, "  knobs         batch %ld, ring %s, hugepages %s, affinity %s", o->batch,
		fwd_ring_name(o->ring), o->hugepages ? "on" : "off", row->affinity);
	if (o->affinity == CLI_AFFINITY_PINNED)
		fprintf(f, " (CPU %ld)", o->cpu);
	fprintf(f, ", %s\n", res->polled ? "polling" : "sleeping when idle");
	fprintf(f, "  duration      %.3f s\n", res->duration_s);
	fprintf(f, "  received      %llu frames (%.0f pps", (unsigned long long)t->rx, t->rx / d);
	if (frame)
		fprintf(f, ", mean frame %u B", frame);
	fprintf(f, ")\n  sent          %llu frames (%.0f pps)\n", (unsigned long long)t->tx,
		t->tx / d);
	human_drops(f, t);
	fprintf(f,
		"  cpu           user %.3f s + sys %.3f s = %.1f%% of one core; softirq %.3f s "
		"(whole machine)\n",
		res->cpu.user_s, res->cpu.sys_s, 100.0 * busy / d, res->cpu.softirq_s);
	human_cycles(f, o, res, frame);
	fprintf(f, "  rx bursts     %llu that returned frames, %.1f frames each (batch %ld)\n",
		(unsigned long long)t->rx_bursts,
		t->rx_bursts ? (double)t->rx / (double)t->rx_bursts : 0.0, o->batch);
	if (info->extra)
		fprintf(f, "  backend       %s\n", info->extra);
	if (above_line(row))
		fprintf(f,
			"  remark        received faster than the line rate of --link (%s "
			"cannot be such a link: --link only sets the budget)\n",
			row->link);
	if (info->kcost)
		kcost_human(f, info->kcost, res->total.rx);
}

int fwd_report(FILE *f, const struct fwd_opts *o, const struct fwd_report_info *info,
	       const struct fwd_run_result *res)
{
	struct res_row row;

	fwd_result_row(o, info, res, &row);
	if (!res_row_print(f, o->format, &row))
		human_report(f, o, info, res, &row);
	fflush(f);
	return LR_EXIT_OK;
}
