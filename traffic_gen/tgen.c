// SPDX-License-Identifier: MIT
/*
 * tgen.c: the entry point of build/bin/tgen, the traffic generator: parse -> setup -> run ->
 * teardown. Subcommands: run (one trial, or a sweep over --size), selftest (the generator to
 * itself over the loop pair, no DUT: each engine's own ceiling) and rfc2544 (NDR/PDR search,
 * latency at NDR, frame loss curve, back-to-back). With --engine dpdk, EAL arguments come
 * first and tgen's after "--" (tgen -l 0 -- run --engine dpdk ...), or in --eal "ARGS".
 * Start here, then read trial.c (one trial) and an engine (engine_sock.c, engine_io.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "echo_client.h"
#include "io_dpdk.h"
#include "io_xdp.h"
#include "log.h"
#include "lr.h"
#include "rfc2544.h"
#include "stop.h"
#include "tgen.h"
#include "topo_defs.h"
#include "xdp_prog.h"

static const struct cli_enum engine_enum[] = {
	{"sock", TGEN_ENGINE_SOCK},
	{"afp", TGEN_ENGINE_AFP},
	{"dpdk", TGEN_ENGINE_DPDK},
	{"xdp", TGEN_ENGINE_XDP},
	{NULL, 0},
};

static const struct cli_enum afp_tx_enum[] = {
	{"auto", TGEN_AFP_TX_AUTO},
	{"ring", TGEN_AFP_TX_RING},
	{"sendmmsg", TGEN_AFP_TX_SENDMMSG},
	{NULL, 0},
};

static const struct cli_enum tpacket_enum[] = {
	{"v2", 2},
	{"v3", 3},
	{NULL, 0},
};

static struct tgen_cfg cfg;

/* One table for every subcommand; the defaults shown by --help are the subcommand's. */
static const struct cli_option opts[] = {
	{"engine", 'e', CLI_ENUM, &cfg.engine, "NAME", "I/O engine", engine_enum},
	{"size", 's', CLI_SIZES, &cfg.sizes, NULL, "frame sizes (wire bytes, FCS included)"},
	{"rate", 'r', CLI_RATE, &cfg.rate, NULL, "offered rate per size"},
	{"link", 0, CLI_LINK, &cfg.link_bps, NULL, "link speed that 'line' and % refer to"},
	{"duration", 'd', CLI_DURATION, &cfg.duration_ns, NULL, "measured time per trial"},
	{"count", 'c', CLI_INT, &cfg.count, NULL,
	 "measured frames per trial instead of --duration (0: use --duration)", NULL, 0, 1e15},
	{"flows", 0, CLI_INT, &cfg.flows, NULL,
	 "flows (source ports; sock: at most 1024, one socket each)", NULL, 1, TGEN_MAX_FLOWS},
	{"src-ips", 0, CLI_INT, &cfg.src_ips, NULL,
	 "source addresses the flows are spread over (afp, dpdk, xdp)", NULL, 1, 65536},
	{"batch", 'b', CLI_INT, &cfg.batch, NULL, "frames per system call or burst", NULL, 1,
	 TGEN_MAX_BATCH},
	{"repeat", 0, CLI_INT, &cfg.repeat, NULL, "repetitions of every trial", NULL, 1, 1000},
	{"affinity", 0, CLI_ENUM, &cfg.affinity, NULL, "pin the generator to --cpu or float",
	 cli_affinity_enum},
	{"cpu", 0, CLI_INT, &cfg.cpu, NULL, "generator core (the DUT gets the others)", NULL, 0,
	 4095},
	{"hugepages", 0, CLI_ONOFF, &cfg.hugepages, NULL,
	 "buffers on 2 MB huge pages (dpdk: off means --no-huge; xdp: the UMEM)"},
	{"tx-dev", 0, CLI_STRING, &cfg.tx_dev, "IFACE", "transmit interface"},
	{"rx-dev", 0, CLI_STRING, &cfg.rx_dev, "IFACE", "receive interface ('none': no receiver)"},
	{"tx-netns", 0, CLI_STRING, &cfg.tx_netns, "NS", "namespace of --tx-dev ('': current)"},
	{"rx-netns", 0, CLI_STRING, &cfg.rx_netns, "NS", "namespace of --rx-dev ('': current)"},
	{"dst-mac", 0, CLI_STRING, &cfg.dst_mac, "MAC",
	 "destination MAC (default: the peer of --tx-dev in the lr- topology)"},
	{"src-mac", 0, CLI_STRING, &cfg.src_mac, "MAC", "source MAC (default: --tx-dev's)"},
	{"dst-ip", 0, CLI_STRING, &cfg.dst_ip, "IP",
	 "destination (default: --rx-dev's address; fwd-sock: 198.18.0.2)"},
	{"src-ip", 0, CLI_STRING, &cfg.src_ip, "IP", "first source address (default: --tx-dev's)"},
	{"src-port", 0, CLI_INT, &cfg.src_port, NULL, "first source port", NULL, 1, 65535},
	{"dst-port", 0, CLI_INT, &cfg.dst_port, NULL, "destination port", NULL, 1, 65535},
	{"ramp", 0, CLI_STRING, &cfg.ramp, "TIME|off",
	 "ramp-up from 10% to 100% before each trial, not counted"},
	{"drain", 0, CLI_STRING, &cfg.drain, "TIME", "longest wait for frames in flight"},
	{"quiet", 0, CLI_STRING, &cfg.quiet, "TIME", "the drain ends once nothing came this long"},
	{"format", 0, CLI_ENUM, &cfg.format, NULL, "output format", cli_format_enum},
	{"out", 'o', CLI_STRING, &cfg.out_dir, "DIR",
	 "also write DIR/results.csv and DIR/meta.json"},
	{"stats-interval", 0, CLI_DURATION0, &cfg.stats_ns, NULL,
	 "live line period (0s: every 1s on a terminal, never otherwise)"},
	{"pcap-out", 0, CLI_STRING, &cfg.pcap_out, "FILE", "keep received frames (afp, dpdk, xdp)"},
	{"pcap-count", 0, CLI_INT, &cfg.pcap_first, NULL, "keep only the first N (0: all)", NULL, 0,
	 1e12},
	{"pcap-every", 0, CLI_INT, &cfg.pcap_every, NULL, "keep 1 frame in N", NULL, 1, 1e9},
	{"pcap-in", 0, CLI_STRING, &cfg.pcap_in, "FILE",
	 "send a capture's frames, rewritten to the topology, looped (afp, dpdk, xdp)"},
	/* spelled as in fwd-afp and echo-afp; --afp-tx and --afp-ring are the older names */
	{"tx", 0, CLI_ENUM, &cfg.afp_tx, NULL, "afp transmit path", afp_tx_enum},
	{"tpacket", 0, CLI_ENUM, &cfg.afp_tpacket, NULL, "afp receive ring version", tpacket_enum},
	{"ring-frames", 0, CLI_INT, &cfg.afp_ring, NULL,
	 "afp frames per ring; xdp entries per AF_XDP ring (a power of two, at most 16384)", NULL,
	 64, 1 << 20},
	{"afp-tx", 0, CLI_ENUM, &cfg.afp_tx, NULL, "the same as --tx", afp_tx_enum},
	{"afp-ring", 0, CLI_INT, &cfg.afp_ring, NULL, "the same as --ring-frames", NULL, 64,
	 1 << 20},
	{"eal", 0, CLI_STRING, &cfg.eal, "ARGS", "DPDK EAL arguments in one string"},
	{"tx-port", 0, CLI_STRING, &cfg.tx_port, "DEVARGS",
	 "dpdk transmit port (default: --pmd on --tx-dev), e.g. "
	 "net_memif0,role=client,socket=PATH"},
	{"rx-port", 0, CLI_STRING, &cfg.rx_port, "DEVARGS",
	 "dpdk receive port (default: --pmd on --rx-dev; 'none': no receiver)"},
	{"pmd", 0, CLI_ENUM, &cfg.dpdk_pmd, NULL, "dpdk driver for veth ports", dpdk_pmd_enum},
	/* spelled as in fwd-xdp and echo-xdp */
	{"xdp-mode", 0, CLI_ENUM, &cfg.xdp_attach, NULL,
	 "xdp: where the receiving port's XDP program runs, in the driver or on the skb",
	 xdp_prog_attach_enum},
	{"copy", 0, CLI_ENUM, &cfg.xdp_copy, NULL,
	 "xdp: AF_XDP bind mode, zero copy where the driver can (auto) or insist on one",
	 xdp_prog_copy_enum},
	{"need-wakeup", 0, CLI_ONOFF, &cfg.xdp_need_wakeup, NULL,
	 "xdp: XDP_USE_NEED_WAKEUP, kick the kernel only when it asks"},
	{"loss-tolerance", 0, CLI_DOUBLE, &cfg.loss_tolerance, "PCT",
	 "rfc2544: loss a PDR may have, in % (0: NDR only)", NULL, 0, 100},
	{"resolution", 0, CLI_DOUBLE, &cfg.resolution, "PCT",
	 "rfc2544: the search ends when the NDR interval is this % of its upper end", NULL, 0.01,
	 50},
	{"max-trials", 0, CLI_INT, &cfg.max_trials, NULL, "rfc2544: throughput trials at most",
	 NULL, 1, 32},
	{"strict", 0, CLI_FLAG, &cfg.strict, NULL,
	 "rfc2544: the RFC's durations (60 s trials) instead of short ones"},
	{"tests", 0, CLI_STRING, &cfg.tests, "LIST",
	 "rfc2544: throughput, latency, loss, b2b (comma-separated) or all"},
	{NULL},
};

