/* SPDX-License-Identifier: MIT */
/*
 * tcp.h: a compact user-space TCP/IPv4 stack, written to be read. It speaks ARP (answers for
 * its own address, resolves with a bounded cache and a bounded queue of frames waiting for
 * an answer), IPv4 (checksums, fragments dropped), ICMP echo, and TCP as RFC 9293 describes it:
 * passive and active open, MSS option, random ISN (RFC 6528), wrapping sequence arithmetic,
 * cumulative ACK, out-of-order data kept within the receive window, window = free receive
 * buffer, zero-window probes, retransmission with RTT estimate (RFC 6298), exponential
 * backoff and a retry limit, FIN both ways and half-close, TIME_WAIT, RST validation
 * (RFC 5961 exact-match rule and challenge ACKs). No Nagle, no delayed ACK: an ACK leaves with
 * the next tcp_output(), carried by reply data when the application answered in the meantime.
 * Not implemented (on purpose): window scaling, SACK, timestamps, congestion control beyond a
 * gentle restart after a timeout, IP options on output, urgent data, SYN cookies.
 *
 * The stack does no I/O and never reads a clock. A main loop drives it:
 *
 *	n = tcp_input_burst(stack, port, now);   frames in (or tcp_input() per frame)
 *	tcp_poll(stack, now);                     timers
 *	while ((k = tcp_events(stack, ev, N)))    the application: accept, recv, send, close
 *		...
 *	tcp_output(stack, port, now);             frames out, built straight into port buffers
 *
 * Memory is bounded by tcp_cfg alone: every connection, buffer and queue is allocated by
 * tcp_stack_new(); tcp_conn_mem() tells what one connection costs.
 * A stack is single-threaded: use it from one thread at a time.
 */
#ifndef LR_TCP_H
#define LR_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "io.h"
#include "pkt.h"

/* Defaults taken by tcp_cfg fields left at 0. */
#define TCP_DEF_MAX_CONNS    1024
#define TCP_DEF_BUF          16384         /* receive and send buffer, bytes per connection */
#define TCP_DEF_MSS          1460          /* Ethernet MTU 1500 - 20 (IPv4) - 20 (TCP) */
#define TCP_DEF_TIME_WAIT_NS 1000000000ull /* 2*MSL, short on purpose but never 0 */
#define TCP_DEF_SYN_RETRIES  5
#define TCP_DEF_MAX_RETRIES  8
#define TCP_DEF_RTO_INIT_NS  1000000000ull  /* RFC 6298 (2.1): 1 s before any RTT sample */
#define TCP_DEF_RTO_MIN_NS   200000000ull   /* Linux's floor; RFC 6298 asks for 1 s */
#define TCP_DEF_RTO_MAX_NS   60000000000ull /* RFC 6298 (2.5): at least 60 s */
#define TCP_DEF_FIN_WAIT2_NS 10000000000ull /* a closed connection waits this long for a FIN */
#define TCP_DEF_ARP_CACHE    64
#define TCP_DEF_ARP_QUEUE    16
#define TCP_DEF_ARP_TTL_NS   60000000000ull
#define TCP_DEF_ARP_RETRY_NS 1000000000ull
#define TCP_DEF_ARP_RETRIES  3

/* Fixed limits. */
#define TCP_BUF_MAX      65535 /* no window scaling: a window field holds at most this */
#define TCP_MSS_MIN      64
#define TCP_FRAME_MAX    1514 /* largest frame the stack sends or answers, FCS excluded */
#define TCP_LISTEN_MAX   16   /* listening ports */
#define TCP_OOO_RANGES   4    /* out-of-order byte ranges kept per connection */
#define TCP_CTL_QUEUE    64   /* ARP, ICMP and RST frames waiting for tcp_output() */
#define TCP_MAX_CONNS    (1u << 22)
#define TCP_EPHEMERAL_LO 49152 /* default lowest local port tcp_connect() picks (IANA's range) */

