// SPDX-License-Identifier: MIT
/*
 * tcp_tx.c: where the TCP stack's frames go. Frames that answer a received frame (ARP
 * replies, ICMP echo replies, RSTs for unknown connections) are built at once into the
 * control queue, a small FIFO in the stack's memory, because nothing else knows about them.
 * Connection segments are not queued at all: tcp_output() walks the connections that have
 * something to send and builds each segment directly in a buffer of the output port
 * (io_alloc), so a DPDK backend transmits the very mbuf the headers and data were written
 * into. Buffers are taken and handed over TCP__TX_BURST at a time. For tests and other
 * callers without a port, a callback receives each frame from a scratch buffer instead.
 */
#include <string.h>

#include "tcp_int.h"

void tcp__tx_start(struct tcp__tx *tx, struct tcp_stack *s)
{
	tx->s = s;
	tx->port = NULL;
	tx->nalloc = tx->nfill = tx->sent = 0;
	tx->fn = NULL;
	tx->arg = NULL;
	tx->stopped = false;
}

/* Hands the filled buffers to the port; what it refuses is freed (lost, as on a wire) and the
 * unused buffers move to the front for the next frames. */
static void tx_flush(struct tcp__tx *tx)
{
	unsigned k;

	if (tx->nfill == 0)
		return;
	k = io_tx_burst(tx->port, tx->bufs, tx->nfill);
	if (k < tx->nfill) {
		io_free(tx->bufs + k, tx->nfill - k);
		tx->s->st.tx_dropped += tx->nfill - k;
	}
	tx->sent += k;
	memmove(tx->bufs, tx->bufs + tx->nfill, (tx->nalloc - tx->nfill) * sizeof(tx->bufs[0]));
	tx->nalloc -= tx->nfill;
	tx->nfill = 0;
}

/* Returns a buffer for the next frame (TCP_FRAME_MAX bytes), or NULL when the port has none
 * left: output then stops until the next tcp_output(). */
uint8_t *tcp__tx_buf(struct tcp__tx *tx)
{
	if (tx->stopped)
		return NULL;
	if (tx->fn)
		return tx->s->scratch;
	if (tx->nfill == tx->nalloc) {
		tx_flush(tx);
		tx->nalloc = io_alloc(tx->port, tx->bufs, TCP__TX_BURST);
		if (tx->nalloc == 0) {
			tx->stopped = true;
			tx->s->st.tx_no_buf++;
			return NULL;
		}
	}
	return tx->bufs[tx->nfill].data;
}

/* The frame in the buffer tcp__tx_buf() returned is complete and len bytes long. */
void tcp__tx_commit(struct tcp__tx *tx, size_t len)
{
	tx->s->st.tx_frames++;
	if (tx->fn) {
		tx->fn(tx->arg, tx->s->scratch, len);
		tx->sent++;
		return;
	}
	tx->bufs[tx->nfill].len = (uint32_t)len;
	tx->nfill++;
}

/* Sends what is filled and returns unused buffers to the port. */
void tcp__tx_end(struct tcp__tx *tx)
{
	if (tx->fn)
		return;
	tx_flush(tx);
	if (tx->nalloc)
		io_free(tx->bufs, tx->nalloc);
	tx->nalloc = 0;
	io_flush(tx->port);
}

/* Moves the control queue's frames out; returns false when buffers ran out. */
static bool tx_ctl_queue(struct tcp__tx *tx)
{
	struct tcp_stack *s = tx->s;

	while (s->ctl_count) {
		struct tcp__frame *f = &s->ctlq[s->ctl_head];
		uint8_t *buf = tcp__tx_buf(tx);

		if (!buf)
			return false;
		memcpy(buf, f->data, f->len);
		tcp__tx_commit(tx, f->len);
		s->ctl_head = (s->ctl_head + 1) % TCP_CTL_QUEUE;
		s->ctl_count--;
	}
	return true;
}

/* The body of tcp_output(): control frames first, then every connection with output, in the
 * order they asked, then the control frames those made (ARP requests for their next hops);
 * returns how many frames left. */
unsigned tcp__tx_run(struct tcp__tx *tx)
{
	struct tcp_stack *s = tx->s;

	if (tx_ctl_queue(tx)) {
		while (!tcp__list_empty(&s->out_list)) {
			struct tcp_conn *c = tcp__conn_of(s->out_list.next, out_node);

			if (!tcp__conn_output(c, tx))
				break; /* no buffer: it stays first in line */
			tcp__list_del(&c->out_node);
		}
		tx_ctl_queue(tx);
	}
	tcp__tx_end(tx);
	return tx->sent;
}

/* Returns the control queue's next free frame, or NULL (counted) when the queue is full. */
uint8_t *tcp__ctl_slot(struct tcp_stack *s)
{
	if (s->ctl_count == TCP_CTL_QUEUE) {
		s->st.ctl_queue_full++;
		return NULL;
	}
	return s->ctlq[(s->ctl_head + s->ctl_count) % TCP_CTL_QUEUE].data;
}

/* Queues the frame written into the slot tcp__ctl_slot() returned. */
void tcp__ctl_commit(struct tcp_stack *s, size_t len)
{
	s->ctlq[(s->ctl_head + s->ctl_count) % TCP_CTL_QUEUE].len = (uint32_t)len;
	s->ctl_count++;
}
