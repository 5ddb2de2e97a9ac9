/* SPDX-License-Identifier: MIT */
/*
 * tcp_int.h: the TCP stack's insides, shared by its files and by nobody else. Start reading
 * here: struct tcp_conn is the connection's TCB (RFC 9293 section 3.3.1), struct tcp_stack
 * holds everything else. Where each piece lives:
 *
 *	tcp_stack.c  the stack's life, the calls that drive it, counters, memory arithmetic
 *	tcp_api.c    the application API: listen, connect, events, recv, send, close
 *	tcp_ip.c     Ethernet demux, IPv4 in and out, ICMP echo
 *	tcp_arp.c    ARP: answering, the cache, frames waiting for resolution
 *	tcp_in.c     TCP input: parsing, listening ports, the state machine
 *	tcp_out.c    TCP output: building segments, what a connection sends next, RST
 *	tcp_tx.c     where built frames go: port buffers, a callback, the control queue
 *	tcp_conn.c   the connection table: allocation, 4-tuple hash, ISN, closing
 *	tcp_timer.c  the timer wheel, RTT estimate, what each timeout does
 *	tcp_buf.c    byte rings and out-of-order ranges
 */
#ifndef LR_TCP_INT_H
#define LR_TCP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp.h"

#define TCP__IP_TTL       64
#define TCP__HDRS_LEN     (PKT_ETH_HLEN + PKT_IPV4_HLEN + PKT_TCP_HLEN) /* 54 */
#define TCP__OPT_MSS      2
#define TCP__OPT_MSS_LEN  4
#define TCP__MSS_DEFAULT  536        /* RFC 9293 section 3.7.1: assumed when no MSS option came */
#define TCP__TICK_NS      1000000ull /* timer wheel granularity: 1 ms */
#define TCP__WHEEL_SLOTS  1024       /* one turn of the wheel: 1.024 s */
#define TCP__TX_BURST     32         /* port buffers allocated at a time */
#define TCP__CHACK_PER_S  1000       /* RFC 5961 section 7: challenge ACKs per second */
#define TCP__DUPACK_LIMIT 3          /* RFC 5681 section 3.2: fast retransmit on the third */

/* A node of a circular doubly linked list with a head node (as Linux's list_head). A node not
 * on any list points to itself. */
struct tcp__node {
	struct tcp__node *prev, *next;
};

static inline void tcp__list_init(struct tcp__node *n)
{
	n->prev = n->next = n;
}

static inline bool tcp__list_empty(const struct tcp__node *head)
{
	return head->next == head;
}

static inline void tcp__list_add_tail(struct tcp__node *head, struct tcp__node *n)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void tcp__list_del(struct tcp__node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	tcp__list_init(n);
}

static inline bool tcp__linked(const struct tcp__node *n)
{
	return n->next != n;
}

/* The connection a list node is embedded in. */
#define tcp__conn_of(node, member)                                                                 \
	((struct tcp_conn *)((char *)(node)-offsetof(struct tcp_conn, member)))

/* A byte ring: used bytes from head on, wrapping at cap. */
struct tcp__ring {
	uint8_t *data;
	uint32_t cap;
	uint32_t head;
	uint32_t used;
};

/* Out-of-order data: byte ranges [start, end) in sequence space, sorted, disjoint, all after
 * rcv_nxt. The bytes themselves already sit in the receive ring beyond its used part. */
struct tcp__ooo {
	unsigned n;
	uint32_t start[TCP_OOO_RANGES], end[TCP_OOO_RANGES];
};

/* What the one timer of a connection is doing. */
enum tcp__timer {
	TCP__T_NONE,
	TCP__T_REXMIT,    /* retransmission (RFC 6298), also of SYN and FIN */
	TCP__T_PERSIST,   /* zero-window probe (RFC 9293 section 3.8.6.1) */
	TCP__T_TIME_WAIT, /* 2*MSL */
	TCP__T_FIN_WAIT2, /* a released connection waiting for the peer's FIN */
};

/* The transmission control block. */
struct tcp_conn {
	struct tcp_stack *stack;
	struct tcp_conn *hnext;      /* next in the hash bucket, or in the free list */
	struct tcp__node timer_node; /* in a timer wheel slot */
	struct tcp__node out_node;   /* in the stack's list of connections with output */
	struct tcp__node ev_node;    /* in the stack's list of connections with events */
	bool in_use;

	/* Who: the 4-tuple (host order) and the next hop's MAC. */
	uint32_t lip, rip;
	uint16_t lport, rport;
	uint32_t next_hop;
	uint8_t mac[PKT_ETH_ALEN];
	bool mac_ok;

