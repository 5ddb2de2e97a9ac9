// SPDX-License-Identifier: MIT
/*
 * trial.c: one trial, the same for every engine. One thread transmits and receives on the
 * generator core: after every TX step one non-blocking RX burst, and while the schedule has
 * nothing due it busy-waits for the next deadline servicing RX. A trial is
 *   1. a ramp-up (rate rising from 10% to 100%, frames tagged RXSTATS_WARMUP_FLOW so the
 *      receiver counts them apart: they are reported but are not part of the figures),
 *   2. the measured window (--duration or --count frames at the full rate),
 *   3. the drain: receive until nothing arrived for the quiet time or the drain time is over,
 *   4. and only then the counters, so frames still in flight are never taken for loss.
 * Counters that may explain loss (the engine's, every lr- link's, the kernel's backlog) are
 * read before the ramp-up and after the drain; the ones that grew go into the trial.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lr.h"
#include "pace.h"
#include "rate.h"
#include "report.h"
#include "stop.h"
#include "tgen.h"
#include "tsc.h"

#define STALL_NS     5000000000ULL /* no frame sent for this long: the engine is stuck */
#define LIVE_NS      1000000000ULL /* the live line and the stall check */
#define PREEMPTED_NS 200000ULL     /* a TX round longer than this was descheduled */

/* One paced phase (ramp-up or measured window) of a trial. */
struct phase {
	struct pace pace;
	uint64_t end;   /* TSC time the phase ends (UINT64_MAX: when limit frames are sent) */
	uint64_t limit; /* frames to send (0: until end) */
	uint64_t sent;
	uint64_t idle;   /* cycles spent waiting with nothing received */
	uint64_t t_last; /* TSC after the last send */
	uint64_t t_progress;
	uint64_t refused; /* frames the link refused at least once */
	uint64_t owed;    /* frames the last tx() call had refused (retried first) */
	uint64_t
		blocked; /* cycles from a refusing tx() call to the next one that refused nothing */
	uint64_t blocked_since; /* TSC of the refusal that opened the current block (0: none) */
	uint64_t work;          /* cycles of the rounds that sent frames (their TX and RX work) */
	uint64_t work_sent_skipped; /* frames of rounds left out of work (descheduled) */
	uint64_t first_ok;          /* TSC of the first call since then that had nothing refused */
	unsigned ok_calls;          /* calls in a row since then that had nothing refused */
	bool stalled;
	bool timed_out; /* ended because end came (not the limit, a stall or a signal) */
};

/* The live line's state (also drives the stall check). */
struct live {
	uint64_t period, next, last_t, last_tx, last_rx;
	bool print;
};

static void live_tick(struct tgen_ctx *c, struct phase *ph, struct live *lv, uint64_t now)
{
	uint64_t rx = c->rxs ? c->rxs->unique : 0;

	if (lv->print && !c->warmup)
		report_live(c, tsc_to_ns(now - lv->last_t), ph->sent - lv->last_tx,
			    rx - lv->last_rx, ph->sent, rx);
	lv->last_t = now;
	lv->last_tx = ph->sent;
	lv->last_rx = rx;
	lv->next = now + lv->period;
	if (now - ph->t_progress > tsc_from_ns(STALL_NS))
		ph->stalled = true;
}

/* Busy-waits until deadline, receiving meanwhile; returns the cycles nothing arrived in. */
static uint64_t wait_until(struct tgen_ctx *c, uint64_t deadline)
{
	uint64_t idle = 0, t = tsc_read();

	while (t < deadline) {
		unsigned got = c->rxs ? c->eng->rx(c) : 0;
		uint64_t t2 = tsc_read();

		if (!got) {
			idle += t2 - t;
			tsc_pause();
		}
		t = t2;
	}
	return idle;
}

/* Receives until the port is empty or as many frames as were just sent came in (at least
 * one burst), so the receive side keeps pace with a transmit batch larger than a burst. */
static void rx_some(struct tgen_ctx *c, unsigned sent)
{
	unsigned got, total = 0;

	do {
		got = c->eng->rx(c);
		total += got;
	} while (got && total < sent);
}

/* Tracks the spans the link kept refusing frames: a span opens at a call that had frames
 * refused and closes at the first of two calls in a row that had none refused (a single
 * accepted call between refused ones is the DUT draining its ring, not a free link). */
