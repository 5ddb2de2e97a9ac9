// SPDX-License-Identifier: MIT
/*
 * echo_client.c: `tgen echo`, the TCP echo load client: the command line, the run loop (warm
 * up, measure, stop), the open-loop schedule and the report. A connection's own life is in
 * echo_conn.c, the I/O in the engines (echo_kernel.c, echo_stack.c).
 *
 * The run: rr and stream first open every connection (not measured: the warm-up), then the
 * measured phase begins; crr measures from the start. Each loop round connects the slots
 * that are due (at most CONNECT_BURST, so 10,000 connections do not leave in one burst),
 * starts the open-loop transactions that are due, checks timeouts every TICK_NS and lets the
 * engine wait for events until the next of those deadlines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "echo_client.h"
#include "hist.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "results.h"
#include "stop.h"
#include "topo_defs.h"
#include "tsc.h"

#define PROG           "tgen echo"
#define CONNECT_BURST  128 /* connects (and closed-loop first transactions) per loop round */
#define MAX_CONNECTING 256 /* connects in flight at once */
#define TICK_NS        (10ull * 1000 * 1000)
#define DRAIN_NS       (200ull * 1000 * 1000) /* longest wait for in-flight work at the end */
#define STACK_IP       TOPO_IP_ECHO           /* echo-afp's and echo-dpdk's default address */

static const struct cli_enum mode_enum[] = {
	{"rr", EC_MODE_RR}, {"crr", EC_MODE_CRR}, {"stream", EC_MODE_STREAM}, {NULL, 0}};
static const struct cli_enum engine_enum[] = {
	{"sock", EC_ENGINE_SOCK}, {"dpdk", EC_ENGINE_DPDK}, {NULL, 0}};

bool echo_client_is_cmd(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "echo"))
		return true;
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--"))
			return !strcmp(argv[i + 1], "echo");
	return false;
}

/* ---- the ready stack (open loop) ---- */

void ec_ready_push(struct ec_ctx *x, struct ec_conn *c)
{
	if (c->in_ready)
		return;
	c->in_ready = true;
	x->ready[x->nready++] = c;
}

/* Pops a slot that can take the next due transaction, or NULL. */
static struct ec_conn *ready_pop(struct ec_ctx *x)
{
	enum ec_state want = x->cfg->mode == EC_MODE_CRR ? EC_FREE : EC_IDLE;

	while (x->nready) {
		struct ec_conn *c = x->ready[--x->nready];

		c->in_ready = false;
		if (c->state == want)
			return c;
	}
	return NULL;
}

/* ---- the command line ---- */

static void cfg_defaults(struct ec_cfg *cfg)
{
	char err[CLI_ERR_LEN];

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = EC_MODE_RR;
	cfg->engine = EC_ENGINE_SOCK;
	cfg->conns = 1;
	cfg->msg_size = 64;
	cfg->batch = 32;
	cli_parse_rate("max", &cfg->rate, err, sizeof(err));
	cfg->duration_ns = 2000000000ull;
	cfg->timeout_ns = 5000000000ull;
	cfg->dst_port = 7;
	cfg->affinity = CLI_AFFINITY_PINNED;
	cfg->format = CLI_FORMAT_HUMAN;
	cfg->src_ip = EC_CLIENT_IP;
	cfg->src_mac = EC_CLIENT_MAC;
}

static const char summary[] =
	"TCP echo load client. --conns connections send --msg-size byte messages to an echo "
	"server and check every byte that comes back: rr (request/response on persistent "
	"connections), crr (connect, request, response, close per transaction) or stream (bulk; "
	"with --bytes a fixed amount, then the run ends when all of it came back). Closed loop "
	"unless --rate (transactions/s, open loop: latency from the time each transaction was "
	"due). Reports transactions/s, Gbps of echoed payload, connection setup rate, latency "
	"percentiles and errors. Engines: sock (kernel sockets and epoll, in --netns lr-gen, to "
	"198.18.0.2:7 = echo-sock; --dst-ip 198.18.0.10 for echo-afp/echo-dpdk) or dpdk (the "
	"user-space TCP stack over DPDK, by default a net_memif client of 'echo-dpdk --memif' "
	"at " EC_MEMIF_SOCK ", as " EC_CLIENT_IP "; EAL arguments before '--': tgen -l 0 -- echo "
	"--engine dpdk).";