/* What tcp_stack_new() builds. Addresses in host order. Zero fields take the defaults above. */
struct tcp_cfg {
	uint32_t ip;               /* own IPv4 address (required) */
	uint8_t mac[PKT_ETH_ALEN]; /* own MAC (required) */
	uint32_t netmask;          /* 0: every destination is on the link */
	uint32_t gateway;          /* next hop for off-link destinations; 0: none */
	unsigned max_conns;        /* connection table cap: half-open and TIME_WAIT count too */
	uint32_t rx_buf, tx_buf;   /* bytes per connection, up to TCP_BUF_MAX */
	uint16_t mss;              /* MSS announced and largest segment sent, TCP_MSS_MIN..1460 */
	uint64_t time_wait_ns;     /* TIME_WAIT duration (2*MSL) */
	uint16_t ephemeral_lo;     /* tcp_connect()'s local ports: ephemeral_lo..65535 */
	bool no_time_wait;    /* TIME_WAIT of 0 (one tick): unfair in benchmarks, never default */
	unsigned syn_retries; /* SYN or SYN-ACK retransmissions before giving up */
	unsigned max_retries; /* retransmissions (or unanswered window probes) before RST */
	uint64_t rto_init_ns, rto_min_ns, rto_max_ns;
	uint64_t fin_wait2_ns; /* how long a closed connection waits for the peer's FIN */
	unsigned arp_cache;    /* ARP cache entries */
	unsigned arp_queue;    /* frames that may wait for ARP resolution */
	uint64_t arp_ttl_ns;   /* how long a learnt MAC stays valid */
	uint64_t arp_retry_ns; /* time between ARP requests for one address */
	unsigned arp_retries;  /* requests sent before the waiting frames are dropped */
	uint64_t seed;         /* secret for ISNs (RFC 6528) and ports; 0: from getrandom() */
};

/* Connection states, RFC 9293 section 3.3.2 (TCP_ST_: <netinet/tcp.h> has the bare names). */
enum tcp_state {
	TCP_ST_CLOSED,
	TCP_ST_SYN_SENT,
	TCP_ST_SYN_RCVD,
	TCP_ST_ESTABLISHED,
	TCP_ST_FIN_WAIT_1,
	TCP_ST_FIN_WAIT_2,
	TCP_ST_CLOSING,
	TCP_ST_TIME_WAIT,
	TCP_ST_CLOSE_WAIT,
	TCP_ST_LAST_ACK,
};

/* Counters, one per event or drop reason. Read them with tcp_stats(). */
struct tcp_stats {
	uint64_t rx_frames, tx_frames;
	uint64_t tx_no_buf;      /* tcp_output() stopped: the port had no free buffer */
	uint64_t tx_dropped;     /* frames the port refused (freed, as if lost on the wire) */
	uint64_t ctl_queue_full; /* ARP, ICMP or RST frames dropped: control queue full */
	/* Ethernet */
	uint64_t eth_short, eth_not_for_us, eth_unknown_type;
	/* ARP */
	uint64_t arp_bad, arp_requests_in, arp_replies_in, arp_replies_out, arp_requests_out;
	uint64_t arp_queued, arp_queue_full, arp_given_up, arp_cache_evicted;
	/* IPv4 and ICMP */
	uint64_t ip_short, ip_bad_header, ip_bad_len, ip_bad_csum, ip_fragments, ip_bad_src;
	uint64_t ip_not_for_us, ip_unknown_proto;
	uint64_t icmp_short, icmp_bad_csum, icmp_echo_replied, icmp_ignored;
	/* TCP: malformed segments */
	uint64_t tcp_short, tcp_bad_doff, tcp_bad_csum, tcp_bad_options;
	/* TCP: connections */
	uint64_t tcp_passive_opens, tcp_active_opens, tcp_established, tcp_closed;
	uint64_t tcp_syn_table_full; /* SYN dropped: connection table full */
	uint64_t tcp_no_conn;        /* segment for no connection or listener (RST sent) */
	uint64_t tcp_resets_in;      /* connections reset by the peer */
	uint64_t tcp_timeouts;       /* connections given up after the retry limit */
	uint64_t tcp_rst_out, tcp_rst_ignored, tcp_challenge_acks;
	uint64_t tcp_not_acceptable; /* segment outside the receive window */
	uint64_t tcp_bad_ack;        /* ACK of unsent data, or too old */
	/* TCP: data */
	uint64_t tcp_segs_in, tcp_segs_out, tcp_bytes_in, tcp_bytes_out;
	uint64_t tcp_retransmits, tcp_fast_retransmits, tcp_syn_retransmits, tcp_window_probes;
	uint64_t tcp_dup_acks, tcp_ooo_queued, tcp_ooo_dropped, tcp_data_after_close;
};

