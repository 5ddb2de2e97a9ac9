// SPDX-License-Identifier: MIT
/*
 * test_tracker.c (lab 10): the grader. The canonical key, the flow table (against a model
 * under churn), the state machine on crafted segments, the timeouts, then the shipped pcap
 * traces (traces/, made by mktraces.c and, for echo.pcap, by a live kernel TCP echo), each
 * with the events every connection must raise, and a live echo captured now (root).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "live.h"
#include "pkt.h"

TestSuite(lab10, .timeout = 60);

#define C_IP 0xc6120a01u /* 198.18.10.1 */
#define S_IP 0xc6121401u /* 198.18.20.1 */
#define SEC  1000000000ull

/* --- an event log: per client port, the events in order ("NEW EST CLOSED") --------------- */

static const char *const EV[] = {"NEW", "EST", "CLOSED", "RESET", "TIMEOUT"};

struct log {
	unsigned n;
	struct {
		uint16_t port;
		char evs[64];
		uint64_t last_ns;
	} e[128];
};

static void on_event(void *arg, const struct flow *f, enum ft_event ev, uint64_t now_ns)
{
	struct log *l = arg;
	uint16_t port = f->client_lo ? f->key.port_lo : f->key.port_hi;
	unsigned i = 0;

	while (i < l->n && l->e[i].port != port)
		i++;
	if (i == l->n) {
		if (l->n == 128)
			return;
		l->n++;
		l->e[i].port = port;
		l->e[i].evs[0] = 0;
	}
	if (l->e[i].evs[0])
		strncat(l->e[i].evs, " ", sizeof(l->e[i].evs) - strlen(l->e[i].evs) - 1);
	strncat(l->e[i].evs, EV[ev], sizeof(l->e[i].evs) - strlen(l->e[i].evs) - 1);
	l->e[i].last_ns = now_ns;
}

static const char *events_of(const struct log *l, uint16_t port)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->e[i].port == port)
			return l->e[i].evs;
	return "";
}

static struct ft ft;
static struct log lg;

static void setup(void)
{
	memset(&lg, 0, sizeof(lg));
	cr_assert_eq(ft_init(&ft, 256, on_event, &lg), 0);
}

static void teardown(void)
{
	ft_fini(&ft);
}

/* A segment between the test client C_IP:cport and the server S_IP:80. */
static struct ft_pkt seg(int from_client, uint16_t cport, uint8_t flags, uint32_t seq, uint32_t ack,
			 uint16_t len, uint64_t ts)
{
	return (struct ft_pkt){.saddr = from_client ? C_IP : S_IP,
			       .daddr = from_client ? S_IP : C_IP,
			       .sport = from_client ? cport : 80,
			       .dport = from_client ? 80 : cport,
			       .seq = seq,
			       .ack = ack,
			       .payload_len = len,
			       .flags = flags,
			       .ts_ns = ts};
}

static void feed(struct ft_pkt p)
{
	ft_packet(&ft, &p);
}

/* --- task 1 --------------------------------------------------------------------------------- */

Test(lab10, task1_both_directions_make_one_key)
{
	struct ft_key a, b;
	struct ft_pkt p = seg(1, 5555, PKT_TCP_SYN, 0, 0, 0, 0), q = seg(0, 5555, 0, 0, 0, 0, 0);
	int da = ft_key_make(&p, &a), db = ft_key_make(&q, &b);

	cr_expect_eq(memcmp(&a, &b, sizeof(a)), 0, "client->server and server->client: one key");
	cr_expect_eq(a.proto, PKT_IPPROTO_TCP);
	cr_expect_neq(da, db, "the two directions must be told apart");
	cr_expect_eq(da, 1, "198.18.10.1 < 198.18.20.1: the client is the lo end");
	cr_expect_eq(a.ip_lo, C_IP);
	cr_expect_eq(a.port_lo, 5555);
	cr_expect_eq(a.ip_hi, S_IP);
	cr_expect_eq(a.port_hi, 80);
}

Test(lab10, task1_same_address_ports_decide_and_keys_differ)
{
	struct ft_pkt p = {.saddr = C_IP, .daddr = C_IP, .sport = 9000, .dport = 80};
	struct ft_key a, b;

	cr_expect_eq(ft_key_make(&p, &a), 0, "same address: port 9000 > 80, the source is hi");
	cr_expect_eq(a.port_lo, 80);
	cr_expect_eq(a.port_hi, 9000);
	p.sport = 9001;
	ft_key_make(&p, &b);
	cr_expect_neq(memcmp(&a, &b, sizeof(a)), 0, "another source port, another flow");
}

