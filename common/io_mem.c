// SPDX-License-Identifier: MIT
/*
 * io_mem.c: the in-memory port pair of io_mem.h. All memory is taken at creation: one array of
 * buffer descriptors and one block of frame bytes, cut into a pool per port, and two FIFO
 * queues of descriptor pointers. A frame moves between them by pointer; only foreign buffers
 * and inject/take copy bytes.
 */
#include "io_mem.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lr.h"

struct mem_port;

/* One buffer: the frame bytes it may hold and the pool it returns to. */
struct mem_desc {
	uint8_t *base;
	uint8_t *data; /* where the frame starts (a caller may move io_buf.data inside base) */
	uint32_t len;
	struct mem_port *home;
};

/* A bounded FIFO of descriptors, one per direction. */
struct mem_queue {
	struct mem_desc **slot;
	unsigned cap, head, count;
};

struct mem_port {
	struct io_port io;
	struct mem_pair *pair;
	struct mem_port *peer;
	struct mem_queue *rxq, *txq; /* txq is the peer's rxq */
	struct mem_desc **free_stack;
	unsigned nfree;
	struct io_stats st;
};

struct mem_pair {
	struct mem_port port[2];
	struct mem_queue q[2]; /* q[i] carries frames toward port[i] */
	struct mem_desc *desc;
	uint8_t *bytes;
	unsigned open_ports;
};

static const struct io_ops mem_ops;

static struct mem_port *to_mem(struct io_port *p)
{
	return (struct mem_port *)p;
}

static bool is_mem(const struct io_port *p)
{
	return p && p->ops == &mem_ops;
}

static bool queue_push(struct mem_queue *q, struct mem_desc *d)
{
	if (q->count == q->cap)
		return false;
	q->slot[(q->head + q->count) % q->cap] = d;
	q->count++;
	return true;
}

static struct mem_desc *queue_pop(struct mem_queue *q)
{
	struct mem_desc *d;

	if (q->count == 0)
		return NULL;
	d = q->slot[q->head];
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return d;
}

static struct mem_desc *pool_get(struct mem_port *mp)
{
	struct mem_desc *d;

	if (mp->nfree == 0)
		return NULL;
	d = mp->free_stack[--mp->nfree];
	d->data = d->base;
	d->len = 0;
	return d;
}

static void pool_put(struct mem_desc *d)
{
	struct mem_port *home = d->home;

	home->free_stack[home->nfree++] = d;
}

static unsigned mem_rx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct mem_port *mp = to_mem(p);
	unsigned i;

	for (i = 0; i < n; i++) {
		struct mem_desc *d = queue_pop(mp->rxq);

		if (!d)
			break;
		bufs[i] = (struct io_buf){.data = d->data, .len = d->len, .owner = p, .handle = d};
	}
	mp->st.rx_pkts += i;
	return i;
}

/* Returns the descriptor that will carry buf: its own when it belongs to this pair, else a
 * pool buffer holding a copy (the original is released); NULL when the pool is empty. */
static struct mem_desc *tx_desc(struct mem_port *mp, struct io_buf *buf)
{
	struct mem_desc *d;

	if (is_mem(buf->owner) && to_mem(buf->owner)->pair == mp->pair) {
		d = buf->handle;
		d->data = buf->data;
		d->len = buf->len;
		return d;
	}
	d = pool_get(mp);
	if (!d)
		return NULL;
	memcpy(d->data, buf->data, buf->len);
	d->len = buf->len;
	io_free(buf, 1);
	return d;
}

static unsigned mem_tx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct mem_port *mp = to_mem(p);
	unsigned i;

	for (i = 0; i < n; i++) {
		struct mem_desc *d;

		if (unlikely(bufs[i].len == 0 || bufs[i].len > p->max_frame)) {
			mp->st.tx_errors++;
			io_free(&bufs[i], 1);
			continue;
		}
		d = tx_desc(mp, &bufs[i]);
		if (!d)
			break;
		mp->st.tx_pkts++;
		if (!queue_push(mp->txq, d)) {
			mp->peer->st.rx_dropped++;
			pool_put(d);
		}
	}
	return i;
}

static unsigned mem_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct mem_port *mp = to_mem(p);
	unsigned i;

	for (i = 0; i < n; i++) {
		struct mem_desc *d = pool_get(mp);

		if (!d)
			break;
		bufs[i] = (struct io_buf){
			.data = d->data, .len = p->max_frame, .owner = p, .handle = d};
	}
	return i;
}

static void mem_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	(void)p;
	for (unsigned i = 0; i < n; i++)
		pool_put(bufs[i].handle);
}

