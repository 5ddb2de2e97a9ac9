// SPDX-License-Identifier: MIT
/*
 * counters.c: the counters that say where lost frames went, outside the engines: the drop and
 * error counters of every lr- interface (read from /proc/thread-self/net/dev inside the
 * interface's namespace, since /proc/net shows the reading thread's namespace) and the
 * kernel's per-CPU backlog drops (/proc/net/softnet_stat, machine-wide), which is where a veth
 * drops when its peer's backlog is full. Counters are matched by name before and after a
 * trial; only the ones that grew are reported.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "netns.h"
#include "tgen.h"

void tgen_counter_add(struct tgen_counters *out, const char *name, uint64_t value)
{
	if (out->n >= TGEN_MAX_COUNTERS)
		return;
	snprintf(out->c[out->n].name, sizeof(out->c[0].name), "%s", name);
	out->c[out->n].value = value;
	out->c[out->n].own_rx = false;
	out->n++;
}

void tgen_counter_add_own_rx(struct tgen_counters *out, const char *name, uint64_t value)
{
	tgen_counter_add(out, name, value);
	if (out->n && !strcmp(out->c[out->n - 1].name, name))
		out->c[out->n - 1].own_rx = true;
}

/* Parses one line of /proc/net/dev for an lr- interface and adds its counters. */
static void dev_line(const char *line, struct tgen_counters *out)
{
	unsigned long long v[16];
	char name[IFNAMSIZ], label[sizeof(((struct tgen_counter *)0)->name)];
	const char *colon;
	int n = 0;

	while (*line == ' ')
		line++;
	colon = strchr(line, ':');
	if (!colon || strncmp(line, "lr-", 3) || colon - line >= (long)sizeof(name))
		return;
	memcpy(name, line, (size_t)(colon - line));
	name[colon - line] = '\0';
	if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu%n",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
		   &v[11], &n) < 12)
		return;
	snprintf(label, sizeof(label), "%s rx_dropped", name);
	tgen_counter_add(out, label, v[3]);
	snprintf(label, sizeof(label), "%s rx_errors", name);
	tgen_counter_add(out, label, v[2]);
	snprintf(label, sizeof(label), "%s tx_dropped", name);
	tgen_counter_add(out, label, v[11]);
	snprintf(label, sizeof(label), "%s tx_errors", name);
	tgen_counter_add(out, label, v[10]);
}

void tgen_link_counters(const char *ns, struct tgen_counters *out)
{
	char line[512];
	FILE *f;
	int saved;

	if (!netns_exists(ns) || netns_enter(ns, &saved) < 0)
		return; /* best effort */
	f = fopen("/proc/thread-self/net/dev", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			dev_line(line, out);
		fclose(f);
	}
	if (netns_leave(saved) < 0)
		pr_warn("cannot return from netns %s after reading its counters", ns);
}

void tgen_softnet_counters(struct tgen_counters *out)
{
	unsigned long long processed, dropped, total = 0;
	char line[512];
	FILE *f = fopen("/proc/net/softnet_stat", "r");

	if (!f)
		return; /* best effort */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %llx", &processed, &dropped) == 2)
			total += dropped;
	fclose(f);
	tgen_counter_add(out, "backlog dropped", total);
}

void tgen_counters_diff(const struct tgen_counters *before, const struct tgen_counters *after,
			struct tgen_counters *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < after->n; i++) {
		for (unsigned j = 0; j < before->n; j++) {
			if (strcmp(after->c[i].name, before->c[j].name))
				continue;
			if (after->c[i].value > before->c[j].value) {
				tgen_counter_add(out, after->c[i].name,
						 after->c[i].value - before->c[j].value);
				out->c[out->n - 1].own_rx = after->c[i].own_rx;
			}
			break;
		}
	}
}
