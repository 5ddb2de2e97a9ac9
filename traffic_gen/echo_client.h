/* SPDX-License-Identifier: MIT */
/*
 * echo_client.h: `tgen echo`, the TCP echo load client. C connections send messages of M
 * bytes to an echo server (RFC 862) and check that every byte comes back, in order:
 *
 *  - rr: persistent connections, one request/response transaction after another;
 *  - crr: connect, request, response, close: one connection per transaction;
 *  - stream: bulk echo, every connection sends as fast as the server echoes (--bytes: a fixed
 *    amount, then a half-close, and the run ends when everything came back).
 *
 * Closed loop by default (each connection starts its next transaction when the last one
 * ended); with --rate, open loop: transactions are due at fixed intervals whether or not the
 * server kept up, and latency counts from the time a transaction was due, not from when a
 * connection was free to send it (no coordinated omission).
 *
 * The client is written once (echo_client.c: the command line, the run and the report;
 * echo_conn.c: one connection's state machine) over a small engine interface: kernel
 * sockets with epoll (echo_kernel.c) or the user-space TCP stack over DPDK (echo_stack.c),
 * so the two clients' figures are comparable. An engine opens connections, moves bytes and
 * reports what happened to each connection through ec_conn_event().
 */
#ifndef LR_ECHO_CLIENT_H
#define LR_ECHO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"
#include "pkt.h"

#define EC_MAX_CONNS  1000000
#define EC_MAX_MSG    (1 << 20)
#define EC_CHUNK      16384         /* most bytes moved by one send or receive call */
#define EC_PERIOD     65521u        /* the byte pattern repeats every EC_PERIOD bytes (a prime) */
#define EC_CLIENT_IP  "198.18.0.20" /* the DPDK client's stack */
#define EC_CLIENT_MAC "02:00:00:00:00:20"          /* locally administered, like the topology's */
#define EC_MEMIF_SOCK "/run/linerate/lr-echo.sock" /* echo-dpdk --memif serves it */
#define EC_ERR_LEN    512

enum ec_mode {
	EC_MODE_RR,
	EC_MODE_CRR,
	EC_MODE_STREAM,
};

enum ec_engine_kind {
	EC_ENGINE_SOCK,
	EC_ENGINE_DPDK,
};

/* Every option of `tgen echo`, then what was resolved from them. */
struct ec_cfg {
	int mode;   /* enum ec_mode */
	int engine; /* enum ec_engine_kind */
	long conns, msg_size, bytes, batch;
	struct cli_rate rate; /* CLI_RATE_PPS: transactions per second; CLI_RATE_MAX: closed loop */
	uint64_t duration_ns, timeout_ns;
	const char *dst_ip, *netns;
	long dst_port;
	long cpu;
	int affinity, format;
	bool hugepages;
	/* The DPDK engine. */
	const char *port, *dev, *src_ip, *src_mac;
	int pmd; /* 0 af_packet, 1 af_xdp */
	long max_conns, buf;
	uint64_t time_wait_ns;
	int eal_argc; /* argv[0] and the EAL arguments before "--" */
	char **eal_argv;
	/* Resolved. */
	uint32_t dst_ip_h, src_ip_h; /* host order */
	uint8_t src_mac_b[PKT_ETH_ALEN];
	double tps; /* open loop: transactions per second; 0: closed loop */
};

enum ec_state {
	EC_FREE,       /* no connection: waiting to (re)connect */
	EC_CONNECTING, /* connect started */
	EC_IDLE,       /* connected, no transaction */
	EC_BUSY,       /* a transaction (or the stream) is in flight */
	EC_DONE,       /* stream with --bytes: finished (or failed), not reopened */
};

struct tcp_conn;
struct hist;

