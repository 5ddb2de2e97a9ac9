// SPDX-License-Identifier: MIT
/*
 * it_topo.c: `linerate topo up|down|status` on the real kernel, as root. Checks that up builds
 * a working topology (reachability, PERMANENT neighbours, offloads off, no default route, no
 * forwarding in the DUT), that it is idempotent and undoes itself on failure, that down leaves
 * the root namespace exactly as it found it and restores huge pages, and that non-root and
 * bad command lines are refused before anything changes. Every test starts and ends with
 * `linerate topo down`, also when it fails.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "it_helpers.h"
#include "lr.h"
#include "topo_defs.h"

#define NR_HUGE "/proc/sys/vm/nr_hugepages"

static long nr_huge_at_init = -1;
static char fake_dir[64];

static void topo_down_quietly(void)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	it_result_free(&r);
}

static void setup(void)
{
	topo_down_quietly(); /* start from nothing, even after a run that crashed */
	if (it_read_long(NR_HUGE, &nr_huge_at_init))
		nr_huge_at_init = -1;
}

static void teardown(void)
{
	long now;

	topo_down_quietly();
	/* Safety net in case `down` itself is what broke: never leave pages reserved. */
	if (nr_huge_at_init >= 0 && !it_read_long(NR_HUGE, &now) && now != nr_huge_at_init)
		it_write_long(NR_HUGE, nr_huge_at_init);
	if (fake_dir[0]) {
		char path[128];

		snprintf(path, sizeof(path), "%s/ethtool", fake_dir);
		unlink(path);
		rmdir(fake_dir);
		fake_dir[0] = '\0';
	}
}

TestSuite(topo, .init = setup, .fini = teardown, .timeout = 120);

/* Runs `linerate topo <sub> [arg]` and asserts it exits 0. */
static void topo_ok(const char *sub, const char *arg, const char *arg2)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", sub, arg, arg2, NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "linerate topo %s %s exited %d: %s", sub, arg ? arg : "",
		     r.status, r.err);
	it_result_free(&r);
}

/* Returns the number of lines a command prints (asserting it exits 0). */
static unsigned lines_of(const char *what, char *out)
{
	unsigned n;

	cr_assert_not_null(out, "%s failed", what);
	n = it_count_lines(out);
	free(out);
	return n;
}

Test(topo, up_twice_then_down_leaves_the_root_namespace_as_it_was)
{
	char *ns0 = it_snapshot_netns(), *links0 = it_snapshot_links(), *ns1, *links1, *mid;
	struct it_result r;

	cr_assert(ns0 && links0, "cannot snapshot 'ip netns list' / 'ip -o link'");
	topo_ok("up", NULL, NULL);
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, LR_EXIT_OK, "second up exited %d: %s", r.status, r.err);
	cr_expect(it_contains(r.out, "0 created, 0 repaired"), "second up changed things: %s",
		  r.out);
	it_result_free(&r);

	/* Nothing duplicated by the second run. */
	cr_expect_eq(lines_of("addresses", it_capture("ip", "-n", TOPO_NS_GEN, "-o", "-4", "addr",
						      "show", "dev", TOPO_IF_G0, NULL)),
		     1);
	cr_expect_eq(lines_of("neighbours", it_capture("ip", "-n", TOPO_NS_GEN, "neigh", "show",
						       "dev", TOPO_IF_G0, NULL)),
		     1);
	cr_expect_eq(lines_of("route", it_capture("ip", "-n", TOPO_NS_GEN, "route", "show",
						  TOPO_NET_DUT_SINK, NULL)),
		     1);
	cr_expect_eq(lines_of("links", it_capture("ip", "-n", TOPO_NS_GEN, "-o", "link", NULL)), 3,
		     "lr-gen should hold lo, lr-g0 and lr-s0 only");
	mid = it_snapshot_links();
	cr_expect_str_eq(mid, links0, "up changed the root namespace's links");
	free(mid);

	topo_ok("down", NULL, NULL);
	ns1 = it_snapshot_netns();
	links1 = it_snapshot_links();
	cr_assert(ns1 && links1);
	cr_expect_str_eq(ns1, ns0, "namespaces differ after down");
	cr_expect_str_eq(links1, links0, "root links differ after down");
	/* Equal snapshots could hide a leftover from an earlier test: name every lr- name. */
	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++)
		cr_expect_not(it_netns_exists(topo_namespaces[i]), "down left namespace %s",
			      topo_namespaces[i]);
	for (size_t i = 0; i < ARRAY_SIZE(topo_links); i++)
		cr_expect_not(it_contains(links1, topo_links[i].a.ifname) ||
				      it_contains(links1, topo_links[i].b.ifname),
			      "down left a link of pair %s/%s", topo_links[i].a.ifname,
			      topo_links[i].b.ifname);
	free(ns0);
	free(ns1);
	free(links0);
	free(links1);
}