static void track_blocked(struct phase *ph, uint64_t r, uint64_t now)
{
	if (r) {
		if (!ph->blocked_since)
			ph->blocked_since = now;
		ph->ok_calls = 0;
		return;
	}
	if (!ph->blocked_since)
		return;
	if (ph->ok_calls++ == 0) {
		ph->first_ok = now;
		return;
	}
	ph->blocked += ph->first_ok - ph->blocked_since;
	ph->blocked_since = 0;
	ph->ok_calls = 0;
}

/* Counts the frames a tx() call of n that sent k had refused (r of them) once each: the
 * first frames of a call are the ones the previous call had refused, retried in order. */
static void count_refused(struct phase *ph, unsigned n, unsigned k, uint64_t r, uint64_t now)
{
	uint64_t again = ph->owed > k ? ph->owed - k : 0;

	track_blocked(ph, r, now);
	if (again > n - k)
		again = n - k;
	ph->refused += r > again ? r - again : 0;
	ph->owed = r;
}

/* Sends one step's due frames; returns true when the phase should go on. */
static bool phase_step(struct tgen_ctx *c, struct phase *ph, uint64_t now)
{
	unsigned n = pace_due(&ph->pace, now), k = 0;

	if (ph->limit && n > ph->limit - ph->sent)
		n = (unsigned)(ph->limit - ph->sent);
	if (n) {
		uint64_t r0 = c->tx_refused;

		k = c->eng->tx(c, n);
		count_refused(ph, n, k, c->tx_refused - r0, now);
		pace_sent(&ph->pace, k);
		ph->sent += k;
		if (k) {
			ph->t_last = tsc_read();
			ph->t_progress = ph->t_last;
		}
	} else {
		uint64_t next = pace_next(&ph->pace);

		ph->idle += wait_until(c, next < ph->end ? next : ph->end);
	}
	if (c->rxs)
		rx_some(c, k);
	if (k) { /* a round that moved frames: the generator's own work, receiving included */
		uint64_t d = tsc_read() - now;

		/* a round this long was descheduled (a burst costs microseconds): the time was
		 * another process's, not tgen's work */
		if (d < tsc_from_ns(PREEMPTED_NS))
			ph->work += d;
		else
			ph->work_sent_skipped += k;
	}
	return !ph->stalled;
}

static void run_phase(struct tgen_ctx *c, struct phase *ph, struct live *lv)
{
	uint64_t now = tsc_read();

	ph->t_progress = now;
	ph->t_last = ph->pace.t0;
	while (!lr_stop && now < ph->end && (!ph->limit || ph->sent < ph->limit)) {
		if (!phase_step(c, ph, now))
			break;
		now = tsc_read();
		if (unlikely(now >= lv->next))
			live_tick(c, ph, lv, now);
	}
	ph->timed_out = now >= ph->end;
	if (ph->blocked_since) /* blocked until the end, or until first_ok */
		ph->blocked += (ph->ok_calls ? ph->first_ok : now) - ph->blocked_since;
	ph->blocked_since = 0;
}

/* Receives until nothing arrived for the quiet time or the drain time is over. */
static void drain(struct tgen_ctx *c)
{
	uint64_t start = tsc_read(), last = start, now = start;
	uint64_t max = tsc_from_ns(c->cfg->drain_ns), quiet = tsc_from_ns(c->cfg->quiet_ns);

	if (c->eng->flush)
		c->eng->flush(c);
	if (!c->rxs)
		return;
	while (now - start < max && now - last < quiet) {
		if (c->eng->rx(c))
			last = now;
		else
			tsc_pause();
		now = tsc_read();
	}
}

/* Reads every counter that may explain a lost frame. */
static void read_counters(struct tgen_ctx *c, struct tgen_counters *out)
{
	const struct tgen_cfg *cfg = c->cfg;
	const char *ns[] = {cfg->tx_netns, cfg->rx_netns, "lr-dut"};

	memset(out, 0, sizeof(*out));
	c->eng->counters(c, out);
	for (unsigned i = 0; i < ARRAY_SIZE(ns); i++) {
		bool seen = false;

		for (unsigned j = 0; j < i; j++)
			seen = seen || (ns[j] && ns[i] && !strcmp(ns[j], ns[i]));
		if (!seen)
			tgen_link_counters(ns[i], out);
	}
	tgen_softnet_counters(out);
}