/* The workload and the common knobs. */
static void workload_options(struct ec_cfg *cfg, struct cli_options *t)
{
	const struct cli_option opts[] = {
		{"mode", 'm', CLI_ENUM, &cfg->mode, NULL, "transaction kind", mode_enum},
		{"conns", 0, CLI_INT, &cfg->conns, "N", "concurrent connections", NULL, 1,
		 EC_MAX_CONNS},
		{"msg-size", 0, CLI_INT, &cfg->msg_size, "BYTES", "request (and response) size",
		 NULL, 1, EC_MAX_MSG},
		{"size", 0, CLI_INT, &cfg->msg_size, "BYTES",
		 "the same as --msg-size (payload bytes, not a frame size)", NULL, 1, EC_MAX_MSG},
		{"rate", 'r', CLI_RATE, &cfg->rate, NULL,
		 "transactions per second in all, open loop ('max': closed loop)"},
		{"duration", 'd', CLI_DURATION, &cfg->duration_ns, NULL,
		 "measured time (with --bytes: the longest the run may take)"},
		{"bytes", 0, CLI_INT, &cfg->bytes, "N",
		 "stream: send N bytes in all (spread over the connections), then half-close and "
		 "wait for every byte (0: until --duration)",
		 NULL, 0, 1e15},
		{"timeout", 0, CLI_DURATION, &cfg->timeout_ns, NULL,
		 "a connect or transaction with no progress this long is a timeout"},
		{"engine", 'e', CLI_ENUM, &cfg->engine, NULL, "kernel sockets or the stack on DPDK",
		 engine_enum},
		{"dst-ip", 0, CLI_STRING, &cfg->dst_ip, "IP",
		 "server address (default: 198.18.0.2 for sock, 198.18.0.10 for dpdk)"},
		{"dst-port", 0, CLI_INT, &cfg->dst_port, "N", "server port", NULL, 1, 65535},
		{"netns", 0, CLI_STRING, &cfg->netns, "NS",
		 "namespace of the client (default: lr-gen for sock and dpdk --dev; none for "
		 "memif)"},
		{"cpu", 0, CLI_INT, &cfg->cpu, "N",
		 "the client's core (the server gets the others)", NULL, 0, 4095},
		{"affinity", 0, CLI_ENUM, &cfg->affinity, NULL, "pin the client to --cpu or float",
		 cli_affinity_enum},
		{"batch", 'b', CLI_INT, &cfg->batch, "N",
		 "events per epoll_wait (sock), frames per receive burst (dpdk)", NULL, 1, 512},
		{"format", 'f', CLI_ENUM, &cfg->format, NULL,
		 "report format (csv and json: the common results row)", cli_format_enum},
	};

	CLI_OPTIONS_ADD(t, opts);
}

/* The DPDK engine's knobs. */
static void dpdk_options(struct ec_cfg *cfg, struct cli_options *t)
{
	const struct cli_option opts[] = {
		{"hugepages", 0, CLI_ONOFF, &cfg->hugepages, NULL,
		 "dpdk: DPDK's memory on 2 MB huge pages (off: --no-huge)"},
		{"tx-port", 0, CLI_STRING, &cfg->port, "DEVARGS",
		 "dpdk: the port (default: net_memif client on " EC_MEMIF_SOCK ")"},
		{"dev", 0, CLI_STRING, &cfg->dev, "IFACE",
		 "dpdk: a veth instead, through --pmd (e.g. lr-g0 in lr-gen)"},
		{"pmd", 0, CLI_ENUM, &cfg->pmd, NULL, "dpdk: driver of --dev", dpdk_pmd_enum},
		{"src-ip", 0, CLI_STRING, &cfg->src_ip, "IP", "dpdk: the client stack's address"},
		{"src-mac", 0, CLI_STRING, &cfg->src_mac, "MAC", "dpdk: the client stack's MAC"},
		{"max-conns", 0, CLI_INT, &cfg->max_conns, "N",
		 "dpdk: the stack's table (0: --conns, + 16384 for crr's TIME_WAIT)", NULL, 0,
		 1 << 22},
		{"buf", 0, CLI_INT, &cfg->buf, "BYTES",
		 "dpdk: buffer per connection each way (0: 2x the message, at least 2048; stream "
		 "65535)",
		 NULL, 0, 65535},
		{"time-wait", 0, CLI_DURATION, &cfg->time_wait_ns, NULL,
		 "dpdk: the stack's TIME_WAIT (0s: its default, 1s; in crr none, as lr-gen's "
		 "kernel client)"},
	};

	CLI_OPTIONS_ADD(t, opts);
}

