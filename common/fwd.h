/* SPDX-License-Identifier: MIT */
/*
 * fwd.h: the forwarding workload of fwd-afp, fwd-xdp, fwd-dpdk and fwd-sock, written once. It has three
 * layers, so that the programs differ only in their I/O:
 *
 *  - fwd_burst(): the per-burst work on frames of any io.h backend: check the IPv4 header,
 *    drop what may not be forwarded (counted by reason), decrement the TTL with an incremental
 *    checksum update and rewrite both MACs for the out-link. Frames are changed in place.
 *  - struct fwd_path: a data path as the run loops see it: "receive a job" and "transmit a
 *    job". fwd_io_new() makes the path of two io.h ports (fwd-afp, fwd-xdp, fwd-dpdk), which
 *    runs fwd_burst(); fwd-sock supplies its own over UDP sockets (payloads, not frames: the
 *    kernel checks and builds the headers, it only carries the TTL - 1).
 *  - fwd_run(): the loops. Run to completion (one thread: rx -> work -> tx) or a pipeline (an
 *    RX thread hands jobs through a ring to a TX thread, and the TX thread hands them back
 *    through a second ring of the same kind). When there is nothing to receive a loop either
 *    sleeps until frames arrive (the default, "interrupt-driven": poll() on the ports) or spins
 *    (poll mode, forced for ports without a descriptor such as DPDK's). It counts per thread in
 *    cache-aligned counters that the calling thread sums, prints --stats-interval lines, and
 *    measures cycles per packet as testpmd --record-core-cycles does: TSC cycles of the loop
 *    iterations that moved packets, divided by the packets received.
 *
 * The stop flag lr_stop (stop.h) is set by SIGINT/SIGTERM (lr_stop_signals()); fwd_run() returns
 * once it is set or its duration has passed. The kernel backends (fwd-afp, fwd-xdp, fwd-sock)
 * add what the run cost at the kernel boundary, system calls and copied bytes, to the report
 * (fwd_cli.h: fwd_report_info.kcost).
 */
#ifndef LR_FWD_H
#define LR_FWD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu.h"
#include "io.h"
#include "lr.h"
#include "pkt.h"

/* Why a frame was not forwarded. */
enum fwd_drop {
	FWD_DROP_NOT_IPV4,    /* EtherType is not IPv4 (ARP, IPv6, a VLAN tag, ...) */
	FWD_DROP_TRUNCATED,   /* shorter than its Ethernet + IPv4 headers or than tot_len says */
	FWD_DROP_BAD_VERSION, /* IPv4 EtherType, but the version field is not 4 */
	FWD_DROP_BAD_IHL,     /* header length below 5 words */
	FWD_DROP_BAD_CSUM,    /* header checksum does not verify */
	FWD_DROP_BAD_LEN,     /* tot_len shorter than the header itself */
	FWD_DROP_TTL,         /* TTL 0 or 1: it would expire here */
	FWD_DROP_MAX
};

/* The Ethernet addresses of frames leaving on one port, in the order of the header. */
struct fwd_route {
	uint8_t dst[PKT_ETH_ALEN]; /* the next hop */
	uint8_t src[PKT_ETH_ALEN]; /* the out-port's own address */
};

/* One thread's counters. Written by that thread only; fwd_counters_sum() reads them from
 * another thread while they change, so writers use fwd_count(). */
struct fwd_counters {
	uint64_t rx;       /* frames received */
	uint64_t rx_bytes; /* their bytes (FCS excluded) */
	uint64_t tx;       /* frames sent */
	uint64_t tx_fail;  /* frames the out-port did not take after the retries: freed */
	uint64_t drop[FWD_DROP_MAX];
	uint64_t busy_cycles; /* TSC cycles of loop iterations that moved packets */
	uint64_t sleeps;      /* times the loop slept waiting for input */
	uint64_t rx_bursts;   /* RX calls that returned frames: rx / rx_bursts is the frames a
			       * burst really carried, at most --batch */
} lr_cache_aligned;

/* Adds n to a counter of the calling thread's own struct fwd_counters (a plain add that a
 * reader on another thread may load at any time without tearing). */
#define fwd_count(field, n) __atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)

/* Forwards a burst in place: of the n frames in bufs, the ones that may be forwarded get the
 * route's MACs and their TTL decremented (checksum updated incrementally, RFC 1624) and are
 * moved, in order, to bufs[0..k); the others are freed with io_free() and counted in
 * c->drop[] by reason. Counts c->rx and c->rx_bytes; returns k. */
unsigned fwd_burst(const struct fwd_route *rt, struct io_buf *bufs, unsigned n,
		   struct fwd_counters *c);
/* Returns the drop reason of one frame, or -1 when it may be forwarded (fwd_burst's test). */
int fwd_classify(const uint8_t *frame, uint32_t len);
/* Returns the short name of a drop reason ("not_ipv4", "bad_csum", "ttl", ...). */
const char *fwd_drop_name(enum fwd_drop reason);
/* Sets *sum to the field-wise sum of n threads' counters. */
void fwd_counters_sum(struct fwd_counters *sum, const struct fwd_counters *c, unsigned n);
/* Returns the sum of c's drop counters. */
uint64_t fwd_drops_total(const struct fwd_counters *c);

/* ---- data paths ---------------------------------------------------------------------------- */

/* A unit of work handed from the receiving to the transmitting side: a path's job structure
 * starts with this. */
struct fwd_job {
	unsigned dir;    /* 0: in -> out; 1: out -> in (bidirectional forwarding) */
	unsigned n;      /* packets left to transmit after the receive side's work */
	uint64_t t_woke; /* set by an rx that slept in a blocking call: the TSC when it woke,
			  * where the round's busy cycles start (the sleep is not work) */
};

