// SPDX-License-Identifier: MIT
/*
 * mempath.c: the in-memory data path of lab 05 (mempath.h). Each job carries its own frames,
 * so a job handed through the ring is all the TX side needs; the RX side writes only rx-side
 * fields, the TX side only tx-side ones.
 */
#include "mempath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"

#define FRAME_WIRE 64
#define FRAME_MEM  (FRAME_WIRE - 4) /* no FCS in memory */
#define TTL_IN     64

struct mem_job {
	struct fwd_job base; /* first, as fwd_run wants */
	struct io_buf bufs[IO_BURST_MAX];
	uint8_t frames[IO_BURST_MAX][FRAME_MEM];
};

struct mempath {
	unsigned batch;
	uint8_t tmpl[FRAME_MEM];
	struct fwd_route route;
	uint32_t next_seq lr_cache_aligned; /* rx side */
	uint64_t made;
	uint32_t want_seq lr_cache_aligned; /* tx side */
	uint64_t checked, bad_order, bad_frame;
};

static unsigned mp_rx(void *ctx, struct fwd_job *job, struct fwd_counters *c)
{
	struct mempath *m = ctx;
	struct mem_job *j = (struct mem_job *)job;

	for (unsigned i = 0; i < m->batch; i++) {
		memcpy(j->frames[i], m->tmpl, FRAME_MEM);
		pkt_payload_write(j->frames[i] + PKT_UDP_FRAME_HLEN, 1, m->next_seq++, 0);
		j->bufs[i] = (struct io_buf){.data = j->frames[i], .len = FRAME_MEM};
	}
	m->made += m->batch;
	job->n = fwd_burst(&m->route, j->bufs, m->batch, c);
	return m->batch;
}

static void mp_tx(void *ctx, struct fwd_job *job, struct fwd_counters *c)
{
	struct mempath *m = ctx;
	struct mem_job *j = (struct mem_job *)job;

	for (unsigned i = 0; i < job->n; i++) {
		const uint8_t *f = j->bufs[i].data;
		const struct ipv4_hdr *ip = (const struct ipv4_hdr *)(f + PKT_ETH_HLEN);
		struct pkt_payload pl;

		memcpy(&pl, f + PKT_UDP_FRAME_HLEN, sizeof(pl));
		if (pl.seq != m->want_seq)
			m->bad_order++;
		m->want_seq = pl.seq + 1;
		if (ip->ttl != TTL_IN - 1 || memcmp(f, &m->route, sizeof(m->route)))
			m->bad_frame++;
	}
	m->checked += job->n;
	fwd_count(c->tx, job->n);
	job->n = 0;
}

struct mempath *mempath_new(unsigned batch)
{
	struct pkt_udp_spec spec = {
		.src_mac = {0x02, 0, 0, 0, 0, 0x01},
		.dst_mac = {0x02, 0, 0, 0, 0, 0x02},
		.src_ip = 0xc6120001, /* 198.18.0.1 */
		.dst_ip = 0xc6120101, /* 198.18.1.1 */
		.src_port = 1024,
		.dst_port = 9000,
		.ttl = TTL_IN,
	};
	const struct fwd_route route = {
		.dst = {0x02, 0, 0, 0, 0x01, 0x01},
		.src = {0x02, 0, 0, 0, 0x01, 0x02},
	};
	struct mempath *m;

	if (batch < 1 || batch > IO_BURST_MAX) {
		errno = EINVAL;
		return NULL;
	}
	m = aligned_alloc(LR_CACHE_LINE, sizeof(*m));
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->batch = batch;
	m->route = route;
	if (pkt_build_udp(m->tmpl, sizeof(m->tmpl), FRAME_WIRE, &spec) != FRAME_MEM) {
		free(m);
		errno = EINVAL;
		return NULL;
	}
	return m;
}

void mempath_path(struct mempath *m, struct fwd_path *path)
{
	*path = (struct fwd_path){
		.name = "mem",
		.ctx = m,
		.job_size = sizeof(struct mem_job),
		.ndirs = 1,
		.rx = mp_rx,
		.tx = mp_tx,
	};
}

void mempath_stats(const struct mempath *m, struct mempath_stats *s)
{
	*s = (struct mempath_stats){
		.made = m->made,
		.checked = m->checked,
		.bad_order = m->bad_order,
		.bad_frame = m->bad_frame,
	};
}

void mempath_free(struct mempath *m)
{
	free(m);
}