/* Parses argv (argv[0] is "echo") into cfg; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct ec_cfg *cfg)
{
	struct cli_options t = {0};
	const struct cli_program prog = {"tgen echo", "[options]", summary, t.opts};
	int first, ret;

	workload_options(cfg, &t);
	dpdk_options(cfg, &t);
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? -1 : LR_EXIT_USAGE;
	if (first < argc) {
		pr_err("unexpected argument '%s' (run 'tgen echo --help' for the options)",
		       argv[first]);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* Checks the options against each other and resolves addresses; returns 0 or an exit code. */
static int resolve(struct ec_cfg *cfg)
{
	if (cfg->rate.kind == CLI_RATE_PERCENT || cfg->rate.kind == CLI_RATE_LINE ||
	    cfg->rate.kind == CLI_RATE_BPS) {
		pr_err("--rate: give transactions per second ('50000', '50kpps') or 'max'; a "
		       "link percentage or a bit rate means nothing to TCP");
		return LR_EXIT_USAGE;
	}
	cfg->tps = cfg->rate.kind == CLI_RATE_PPS ? cfg->rate.value : 0;
	if (cfg->mode == EC_MODE_STREAM && cfg->tps > 0) {
		pr_err("--rate: stream mode is not paced (it sends as fast as the server echoes)");
		return LR_EXIT_USAGE;
	}
	if (cfg->bytes && cfg->mode != EC_MODE_STREAM) {
		pr_err("--bytes belongs to --mode stream");
		return LR_EXIT_USAGE;
	}
	if (cfg->bytes && cfg->bytes < cfg->conns) {
		pr_err("--bytes %ld is less than one byte per connection (--conns %ld)", cfg->bytes,
		       cfg->conns);
		return LR_EXIT_USAGE;
	}
	if (!cfg->duration_ns || !cfg->timeout_ns) {
		pr_err("--duration and --timeout must be above 0");
		return LR_EXIT_USAGE;
	}
	if (!cfg->dst_ip)
		cfg->dst_ip = cfg->engine == EC_ENGINE_SOCK ? TOPO_IP_D0 : STACK_IP;
	if (!cfg->netns && (cfg->engine == EC_ENGINE_SOCK || cfg->dev))
		cfg->netns = TOPO_NS_GEN;
	if (pkt_ip_parse(cfg->dst_ip, &cfg->dst_ip_h) || !cfg->dst_ip_h) {
		pr_err("--dst-ip: '%s' is not an IPv4 address (accepted: a.b.c.d)", cfg->dst_ip);
		return LR_EXIT_USAGE;
	}
	if (cfg->engine == EC_ENGINE_DPDK &&
	    (pkt_ip_parse(cfg->src_ip, &cfg->src_ip_h) || !cfg->src_ip_h ||
	     pkt_mac_parse(cfg->src_mac, cfg->src_mac_b))) {
		pr_err("--src-ip '%s' / --src-mac '%s': not an IPv4 address / a MAC (accepted: "
		       "a.b.c.d, aa:bb:cc:dd:ee:ff)",
		       cfg->src_ip, cfg->src_mac);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* Splits "tgen [EAL args --] echo ..." ; returns the index of "echo". */
static int split_eal(int argc, char **argv, struct ec_cfg *cfg)
{
	cfg->eal_argv = argv;
	cfg->eal_argc = 1;
	if (!strcmp(argv[1], "echo"))
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			cfg->eal_argc = i;
			return i + 1;
		}
	return 1;
}

/* ---- the run ---- */

/* Allocates the slots, the histograms and the pattern; returns 0 or -ENOMEM. */
static int ctx_init(struct ec_ctx *x, const struct ec_cfg *cfg)
{
	uint64_t r = 0x9e3779b97f4a7c15ull;

	memset(x, 0, sizeof(*x));
	x->cfg = cfg;
	x->eng = cfg->engine == EC_ENGINE_DPDK ? &ec_engine_stack : &ec_engine_kernel;
	x->nconns = (unsigned)cfg->conns;
	x->nstate[EC_FREE] = x->nconns; /* calloc'ed slots are EC_FREE */
	x->conns = calloc(x->nconns, sizeof(*x->conns));
	x->ready = calloc(x->nconns, sizeof(*x->ready));
	x->pattern = malloc(EC_PERIOD + EC_CHUNK);
	x->lat = hist_new();
	x->conn_lat = hist_new();
	if (!x->conns || !x->ready || !x->pattern || !x->lat || !x->conn_lat)
		return -ENOMEM;
	for (unsigned i = 0; i < EC_PERIOD + EC_CHUNK; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17; /* xorshift64 */
		x->pattern[i] = i < EC_PERIOD ? (uint8_t)(r >> 32) : x->pattern[i - EC_PERIOD];
	}
	for (unsigned i = 0; i < x->nconns; i++) {
		x->conns[i].fd = -1;
		if (cfg->bytes)
			x->conns[i].quota = (uint64_t)cfg->bytes / x->nconns +
					    (i < (uint64_t)cfg->bytes % x->nconns);
	}
	return 0;
}

static void ctx_free(struct ec_ctx *x)
{
	free(x->conns);
	free(x->ready);
	free(x->pattern);
	hist_free(x->lat);
	hist_free(x->conn_lat);
}

/* Starts the measured phase: rr and stream begin on every connection that is up. */
static void measure_begin(struct ec_ctx *x, uint64_t t_run)
{
	x->measuring = true;
	x->t0 = x->now;
	x->warmup_ns = x->now - t_run;
	x->t_end = x->t0 + x->cfg->duration_ns;
	x->next_due = x->t0;
	x->interval_ns = x->cfg->tps > 0 ? (uint64_t)(1e9 / x->cfg->tps) : 0;
	if (x->interval_ns == 0 && x->cfg->tps > 0)
		x->interval_ns = 1;
	for (unsigned i = 0; i < x->nconns; i++) {
		struct ec_conn *c = &x->conns[i];

		if (x->cfg->mode == EC_MODE_CRR && x->cfg->tps > 0)
			ec_ready_push(x, c);
		else if (x->cfg->mode == EC_MODE_CRR)
			ec_start_push(x, c, 0);
		else if (c->state == EC_IDLE)
			ec_ready_push(x, c); /* schedule() begins them */
	}
}

/* Connects the slots that are due: CONNECT_BURST per round and MAX_CONNECTING in flight at
 * most, and only one until a first connection is up (it waits for ARP, and ARP holds only a
 * few frames meanwhile), so that thousands of SYNs do not overrun the rings at once. */
static void start_due(struct ec_ctx *x)
{
	unsigned burst = x->n.connects ? CONNECT_BURST : 1;
	unsigned most = x->n.connects ? MAX_CONNECTING : 1;

	for (unsigned k = 0; k < burst && x->start_head; k++) {
		struct ec_conn *c = x->start_head;

		if (c->start_at > x->now || x->nstate[EC_CONNECTING] >= most)
			return;
		x->start_head = c->next;
		if (!x->start_head)
			x->start_tail = NULL;
		ec_conn_start(x, c, x->now);
	}
}

/* Open loop: starts every transaction that is due and finds a free slot. Closed loop: begins
 * the first transaction of CONNECT_BURST idle connections (later ones follow the echoes). */
static void schedule(struct ec_ctx *x)
{
	if (!x->interval_ns) {
		struct ec_conn *c;

		for (unsigned k = 0; k < CONNECT_BURST && (c = ready_pop(x)); k++)
			ec_conn_begin(x, c, x->now);
		return;
	}
	while (x->next_due <= x->now) {
		struct ec_conn *c = ready_pop(x);

		if (!c)
			return; /* the backlog waits; its latency keeps counting */
		if (x->cfg->mode == EC_MODE_CRR)
			ec_conn_start(x, c, x->next_due);
		else
			ec_conn_begin(x, c, x->next_due);
		x->next_due += x->interval_ns;
	}
}

/* Returns when the engine must hand control back at the latest. */
static uint64_t next_wake(const struct ec_ctx *x, uint64_t tick)
{
	uint64_t t = tick;

	if (x->measuring && x->t_end < t)
		t = x->t_end;
	if (x->measuring && x->nready && !x->interval_ns)
		t = x->now; /* closed loop: more first transactions to begin */
	else if (x->measuring && x->nready && x->next_due < t)
		t = x->next_due;
	if (x->start_head && x->start_head->start_at < t)
		t = x->start_head->start_at;
	return t;
}

/* The client's loop. 8< */
static void run(struct ec_ctx *x)
{
	uint64_t t_run, tick = 0;

	x->now = t_run = tsc_now_ns();
	if (x->cfg->mode == EC_MODE_CRR)
		measure_begin(x, t_run);
	else
		for (unsigned i = 0; i < x->nconns; i++)
			ec_start_push(x, &x->conns[i], 0); /* the warm-up: connect them all */
	while (!lr_stop) {
		x->now = tsc_now_ns();
		if (x->measuring && x->now >= x->t_end)
			break;
		if (x->cfg->bytes && x->done == x->nconns)
			break;
		if (!x->measuring && (x->nstate[EC_IDLE] + x->nstate[EC_BUSY] == x->nconns ||
				      x->now - t_run >= x->cfg->timeout_ns))
			measure_begin(x, t_run);
		start_due(x);
		if (x->measuring && x->nready)
			schedule(x);
		if (x->now >= tick) {
			for (unsigned i = 0; i < x->nconns; i++)
				ec_conn_check(x, &x->conns[i]);
			tick = x->now + TICK_NS;
		}
		x->eng->poll(x, next_wake(x, tick));
	}
	x->now = tsc_now_ns();
	if (!x->measuring) { /* stopped during the warm-up: nothing was measured */
		x->t0 = x->now;
		x->warmup_ns = x->now - t_run;
	}
	x->t_end = x->now; /* the measured phase ends here */
}
/* >8 End of the client's loop. */

/* Lets the transactions in flight finish (uncounted) for up to DRAIN_NS, so that connections
 * close with nothing unread (a socket closed with unread data sends RST, not FIN). */
static void drain(struct ec_ctx *x)
{
	uint64_t end = x->now + DRAIN_NS, tick = 0;

	x->stopping = true;
	for (unsigned i = 0; i < x->nconns; i++)
		ec_conn_stop(x, &x->conns[i]);
	for (;;) {
		x->now = tsc_now_ns();
		if (x->now >= end)
			break;
		if (x->now >= tick) {
			if (!x->nstate[EC_CONNECTING] && !x->nstate[EC_BUSY])
				break;
			tick = x->now + TICK_NS / 10;
		}
		x->eng->poll(x, tick < end ? tick : end);
	}
}

/* Closes every connection that is still open. */
static void close_all(struct ec_ctx *x)
{
	for (unsigned i = 0; i < x->nconns; i++) {
		struct ec_conn *c = &x->conns[i];

		if (c->state == EC_CONNECTING || c->state == EC_IDLE || c->state == EC_BUSY)
			x->eng->close(x, c, false);
		ec_set_state(x, c, EC_FREE);
	}
}

/* ---- the report ---- */

/* Counts the failures that are the server's or the network's doing. no_port (the client ran
 * out of local ports or connection slots: connections in TIME_WAIT hold them) is the client's
 * own limit: it makes a run generator-bound, not failed. */
static uint64_t errors_total(const struct ec_counters *n)
{
	return n->resets + n->timeouts + n->short_reads + n->refused + n->corrupt + n->other;
}

/* Writes "resets=1 timeouts=2" (nonzero kinds only; "none") into buf. */
static void errors_str(const struct ec_counters *n, char *buf, size_t len)
{
	const struct {
		const char *name;
		uint64_t v;
	} e[] = {
		{"resets", n->resets},   {"timeouts", n->timeouts}, {"short_reads", n->short_reads},
		{"refused", n->refused}, {"corrupt", n->corrupt},   {"no_port", n->no_port},
		{"other", n->other}};
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(e) && k < len; i++)
		if (e[i].v)
			k += snprintf(buf + k, len - k, "%s%s=%llu", k ? " " : "", e[i].name,
				      (unsigned long long)e[i].v);
	if (!k)
		snprintf(buf, len, "none");
}

