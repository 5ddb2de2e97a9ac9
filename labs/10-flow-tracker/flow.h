/* SPDX-License-Identifier: MIT */
/*
 * flow.h (lab 10): a flow-tracking middlebox in the manner of mOS. It watches forwarded TCP
 * traffic, keeps one entry per connection in a flow table keyed by the 5-tuple (the same entry
 * for both directions), follows each connection through its handshake, data and close, and
 * raises events (callbacks) as it goes: a connection opens, is established, closes (both FINs
 * acknowledged), is reset, or times out.
 *
 *   no entry --SYN from the client------------------------> SYN_SENT      (FT_EV_NEW)
 *   SYN_SENT --SYN+ACK from the server--------------------> SYN_RCVD
 *   SYN_RCVD --ACK from the client------------------------> ESTABLISHED   (FT_EV_ESTABLISHED)
 *   ESTABLISHED --FIN from either side--------------------> FIN_WAIT
 *   FIN_WAIT --both FINs sent and both acknowledged-------> removed       (FT_EV_CLOSED)
 *   any state --RST from either side----------------------> removed       (FT_EV_RESET)
 *   any state --idle past its state's timeout (ft_expire)-> removed       (FT_EV_TIMEOUT)
 */
#ifndef LAB10_FLOW_H
#define LAB10_FLOW_H

#include <stddef.h>
#include <stdint.h>

/* A TCP segment as ft_parse() found it in a frame: addresses and ports in host order. */
struct ft_pkt {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t payload_len;
	uint8_t flags;  /* PKT_TCP_SYN | ACK | FIN | RST ... (pkt.h) */
	uint64_t ts_ns; /* capture time */
};

/* The 5-tuple, canonical: the end with the smaller (address, port) is "lo", so both
 * directions of a connection make the same key. Zero the whole key before filling it (it is
 * compared and hashed as bytes). */
struct ft_key {
	uint32_t ip_lo, ip_hi;
	uint16_t port_lo, port_hi;
	uint8_t proto;
	uint8_t pad[3];
};

enum ft_state {
	FT_FREE = 0, /* an unused entry */
	FT_SYN_SENT,
	FT_SYN_RCVD,
	FT_ESTABLISHED,
	FT_FIN_WAIT
};

enum ft_event {
	FT_EV_NEW,
	FT_EV_ESTABLISHED,
	FT_EV_CLOSED,
	FT_EV_RESET,
	FT_EV_TIMEOUT,
	FT_EV_COUNT
};

/* Directions, for the per-direction fields of a flow. */
#define FT_CLIENT 0 /* from the end that sent the first SYN */
#define FT_SERVER 1

/* Timeouts per state (idle time since the flow's last packet). */
#define FT_TIMEOUT_HANDSHAKE_NS (5ull * 1000000000)  /* SYN_SENT, SYN_RCVD */
#define FT_TIMEOUT_IDLE_NS      (60ull * 1000000000) /* ESTABLISHED */
#define FT_TIMEOUT_CLOSING_NS   (10ull * 1000000000) /* FIN_WAIT */

struct flow {
	struct ft_key key;
	uint8_t state;       /* enum ft_state */
	uint8_t client_lo;   /* 1 when the client is the key's lo end */
	uint8_t fin_sent;    /* bit FT_CLIENT / FT_SERVER: that side sent its FIN */
	uint8_t fin_acked;   /* bit d: the other side acknowledged d's FIN */
	uint32_t fin_ack[2]; /* [d]: the ack number that acknowledges d's FIN (its seq + 1) */
	uint64_t first_ns, last_ns;
	uint64_t pkts[2], bytes[2]; /* [d]: segments and payload bytes from d */
	uint32_t next;              /* the next entry in its bucket's chain, or in the free list */
};

#define FT_NIL UINT32_MAX /* the end of a chain */

/* What the tracker raises: f is valid only during the call (a removed flow's entry is reused
 * afterwards). */
typedef void (*ft_event_fn)(void *arg, const struct flow *f, enum ft_event ev, uint64_t now_ns);

struct ft_stats {
	uint64_t packets;   /* TCP segments given to ft_packet() */
	uint64_t untracked; /* segments of no flow that could not open one (not a SYN) */
	uint64_t full;      /* SYNs that found the table full */
	uint64_t events[FT_EV_COUNT];
};

/* The flow table: capacity entries in one array, chained in n_buckets (= capacity) buckets;
 * unused entries form a free list through their next field. */
struct ft {
	struct flow *flows;
	uint32_t *bucket; /* the first entry of each chain, or FT_NIL */
	uint32_t capacity, mask, free_head, active;
	ft_event_fn cb;
	void *cb_arg;
	struct ft_stats st;
};

/* Given (ft_given.c). Sets up a table of capacity flows (a power of two, 2..2^24); returns 0,
 * or -1 (bad capacity, no memory). */
int ft_init(struct ft *ft, uint32_t capacity, ft_event_fn cb, void *cb_arg);
void ft_fini(struct ft *ft);
/* Given: the bucket of a key (a multiplicative hash of its bytes, & mask). */
uint32_t ft_hash(const struct ft *ft, const struct ft_key *k);
/* Given: finds the TCP segment in an Ethernet/IPv4 frame of len bytes; returns 0, or -1
 * (not IPv4 TCP, or truncated). */
int ft_parse(const void *frame, size_t len, uint64_t ts_ns, struct ft_pkt *p);
/* Given: raises ev for f (counts it, calls the callback). */
void ft_raise(struct ft *ft, const struct flow *f, enum ft_event ev, uint64_t now_ns);

/* Yours, task 1: fills k with p's canonical 5-tuple (TCP); returns 1 when p comes from the
 * key's lo end, 0 when from its hi end. */
int ft_key_make(const struct ft_pkt *p, struct ft_key *k);
/* Yours, task 2: the flow of key k, or NULL. */
struct flow *ft_lookup(struct ft *ft, const struct ft_key *k);
/* Yours, task 2: a new flow for k (no flow of k exists), zeroed but for key and next, linked
 * into k's bucket; NULL when the table is full. Counts ft->active. */
struct flow *ft_insert(struct ft *ft, const struct ft_key *k);
/* Yours, task 2: unlinks f from its bucket, marks it FT_FREE and puts it on the free list. */
void ft_remove(struct ft *ft, struct flow *f);
/* Yours, task 3: tracks one segment (the state machine above; counts and events). */
void ft_packet(struct ft *ft, const struct ft_pkt *p);
/* Yours, task 4: removes every flow idle longer than its state's timeout at now_ns, raising
 * FT_EV_TIMEOUT for each; returns how many. */
unsigned ft_expire(struct ft *ft, uint64_t now_ns);

/* --- traces (ft_given.c) ----------------------------------------------------------------- */

/* Builds an Ethernet/IPv4/TCP frame (valid checksums, payload_len bytes of payload) into buf
 * (at least 54 + payload_len bytes); host order; returns its length. */
size_t ft_frame_build(void *buf, uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint8_t flags, uint16_t payload_len);
/* Replays a pcap file through ft (libpcap): each TCP segment to ft_packet() at its capture
 * time, ft_expire() once per second of capture time, and at the end once more at the last
 * capture time + tail_ns. Returns the number of frames read, or -1 (cannot open: a message). */
long ft_replay(struct ft *ft, const char *path, uint64_t tail_ns);

#endif
