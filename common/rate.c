// SPDX-License-Identifier: MIT
/*
 * rate.c: line-rate arithmetic and link-speed names (see rate.h for the formula).
 */
#include "rate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

const unsigned rate_rfc2544_sizes[7] = {64, 128, 256, 512, 1024, 1280, 1518};

static const struct {
	const char *name;
	double bps;
} links[] = {
	{"1G", 1e9},   {"2.5G", 2.5e9}, {"10G", 10e9},   {"25G", 25e9},   {"40G", 40e9},
	{"50G", 50e9}, {"100G", 100e9}, {"200G", 200e9}, {"400G", 400e9}, {"800G", 800e9},
};

double rate_pps(unsigned frame_len, double link_bps)
{
	return link_bps / ((double)(frame_len + RATE_WIRE_OVERHEAD) * 8.0);
}

double rate_budget_ns(unsigned frame_len, double link_bps)
{
	return 1e9 / rate_pps(frame_len, link_bps);
}

double rate_budget_cycles(unsigned frame_len, double link_bps, double tsc_hz)
{
	return rate_budget_ns(frame_len, link_bps) * tsc_hz / 1e9;
}

double rate_l2_bps(double pps, unsigned frame_len)
{
	return pps * frame_len * 8.0;
}

int rate_link_parse(const char *s, double *link_bps)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (!strcasecmp(s, links[i].name)) {
			*link_bps = links[i].bps;
			return 0;
		}
	}
	return -EINVAL;
}

const char *rate_link_name(double link_bps, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (fabs(links[i].bps - link_bps) < 1.0) {
			snprintf(buf, len, "%s", links[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "%gG", link_bps / 1e9);
	return buf;
}
