// SPDX-License-Identifier: MIT
/* relay_given.c (lab 03, given): setting up the relay, and the one-at-a-time version. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"

int relay_init(struct relay *r, int in_fd, int out_fd, const struct sockaddr_in *to, unsigned batch)
{
	memset(r, 0, sizeof(*r));
	if (batch < 1 || batch > RELAY_MAX_BATCH)
		return -1;
	r->in_fd = in_fd;
	r->out_fd = out_fd;
	r->to = *to;
	r->batch = batch;
	r->bufs = calloc(batch, sizeof(*r->bufs));
	r->iov = calloc(batch, sizeof(*r->iov));
	r->msgs = calloc(batch, sizeof(*r->msgs));
	if (!r->bufs || !r->iov || !r->msgs) {
		relay_fini(r);
		return -1;
	}
	return 0;
}

void relay_fini(struct relay *r)
{
	free(r->bufs);
	free(r->iov);
	free(r->msgs);
	r->bufs = NULL;
	r->iov = NULL;
	r->msgs = NULL;
}

/* The one-datagram-per-call relay. 8< */
int relay_one(struct relay *r)
{
	char buf[RELAY_MAX_LEN];
	ssize_t n = recv(r->in_fd, buf, sizeof(buf), MSG_DONTWAIT);

	r->st.syscalls++;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	r->st.bytes_copied += (uint64_t)n;
	r->st.syscalls++;
	if (sendto(r->out_fd, buf, (size_t)n, 0, (const struct sockaddr *)&r->to, sizeof(r->to)) <
	    0)
		return -errno;
	r->st.bytes_copied += (uint64_t)n;
	r->st.pkts++;
	return 1;
}
/* >8 End of the one-datagram-per-call relay. */