/* What the run measured, beyond the counters. */
struct ec_summary {
	double d;         /* measured seconds */
	double tps, gbps; /* transactions/s, echoed payload bit/s / 1e9 */
	double conn_rate; /* connections established per second (crr: measured; else warm-up) */
	uint64_t unsent;  /* open loop: transactions due that never started */
	bool incomplete;  /* stream --bytes: not every byte came back */
	struct cpu_usage cpu;
};

static void summarise(const struct ec_ctx *x, const struct cpu_usage *cpu, struct ec_summary *s)
{
	const struct ec_cfg *cfg = x->cfg;

	memset(s, 0, sizeof(*s));
	s->d = (x->t_end - x->t0) / 1e9;
	if (s->d <= 0)
		s->d = 1e-9;
	s->tps = x->n.completed / s->d;
	s->gbps = x->n.bytes_rx * 8 / s->d / 1e9;
	if (cfg->mode == EC_MODE_CRR)
		s->conn_rate = x->n.connects / s->d;
	else if (x->warmup_ns)
		s->conn_rate = x->nconns * 1e9 / (double)x->warmup_ns;
	if (x->interval_ns && x->next_due < x->t_end)
		s->unsent = (x->t_end - x->next_due) / x->interval_ns;
	s->incomplete = cfg->bytes && x->n.bytes_rx < (uint64_t)cfg->bytes;
	s->cpu = *cpu;
}

