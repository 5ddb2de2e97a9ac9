/* SPDX-License-Identifier: MIT */
/*
 * ports.h: the ports profile of `linerate bench --ports FILE`: which interfaces (or DPDK
 * devices) play the four roles of the lr- topology, with their namespaces, addresses and MACs.
 * Without a profile the bench runs on the lr- veth topology it builds itself; with one it runs
 * the same experiments on the ports the profile names (real NICs cabled as in
 * docs/real-nics.md, or the lr- links themselves). The profile turns into template variables
 * of bench/experiments.c ({g0}, {d0ns}, {k1mac}, ...), so the commands differ only in the
 * names they carry. The file format is in docs/ports.md.
 */
#ifndef LR_BENCH_PORTS_H
#define LR_BENCH_PORTS_H

#include <stdbool.h>
#include <stddef.h>

#define PORTS_VARS 1024 /* the "name=value ..." list a profile turns into */

/* The four roles and what each holds. */
enum ports_role {
	PORTS_G0,
	PORTS_D0,
	PORTS_D1,
	PORTS_K1,
	PORTS_NROLES
};

struct ports_end {
	char ifname[16]; /* IFNAMSIZ */
	char ns[64];     /* network namespace, "" for the one bench runs in */
	char ip[16];
	char mac[18];
	char dpdk[128]; /* d0, d1: DPDK devargs of the DUT port (a PCI address), "" for the veth */
};

struct ports {
	bool existing; /* topology = existing: bench neither builds nor removes the topology */
	struct ports_end end[PORTS_NROLES];
	char echo_ip[16]; /* the address the user-space TCP stacks serve on */
};

/* The lr- topology's values (bench/topo_defs.h), as `linerate topo up` builds it. */
void ports_default(struct ports *p);

/* Reads a profile; keys it does not set keep ports_default()'s values, except that with
 * "topology = existing" every interface, namespace, address and MAC must be given. Returns 0,
 * or -1 with err saying "FILE:LINE: what is wrong and how to fix it". */
int ports_load(const char *path, struct ports *p, char *err, size_t errlen);

/* Writes the template variables of p ("g0=lr-g0 g0ns=lr-gen ... dpdkports='...'") into buf. */
const char *ports_vars(const struct ports *p, char *buf, size_t len);

/* Returns true when the DUT's ports of p are the lr- links (lr-d0 and lr-d1 in lr-dut, as
 * interfaces), whoever brought them up; false for other interfaces, namespaces or DPDK
 * devices. */
bool ports_dut_is_lr(const struct ports *p);

/* The role's name in a profile ("g0", "d0", "d1", "k1"). */
const char *ports_role_name(enum ports_role r);

#endif
