// SPDX-License-Identifier: MIT
/*
 * echo_conn.c: the life of one `tgen echo` connection, the same for every engine.
 *
 *   FREE --connect--> CONNECTING --established--> IDLE --begin--> BUSY --echo complete--> ...
 *
 * rr goes back to IDLE and, in a closed loop, begins its next transaction at once; crr closes
 * and opens the next connection; stream stays BUSY, and with --bytes half-closes once its share
 * is sent and is DONE when every byte came back and the server closed. Whatever goes wrong
 * (reset, refused, timeout, end of stream in the middle of a response, a wrong byte) is
 * counted by kind, the connection is aborted and the slot connects again a little later.
 *
 * Every byte sent comes from a fixed pseudo-random pattern at the connection's stream offset
 * (plus a per-connection seed), so the bytes that come back are checked against the pattern
 * at the offset received: a lost, duplicated or reordered segment shows as a wrong byte.
 */
#include <errno.h>
#include <string.h>

#include "echo_client.h"
#include "hist.h"
#include "lr.h"
#include "tsc.h"

#define RETRY_NS  (10ull * 1000 * 1000) /* a failed slot connects again this much later */
#define SEED_STEP 7919u                 /* seeds of successive connections (a prime) */

const uint8_t *ec_pattern_at(const struct ec_ctx *x, const struct ec_conn *c, uint64_t off)
{
	return x->pattern + (off + c->seed) % EC_PERIOD;
}

void ec_start_push(struct ec_ctx *x, struct ec_conn *c, uint64_t at_ns)
{
	ec_set_state(x, c, EC_FREE);
	c->start_at = at_ns;
	c->next = NULL;
	if (x->start_tail)
		x->start_tail->next = c;
	else
		x->start_head = c;
	x->start_tail = c;
}

/* Counts an error by kind. */
static void count_error(struct ec_ctx *x, int err)
{
	switch (-err) {
	case ECONNRESET:
	case EPIPE:
		x->n.resets++;
		break;
	case ETIMEDOUT:
		x->n.timeouts++;
		break;
	case ECONNREFUSED:
		x->n.refused++;
		break;
	case EADDRNOTAVAIL:
	case ENOSPC: /* the client's own connection table is full: its limit, as a port */
		x->n.no_port++;
		break;
	default:
		x->n.other++;
		break;
	}
}

/* Where a slot goes once its connection is over: reopened at once (crr, closed loop), handed
 * to the open-loop scheduler (crr, open loop), reopened after a pause (a failure), or done
 * (stream with --bytes, which is not restarted). */
static void slot_release(struct ec_ctx *x, struct ec_conn *c, bool failed)
{
	const struct ec_cfg *cfg = x->cfg;

	ec_set_state(x, c, EC_FREE);
	if (x->stopping)
		return; /* the run is over: nothing reopens */
	if (cfg->mode == EC_MODE_STREAM && cfg->bytes) {
		ec_set_state(x, c, EC_DONE);
		x->done++;
	} else if (cfg->mode == EC_MODE_CRR && cfg->tps > 0) {
		ec_ready_push(x, c);
	} else if (cfg->mode == EC_MODE_CRR && !failed) {
		ec_conn_start(x, c, x->now);
	} else {
		ec_start_push(x, c, x->now + (failed ? RETRY_NS : 0));
	}
}

/* Aborts c's connection (the error is already counted) and releases the slot. */
static void conn_fail_counted(struct ec_ctx *x, struct ec_conn *c)
{
	x->eng->close(x, c, true);
	slot_release(x, c, true);
}

static void conn_fail(struct ec_ctx *x, struct ec_conn *c, int err)
{
	count_error(x, err);
	conn_fail_counted(x, c);
}

bool ec_client_bound(bool crr, double connect_s, double idle_s, double window_s)
{
	if (window_s <= 0)
		return false;
	if (crr && connect_s >= EC_CLIENT_BOUND_SHARE * window_s)
		return true;
	return idle_s >= 0 && idle_s < EC_CLIENT_IDLE_MIN * window_s;
}

void ec_conn_start(struct ec_ctx *x, struct ec_conn *c, uint64_t due_ns)
{
	uint64_t t;
	int err;

	ec_set_state(x, c, EC_CONNECTING);
	c->sent = c->rcvd = c->goal = 0;
	c->shut = c->want_write = false;
	c->seed = x->next_seed;
	x->next_seed = (x->next_seed + SEED_STEP) % EC_PERIOD;
	c->t_conn = due_ns;
	c->t_progress = x->now;
	t = tsc_now_ns();
	err = x->eng->connect(x, c);
	x->connect_ns += tsc_now_ns() - t;
	if (err) {
		count_error(x, err);
		slot_release(x, c, true);
	}
}

/* Sends what the transaction still has to send; returns false when the connection failed. */
static bool pump_send(struct ec_ctx *x, struct ec_conn *c)
{
	while (c->sent < c->goal) {
		uint64_t left = c->goal - c->sent;
		size_t len = left < EC_CHUNK ? (size_t)left : EC_CHUNK;
		ssize_t n = x->eng->send(x, c, ec_pattern_at(x, c, c->sent), len);

		if (n == -EAGAIN) {
			if (!c->want_write)
				x->eng->want_write(x, c, true);
			c->want_write = true;
			return true;
		}
		if (unlikely(n < 0)) {
			conn_fail(x, c, (int)n);
			return false;
		}
		c->sent += (uint64_t)n;
		x->n.bytes_tx += x->stopping ? 0 : (uint64_t)n;
		c->t_progress = x->now;
	}
	if (c->want_write)
		x->eng->want_write(x, c, false);
	c->want_write = false;
	if (c->quota && !c->shut) {
		int err = x->eng->shutdown(x, c);

		c->shut = true;
		if (err) {
			conn_fail(x, c, err);
			return false;
		}
	}
	return true;
}

