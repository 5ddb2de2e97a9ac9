// SPDX-License-Identifier: MIT
/*
 * echo.c: the TCP echo service on the stack's API. Bytes go from the receive ring to the send
 * ring through a small buffer, never more than the send ring has room for, so nothing is
 * kept per connection outside the stack: when the send ring is full the bytes stay in the
 * receive ring, the advertised window shrinks, and the peer slows down (flow control does
 * the back-pressure).
 */
#include <errno.h>

#include "echo.h"

#define ECHO_CHUNK 4096

/* Echoes until the receive ring is empty or the send ring is full; closes at end of stream. */
static void echo_pump(struct tcp_conn *c, struct echo_stats *st)
{
	uint8_t buf[ECHO_CHUNK];

	for (;;) {
		size_t room = tcp_send_space(c);
		ssize_t n;

		if (room == 0 && tcp_recv_avail(c) > 0)
			return; /* TCP_EV_WRITABLE comes when the peer acknowledges */
		n = tcp_recv(c, buf, room < sizeof(buf) ? room : sizeof(buf));
		if (n == -EAGAIN)
			return;
		if (n == 0) {
			st->closed++;
			tcp_close(c); /* our FIN follows the echoed bytes */
			return;
		}
		if (n < 0) {
			st->errors++;
			tcp_close(c);
			return;
		}
		tcp_send(c, buf, (size_t)n); /* fits: we read no more than room */
		st->bytes += (uint64_t)n;
	}
}

void echo_on_event(const struct tcp_event *ev, struct echo_stats *st)
{
	if (ev->events & TCP_EV_ACCEPT)
		st->accepted++;
	if (ev->events & TCP_EV_CLOSED) {
		if (ev->err)
			st->errors++;
		tcp_close(ev->conn);
		return;
	}
	if (ev->events & (TCP_EV_READABLE | TCP_EV_WRITABLE))
		echo_pump(ev->conn, st);
}

unsigned echo_run(struct tcp_stack *s, struct echo_stats *st)
{
	struct tcp_event ev[64];
	unsigned n, total = 0;

	while ((n = tcp_events(s, ev, 64)) > 0) {
		for (unsigned i = 0; i < n; i++)
			echo_on_event(&ev[i], st);
		total += n;
	}
	return total;
}