static void row_latency(const struct hist *h, struct res_row *row)
{
	if (!hist_count(h))
		return;
	row->lat_min_ns = (double)hist_min(h);
	row->lat_p50_ns = (double)hist_percentile(h, 50);
	row->lat_p90_ns = (double)hist_percentile(h, 90);
	row->lat_p99_ns = (double)hist_percentile(h, 99);
	row->lat_p999_ns = (double)hist_percentile(h, 99.9);
	row->lat_p9999_ns = (double)hist_percentile(h, 99.99);
	row->lat_max_ns = (double)hist_max(h);
	row->lat_mean_ns = hist_mean(h);
	row->pdv_ns = row->lat_p999_ns - row->lat_min_ns;
}

static const char *mode_name(int mode)
{
	return mode_enum[mode].name;
}

/* The time the client waited for the server in a closed-loop rr or crr run, seconds; -1
 * where waiting says nothing (stream, open loop). */
static double client_idle_s(const struct ec_ctx *x)
{
	if (x->cfg->mode == EC_MODE_STREAM || x->cfg->tps) /* open loop waits by design */
		return -1;
	return (double)x->idle_ns / 1e9;
}

/* Fills the common results row: offered_pps = --rate (0: closed loop), tx/rx_pkts =
 * transactions started / completed, rx_pps = transactions/s, lat_* = transaction latency,
 * the echo columns (conns, msg_bytes, echo_bytes, goodput_gbps, conn_per_s, connect_pct,
 * errors); note = mode, what bounded the run and the kinds of errors. */
