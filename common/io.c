// SPDX-License-Identifier: MIT
/*
 * io.c: the backend-independent parts of the frame-I/O interface (io.h): returning a mixed
 * set of buffers to their owners, the poll()-based wait every interrupt-driven workload sleeps
 * in, closing a port, and the names and sums of the kernel-boundary cost counters (struct
 * io_kcost). Backends live elsewhere (io_mem.c here, io_afp.c in kernel_baseline/, io_dpdk.c
 * in bypass/).
 */
#include "io.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

/* Ports io_wait() polls without a heap allocation; more than this costs one calloc. */
#define IO_WAIT_STACK_PORTS 16

void io_free(struct io_buf *bufs, unsigned n)
{
	unsigned i = 0;

	/* One call per run of buffers with the same owner: a forwarder frees whole bursts from
	 * one port, so this is normally a single call. */
	while (i < n) {
		struct io_port *owner = bufs[i].owner;
		unsigned j = i + 1;

		while (j < n && bufs[j].owner == owner)
			j++;
		if (owner)
			owner->ops->free(owner, bufs + i, j - i);
		i = j;
	}
}

/* Fills pfd from the ports' descriptors; returns how many ports have one. */
static unsigned fill_pollfds(struct pollfd *pfd, struct io_port *const *ports, unsigned n)
{
	unsigned with_fd = 0;

	for (unsigned i = 0; i < n; i++) {
		pfd[i].fd = ports[i] ? ports[i]->fd : -1; /* poll() skips negative descriptors */
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		if (pfd[i].fd >= 0)
			with_fd++;
	}
	return with_fd;
}

int io_wait(struct io_port *const *ports, unsigned n, int timeout_ms)
{
	struct pollfd stack_pfd[IO_WAIT_STACK_PORTS];
	struct pollfd *pfd = stack_pfd;
	int ret;

	if (n > IO_WAIT_STACK_PORTS) {
		pfd = calloc(n, sizeof(*pfd));
		if (!pfd)
			return -ENOMEM;
	}
	if (fill_pollfds(pfd, ports, n) == 0) {
		/* no descriptor: the backend's own sleep (DPDK RX interrupts), if it has one */
		ret = n && ports[0] && ports[0]->ops->wait
			      ? ports[0]->ops->wait(ports, n, timeout_ms)
			      : -EOPNOTSUPP;
		goto out;
	}
	ret = poll(pfd, n, timeout_ms);
	if (ret < 0)
		ret = -errno;
out:
	if (pfd != stack_pfd)
		free(pfd);
	return ret;
}

void io_close(struct io_port *p)
{
	if (p)
		p->ops->close(p);
}

const char *io_sys_name(enum io_sys kind)
{
	static const char *const names[IO_SYS_MAX] = {
		[IO_SYS_POLL] = "poll",         [IO_SYS_RECVMMSG] = "recvmmsg",
		[IO_SYS_SENDMMSG] = "sendmmsg", [IO_SYS_SENDTO] = "sendto",
		[IO_SYS_RECVFROM] = "recvfrom",
	};

	return (unsigned)kind < IO_SYS_MAX ? names[kind] : "unknown";
}

void io_kcost_add(struct io_kcost *a, const struct io_kcost *b)
{
	for (unsigned k = 0; k < IO_SYS_MAX; k++) {
		a->calls[k] += b->calls[k];
		a->idle_calls[k] += b->idle_calls[k];
	}
	a->copied_bytes += b->copied_bytes;
}

uint64_t io_kcost_calls(const struct io_kcost *k, bool idle)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < IO_SYS_MAX; i++)
		n += idle ? k->idle_calls[i] : k->calls[i];
	return n;
}