	enum tcp_state state;
	bool app_owned;   /* the application holds the handle (accepted or connected) */
	bool app_closed;  /* ... and gave it back with tcp_close(): nobody reads any more */
	bool shut_wr;     /* FIN queued after the send buffer's data, at fin_seq */
	bool rcv_fin;     /* the peer's FIN arrived in order: end of stream */
	bool fin_known;   /* the peer's FIN arrived out of order, at rcv_fin_seq */
	bool ack_now;     /* send an ACK at the next output */
	bool fast_rexmit; /* resend the first unacknowledged segment at the next output */
	bool probe_now;   /* send a zero-window probe at the next output */
	bool tx_was_full; /* the send buffer filled up: post TCP_EV_WRITABLE when it drains */
	int err;
	uint32_t events; /* TCP_EV_* not yet taken by tcp_events() */
	void *user;

	/* Send sequence variables (RFC 9293 section 3.3.1); snd_max is the highest sent. */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, fin_seq;
	uint32_t snd_max_wnd; /* largest window the peer offered (RFC 5961 section 5.2) */
	uint16_t snd_mss;
	/* Receive sequence variables; rcv_adv is the right edge last advertised. */
	uint32_t irs, rcv_nxt, rcv_adv, rcv_fin_seq;
	struct tcp__ring rx, tx;
	struct tcp__ooo ooo;

	/* Timers and retransmission (RFC 6298). */
	enum tcp__timer timer;
	uint64_t deadline;
	unsigned retries; /* timeouts (or probes) since the last progress */
	unsigned dupacks;
	unsigned rexmit_quota; /* segments that may be resent before the next ACK */
	unsigned probes;       /* zero-window probes sent since the window closed */
	uint64_t rto, srtt, rttvar, rtt_t0;
	uint32_t rtt_seq;
	bool rtt_on;
};

/* A frame waiting in the stack's memory (control queue, ARP queue). */
struct tcp__frame {
	uint32_t len;
	uint8_t data[TCP_FRAME_MAX];
};

enum tcp__arp_state {
	TCP__ARP_FREE,
	TCP__ARP_PENDING, /* request sent, no answer yet */
	TCP__ARP_VALID,
};

struct tcp__arp_entry {
	uint32_t ip;
	uint8_t mac[PKT_ETH_ALEN];
	enum tcp__arp_state state;
	uint64_t when;  /* VALID: expiry time; PENDING: time of the next request */
	unsigned tries; /* requests sent */
};

/* A frame waiting for the MAC of next_hop. */
struct tcp__arp_wait {
	bool used;
	uint32_t next_hop;
	struct tcp__frame f;
};

struct tcp_stack {
	struct tcp_cfg cfg;
	struct tcp_stats st;
	uint64_t now;      /* the latest time passed in */
	uint64_t rng;      /* splitmix64 state: hash salt, ephemeral ports */
	uint64_t isn_key;  /* the secret of RFC 6528's F() */
	uint64_t hash_key; /* salt of the 4-tuple hash, so peers cannot aim at one bucket */
	uint16_t ip_id;

	/* Connections: all allocated up front, free ones chained through hnext. */
	struct tcp_conn *conns;
	uint8_t *bufmem;
	struct tcp_conn *free_conns;
	unsigned nconns;
	struct tcp_conn **buckets;
	uint32_t bucket_mask;
	uint16_t listen_port[TCP_LISTEN_MAX];
	unsigned nlisten;
	struct tcp__node out_list; /* connections with something to send */
	struct tcp__node ev_list;  /* connections with events for the application */

	/* Timers. */
	struct tcp__node wheel[TCP__WHEEL_SLOTS];
	uint64_t wheel_tick; /* the last tick processed */
	unsigned ntimers;

	/* ARP. */
	struct tcp__arp_entry *arp;
	struct tcp__arp_wait *arpq;
	unsigned arp_pending;

	/* Control frames (ARP, ICMP, RST) waiting for output: a FIFO ring. */
	struct tcp__frame *ctlq;
	unsigned ctl_head, ctl_count;
	uint8_t *scratch; /* one frame, for output callbacks and ARP-bound frames */

	/* RFC 5961 challenge ACK limit. */
	uint64_t chack_second;
	unsigned chack_count;
};

/* Where tcp_output() puts frames: buffers of a port, or a callback. */
struct tcp__tx {
	struct tcp_stack *s;
	struct io_port *port;
	struct io_buf bufs[TCP__TX_BURST];
	unsigned nalloc, nfill;
	tcp_frame_fn fn;
	void *arg;
	unsigned sent;
	bool stopped; /* no buffer: output ends for this call */
};

/* A parsed TCP segment (host order). */
struct tcp__seg {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss; /* 0: no MSS option */
	const uint8_t *data;
	uint32_t len;           /* data bytes */
	const uint8_t *src_mac; /* the sender's MAC, for replies */
};