/* --- task 2 --------------------------------------------------------------------------------- */

static struct ft_key key_n(uint32_t n)
{
	struct ft_pkt p = {
		.saddr = C_IP + (n >> 16), .daddr = S_IP, .sport = (uint16_t)n, .dport = 443};
	struct ft_key k;

	memset(&k, 0, sizeof(k));
	k.proto = PKT_IPPROTO_TCP;
	k.ip_lo = p.saddr;
	k.port_lo = p.sport;
	k.ip_hi = p.daddr;
	k.port_hi = p.dport;
	return k;
}

Test(lab10, task2_insert_lookup_remove, .init = setup, .fini = teardown)
{
	struct ft_key k1 = key_n(1), k2 = key_n(2);
	struct flow *f1 = ft_insert(&ft, &k1), *f2;

	cr_assert_not_null(f1, "an empty table has room");
	cr_expect_eq(memcmp(&f1->key, &k1, sizeof(k1)), 0, "the key is set");
	cr_expect_eq(f1->state, FT_FREE, "a new entry is zeroed (the caller sets the state)");
	f1->state = FT_SYN_SENT;
	cr_expect_eq(ft_lookup(&ft, &k1), f1);
	cr_expect_null(ft_lookup(&ft, &k2), "not inserted");
	f2 = ft_insert(&ft, &k2);
	cr_assert_not_null(f2);
	f2->state = FT_SYN_SENT;
	cr_expect_eq(ft.active, 2);
	ft_remove(&ft, f1);
	cr_expect_null(ft_lookup(&ft, &k1), "removed");
	cr_expect_eq(ft_lookup(&ft, &k2), f2, "the other flow stays");
	cr_expect_eq(ft.active, 1);
	cr_expect_eq(f1->state, FT_FREE);
}

Test(lab10, task2_full_table_and_the_free_list, .init = setup, .fini = teardown)
{
	struct flow *f[256];

	for (uint32_t i = 0; i < 256; i++) {
		struct ft_key k = key_n(i);

		f[i] = ft_insert(&ft, &k);
		cr_assert_not_null(f[i], "entry %u of 256", i);
		f[i]->state = FT_ESTABLISHED;
	}
	struct ft_key extra = key_n(1000);

	cr_expect_null(ft_insert(&ft, &extra), "257th flow in 256 entries: NULL");
	ft_remove(&ft, f[17]);
	cr_expect_not_null(ft_insert(&ft, &extra), "a removed entry is reused");
	for (uint32_t i = 0; i < 256; i++) {
		struct ft_key k = key_n(i);

		cr_expect_eq(ft_lookup(&ft, &k), i == 17 ? NULL : f[i], "flow %u", i);
	}
}

/* 200000 random inserts and removes in a table of 256 (chains of every length), checked
 * against a plain array of what is present. */
Test(lab10, task2_churn_matches_a_model, .init = setup, .fini = teardown)
{
	static struct flow *model[1024];
	uint32_t x = 12345;

	memset(model, 0, sizeof(model));
	for (unsigned step = 0; step < 200000; step++) {
		uint32_t n;
		struct ft_key k;
		struct flow *f;

		x = x * 1103515245 + 12345;
		n = (x >> 8) % 1024;
		k = key_n(n * 977);
		f = ft_lookup(&ft, &k);
		cr_assert_eq(f, model[n], "step %u: lookup of key %u: %p, want %p", step, n,
			     (void *)f, (void *)model[n]);
		if (f) {
			ft_remove(&ft, f);
			model[n] = NULL;
		} else if (ft.active < 256) {
			model[n] = ft_insert(&ft, &k);
			cr_assert_not_null(model[n], "step %u: %u active of 256", step, ft.active);
			model[n]->state = FT_ESTABLISHED;
		}
	}
}

/* --- task 3 --------------------------------------------------------------------------------- */

/* The handshake, 100 bytes each way, the close: client ISN 1000, server 5000. */
static void conversation(uint16_t cport, uint64_t t)
{
	feed(seg(1, cport, PKT_TCP_SYN, 1000, 0, 0, t));
	feed(seg(0, cport, PKT_TCP_SYN | PKT_TCP_ACK, 5000, 1001, 0, t + 1));
	feed(seg(1, cport, PKT_TCP_ACK, 1001, 5001, 0, t + 2));
	feed(seg(1, cport, PKT_TCP_ACK | PKT_TCP_PSH, 1001, 5001, 100, t + 3));
	feed(seg(0, cport, PKT_TCP_ACK | PKT_TCP_PSH, 5001, 1101, 100, t + 4));
	feed(seg(1, cport, PKT_TCP_ACK | PKT_TCP_FIN, 1101, 5101, 0, t + 5));
	feed(seg(0, cport, PKT_TCP_ACK, 5101, 1102, 0, t + 6));
	feed(seg(0, cport, PKT_TCP_ACK | PKT_TCP_FIN, 5101, 1102, 0, t + 7));
}

