// SPDX-License-Identifier: MIT
/*
 * tapbr.c: the tap bridges of the fwd-dpdk-tap and echo-dpdk-tap series (tapbr.h says what
 * they are for). The steps are tables of iproute2 commands run through topo_run() (no shell),
 * so `--dry-run` prints exactly what runs.
 *
 * Decisions (measured by hand on the reference VM, kernel without cls_matchall and flower):
 * - tc u32 "match u32 0 0" (every frame) with act_mirred "egress redirect": a frame lr-d0
 *   receives is transmitted on lr-ti0, which hands it to the tap's reader, fwd-dpdk; a frame
 *   fwd-dpdk writes to lr-to0 enters the kernel there and is sent out of lr-d1. The kernel in
 *   lr-dut never routes these frames (ip_forward stays 0): fwd-dpdk does the forwarding work.
 *   The echo bridge is the same with one tap both ways: lr-d0 -> lr-te0 -> echo-dpdk, and what
 *   echo-dpdk writes to lr-te0 goes out of lr-d0 back to the client.
 * - The taps are persistent (ip tuntap) and multi_queue, the flags DPDK's net_tap opens its
 *   queues with, so net_tap attaches to them (iface=) instead of creating its own, and they
 *   outlive fwd-dpdk's start and exit (which prints harmless multiq qdisc warnings).
 * - lr-d0's redirect is the last step up and the first one down: lr-d0 loses its traffic only
 *   while the rest of the path is in place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lr.h"
#include "tapbr.h"
#include "topo.h"
#include "topo_defs.h"

#define OUT_LEN 2048
#define IP_DUT  "ip", "-n", TOPO_NS_DUT
#define TC_DUT  "tc", "-n", TOPO_NS_DUT
#define ALL     "u32", "match", "u32", "0", "0" /* a u32 filter that matches every frame */

static const struct tapbr_cmd fwd_up[] = {
	{"create the in-tap",
	 {IP_DUT, "tuntap", "add", "dev", TOPO_IF_TAP_IN, "mode", "tap", "multi_queue", NULL}},
	{"create the out-tap",
	 {IP_DUT, "tuntap", "add", "dev", TOPO_IF_TAP_OUT, "mode", "tap", "multi_queue", NULL}},
	{"bring the in-tap up", {IP_DUT, "link", "set", "dev", TOPO_IF_TAP_IN, "up", NULL}},
	{"bring the out-tap up", {IP_DUT, "link", "set", "dev", TOPO_IF_TAP_OUT, "up", NULL}},
	{"add an ingress qdisc to the out-tap",
	 {TC_DUT, "qdisc", "add", "dev", TOPO_IF_TAP_OUT, "ingress", NULL}},
	{"redirect the out-tap's frames to " TOPO_IF_D1,
	 {TC_DUT, "filter", "add", "dev", TOPO_IF_TAP_OUT, "ingress", ALL, "action", "mirred",
	  "egress", "redirect", "dev", TOPO_IF_D1, NULL}},
	{"add an ingress qdisc to " TOPO_IF_D0,
	 {TC_DUT, "qdisc", "add", "dev", TOPO_IF_D0, "ingress", NULL}},
	{"redirect " TOPO_IF_D0 "'s frames to the in-tap",
	 {TC_DUT, "filter", "add", "dev", TOPO_IF_D0, "ingress", ALL, "action", "mirred", "egress",
	  "redirect", "dev", TOPO_IF_TAP_IN, NULL}},
};

static const struct tapbr_cmd fwd_down[] = {
	{"remove " TOPO_IF_D0 "'s ingress qdisc and redirect",
	 {TC_DUT, "qdisc", "del", "dev", TOPO_IF_D0, "ingress", NULL}},
	{"delete the in-tap", {IP_DUT, "link", "delete", "dev", TOPO_IF_TAP_IN, NULL}},
	{"delete the out-tap (its qdisc and redirect with it)",
	 {IP_DUT, "link", "delete", "dev", TOPO_IF_TAP_OUT, NULL}},
};

/* The one-port bridge of the echo-dpdk-tap series: one tap, redirected both ways with lr-d0
 * (a TCP server answers on the link it was asked on). */
static const struct tapbr_cmd echo_up[] = {
	{"create the echo tap",
	 {IP_DUT, "tuntap", "add", "dev", TOPO_IF_TAP_ECHO, "mode", "tap", "multi_queue", NULL}},
	{"bring the echo tap up", {IP_DUT, "link", "set", "dev", TOPO_IF_TAP_ECHO, "up", NULL}},
	{"add an ingress qdisc to the echo tap",
	 {TC_DUT, "qdisc", "add", "dev", TOPO_IF_TAP_ECHO, "ingress", NULL}},
	{"redirect the echo tap's frames to " TOPO_IF_D0,
	 {TC_DUT, "filter", "add", "dev", TOPO_IF_TAP_ECHO, "ingress", ALL, "action", "mirred",
	  "egress", "redirect", "dev", TOPO_IF_D0, NULL}},
	{"add an ingress qdisc to " TOPO_IF_D0,
	 {TC_DUT, "qdisc", "add", "dev", TOPO_IF_D0, "ingress", NULL}},
	{"redirect " TOPO_IF_D0 "'s frames to the echo tap",
	 {TC_DUT, "filter", "add", "dev", TOPO_IF_D0, "ingress", ALL, "action", "mirred", "egress",
	  "redirect", "dev", TOPO_IF_TAP_ECHO, NULL}},
};

