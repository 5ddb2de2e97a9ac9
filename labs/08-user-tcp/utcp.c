// SPDX-License-Identifier: MIT
/*
 * utcp.c (lab 08, given): the lab's small TCP endpoint (utcp.h). Read it to see where your
 * parts are called: seq_*() in ack_input() and in the window check of utcp_input(),
 * rsm_add() in utcp_input(), rto_*() in ack_input(), send_data() and utcp_tick().
 */
#include <errno.h>
#include <string.h>

#include "utcp.h"

void utcp_init(struct utcp *u, uint32_t iss)
{
	memset(u, 0, sizeof(*u));
	u->iss = iss;
	u->snd_una = u->snd_nxt = u->snd_max = iss;
	rto_init(&u->rto, UTCP_RTO_INIT, UTCP_RTO_MIN, UTCP_RTO_MAX, UTCP_RTO_G);
}

void utcp_listen(struct utcp *u)
{
	u->state = UTCP_LISTEN;
}

void utcp_connect(struct utcp *u)
{
	u->state = UTCP_SYN_SENT;
}

uint64_t utcp_deadline(const struct utcp *u)
{
	return u->deadline;
}

/* The segment acknowledges our SYN: both ways are open. */
static void established(struct utcp *u, uint64_t now)
{
	u->state = UTCP_ESTABLISHED;
	u->snd_una = u->snd_nxt = u->snd_max = u->iss + 1;
	rto_on_ack(&u->rto, u->iss + 1, now);
	u->deadline = 0;
	u->retries = 0;
}

/* The ACK field of an established connection's segment (RFC 9293 3.10.7.4 fifth). */
/* ack_input. 8< */
static void ack_input(struct utcp *u, const struct useg *s, uint64_t now)
{
	uint32_t acked;

	if (seq_gt(s->ack, u->snd_max)) {
		u->ack_now = true; /* acknowledges what we never sent */
		return;
	}
	if (seq_lt(s->ack, u->snd_una))
		return; /* old (the link reorders): nothing new, not even its window */
	u->snd_wnd = s->wnd;
	if (s->ack == u->snd_una)
		return; /* a duplicate */
	acked = s->ack - u->snd_una;
	u->snd_head = (u->snd_head + acked) % UTCP_SND_CAP;
	u->snd_len -= acked;
	u->snd_una = s->ack;
	if (seq_lt(u->snd_nxt, u->snd_una))
		u->snd_nxt = u->snd_una; /* the peer had more than we resent so far */
	if (seq_lt(u->snd_nxt, u->snd_max))
		u->quota += 2; /* resending after a timeout: open up again, as slow start would */
	rto_on_ack(&u->rto, s->ack, now);
	u->retries = 0;
	/* RFC 6298 5.2 and 5.3: stop the timer when all is acknowledged, else restart it */
	u->deadline = u->snd_una == u->snd_max ? 0 : now + u->rto.rto;
}
/* >8 End of ack_input. */

/* A segment of a connection past LISTEN and SYN_SENT. */
static void conn_input(struct utcp *u, const struct useg *s, uint64_t now)
{
	if (s->flags & UTCP_SYN) {
		if (u->state == UTCP_SYN_RCVD && s->seq == u->irs)
			u->snd_nxt = u->iss; /* the peer resent its SYN: our SYN-ACK again */
		else
			u->ack_now = true;
		return;
	}
	/* RFC 9293 3.10.7.4 first: data must fall (at least partly) in the receive window; an
	 * old duplicate gets an ACK that tells the peer where we are. (The lab does not check
	 * the sequence number of a segment without data.) */
	if (s->len && !seq_in_window(s->seq, u->rcv.nxt, rsm_window(&u->rcv)) &&
	    !seq_in_window(s->seq + s->len - 1, u->rcv.nxt, rsm_window(&u->rcv))) {
		u->st.unacceptable++;
		u->ack_now = true;
		return;
	}
	if (!(s->flags & UTCP_ACK))
		return;
	if (u->state == UTCP_SYN_RCVD) {
		if (s->ack != u->iss + 1)
			return;
		established(u, now);
	}
	ack_input(u, s, now);
	if (s->len) {
		u->st.bytes_in += rsm_add(&u->rcv, s->seq, s->data, s->len);
		u->ack_now = true; /* every segment with data is acknowledged at once */
	}
}

void utcp_input(struct utcp *u, const struct useg *s, uint64_t now)
{
	u->st.segs_in++;
	switch (u->state) {
	case UTCP_CLOSED:
		break;
	case UTCP_LISTEN:
		if (!(s->flags & UTCP_SYN) || (s->flags & UTCP_ACK))
			break;
		u->irs = s->seq;
		rsm_init(&u->rcv, s->seq + 1);
		u->snd_wnd = s->wnd;
		u->state = UTCP_SYN_RCVD;
		break;
	case UTCP_SYN_SENT:
		if ((s->flags & (UTCP_SYN | UTCP_ACK)) != (UTCP_SYN | UTCP_ACK) ||
		    s->ack != u->iss + 1)
			break;
		u->irs = s->seq;
		rsm_init(&u->rcv, s->seq + 1);
		established(u, now);
		u->snd_wnd = s->wnd;
		u->ack_now = true;
		break;
	case UTCP_SYN_RCVD:
	case UTCP_ESTABLISHED:
		conn_input(u, s, now);
		break;
	}
}

