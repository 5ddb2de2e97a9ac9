// SPDX-License-Identifier: MIT
/*
 * test_relay.c (lab 03): the grader. Each test runs in its own private network namespace
 * (netns_lab.c; root). 256 datagrams of 18 to 1400 bytes, each numbered and filled with a
 * pattern of its number, go through your relay_batch(): every one must arrive at the sink, in
 * order, intact, and the counters must say what it cost.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netns_lab.h"
#include "relay.h"

#define N 256

static int src, in, out, sink;
static struct sockaddr_in a_src, a_in, a_out, a_sink;
static uint64_t sent_bytes;

static void setup(void)
{
	cr_assert_eq(lab_netns_enter(), 0, "the tests need root for their private namespace");
	src = lab_udp_socket(9000, 0, &a_src);
	in = lab_udp_socket(9001, 4 << 20, &a_in);
	out = lab_udp_socket(9002, 0, &a_out);
	sink = lab_udp_socket(9003, 4 << 20, &a_sink);
	cr_assert(src >= 0 && in >= 0 && out >= 0 && sink >= 0, "sockets: %s", strerror(errno));
}

TestSuite(lab03, .init = setup, .timeout = 20);

static unsigned len_of(unsigned i)
{
	return 18 + (i * 97) % 1383;
}

static void send_all(void)
{
	char buf[RELAY_MAX_LEN];

	sent_bytes = 0;
	for (unsigned i = 0; i < N; i++) {
		unsigned len = len_of(i);

		memset(buf, (int)(i & 0xff), len);
		memcpy(buf, &i, sizeof(i));
		cr_assert_eq(sendto(src, buf, len, 0, (struct sockaddr *)&a_in, sizeof(a_in)),
			     (ssize_t)len);
		sent_bytes += len;
	}
}

/* Calls fn until n datagrams went through (or 10 * N calls); returns the calls made. */
static unsigned pump(struct relay *r, int (*fn)(struct relay *), unsigned n)
{
	unsigned calls = 0;

	while (r->st.pkts < n && calls < 10 * N) {
		int ret = fn(r);

		cr_assert_geq(ret, 0, "the relay failed: %s", strerror(-ret));
		calls++;
	}
	return calls;
}

static void expect_sink_has_all(void)
{
	char buf[RELAY_MAX_LEN];

	for (unsigned i = 0; i < N; i++) {
		ssize_t n = recv(sink, buf, sizeof(buf), MSG_DONTWAIT);
		unsigned seq;

		cr_assert_eq(n, (ssize_t)len_of(i), "datagram %u: %zd bytes arrived, %u were sent",
			     i, n, len_of(i));
		memcpy(&seq, buf, sizeof(seq));
		cr_assert_eq(seq, i, "datagram %u arrived where %u was due", seq, i);
		for (ssize_t k = sizeof(seq); k < n; k++)
			cr_assert_eq((unsigned char)buf[k], i & 0xff, "datagram %u: byte %zd", i,
				     k);
	}
	cr_expect_eq(recv(sink, buf, sizeof(buf), MSG_DONTWAIT), -1, "more than was sent arrived");
}

Test(lab03, task1_nothing_waiting_is_zero_not_an_error)
{
	struct relay r;

	cr_assert_eq(relay_init(&r, in, out, &a_sink, 32), 0);
	cr_expect_eq(relay_batch(&r), 0, "an empty socket: 0 (EAGAIN is not an error)");
	cr_expect_eq(r.st.syscalls, 1, "one recvmmsg() to find nothing");
	relay_fini(&r);
}

Test(lab03, task1_batch_relays_every_datagram_in_order_intact)
{
	struct relay r;

	send_all();
	cr_assert_eq(relay_init(&r, in, out, &a_sink, 32), 0);
	pump(&r, relay_batch, N);
	cr_assert_eq(r.st.pkts, N, "relayed %llu of %u", (unsigned long long)r.st.pkts, N);
	expect_sink_has_all();
	relay_fini(&r);
}

Test(lab03, task2_a_batch_of_32_costs_two_calls_per_32_datagrams)
{
	struct relay r;

	send_all();
	cr_assert_eq(relay_init(&r, in, out, &a_sink, 32), 0);
	pump(&r, relay_batch, N);
	cr_assert_eq(r.st.pkts, N);
	cr_expect_eq(r.st.syscalls, 2 * N / 32,
		     "256 datagrams, batch 32: 8 recvmmsg + 8 sendmmsg; "
		     "counted %llu",
		     (unsigned long long)r.st.syscalls);
	cr_expect_eq(r.st.bytes_copied, 2 * sent_bytes, "every byte is copied in and out once");
	relay_fini(&r);
}

Test(lab03, task2_a_batch_of_1_costs_what_relay_one_costs)
{
	struct relay one, batch;

	send_all();
	cr_assert_eq(relay_init(&one, in, out, &a_sink, 1), 0);
	pump(&one, relay_one, N);
	expect_sink_has_all();
	send_all();
	cr_assert_eq(relay_init(&batch, in, out, &a_sink, 1), 0);
	pump(&batch, relay_batch, N);
	expect_sink_has_all();
	cr_expect_eq(batch.st.syscalls, one.st.syscalls, "batch 1: %llu calls, relay_one: %llu",
		     (unsigned long long)batch.st.syscalls, (unsigned long long)one.st.syscalls);
	cr_expect_eq(batch.st.bytes_copied, one.st.bytes_copied);
	relay_fini(&one);
	relay_fini(&batch);
}
