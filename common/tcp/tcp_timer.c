// SPDX-License-Identifier: MIT
/*
 * tcp_timer.c: time in the TCP stack. Each connection has one timer at a time (what it does
 * is in c->timer) kept in a timing wheel (Varghese and Lauck, 1987): TCP__WHEEL_SLOTS lists,
 * one per tick of TCP__TICK_NS, a connection in the slot of its deadline's tick modulo the
 * number of slots. Setting, moving and stopping a timer is O(1); tcp_poll() visits only the
 * slots of the ticks that passed, and a connection whose deadline lies a turn or more ahead
 * simply stays in its slot. A timer fires within one tick after its deadline.
 *
 * Also here: the RTT estimator and RTO of RFC 6298, and what each timeout does.
 */
#include <errno.h>

#include "tcp_int.h"

static uint64_t tick_of(uint64_t ns)
{
	return ns / TCP__TICK_NS;
}

/* Moves the stack's clock to now (never back). With no timer armed nothing can be skipped,
 * so the wheel jumps to the present: its position stays near the clock from the first call. */
void tcp__clock(struct tcp_stack *s, uint64_t now)
{
	if (now > s->now)
		s->now = now;
	if (s->ntimers == 0 && tick_of(s->now) > s->wheel_tick + 1)
		s->wheel_tick = tick_of(s->now) - 1;
}

/* Arms c's timer for deadline, replacing whatever it was doing. */
void tcp__timer_set(struct tcp_conn *c, enum tcp__timer kind, uint64_t deadline)
{
	struct tcp_stack *s = c->stack;
	uint64_t tick = tick_of(deadline);

	if (tick <= s->wheel_tick)
		tick = s->wheel_tick + 1; /* that tick was processed already: the next one */
	if (tcp__linked(&c->timer_node))
		tcp__list_del(&c->timer_node);
	else
		s->ntimers++;
	c->timer = kind;
	c->deadline = deadline;
	tcp__list_add_tail(&s->wheel[tick % TCP__WHEEL_SLOTS], &c->timer_node);
}

void tcp__timer_stop(struct tcp_conn *c)
{
	if (tcp__linked(&c->timer_node)) {
		tcp__list_del(&c->timer_node);
		c->stack->ntimers--;
	}
	c->timer = TCP__T_NONE;
}

/* The RTT estimator. 8< */
/* RFC 6298 (2.3 to 2.5): RTO = SRTT + max(G, 4 * RTTVAR), within [rto_min, rto_max]. */
void tcp__rto_update(struct tcp_conn *c)
{
	const struct tcp_cfg *cfg = &c->stack->cfg;
	uint64_t var4 = 4 * c->rttvar;

	if (c->srtt == 0)
		return; /* no sample yet: the RTO stays where it is */
	c->rto = c->srtt + (var4 > TCP__TICK_NS ? var4 : TCP__TICK_NS);
	if (c->rto < cfg->rto_min_ns)
		c->rto = cfg->rto_min_ns;
	if (c->rto > cfg->rto_max_ns)
		c->rto = cfg->rto_max_ns;
}

/* RFC 6298 section 2: folds one RTT measurement into SRTT and RTTVAR and derives the RTO. */
void tcp__rtt_sample(struct tcp_conn *c, uint64_t rtt)
{
	if (rtt == 0)
		rtt = 1; /* a zero SRTT means "no sample yet" */
	if (c->srtt == 0) {
		c->srtt = rtt; /* (2.2) */
		c->rttvar = rtt / 2;
	} else {
		uint64_t delta = c->srtt > rtt ? c->srtt - rtt : rtt - c->srtt;

		c->rttvar = (3 * c->rttvar + delta) / 4; /* (2.3), beta = 1/4 */
		c->srtt = (7 * c->srtt + rtt) / 8;       /* alpha = 1/8 */
	}
	tcp__rto_update(c);
}
/* >8 End of the RTT estimator. */

/* Gives up on c after its retry limit: RST if it was synchronized, then the end. */
static void give_up(struct tcp_conn *c)
{
	c->stack->st.tcp_timeouts++;
	if (c->state != TCP_ST_SYN_SENT && c->state != TCP_ST_SYN_RCVD)
		tcp__conn_rst(c);
	tcp__conn_finish(c, -ETIMEDOUT);
}

/* rexmit_timeout. 8< */
/* RFC 6298 section 5 (5.4 to 5.7): the oldest unacknowledged segment timed out. Back off the
 * RTO and go back to snd_una; output resends from there, one segment first (rexmit_quota),
 * more as ACKs come back. */