/* Starts the TX sequence state for a phase: every flow from 0, flow 0 first. */
static void seq_start(struct tgen_ctx *c, bool warmup)
{
	memset(c->seq, 0, c->nflows * sizeof(*c->seq));
	c->next_flow = 0;
	c->warmup = warmup;
	c->warm_seq = 0;
}

/* Copies the latency figures of the receiver's histogram into t (-1 when empty). */
static void trial_latency(const struct tgen_ctx *c, struct tgen_trial *t)
{
	static const double pct[5] = {50, 90, 99, 99.9, 99.99};
	const struct hist *h = c->rxs ? c->rxs->lat : NULL;

	for (unsigned i = 0; i < 7; i++)
		t->lat[i] = -1;
	t->lat_mean = t->pdv = -1;
	if (!h || hist_count(h) == 0)
		return;
	t->lat[0] = (double)hist_min(h);
	for (unsigned i = 0; i < 5; i++)
		t->lat[i + 1] = (double)hist_percentile(h, pct[i]);
	t->lat[6] = (double)hist_max(h);
	t->lat_mean = hist_mean(h);
	t->pdv = t->lat[4] - t->lat[0]; /* RFC 8219: p99.9 - min */
}

/* Fills the trial's figures from the measured phase and the receiver. */
static void trial_fill(struct tgen_ctx *c, const struct phase *ph, uint64_t busy,
		       struct tgen_trial *t)
{
	double interval = ph->pace.pkts_per_cycle > 0 ? 1.0 / ph->pace.pkts_per_cycle : 0;
	uint64_t span = ph->t_last > ph->pace.t0 ? ph->t_last - ph->pace.t0 : 0;
	double window;

	if (ph->timed_out)
		span = ph->end - ph->pace.t0; /* a timed window lasts what was asked */
	else if (ph->limit && ph->sent == ph->limit)
		span += (uint64_t)interval; /* count frames occupy count intervals */
	window = (double)span / tsc_hz();
	t->tx = ph->sent;
	t->slipped = ph->pace.slipped;
	t->refused = ph->refused;
	t->gen_pps = ph->work
			     ? (double)(t->tx - ph->work_sent_skipped) * tsc_hz() / (double)ph->work
			     : 0;
	t->blocked_frac = span ? (double)ph->blocked / (double)span : 0;
	if (t->blocked_frac > 1)
		t->blocked_frac = 1;
	t->gen_rx_drops = 0;
	for (unsigned i = 0; i < t->drops.n; i++)
		if (t->drops.c[i].own_rx)
			t->gen_rx_drops += t->drops.c[i].value;
	t->duration_s = window;
	t->tx_pps = window > 0 ? (double)t->tx / window : 0;
	t->idle_frac = span ? (double)ph->idle / (double)span : 0;
	t->cycles_per_pkt = t->tx ? (double)busy / (double)t->tx : -1;
	if (c->rxs) {
		t->rx = c->rxs->unique;
		t->dup = c->rxs->dup;
		t->reordered = c->rxs->reordered;
		t->too_old = c->rxs->too_old;
		t->unknown = c->rxs->unknown;
		t->stale = c->rxs->stale;
		t->warm_rx = c->rxs->warmup;
		t->lost = (int64_t)t->tx - (int64_t)t->rx;
		t->rx_pps = window > 0 ? (double)t->rx / window : 0;
	}
	trial_latency(c, t);
	t->stalled = ph->stalled;
}

/* Runs the ramp-up (when asked) and the measured window; returns the measured phase's
 * busy cycles. */
