// SPDX-License-Identifier: MIT
/*
 * test_tapbr.c: the tap bridges' command tables (bench/tapbr.c), without running them: every
 * command stays in lr-dut and names only lr- interfaces; up creates the taps before anything
 * redirects to them and steals lr-d0's traffic last; down undoes lr-d0's redirect first and
 * removes every tap up created; the echo bridge joins its one tap to lr-d0 both ways; --dry-run's
 * listing is the table, line for line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapbr.h"
#include "topo_defs.h"

static const enum tapbr_kind kinds[] = {TAPBR_FWD, TAPBR_ECHO};

/* Returns the index of the first of n steps whose argv holds w1 (and w2 unless NULL), or -1. */
static int step_with(const struct tapbr_cmd *c, size_t n, const char *w1, const char *w2)
{
	for (size_t i = 0; i < n; i++) {
		bool has1 = false, has2 = !w2;

		for (unsigned a = 0; c[i].argv[a]; a++) {
			has1 |= !strcmp(c[i].argv[a], w1);
			has2 |= w2 && !strcmp(c[i].argv[a], w2);
		}
		if (has1 && has2)
			return (int)i;
	}
	return -1;
}

/* Returns the index of the step that redirects the ingress of dev to to, or -1. */
static int redirect_step(const struct tapbr_cmd *c, size_t n, const char *dev, const char *to)
{
	for (size_t i = 0; i < n; i++) {
		unsigned a = 0;

		while (c[i].argv[a])
			a++;
		if (a > 7 && !strcmp(c[i].argv[6], dev) && !strcmp(c[i].argv[a - 3], "redirect") &&
		    !strcmp(c[i].argv[a - 1], to))
			return (int)i;
	}
	return -1;
}

Test(tapbr, every_command_runs_in_lr_dut_on_lr_names_only)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int up = 0; up <= 1; up++) {
			size_t n;
			const struct tapbr_cmd *c = tapbr_cmds(kinds[k], up, &n);

			cr_assert_gt(n, 0);
			for (size_t i = 0; i < n; i++) {
				cr_assert(!strcmp(c[i].argv[0], "ip") ||
						  !strcmp(c[i].argv[0], "tc"),
					  "step '%s' runs %s", c[i].what, c[i].argv[0]);
				cr_assert_str_eq(c[i].argv[1], "-n", "step '%s'", c[i].what);
				cr_assert_str_eq(c[i].argv[2], TOPO_NS_DUT, "step '%s'", c[i].what);
				for (unsigned a = 3; c[i].argv[a]; a++)
					if (!strcmp(c[i].argv[a - 1], "dev"))
						cr_assert(!strncmp(c[i].argv[a], "lr-", 3),
							  "step '%s' touches %s", c[i].what,
							  c[i].argv[a]);
			}
		}
}

Test(tapbr, up_makes_the_taps_first_and_redirects_lr_d0_last)
{
	size_t n;
	const struct tapbr_cmd *c = tapbr_cmds(TAPBR_FWD, true, &n);
	int tin = step_with(c, n, "tuntap", TOPO_IF_TAP_IN);
	int tout = step_with(c, n, "tuntap", TOPO_IF_TAP_OUT);
	int to_tin = redirect_step(c, n, TOPO_IF_D0, TOPO_IF_TAP_IN);
	int to_d1 = redirect_step(c, n, TOPO_IF_TAP_OUT, TOPO_IF_D1);

	cr_assert(tin >= 0 && tout >= 0 && to_tin >= 0 && to_d1 >= 0);
	cr_assert_lt(tin, to_tin, "the in-tap exists before lr-d0 redirects to it");
	cr_assert_lt(tout, to_d1, "the out-tap exists before its redirect to lr-d1");
	cr_assert_eq(to_tin, (int)n - 1, "lr-d0 loses its traffic only in the last step");
	cr_assert_geq(step_with(c, n, "multi_queue", TOPO_IF_TAP_IN), 0,
		      "net_tap opens its queues multi_queue: the persistent tap must match");
}

/* The echo bridge: one tap, lr-d0 -> tap and tap -> lr-d0 (the server answers on the link it
 * was asked on), the tap made first and lr-d0 redirected last; nothing reaches lr-d1. */
Test(tapbr, echo_bridge_joins_one_tap_to_lr_d0_both_ways)
{
	size_t n, i;
	const struct tapbr_cmd *c = tapbr_cmds(TAPBR_ECHO, true, &n);
	int tap = step_with(c, n, "tuntap", TOPO_IF_TAP_ECHO);
	int to_tap = redirect_step(c, n, TOPO_IF_D0, TOPO_IF_TAP_ECHO);
	int to_d0 = redirect_step(c, n, TOPO_IF_TAP_ECHO, TOPO_IF_D0);

	cr_assert(tap >= 0 && to_tap >= 0 && to_d0 >= 0, "tap %d, d0->tap %d, tap->d0 %d", tap,
		  to_tap, to_d0);
	cr_assert_lt(tap, to_d0, "the tap exists before its redirect");
	cr_assert_eq(to_tap, (int)n - 1, "lr-d0 loses its traffic only in the last step");
	cr_assert_geq(step_with(c, n, "multi_queue", TOPO_IF_TAP_ECHO), 0);
	cr_assert_lt(step_with(c, n, TOPO_IF_D1, NULL), 0, "the echo bridge touches lr-d1");
	c = tapbr_cmds(TAPBR_ECHO, false, &n);
	cr_assert_eq(step_with(c, n, "del", TOPO_IF_D0), 0, "lr-d0's redirect goes first");
	cr_assert_geq(step_with(c, n, "delete", TOPO_IF_TAP_ECHO), 0);
	for (i = 0; i < n; i++)
		cr_assert_lt(step_with(&c[i], 1, "tuntap", NULL), 0, "down creates a tap");
}

Test(tapbr, down_frees_lr_d0_first_and_removes_both_taps)
{
	size_t n;
	const struct tapbr_cmd *c = tapbr_cmds(TAPBR_FWD, false, &n);

	cr_assert_eq(step_with(c, n, "del", TOPO_IF_D0), 0,
		     "lr-d0's ingress qdisc (and its redirect) goes first");
	cr_assert_geq(step_with(c, n, "delete", TOPO_IF_TAP_IN), 0);
	cr_assert_geq(step_with(c, n, "delete", TOPO_IF_TAP_OUT), 0);
}

Test(tapbr, the_dry_run_listing_is_the_table)
{
	static const char *const first_up[] = {
		"  setup: up: ip -n lr-dut tuntap add dev lr-ti0 mode tap multi_queue\n",
		"  setup: up: ip -n lr-dut tuntap add dev lr-te0 mode tap multi_queue\n"};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t nup, ndown, len = 0, lines = 0;
		char *buf = NULL;
		FILE *f = open_memstream(&buf, &len);

		cr_assert_not_null(f);
		tapbr_print(kinds[k], f, "  setup: ");
		fclose(f);
		tapbr_cmds(kinds[k], true, &nup);
		tapbr_cmds(kinds[k], false, &ndown);
		for (char *p = buf; (p = strchr(p, '\n')); p++)
			lines++;
		cr_assert_eq(lines, nup + ndown, "%s", buf);
		cr_assert(!strncmp(buf, first_up[k], strlen(first_up[k])), "%s", buf);
		cr_assert(strstr(buf, "  setup: down: tc -n lr-dut qdisc del dev lr-d0 ingress\n"),
			  "%s", buf);
		free(buf);
	}
}
