/* SPDX-License-Identifier: MIT */
/*
 * echo_srv.h: what the three TCP echo servers (echo-sock, echo-afp, echo-dpdk) share around
 * their loops, so that they differ only in their I/O: the knobs, spelled as the forwarders
 * spell them (one piece of option table each program appends to its own), the stack's
 * configuration from those knobs, the stack's main loop over one io.h port (echo-afp and
 * echo-dpdk run the very same loop: frames in -> timers -> echo -> frames out, then sleep in
 * poll() or spin), the stop flag, and the final report (human, or a common results row as CSV
 * or JSON: experiment "echo", rx/tx_pkts the frames the stack handled, the echo counters in
 * the note).
 */
#ifndef LR_ECHO_SRV_H
#define LR_ECHO_SRV_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "cpu.h"
#include "io.h"
#include "pkt.h"
#include "results.h"
#include "topo_defs.h"

/* The stack's types (tcp/tcp.h), used here by pointer only. */
struct tcp_stack;
struct tcp_stats;

#define ECHO_SRV_STACK_IP  TOPO_IP_ECHO /* the user-space stacks' default: no kernel owns it */
#define ECHO_SRV_DEF_BATCH 32

/* Which optional pieces echo_srv_options() adds. */
#define ECHO_SRV_CLI_STACK 0x1u /* --mac, --time-wait, --mss (the user-space stack's knobs) */
#define ECHO_SRV_CLI_POLL  0x2u /* --poll (a port that can sleep: AF_PACKET) */

struct echo_srv_opts {
	const char *ip; /* listening address */
	long port;
	long batch; /* frames per receive burst; echo-sock: events per epoll_wait() */
	int affinity;
	long cpu;
	bool hugepages;
	bool poll; /* busy-poll instead of sleeping in poll() (ports with a descriptor) */
	uint64_t duration_ns;
	int format;
	long max_conns; /* connection table cap (echo-sock: connections served at once) */
	long buf;       /* receive and send buffer per connection, bytes */
	long mss;
	uint64_t time_wait_ns;
	const char *mac; /* the stack's MAC; NULL: the port's own */
};

/* What a run measured. */
struct echo_srv_result {
	uint64_t accepted, closed, errors; /* connections, as struct echo_stats counts them */
	uint64_t bytes;                    /* bytes echoed */
	uint64_t rx_frames, tx_frames;     /* frames the stack took in and sent (0 for sockets) */
	uint64_t busy_cycles;              /* TSC cycles of loop rounds that moved frames */
	uint64_t sleeps;                   /* times the loop slept in poll() */
	double duration_s;
	struct cpu_usage cpu;
	bool polled;
};

/* What the report says about the program besides its counters. */
struct echo_srv_info {
	const char *program; /* "echo-afp" */
	const char *backend; /* "sock", "afp", "dpdk" */
	const char *link;    /* "veth", "memif", ... */
	const char *desc;    /* one line for the human report: address, port, I/O */
	const char *extra;   /* appended to the note (backend counters), or NULL */
};

/* Sets the defaults: listen on ip port 7, batch 32, pinned to CPU 1 (0 on a one-CPU machine),
 * hugepages off, sleeping when idle, until Ctrl-C, human output, the stack's default bounds. */
void echo_srv_opts_init(struct echo_srv_opts *o, const char *ip);
/* Appends the shared options (the ECHO_SRV_CLI_* pieces asked for in features) to t. */
void echo_srv_options(struct echo_srv_opts *o, unsigned features, struct cli_options *t);
/* Pins the calling thread to o->cpu when o->affinity is pinned; returns 0, or -errno after
 * printing why. */
int echo_srv_pin(const struct echo_srv_opts *o);

/* Builds the stack from o (address, bounds) and mac (used unless o->mac is set), listening on
 * o->port, into *out, and prints what one connection costs; returns 0, or an exit code after
 * printing what is wrong (prefixed with prog): LR_EXIT_USAGE (a bad option), LR_EXIT_ENV (no
 * memory). */
int echo_srv_stack_new(const struct echo_srv_opts *o, const uint8_t *mac, const char *prog,
		       struct tcp_stack **out);
/* echo_srv_stack_new() on kernel interface dev in netns (NULL or "": the current one), with
 * dev's MAC unless o->mac is set: what echo-afp and echo-xdp serve on. */
int echo_srv_stack_on_if(const struct echo_srv_opts *o, const char *netns, const char *dev,
			 const char *prog, struct tcp_stack **out);
/* Runs the echo service on stack s over port p (already listening) until lr_stop (stop.h) or
 * o->duration_ns: receive a burst of up to o->batch frames, run the timers, echo, send; when
 * idle, sleep in io_wait() until a frame or the next timer (unless o->poll or p has no
 * descriptor). Fills res; returns 0. */
int echo_srv_run_stack(struct tcp_stack *s, struct io_port *p, const struct echo_srv_opts *o,
		       struct echo_srv_result *res);

/* Fills a common results row (experiment "echo"; frames as packets; the echo counters in
 * their columns; info->extra in the note). */
void echo_srv_result_row(const struct echo_srv_opts *o, const struct echo_srv_info *info,
			 const struct echo_srv_result *res, struct res_row *row);
/* Writes the final report to f in o->format (human: connections, bytes, frames, CPU use and,
 * when ts is not NULL, the stack's nonzero counters; csv: header and row; json: one row). */
void echo_srv_report(FILE *f, const struct echo_srv_opts *o, const struct echo_srv_info *info,
		     const struct echo_srv_result *res, const struct tcp_stats *ts);

#endif
