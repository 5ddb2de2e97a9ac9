// SPDX-License-Identifier: MIT
/*
 * tcp_stack.c: the TCP stack's life and the calls that drive it. tcp_stack_new() allocates
 * everything the stack will ever use (so memory is bounded by tcp_cfg alone), and the main
 * loop's calls (tcp_input_burst, tcp_poll, tcp_output) feed it frames and time and take its
 * frames away. Also the counters and the memory arithmetic programs print at start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lr.h"
#include "tcp_int.h"

void tcp_cfg_defaults(struct tcp_cfg *cfg)
{
	if (!cfg->max_conns)
		cfg->max_conns = TCP_DEF_MAX_CONNS;
	if (!cfg->rx_buf)
		cfg->rx_buf = TCP_DEF_BUF;
	if (!cfg->tx_buf)
		cfg->tx_buf = TCP_DEF_BUF;
	if (!cfg->mss)
		cfg->mss = TCP_DEF_MSS;
	if (!cfg->time_wait_ns)
		cfg->time_wait_ns = TCP_DEF_TIME_WAIT_NS;
	if (!cfg->ephemeral_lo)
		cfg->ephemeral_lo = TCP_EPHEMERAL_LO;
	if (!cfg->syn_retries)
		cfg->syn_retries = TCP_DEF_SYN_RETRIES;
	if (!cfg->max_retries)
		cfg->max_retries = TCP_DEF_MAX_RETRIES;
	if (!cfg->rto_init_ns)
		cfg->rto_init_ns = TCP_DEF_RTO_INIT_NS;
	if (!cfg->rto_min_ns)
		cfg->rto_min_ns = TCP_DEF_RTO_MIN_NS;
	if (!cfg->rto_max_ns)
		cfg->rto_max_ns = TCP_DEF_RTO_MAX_NS;
	if (!cfg->fin_wait2_ns)
		cfg->fin_wait2_ns = TCP_DEF_FIN_WAIT2_NS;
	if (!cfg->arp_cache)
		cfg->arp_cache = TCP_DEF_ARP_CACHE;
	if (!cfg->arp_queue)
		cfg->arp_queue = TCP_DEF_ARP_QUEUE;
	if (!cfg->arp_ttl_ns)
		cfg->arp_ttl_ns = TCP_DEF_ARP_TTL_NS;
	if (!cfg->arp_retry_ns)
		cfg->arp_retry_ns = TCP_DEF_ARP_RETRY_NS;
	if (!cfg->arp_retries)
		cfg->arp_retries = TCP_DEF_ARP_RETRIES;
}

static bool cfg_valid(const struct tcp_cfg *cfg)
{
	static const uint8_t zero_mac[PKT_ETH_ALEN];

	return cfg->ip != 0 && memcmp(cfg->mac, zero_mac, PKT_ETH_ALEN) != 0 &&
	       cfg->max_conns <= TCP_MAX_CONNS && cfg->rx_buf <= TCP_BUF_MAX &&
	       cfg->tx_buf <= TCP_BUF_MAX && cfg->mss >= TCP_MSS_MIN &&
	       cfg->mss <= TCP_FRAME_MAX - TCP__HDRS_LEN && cfg->rto_min_ns <= cfg->rto_max_ns &&
	       cfg->arp_cache <= 4096 && cfg->arp_queue <= 4096;
}

/* Hash buckets: the power of two at or above the connection cap. */
static uint32_t bucket_count(unsigned max_conns)
{
	uint32_t n = 16;

	while (n < max_conns)
		n *= 2;
	return n;
}

size_t tcp_conn_mem(const struct tcp_cfg *cfg_in)
{
	struct tcp_cfg cfg = *cfg_in;
	size_t table;

	tcp_cfg_defaults(&cfg);
	table = bucket_count(cfg.max_conns) * sizeof(struct tcp_conn *);
	return sizeof(struct tcp_conn) + cfg.rx_buf + cfg.tx_buf +
	       (table + cfg.max_conns - 1) / cfg.max_conns;
}

size_t tcp_stack_mem(const struct tcp_cfg *cfg_in)
{
	struct tcp_cfg cfg = *cfg_in;

	tcp_cfg_defaults(&cfg);
	return sizeof(struct tcp_stack) +
	       (size_t)cfg.max_conns * (sizeof(struct tcp_conn) + (size_t)cfg.rx_buf + cfg.tx_buf) +
	       bucket_count(cfg.max_conns) * sizeof(struct tcp_conn *) +
	       cfg.arp_cache * sizeof(struct tcp__arp_entry) +
	       cfg.arp_queue * sizeof(struct tcp__arp_wait) +
	       TCP_CTL_QUEUE * sizeof(struct tcp__frame) + TCP_FRAME_MAX;
}

