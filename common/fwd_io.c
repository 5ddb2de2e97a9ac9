// SPDX-License-Identifier: MIT
/*
 * fwd_io.c: the forwarding data path over two io.h ports, shared by fwd-afp and fwd-dpdk. A
 * job is a burst: rx fills it with io_rx_burst() and runs fwd_burst() on it, tx sends it with
 * io_tx_burst() (retrying a few times) and frees what would not go.
 *
 * In a pipeline the TX thread must not free buffers of a port whose receive side another
 * thread uses, unless the backend allows it (DPDK's mempools do; an AF_PACKET RX ring and an
 * io_mem pair do not). Yet a backend that copies a foreign buffer frees the original inside
 * tx_burst. So the RX thread gives the frames it hands over a stand-in owner: a proxy port
 * whose free() only records the buffer in the job being sent. The job goes back to the RX
 * thread, which frees the recorded buffers through their real owner (reclaim).
 */
#include "fwd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tsc.h"

#define TX_RETRIES 64 /* empty tx_burst calls before the rest of a burst is given up */

struct io_job {
	struct fwd_job job;
	unsigned nfreed;
	struct io_buf *bufs;  /* the burst: batch entries */
	struct io_buf *freed; /* buffers tx released through a proxy: batch entries */
	struct io_buf mem[];
};

/* The stand-in owner of frames in flight in a pipeline. */
struct proxy {
	struct io_port io;
	struct io_port *real;
	struct fwd_io *fio;
};

struct fwd_io {
	struct fwd_io_cfg cfg;
	struct io_port *rx_port[2], *tx_port[2];
	struct proxy proxy[2]; /* one per direction: the owner stands for rx_port[dir] */
	bool defer;            /* frees of received buffers go back to the RX thread */
	struct io_job *cur;    /* TX thread: the job being sent */
};

/* ---- the proxy port ---- */

static void proxy_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct proxy *px = (struct proxy *)p;
	struct io_job *job = px->fio->cur;

	for (unsigned i = 0; i < n; i++) {
		struct io_buf b = bufs[i];

		b.owner = px->real;
		/* a job records at most its own frames; anything else cannot happen, but freeing
		 * it here beats leaking it */
		if (likely(job && job->nfreed < px->fio->cfg.batch))
			job->freed[job->nfreed++] = b;
		else
			io_free(&b, 1);
	}
}

static unsigned proxy_none(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	(void)p, (void)bufs, (void)n;
	return 0;
}

static int proxy_stats(struct io_port *p, struct io_stats *s)
{
	(void)p, (void)s;
	return -EOPNOTSUPP;
}

static void proxy_close(struct io_port *p)
{
	(void)p; /* part of struct fwd_io */
}

static const struct io_ops proxy_ops = {
	.name = "fwd-proxy",
	.rx_burst = proxy_none,
	.tx_burst = proxy_none,
	.alloc = proxy_none,
	.free = proxy_free,
	.flush = NULL,
	.stats = proxy_stats,
	.close = proxy_close,
};

/* ---- the path's operations ---- */

static int fio_start(void *ctx, bool threaded)
{
	struct fwd_io *fio = ctx;

	fio->defer = threaded && !fio->cfg.free_any_thread;
	return 0;
}

static int fio_job_init(void *ctx, struct fwd_job *j)
{
	struct fwd_io *fio = ctx;
	struct io_job *job = (struct io_job *)j;

	job->bufs = job->mem;
	job->freed = job->mem + fio->cfg.batch;
	return 0;
}

static unsigned fio_rx(void *ctx, struct fwd_job *j, struct fwd_counters *c)
{
	struct fwd_io *fio = ctx;
	struct io_job *job = (struct io_job *)j;
	unsigned d = j->dir, n, k;

	n = io_rx_burst(fio->rx_port[d], job->bufs, fio->cfg.batch);
	if (!n)
		return 0;
	k = fwd_burst(&fio->cfg.route[d], job->bufs, n, c);
	if (fio->defer)
		for (unsigned i = 0; i < k; i++)
			job->bufs[i].owner = &fio->proxy[d].io;
	j->n = k;
	return n;
}

static void fio_tx(void *ctx, struct fwd_job *j, struct fwd_counters *c)
{
	struct fwd_io *fio = ctx;
	struct io_job *job = (struct io_job *)j;
	struct io_port *out = fio->tx_port[j->dir];
	unsigned n = j->n, sent = 0, idle = 0;

	fio->cur = job;
	while (sent < n) {
		unsigned k = io_tx_burst(out, job->bufs + sent, n - sent);

		sent += k;
		if (k)
			continue;
		if (++idle > TX_RETRIES)
			break;
		tsc_pause();
	}
	if (unlikely(sent < n)) {
		io_free(job->bufs + sent, n - sent);
		fwd_count(c->tx_fail, n - sent);
	}
	fwd_count(c->tx, sent);
	j->n = 0;
	fio->cur = NULL;
}

static void fio_reclaim(void *ctx, struct fwd_job *j)
{
	struct io_job *job = (struct io_job *)j;

	(void)ctx;
	io_free(job->freed, job->nfreed);
	job->nfreed = 0;
}

static int fio_wait_rx(void *ctx, int timeout_ms)
{
	struct fwd_io *fio = ctx;
	int ret = io_wait(fio->rx_port, fio->cfg.bidir ? 2 : 1, timeout_ms);

	return ret == -EOPNOTSUPP ? ret : 0;
}

static void fio_flush_tx(void *ctx)
{
	struct fwd_io *fio = ctx;

	io_flush(fio->tx_port[0]);
	if (fio->cfg.bidir)
		io_flush(fio->tx_port[1]);
}

/* ---- construction ---- */

struct fwd_io *fwd_io_new(const struct fwd_io_cfg *cfg)
{
	struct fwd_io *fio;

	if (!cfg || !cfg->in || !cfg->out || cfg->batch < 1 || cfg->batch > IO_BURST_MAX) {
		errno = EINVAL;
		return NULL;
	}
	fio = calloc(1, sizeof(*fio));
	if (!fio)
		return NULL;
	fio->cfg = *cfg;
	fio->rx_port[0] = fio->tx_port[1] = cfg->in;
	fio->tx_port[0] = fio->rx_port[1] = cfg->out;
	for (unsigned d = 0; d < 2; d++) {
		struct proxy *px = &fio->proxy[d];

		px->io.ops = &proxy_ops;
		px->io.fd = -1;
		px->io.max_frame = fio->rx_port[d]->max_frame;
		memcpy(px->io.name, fio->rx_port[d]->name, sizeof(px->io.name));
		px->real = fio->rx_port[d];
		px->fio = fio;
	}
	return fio;
}

void fwd_io_path(struct fwd_io *fio, struct fwd_path *path)
{
	*path = (struct fwd_path){
		.name = "io",
		.ctx = fio,
		.job_size = sizeof(struct io_job) + 2 * fio->cfg.batch * sizeof(struct io_buf),
		.ndirs = fio->cfg.bidir ? 2 : 1,
		.start = fio_start,
		.job_init = fio_job_init,
		.rx = fio_rx,
		.tx = fio_tx,
		.reclaim = fio_reclaim,
		.wait = fio_wait_rx,
		.flush = fio_flush_tx,
	};
}

void fwd_io_free(struct fwd_io *fio)
{
	free(fio);
}
