/* SPDX-License-Identifier: MIT */
/*
 * io_mem.h: an in-memory io.h backend: two ports joined like the ends of a cable, for unit
 * tests of workloads and for benchmarks that must not depend on the kernel's timing. No
 * descriptor (fd = -1: io_wait() says -EOPNOTSUPP), no syscalls, no malloc per frame.
 *
 * Memory: each port owns a pool of 2 * nframes buffers of max_frame bytes (enough to fill
 * the queue toward its peer and still hold as many again). A buffer returns to the pool it
 * came from whichever port of the pair frees it. Frames received on a port are owned by that
 * port (io_buf.owner), so io_free() on them works as for any backend.
 *
 * Queues: one bounded FIFO of nframes frames per direction. tx_burst takes every frame it is
 * given (it returns fewer only when it must copy a foreign buffer and its pool is empty); a
 * frame that finds the queue toward the peer full is dropped and counted in the PEER's
 * rx_dropped, as a NIC counts a full receive ring. Frames of length 0 or above max_frame are
 * taken, dropped and counted in the sender's tx_errors. Buffers of either port of the pair
 * are sent in place; buffers of other ports are copied and released with io_free().
 *
 * Threads: a pair is single-threaded; both ports must be used from one thread at a time.
 */
#ifndef LR_IO_MEM_H
#define LR_IO_MEM_H

#include <stdint.h>

#include "io.h"

/* Creates two joined ports with queues of nframes (>= 1) frames of up to max_frame (>= 1)
 * bytes; returns 0, -EINVAL or -ENOMEM. Close both with io_close(); the memory goes with the
 * second. */
int io_mem_pair(struct io_port **a, struct io_port **b, unsigned nframes, uint32_t max_frame);
/* Queues a copy of len bytes at frame for p to receive, as if its peer had sent it (the
 * buffer comes from the peer's pool); returns 0, -EINVAL (not a mem port), -EMSGSIZE (len 0
 * or above max_frame), -ENOBUFS (peer's pool empty) or -ENOSPC (queue full; nothing counted). */
int io_mem_inject(struct io_port *p, const void *frame, uint32_t len);
/* Removes the oldest frame p sent that its peer has not received yet and copies it to out;
 * returns its length, -EAGAIN when there is none, -EINVAL (not a mem port) or -EMSGSIZE
 * (cap too small; the frame stays queued). */
int io_mem_take(struct io_port *p, void *out, uint32_t cap);

#endif