const char *tcp_state_name(enum tcp_state st)
{
	static const char *const names[] = {
		[TCP_ST_CLOSED] = "CLOSED",         [TCP_ST_SYN_SENT] = "SYN_SENT",
		[TCP_ST_SYN_RCVD] = "SYN_RCVD",     [TCP_ST_ESTABLISHED] = "ESTABLISHED",
		[TCP_ST_FIN_WAIT_1] = "FIN_WAIT_1", [TCP_ST_FIN_WAIT_2] = "FIN_WAIT_2",
		[TCP_ST_CLOSING] = "CLOSING",       [TCP_ST_TIME_WAIT] = "TIME_WAIT",
		[TCP_ST_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_ST_LAST_ACK] = "LAST_ACK",
	};

	if ((unsigned)st >= ARRAY_SIZE(names))
		return "?";
	return names[st];
}

/* The stack's secret: the configured seed, or 8 bytes from the kernel's generator. */
static uint64_t stack_seed(const struct tcp_cfg *cfg)
{
	uint64_t seed = cfg->seed;

	if (seed)
		return seed;
	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
		struct timespec ts;

		/* best effort: getrandom() exists since Linux 3.17 */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		seed = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^ (uint64_t)getpid();
	}
	return seed;
}

/* Allocates every array of s (cfg set); returns 0 or -ENOMEM. */
static int stack_alloc(struct tcp_stack *s)
{
	const struct tcp_cfg *cfg = &s->cfg;
	uint32_t nb = bucket_count(cfg->max_conns);

	s->conns = calloc(cfg->max_conns, sizeof(*s->conns));
	s->bufmem = calloc(cfg->max_conns, (size_t)cfg->rx_buf + cfg->tx_buf);
	s->buckets = calloc(nb, sizeof(*s->buckets));
	s->arp = calloc(cfg->arp_cache, sizeof(*s->arp));
	s->arpq = calloc(cfg->arp_queue, sizeof(*s->arpq));
	s->ctlq = calloc(TCP_CTL_QUEUE, sizeof(*s->ctlq));
	s->scratch = malloc(TCP_FRAME_MAX);
	if (!s->conns || !s->bufmem || !s->buckets || !s->arp || !s->arpq || !s->ctlq ||
	    !s->scratch)
		return -ENOMEM;
	s->bucket_mask = nb - 1;
	return 0;
}

/* Chains every connection into the free list (the first one on top) and empties the lists. */
static void stack_link(struct tcp_stack *s)
{
	for (unsigned i = s->cfg.max_conns; i-- > 0;) {
		struct tcp_conn *c = &s->conns[i];

		c->stack = s;
		tcp__list_init(&c->timer_node);
		tcp__list_init(&c->out_node);
		tcp__list_init(&c->ev_node);
		c->hnext = s->free_conns;
		s->free_conns = c;
	}
	tcp__list_init(&s->out_list);
	tcp__list_init(&s->ev_list);
	for (unsigned i = 0; i < TCP__WHEEL_SLOTS; i++)
		tcp__list_init(&s->wheel[i]);
}