static int mem_stats(struct io_port *p, struct io_stats *s)
{
	*s = to_mem(p)->st;
	return 0;
}

static void pair_destroy(struct mem_pair *pair)
{
	for (unsigned i = 0; i < 2; i++) {
		free(pair->q[i].slot);
		free(pair->port[i].free_stack);
	}
	free(pair->desc);
	free(pair->bytes);
	free(pair);
}

static void mem_close(struct io_port *p)
{
	struct mem_pair *pair = to_mem(p)->pair;

	if (--pair->open_ports == 0)
		pair_destroy(pair);
}

static const struct io_ops mem_ops = {
	.name = "mem",
	.rx_burst = mem_rx_burst,
	.tx_burst = mem_tx_burst,
	.alloc = mem_alloc,
	.free = mem_free,
	.flush = NULL,
	.stats = mem_stats,
	.close = mem_close,
};

/* Takes every allocation of a pair; returns 0 or -ENOMEM (the caller destroys the pair). */
static int pair_alloc(struct mem_pair *pair, unsigned nframes, uint32_t max_frame)
{
	size_t per_port = 2 * (size_t)nframes;

	pair->desc = calloc(2 * per_port, sizeof(*pair->desc));
	pair->bytes = calloc(2 * per_port, max_frame);
	if (!pair->desc || !pair->bytes)
		return -ENOMEM;
	for (unsigned i = 0; i < 2; i++) {
		pair->q[i].slot = calloc(nframes, sizeof(*pair->q[i].slot));
		pair->port[i].free_stack = calloc(per_port, sizeof(*pair->port[i].free_stack));
		if (!pair->q[i].slot || !pair->port[i].free_stack)
			return -ENOMEM;
		pair->q[i].cap = nframes;
	}
	return 0;
}

/* Wires port i of the pair to its queues and fills its pool. */
static void port_init(struct mem_pair *pair, unsigned i, unsigned nframes, uint32_t max_frame)
{
	struct mem_port *mp = &pair->port[i];
	size_t per_port = 2 * (size_t)nframes;

	mp->io.ops = &mem_ops;
	strcpy(mp->io.name, i == 0 ? "mem-a" : "mem-b");
	mp->io.fd = -1;
	mp->io.max_frame = max_frame;
	mp->pair = pair;
	mp->peer = &pair->port[1 - i];
	mp->rxq = &pair->q[i];
	mp->txq = &pair->q[1 - i];
	for (size_t k = 0; k < per_port; k++) {
		struct mem_desc *d = &pair->desc[i * per_port + k];

		d->base = pair->bytes + (i * per_port + k) * max_frame;
		d->home = mp;
		mp->free_stack[mp->nfree++] = d;
	}
}

int io_mem_pair(struct io_port **a, struct io_port **b, unsigned nframes, uint32_t max_frame)
{
	struct mem_pair *pair;

	if (!a || !b || nframes == 0 || max_frame == 0 || nframes > (1u << 24))
		return -EINVAL;
	pair = calloc(1, sizeof(*pair));
	if (!pair)
		return -ENOMEM;
	if (pair_alloc(pair, nframes, max_frame)) {
		pair_destroy(pair);
		return -ENOMEM;
	}
	port_init(pair, 0, nframes, max_frame);
	port_init(pair, 1, nframes, max_frame);
	pair->open_ports = 2;
	*a = &pair->port[0].io;
	*b = &pair->port[1].io;
	return 0;
}

int io_mem_inject(struct io_port *p, const void *frame, uint32_t len)
{
	struct mem_port *mp;
	struct mem_desc *d;

	if (!is_mem(p))
		return -EINVAL;
	mp = to_mem(p);
	if (len == 0 || len > p->max_frame)
		return -EMSGSIZE;
	if (mp->rxq->count == mp->rxq->cap)
		return -ENOSPC;
	d = pool_get(mp->peer);
	if (!d)
		return -ENOBUFS;
	memcpy(d->data, frame, len);
	d->len = len;
	queue_push(mp->rxq, d);
	return 0;
}

int io_mem_take(struct io_port *p, void *out, uint32_t cap)
{
	struct mem_queue *q;
	struct mem_desc *d;

	if (!is_mem(p))
		return -EINVAL;
	q = to_mem(p)->txq;
	if (q->count == 0)
		return -EAGAIN;
	d = q->slot[q->head];
	if (d->len > cap)
		return -EMSGSIZE;
	queue_pop(q);
	memcpy(out, d->data, d->len);
	pool_put(d);
	return (int)d->len;
}
