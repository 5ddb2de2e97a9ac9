/* SPDX-License-Identifier: MIT */
/*
 * echo.h: the TCP echo service (RFC 862), written once on the TCP stack's application API
 * (tcp.h). echo-afp and echo-dpdk differ only in the I/O under the stack; both call
 * echo_run() once per turn of their main loop, between tcp_poll() and tcp_output(), so the
 * echoed bytes leave in the same segments as the ACKs of the request.
 */
#ifndef LR_ECHO_H
#define LR_ECHO_H

#include <stdint.h>

#include "tcp/tcp.h"

#define ECHO_PORT 7

struct echo_stats {
	uint64_t accepted; /* connections accepted */
	uint64_t closed;   /* connections the peer closed cleanly (FIN) */
	uint64_t errors;   /* connections that ended in a reset or a timeout */
	uint64_t bytes;    /* bytes echoed */
};

/* Handles one event of an echo connection: echoes what it can (as much as the send buffer
 * takes; the rest waits for TCP_EV_WRITABLE), closes after the peer's FIN once everything
 * was echoed, releases reset connections. */
void echo_on_event(const struct tcp_event *ev, struct echo_stats *st);
/* Takes every pending event of s and handles it with echo_on_event(); returns how many. */
unsigned echo_run(struct tcp_stack *s, struct echo_stats *st);

#endif