struct subcommand {
	const char *name;
	enum tgen_mode mode;
	const char *brief; /* one line for 'tgen --help' */
	const char *summary;
};

static const struct subcommand subs[] = {
	{"run", TGEN_MODE_RUN, "trials through the DUT, one per --size",
	 "Sends UDP/IPv4 frames from --tx-dev through the device under test and receives them on "
	 "--rx-dev in the same process: achieved rate, loss (after a drain), duplicates, "
	 "reordering and latency percentiles, one trial per --size. Defaults serve the lr- "
	 "topology ('linerate topo up'): lr-g0 in lr-gen to lr-k1 in lr-sink via the DUT."},
	{"selftest", TGEN_MODE_SELFTEST, "the generator's own ceiling over the loop pair (no DUT)",
	 "Measures the generator's own ceiling: unpaced trials over the loop pair lr-s0 -> lr-s1, "
	 "with no DUT in between. A DUT measured faster than this is generator-bound."},
	{"rfc2544", TGEN_MODE_RFC2544, "NDR/PDR search, latency at NDR, loss curve, back-to-back",
	 "RFC 2544 through the DUT: throughput (NDR, and PDR with --loss-tolerance) by a search "
	 "that starts from the rate the DUT forwards under overload, latency at the NDR, the "
	 "frame loss rate curve and back-to-back bursts (--tests picks some). Short trials by "
	 "default (labs, CI); --strict for the RFC's durations."},
};

