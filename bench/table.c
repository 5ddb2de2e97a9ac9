// SPDX-License-Identifier: MIT
/*
 * table.c: `linerate table`, the line-rate table of a link: for each frame size the packet
 * rate, the L2 bit rate and the time and CPU cycles a program may spend per packet at line
 * rate on this machine's TSC. The first thing to look at before reading any measured figure.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "lr.h"
#include "rate.h"
#include "tsc.h"

struct table_opts {
	double link_bps;
	struct cli_sizes sizes;
	int format;
};

static void print_table(const struct table_opts *o, double hz)
{
	char link[16];

	rate_link_name(o->link_bps, link, sizeof(link));
	if (o->format == CLI_FORMAT_HUMAN)
		printf("line rate at %s (TSC %.3f GHz%s)\n%8s %10s %10s %12s %14s\n", link,
		       hz / 1e9, tsc_invariant() ? ", invariant" : ", NOT invariant", "size_B",
		       "Mpps", "Gbps", "ns/packet", "cycles/packet");
	else if (o->format == CLI_FORMAT_CSV)
		printf("link,frame_size,mpps,l2_gbps,ns_per_pkt,cycles_per_pkt\n");
	for (unsigned i = 0; i < o->sizes.n; i++) {
		unsigned len = o->sizes.v[i];
		double pps = rate_pps(len, o->link_bps);
		double gbps = rate_l2_bps(pps, len) / 1e9;
		double ns = rate_budget_ns(len, o->link_bps);
		double cyc = rate_budget_cycles(len, o->link_bps, hz);

		if (o->format == CLI_FORMAT_HUMAN)
			printf("%8u %10.3f %10.3f %12.2f %14.1f\n", len, pps / 1e6, gbps, ns, cyc);
		else if (o->format == CLI_FORMAT_CSV)
			printf("%s,%u,%.6f,%.6f,%.4f,%.2f\n", link, len, pps / 1e6, gbps, ns, cyc);
		else
			printf("{\"link\":\"%s\",\"frame_size\":%u,\"mpps\":%.6f,\"l2_gbps\":%.6f,"
			       "\"ns_per_pkt\":%.4f,\"cycles_per_pkt\":%.2f,\"tsc_ghz\":%.4f}\n",
			       link, len, pps / 1e6, gbps, ns, cyc, hz / 1e9);
	}
}

int cmd_table(int argc, char **argv)
{
	struct table_opts o = {.link_bps = 10e9, .format = CLI_FORMAT_HUMAN};
	const struct cli_option opts[] = {
		{"link", 0, CLI_LINK, &o.link_bps, "SPEED", "link speed"},
		{"size", 's', CLI_SIZES, &o.sizes, "SIZES", "frame sizes (FCS included)"},
		{"format", 'f', CLI_ENUM, &o.format, "FORMAT", "output format", cli_format_enum},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate table", "[options]",
		"Prints the line rate of a link per frame size: packets per second, L2 Gbps, and "
		"the "
		"nanoseconds and TSC cycles a program may spend on each packet to keep up.",
		opts};
	int first, ret;

	for (unsigned i = 0; i < ARRAY_SIZE(rate_rfc2544_sizes); i++)
		o.sizes.v[o.sizes.n++] = rate_rfc2544_sizes[i];
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first < argc) {
		pr_err("table: unexpected argument '%s' (see 'linerate table --help')",
		       argv[first]);
		return LR_EXIT_USAGE;
	}
	if (tsc_init()) {
		pr_err("table: cannot calibrate the TSC against CLOCK_MONOTONIC_RAW");
		return LR_EXIT_ENV;
	}
	print_table(&o, tsc_hz());
	return LR_EXIT_OK;
}
