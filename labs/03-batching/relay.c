// SPDX-License-Identifier: MIT
/*
 * relay.c (lab 03): your batched relay. Read relay.h and relay_one() in relay_given.c first.
 */
#include <errno.h>

#include "relay.h"

int relay_batch(struct relay *r)
{
	/* TODO(lab-03) task 1: point r->msgs[i].msg_hdr at r->iov[i] and r->iov[i] at
	 * r->bufs[i] (RELAY_MAX_LEN) for i < r->batch; one recvmmsg(in_fd, msgs, batch,
	 * MSG_DONTWAIT, NULL); nothing waiting (EAGAIN) is 0, not an error.
	 * TODO(lab-03) task 2: for each datagram received, set its iov_len to the length that
	 * came (msg_len) and its msg_name to &r->to; send them all with sendmmsg() (it may take
	 * fewer: send the rest again). Count every system call and the bytes copied both ways
	 * in r->st, as relay_one() does (the reference: about 35 lines in all). */
	(void)r;
	return -ENOSYS;
}