/* Defaults shared by every subcommand, then the subcommand's own. */
static void defaults(enum tgen_mode mode)
{
	char err[CLI_ERR_LEN];

	cfg.mode = mode;
	cfg.engine = TGEN_ENGINE_AFP;
	cli_parse_sizes("64", 0, &cfg.sizes, err, sizeof(err));
	cli_parse_rate("100kpps", &cfg.rate, err, sizeof(err));
	cfg.link_bps = 10e9;
	cfg.duration_ns = 2000000000ULL;
	cfg.flows = cfg.src_ips = cfg.repeat = 1;
	cfg.batch = 32;
	cfg.affinity = CLI_AFFINITY_PINNED;
	cfg.tx_dev = TOPO_IF_G0;
	cfg.rx_dev = TOPO_IF_K1;
	cfg.tx_netns = TOPO_NS_GEN;
	cfg.rx_netns = TOPO_NS_SINK;
	cfg.src_port = 10000;
	cfg.dst_port = 9000;
	cfg.ramp = "100ms";
	cfg.drain = "200ms";
	cfg.quiet = "50ms";
	cfg.afp_tpacket = 2;
	cfg.afp_ring = 4096;
	cfg.xdp_attach = AXDP_NATIVE;
	cfg.xdp_copy = AXDP_COPY_AUTO;
	cfg.xdp_need_wakeup = true;
	cfg.pcap_every = 1;
	cfg.resolution = 1;
	cfg.max_trials = 12;
	cfg.tests = "all";
	if (mode == TGEN_MODE_SELFTEST) {
		cli_parse_sizes("64,512,1518", 0, &cfg.sizes, err, sizeof(err));
		cli_parse_rate("max", &cfg.rate, err, sizeof(err));
		cfg.duration_ns = 1000000000ULL;
		cfg.batch = 256; /* a ceiling: amortise the system calls */
		cfg.tx_dev = TOPO_IF_S0;
		cfg.rx_dev = TOPO_IF_S1;
	} else if (mode == TGEN_MODE_RFC2544) {
		cli_parse_rate("line", &cfg.rate, err, sizeof(err));
		cfg.duration_ns = 1000000000ULL;
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: tgen [EAL args --] run|selftest|rfc2544|echo [options]   (tgen COMMAND "
		   "--help for the options; tgen --version)\n\nThe traffic generator of "
		   "linerate.\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		fprintf(f, "  %-9s %s\n", subs[i].name, subs[i].brief);
	fprintf(f, "  %-9s %s\n", "echo", "TCP echo load client: rr, crr, stream (echo_client.c)");
}

/* Splits "tgen [EAL args] -- CMD ..." or "tgen CMD ..."; returns the index of CMD or -1. */
static int split_eal(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		cfg.eal_argc = i; /* argv[0] and the EAL arguments */
		return i + 1 < argc ? i + 1 : -1;
	}
	return -1;
}

/* Splits --eal "ARGS" at spaces into cfg.eal_argv (argv[0] first). */
static int eal_from_string(char *prog)
{
	static char *v[DPDK_EAL_ARGS_MAX + 1];
	static char buf[1024];
	int n = 0;

	if (!cfg.eal)
		return 0;
	if (cfg.eal_argc > 1 || strlen(cfg.eal) >= sizeof(buf)) {
		pr_err("--eal: give the EAL arguments either before '--' or in --eal, not both "
		       "(and at most %zu characters)",
		       sizeof(buf) - 1);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", cfg.eal);
	v[n++] = prog;
	for (char *tok = strtok(buf, " \t"); tok && n < DPDK_EAL_ARGS_MAX;
	     tok = strtok(NULL, " \t"))
		v[n++] = tok;
	v[n] = NULL;
	cfg.eal_argv = v;
	cfg.eal_argc = n;
	return 0;
}

/* Parses --tests into cfg.rfc_tests; returns 0 or -1 after printing the error. */
static int parse_tests(const char *name)
{
	char err[CLI_ERR_LEN];

	if (!rfc_tests_parse(cfg.tests, &cfg.rfc_tests, err, sizeof(err)))
		return 0;
	fprintf(stderr, "%s: --tests: %s\n", name, err); /* as cli.c words a bad value */
	return -1;
}

/* Parses the command line into cfg; returns LR_EXIT_OK or an exit code (-1: help shown). */
static int parse(int argc, char **argv)
{
	static struct cli_program prog;
	static char name[32];
	int cmd = split_eal(argc, argv), first, ret;
	const struct subcommand *sub = NULL;

	for (size_t i = 0; cmd > 0 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[cmd], subs[i].name))
			sub = &subs[i];
	if (!sub) {
		if (cmd > 0)
			pr_err("unknown command '%s' (run 'tgen --help' for the list)", argv[cmd]);
		else
			usage(stderr);
		return LR_EXIT_USAGE;
	}
	defaults(sub->mode);
	cfg.mode_name = sub->name;
	cfg.eal_argv = argv;
	cfg.argc = argc;
	cfg.argv = argv;
	snprintf(name, sizeof(name), "tgen %s", sub->name);
	prog = (struct cli_program){name, "[options]", sub->summary, opts};
	ret = cli_parse(&prog, argc - cmd, argv + cmd, &first);
	if (ret)
		return ret > 0 ? -1 : LR_EXIT_USAGE;
	if (first < argc - cmd) {
		pr_err("unexpected argument '%s' (run '%s --help' for the options)",
		       argv[cmd + first], name);
		return LR_EXIT_USAGE;
	}
	if (parse_tests(name))
		return LR_EXIT_USAGE;
	return eal_from_string(argv[0]) ? LR_EXIT_USAGE : LR_EXIT_OK;
}

static int run_mode(struct tgen_ctx *c)
{
	switch (cfg.mode) {
	case TGEN_MODE_SELFTEST:
		return tgen_mode_selftest(c);
	case TGEN_MODE_RFC2544:
		return tgen_mode_rfc2544(c);
	case TGEN_MODE_RUN:
		break;
	}
	return tgen_mode_run(c);
}

int main(int argc, char **argv)
{
	struct tgen_ctx ctx = {0};
	int ret;

	log_set_prog("tgen");
	if (argc > 1 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		usage(stdout);
		return LR_EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		cli_version("tgen", stdout);
		return LR_EXIT_OK;
	}
	if (echo_client_is_cmd(argc, argv))
		return echo_client_main(argc, argv); /* tgen echo: echo_client.c */
	ret = parse(argc, argv);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	ret = tgen_setup(&cfg);
	if (ret)
		return ret;
	lr_stop_signals(); /* best effort: it warns */
	ret = tgen_open(&ctx, &cfg);
	if (ret)
		return ret;
	ret = run_mode(&ctx);
	tgen_close(&ctx);
	return ret;
}
