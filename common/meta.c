// SPDX-License-Identifier: MIT
/*
 * meta.c: meta.json, the environment a result was measured in (kernel, CPU, TSC, DPDK, huge
 * pages, git commit, compiler, CPU governor, SMT, steal, load average), the command line and
 * the effective configuration. Without it a figure
 * cannot be compared with another machine's or another day's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "cpu.h"
#include "mem.h"
#include "results.h"
#include "tsc.h"

#ifndef LR_GIT_COMMIT
#define LR_GIT_COMMIT "unknown"
#endif
#ifndef LR_DPDK_VERSION
#define LR_DPDK_VERSION "none"
#endif

struct meta {
	int argc;
	char *const *argv;
	const struct res_kv *cfg;
	unsigned ncfg;
};

/* Copies the "model name" line of /proc/cpuinfo into buf. */
static void cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		snprintf(buf, len, "%s", colon + 2);
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	fclose(f);
}

/* Reads the first line of a file into buf ("unknown" when it cannot). */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		snprintf(buf, len, "unknown");
	fclose(f);
}

/* The machine's share of CPU time stolen by the hypervisor since boot, in percent (-1: no
 * /proc/stat): a noisy neighbour shows here. */
static double steal_pct(void)
{
	unsigned long long v[8] = {0}, total = 0;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return -1;
	for (int i = 0; i < 8; i++)
		total += v[i];
	return total ? 100.0 * (double)v[7] / (double)total : -1;
}

/* What else moves a figure: compiler, CPU frequency governor, SMT, steal, load. */
static void put_noise(FILE *f)
{
	char gov[64], smt[32], load[128];

	first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", gov, sizeof(gov));
	if (!strcmp(gov, "unknown"))
		snprintf(gov, sizeof(gov), "none (no cpufreq: a VM or a fixed clock)");
	first_line("/sys/devices/system/cpu/smt/control", smt, sizeof(smt));
	first_line("/proc/loadavg", load, sizeof(load));
	fprintf(f, "  \"compiler\": ");
#ifdef __clang__
	res_json_str(f, "clang " __clang_version__);
#else
	res_json_str(f, "gcc " __VERSION__);
#endif
	fprintf(f, ",\n  \"cpu_governor\": ");
	res_json_str(f, gov);
	fprintf(f, ",\n  \"smt\": ");
	res_json_str(f, smt);
	fprintf(f, ",\n  \"steal_pct_since_boot\": %.3f,\n  \"load_average\": ", steal_pct());
	res_json_str(f, load);
	fputs(",\n", f);
}

static void put_env(FILE *f)
{
	struct mem_huge_info huge = {0};
	struct utsname u;
	char model[256], when[32];
	time_t now = time(NULL);

	uname(&u);
	cpu_model(model, sizeof(model));
	mem_huge_info(&huge);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "  \"schema_version\": %d,\n  \"time\": \"%s\",\n", RES_SCHEMA_VERSION, when);
	fprintf(f, "  \"kernel\": ");
	res_json_str(f, u.release);
	fprintf(f, ",\n  \"cpu_model\": ");
	res_json_str(f, model);
	fprintf(f, ",\n  \"cores\": %d,\n  \"tsc_ghz\": %.4f,\n  \"tsc_invariant\": %s,\n",
		cpu_count(), tsc_hz() / 1e9, tsc_invariant() ? "true" : "false");
	fprintf(f, "  \"dpdk_version\": \"%s\",\n  \"git_commit\": \"%s\",\n", LR_DPDK_VERSION,
		LR_GIT_COMMIT);
	fprintf(f, "  \"hugepages\": {\"total\": %lu, \"free\": %lu, \"size_kb\": %lu},\n",
		huge.total, huge.free, huge.size_kb);
	put_noise(f);
}

static int fill_meta(FILE *f, void *arg)
{
	const struct meta *m = arg;

	fputs("{\n", f);
	put_env(f);
	fputs("  \"command\": [", f);
	for (int i = 0; i < m->argc; i++) {
		if (i)
			fputs(", ", f);
		res_json_str(f, m->argv[i]);
	}
	fputs("],\n  \"config\": {", f);
	for (unsigned i = 0; i < m->ncfg; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		res_json_str(f, m->cfg[i].key);
		fputs(": ", f);
		res_json_str(f, m->cfg[i].value);
	}
	fputs(m->ncfg ? "\n  }\n}\n" : "}\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

int res_meta_write(const char *path, int argc, char *const *argv, const struct res_kv *cfg,
		   unsigned ncfg)
{
	struct meta m = {.argc = argc, .argv = argv, .cfg = cfg, .ncfg = ncfg};

	return res_write_atomic(path, fill_meta, &m);
}
