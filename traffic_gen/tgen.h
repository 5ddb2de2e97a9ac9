/* SPDX-License-Identifier: MIT */
/*
 * tgen.h: the traffic generator's shared types. struct tgen_cfg holds every option (filled by
 * tgen.c's option table, then resolved against the interfaces by setup.c); struct tgen_trial
 * is one trial's results; struct tgen_engine is what an engine supplies (sock in
 * engine_sock.c, afp, dpdk and xdp in engine_io.c): open the ports, prepare the frames of one size,
 * send a burst, receive a burst, read the counters that say where lost frames went, close.
 * Everything else (pacing, the trial loop, the receive counters, results) is shared, so the
 * engines' numbers are comparable.
 *
 * Start reading at tgen.c (main), then trial.c (one trial: ramp-up, measured window, drain,
 * counters), then an engine.
 */
#ifndef LR_TGEN_H
#define LR_TGEN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "cpu.h"
#include "pkt.h"
#include "results.h"
#include "rxstats.h"

#define TGEN_MAX_FLOWS      (RXSTATS_MAX_FLOWS) /* flow ids 0..65534; 65535 marks ramp-up */
#define TGEN_SOCK_MAX_FLOWS 1024                /* one socket per flow */
#define TGEN_MAX_BATCH      512                 /* IO_BURST_MAX */
#define TGEN_RX_BURST       64
#define TGEN_ERR_LEN        512
#define TGEN_MAX_COUNTERS   48
#define TGEN_HEADROOM       1.1 /* unpaced: own work allowing 10% more than sent: the link's pace */
#define TGEN_FRAME_OVERHEAD (PKT_UDP_FRAME_HLEN + 4) /* Ethernet, IPv4, UDP headers and FCS */

enum tgen_mode {
	TGEN_MODE_RUN,
	TGEN_MODE_RFC2544,
	TGEN_MODE_SELFTEST,
};

enum tgen_engine_kind {
	TGEN_ENGINE_SOCK,
	TGEN_ENGINE_AFP,
	TGEN_ENGINE_DPDK,
	TGEN_ENGINE_XDP,
};

enum tgen_afp_tx {
	TGEN_AFP_TX_AUTO,
	TGEN_AFP_TX_RING,
	TGEN_AFP_TX_SENDMMSG,
};

/* Every option, then what setup resolved from the interfaces. */
struct tgen_cfg {
	enum tgen_mode mode;
	const char *mode_name; /* "run", "rfc2544", "selftest" */
	int engine;            /* enum tgen_engine_kind */
	struct cli_sizes sizes;
	struct cli_rate rate;
	double link_bps;
	uint64_t duration_ns;
	long count; /* measured packets per trial; 0: --duration decides */
	long flows, src_ips, batch, repeat;
	int affinity;
	long cpu;
	bool hugepages;
	const char *tx_dev, *rx_dev, *tx_netns, *rx_netns;
	const char *dst_mac, *src_mac, *dst_ip, *src_ip;
	long src_port, dst_port;
	const char *ramp, *drain, *quiet; /* durations or "off", parsed by setup */
	int format;                       /* enum cli_format */
	const char *out_dir;
	uint64_t stats_ns; /* live line period; 0: once a second on a terminal, else none */
	const char *pcap_out, *pcap_in;
	long pcap_first, pcap_every;
	int afp_tx;      /* enum tgen_afp_tx */
	int afp_tpacket; /* 2 or 3 */
	long afp_ring;
	const char *eal, *tx_port, *rx_port;
	int dpdk_pmd;         /* enum dpdk_pmd (io_dpdk.h) */
	int xdp_attach;       /* enum axdp_attach (io_xdp.h): --xdp-mode */
	int xdp_copy;         /* enum axdp_copy: --copy */
	bool xdp_need_wakeup; /* --need-wakeup */
	double loss_tolerance, resolution;
	long max_trials;
	bool strict;
	const char *tests;  /* rfc2544 --tests LIST, parsed by tgen.c into rfc_tests */
	unsigned rfc_tests; /* enum rfc_test bits */
	/* EAL arguments given before "--" (argv[0] first), or split from --eal. */
	int eal_argc;
	char **eal_argv;
	/* Resolved by setup. */
	bool rx_on; /* a receiver is open (--rx-dev none turns it off) */
	uint64_t ramp_ns, drain_ns, quiet_ns;
	unsigned mtu;
	uint8_t src_mac_b[PKT_ETH_ALEN], dst_mac_b[PKT_ETH_ALEN];
	uint32_t src_ip_h, dst_ip_h; /* host order */
	int argc;                    /* the whole command line, for meta.json */
	char **argv;
};