static const struct tapbr_cmd echo_down[] = {
	{"remove " TOPO_IF_D0 "'s ingress qdisc and redirect",
	 {TC_DUT, "qdisc", "del", "dev", TOPO_IF_D0, "ingress", NULL}},
	{"delete the echo tap (its qdisc and redirect with it)",
	 {IP_DUT, "link", "delete", "dev", TOPO_IF_TAP_ECHO, NULL}},
};

static const struct {
	const struct tapbr_cmd *up, *down;
	size_t nup, ndown;
} kinds[] = {
	[TAPBR_FWD] = {fwd_up, fwd_down, ARRAY_SIZE(fwd_up), ARRAY_SIZE(fwd_down)},
	[TAPBR_ECHO] = {echo_up, echo_down, ARRAY_SIZE(echo_up), ARRAY_SIZE(echo_down)},
};

/* Every tap either bridge makes. */
static const char *const all_taps[] = {TOPO_IF_TAP_IN, TOPO_IF_TAP_OUT, TOPO_IF_TAP_ECHO};

const struct tapbr_cmd *tapbr_cmds(enum tapbr_kind k, bool up, size_t *n)
{
	*n = up ? kinds[k].nup : kinds[k].ndown;
	return up ? kinds[k].up : kinds[k].down;
}

static bool link_exists(const char *ifname)
{
	return !topo_runl(NULL, 0, IP_DUT, "link", "show", "dev", ifname, NULL);
}

/* Returns true when lr-d0 has an ingress qdisc (the redirect hangs on it). */
static bool d0_ingress(void)
{
	char out[OUT_LEN];

	return !topo_runl(out, sizeof(out), TC_DUT, "qdisc", "show", "dev", TOPO_IF_D0, "ingress",
			  NULL) &&
	       strstr(out, "ingress");
}

bool tapbr_present(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_taps); i++)
		if (link_exists(all_taps[i]))
			return true;
	return d0_ingress();
}

/* Runs one step; on failure writes the step, the command and the tool's message into err. */
static int run_step(const struct tapbr_cmd *c, char *err, size_t errlen)
{
	char out[OUT_LEN], cmd[512];
	int rc = topo_run(c->argv, out, sizeof(out));

	if (!rc)
		return 0;
	topo_cmdline(c->argv, cmd, sizeof(cmd));
	if (rc < 0)
		snprintf(err, errlen, "tap bridge: %s: '%s' could not start: %s (install iproute2)",
			 c->what, cmd, strerror(-rc));
	else
		snprintf(err, errlen, "tap bridge: %s: '%s' failed with exit code %d: %s", c->what,
			 cmd, rc, *out ? topo_oneline(out) : "(no output)");
	return -EIO;
}

/* Runs the down steps of kind k; a step that fails overwrites why, one that works clears it
 * (a part that is absent makes its step fail, which is what down wants). */
static void run_down(enum tapbr_kind k, char *why, size_t len)
{
	size_t n;
	const struct tapbr_cmd *c = tapbr_cmds(k, false, &n);

	for (size_t i = 0; i < n; i++)
		if (run_step(&c[i], why, len) == 0)
			why[0] = '\0';
}

/* Says which parts of a bridge are still there, and why, into err; returns -EIO. */
static int still_there(const char *why, char *err, size_t errlen)
{
	char left[128] = "";
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(all_taps); i++)
		if (link_exists(all_taps[i]))
			n += (size_t)snprintf(left + n, sizeof(left) - n, "%s ", all_taps[i]);
	if (d0_ingress() && n < sizeof(left))
		snprintf(left + n, sizeof(left) - n, "%s's ingress qdisc", TOPO_IF_D0);
	snprintf(err, errlen, "tap bridge: still in %s after removing it (%s): %s", TOPO_NS_DUT,
		 left, why[0] ? why : "no step failed");
	return -EIO;
}

int tapbr_down(enum tapbr_kind k, char *err, size_t errlen)
{
	char why[512] = "";

	run_down(k, why, sizeof(why));
	return tapbr_present() ? still_there(why, err, errlen) : 0;
}

int tapbr_clear(char *err, size_t errlen)
{
	char why[512] = "";

	for (unsigned k = 0; k < ARRAY_SIZE(kinds) && tapbr_present(); k++)
		run_down((enum tapbr_kind)k, why, sizeof(why));
	return tapbr_present() ? still_there(why, err, errlen) : 0;
}

int tapbr_up(enum tapbr_kind k, char *err, size_t errlen)
{
	char ignored[512];
	size_t n;
	const struct tapbr_cmd *c = tapbr_cmds(k, true, &n);
	int ret = 0;

	if (!link_exists(TOPO_IF_D0) || (k == TAPBR_FWD && !link_exists(TOPO_IF_D1))) {
		snprintf(err, errlen,
			 "tap bridge: no %s%s in namespace %s (run 'linerate topo up')", TOPO_IF_D0,
			 k == TAPBR_FWD ? " and " TOPO_IF_D1 : "", TOPO_NS_DUT);
		return -ENODEV;
	}
	if (tapbr_present() && tapbr_clear(err, errlen))
		return -EIO;
	for (size_t i = 0; i < n && !ret; i++)
		ret = run_step(&c[i], err, errlen);
	if (ret)
		tapbr_down(k, ignored,
			   sizeof(ignored)); /* best effort: err names the first failure */
	return ret;
}

void tapbr_print(enum tapbr_kind k, FILE *f, const char *prefix)
{
	char cmd[512];

	for (int up = 1; up >= 0; up--) {
		size_t n;
		const struct tapbr_cmd *c = tapbr_cmds(k, up, &n);

		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s %s\n", prefix,
				up ? "up:" : "down:", topo_cmdline(c[i].argv, cmd, sizeof(cmd)));
	}
}