Test(lab10, task3_handshake_data_and_close_raise_three_events, .init = setup, .fini = teardown)
{
	struct flow *f;
	struct ft_key k;
	struct ft_pkt p = seg(1, 7000, 0, 0, 0, 0, 0);

	conversation(7000, 100);
	ft_key_make(&p, &k);
	f = ft_lookup(&ft, &k);
	cr_assert_not_null(f, "before the last ACK the flow is still there");
	cr_expect_eq(f->state, FT_FIN_WAIT);
	cr_expect_eq(f->pkts[FT_CLIENT], 4);
	cr_expect_eq(f->pkts[FT_SERVER], 4);
	cr_expect_eq(f->bytes[FT_CLIENT], 100);
	cr_expect_eq(f->bytes[FT_SERVER], 100);
	cr_expect_eq(f->first_ns, 100);
	cr_expect_str_eq(events_of(&lg, 7000), "NEW EST");
	feed(seg(1, 7000, PKT_TCP_ACK, 1102, 5102, 0, 108));
	cr_expect_str_eq(events_of(&lg, 7000), "NEW EST CLOSED");
	cr_expect_eq(ft.active, 0, "a closed flow is removed");
	cr_expect_eq(ft.st.packets, 9);
	cr_expect_eq(ft.st.events[FT_EV_CLOSED], 1);
}

Test(lab10, task3_resets_and_refusals, .init = setup, .fini = teardown)
{
	feed(seg(1, 7001, PKT_TCP_SYN, 1, 0, 0, 1));
	feed(seg(0, 7001, PKT_TCP_RST | PKT_TCP_ACK, 0, 2, 0, 2));
	feed(seg(1, 7002, PKT_TCP_SYN, 1, 0, 0, 3));
	feed(seg(0, 7002, PKT_TCP_SYN | PKT_TCP_ACK, 9, 2, 0, 4));
	feed(seg(1, 7002, PKT_TCP_ACK, 2, 10, 0, 5));
	feed(seg(1, 7002, PKT_TCP_RST, 2, 0, 0, 6));
	cr_expect_str_eq(events_of(&lg, 7001), "NEW RESET", "refused");
	cr_expect_str_eq(events_of(&lg, 7002), "NEW EST RESET", "reset by the client");
	cr_expect_eq(ft.active, 0);
}

Test(lab10, task3_no_flow_without_a_syn_and_no_double_events, .init = setup, .fini = teardown)
{
	feed(seg(1, 7003, PKT_TCP_ACK, 1, 1, 10, 1));              /* mid-stream */
	feed(seg(0, 7003, PKT_TCP_SYN | PKT_TCP_ACK, 1, 1, 0, 2)); /* a SYN+ACK alone */
	feed(seg(1, 7003, PKT_TCP_RST, 1, 0, 0, 3));               /* a RST alone */
	cr_expect_eq(ft.st.untracked, 3, "three segments of no flow, none a pure SYN");
	cr_expect_eq(ft.active, 0);
	cr_expect_eq(lg.n, 0, "no events for them");
	feed(seg(1, 7004, PKT_TCP_SYN, 1, 0, 0, 4));
	feed(seg(1, 7004, PKT_TCP_SYN, 1, 0, 0, 5)); /* retransmitted */
	feed(seg(0, 7004, PKT_TCP_SYN | PKT_TCP_ACK, 50, 2, 0, 6));
	feed(seg(0, 7004, PKT_TCP_SYN | PKT_TCP_ACK, 50, 2, 0, 7)); /* retransmitted */
	feed(seg(1, 7004, PKT_TCP_SYN | PKT_TCP_ACK, 1, 51, 0, 8)); /* not the client's ACK */
	cr_expect_str_eq(events_of(&lg, 7004), "NEW", "retransmissions raise nothing new");
	feed(seg(1, 7004, PKT_TCP_ACK, 2, 51, 0, 9));
	feed(seg(1, 7004, PKT_TCP_ACK, 2, 51, 0, 10));
	cr_expect_str_eq(events_of(&lg, 7004), "NEW EST");
	cr_expect_eq(ft.active, 1);
}

/* The server's ACK below the client's FIN + 1 must not count as acknowledging it, across the
 * wrap of the sequence numbers; a full table counts SYNs it could not track. */