/* One named counter that may explain lost frames (kernel, PMD or link drops). */
struct tgen_counter {
	char name[40];
	uint64_t value;
	bool own_rx; /* a drop on the generator's own receive side (its RX ring or socket) */
};

struct tgen_counters {
	unsigned n;
	struct tgen_counter c[TGEN_MAX_COUNTERS];
};

/* One trial's results, before they become a res_row. */
struct tgen_trial {
	unsigned trial, repeat, frame_len;
	double offered_pps; /* 0: unpaced */
	double line_pps;
	uint64_t tx, rx, dup, reordered, too_old, unknown;
	uint64_t stale; /* frames of an earlier trial that arrived in this one (not counted) */
	int64_t lost;
	uint64_t warm_tx, warm_rx, slipped;
	/* frames the link refused at least once (short burst, ring full, EAGAIN/ENOBUFS): the
	 * DUT's backpressure, counted apart from frames the generator was late with (slipped) */
	uint64_t refused;
	double blocked_frac; /* share of the window the link kept refusing frames */
	/* frames per second the generator's own work allowed: sent / time of the loop rounds
	 * that sent frames (refused retries and waits left out); 0: nothing sent */
	double gen_pps;
	uint64_t gen_rx_drops; /* frames the generator's own receive side dropped */
	double duration_s, tx_pps, rx_pps;
	double idle_frac; /* share of the measured window the TX loop spent waiting */
	double cycles_per_pkt;
	double lat[7]; /* min, p50, p90, p99, p99.9, p99.99, max in ns; -1: none */
	double lat_mean, pdv;
	struct cpu_usage cpu;
	struct tgen_counters drops; /* counters that grew during the trial */
	bool interrupted, stalled;
	bool link_lost; /* a port's link was up at the start and down at the end (the DUT left) */
	enum res_status status;
	char note[128];
};

struct tgen_ctx;
struct io_buf;
struct pcapio_writer;

/* What an engine supplies. tx and rx are the hot path: one call per burst. */
struct tgen_engine {
	const char *name;
	/* Opens the ports (TX, and RX when cfg->rx_on); returns 0 or -errno with err set. */
	int (*open)(struct tgen_ctx *c, char *err, size_t errlen);
	/* Builds the frames of one size for every flow; returns 0 or -errno with err set. */
	int (*prepare)(struct tgen_ctx *c, unsigned frame_len, char *err, size_t errlen);
	/* Sends up to n (<= batch) frames continuing every flow's sequence; returns how many. */
	unsigned (*tx)(struct tgen_ctx *c, unsigned n);
	/* Receives one burst without blocking into c->rxs; returns the frames handled. */
	unsigned (*rx)(struct tgen_ctx *c);
	/* Pushes out frames queued by tx (may be NULL). */
	void (*flush)(struct tgen_ctx *c);
	/* Appends the engine's cumulative drop and error counters. */
	void (*counters)(struct tgen_ctx *c, struct tgen_counters *out);
	/* Whether every open port's link is up (may be NULL: links cannot go down). */
	bool (*links_up)(struct tgen_ctx *c);
	/* Closes the ports and frees the engine's state (safe after a failed open). */
	void (*close)(struct tgen_ctx *c);
};

extern const struct tgen_engine tgen_engine_sock;
extern const struct tgen_engine tgen_engine_afp;
extern const struct tgen_engine tgen_engine_dpdk;
extern const struct tgen_engine tgen_engine_xdp;

