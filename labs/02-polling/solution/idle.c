// SPDX-License-Identifier: MIT
/* idle.c (lab 02), the reference solution. */
#include <errno.h>
#include <poll.h>

#include "idle.h"

static int block(struct idle *s, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	s->sleeps++;
	if (poll(&p, 1, s->timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

int idle_wait(struct idle *s, int fd)
{
	switch (s->mode) {
	case IDLE_BLOCK:
		return block(s, fd);
	case IDLE_SPIN:
		s->spins++;
		return 0;
	case IDLE_HYBRID:
		if (++s->empty < s->spin_rounds) {
			s->spins++;
			return 0;
		}
		s->empty = 0;
		return block(s, fd);
	}
	return -EINVAL;
}

void idle_busy(struct idle *s)
{
	s->empty = 0;
}
