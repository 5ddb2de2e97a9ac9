/* SPDX-License-Identifier: MIT */
/*
 * dpdk_prog.h: what the DPDK programs (fwd-dpdk, echo-dpdk) share around io_dpdk, the twin of
 * kernel_baseline/afp_prog.h: their --pmd/--rx-mode option group, the command-line split at
 * "--", the start (root check, the --hugepages default, the EAL with --no-pci and an lcore
 * unless the EAL arguments say otherwise), working out each port's devargs (a net_memif
 * server, given devargs, a port the EAL arguments made, or a veth through --pmd) and the
 * namespace it is probed in, opening it, and the results' link column. Program-level helpers:
 * they print what went wrong and return exit codes (lr.h), unlike the io_dpdk library. Linking
 * dpdk_prog.o also keeps a known leak inside DPDK 22.11's af_xdp PMD out of LeakSanitizer's
 * report.
 */
#ifndef LR_DPDK_PROG_H
#define LR_DPDK_PROG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "fwd.h"
#include "io.h"

#define DPDK_PROG_DEVARGS_LEN 256

/* The port knobs of a DPDK program. dpdk_prog_options() fills pmd and rx_mode; the program's
 * own table fills netns and memif; dpdk_prog_netns() sets ns. */
struct dpdk_prog_knobs {
	int pmd;           /* enum dpdk_pmd: the driver of veth ports */
	int rx_mode;       /* enum dpdk_rx_mode */
	const char *netns; /* --netns, NULL when not given ("": none) */
	bool memif;        /* --memif: net_memif servers instead of veth ports */
	bool eal_ports;    /* the ports are the ones the EAL arguments made */
	const char *ns;    /* the namespace the ports are probed in, or NULL */
};

/* Appends --pmd and --rx-mode (their help speaking of nports veth ports) to t. */
void dpdk_prog_options(struct dpdk_prog_knobs *k, unsigned nports, struct cli_options *t);
/* Splits argv at the end of the EAL arguments (dpdk_eal_end()) and returns where the program's
 * own arguments start: argv + that index is the program's argv, its argv[0] the program's
 * name. */
int dpdk_prog_split(int argc, char **argv);
/* Parses the program's own arguments against t (the --hugepages entry saying what its default
 * is); returns 0, -1 after --help, or LR_EXIT_USAGE after printing what was wrong. */
int dpdk_prog_parse(const struct cli_program *prog, struct cli_options *t, int argc, char **argv);
/* Starts DPDK for a program whose EAL arguments are argv[1..end) (dpdk_prog_split()): checks it
 * runs as root, takes --hugepages' default when the user gave none (*hugepages), adds
 * "-l lcore" when the EAL arguments name no core and lcore >= 0, and "--no-pci" unless pci or
 * the EAL arguments select or exclude PCI devices, then starts the EAL and says which memory it
 * runs on. Returns 0, LR_EXIT_NOPERM or LR_EXIT_ENV after printing why. */
int dpdk_prog_start(int argc, char **argv, int end, bool *hugepages, long lcore, bool pci);
/* Writes the devargs of port idx into buf (DPDK_PROG_DEVARGS_LEN): with --memif a net_memif
 * server on sock (a socket file a dead server left is removed first), else devargs when not
 * NULL, else veth dev through --pmd. Returns 0 or an exit code after printing why. */
int dpdk_prog_devargs(const struct dpdk_prog_knobs *k, unsigned idx, const char *devargs,
		      const char *dev, const char *sock, char *buf);
/* Writes the name of the idx-th port the EAL arguments made (--vdev, -a) into buf
 * (DPDK_PROG_DEVARGS_LEN); returns 0, or -ENODEV when there are not that many. */
int dpdk_prog_eal_port(unsigned idx, char *buf);
/* Sets k->ns: --netns ("": none), else lr-dut when the ports are veth ones, else none; checks
 * that it exists. Returns 0 or LR_EXIT_ENV after printing the fix. */
int dpdk_prog_netns(struct dpdk_prog_knobs *k, bool veth);
/* Opens the port of devargs in k->ns, with RX interrupts under --rx-mode interrupt; returns
 * NULL after printing why. */
struct io_port *dpdk_prog_open(const struct dpdk_prog_knobs *k, const char *devargs);
/* The link column of the results: memif, veth (the default ports, or an af_packet/af_xdp
 * vdev), null, ring, or the port's name (a PCI address, net_tap0, ...). */
const char *dpdk_prog_link(const struct dpdk_prog_knobs *k, bool veth, const struct io_port *p);
/* Adds DPDK to a forwarder's run: the rte_ring pipeline ring for --ring rte, and loop threads
 * registered as lcores (a mempool cache each). */
void dpdk_prog_fwd_cfg(int ring, struct fwd_run_cfg *cfg);

#endif