/* Application events, ORed in tcp_event.events. Edge-triggered: each says something changed. */
#define TCP_EV_ACCEPT    0x01 /* a passive connection is established: conn is now yours */
#define TCP_EV_CONNECTED 0x02 /* tcp_connect() succeeded */
#define TCP_EV_READABLE  0x04 /* new data, or end of stream (tcp_recv() returns 0) */
#define TCP_EV_WRITABLE  0x08 /* a send buffer that was full has room again */
#define TCP_EV_CLOSED    0x10 /* over (err says why): call tcp_close() to release conn */

struct tcp_stack;
struct tcp_conn;

struct tcp_event {
	struct tcp_conn *conn;
	uint32_t events; /* TCP_EV_* */
	int err;         /* with TCP_EV_CLOSED: 0, -ECONNRESET, -ECONNREFUSED or -ETIMEDOUT */
};

/* What tcp_conn_get_info() reports. Addresses and ports in host order. */
struct tcp_conn_info {
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	enum tcp_state state;
	uint16_t snd_mss;
	uint64_t srtt_ns, rto_ns;
};

/* Receives one frame built by the stack (tcp_output_cb()). */
typedef void (*tcp_frame_fn)(void *arg, const uint8_t *frame, size_t len);

/* Sequence arithmetic. 8< */
/* Sequence arithmetic modulo 2^32 (RFC 9293 section 3.4): a is before b when b - a, taken as
 * a signed 32-bit number, is positive. Valid while the two are less than 2^31 apart. */
static inline bool tcp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool tcp_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool tcp_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool tcp_seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* True when lo <= s < hi in sequence space. */
static inline bool tcp_seq_in(uint32_t s, uint32_t lo, uint32_t hi)
{
	return s - lo < hi - lo;
}
/* >8 End of sequence arithmetic. */

/* Replaces every zero field of cfg with its default. */
void tcp_cfg_defaults(struct tcp_cfg *cfg);
/* Returns the bytes one connection costs under cfg (defaults applied): state, buffers, table. */
size_t tcp_conn_mem(const struct tcp_cfg *cfg);
/* Returns the bytes a stack built from cfg allocates in all (connections and fixed parts). */
size_t tcp_stack_mem(const struct tcp_cfg *cfg);
/* Returns the name of a state ("ESTABLISHED"). */
const char *tcp_state_name(enum tcp_state st);

/* Builds a stack from cfg, allocating all its memory; returns it, or NULL with errno EINVAL
 * (no address or MAC, a value out of range) or ENOMEM. */
struct tcp_stack *tcp_stack_new(const struct tcp_cfg *cfg);
/* Frees a stack and every connection in it (NULL is fine); no frame is sent. */
void tcp_stack_free(struct tcp_stack *s);

/* Processes one received frame (Ethernet header first, no FCS) at time now_ns; returns 0 when
 * it was used, or -errno when it was dropped (each reason counted in tcp_stats). */
int tcp_input(struct tcp_stack *s, const uint8_t *frame, size_t len, uint64_t now_ns);
/* Receives one burst of up to max frames (at most IO_BURST_MAX) from p, passes each frame to
 * tcp_input() and frees it; returns how many frames it received. Inline, so that
 * tcp_input_burst() costs no more than a loop of its own (the CI gate counts it). */
static inline __attribute__((always_inline)) unsigned
tcp_input_burst_max(struct tcp_stack *s, struct io_port *p, unsigned max, uint64_t now_ns)
{
	struct io_buf bufs[IO_BURST_MAX];
	unsigned n = io_rx_burst(p, bufs, max < IO_BURST_MAX ? max : IO_BURST_MAX);

	for (unsigned i = 0; i < n; i++)
		tcp_input(s, bufs[i].data, bufs[i].len, now_ns);
	io_free(bufs, n);
	return n;
}
/* tcp_input_burst_max() of up to 32 frames. */
unsigned tcp_input_burst(struct tcp_stack *s, struct io_port *p, uint64_t now_ns);
/* Runs the timers due at now_ns (retransmission, window probes, TIME_WAIT, ARP retries). */
void tcp_poll(struct tcp_stack *s, uint64_t now_ns);
/* Returns the earliest time tcp_poll() has work, or UINT64_MAX when no timer is armed: a main
 * loop that sleeps (io_wait()) wakes up by then. */
