// SPDX-License-Identifier: MIT
/*
 * idle.c (lab 02): your idle strategies. Read idle.h first; `make check` grades them,
 * `make perf` measures latency and CPU vs load for each.
 */
#include <errno.h>
#include <poll.h>

#include "idle.h"

int idle_wait(struct idle *s, int fd)
{
	/* TODO(lab-02) task 1: IDLE_BLOCK: poll() fd for POLLIN for at most s->timeout_ms and
	 * count the sleep in s->sleeps (EINTR is not an error).
	 * TODO(lab-02) task 2: IDLE_SPIN: return at once, counting s->spins.
	 * TODO(lab-02) task 3: IDLE_HYBRID: spin (as task 2) while fewer than s->spin_rounds
	 * empty rounds came in a row, then block (as task 1) and start counting again (the
	 * reference: about 25 lines in all). */
	(void)s;
	(void)fd;
	return -ENOSYS;
}

void idle_busy(struct idle *s)
{
	/* TODO(lab-02) task 3: a round moved something: the hybrid's run of empty rounds ends
	 * (the reference: 1 line). */
	(void)s;
}
