// SPDX-License-Identifier: MIT
/*
 * echo.c (lab 08, given): the in-memory lossy link and the echo between two endpoints
 * (echo.h). The link of each direction holds the segments in flight with their arrival times;
 * it delivers them in arrival order, which with jitter is not always the order sent.
 */
#include <stdlib.h>
#include <string.h>

#include "echo.h"

#define LINK_SLOTS 256 /* segments in flight per direction; beyond that the link drops */
#define BURST      16

struct link {
	unsigned n;
	uint64_t at[LINK_SLOTS];
	struct useg seg[LINK_SLOTS];
	uint64_t rng;
	const struct echo_cfg *cfg;
	uint64_t *segs, *lost;
};

static uint64_t rnd(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double rnd01(uint64_t *s)
{
	return (double)(rnd(s) >> 11) / (double)(1ull << 53);
}

uint8_t echo_pattern(uint32_t i)
{
	return (uint8_t)((i * 0x9e3779b1u) >> 24 ^ i);
}

void echo_cfg_default(struct echo_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bytes = 256 * 1024;
	cfg->loss = 0.02;
	cfg->delay_ns = 5000000;
	cfg->jitter_ns = 2000000;
	cfg->seed = 1;
	cfg->iss_a = 0xffffffffu - 100000; /* A's bytes cross 2^32 after 100 kB */
	cfg->iss_b = 0xfffffc00u;          /* B's after 1 kB */
	cfg->time_limit_ns = 600000000000ull;
}

static void link_push(struct link *l, const struct useg *s, uint64_t now)
{
	(*l->segs)++;
	if (rnd01(&l->rng) < l->cfg->loss || l->n == LINK_SLOTS) {
		(*l->lost)++;
		return;
	}
	l->at[l->n] = now + l->cfg->delay_ns +
		      (l->cfg->jitter_ns ? rnd(&l->rng) % (l->cfg->jitter_ns + 1) : 0);
	l->seg[l->n++] = *s;
}

/* Index of the segment arriving first, or -1 when the link is empty. */
static int link_first(const struct link *l)
{
	int best = -1;

	for (unsigned i = 0; i < l->n; i++)
		if (best < 0 || l->at[i] < l->at[best])
			best = (int)i;
	return best;
}

/* Delivers every segment due by now to u; returns how many. */
static unsigned link_deliver(struct link *l, struct utcp *u, uint64_t now)
{
	unsigned k = 0;
	int i;

	while ((i = link_first(l)) >= 0 && l->at[i] <= now) {
		struct useg s = l->seg[i];

		l->n--;
		l->at[i] = l->at[l->n];
		l->seg[i] = l->seg[l->n];
		utcp_input(u, &s, now);
		k++;
	}
	return k;
}

static void flush(struct utcp *u, struct link *l, uint64_t now, struct useg *segs)
{
	unsigned n;

	while ((n = utcp_output(u, now, segs, BURST)))
		for (unsigned i = 0; i < n; i++)
			link_push(l, &segs[i], now);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

struct peers {
	struct utcp a, b;
	struct link ab, ba;
	struct useg segs[BURST];
	uint8_t buf[UTCP_SND_CAP];
	uint8_t echo[UTCP_SND_CAP]; /* what B read and has not sent back yet */
	uint32_t echo_len, sent;
};

/* The applications: A sends the pattern and checks what returns, B echoes. Returns false
 * when a byte came back wrong. */
static bool apps(struct peers *p, const struct echo_cfg *cfg, struct echo_result *res)
{
	uint32_t n;

	while (p->sent < cfg->bytes) {
		uint32_t k = cfg->bytes - p->sent < sizeof(p->buf) ? cfg->bytes - p->sent
								   : sizeof(p->buf);

		for (uint32_t i = 0; i < k; i++)
			p->buf[i] = echo_pattern(p->sent + i);
		if (!(n = utcp_send(&p->a, p->buf, k)))
			break;
		p->sent += n;
	}
	p->echo_len += utcp_recv(&p->b, p->echo + p->echo_len, sizeof(p->echo) - p->echo_len);
	n = utcp_send(&p->b, p->echo, p->echo_len);
	memmove(p->echo, p->echo + n, p->echo_len - n);
	p->echo_len -= n;
	while ((n = utcp_recv(&p->a, p->buf, sizeof(p->buf))))
		for (uint32_t i = 0; i < n; i++, res->checked++)
			if (res->checked >= cfg->bytes || p->buf[i] != echo_pattern(res->checked)) {
				res->bad_offset = res->checked;
				res->why = res->checked >= cfg->bytes
						   ? "more bytes came back than sent"
						   : "a byte came back wrong";
				return false;
			}
	return true;
}

bool echo_run(const struct echo_cfg *cfg, struct echo_result *res)
{
	struct peers *p = calloc(1, sizeof(*p));
	uint64_t now = 0;

	memset(res, 0, sizeof(*res));
	if (!p) {
		res->why = "out of memory";
		return false;
	}
	p->ab = (struct link){
		.rng = cfg->seed, .cfg = cfg, .segs = &res->link_segs, .lost = &res->link_lost};
	p->ba = (struct link){.rng = cfg->seed ^ 0x5555,
			      .cfg = cfg,
			      .segs = &res->link_segs,
			      .lost = &res->link_lost};
	utcp_init(&p->a, cfg->iss_a);
	utcp_init(&p->b, cfg->iss_b);
	utcp_listen(&p->b);
	utcp_connect(&p->a);
	res->why = "the time limit passed";
	while (now <= cfg->time_limit_ns) {
		uint64_t next;
		int i, j;

		utcp_tick(&p->a, now);
		utcp_tick(&p->b, now);
		if (!apps(p, cfg, res))
			break;
		if (res->checked == cfg->bytes) {
			res->ok = true;
			res->why = NULL;
			break;
		}
		if (p->a.state == UTCP_CLOSED || p->b.state == UTCP_CLOSED) {
			res->why = "an endpoint gave up (too many timeouts in a row)";
			break;
		}
		flush(&p->a, &p->ab, now, p->segs);
		flush(&p->b, &p->ba, now, p->segs);
		if (link_deliver(&p->ab, &p->b, now) + link_deliver(&p->ba, &p->a, now))
			continue; /* answer at the same instant */
		i = link_first(&p->ab);
		j = link_first(&p->ba);
		next = earliest(i >= 0 ? p->ab.at[i] : 0, j >= 0 ? p->ba.at[j] : 0);
		next = earliest(next, earliest(utcp_deadline(&p->a), utcp_deadline(&p->b)));
		if (!next) {
			res->why = "stuck: nothing in flight and no timer armed";
			break;
		}
		now = next > now ? next : now + 1;
	}
	res->sim_ns = now;
	res->a = p->a.st;
	res->b = p->b.st;
	res->srtt_a = p->a.rto.srtt;
	res->rto_a = p->a.rto.rto;
	free(p);
	return res->ok;
}