Test(topo, up_links_are_reachable_with_fixed_macs_and_permanent_neighbours)
{
	topo_ok("up", NULL, NULL);
	cr_expect_eq(it_ns_udp_probe(TOPO_NS_GEN, TOPO_IP_D0, 1000), 0, "lr-gen -> lr-dut");
	cr_expect_eq(it_ns_udp_probe(TOPO_NS_DUT, TOPO_IP_K1, 1000), 0, "lr-dut -> lr-sink");
	cr_expect_eq(it_ns_udp_probe(TOPO_NS_GEN, TOPO_IP_S1, 1000), 0, "loop lr-s0 -> lr-s1");
	cr_expect_eq(it_ns_udp_probe(TOPO_NS_SINK, TOPO_IP_D1, 1000), 0, "lr-sink -> lr-dut");

	for (size_t i = 0; i < ARRAY_SIZE(topo_links); i++) {
		for (int side = 0; side < 2; side++) {
			const struct topo_end *e = side ? &topo_links[i].b : &topo_links[i].a;
			const struct topo_end *p = side ? &topo_links[i].a : &topo_links[i].b;
			char *link = it_capture("ip", "-n", e->ns, "-o", "link", "show", "dev",
						e->ifname, NULL);
			char *neigh = it_capture("ip", "-n", e->ns, "neigh", "show", p->ip, "dev",
						 e->ifname, NULL);
			char want[64];

			snprintf(want, sizeof(want), "link/ether %s ", e->mac);
			cr_expect(it_contains(link, want), "%s: want %s in: %s", e->ifname, want,
				  link);
			cr_expect(it_contains(link, ",UP"), "%s is not up: %s", e->ifname, link);
			snprintf(want, sizeof(want), "lladdr %s PERMANENT", p->mac);
			cr_expect(it_contains(neigh, want), "%s: want '%s' in: %s", e->ifname, want,
				  neigh);
			free(link);
			free(neigh);
		}
	}
}

Test(topo, up_adds_no_default_route_and_the_dut_does_not_forward)
{
	char *fwd, *route;

	topo_ok("up", NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++) {
		char *v4 = it_capture("ip", "-n", topo_namespaces[i], "route", "show", "default",
				      NULL);
		char *v6 = it_capture("ip", "-n", topo_namespaces[i], "-6", "route", "show",
				      "default", NULL);

		cr_expect(v4 && !*v4, "%s has an IPv4 default route: %s", topo_namespaces[i], v4);
		cr_expect(v6 && !*v6, "%s has an IPv6 default route: %s", topo_namespaces[i], v6);
		free(v4);
		free(v6);
	}
	route = it_capture("ip", "-n", TOPO_NS_GEN, "route", "show", TOPO_NET_DUT_SINK, NULL);
	cr_expect(it_contains(route, "via " TOPO_IP_D0 " dev " TOPO_IF_G0), "route: %s", route);
	free(route);
	route = it_capture("ip", "-n", TOPO_NS_SINK, "route", "show", TOPO_NET_GEN_DUT, NULL);
	cr_expect(it_contains(route, "via " TOPO_IP_D1 " dev " TOPO_IF_K1), "route: %s", route);
	free(route);

	fwd = it_capture("ip", "netns", "exec", TOPO_NS_DUT, "cat", "/proc/sys/net/ipv4/ip_forward",
			 NULL);
	cr_expect_str_eq(fwd ? fwd : "(failed)", "0\n", "ip_forward in lr-dut");
	free(fwd);
	/* With forwarding off the DUT's kernel drops gen -> sink traffic silently. */
	cr_expect_eq(it_ns_udp_probe(TOPO_NS_GEN, TOPO_IP_K1, 500), -ETIMEDOUT,
		     "lr-dut's kernel forwarded a packet to lr-sink");
}