Test(lab10, task3_fin_acks_across_the_wrap)
{
	struct ft small;
	struct log l = {0};

	cr_assert_eq(ft_init(&small, 2, on_event, &l), 0);
	struct ft_pkt s[] = {
		seg(1, 7005, PKT_TCP_SYN, 0xfffffff0u, 0, 0, 1),
		seg(0, 7005, PKT_TCP_SYN | PKT_TCP_ACK, 0xfffffffeu, 0xfffffff1u, 0, 2),
		seg(1, 7005, PKT_TCP_ACK, 0xfffffff1u, 0xffffffffu, 0, 3),
		seg(1, 7005, PKT_TCP_ACK | PKT_TCP_FIN, 0xfffffff1u, 0xffffffffu, 14, 4),
		seg(0, 7005, PKT_TCP_ACK | PKT_TCP_FIN, 0xffffffffu, 0xffffffffu, 0, 5),
		seg(1, 7005, PKT_TCP_ACK, 0, 0, 0, 6),
		seg(0, 7005, PKT_TCP_ACK, 0, 0xffffffffu, 0, 7),
	};
	for (unsigned i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		ft_packet(&small, &s[i]);
	cr_expect_str_eq(events_of(&l, 7005), "NEW EST",
			 "ack 0xffffffff is short of the client's FIN (at 0xffffffff, acked by 0)");
	struct ft_pkt fin_ack = seg(0, 7005, PKT_TCP_ACK, 0, 0, 0, 8);

	ft_packet(&small, &fin_ack);
	cr_expect_str_eq(events_of(&l, 7005), "NEW EST CLOSED", "ack 0 acknowledges it");
	for (uint16_t port = 1; port <= 3; port++) {
		struct ft_pkt syn = seg(1, port, PKT_TCP_SYN, 1, 0, 0, 9);

		ft_packet(&small, &syn);
	}
	cr_expect_eq(small.st.full, 1, "3 SYNs, 2 entries");
	cr_expect_eq(small.active, 2);
	ft_fini(&small);
}

/* --- task 4 --------------------------------------------------------------------------------- */

Test(lab10, task4_each_state_times_out_after_its_own_timeout, .init = setup, .fini = teardown)
{
	feed(seg(1, 7010, PKT_TCP_SYN, 1, 0, 0, 0)); /* SYN_SENT, 5 s */
	feed(seg(1, 7011, PKT_TCP_SYN, 1, 0, 0, 0)); /* established, 60 s */
	feed(seg(0, 7011, PKT_TCP_SYN | PKT_TCP_ACK, 9, 2, 0, 0));
	feed(seg(1, 7011, PKT_TCP_ACK, 2, 10, 0, 0));
	feed(seg(1, 7012, PKT_TCP_SYN, 1, 0, 0, 0)); /* FIN_WAIT, 10 s */
	feed(seg(0, 7012, PKT_TCP_SYN | PKT_TCP_ACK, 9, 2, 0, 0));
	feed(seg(1, 7012, PKT_TCP_ACK, 2, 10, 0, 0));
	feed(seg(1, 7012, PKT_TCP_ACK | PKT_TCP_FIN, 2, 10, 0, 0));
	cr_expect_eq(ft_expire(&ft, 5 * SEC), 0, "5 s: nothing is idle *longer* than 5 s");
	cr_expect_eq(ft_expire(&ft, 5 * SEC + 1), 1, "just past 5 s: the SYN");
	cr_expect_str_eq(events_of(&lg, 7010), "NEW TIMEOUT");
	cr_expect_eq(ft_expire(&ft, 10 * SEC + 1), 1, "past 10 s: the closing flow");
	cr_expect_str_eq(events_of(&lg, 7012), "NEW EST TIMEOUT");
	feed(seg(1, 7011, PKT_TCP_ACK, 2, 10, 5, 30 * SEC)); /* traffic resets the idle time */
	cr_expect_eq(ft_expire(&ft, 89 * SEC), 0, "59 s idle");
	cr_expect_eq(ft_expire(&ft, 91 * SEC), 1, "61 s idle");
	cr_expect_str_eq(events_of(&lg, 7011), "NEW EST TIMEOUT");
	cr_expect_eq(ft.active, 0);
	cr_expect_eq(ft.st.events[FT_EV_TIMEOUT], 3);
}

/* --- task 5: the traces ------------------------------------------------------------------- */

static void replay(const char *name, uint64_t tail_ns, long frames)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/traces/%s.pcap", LAB_DIR, name);
	cr_assert_eq(ft_replay(&ft, path, tail_ns), frames, "%s: frames read", name);
}

