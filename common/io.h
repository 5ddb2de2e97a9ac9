/* SPDX-License-Identifier: MIT */
/*
 * io.h: the frame-I/O interface. Workloads (forwarding, the TCP stack, the generator's frame
 * engines) are written once against it; each backend (AF_PACKET in kernel_baseline/, DPDK in
 * bypass/) supplies one ops table. Everything is called per burst, never per packet, and no
 * backend copies a frame it can hand over as it is: a DPDK frame stays in its mbuf from
 * rx_burst to tx_burst. Burst calls return how many frames they handled (DPDK's rule).
 *
 * Ownership: rx_burst and alloc hand buffers to the caller; tx_burst takes back the first k of
 * the n it is given (k is its result) and the caller still owns the rest, to retry or free.
 * A buffer received on one port may be sent on another: a backend that cannot transmit a
 * foreign buffer in place copies it and releases the original through its owner.
 */
#ifndef LR_IO_H
#define LR_IO_H

#include <stdbool.h>
#include <stdint.h>

#define IO_BURST_MAX 512

struct io_port;

/* One frame: Ethernet header first, FCS not included. */
struct io_buf {
	uint8_t *data;
	uint32_t len;
	struct io_port *owner; /* the port whose memory holds the frame */
	void *handle;          /* the backend's own handle (rte_mbuf *, ring slot, ...) */
};

/* The system calls a data path makes, by kind: the index of struct io_kcost's arrays. */
enum io_sys {
	IO_SYS_POLL,     /* poll(): sleeping until input comes (io_wait) */
	IO_SYS_RECVMMSG, /* recvmmsg(): a vector of received datagrams or frames */
	IO_SYS_SENDMMSG, /* sendmmsg(): a vector of datagrams or frames to send */
	IO_SYS_SENDTO,   /* sendto(): the kick that makes the kernel send an AF_PACKET TX ring */
	IO_SYS_RECVFROM, /* recvfrom(): the kick that asks the kernel to fill an AF_XDP RX ring */
	IO_SYS_MAX
};

/* What a data path costs at the kernel boundary, counted by the program itself. A call
 * "moved" frames when it received or sent at least one; the others (poll, a receive that found
 * nothing or timed out, a send the kernel refused for now) are idle calls, whose number depends
 * on how long the program waited rather than on the frames. */
struct io_kcost {
	uint64_t calls[IO_SYS_MAX];      /* system calls that moved at least one frame, by kind */
	uint64_t idle_calls[IO_SYS_MAX]; /* system calls that moved none, by kind */
	/* Frame bytes copied by the program's own code (memcpy into a TX ring slot) plus the
	 * bytes it passed to or from the kernel through a copying call (sendmmsg, recvmmsg: the
	 * kernel's copy across the user boundary). A zero-copy RX ring adds 0. */
	uint64_t copied_bytes;
};

/* Counters a backend keeps or reads from below (the kernel, the PMD). UINT64_MAX = unknown. */
struct io_stats {
	uint64_t rx_pkts, tx_pkts;
	uint64_t rx_dropped; /* lost before the program saw them (ring full, tp_drops, imissed) */
	uint64_t rx_errors;  /* ierrors */
	uint64_t tx_errors;  /* oerrors, failed sends */
	int link_down;       /* 1: the link is down now (a memif peer left), 0: up, -1: unknown */
	/* The port's own data-path system calls and copies (poll() in io_wait() is not the
	 * port's: its caller counts it); all 0 for backends that make none (mem, dpdk). */
	struct io_kcost kcost;
};

struct io_ops {
	const char *name; /* "afp", "dpdk", "mem" */
	/* Receives up to n frames into bufs; returns how many. */
	unsigned (*rx_burst)(struct io_port *p, struct io_buf *bufs, unsigned n);
	/* Transmits up to n frames; returns k, the number taken (bufs[0..k) now belong to p). */
	unsigned (*tx_burst)(struct io_port *p, struct io_buf *bufs, unsigned n);
	/* Gets up to n empty transmit buffers of the port's maximum frame size; returns how many. */
	unsigned (*alloc)(struct io_port *p, struct io_buf *bufs, unsigned n);
	/* Returns n buffers owned by p (received or allocated, not sent) to it. */
	void (*free)(struct io_port *p, struct io_buf *bufs, unsigned n);
	/* Pushes out frames queued by tx_burst (for backends that batch kicks); may be NULL. */
	void (*flush)(struct io_port *p);
	/* Reads the port's counters; returns 0 or -errno. */
	int (*stats)(struct io_port *p, struct io_stats *s);
	/* Closes the port and frees it. */
	void (*close)(struct io_port *p);
	/* For ports without a descriptor (fd -1) that can still sleep (DPDK RX interrupts):
	 * sleeps until one of ports (all of this backend) may have frames or timeout_ms passes;
	 * returns as io_wait() does, -EOPNOTSUPP when they can only be polled. May be NULL. */
	int (*wait)(struct io_port *const *ports, unsigned n, int timeout_ms);
};

struct io_port {
	const struct io_ops *ops;
	char name[32]; /* interface or device name, for messages */
	int fd; /* a descriptor poll() can wait on for received frames, or -1 (polling only) */
	uint32_t max_frame;
};

static inline unsigned io_rx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	return p->ops->rx_burst(p, bufs, n);
}

static inline unsigned io_tx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	return p->ops->tx_burst(p, bufs, n);
}

static inline unsigned io_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	return p->ops->alloc(p, bufs, n);
}

static inline void io_flush(struct io_port *p)
{
	if (p->ops->flush)
		p->ops->flush(p);
}

/* Returns each buffer to its owner (buffers may come from different ports). */
void io_free(struct io_buf *bufs, unsigned n);
/* Sleeps in poll() until one of the ports has frames or timeout_ms passes (-1: forever);
 * returns the number of ready ports, 0 on timeout, -EINTR when a signal came, -EOPNOTSUPP when
 * no port has a descriptor (ports without one sleep in their ops->wait when they have it). This is the "interrupt-driven" wait: the thread sleeps until the
 * softirq that queues the frame wakes it. */
int io_wait(struct io_port *const *ports, unsigned n, int timeout_ms);
/* Closes a port (NULL is fine). */
void io_close(struct io_port *p);
/* Returns the name of a system call kind ("poll", "recvmmsg", "sendmmsg", "sendto",
 * "recvfrom"). */
const char *io_sys_name(enum io_sys kind);
/* Adds every count of b to a. */
void io_kcost_add(struct io_kcost *a, const struct io_kcost *b);
/* Returns the calls of k that moved frames (idle false) or moved none (idle true), all kinds. */
uint64_t io_kcost_calls(const struct io_kcost *k, bool idle);

#endif