/* One client connection slot. A slot is reused: every new connection gets a new seed. */
struct ec_conn {
	enum ec_state state;
	int fd;              /* the kernel engine's socket */
	struct tcp_conn *tc; /* the stack engine's connection */
	uint32_t seed;       /* where in the pattern this connection's byte stream starts */
	bool want_write;     /* the engine is asked for a writable event */
	bool shut;           /* stream: our FIN is sent */
	bool in_ready;       /* on the ready stack (possibly a stale entry) */
	uint64_t t_conn;     /* when the connection was due (crr open loop) or started */
	uint64_t t_start;    /* when the transaction was due (open loop) or started */
	uint64_t t_progress; /* when bytes last moved, or the connect or transaction began */
	uint64_t start_at;   /* EC_FREE: when to connect */
	uint64_t sent, rcvd; /* bytes of this connection's stream */
	uint64_t goal;       /* the stream offset this transaction sends up to */
	uint64_t quota;      /* stream with --bytes: bytes this connection sends in all */
	struct ec_conn *next;
};

/* What happened; the latency histograms sit in struct ec_ctx. */
struct ec_counters {
	uint64_t started, completed; /* transactions */
	uint64_t connects;           /* connections established */
	uint64_t bytes_tx, bytes_rx; /* payload sent, payload echoed back and checked */
	uint64_t resets, timeouts, short_reads, refused, corrupt, no_port, other;
};

/* Events an engine reports with ec_conn_event(). */
#define EC_EV_CONNECTED 0x1u
#define EC_EV_READABLE  0x2u /* data, end of stream or an error for recv() to report */
#define EC_EV_WRITABLE  0x4u
#define EC_EV_ERROR     0x8u /* the connection failed with err */

struct ec_ctx;

/* What an engine supplies. send and recv are the hot path. */
struct ec_engine {
	const char *name;
	/* Opens the engine (namespace, EAL, port, stack); returns 0 or -errno with err set. */
	int (*open)(struct ec_ctx *x, char *err, size_t len);
	/* Starts a connection to the server for c (completion: EC_EV_CONNECTED or EC_EV_ERROR);
	 * returns 0 or -errno (-EADDRNOTAVAIL: no free local port). */
	int (*connect)(struct ec_ctx *x, struct ec_conn *c);
	/* Sends up to len bytes; returns how many were taken (> 0), -EAGAIN when none, or the
	 * connection's error. */
	ssize_t (*send)(struct ec_ctx *x, struct ec_conn *c, const void *buf, size_t len);
	/* Receives up to len bytes; returns how many (> 0), 0 at end of stream, -EAGAIN, or the
	 * connection's error. */
	ssize_t (*recv)(struct ec_ctx *x, struct ec_conn *c, void *buf, size_t len);
	/* Sends FIN after the data queued; returns 0 or -errno. */
	int (*shutdown)(struct ec_ctx *x, struct ec_conn *c);
	/* Closes c: with FIN, or with RST when abort is true. */
	void (*close)(struct ec_ctx *x, struct ec_conn *c, bool abort);
	/* Asks for EC_EV_WRITABLE (on) or stops asking (off). */
	void (*want_write)(struct ec_ctx *x, struct ec_conn *c, bool on);
	/* Waits for events until now_ns >= until_ns at the latest (a polling engine returns after
	 * one round) and reports them. */
	void (*poll)(struct ec_ctx *x, uint64_t until_ns);
	/* Writes the engine's own counters for the note ("" when none). */
	void (*note)(struct ec_ctx *x, char *buf, size_t len);
	/* Closes everything the engine opened (safe after a failed open). */
	void (*fini)(struct ec_ctx *x);
};

extern const struct ec_engine ec_engine_kernel;
extern const struct ec_engine ec_engine_stack;

