// SPDX-License-Identifier: MIT
/*
 * parts_given.c (lab 08, given): the plain parts of parts.h that are not tasks: setting up a
 * reassembly and a timer, the receive window, reading in-order bytes.
 */
#include <string.h>

#include "parts.h"

void rsm_init(struct rsm *r, uint32_t nxt)
{
	memset(r, 0, sizeof(*r));
	r->nxt = nxt;
}

uint32_t rsm_window(const struct rsm *r)
{
	return RSM_CAP - r->ready;
}

uint32_t rsm_read(struct rsm *r, void *dst, uint32_t len)
{
	uint32_t n = len < r->ready ? len : r->ready;

	for (uint32_t i = 0; i < n; i++)
		((uint8_t *)dst)[i] = r->buf[(r->head + i) % RSM_CAP];
	r->head = (r->head + n) % RSM_CAP;
	r->ready -= n;
	return n;
}

void rto_init(struct rto *t, uint64_t init, uint64_t min, uint64_t max, uint64_t g)
{
	memset(t, 0, sizeof(*t));
	t->rto = init;
	t->min = min;
	t->max = max;
	t->g = g;
}