Test(lab10, task5_trace_handshake_close, .init = setup, .fini = teardown)
{
	replay("handshake_close", 0, 10);
	cr_expect_str_eq(events_of(&lg, 40000), "NEW EST CLOSED");
	cr_expect_eq(ft.active, 0);
}

Test(lab10, task5_trace_reset, .init = setup, .fini = teardown)
{
	replay("reset", 0, 9);
	cr_expect_str_eq(events_of(&lg, 40001), "NEW EST RESET");
	cr_expect_str_eq(events_of(&lg, 40002), "NEW RESET");
	cr_expect_eq(ft.active, 0);
}

Test(lab10, task5_trace_timeout, .init = setup, .fini = teardown)
{
	replay("timeout", 0, 15);
	cr_expect_str_eq(events_of(&lg, 40003), "NEW", "the SYN was sent 3 s before the end");
	cr_expect_str_eq(events_of(&lg, 40004), "NEW EST");
	cr_expect_str_eq(events_of(&lg, 40005), "NEW EST", "the last ACK is lost");
	cr_expect_eq(ft.active, 3);
	cr_expect_eq(ft_expire(&ft, lg.e[0].last_ns + 30 * SEC), 2, "30 s later");
	cr_expect_str_eq(events_of(&lg, 40003), "NEW TIMEOUT");
	cr_expect_str_eq(events_of(&lg, 40005), "NEW EST TIMEOUT");
	cr_expect_eq(ft_expire(&ft, lg.e[0].last_ns + 61 * SEC), 1, "61 s after the SYN");
	cr_expect_str_eq(events_of(&lg, 40004), "NEW EST TIMEOUT");
}

Test(lab10, task5_trace_wrap, .init = setup, .fini = teardown)
{
	replay("wrap", 0, 14);
	cr_expect_str_eq(events_of(&lg, 40006), "NEW EST CLOSED");
	cr_expect_eq(ft.st.untracked, 0,
		     "a flow closed early (a FIN taken as acked across the wrap) leaves segments "
		     "of no flow");
}

Test(lab10, task5_trace_mixed, .init = setup, .fini = teardown)
{
	replay("mixed", 120 * SEC, 305);
	for (uint16_t i = 0; i < 40; i++) {
		static const char *const want[] = {"NEW EST CLOSED", "NEW EST RESET", "NEW RESET",
						   "NEW EST CLOSED"};

		cr_expect_str_eq(events_of(&lg, (uint16_t)(41000 + i)), want[i % 4], "port %u",
				 41000 + i);
	}
	cr_expect_eq(ft.st.untracked, 5, "the 5 segments of a connection begun before the trace");
	cr_expect_eq(ft.st.events[FT_EV_NEW], 40);
	cr_expect_eq(ft.st.events[FT_EV_TIMEOUT], 0);
	cr_expect_eq(ft.active, 0);
}

/* echo.pcap: 8 connections of a kernel TCP echo, captured on lo (mktraces --echo). */
Test(lab10, task5_trace_echo_recorded_from_the_kernel, .init = setup, .fini = teardown)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/traces/echo.pcap", LAB_DIR);
	cr_assert_gt(ft_replay(&ft, path, 0), 0);
	cr_expect_eq(ft.st.events[FT_EV_NEW], 8);
	cr_expect_eq(ft.st.events[FT_EV_ESTABLISHED], 8);
	cr_expect_eq(ft.st.events[FT_EV_CLOSED], 8);
	cr_expect_eq(ft.st.events[FT_EV_RESET], 0);
	cr_expect_eq(ft.active, 0);
	for (unsigned i = 0; i < lg.n; i++)
		cr_expect_str_eq(lg.e[i].evs, "NEW EST CLOSED", "port %u", lg.e[i].port);
}

/* Live: a kernel TCP echo in a private namespace, captured on its lo now (root). */
Test(lab10, task5_live_echo, .init = setup, .fini = teardown)
{
	long frames = ft_live_echo(&ft, 20, 5000, NULL);

	cr_assert_gt(frames, 0, "the live echo could not run (root? see the message above)");
	cr_expect_eq(ft.st.events[FT_EV_NEW], 20, "20 connections opened, %ld frames", frames);
	cr_expect_eq(ft.st.events[FT_EV_ESTABLISHED], 20);
	cr_expect_eq(ft.st.events[FT_EV_CLOSED], 20);
	cr_expect_eq(ft.st.events[FT_EV_RESET], 0);
	cr_expect_eq(ft.active, 0, "every connection closed");
	cr_expect_eq(ft.st.untracked, 0);
}