/* The running client. */
struct ec_ctx {
	const struct ec_cfg *cfg;
	const struct ec_engine *eng;
	void *priv; /* the engine's state */
	struct ec_conn *conns;
	unsigned nconns;
	struct ec_conn *start_head, *start_tail; /* slots waiting to connect, in start_at order */
	/* Open loop: slots free for the next due transaction (rr: IDLE connections; crr: FREE
	 * slots). A stack; an entry whose slot changed state since is skipped when popped. */
	struct ec_conn **ready;
	unsigned nready;
	struct ec_counters n;
	struct hist *lat;      /* transaction latency, measured phase */
	struct hist *conn_lat; /* connect to established */
	uint8_t *pattern;      /* EC_PERIOD + EC_CHUNK bytes */
	uint32_t next_seed;
	bool measuring; /* the measured phase has begun */
	bool stopping;  /* the measured phase is over: in-flight work drains, nothing new starts */
	uint64_t now;   /* the time of the current loop round */
	uint64_t t0, t_end, warmup_ns;
	uint64_t next_due, interval_ns; /* open loop schedule */
	unsigned nstate[EC_DONE + 1];   /* slots in each state */
	unsigned done;                  /* stream with --bytes: connections finished */
	uint64_t idle_ns;    /* measured phase: the engine waited (kernel: inside epoll_wait) or
			      * polled in vain (stack: rounds that moved no frame) */
	uint64_t connect_ns; /* time spent inside the engine's connect() (the client's own port
			      * search and SYN): crr is client-bound when it fills the window */
};

#define EC_CLIENT_BOUND_SHARE 0.5  /* connect() over half the window: a client-bound crr */
#define EC_CLIENT_IDLE_MIN    0.01 /* the client's loop waited under 1% of the window */

/* Returns true when the client, not the server, set the rate of a closed-loop run of
 * window_s seconds: a crr run (crr true) spent at least EC_CLIENT_BOUND_SHARE of it inside
 * connect(), or the client's loop waited for the server (idle_s: blocked in epoll_wait, or
 * polling rounds that moved nothing) less than EC_CLIENT_IDLE_MIN of it: it never had to wait
 * for an answer, so it was saturated. idle_s < 0: not measured (open loop). */
bool ec_client_bound(bool crr, double connect_s, double idle_s, double window_s);

/* Runs `tgen echo`: argv holds "tgen [EAL args --] echo [options]"; returns an exit code. */
int echo_client_main(int argc, char **argv);
/* Returns true when the command line asks for the echo subcommand (argv[1] is "echo", or the
 * first argument after "--" is). */
bool echo_client_is_cmd(int argc, char **argv);

/* ---- between echo_client.c, echo_conn.c and the engines ---- */

/* Reports events (EC_EV_*) on c; err is the error with EC_EV_ERROR. */
void ec_conn_event(struct ec_ctx *x, struct ec_conn *c, unsigned events, int err);
/* Opens c's next connection now; due_ns is when it was due (crr open loop) or now. */
void ec_conn_start(struct ec_ctx *x, struct ec_conn *c, uint64_t due_ns);
/* Starts a transaction on an idle c that was due at due_ns. */
void ec_conn_begin(struct ec_ctx *x, struct ec_conn *c, uint64_t due_ns);
/* The run is over: a stream connection sends nothing more and half-closes. */
void ec_conn_stop(struct ec_ctx *x, struct ec_conn *c);
/* Fails c's connection with a timeout when nothing moved for the timeout. */
void ec_conn_check(struct ec_ctx *x, struct ec_conn *c);
/* Queues c to connect at at_ns. */
void ec_start_push(struct ec_ctx *x, struct ec_conn *c, uint64_t at_ns);
/* Moves c to state st, keeping the per-state counts. */
static inline void ec_set_state(struct ec_ctx *x, struct ec_conn *c, enum ec_state st)
{
	x->nstate[c->state]--;
	x->nstate[st]++;
	c->state = st;
}

/* Puts c on the ready stack (nothing when it is there already). */
void ec_ready_push(struct ec_ctx *x, struct ec_conn *c);
/* Returns the pattern bytes at offset off of c's stream (at least EC_CHUNK readable). */
const uint8_t *ec_pattern_at(const struct ec_ctx *x, const struct ec_conn *c, uint64_t off);

#endif