Test(topo, up_turns_gro_gso_tso_and_checksum_offloads_off)
{
	static const char *const features[] = {
		"generic-receive-offload: off", "generic-segmentation-offload: off",
		"tcp-segmentation-offload: off", "tx-checksumming: off", "rx-checksumming: off"};

	topo_ok("up", NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(topo_links); i++) {
		for (int side = 0; side < 2; side++) {
			const struct topo_end *e = side ? &topo_links[i].b : &topo_links[i].a;
			char *k = it_capture("ip", "netns", "exec", e->ns, "ethtool", "-k",
					     e->ifname, NULL);

			cr_assert_not_null(k, "ethtool -k %s failed", e->ifname);
			for (size_t f = 0; f < ARRAY_SIZE(features); f++)
				cr_expect(it_contains(k, features[f]), "%s: want '%s'", e->ifname,
					  features[f]);
			free(k);
		}
	}
}

Test(topo, status_exit_code_follows_the_topology)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, LR_EXIT_ENV, "status without topology exited %d", r.status);
	cr_expect(it_contains(r.out, "run 'linerate topo up'"), "status: %s", r.out);
	it_result_free(&r);

	topo_ok("up", NULL, NULL);
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, LR_EXIT_OK, "status after up exited %d: %s", r.status, r.out);
	cr_expect(it_contains(r.out, TOPO_MAC_K1) && it_contains(r.out, TOPO_IP_K1 "/24"));
	it_result_free(&r);

	/* Break one link: status names it, and a second up repairs it. */
	cr_assert_eq(it_runl(&r, "ip", "-n", TOPO_NS_SINK, "link", "delete", TOPO_IF_K1, NULL), 0);
	it_result_free(&r);
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, LR_EXIT_ENV);
	cr_expect(it_contains(r.out, "link " TOPO_IF_K1 " does not exist"), "status: %s", r.out);
	it_result_free(&r);
	topo_ok("up", NULL, NULL);
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, LR_EXIT_OK, "status after repair exited %d: %s", r.status, r.out);
	it_result_free(&r);

	topo_ok("down", NULL, NULL);
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect_eq(r.status, LR_EXIT_ENV, "status after down exited %d", r.status);
	it_result_free(&r);
}

/* Returns the hugetlbfs lines of /proc/mounts (malloc'd). */
static char *hugetlbfs_mounts(void)
{
	char line[512], *all = calloc(1, 4096);
	FILE *f = fopen("/proc/mounts", "re");

	cr_assert(f && all);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " hugetlbfs ") && strlen(all) + strlen(line) < 4096)
			strcat(all, line);
	fclose(f);
	return all;
}

Test(topo, hugepages_are_reserved_and_down_restores_them)
{
	char *mounts0 = hugetlbfs_mounts(), *mounts_up, *mounts1;
	long before, during, after;
	struct it_result r;

	cr_assert_eq(it_read_long(NR_HUGE, &before), 0);
	topo_ok("up", "--hugepages", "2");
	cr_assert_eq(it_read_long(NR_HUGE, &during), 0);
	cr_expect_eq(during, before > 2 ? before : 2, "nr_hugepages %ld after up (was %ld)", during,
		     before);
	mounts_up = hugetlbfs_mounts();
	cr_expect(*mounts_up, "no hugetlbfs mounted after up --hugepages 2");
	it_runl(&r, IT_LINERATE, "topo", "status", NULL);
	cr_expect(it_contains(r.out, "reserved by 'linerate topo up --hugepages'"), "%s", r.out);
	it_result_free(&r);

	topo_ok("down", NULL, NULL);
	cr_assert_eq(it_read_long(NR_HUGE, &after), 0);
	cr_expect_eq(after, before, "nr_hugepages %ld after down, was %ld", after, before);
	mounts1 = hugetlbfs_mounts();
	cr_expect_str_eq(mounts1, mounts0, "hugetlbfs mounts differ after down");
	cr_expect_neq(access(TOPO_STATE_FILE, F_OK), 0, "down left %s", TOPO_STATE_FILE);
	free(mounts0);
	free(mounts_up);
	free(mounts1);
}