static void result_row(const struct ec_ctx *x, const struct ec_summary *s, const char *link,
		       struct res_row *row)
{
	const struct ec_cfg *cfg = x->cfg;
	double connect_s = (double)x->connect_ns / 1e9, idle_s = client_idle_s(x);
	bool client_bound = cfg->mode != EC_MODE_STREAM &&
			    ec_client_bound(cfg->mode == EC_MODE_CRR, connect_s, idle_s, s->d);
	char errs[96], note[256], bound[96] = "";
	size_t len;

	res_row_start(row, (const char *const[4]){"echo", "tgen", x->eng->name, link},
		      (unsigned)cfg->batch, NULL,
		      cfg->engine == EC_ENGINE_DPDK ? cfg->hugepages : -1,
		      cfg->affinity == CLI_AFFINITY_PINNED);
	row->offered_pps = cfg->tps;
	row->duration_s = s->d;
	if (cfg->mode != EC_MODE_STREAM) {
		row->tx_pkts = x->n.started;
		row->rx_pkts = x->n.completed;
		row->tx_pps = x->n.started / s->d;
		row->rx_pps = s->tps;
	}
	row_latency(x->lat, row);
	row->cpu_user_s = s->cpu.user_s;
	row->cpu_sys_s = s->cpu.sys_s;
	row->cpu_softirq_s = s->cpu.softirq_s;
	row->conns = (int)cfg->conns;
	row->msg_bytes = (int)cfg->msg_size;
	row->echo_bytes = x->n.bytes_rx;
	row->goodput_gbps = s->gbps;
	row->conn_per_s = s->conn_rate;
	row->connect_pct = s->d > 0 ? 100.0 * connect_s / s->d : 0;
	row->errors = errors_total(&x->n);
	errors_str(&x->n, errs, sizeof(errs));
	row->status = errors_total(&x->n) || s->incomplete ? RES_ERROR
		      : x->n.no_port || client_bound       ? RES_GENERATOR_BOUND
							   : RES_OK;
	if (client_bound)
		snprintf(bound, sizeof(bound),
			 " client-bound (connect() %.0f%%, waited %.1f%% of "
			 "the window)",
			 100 * connect_s / s->d, 100 * idle_s / s->d);
	else if (idle_s >= 0 && s->d > 0)
		snprintf(bound, sizeof(bound), " client waited %.0f%%", 100 * idle_s / s->d);
	snprintf(note, sizeof(note), "%s%s%s errors: %s", mode_name(cfg->mode), bound,
		 s->incomplete ? " incomplete" : "", errs);
	len = strnlen(note, sizeof(row->note) - 1); /* cut to the column's size */
	memcpy(row->note, note, len);
	row->note[len] = '\0';
}