void ec_conn_begin(struct ec_ctx *x, struct ec_conn *c, uint64_t due_ns)
{
	ec_set_state(x, c, EC_BUSY);
	c->t_start = due_ns;
	c->t_progress = x->now;
	if (x->cfg->mode == EC_MODE_STREAM)
		c->goal = c->quota ? c->quota : UINT64_MAX;
	else
		c->goal = c->sent + (uint64_t)x->cfg->msg_size;
	x->n.started++;
	pump_send(x, c);
}

/* The echo of a whole request came back. */
static void transaction_done(struct ec_ctx *x, struct ec_conn *c)
{
	if (x->measuring && !x->stopping) {
		hist_record(x->lat, x->now - c->t_start);
		x->n.completed++;
	}
	if (x->cfg->mode == EC_MODE_CRR) {
		x->eng->close(x, c, false);
		slot_release(x, c, false);
		return;
	}
	ec_set_state(x, c, EC_IDLE);
	if (!x->measuring || x->stopping)
		return;
	if (x->cfg->tps > 0)
		ec_ready_push(x, c);
	else
		ec_conn_begin(x, c, x->now);
}

/* End of stream: the normal end of a stream after our FIN (with --bytes, or when the run is
 * over), a short read otherwise. */
static void on_eof(struct ec_ctx *x, struct ec_conn *c)
{
	if (c->shut && c->rcvd == c->sent && (x->stopping || c->sent == c->quota)) {
		x->eng->close(x, c, false);
		slot_release(x, c, false);
		return;
	}
	x->n.short_reads++;
	conn_fail_counted(x, c);
}

/* Reads and checks what came back; stops when nothing is left, when a transaction completed
 * or when the connection ended. */
static void pump_recv(struct ec_ctx *x, struct ec_conn *c)
{
	uint8_t buf[EC_CHUNK];

	for (;;) {
		ssize_t n = x->eng->recv(x, c, buf, sizeof(buf));

		if (n == -EAGAIN)
			return;
		if (n == 0) {
			on_eof(x, c);
			return;
		}
		if (unlikely(n < 0)) {
			conn_fail(x, c, (int)n);
			return;
		}
		if (unlikely(c->rcvd + (uint64_t)n > c->sent ||
			     memcmp(buf, ec_pattern_at(x, c, c->rcvd), (size_t)n))) {
			x->n.corrupt++;
			conn_fail_counted(x, c);
			return;
		}
		c->rcvd += (uint64_t)n;
		x->n.bytes_rx += x->stopping ? 0 : (uint64_t)n;
		c->t_progress = x->now;
		if (c->state == EC_BUSY && x->cfg->mode != EC_MODE_STREAM && c->rcvd == c->goal) {
			transaction_done(x, c);
			return;
		}
	}
}

static void on_connected(struct ec_ctx *x, struct ec_conn *c)
{
	if (x->stopping) { /* too late for a transaction: close it again */
		x->eng->close(x, c, false);
		ec_set_state(x, c, EC_FREE);
		return;
	}
	x->n.connects++;
	hist_record(x->conn_lat, x->now - c->t_progress);
	c->t_progress = x->now;
	ec_set_state(x, c, EC_IDLE);
	if (x->cfg->mode == EC_MODE_CRR)
		ec_conn_begin(x, c, c->t_conn);
	else if (x->measuring)
		ec_ready_push(x, c); /* the scheduler begins it */
}

void ec_conn_event(struct ec_ctx *x, struct ec_conn *c, unsigned events, int err)
{
	if (c->state == EC_FREE || c->state == EC_DONE)
		return; /* an event of a connection already given up */
	if (events & EC_EV_ERROR) {
		conn_fail(x, c, err ? err : -ECONNRESET);
		return;
	}
	if (events & EC_EV_CONNECTED) {
		if (c->state != EC_CONNECTING)
			return;
		on_connected(x, c);
	}
	if ((events & EC_EV_WRITABLE) && c->state == EC_BUSY && !pump_send(x, c))
		return;
	if ((events & EC_EV_READABLE) && (c->state == EC_BUSY || c->state == EC_IDLE))
		pump_recv(x, c);
}

void ec_conn_check(struct ec_ctx *x, struct ec_conn *c)
{
	if (c->state != EC_CONNECTING && c->state != EC_BUSY)
		return;
	if (x->now - c->t_progress > x->cfg->timeout_ns) {
		x->n.timeouts++;
		conn_fail_counted(x, c);
	}
}

void ec_conn_stop(struct ec_ctx *x, struct ec_conn *c)
{
	int err;

	if (x->cfg->mode != EC_MODE_STREAM || c->state != EC_BUSY || c->shut)
		return;
	c->goal = c->sent;
	c->shut = true;
	err = x->eng->shutdown(x, c);
	if (err)
		conn_fail(x, c, err);
}
