/* SPDX-License-Identifier: MIT */
/*
 * relay.h (lab 03): a UDP relay between two sockets, the core of fwd-sock: every datagram
 * that arrives on in_fd is sent on out_fd to `to`, payload unchanged. relay_one() does it one
 * datagram per system call (given); relay_batch() is yours: up to `batch` datagrams per
 * recvmmsg() and one sendmmsg() for what came. Both count what they cost in `st`.
 */
#ifndef LAB03_RELAY_H
#define LAB03_RELAY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define RELAY_MAX_BATCH 256
#define RELAY_MAX_LEN   2048

struct relay_stats {
	uint64_t pkts;     /* datagrams relayed (sent on) */
	uint64_t syscalls; /* every recv/send system call made, including ones that got nothing */
	uint64_t bytes_copied; /* bytes copied between kernel and user space, both ways */
};

struct relay {
	int in_fd, out_fd;     /* non-blocking UDP sockets */
	struct sockaddr_in to; /* where datagrams go on to */
	unsigned batch;        /* 1..RELAY_MAX_BATCH */
	struct relay_stats st;
	/* buffers for relay_batch(), set up by relay_init(): one per datagram of a batch */
	char (*bufs)[RELAY_MAX_LEN];
	struct iovec *iov;
	struct mmsghdr *msgs;
};

/* Allocates the buffers for batch datagrams; returns 0 or -1. */
int relay_init(struct relay *r, int in_fd, int out_fd, const struct sockaddr_in *to,
	       unsigned batch);
void relay_fini(struct relay *r);
/* One datagram: recv, then send; returns 1, 0 when nothing was waiting, or -errno. */
int relay_one(struct relay *r);
/* Task 1 and 2: up to r->batch datagrams: one recvmmsg(), one sendmmsg() for what came;
 * returns how many were relayed, 0 when nothing was waiting, or -errno. */
int relay_batch(struct relay *r);

#endif