/* What a segment to build says (tcp__build_seg). */
struct tcp__out {
	const uint8_t *dst_mac;
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;                 /* 0: no MSS option */
	const struct tcp__ring *ring; /* data source, or NULL */
	uint32_t ring_off, len;       /* len bytes from ring_off in ring */
};

/* tcp_buf.c */
void tcp__ring_init(struct tcp__ring *r, uint8_t *mem, uint32_t cap);
uint32_t tcp__ring_free(const struct tcp__ring *r);
uint32_t tcp__ring_write(struct tcp__ring *r, const void *src, uint32_t len);
uint32_t tcp__ring_read(struct tcp__ring *r, void *dst, uint32_t len);
void tcp__ring_peek(const struct tcp__ring *r, uint32_t off, void *dst, uint32_t len);
void tcp__ring_poke(struct tcp__ring *r, uint32_t off, const void *src, uint32_t len);
void tcp__ring_drop(struct tcp__ring *r, uint32_t len);
void tcp__ring_commit(struct tcp__ring *r, uint32_t len);
int tcp__ooo_add(struct tcp__ooo *o, uint32_t start, uint32_t end);
bool tcp__ooo_take(struct tcp__ooo *o, uint32_t rcv_nxt, uint32_t *end);

/* tcp_ip.c */
uint8_t *tcp__ip_fill(struct tcp_stack *s, uint8_t *frame, const uint8_t *dst_mac, uint32_t daddr,
		      uint8_t proto, size_t l4_len);
int tcp__ip_input(struct tcp_stack *s, const struct eth_hdr *eth, const uint8_t *pkt, size_t len);
int tcp__next_hop(const struct tcp_stack *s, uint32_t ip, uint32_t *hop);

/* tcp_arp.c */
int tcp__arp_input(struct tcp_stack *s, const uint8_t *pkt, size_t len);
bool tcp__arp_lookup(struct tcp_stack *s, uint32_t ip, uint8_t *mac);
void tcp__arp_hold(struct tcp_stack *s, uint32_t next_hop, const uint8_t *frame, size_t len);
void tcp__arp_timers(struct tcp_stack *s);
uint64_t tcp__arp_next_deadline(const struct tcp_stack *s);

/* tcp_in.c */
int tcp__tcp_input(struct tcp_stack *s, const struct eth_hdr *eth, const struct ipv4_hdr *ip,
		   const uint8_t *l4, size_t len);

/* tcp_out.c */
size_t tcp__build_seg(struct tcp_stack *s, uint8_t *frame, const struct tcp__out *o);
bool tcp__conn_output(struct tcp_conn *c, struct tcp__tx *tx);
void tcp__rst_reply(struct tcp_stack *s, const struct tcp__seg *seg);
void tcp__conn_rst(struct tcp_conn *c);
uint16_t tcp__rcv_window(const struct tcp_conn *c);

/* tcp_tx.c */
void tcp__tx_start(struct tcp__tx *tx, struct tcp_stack *s);
uint8_t *tcp__tx_buf(struct tcp__tx *tx);
void tcp__tx_commit(struct tcp__tx *tx, size_t len);
void tcp__tx_end(struct tcp__tx *tx);
unsigned tcp__tx_run(struct tcp__tx *tx);
uint8_t *tcp__ctl_slot(struct tcp_stack *s);
void tcp__ctl_commit(struct tcp_stack *s, size_t len);

/* tcp_conn.c */
struct tcp_conn *tcp__conn_lookup(struct tcp_stack *s, uint32_t rip, uint16_t rport,
				  uint16_t lport);
struct tcp_conn *tcp__conn_new(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport);
void tcp__conn_free(struct tcp_conn *c);
bool tcp__is_listening(const struct tcp_stack *s, uint16_t port);
bool tcp__alive(const struct tcp_conn *c);
void tcp__conn_want_output(struct tcp_conn *c);
void tcp__conn_post(struct tcp_conn *c, uint32_t events);
void tcp__conn_finish(struct tcp_conn *c, int err);
void tcp__conn_enter_time_wait(struct tcp_conn *c);
uint32_t tcp__isn(struct tcp_stack *s, uint32_t rip, uint16_t rport, uint16_t lport);
uint64_t tcp__random(struct tcp_stack *s);

/* tcp_timer.c */
void tcp__clock(struct tcp_stack *s, uint64_t now);
void tcp__timer_set(struct tcp_conn *c, enum tcp__timer kind, uint64_t deadline);
void tcp__timer_stop(struct tcp_conn *c);
void tcp__timers_run(struct tcp_stack *s, uint64_t now);
uint64_t tcp__timers_next(const struct tcp_stack *s);
void tcp__rtt_sample(struct tcp_conn *c, uint64_t rtt);
void tcp__rto_update(struct tcp_conn *c);

#endif
