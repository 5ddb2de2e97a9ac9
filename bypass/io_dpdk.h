/* SPDX-License-Identifier: MIT */
/*
 * io_dpdk.h: the DPDK backend of the frame-I/O interface (io.h). dpdk_init() starts DPDK's EAL
 * once per process with safe defaults; dpdk_port_open() probes one device (a vdev such as
 * net_af_packet, net_af_xdp, net_memif, net_null, net_ring, a PCI address or a port the EAL
 * arguments already created), optionally inside a network namespace, and returns an io_port
 * whose bursts map one to one onto rte_eth_rx_burst / rte_eth_tx_burst: received frames stay
 * in their mbufs (io_buf.handle) until they are sent or freed. No DPDK header is needed to use
 * this one: the port is opaque, so programs and tests compile without DPDK's flags.
 */
#ifndef LR_IO_DPDK_H
#define LR_IO_DPDK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "io.h"

/* Defaults used when a dpdk_port_cfg field is 0. */
#define DPDK_DEF_NB_DESC   1024 /* RX and TX descriptors */
#define DPDK_DEF_MAX_FRAME 1518 /* bytes, FCS included, as pkt.h counts frame sizes */
#define DPDK_DEF_MEM_MB    512  /* EAL memory (-m) when running without huge pages */
#define DPDK_EAL_ARGS_MAX  64   /* the most EAL arguments, argv[0] included, dpdk_init() takes */

/* What dpdk_port_open() opens. Zero fields take the defaults above. */
struct dpdk_port_cfg {
	/* "net_af_packet0,iface=lr-d0", "net_memif0,role=server,socket=/run/linerate/lr-m0.sock",
	 * a PCI address, or the name of a port the EAL arguments already created ("net_null0"). */
	const char *devargs;
	/* Namespace (as in /run/netns) the device is probed and controlled in, or NULL. */
	const char *netns;
	unsigned nb_rxd, nb_txd;
	unsigned pool_size; /* mbufs in the port's pool; 0: 8191, more if the rings need it */
	uint16_t queue;     /* queue pair used; only 0 (one RX and one TX queue) is supported */
	uint32_t max_frame; /* largest frame the port sends or receives, FCS included */
	/* RX interrupts (intr_conf.rxq): io_wait() then sleeps in rte_epoll_wait() until the PMD
	 * signals a frame, instead of the caller polling. Needs a PMD with RX interrupts
	 * (net_memif, net_af_xdp in 22.11; not net_af_packet): dpdk_port_open() fails otherwise,
	 * naming the driver. */
	bool rx_intr;
};

/* Starts DPDK's EAL with argv[0] (the program name) and the EAL arguments that follow, up to an
 * optional "--". Unless the caller's arguments say otherwise it adds: "--no-huge -m 512" when
 * hugepages is false; no shared files, so several DPDK processes (a generator and a forwarder
 * over memif) can run at once without --file-prefix ("--in-memory" on huge pages,
 * "--no-shconf" without: --in-memory needs huge pages); "--no-telemetry" (one socket path per
 * prefix); "--log-level=error". The calling thread is pinned to the main lcore (EAL's rule).
 * Returns the number of arguments consumed after argv[0], "--" included (skip them as with
 * rte_eal_init), or -errno with a message in err: -ENOMEM when hugepages is true but no huge
 * page is free, -EALREADY on a second call. */
int dpdk_init(int argc, char **argv, bool hugepages, char *err, size_t errlen);

/* The default of --hugepages for the DPDK programs, as a DPDK user expects: on when at least
 * 128 2 MB huge pages are free, else off. Sets *hugepages and returns true when argv has no
 * --hugepages; returns false (and leaves it) when the user chose. */
bool dpdk_hugepages_default(int argc, char **argv, bool *hugepages);
/* Says so in the --hugepages entry of a program's option table (ends with { NULL }). */
struct cli_option;
void dpdk_hugepages_option(struct cli_option *tbl);
/* Says on stderr which was used and why (chosen_here: by dpdk_hugepages_default()). */
void dpdk_hugepages_say(bool hugepages, bool chosen_here);

/* Releases the EAL's resources (rte_eal_cleanup); close every port first. */
void dpdk_fini(void);

/* Probes and starts one port as described by cfg (a pool, one RX and one TX queue,
 * promiscuous mode where supported, up to 300 ms for the link to come up); returns the port, or
 * NULL with a message in err naming the device and what to do. One thread at a time may use a
 * port (its queues are not shared); close it with its ops->close (io_close()). */
struct io_port *dpdk_port_open(const struct dpdk_port_cfg *cfg, char *err, size_t errlen);

/* Returns the DPDK port id of p, or -EINVAL when p is not a DPDK port. */
int dpdk_port_id(const struct io_port *p);

/* Waits up to timeout_ms for p's link to be up (a memif port is up once its peer connected);
 * returns true when it is. */
bool dpdk_port_link_wait(struct io_port *p, unsigned timeout_ms);

/* The DPDK drivers a veth can be opened with, as the programs' --pmd option spells them. */
enum dpdk_pmd {
	DPDK_PMD_AF_PACKET,
	DPDK_PMD_AF_XDP
};
/* The --pmd values: af_packet, af_xdp. */
extern const struct cli_enum dpdk_pmd_enum[];
/* How a program waits for frames: --rx-mode poll (spin on rx bursts, DPDK's usual way) or
 * interrupt (sleep until the PMD's RX interrupt, dpdk_port_cfg.rx_intr). */
enum dpdk_rx_mode {
	DPDK_RX_POLL,
	DPDK_RX_INTERRUPT
};
/* The --rx-mode values: poll, interrupt. */
extern const struct cli_enum dpdk_rx_mode_enum[];
/* Returns "af_packet" or "af_xdp" (the name dpdk_devargs_veth() takes). */
const char *dpdk_pmd_name(int pmd);
/* Returns the index of the "--" that ends the EAL arguments in argv; argc when there is none
 * but argv[1] is an EAL option ("fwd-dpdk -l 1 --vdev ...": every argument is EAL's, as with
 * DPDK's own programs; argv[argc] may then be used as the program's argv[0]); 0 when there is
 * none (for programs that take EAL arguments first and their own after "--"). */
int dpdk_eal_end(int argc, char **argv);

/* Writes the devargs of a veth-attached port, pmd "af_packet" or "af_xdp" (copy mode, queue
 * 0), named net_<pmd><index>, on interface iface into buf; returns 0, -EINVAL (unknown pmd,
 * bad interface name) or -ENOSPC (buf too small). */
int dpdk_devargs_veth(char *buf, size_t len, const char *pmd, unsigned index, const char *iface);
/* Whether devargs open a PMD over a kernel interface (iface=NAME: net_af_packet, net_af_xdp),
 * which lives in a network namespace; net_vhost's iface= is a socket path. */
bool dpdk_devargs_on_iface(const char *devargs);
/* Whether devargs open a virtio_user port in server mode (server=1) with a socket (path=);
 * then the path is copied into sock (len bytes). */
bool dpdk_devargs_vu_server(const char *devargs, char *sock, size_t len);

/* Writes the devargs of memif port net_memif<index> (role server or client, interface id 0)
 * on the unix socket file socket_path into buf, and creates the socket's directory when it is
 * missing (best effort); returns 0, -EINVAL (empty or too long path) or -ENOSPC. */
int dpdk_devargs_memif(char *buf, size_t len, unsigned index, bool server, const char *socket_path);

#endif