/* Prints the latency line of a histogram in microseconds. */
static void human_lat(FILE *f, const char *label, const struct hist *h)
{
	if (!hist_count(h)) {
		fprintf(f, "  %-13s - (none)\n", label);
		return;
	}
	fprintf(f,
		"  %-13s min %.1f  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  p99.99 %.1f  max %.1f "
		"us (mean %.1f, %llu samples)\n",
		label, hist_min(h) / 1e3, hist_percentile(h, 50) / 1e3,
		hist_percentile(h, 90) / 1e3, hist_percentile(h, 99) / 1e3,
		hist_percentile(h, 99.9) / 1e3, hist_percentile(h, 99.99) / 1e3, hist_max(h) / 1e3,
		hist_mean(h) / 1e3, (unsigned long long)hist_count(h));
}

static void human_report(FILE *f, const struct ec_ctx *x, const struct ec_summary *s,
			 const struct res_row *row)
{
	const struct ec_cfg *cfg = x->cfg;
	char errs[128], note[256] = "";

	x->eng->note((struct ec_ctx *)x, note, sizeof(note));
	errors_str(&x->n, errs, sizeof(errs));
	fprintf(f, "tgen echo: %s, %ld connection%s, %ld B messages, %s, %s engine -> %s:%ld\n",
		mode_name(cfg->mode), cfg->conns, cfg->conns > 1 ? "s" : "", cfg->msg_size,
		cfg->tps > 0 ? "open loop" : "closed loop", x->eng->name, cfg->dst_ip,
		cfg->dst_port);
	fprintf(f, "  measured      %.3f s (warm-up %.3f s)\n", s->d, x->warmup_ns / 1e9);
	if (cfg->mode != EC_MODE_STREAM)
		fprintf(f, "  transactions  %llu completed of %llu started: %.0f /s%s\n",
			(unsigned long long)x->n.completed, (unsigned long long)x->n.started,
			s->tps, cfg->tps > 0 ? "" : " (closed loop)");
	if (cfg->tps > 0)
		fprintf(f,
			"  offered       %.0f /s, %llu due but never started (no free "
			"connection)\n",
			cfg->tps, (unsigned long long)s->unsent);
	fprintf(f, "  echoed        %llu bytes back of %llu sent: %.4f Gbit/s%s\n",
		(unsigned long long)x->n.bytes_rx, (unsigned long long)x->n.bytes_tx, s->gbps,
		s->incomplete ? " (INCOMPLETE: not every byte came back)" : "");
	fprintf(f, "  connections   %llu established, %.0f /s %s\n",
		(unsigned long long)x->n.connects, s->conn_rate,
		cfg->mode == EC_MODE_CRR ? "(measured)" : "(warm-up)");
	human_lat(f, "latency", x->lat);
	human_lat(f, "connect", x->conn_lat);
	fprintf(f, "  errors        %s\n", errs);
	if (x->n.no_port)
		fprintf(f,
			"                no_port: every local port toward the server (or the DPDK "
			"client's connection table) was taken (connections in TIME_WAIT): the "
			"client, not the server, set the rate\n");
	fprintf(f,
		"  cpu           user %.2f s, system %.2f s (%.0f%% of one core); softirq of "
		"all CPUs %.2f s\n",
		s->cpu.user_s, s->cpu.sys_s, 100 * (s->cpu.user_s + s->cpu.sys_s) / s->d,
		s->cpu.softirq_s);
	if (note[0])
		fprintf(f, "  engine        %s\n", note);
	fprintf(f, "  status        %s\n", res_status_name(row->status));
}

