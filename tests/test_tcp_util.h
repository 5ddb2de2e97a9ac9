/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_util.h: a fake peer and a fake clock for the TCP stack's unit tests. A t_env holds
 * one stack (198.18.0.10) and everything it sent; the tests play the peer (198.18.0.1) by
 * crafting frames with t_send(), move time with t_advance(), and read the stack's frames back
 * with t_next(), which checks both checksums of every frame it parses.
 */
#ifndef LR_TEST_TCP_UTIL_H
#define LR_TEST_TCP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "tcp/tcp.h"

#define T_SIP     0xc612000au /* the stack: 198.18.0.10 */
#define T_PIP     0xc6120001u /* the peer: 198.18.0.1 */
#define T_PORT    7
#define T_OUT_MAX 1024
#define T_T0      5000000000ull /* the clock starts at 5 s */
#define T_MS      1000000ull
#define T_SEC     1000000000ull

extern const uint8_t t_smac[PKT_ETH_ALEN], t_pmac[PKT_ETH_ALEN];

/* A frame the stack sent, parsed. */
struct t_seg {
	uint8_t dst_mac[PKT_ETH_ALEN];
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss; /* 0: no MSS option */
	const uint8_t *data;
	size_t len;
};

struct t_env {
	struct tcp_stack *s;
	struct tcp_cfg cfg;
	uint64_t now;
	unsigned nout, rd; /* frames captured, frames read */
	size_t out_len[T_OUT_MAX];
	uint8_t out[T_OUT_MAX][TCP_FRAME_MAX];
};

/* What the peer sends (t_send). Zero fields: seq 0, no data, window 65535 (wnd_zero for 0). */
struct t_pkt {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	bool wnd_zero;
	const uint8_t *opt;
	size_t opt_len;
	const void *data;
	size_t len;
};

/* The test configuration: our addresses, seed 42, 16 connections, 8 KB buffers. */
void t_cfg(struct tcp_cfg *cfg);
/* Makes an environment from cfg (NULL: t_cfg()) listening on T_PORT. */
struct t_env *t_env_new(const struct tcp_cfg *cfg);
void t_env_free(struct t_env *e);
/* Runs tcp_output into the capture; returns how many frames came. */
unsigned t_flush(struct t_env *e);
/* Drops every captured frame not read yet. */
void t_drain(struct t_env *e);
/* Moves the clock by ns, runs tcp_poll and t_flush; returns frames sent. */
unsigned t_advance(struct t_env *e, uint64_t ns);
/* Advances in 1 ms steps until the stack sends something or max_ns passed; returns the time
 * it waited (or UINT64_MAX when nothing came). */
uint64_t t_wait_frame(struct t_env *e, uint64_t max_ns);
/* Parses the next captured frame as TCP into seg (asserting checksums and lengths); returns
 * false when none is left. */
bool t_next(struct t_env *e, struct t_seg *seg);
/* Returns a pointer to the next captured frame (any kind) and its length, or NULL. */
const uint8_t *t_next_raw(struct t_env *e, size_t *len);
/* Asserts the next frame is a TCP segment with exactly these flags and returns it. */
struct t_seg t_expect(struct t_env *e, uint8_t flags);
/* Asserts no frame is waiting. */
void t_expect_none(struct t_env *e);
/* Parses a TCP frame (asserting its checksums). */
void t_parse(const uint8_t *frame, size_t len, struct t_seg *seg);

/* Builds the peer's TCP frame into buf (TCP_FRAME_MAX + 64 bytes); returns its length. */
size_t t_build(uint8_t *buf, const struct t_pkt *p);
/* Builds and feeds one peer frame to the stack at the current time; returns tcp_input's. */
int t_send(struct t_env *e, const struct t_pkt *p);
/* Feeds a raw frame; returns tcp_input's result. */
int t_inject(struct t_env *e, const void *frame, size_t len);
/* Lets the stack learn the peer's MAC (an ARP request from the peer) and drops the reply. */
void t_learn_peer(struct t_env *e);
/* Takes all pending events into ev (up to max); returns how many. */
unsigned t_events(struct t_env *e, struct tcp_event *ev, unsigned max);
/* Completes a passive open from peer port sport with peer ISN isn (MSS option peer_mss, none
 * when 0); returns the accepted connection and stores the stack's ISN in *iss. */
struct tcp_conn *t_open(struct t_env *e, uint16_t sport, uint32_t isn, uint16_t peer_mss,
			uint32_t *iss);
/* Writes a recognisable byte pattern: byte i of a stream is (i * 7 + seed) & 0xff. */
void t_pattern(uint8_t *buf, size_t len, size_t stream_off, unsigned seed);
/* Returns true when buf holds the pattern of t_pattern(). */
bool t_pattern_ok(const uint8_t *buf, size_t len, size_t stream_off, unsigned seed);

#endif
