// SPDX-License-Identifier: MIT
/* chain.c (lab 09), the reference solution. */
#include <string.h>

#include "chain.h"

int chain_init(struct chain *c, struct nf *const *nfs, unsigned n, unsigned ring_size)
{
	memset(c, 0, sizeof(*c));
	if (n < 1 || n > CHAIN_MAX_STAGES)
		return -1;
	c->n = n;
	for (unsigned i = 0; i <= n; i++) {
		c->link[i] = ring_new(RING_LOCKFREE, ring_size);
		if (!c->link[i])
			goto err;
	}
	for (unsigned i = 0; i < n; i++) {
		c->drop[i] = ring_new(RING_LOCKFREE, ring_size);
		if (!c->drop[i])
			goto err;
		c->st[i].nf = nfs[i];
		c->st[i].in = c->link[i];
		c->st[i].out = c->link[i + 1];
		c->st[i].drop = c->drop[i];
	}
	return 0;
err:
	chain_fini(c);
	return -1;
}

/* Enqueues what q holds, oldest first; keeps (in order) what the ring did not take; returns
 * how many are left. */
static unsigned flush(struct ring *r, struct lab_frame **q, unsigned *n, uint64_t *count)
{
	unsigned k = *n ? ring_enqueue_burst(r, (void *const *)q, *n) : 0;

	*count += k;
	*n -= k;
	if (*n && k)
		memmove(q, q + k, *n * sizeof(*q));
	return *n;
}

unsigned chain_stage_poll(struct stage *s)
{
	struct lab_frame *burst[CHAIN_BURST];
	unsigned got;

	if (flush(s->out, s->pass_q, &s->n_pass, &s->passed) |
	    flush(s->drop, s->drop_q, &s->n_drop, &s->dropped))
		return 0;
	got = ring_dequeue_burst(s->in, (void **)burst, CHAIN_BURST);
	s->in_frames += got;
	for (unsigned i = 0; i < got; i++) {
		if (s->nf->handle(s->nf, burst[i]) == NF_PASS)
			s->pass_q[s->n_pass++] = burst[i];
		else
			s->drop_q[s->n_drop++] = burst[i];
	}
	flush(s->out, s->pass_q, &s->n_pass, &s->passed);
	flush(s->drop, s->drop_q, &s->n_drop, &s->dropped);
	return got;
}