Test(topo, up_that_fails_undoes_what_it_created)
{
	const char *argv[] = {IT_LINERATE, "topo", "up", NULL};
	char *ns0 = it_snapshot_netns(), *links0 = it_snapshot_links(), *ns1, *links1;
	char script[128], path_var[4096];
	const char **env;
	struct it_result r;
	FILE *f;

	/* An ethtool that always fails, first in PATH: up fails after creating links. */
	snprintf(fake_dir, sizeof(fake_dir), "/tmp/lr-it-topo-XXXXXX");
	cr_assert_not_null(mkdtemp(fake_dir));
	snprintf(script, sizeof(script), "%s/ethtool", fake_dir);
	f = fopen(script, "w");
	cr_assert_not_null(f);
	fputs("#!/bin/sh\necho 'fake ethtool: refusing' >&2\nexit 1\n", f);
	fclose(f);
	cr_assert_eq(chmod(script, 0755), 0);
	snprintf(path_var, sizeof(path_var), "PATH=%s:%s", fake_dir, getenv("PATH"));
	env = it_env_with(path_var);
	cr_assert_not_null(env);

	it_run_env(argv, env, &r);
	it_env_free(env);
	cr_expect_eq(r.status, LR_EXIT_FAIL, "up with a failing ethtool exited %d", r.status);
	cr_expect(it_contains(r.err, "step 'turn offloads off'"), "no step named: %s", r.err);
	cr_expect(it_contains(r.err, "ethtool -K " TOPO_IF_G0), "no command named: %s", r.err);
	cr_expect(it_contains(r.err, "fake ethtool: refusing"), "no tool error: %s", r.err);
	cr_expect(it_contains(r.err, "undo: deleted namespace " TOPO_NS_GEN), "%s", r.err);
	it_result_free(&r);

	ns1 = it_snapshot_netns();
	links1 = it_snapshot_links();
	cr_expect_str_eq(ns1, ns0, "namespaces left behind by a failed up");
	cr_expect_str_eq(links1, links0, "links left behind by a failed up");
	free(ns0);
	free(ns1);
	free(links0);
	free(links1);
}

Test(topo, non_root_is_refused_with_one_line)
{
	static const char *const subs[] = {"up", "down", "status"};

	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		const char *argv[] = {IT_LINERATE, "topo", subs[i], NULL};
		struct it_result r;

		it_run_as_nobody(argv, &r);
		cr_expect_eq(r.status, LR_EXIT_NOPERM, "topo %s as nobody exited %d: %s", subs[i],
			     r.status, r.err);
		cr_expect_eq(it_count_lines(r.err), 1, "want one line, got: %s", r.err);
		cr_expect(it_contains(r.err, "must run as root (try: sudo linerate topo"), "%s",
			  r.err);
		cr_expect_str_empty(r.out);
		it_result_free(&r);
	}
	cr_expect_not(it_netns_exists(TOPO_NS_GEN), "a refused up created %s", TOPO_NS_GEN);
}

Test(topo, bad_usage_is_rejected_before_anything_changes)
{
	static const char *const cases[][4] = {
		{"sideways"},
		{"up", "--hugepages", "-1"},
		{"up", "--hugepages", "abc"},
		{"up", "--frobnicate"},
		{"down", "--hugepages", "2"},
		{"up", "down"},
		{NULL},
	};
	char *ns0 = it_snapshot_netns(), *ns1;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[7] = {IT_LINERATE, "topo"};
		struct it_result r;

		for (int k = 0; k < 4 && cases[i][k]; k++)
			argv[2 + k] = cases[i][k];
		it_run(argv, &r);
		cr_expect_eq(r.status, LR_EXIT_USAGE, "topo %s %s %s exited %d",
			     cases[i][0] ? cases[i][0] : "(none)", cases[i][1] ? cases[i][1] : "",
			     cases[i][2] ? cases[i][2] : "", r.status);
		cr_expect_eq(it_count_lines(r.err), 1, "want one clear line, got: %s", r.err);
		it_result_free(&r);
	}
	ns1 = it_snapshot_netns();
	cr_expect_str_eq(ns1, ns0, "a rejected command changed the namespaces");
	free(ns0);
	free(ns1);
}

Test(topo, down_without_a_topology_has_nothing_to_do)
{
	struct it_result r;

	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	cr_expect_eq(r.status, LR_EXIT_OK);
	cr_expect(it_contains(r.out, "nothing to do"), "down said: %s", r.out);
	it_result_free(&r);
}
