// SPDX-License-Identifier: MIT
/*
 * affinity.c (lab 07, reference): pinning, floating, and the scheduler's counters of a thread.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affinity.h"

static int online(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int aff_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= online())
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int aff_float(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < online(); i++)
		CPU_SET(i, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int aff_allowed(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	return CPU_COUNT(&set);
}

/* The value of the line "name: value" or "name : value" in text; -EINVAL when missing. */
static int field(const char *text, const char *name, long *out)
{
	size_t n = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *colon;

		if (strncmp(l, name, n) || (l[n] != ':' && l[n] != ' ' && l[n] != '\t'))
			continue;
		colon = strchr(l + n, ':');
		if (!colon)
			return -EINVAL;
		*out = strtol(colon + 1, NULL, 10);
		return 0;
	}
	return -EINVAL;
}

int sched_parse_status(const char *text, struct sched_counts *c)
{
	long v, nv;

	if (field(text, "voluntary_ctxt_switches", &v) ||
	    field(text, "nonvoluntary_ctxt_switches", &nv))
		return -EINVAL;
	c->voluntary = v;
	c->involuntary = nv;
	return 0;
}

int sched_parse_stat(const char *line, int *cpu)
{
	const char *p = strrchr(line, ')'); /* the name ends at the last ')' */
	int field_no = 2;

	if (!p)
		return -EINVAL;
	p++;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		if (++field_no == 39) {
			*cpu = atoi(p);
			return 0;
		}
		while (*p && *p != ' ')
			p++;
	}
	return -EINVAL;
}

int sched_parse_sched(const char *text, long *migrations)
{
	return field(text, "se.nr_migrations", migrations);
}

/* Reads /proc/self/task/<tid>/<name> into buf; returns 0 or -errno. */
static int slurp(pid_t tid, const char *name, char *buf, size_t len)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

int sched_read(pid_t tid, struct sched_counts *c)
{
	char buf[8192];
	int ret;

	ret = slurp(tid, "status", buf, sizeof(buf));
	if (!ret)
		ret = sched_parse_status(buf, c);
	if (!ret)
		ret = slurp(tid, "stat", buf, sizeof(buf));
	if (!ret)
		ret = sched_parse_stat(buf, &c->cpu);
	if (ret)
		return ret;
	if (slurp(tid, "sched", buf, sizeof(buf)) || sched_parse_sched(buf, &c->migrations))
		c->migrations = -1;
	return 0;
}