uint64_t tcp_next_deadline(const struct tcp_stack *s);
/* Sends every frame the stack has ready, built in buffers from io_alloc(p) and handed over
 * with io_tx_burst(p) (p's max_frame must be at least TCP_FRAME_MAX, else nothing is sent and
 * tx_no_buf counts it); returns how many frames p took. What finds no buffer waits for the
 * next call. */
unsigned tcp_output(struct tcp_stack *s, struct io_port *p, uint64_t now_ns);
/* The same, handing each frame to fn (the frame is valid only during the call); returns how
 * many frames it handed over. */
unsigned tcp_output_cb(struct tcp_stack *s, tcp_frame_fn fn, void *arg, uint64_t now_ns);
/* Returns true when tcp_output() has frames to send. */
bool tcp_output_pending(const struct tcp_stack *s);
/* Returns the stack's counters (live: they change as the stack runs). */
const struct tcp_stats *tcp_stats(const struct tcp_stack *s);
/* Prints every nonzero counter of st, one "name value" line each, indented by two spaces. */
void tcp_stats_print(const struct tcp_stats *st, FILE *f);
/* Returns how many connections the table holds (any state, released ones included). */
unsigned tcp_conn_count(const struct tcp_stack *s);

/* Accepts connections to port from now on; returns 0, -EADDRINUSE or -ENOSPC (too many). */
int tcp_listen(struct tcp_stack *s, uint16_t port);
/* Opens a connection to ip:port (host order) from a free ephemeral port; its SYN leaves with
 * the next tcp_output(). Stores the connection (yours from now on) in *out and returns 0, or
 * -ENOSPC (table full), -EADDRNOTAVAIL (no free port), -ENETUNREACH (off-link, no gateway),
 * -EINVAL (address 0 or port 0). */
int tcp_connect(struct tcp_stack *s, uint32_t ip, uint16_t port, struct tcp_conn **out);
/* Moves up to max pending events into evs (one entry per connection); returns how many. */
unsigned tcp_events(struct tcp_stack *s, struct tcp_event *evs, unsigned max);

/* Copies up to len received bytes into buf; returns how many (> 0 unless len is 0), 0 at end
 * of stream (the peer sent FIN and everything before it was read), -EAGAIN when nothing is
 * there yet, or the connection's error (-ECONNRESET, -ETIMEDOUT, ...). */
ssize_t tcp_recv(struct tcp_conn *c, void *buf, size_t len);
/* Appends up to len bytes to the send buffer; returns how many it took (0 when full), or
 * -ENOTCONN (not established yet), -EPIPE (after tcp_shutdown()) or the connection's error. */
ssize_t tcp_send(struct tcp_conn *c, const void *buf, size_t len);
/* Returns how many bytes tcp_send() would take now. */
size_t tcp_send_space(const struct tcp_conn *c);
/* Returns how many received bytes tcp_recv() can return now. */
size_t tcp_recv_avail(const struct tcp_conn *c);
/* Half-close: a FIN follows the data already queued; receiving goes on. Returns 0, or
 * -ENOTCONN when the connection is not established. */
int tcp_shutdown(struct tcp_conn *c);
/* Sends FIN after the queued data (as tcp_shutdown()) and releases conn: the application
 * must not use it again; the stack finishes the close (and TIME_WAIT) on its own. */
void tcp_close(struct tcp_conn *c);
/* Sends RST and releases conn at once. */
void tcp_abort(struct tcp_conn *c);

/* Returns the connection's state. */
enum tcp_state tcp_conn_state(const struct tcp_conn *c);
/* Returns 0, or why the connection ended (-ECONNRESET, -ECONNREFUSED, -ETIMEDOUT). */
int tcp_conn_error(const struct tcp_conn *c);
/* Attaches the application's pointer to conn. */
void tcp_conn_set_user(struct tcp_conn *c, void *user);
/* Returns the pointer attached with tcp_conn_set_user() (NULL at first). */
void *tcp_conn_user(const struct tcp_conn *c);
/* Fills info with the connection's addresses, state and timing. */
void tcp_conn_get_info(const struct tcp_conn *c, struct tcp_conn_info *info);

#endif
