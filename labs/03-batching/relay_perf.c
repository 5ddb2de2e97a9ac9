// SPDX-License-Identifier: MIT
/*
 * relay_perf.c (lab 03, given): datagrams per second through your relay_batch() and the
 * reference's, per batch size, in one run, in a private network namespace. A sender thread on
 * core 0 keeps the relay's socket full (sendmmsg of 64 datagrams, 18 B of payload: a 64 B
 * frame on a wire); the relay runs on core 1 for WINDOW_S per point, yours and the reference
 * interleaved. Prints rate, system calls and copied bytes per datagram, writes batching.dat
 * for plot.gp, and grades yours at batch 32 against the reference of this run (PASS at 80%).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab_util.h"
#include "netns_lab.h"
#include "relay.h"

#define WINDOW_S 0.4
#define PAYLOAD  18

int ref_relay_batch(struct relay *r);

static const unsigned batches[] = {1, 2, 4, 8, 16, 32, 64};
static int src, in, out;
static struct sockaddr_in a_in, a_sink;
static atomic_bool done;

static void *sender(void *arg)
{
	static char buf[64][PAYLOAD];
	struct mmsghdr m[64];
	struct iovec iov[64];

	(void)arg;
	lab_pin(0);
	for (unsigned i = 0; i < 64; i++) {
		iov[i] = (struct iovec){buf[i], PAYLOAD};
		m[i].msg_hdr = (struct msghdr){.msg_name = &a_in,
					       .msg_namelen = sizeof(a_in),
					       .msg_iov = &iov[i],
					       .msg_iovlen = 1};
	}
	while (!atomic_load(&done))
		if (sendmmsg(src, m, 64, 0) < 0)
			sched_yield(); /* the relay's socket is full */
	return NULL;
}

/* One point: relay with fn at batch b for WINDOW_S; fills st; returns datagrams/s. */
static double point(int (*fn)(struct relay *), unsigned b, struct relay_stats *st)
{
	struct relay r;
	double t0, t;

	if (relay_init(&r, in, out, &a_sink, b))
		return -1;
	t0 = lab_now_s();
	do {
		for (int i = 0; i < 64; i++)
			if (fn(&r) < 0)
				return -1;
		t = lab_now_s() - t0;
	} while (t < WINDOW_S);
	*st = r.st;
	relay_fini(&r);
	return (double)st->pkts / t;
}

int main(void)
{
	struct sockaddr_in a_src, a_out;
	double yours32 = 0, ref32 = 0;
	pthread_t t;
	FILE *dat;

	if (lab_netns_enter())
		return 2;
	src = lab_udp_socket(9000, 0, &a_src);
	in = lab_udp_socket(9001, 4 << 20, &a_in);
	out = lab_udp_socket(9002, 0, &a_out);
	if (src < 0 || in < 0 || out < 0 || lab_udp_socket(9003, 0, &a_sink) < 0) {
		perror("relay_perf: sockets");
		return 2;
	}
	dat = fopen("batching.dat", "w");
	if (!dat || pthread_create(&t, NULL, sender, NULL))
		return 2;
	lab_pin(1);
	printf("%-6s %12s %10s %10s   %12s %10s\n", "batch", "yours kdg/s", "calls/dg", "bytes/dg",
	       "ref kdg/s", "calls/dg");
	for (unsigned i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		struct relay_stats ys, rs;
		double y = point(relay_batch, batches[i], &ys);
		double f = point(ref_relay_batch, batches[i], &rs);

		if (y < 0 || f < 0) {
			fprintf(stderr,
				"relay_perf: a relay failed at batch %u (make check first)\n",
				batches[i]);
			atomic_store(&done, true);
			pthread_join(t, NULL);
			return 1;
		}
		printf("%-6u %12.1f %10.3f %10.1f   %12.1f %10.3f\n", batches[i], y / 1e3,
		       ys.pkts ? (double)ys.syscalls / ys.pkts : 0,
		       ys.pkts ? (double)ys.bytes_copied / ys.pkts : 0, f / 1e3,
		       rs.pkts ? (double)rs.syscalls / rs.pkts : 0);
		fprintf(dat, "%u %.1f %.1f\n", batches[i], y / 1e3, f / 1e3);
		if (batches[i] == 32) {
			yours32 = y;
			ref32 = f;
		}
	}
	atomic_store(&done, true);
	pthread_join(t, NULL);
	fclose(dat);
	printf("batch 32: yours / reference = %.2f: %s\n", yours32 / ref32,
	       yours32 >= 0.8 * ref32 ? "PASS (80% of the reference or more)"
				      : "FAIL (below 80% of the reference measured in this run)");
	return yours32 >= 0.8 * ref32 ? 0 : 1;
}
