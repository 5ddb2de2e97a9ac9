/* SPDX-License-Identifier: MIT */
/*
 * utcp.h (lab 08, given): the lab's small TCP endpoint. It handshakes (SYN, SYN-ACK, ACK),
 * sends a byte stream in segments of up to UTCP_MSS within the peer's window, acknowledges
 * every segment with data, and resends from the oldest unacknowledged byte when its one timer
 * expires. No FIN, no RST, no options, no congestion control: what is left is what this lab
 * is about. Segments are structs, not frames: the lab's link (echo.h) carries them in memory,
 * so everything runs in one process, offline, on a simulated clock.
 *
 * It calls your parts (parts.h): the sequence comparisons everywhere, rsm_add() for every
 * segment with data, the rto_*() functions for the retransmission timer.
 */
#ifndef LAB08_UTCP_H
#define LAB08_UTCP_H

#include <stdbool.h>
#include <stdint.h>

#include "parts.h"

#define UTCP_MSS         1000
#define UTCP_SND_CAP     16384          /* send buffer, bytes */
#define UTCP_RTO_INIT    1000000000ull  /* RFC 6298 2.1: 1 s before any sample */
#define UTCP_RTO_MIN     20000000ull    /* 20 ms: the lab's link has ms delays (Linux: 200 ms) */
#define UTCP_RTO_MAX     60000000000ull /* RFC 6298 2.5: 60 s */
#define UTCP_RTO_G       1000000ull     /* clock granularity G: 1 ms */
#define UTCP_MAX_RETRIES 12             /* timeouts in a row before giving up */

/* Flags, with TCP's bit values. */
#define UTCP_SYN 0x02
#define UTCP_ACK 0x10

struct useg {
	uint32_t seq, ack;
	uint16_t wnd;
	uint8_t flags;
	uint16_t len; /* data bytes */
	uint8_t data[UTCP_MSS];
};

enum utcp_state {
	UTCP_CLOSED,
	UTCP_LISTEN,
	UTCP_SYN_SENT,
	UTCP_SYN_RCVD,
	UTCP_ESTABLISHED,
};

struct utcp_stats {
	uint64_t segs_in, segs_out, data_segs_out;
	uint64_t rexmit_segs;  /* segments sent again (after a timeout) */
	uint64_t timeouts;     /* retransmission timer expiries */
	uint64_t unacceptable; /* segments with data outside the receive window (re-ACKed) */
	uint64_t bytes_in;     /* bytes that came in order (what rsm_add() returned, summed) */
};

struct utcp {
	enum utcp_state state;
	int err; /* -ETIMEDOUT once given up */
	uint32_t iss, irs;
	/* send side: sndbuf holds snd_len bytes from snd_una on, starting at sndbuf[snd_head] */
	uint32_t snd_una, snd_nxt, snd_max, snd_wnd;
	uint32_t snd_head, snd_len;
	unsigned quota; /* segments that may be resent before the next ACK (after a timeout) */
	bool ack_now;
	uint64_t deadline; /* retransmission timer, 0: stopped */
	unsigned retries;
	struct rto rto;
	struct rsm rcv;
	struct utcp_stats st;
	uint8_t sndbuf[UTCP_SND_CAP];
};

/* An endpoint with initial sequence number iss, closed. */
void utcp_init(struct utcp *u, uint32_t iss);
/* Waits for a SYN. */
void utcp_listen(struct utcp *u);
/* Opens: the SYN leaves with the next utcp_output(). */
void utcp_connect(struct utcp *u);
/* Processes one segment that arrived at time now. */
void utcp_input(struct utcp *u, const struct useg *s, uint64_t now);
/* Builds up to max segments to send at time now into out; returns how many. */
unsigned utcp_output(struct utcp *u, uint64_t now, struct useg *out, unsigned max);
/* Runs the retransmission timer: call it at (or after) utcp_deadline(). */
void utcp_tick(struct utcp *u, uint64_t now);
/* When utcp_tick() has work next (0: no timer armed). */
uint64_t utcp_deadline(const struct utcp *u);
/* Queues up to len bytes to send; returns how many fitted (0 before ESTABLISHED). */
uint32_t utcp_send(struct utcp *u, const void *data, uint32_t len);
/* Reads up to len bytes that arrived in order; returns how many. */
uint32_t utcp_recv(struct utcp *u, void *buf, uint32_t len);

#endif
