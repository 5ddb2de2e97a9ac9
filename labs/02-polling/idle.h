/* SPDX-License-Identifier: MIT */
/*
 * idle.h (lab 02): what a forwarder's loop does when a round found nothing to do. Three
 * strategies: block in poll() until the socket is readable (the interrupt-driven kernel
 * paths: fwd-sock, fwd-afp), spin and look again at once (DPDK's polling), or a hybrid that
 * spins for a number of empty rounds and then blocks (the idea of NAPI's busy polling and of
 * DPDK's power-management examples). The loop calls idle_wait() after an empty round and
 * idle_busy() after a round that moved something.
 */
#ifndef LAB02_IDLE_H
#define LAB02_IDLE_H

#include <stdint.h>

enum idle_mode {
	IDLE_BLOCK,
	IDLE_SPIN,
	IDLE_HYBRID
};

struct idle {
	enum idle_mode mode;
	unsigned spin_rounds; /* hybrid: empty rounds spun before blocking (>= 1) */
	int timeout_ms;       /* longest poll() sleep, so the loop can see its stop flag */
	unsigned empty;       /* empty rounds in a row (hybrid) */
	uint64_t sleeps;      /* poll() calls made to sleep */
	uint64_t spins;       /* empty rounds that returned at once without sleeping */
};

/* Task 1-3: after an empty round: wait as the mode says for fd to become readable; returns 0,
 * or -errno if poll() failed. */
int idle_wait(struct idle *s, int fd);
/* Task 3: after a round that moved something. */
void idle_busy(struct idle *s);

#endif