/* The running generator: configuration, engine, TX sequence state and RX counters. */
struct tgen_ctx {
	const struct tgen_cfg *cfg;
	const struct tgen_engine *eng;
	void *priv; /* the engine's state */
	struct rxstats *rxs;
	uint32_t *seq; /* next sequence number per flow */
	unsigned nflows;
	unsigned next_flow; /* flow of the next frame */
	bool warmup;        /* frames carry RXSTATS_WARMUP_FLOW and warm_seq */
	uint32_t warm_seq;
	unsigned frame_len;
	char tx_method[96];  /* how the engine transmits, for the output ("PACKET_TX_RING") */
	uint64_t tx_refused; /* frames tx() was asked for that the link refused (engines add) */
	struct pcapio_writer *pcap; /* --pcap-out, or NULL */
	unsigned pcap_frame_len;    /* --pcap-in: the capture's mean wire size, 0 without */
};

/* Opens --pcap-out (when given) for c; returns an exit code after printing the error. */
int tgen_pcap_open(struct tgen_ctx *c);
/* Offers n received frames to the --pcap-out sampler (no-op without one). */
void tgen_pcap_frames(struct tgen_ctx *c, const struct io_buf *bufs, unsigned n);
/* Closes --pcap-out, flushing what it holds. */
void tgen_pcap_close(struct tgen_ctx *c);

/* Returns the engine of a kind. */
const struct tgen_engine *tgen_engine_get(int kind);
/* Returns the name of an engine kind ("sock", "afp", "dpdk", "xdp"). */
const char *tgen_engine_name(int kind);

/* Appends a named counter to out (ignored when full). */
void tgen_counter_add(struct tgen_counters *out, const char *name, uint64_t value);
/* Appends a counter of frames the generator's own receive side dropped (see own_rx). */
void tgen_counter_add_own_rx(struct tgen_counters *out, const char *name, uint64_t value);
/* Appends the drop and error counters of every lr- interface in namespace ns (NULL: the
 * current one) as "IFACE rx_dropped" etc., best effort. */
void tgen_link_counters(const char *ns, struct tgen_counters *out);
/* Appends the kernel's backlog drops summed over every CPU ("backlog dropped"), best effort. */
void tgen_softnet_counters(struct tgen_counters *out);
/* Writes after - before for the counters that grew (matched by name) into out. */
void tgen_counters_diff(const struct tgen_counters *before, const struct tgen_counters *after,
			struct tgen_counters *out);

/* Runs one trial of frame_len frames at rate_pps (0: unpaced), limited to count measured
 * frames (0: none) and/or duration_ns (0: none), with a ramp-up of ramp_ns (0: none);
 * fills t. Returns 0, or -EINTR when stopped by a signal (t holds the partial trial), or
 * -errno with err set when the engine failed. */
int tgen_trial_run(struct tgen_ctx *c, unsigned frame_len, double rate_pps, uint64_t count,
		   uint64_t duration_ns, uint64_t ramp_ns, struct tgen_trial *t, char *err,
		   size_t errlen);
/* Sets t->status and t->note from the figures (tgen_verdict) and appends the counters. */
void tgen_trial_judge(const struct tgen_ctx *c, struct tgen_trial *t);
/* Returns the status a trial's figures call for and writes why into why (verdict.c): invalid
 * above line rate or when rx > tx; generator-bound when the generator's own receive side
 * dropped frames, or it fell short of the schedule (or never idled) with nothing refused by
 * the link; ok ("DUT backpressure") when the link refused frames and tgen's own work
 * (gen_pps) allowed the asked rate; undecided when the link refused frames but tgen was
 * short of CPU too. */
enum res_status tgen_verdict(const struct tgen_cfg *cfg, const struct tgen_trial *t, char *why,
			     size_t len);

/* Resolves defaults and checks the configuration against the interfaces (MTU, addresses,
 * line rate); returns an exit code (LR_EXIT_OK when usable) after printing the error. */
int tgen_setup(struct tgen_cfg *cfg);
/* Opens the engine; returns an exit code after printing the error. */
int tgen_open(struct tgen_ctx *c, struct tgen_cfg *cfg);
/* Closes the engine and frees the context's state. */
void tgen_close(struct tgen_ctx *c);

/* The modes: each runs its trials, reports them and returns an exit code. */
int tgen_mode_run(struct tgen_ctx *c);
int tgen_mode_selftest(struct tgen_ctx *c);
int tgen_mode_rfc2544(struct tgen_ctx *c);

#endif