static void arm(struct utcp *u, uint64_t now)
{
	if (!u->deadline)
		u->deadline = now + u->rto.rto;
}

static struct useg *new_seg(struct utcp *u, struct useg *out, uint32_t seq, uint8_t flags)
{
	out->seq = seq;
	out->flags = flags;
	out->len = 0;
	out->ack = flags & UTCP_ACK ? u->rcv.nxt : 0;
	out->wnd = (uint16_t)(u->state == UTCP_SYN_SENT ? RSM_CAP : rsm_window(&u->rcv));
	u->st.segs_out++;
	u->ack_now = false;
	return out;
}

/* One data segment from snd_nxt, if the window, the data and the resend quota allow. */
static bool send_data(struct utcp *u, uint64_t now, struct useg *out)
{
	uint32_t edge = u->snd_una + u->snd_wnd, off = u->snd_nxt - u->snd_una;
	uint32_t n = u->snd_len - off;
	bool resend = seq_lt(u->snd_nxt, u->snd_max);

	if (!seq_lt(u->snd_nxt, edge) || n == 0 || (resend && u->quota == 0))
		return false;
	if (n > edge - u->snd_nxt)
		n = edge - u->snd_nxt;
	if (n > UTCP_MSS)
		n = UTCP_MSS;
	if (resend && n > u->snd_max - u->snd_nxt)
		n = u->snd_max - u->snd_nxt; /* a resent segment stays within what was sent */
	new_seg(u, out, u->snd_nxt, UTCP_ACK);
	for (uint32_t i = 0; i < n; i++)
		out->data[i] = u->sndbuf[(u->snd_head + off + i) % UTCP_SND_CAP];
	out->len = (uint16_t)n;
	u->st.data_segs_out++;
	if (resend) {
		u->quota--;
		u->st.rexmit_segs++;
	} else {
		rto_on_send(&u->rto, u->snd_nxt + n, now); /* never a resent one: Karn */
	}
	u->snd_nxt += n;
	if (seq_gt(u->snd_nxt, u->snd_max))
		u->snd_max = u->snd_nxt;
	arm(u, now);
	return true;
}

unsigned utcp_output(struct utcp *u, uint64_t now, struct useg *out, unsigned max)
{
	unsigned k = 0;

	if (max == 0)
		return 0;
	if ((u->state == UTCP_SYN_SENT || u->state == UTCP_SYN_RCVD) && u->snd_nxt == u->iss) {
		/* our SYN (or SYN-ACK): first sent, or again after a timeout */
		new_seg(u, &out[k++], u->iss,
			u->state == UTCP_SYN_SENT ? UTCP_SYN : UTCP_SYN | UTCP_ACK);
		if (u->snd_max != u->iss)
			u->st.rexmit_segs++;
		else
			rto_on_send(&u->rto, u->iss + 1, now);
		u->snd_nxt = u->snd_max = u->iss + 1;
		arm(u, now);
	}
	while (u->state == UTCP_ESTABLISHED && k < max && send_data(u, now, &out[k]))
		k++;
	if (u->ack_now && k < max && u->state >= UTCP_SYN_RCVD)
		new_seg(u, &out[k++], u->snd_nxt, UTCP_ACK);
	return k;
}

/* RFC 6298 5.4 to 5.6: the oldest unacknowledged segment timed out: resend it (one segment,
 * more as ACKs come back), with the timeout backed off. */
void utcp_tick(struct utcp *u, uint64_t now)
{
	if (!u->deadline || now < u->deadline)
		return;
	u->st.timeouts++;
	if (++u->retries > UTCP_MAX_RETRIES) {
		u->state = UTCP_CLOSED;
		u->err = -ETIMEDOUT;
		u->deadline = 0;
		return;
	}
	rto_on_timeout(&u->rto);
	u->snd_nxt = u->state == UTCP_ESTABLISHED ? u->snd_una : u->iss;
	u->quota = 1;
	u->deadline = now + u->rto.rto;
}

uint32_t utcp_send(struct utcp *u, const void *data, uint32_t len)
{
	uint32_t room = UTCP_SND_CAP - u->snd_len;

	if (u->state != UTCP_ESTABLISHED)
		return 0;
	if (len > room)
		len = room;
	for (uint32_t i = 0; i < len; i++)
		u->sndbuf[(u->snd_head + u->snd_len + i) % UTCP_SND_CAP] =
			((const uint8_t *)data)[i];
	u->snd_len += len;
	return len;
}

uint32_t utcp_recv(struct utcp *u, void *buf, uint32_t len)
{
	return u->state == UTCP_ESTABLISHED ? rsm_read(&u->rcv, buf, len) : 0;
}
