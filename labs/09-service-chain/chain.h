/* SPDX-License-Identifier: MIT */
/*
 * chain.h (lab 09): a service chain in the manner of OpenNetVM. Network functions (NFs) each
 * run as one stage; stages hand frames on through single-producer single-consumer rings
 * (common/ring.h, the lock-free kind). The source puts frames into the first ring, the sink
 * takes them from the last; a frame an NF drops by rule goes back to the source through that
 * stage's drop ring, so every frame sent comes back exactly once: passed or dropped.
 *
 *   source -> link[0] -> stage 0 -> link[1] -> stage 1 -> ... -> link[n] -> sink (= source)
 *                           \-> drop[0]          \-> drop[1]               (-> source)
 *
 * The NFs (nf_given.c): a firewall with a first-match rule table, a counter, and a NAT-like
 * rewriter of the source address and port (nat.c: yours) that fixes the IPv4 and TCP/UDP
 * checksums incrementally.
 */
#ifndef LAB09_CHAIN_H
#define LAB09_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

#define CHAIN_FRAME_CAP  128 /* bytes of frame data, enough for the lab's frames */
#define CHAIN_BURST      32  /* frames a stage takes from its ring at once */
#define CHAIN_MAX_STAGES 4

/* A frame as it travels the chain (a pointer to it is what the rings carry). */
struct lab_frame {
	uint64_t id;  /* the source's sequence number */
	uint16_t len; /* bytes used in data */
	uint8_t data[CHAIN_FRAME_CAP];
};

enum nf_verdict {
	NF_PASS,
	NF_DROP
};

/* A network function: every NF's state begins with this (OpenNetVM's packet handler). */
struct nf {
	const char *name;
	/* Looks at (and may rewrite) one frame; returns what becomes of it. */
	enum nf_verdict (*handle)(struct nf *nf, struct lab_frame *f);
};

/* --- the NFs ----------------------------------------------------------------------------- */

/* A firewall rule: addresses and masks in host order; proto 0 matches any protocol; dport_lo..
 * dport_hi (host order) applies to TCP and UDP only (0..65535 for any). */
struct fw_rule {
	uint32_t src, src_mask, dst, dst_mask;
	uint8_t proto;
	uint16_t dport_lo, dport_hi;
	enum nf_verdict action;
};

#define FW_MAX_RULES 64
struct fw {
	struct nf nf;
	const struct fw_rule *rules;
	unsigned n_rules;
	enum nf_verdict dflt;            /* when no rule matches (and for non-IPv4 frames) */
	uint64_t hits[FW_MAX_RULES + 1]; /* per rule; [n_rules] counts the default */
};
/* Sets up a firewall over n rules (n <= FW_MAX_RULES; the rules are not copied). */
void fw_init(struct fw *fw, const struct fw_rule *rules, unsigned n, enum nf_verdict dflt);

struct counter {
	struct nf nf;
	uint64_t frames, bytes, tcp, udp, other;
};
void counter_init(struct counter *c, const char *name);

/* The NAT-like rewriter: a frame from inside (saddr & inside_mask == inside) leaves with
 * saddr = public_ip and its source port mapped by nat_port(). Host order. */
struct nat {
	struct nf nf;
	uint32_t inside, inside_mask, public_ip;
	uint16_t port_base;
	uint64_t rewritten;
};
void nat_init(struct nat *n, uint32_t inside, uint32_t inside_mask, uint32_t public_ip,
	      uint16_t port_base);

/* The port a private (saddr, sport) leaves with (host order): port_base plus the host part of
 * the address (its low 8 bits) and the low 6 bits of the port. */
static inline uint16_t nat_port(const struct nat *n, uint32_t saddr, uint16_t sport)
{
	return (uint16_t)(n->port_base +
			  (((saddr & ~n->inside_mask & 0xff) << 6) | (sport & 0x3f)));
}

/* Yours, tasks 1 and 2: rewrites the frame of len bytes at frame when it is an IPv4 TCP or UDP
 * frame from inside: saddr and source port as above, and the IPv4 header checksum and the
 * TCP/UDP checksum updated incrementally (RFC 1624), never summed again. A UDP checksum of 0
 * (none) stays 0. Returns 1 when it rewrote the frame, 0 when it left it alone (not IPv4, not
 * TCP or UDP, not from inside, or too short to hold the headers). */