static const char *link_name(const struct ec_cfg *cfg)
{
	if (cfg->engine == EC_ENGINE_SOCK || cfg->dev)
		return "veth";
	if (!cfg->port || strstr(cfg->port, "memif"))
		return "memif";
	return "other";
}

/* Writes the report; returns the exit code: fail on errors or missing bytes. */
static int report(const struct ec_ctx *x, const struct cpu_usage *cpu)
{
	struct ec_summary s;
	struct res_row row;

	summarise(x, cpu, &s);
	result_row(x, &s, link_name(x->cfg), &row);
	if (!res_row_print(stdout, x->cfg->format, &row))
		human_report(stdout, x, &s, &row);
	fflush(stdout);
	return row.status == RES_ERROR ? LR_EXIT_FAIL : LR_EXIT_OK;
}

/* ---- main ---- */

/* Opens the engine, runs, reports, closes; returns the exit code. */
static int client_run(struct ec_ctx *x)
{
	struct cpu_usage c0, c1, d;
	char err[EC_ERR_LEN] = "";
	int ret;

	ret = x->eng->open(x, err, sizeof(err));
	if (ret) {
		pr_err("%s", err);
		x->eng->fini(x);
		return ret == -EPERM ? LR_EXIT_NOPERM : LR_EXIT_ENV;
	}
	lr_stop_signals();   /* best effort: it warns */
	cpu_usage_read(&c0); /* best effort */
	run(x);
	cpu_usage_read(&c1); /* best effort */
	d = cpu_usage_diff(&c1, &c0);
	drain(x); /* before the report: the engine's counters include the drain */
	ret = report(x, &d);
	close_all(x);
	x->eng->fini(x);
	return ret;
}

int echo_client_main(int argc, char **argv)
{
	struct ec_cfg cfg;
	struct ec_ctx x;
	int cmd, ret;

	log_set_prog(PROG);
	cfg_defaults(&cfg);
	cfg.cpu = 0;
	cmd = split_eal(argc, argv, &cfg);
	ret = parse(argc - cmd, argv + cmd, &cfg);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = resolve(&cfg);
	if (ret)
		return ret;
	if (tsc_init()) {
		pr_err("cannot calibrate the TSC");
		return LR_EXIT_ENV;
	}
	if (ctx_init(&x, &cfg)) {
		pr_err("out of memory for %ld connections", cfg.conns);
		ctx_free(&x);
		return LR_EXIT_ENV;
	}
	ret = client_run(&x);
	ctx_free(&x);
	return ret;
}
