// SPDX-License-Identifier: MIT
/*
 * ctx.c: bringing the generator up and down: the generator core, DPDK's EAL (for the dpdk
 * engine only, with "-l CPU" added when the EAL arguments name no core), the TX sequence and
 * RX counter state, the engine's ports. Every failure becomes one line and a named exit code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "io_dpdk.h"
#include "log.h"
#include "lr.h"
#include "tgen.h"
#include "tsc.h"

#define EAL_MAX 72

static const char *const engine_names[] = {
	[TGEN_ENGINE_SOCK] = "sock",
	[TGEN_ENGINE_AFP] = "afp",
	[TGEN_ENGINE_DPDK] = "dpdk",
	[TGEN_ENGINE_XDP] = "xdp",
};

const struct tgen_engine *tgen_engine_get(int kind)
{
	switch (kind) {
	case TGEN_ENGINE_SOCK:
		return &tgen_engine_sock;
	case TGEN_ENGINE_AFP:
		return &tgen_engine_afp;
	case TGEN_ENGINE_DPDK:
		return &tgen_engine_dpdk;
	case TGEN_ENGINE_XDP:
		return &tgen_engine_xdp;
	}
	return NULL;
}

const char *tgen_engine_name(int kind)
{
	return kind >= 0 && (size_t)kind < ARRAY_SIZE(engine_names) ? engine_names[kind] : "?";
}

/* True when the EAL arguments already choose the cores. */
static bool eal_has_cores(const struct tgen_cfg *cfg)
{
	for (int i = 1; i < cfg->eal_argc; i++) {
		const char *a = cfg->eal_argv[i];

		if (!strcmp(a, "-l") || !strncmp(a, "-l", 2) || !strcmp(a, "-c") ||
		    !strncmp(a, "--lcores", 8))
			return true;
	}
	return false;
}

/* True when the EAL arguments or a port choose PCI devices: otherwise the PCI bus is left
 * alone (no probing of the machine's own NIC). */
static bool wants_pci(const struct tgen_cfg *cfg)
{
	static const char *const pci[] = {"-a", "--allow", "-b", "--block", "--no-pci", "-w"};
	const char *ports[] = {cfg->tx_port, cfg->rx_port};

	for (int i = 1; i < cfg->eal_argc; i++)
		for (size_t j = 0; j < ARRAY_SIZE(pci); j++)
			if (!strncmp(cfg->eal_argv[i], pci[j], strlen(pci[j])))
				return true;
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++)
		if (ports[i] && strncmp(ports[i], "net_", 4) && strcmp(ports[i], "none"))
			return true;
	return false;
}

/* Starts the EAL with the user's arguments, adding "-l CPU" when they name no core and
 * "--no-pci" when nothing asks for a PCI device. */
static int eal_start(const struct tgen_cfg *cfg)
{
	char *argv[EAL_MAX + 4], cpu[24], err[TGEN_ERR_LEN], dash_l[] = "-l", nopci[] = "--no-pci";
	int argc = 0, ret;

	argv[argc++] = cfg->argv[0];
	for (int i = 1; i < cfg->eal_argc && argc < EAL_MAX; i++)
		argv[argc++] = cfg->eal_argv[i];
	if (!eal_has_cores(cfg)) {
		snprintf(cpu, sizeof(cpu), "%ld", cfg->cpu);
		argv[argc++] = dash_l;
		argv[argc++] = cpu;
	}
	if (!wants_pci(cfg))
		argv[argc++] = nopci;
	argv[argc] = NULL;
	ret = dpdk_init(argc, argv, cfg->hugepages, err, sizeof(err));
	if (ret < 0) {
		pr_err("%s", err);
		return LR_EXIT_ENV;
	}
	return LR_EXIT_OK;
}

/* Puts the generator on its core (the EAL does it for dpdk). */
static int pin(const struct tgen_cfg *cfg)
{
	int ret;

	if (cfg->engine == TGEN_ENGINE_DPDK)
		return eal_start(cfg);
	if (cfg->affinity != CLI_AFFINITY_PINNED)
		return LR_EXIT_OK;
	ret = cpu_pin((int)cfg->cpu);
	if (ret) {
		pr_err("--cpu: cannot pin to CPU %ld: %s (this machine has CPUs 0..%d)", cfg->cpu,
		       strerror(-ret), cpu_count() - 1);
		return LR_EXIT_USAGE;
	}
	return LR_EXIT_OK;
}

static int open_code(int err)
{
	if (err == -EPERM || err == -EACCES)
		return LR_EXIT_NOPERM;
	if (err == -ENOMEM)
		return LR_EXIT_FAIL;
	return LR_EXIT_ENV;
}

int tgen_open(struct tgen_ctx *c, struct tgen_cfg *cfg)
{
	char err[TGEN_ERR_LEN] = "";
	int ret;

	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	ret = pin(cfg);
	if (ret)
		return ret;
	if (tsc_init() < 0) {
		pr_err("cannot calibrate the TSC against CLOCK_MONOTONIC_RAW");
		return LR_EXIT_ENV;
	}
	c->nflows = (unsigned)cfg->flows;
	c->seq = calloc(c->nflows, sizeof(*c->seq));
	c->rxs = cfg->rx_on ? rxstats_new(c->nflows) : NULL;
	if (!c->seq || (cfg->rx_on && !c->rxs)) {
		pr_err("out of memory for %u flows", c->nflows);
		tgen_close(c);
		return LR_EXIT_FAIL;
	}
	c->eng = tgen_engine_get(cfg->engine);
	ret = c->eng->open(c, err, sizeof(err));
	if (ret) {
		pr_err("%s", err[0] ? err : strerror(-ret));
		tgen_close(c);
		return open_code(ret);
	}
	if (c->pcap_frame_len) {
		/* A capture brings its own sizes: trials use their mean for line rate. */
		cfg->sizes.n = 1;
		cfg->sizes.v[0] = c->pcap_frame_len;
	}
	ret = tgen_pcap_open(c);
	if (ret)
		tgen_close(c);
	return ret;
}

void tgen_close(struct tgen_ctx *c)
{
	tgen_pcap_close(c);
	if (c->eng)
		c->eng->close(c);
	c->eng = NULL;
	rxstats_free(c->rxs);
	c->rxs = NULL;
	free(c->seq);
	c->seq = NULL;
	if (c->cfg && c->cfg->engine == TGEN_ENGINE_DPDK)
		dpdk_fini();
}