struct fwd_path {
	const char *name;
	void *ctx;
	size_t job_size; /* bytes of one job, a struct fwd_job first */
	unsigned ndirs;  /* 1, or 2 when forwarding both ways */
	/* Called once before any loop runs, with threaded true for a pipeline (tx then runs on
	 * another thread than rx); returns 0 or -errno. May be NULL. */
	int (*start)(void *ctx, bool threaded);
	/* Prepares a freshly allocated, zeroed job; returns 0 or -errno. May be NULL. */
	int (*job_init)(void *ctx, struct fwd_job *job);
	/* Receives up to a batch of direction job->dir into job and does the forwarding work,
	 * leaving job->n packets to send; returns how many packets it received (0: none). */
	unsigned (*rx)(void *ctx, struct fwd_job *job, struct fwd_counters *c);
	/* Transmits the job's n packets, retrying a little, and releases what it could not send;
	 * counts tx and tx_fail. */
	void (*tx)(void *ctx, struct fwd_job *job, struct fwd_counters *c);
	/* On the receiving thread, after tx: releases what tx left for it. May be NULL. */
	void (*reclaim)(void *ctx, struct fwd_job *job);
	/* Sleeps until input may be ready or timeout_ms passes; returns 0, or -EOPNOTSUPP when it
	 * cannot sleep (the loop then polls). NULL: rx blocks by itself. */
	int (*wait)(void *ctx, int timeout_ms);
	/* Pushes out transmissions a backend queued, before the loop sleeps. May be NULL. */
	void (*flush)(void *ctx);
};

/* The data path over io.h ports: frames received on in go out on out (and with bidir, frames
 * received on out go out on in), through fwd_burst(). */
struct fwd_io_cfg {
	struct io_port *in, *out;
	struct fwd_route route[2]; /* [0]: frames leaving on out; [1]: frames leaving on in */
	bool bidir;
	unsigned batch; /* 1..IO_BURST_MAX */
	/* The ports' received buffers may be freed from any thread (DPDK mbufs). When false, a
	 * pipeline's TX thread never frees them: it hands them back with the job and the RX
	 * thread frees them, so each port's receive side stays on one thread. */
	bool free_any_thread;
};

struct fwd_io;

/* Creates the io data path (the ports stay the caller's); returns NULL with errno set
 * (EINVAL: bad batch or missing port, ENOMEM). */
struct fwd_io *fwd_io_new(const struct fwd_io_cfg *cfg);
/* Fills path with the io data path's operations. */
void fwd_io_path(struct fwd_io *io, struct fwd_path *path);
/* Frees the data path (NULL is fine). */
void fwd_io_free(struct fwd_io *io);

/* ---- rings of a pipeline ------------------------------------------------------------------- */

/* A single-producer, single-consumer ring of pointers; lets fwd-dpdk plug in rte_ring
 * without common/ depending on DPDK. */
struct fwd_ring_ops {
	const char *name; /* "lockfree", "mutex", "rte" */
	/* Creates a ring for up to size pointers (a power of two); NULL with errno set. */
	void *(*create)(unsigned size);
	void (*destroy)(void *ring);
	unsigned (*enqueue)(void *ring, void *const *objs, unsigned n);
	unsigned (*dequeue)(void *ring, void **objs, unsigned n);
	/* Sleeps (not spins) up to timeout_ns for at least one item; NULL when the kind cannot
	 * sleep, and an idle consumer then backs off with short naps. */
	unsigned (*dequeue_sleep)(void *ring, void **objs, unsigned n, uint64_t timeout_ns);
};

extern const struct fwd_ring_ops fwd_ring_lockfree; /* common/ring.h, RING_LOCKFREE */
extern const struct fwd_ring_ops fwd_ring_mutex;    /* common/ring.h, RING_MUTEX */

/* ---- the loops ----------------------------------------------------------------------------- */

struct fwd_run_cfg {
	const struct fwd_ring_ops *ring; /* NULL: run to completion; else a pipeline */
	unsigned jobs;                   /* pipeline jobs in flight (0: 64) */
	bool poll;                       /* spin instead of sleeping when idle */
	bool hugepages;                  /* the jobs' memory on 2 MB huge pages */
	bool pinned;                     /* pin the loop threads; else let them float */
	int cpu;                         /* the (RX) loop thread's CPU when pinned */
	int tx_cpu;                      /* the pipeline TX thread's CPU when pinned */
	uint64_t duration_ns;            /* 0: until lr_stop */
	uint64_t max_rx;                 /* run to completion: stop once this many packets were
					  * received (0: no limit; lr-paths counts a fixed run) */
	uint64_t stats_ns;               /* 0: no periodic lines */
	FILE *stats_out;                 /* where the periodic lines go (NULL: stderr) */
	uint64_t test_delay_ns;          /* TEST ONLY: busy-wait per received packet (0: off) */
	/* Called at the start and end of each loop thread (e.g. to register it with DPDK). */
	void (*thread_init)(void *arg);
	void (*thread_fini)(void *arg);
	void *thread_arg;
};

struct fwd_run_result {
	struct fwd_counters total;
	struct cpu_usage cpu; /* the process over the run; softirq time of the whole machine */
	double duration_s;
	double cycles_per_pkt; /* busy cycles / received packets; -1 without packets */
	bool polled;           /* the loops spun (asked for, or the ports cannot sleep) */
};

/* Runs path until lr_stop is set or cfg->duration_ns passed, in the calling process's
 * threads (the calling thread only watches the clock and prints); fills res and returns 0, or
 * -errno (with a message logged) when the loops could not start. */
int fwd_run(const struct fwd_path *path, const struct fwd_run_cfg *cfg, struct fwd_run_result *res);

#endif
