// SPDX-License-Identifier: MIT
/*
 * verdict.c: what a trial's counters say limited it. A trial that fell short of its schedule
 * is the generator's fault only when nothing refused its frames and nothing was lost: a link
 * that refuses them (a full memif ring, a short rte_eth_tx_burst, EAGAIN/ENOBUFS from the
 * socket) is the DUT pushing back, which is the DUT's limit and a valid point ("DUT
 * backpressure") when the generator's own work (the loop rounds that sent frames, refused
 * retries left out) allowed the asked rate: otherwise it was short of CPU too. Frames lost
 * while the generator was at its limit are the DUT's when a drop counter of the path saw
 * them. Frames the generator's own receive side dropped are never the DUT's loss. When the
 * counters explain only part of it, they cannot decide and the trial says "undecided".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "tgen.h"

#define SATURATED_IDLE  0.01  /* TX loop idle below this share of the window: saturated */
#define LINE_SLACK      1.001 /* above line rate by more than 0.1%: invalid */
#define RATE_SLACK      0.99  /* below 99% of the offered rate: the schedule was not kept */
#define UNPACED_BLOCKED 0.5   /* an unpaced trial the link refused for half of: the DUT's pace */

/* Writes the reason for a status into why; returns the status. */
static enum res_status because(enum res_status st, char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum res_status because(enum res_status st, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return st;
}

/* True when a drop counter outside the generator's own receive side grew (an interface of
 * the path, the kernel's backlog): frames lost there are the path's loss. */
static bool path_drops(const struct tgen_trial *t)
{
	for (unsigned i = 0; i < t->drops.n; i++)
		if (!t->drops.c[i].own_rx && t->drops.c[i].value)
			return true;
	return false;
}

/* A paced trial whose generator was at its limit (short of its schedule, or its TX core
 * saturated) with nothing refused: the generator's limit (what says it, in limit), unless
 * frames were also lost. Then a counter of the path that grew makes the loss the DUT's at the
 * rate really sent; with none, the frames vanished where nothing counts (a socket's ring, a
 * queue) while tgen had no headroom either, and the counters cannot say whose. */
static enum res_status gen_limited(const struct tgen_trial *t, const char *limit, char *why,
				   size_t len)
{
	long long lost = (long long)t->lost;

	if (t->lost <= 0)
		return because(RES_GENERATOR_BOUND, why, len, "%s", limit);
	if (path_drops(t))
		return because(RES_OK, why, len, "%s; %lld lost on the path at the rate sent",
			       limit, lost);
	return because(RES_UNDECIDED, why, len,
		       "%s, and %lld lost with no drop counter: the generator or the DUT", limit,
		       lost);
}

/* The verdict of a paced trial that kept or missed its schedule. */
static enum res_status paced(const struct tgen_trial *t, char *why, size_t len)
{
	double off = t->offered_pps, pct = 100.0 * t->tx_pps / off, own = t->gen_pps / 1e6;
	unsigned long long r = (unsigned long long)t->refused;
	char limit[96];

	if (t->tx_pps < RATE_SLACK * off) {
		snprintf(limit, sizeof(limit),
			 "offered %.1f%% of the asked rate; the link refused nothing", pct);
		if (!t->refused)
			return gen_limited(t, limit, why, len);
		if (t->gen_pps >= RATE_SLACK * off)
			return because(RES_OK, why, len,
				       "DUT backpressure: the link refused %llu frames; offered "
				       "%.1f%%, tgen's own work allowed %.3f Mpps",
				       r, pct, own);
		return because(RES_UNDECIDED, why, len,
			       "offered %.1f%%: the link refused %llu frames, but tgen's own work "
			       "allowed only %.3f Mpps",
			       pct, r, own);
	}
	if (t->idle_frac < SATURATED_IDLE && !t->refused) {
		snprintf(limit, sizeof(limit), "TX core saturated (idle %.2f%%)",
			 100.0 * t->idle_frac);
		return gen_limited(t, limit, why, len);
	}
	if (t->refused)
		return because(RES_OK, why, len, "DUT backpressure: the link refused %llu frames",
			       r);
	return because(RES_OK, why, len, "%s", "");
}

enum res_status tgen_verdict(const struct tgen_cfg *cfg, const struct tgen_trial *t, char *why,
			     size_t len)
{
	double line = t->line_pps * LINE_SLACK;
	unsigned long long r = (unsigned long long)t->refused;

	if (t->stalled)
		return because(RES_ERROR, why, len, "TX stalled: no frame sent for 5 s%s",
			       t->refused ? " (the link refused every frame)" : "");
	if (t->tx_pps > line || t->rx_pps > line)
		return because(RES_INVALID, why, len,
			       "above line rate (%.3f Mpps for %u B): not a record",
			       t->line_pps / 1e6, t->frame_len);
	if (cfg->rx_on && t->rx > t->tx)
		return because(RES_INVALID, why, len, "received more unique frames than sent");
	if (cfg->rx_on && t->gen_rx_drops)
		return because(
			RES_GENERATOR_BOUND, why, len,
			"the generator's receive side dropped %llu frames: not the DUT's loss",
			(unsigned long long)t->gen_rx_drops);
	if (t->offered_pps > 0)
		return paced(t, why, len);
	if (!cfg->rx_on || cfg->mode == TGEN_MODE_SELFTEST)
		return because(RES_OK, why, len, "%s", "");
	if (t->refused && t->gen_pps >= TGEN_HEADROOM * t->tx_pps)
		return because(
			RES_OK, why, len,
			"DUT backpressure: unpaced, the link refused %llu frames; tgen's own "
			"work allowed %.3f Mpps",
			r, t->gen_pps / 1e6);
	if (t->lost > 0)
		return because(RES_OK, why, len, "%s", ""); /* loss at the generator's top rate */
	if (t->refused)
		return because(
			RES_UNDECIDED, why, len,
			"unpaced, nothing lost; the link refused %llu frames, but tgen's own "
			"work allowed only %.3f Mpps",
			r, t->gen_pps / 1e6);
	return because(RES_GENERATOR_BOUND, why, len,
		       "unpaced, nothing lost, nothing refused: the generator was the limit");
}
