// SPDX-License-Identifier: MIT
/* loop_given.c (lab 02, given): see loop.h. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lab_util.h"
#include "loop.h"
#include "netns_lab.h"

#define BATCH      32
#define MAX_SAMPLE 1000000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int lab_sockets(int *src, int *in, int *out, int *sink, struct sockaddr_in *a_in,
		struct sockaddr_in *a_sink)
{
	struct sockaddr_in a;

	if (lab_netns_enter())
		return -1;
	*src = lab_udp_socket(9000, 0, &a);
	*in = lab_udp_socket(9001, 4 << 20, a_in);
	*out = lab_udp_socket(9002, 0, &a);
	*sink = lab_udp_socket(9003, 4 << 20, a_sink);
	return *src < 0 || *in < 0 || *out < 0 || *sink < 0 ? -1 : 0;
}

/* The forwarder loop. 8< */
static void *loop_main(void *arg)
{
	struct lab_loop *l = arg;
	char bufs[BATCH][64];
	struct iovec iov[BATCH];
	struct mmsghdr m[BATCH];
	struct rusage ru;

	lab_pin(1);
	while (!atomic_load_explicit(&l->stop, memory_order_relaxed)) {
		int got;

		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
			m[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
		}
		got = recvmmsg(l->in, m, BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0) { /* an empty round: the idle strategy decides what happens now */
			l->err = l->wait(&l->idle, l->in);
			if (l->err)
				break;
			continue;
		}
		l->busy(&l->idle);
		for (int i = 0; i < got; i++) {
			iov[i].iov_len = m[i].msg_len;
			m[i].msg_hdr.msg_name = &l->to;
			m[i].msg_hdr.msg_namelen = sizeof(l->to);
		}
		if (sendmmsg(l->out, m, (unsigned)got, 0) > 0)
			l->forwarded += (uint64_t)got;
	}
	getrusage(RUSAGE_THREAD, &ru);
	l->cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		   ru.ru_stime.tv_usec / 1e6;
	return NULL;
}
/* >8 End of the forwarder loop. */

int lab_loop_start(struct lab_loop *l)
{
	atomic_store(&l->stop, false);
	l->forwarded = 0;
	l->err = 0;
	if (!l->wait) {
		l->wait = idle_wait;
		l->busy = idle_busy;
	}
	return pthread_create(&l->thread, NULL, loop_main, l) ? -1 : 0;
}

void lab_loop_stop(struct lab_loop *l)
{
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void drain_sink(int sink, uint64_t *lat, struct lab_load *o)
{
	uint64_t stamp;

	while (recv(sink, &stamp, sizeof(stamp), MSG_DONTWAIT) == (ssize_t)sizeof(stamp)) {
		if (o->received < MAX_SAMPLE)
			lat[o->received] = now_ns() - stamp;
		o->received++;
	}
}

/* Throws away what an earlier run left in the sink (datagrams its loop forwarded after that
 * run stopped waiting), so that they are not counted as this run's. */
static void sink_flush(int sink)
{
	uint64_t stamp;

	while (recv(sink, &stamp, sizeof(stamp), MSG_DONTWAIT) >= 0)
		;
}

int lab_load_run(int src, const struct sockaddr_in *a_in, int sink, double pps, double secs,
		 struct lab_load *o)
{
	uint64_t *lat = calloc(MAX_SAMPLE, sizeof(*lat));
	uint64_t t0, gap = (uint64_t)(1e9 / pps), n = (uint64_t)(pps * secs), end;
	size_t kept;

	if (!lat)
		return -1;
	memset(o, 0, sizeof(*o));
	sink_flush(sink);
	lab_pin(0);
	t0 = now_ns();
	for (uint64_t i = 0; i < n; i++) {
		uint64_t due = t0 + i * gap, stamp;

		while ((stamp = now_ns()) < due)
			drain_sink(sink, lat, o);
		if (sendto(src, &stamp, sizeof(stamp), 0, (const struct sockaddr *)a_in,
			   sizeof(*a_in)) == (ssize_t)sizeof(stamp))
			o->sent++;
	}
	/* up to 500 ms for the last ones (a sleeping loop on a loaded machine); ends as soon as
	 * everything arrived */
	for (end = now_ns() + 500000000u; now_ns() < end && o->received < o->sent;)
		drain_sink(sink, lat, o);
	kept = o->received < MAX_SAMPLE ? o->received : MAX_SAMPLE;
	if (kept) {
		qsort(lat, kept, sizeof(*lat), cmp_u64);
		o->p50_us = lat[kept / 2] / 1e3;
		o->p99_us = lat[kept * 99 / 100] / 1e3;
	}
	free(lat);
	return 0;
}