struct tcp_stack *tcp_stack_new(const struct tcp_cfg *cfg)
{
	struct tcp_stack *s = calloc(1, sizeof(*s));

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->cfg = *cfg;
	tcp_cfg_defaults(&s->cfg);
	if (!cfg_valid(&s->cfg)) {
		free(s);
		errno = EINVAL;
		return NULL;
	}
	if (stack_alloc(s)) {
		tcp_stack_free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->rng = stack_seed(&s->cfg);
	s->isn_key = tcp__random(s);
	s->hash_key = tcp__random(s);
	s->ip_id = (uint16_t)tcp__random(s);
	stack_link(s);
	return s;
}

void tcp_stack_free(struct tcp_stack *s)
{
	if (!s)
		return;
	free(s->conns);
	free(s->bufmem);
	free(s->buckets);
	free(s->arp);
	free(s->arpq);
	free(s->ctlq);
	free(s->scratch);
	free(s);
}

unsigned tcp_input_burst(struct tcp_stack *s, struct io_port *p, uint64_t now_ns)
{
	return tcp_input_burst_max(s, p, 32, now_ns);
}

void tcp_poll(struct tcp_stack *s, uint64_t now_ns)
{
	tcp__clock(s, now_ns);
	tcp__timers_run(s, s->now);
	tcp__arp_timers(s);
}

uint64_t tcp_next_deadline(const struct tcp_stack *s)
{
	uint64_t t = tcp__timers_next(s), a = tcp__arp_next_deadline(s);

	return t < a ? t : a;
}

unsigned tcp_output(struct tcp_stack *s, struct io_port *p, uint64_t now_ns)
{
	struct tcp__tx tx;

	tcp__clock(s, now_ns);
	if (p->max_frame < TCP_FRAME_MAX) {
		s->st.tx_no_buf++; /* the port's buffers cannot hold a full frame */
		return 0;
	}
	tcp__tx_start(&tx, s);
	tx.port = p;
	return tcp__tx_run(&tx);
}

unsigned tcp_output_cb(struct tcp_stack *s, tcp_frame_fn fn, void *arg, uint64_t now_ns)
{
	struct tcp__tx tx;

	tcp__clock(s, now_ns);
	tcp__tx_start(&tx, s);
	tx.fn = fn;
	tx.arg = arg;
	return tcp__tx_run(&tx);
}

bool tcp_output_pending(const struct tcp_stack *s)
{
	return s->ctl_count > 0 || !tcp__list_empty(&s->out_list);
}

const struct tcp_stats *tcp_stats(const struct tcp_stack *s)
{
	return &s->st;
}

unsigned tcp_conn_count(const struct tcp_stack *s)
{
	return s->nconns;
}

#define STAT(field)                                                                                \
	{                                                                                          \
#field, offsetof(struct tcp_stats, field)                                          \
	}

static const struct {
	const char *name;
	size_t off;
} stat_fields[] = {
	STAT(rx_frames),
	STAT(tx_frames),
	STAT(tx_no_buf),
	STAT(tx_dropped),
	STAT(ctl_queue_full),
	STAT(eth_short),
	STAT(eth_not_for_us),
	STAT(eth_unknown_type),
	STAT(arp_bad),
	STAT(arp_requests_in),
	STAT(arp_replies_in),
	STAT(arp_replies_out),
	STAT(arp_requests_out),
	STAT(arp_queued),
	STAT(arp_queue_full),
	STAT(arp_given_up),
	STAT(arp_cache_evicted),
	STAT(ip_short),
	STAT(ip_bad_header),
	STAT(ip_bad_len),
	STAT(ip_bad_csum),
	STAT(ip_fragments),
	STAT(ip_bad_src),
	STAT(ip_not_for_us),
	STAT(ip_unknown_proto),
	STAT(icmp_short),
	STAT(icmp_bad_csum),
	STAT(icmp_echo_replied),
	STAT(icmp_ignored),
	STAT(tcp_short),
	STAT(tcp_bad_doff),
	STAT(tcp_bad_csum),
	STAT(tcp_bad_options),
	STAT(tcp_passive_opens),
	STAT(tcp_active_opens),
	STAT(tcp_established),
	STAT(tcp_closed),
	STAT(tcp_syn_table_full),
	STAT(tcp_no_conn),
	STAT(tcp_resets_in),
	STAT(tcp_timeouts),
	STAT(tcp_rst_out),
	STAT(tcp_rst_ignored),
	STAT(tcp_challenge_acks),
	STAT(tcp_not_acceptable),
	STAT(tcp_bad_ack),
	STAT(tcp_segs_in),
	STAT(tcp_segs_out),
	STAT(tcp_bytes_in),
	STAT(tcp_bytes_out),
	STAT(tcp_retransmits),
	STAT(tcp_fast_retransmits),
	STAT(tcp_syn_retransmits),
	STAT(tcp_window_probes),
	STAT(tcp_dup_acks),
	STAT(tcp_ooo_queued),
	STAT(tcp_ooo_dropped),
	STAT(tcp_data_after_close),
};

_Static_assert(ARRAY_SIZE(stat_fields) == sizeof(struct tcp_stats) / sizeof(uint64_t),
	       "every tcp_stats field needs a name in stat_fields");

void tcp_stats_print(const struct tcp_stats *st, FILE *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		uint64_t v;

		memcpy(&v, (const char *)st + stat_fields[i].off, sizeof(v));
		if (v)
			fprintf(f, "  %s %llu\n", stat_fields[i].name, (unsigned long long)v);
	}
}