int nat_rewrite(const struct nat *n, uint8_t *frame, size_t len);
/* The NAT's handler (nat.c, given): nat_rewrite and count; it never drops. */
enum nf_verdict nat_handle(struct nf *nf, struct lab_frame *f);

/* --- the chain --------------------------------------------------------------------------- */

/* One stage: its NF and its rings. Only the stage's own thread touches the fields below. */
struct stage {
	struct nf *nf;
	struct ring *in, *out, *drop;
	uint64_t in_frames, passed, dropped; /* frames taken from in; given to out; to drop */
	/* frames handled but not yet enqueued (their ring was full), oldest first */
	struct lab_frame *pass_q[CHAIN_BURST], *drop_q[CHAIN_BURST];
	unsigned n_pass, n_drop;
} __attribute__((aligned(64)));

struct chain {
	unsigned n; /* stages */
	struct stage st[CHAIN_MAX_STAGES];
	struct ring *link[CHAIN_MAX_STAGES + 1]; /* link[i] feeds stage i; link[n] is the sink */
	struct ring *drop[CHAIN_MAX_STAGES];     /* stage i's dropped frames, to the source */
};

/* Yours, task 3: wires n stages (1..CHAIN_MAX_STAGES) running nfs[0..n-1], in that order,
 * with lock-free rings of ring_size slots as drawn above; returns 0, or -1 (bad n or
 * ring_size, or no memory: nothing left allocated). */
int chain_init(struct chain *c, struct nf *const *nfs, unsigned n, unsigned ring_size);
/* Frees the rings of a chain chain_init set up (given, in chain_given.c). */
void chain_fini(struct chain *c);
/* Yours, task 3: one round of a stage: first whatever its queues still hold (a full ring);
 * only when they are empty, up to CHAIN_BURST frames from s->in, each handed to the NF and
 * queued for s->out or s->drop by its verdict, then enqueued. Never loses a frame, never
 * reorders one. Returns the number of frames it took from s->in. */
unsigned chain_stage_poll(struct stage *s);

/* --- running it (chain_given.c) ------------------------------------------------------------ */

enum chain_mode {
	CHAIN_ONE_THREAD, /* the caller's thread runs the source, every stage in turn, the sink */
	CHAIN_THREADS     /* one thread per stage, pinned to the cores in turn after the source */
};

/* What the source puts in frame number i (called on the source's thread). */
typedef void (*chain_make_fn)(struct lab_frame *f, uint64_t i, void *arg);
/* What the sink does with a frame that passed the whole chain. */
typedef void (*chain_sink_fn)(const struct lab_frame *f, void *arg);

#define CHAIN_LAPS 64

struct chain_result {
	uint64_t sent, passed, dropped;
	uint64_t cycles; /* TSC cycles from the first frame sent to the last one back */
	/* the same cycles in CHAIN_LAPS laps, lap k ending when (k + 1) / CHAIN_LAPS of the
	 * frames are back: one core runs the same work in every lap of every run, so the best
	 * of each lap over several runs leaves out the laps another process interrupted */
	uint64_t lap[CHAIN_LAPS];
	int out_of_order; /* passed frames that came out of id order */
};

/* Sends `frames` frames (made by make) through c and takes every one back; returns 0, or -1
 * when nothing moved for 2 s (a stage lost or kept frames: the counts tell where). */
int chain_run(struct chain *c, enum chain_mode mode, uint64_t frames, chain_make_fn make,
	      chain_sink_fn sink, void *arg, struct chain_result *r);

/* Builds a TCP (proto 6) or UDP (17) IPv4 frame with valid checksums and payload_len bytes of
 * payload (a pattern from id) into f; addresses and ports in host order. */
void lab_frame_build(struct lab_frame *f, uint8_t proto, uint32_t saddr, uint32_t daddr,
		     uint16_t sport, uint16_t dport, unsigned payload_len, uint64_t id);

#endif