static uint64_t trial_send(struct tgen_ctx *c, struct phase *m, double rate_pps,
			   uint64_t duration_ns, uint64_t ramp_ns, struct tgen_trial *t)
{
	uint64_t hz_ramp = tsc_from_ns(ramp_ns), t0 = tsc_read(), span;
	unsigned batch = (unsigned)c->cfg->batch;
	struct live lv = {.period = tsc_from_ns(c->cfg->stats_ns ? c->cfg->stats_ns : LIVE_NS)};
	struct cpu_usage u0, u1;

	lv.print = report_live_enabled(c->cfg);
	lv.last_t = t0;
	lv.next = t0 + lv.period;
	if (rate_pps > 0 && hz_ramp) {
		struct phase w = {.end = t0 + hz_ramp};

		pace_init(&w.pace, rate_pps, tsc_hz(), t0, hz_ramp, batch);
		seq_start(c, true);
		run_phase(c, &w, &lv);
		t->warm_tx = w.sent;
		t0 += hz_ramp;
	}
	seq_start(c, false);
	pace_init(&m->pace, rate_pps, tsc_hz(), t0, 0, batch);
	m->end = duration_ns ? t0 + tsc_from_ns(duration_ns) : UINT64_MAX;
	lv.last_tx = 0;
	cpu_usage_read(&u0);
	run_phase(c, m, &lv);
	cpu_usage_read(&u1);
	t->cpu = cpu_usage_diff(&u1, &u0);
	t->interrupted = lr_stop != 0;
	span = (m->t_last > m->pace.t0 ? m->t_last - m->pace.t0 : 0);
	return span > m->idle ? span - m->idle : 0;
}

int tgen_trial_run(struct tgen_ctx *c, unsigned frame_len, double pps, uint64_t count,
		   uint64_t duration_ns, uint64_t ramp_ns, struct tgen_trial *t, char *err,
		   size_t errlen)
{
	struct tgen_counters before, after;
	struct phase m = {.limit = count};
	uint64_t busy;
	bool up;
	int ret;

	t->frame_len = frame_len;
	t->offered_pps = pps;
	t->line_pps = rate_pps(frame_len, c->cfg->link_bps);
	if (c->frame_len != frame_len) {
		ret = c->eng->prepare(c, frame_len, err, errlen);
		if (ret)
			return ret;
		c->frame_len = frame_len;
	}
	if (c->rxs) {
		rxstats_reset(c->rxs);
		/* frames an overloaded DUT still holds from the previous trial carry the same
		 * sequence numbers as this one's: their older stamps tell them apart */
		c->rxs->since_ns = tsc_now_ns();
	}
	read_counters(c, &before);
	up = !c->eng->links_up || c->eng->links_up(c);
	busy = trial_send(c, &m, pps, duration_ns, pps > 0 ? ramp_ns : 0, t);
	drain(c);
	read_counters(c, &after);
	t->link_lost = up && c->eng->links_up && !c->eng->links_up(c);
	tgen_counters_diff(&before, &after, &t->drops);
	trial_fill(c, &m, busy, t);
	tgen_trial_judge(c, t);
	return t->interrupted ? -EINTR : 0;
}

/* Appends ", NAME +N" for every counter that grew, as far as len allows. */
static void note_drops(const struct tgen_trial *t, char *buf, size_t len)
{
	size_t n = strlen(buf);

	if (t->lost <= 0 || n >= len)
		return;
	n += (size_t)snprintf(buf + n, len - n, "%slost %lld:", n ? "; " : "", (long long)t->lost);
	for (unsigned i = 0; i < t->drops.n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s %s +%llu", i ? "," : "",
				      t->drops.c[i].name, (unsigned long long)t->drops.c[i].value);
	if (!t->drops.n && n < len)
		snprintf(buf + n, len - n, " no drop counter grew");
}

void tgen_trial_judge(const struct tgen_ctx *c, struct tgen_trial *t)
{
	size_t n;

	t->status = tgen_verdict(c->cfg, t, t->note, sizeof(t->note));
	if (t->link_lost) {
		/* whatever the counters say, the DUT was not there for the whole window */
		t->status = RES_ERROR;
		snprintf(t->note, sizeof(t->note),
			 "a link went down during the trial (the DUT or "
			 "its memif server left): its figures are not the "
			 "DUT's");
	}
	if (t->interrupted) {
		n = strlen(t->note);
		snprintf(t->note + n, sizeof(t->note) - n, "%sinterrupted", n ? "; " : "");
	}
	note_drops(t, t->note, sizeof(t->note));
	n = strlen(t->note);
	if (c->tx_method[0] && n < sizeof(t->note))
		snprintf(t->note + n, sizeof(t->note) - n, "%stx %s", n ? "; " : "", c->tx_method);
}