static void rexmit_timeout(struct tcp_conn *c)
{
	struct tcp_stack *s = c->stack;
	bool syn = c->state == TCP_ST_SYN_SENT || c->state == TCP_ST_SYN_RCVD;
	unsigned limit = syn ? s->cfg.syn_retries : s->cfg.max_retries;

	if (c->retries >= limit) {
		give_up(c);
		return;
	}
	c->retries++;
	c->rto = c->rto * 2 < s->cfg.rto_max_ns ? c->rto * 2 : s->cfg.rto_max_ns;
	c->rtt_on = false; /* Karn's algorithm: no sample from a resent segment */
	c->snd_nxt = c->snd_una;
	c->rexmit_quota = 1;
	c->dupacks = 0;
	if (syn)
		s->st.tcp_syn_retransmits++;
	else
		s->st.tcp_retransmits++;
	tcp__conn_want_output(c);
}
/* >8 End of rexmit_timeout. */

/* RFC 9293 section 3.8.6.1: the window stayed shut; probe it. A peer that answers keeps the
 * connection alive for ever (retries restart at each ACK); one that stays silent for
 * cfg.max_retries probes is given up. */
static void persist_timeout(struct tcp_conn *c)
{
	if (c->retries >= c->stack->cfg.max_retries) {
		give_up(c);
		return;
	}
	c->retries++;
	c->probes++;
	c->probe_now = true;
	tcp__conn_want_output(c);
}

/* What c's timer does when it fires. */
static void conn_timeout(struct tcp_conn *c, enum tcp__timer kind)
{
	switch (kind) {
	case TCP__T_REXMIT:
		rexmit_timeout(c);
		break;
	case TCP__T_PERSIST:
		persist_timeout(c);
		break;
	case TCP__T_TIME_WAIT:
		tcp__conn_finish(c, 0);
		break;
	case TCP__T_FIN_WAIT2:
		/* The peer never closed its side: tell it we are gone. */
		tcp__conn_rst(c);
		tcp__conn_finish(c, -ETIMEDOUT);
		break;
	case TCP__T_NONE:
		break;
	}
}

/* Fires the timers of one slot that are due by now; the others stay. */
static void run_slot(struct tcp_stack *s, struct tcp__node *slot, uint64_t now)
{
	struct tcp__node due;

	/* Move the slot's list to a local head first: a timer re-armed while firing may land
	 * in this same slot and must not be seen again in this pass. */
	tcp__list_init(&due);
	if (tcp__list_empty(slot))
		return;
	due.next = slot->next;
	due.prev = slot->prev;
	due.next->prev = &due;
	due.prev->next = &due;
	tcp__list_init(slot);
	while (!tcp__list_empty(&due)) {
		struct tcp_conn *c = tcp__conn_of(due.next, timer_node);
		enum tcp__timer kind = c->timer;

		tcp__list_del(&c->timer_node);
		if (c->deadline > now) {
			tcp__list_add_tail(slot, &c->timer_node); /* a later turn of the wheel */
			continue;
		}
		s->ntimers--;
		c->timer = TCP__T_NONE;
		conn_timeout(c, kind);
	}
}

/* Runs every slot of the ticks that ended by now (at most one full turn). */
void tcp__timers_run(struct tcp_stack *s, uint64_t now)
{
	uint64_t last = tick_of(now), first;

	if (last == 0)
		return;
	last--; /* the current tick is not over: its timers may not be due yet */
	if (last <= s->wheel_tick)
		return;
	first = s->wheel_tick + 1;
	if (last - first >= TCP__WHEEL_SLOTS)
		first = last - TCP__WHEEL_SLOTS + 1; /* one turn visits every slot */
	s->wheel_tick = last;
	if (s->ntimers == 0)
		return;
	for (uint64_t t = first; t <= last; t++)
		run_slot(s, &s->wheel[t % TCP__WHEEL_SLOTS], now);
}

/* Returns the time by which tcp_poll() will fire the earliest timer (UINT64_MAX: none). It
 * walks the slots in tick order and stops at the first one holding a timer of that turn. */
uint64_t tcp__timers_next(const struct tcp_stack *s)
{
	if (s->ntimers == 0)
		return UINT64_MAX;
	for (uint64_t t = s->wheel_tick + 1; t <= s->wheel_tick + TCP__WHEEL_SLOTS; t++) {
		const struct tcp__node *slot = &s->wheel[t % TCP__WHEEL_SLOTS];

		for (const struct tcp__node *n = slot->next; n != slot; n = n->next) {
			const struct tcp_conn *c = tcp__conn_of(n, timer_node);

			if (tick_of(c->deadline) <= t)
				return (t + 1) * TCP__TICK_NS;
		}
	}
	/* Every timer is more than a turn away: come back after one turn. */
	return (s->wheel_tick + TCP__WHEEL_SLOTS + 1) * TCP__TICK_NS;
}
