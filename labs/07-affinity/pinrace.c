// SPDX-License-Identifier: MIT
/*
 * pinrace.c (lab 07, given): a generator thread and a DUT thread exchange UDP datagrams in a
 * private network namespace, placed four ways: pinned apart with your aff_pin (generator on
 * CPU 0, DUT on CPU 1), the same with the reference's, floating (your aff_float), and both
 * pinned to CPU 1. Each placement runs a flood (the generator sends bursts as fast as it can,
 * the DUT counts what it receives: throughput) and a ping-pong (one datagram, the DUT echoes
 * it, the generator waits: round-trip latency). Each thread reads its own scheduler counts
 * before and after with your sched_read and with the reference's. Interleaved, ROUNDS rounds.
 * PASS when your pinned placement reaches 80% of the reference's rate and is within 2x + 10 us
 * of its p50 round trip, your counts equal the reference's reading of the same threads, and
 * your pinned threads did not migrate.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "affinity.h"
#include "lab_util.h"
#include "netns_lab.h"

#define ROUNDS   3
#define FLOOD_S  0.6
#define PINGS    3000
#define BURST    32
#define GEN_PORT 7071
#define DUT_PORT 7072

int ref_aff_pin(int cpu);
int ref_aff_float(void);
int ref_sched_read(pid_t tid, struct sched_counts *c);

enum {
	PIN_YOURS,
	PIN_REF,
	FLOATING,
	ONE_CORE,
	PLACES
};
static const char *const place_name[PLACES] = {"pinned (yours)", "pinned (ref)", "floating",
					       "one core"};

/* What one thread saw in one round: its counts' change, read both ways. */
struct delta {
	long vol, invol, mig;             /* with your sched_read */
	long ref_vol, ref_invol, ref_mig; /* with the reference's */
	bool read_ok;
};

struct result {
	double mpps, p50_us, p99_us;
	struct delta gen, dut;
};

struct run {
	int place;
	int gen_fd, dut_fd;
	struct sockaddr_in gen_addr, dut_addr;
	atomic_bool stop;
	uint64_t received;
	struct delta dut;
};

/* Places the calling thread: role 0 the generator, 1 the DUT. */
static int place(int where, int role)
{
	switch (where) {
	case PIN_YOURS:
		return aff_pin(role);
	case PIN_REF:
		return ref_aff_pin(role);
	case FLOATING:
		return aff_float();
	default:
		return aff_pin(1);
	}
}

static void counts_now(struct sched_counts *yours, struct sched_counts *ref, bool *ok)
{
	pid_t tid = gettid();

	*ok = !sched_read(tid, yours) && !ref_sched_read(tid, ref);
}

static void counts_diff(struct sched_counts y0, struct sched_counts r0, struct delta *d, bool ok)
{
	struct sched_counts y1, r1;
	bool ok1;

	counts_now(&y1, &r1, &ok1);
	d->read_ok = ok && ok1;
	d->vol = y1.voluntary - y0.voluntary;
	d->invol = y1.involuntary - y0.involuntary;
	d->mig = y1.migrations - y0.migrations;
	d->ref_vol = r1.voluntary - r0.voluntary;
	d->ref_invol = r1.involuntary - r0.involuntary;
	d->ref_mig = r1.migrations - r0.migrations;
}

/* The DUT: blocks in recv; counts flood datagrams ('F'), echoes pings ('P'). */
static void *dut_main(void *arg)
{
	struct run *r = arg;
	struct sched_counts y0, r0;
	char bufs[BURST][64];
	struct iovec iov[BURST];
	struct mmsghdr m[BURST];
	bool ok;

	place(r->place, 1);
	counts_now(&y0, &r0, &ok);
	while (!atomic_load(&r->stop)) {
		struct pollfd pfd = {r->dut_fd, POLLIN, 0};
		int got;

		for (int i = 0; i < BURST; i++) {
			iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
			m[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
		}
		got = recvmmsg(r->dut_fd, m, BURST, MSG_DONTWAIT, NULL);
		if (got <= 0) {
			poll(&pfd, 1, 50); /* block until a datagram or the stop check */
			continue;
		}
		for (int i = 0; i < got; i++) {
			r->received++;
			if (bufs[i][0] == 'P')
				sendto(r->dut_fd, bufs[i], m[i].msg_len, 0,
				       (struct sockaddr *)&r->gen_addr, sizeof(r->gen_addr));
		}
	}
	counts_diff(y0, r0, &r->dut, ok);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The generator, on the calling thread: the flood, then the ping-pong. */
static void generate(struct run *r, struct result *res, double *rtt)
{
	char bufs[BURST][64];
	struct iovec iov[BURST];
	struct mmsghdr m[BURST];
	uint64_t before;
	double t0, t;
	int n = 0;

	memset(bufs, 'F', sizeof(bufs));
	for (int i = 0; i < BURST; i++) {
		iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
		m[i].msg_hdr = (struct msghdr){.msg_name = &r->dut_addr,
					       .msg_namelen = sizeof(r->dut_addr),
					       .msg_iov = &iov[i],
					       .msg_iovlen = 1};
	}
	usleep(20000); /* let the DUT start */
	before = __atomic_load_n(&r->received, __ATOMIC_RELAXED);
	t0 = lab_now_s();
	while ((t = lab_now_s()) - t0 < FLOOD_S)
		sendmmsg(r->gen_fd, m, BURST, 0);
	usleep(20000); /* what is queued still counts */
	res->mpps =
		(double)(__atomic_load_n(&r->received, __ATOMIC_RELAXED) - before) / (t - t0) / 1e6;
	/* drain the socket, then ping-pong */
	for (int i = 0; i < PINGS; i++) {
		char b[64] = "P";
		struct pollfd pfd = {r->gen_fd, POLLIN, 0};
		double s = lab_now_s();

		sendto(r->gen_fd, b, sizeof(b), 0, (struct sockaddr *)&r->dut_addr,
		       sizeof(r->dut_addr));
		while (poll(&pfd, 1, 100) > 0) {
			if (recv(r->gen_fd, b, sizeof(b), MSG_DONTWAIT) > 0 && b[0] == 'P') {
				rtt[n++] = (lab_now_s() - s) * 1e6;
				break;
			}
		}
	}
	qsort(rtt, (size_t)n, sizeof(*rtt), cmp_double);
	res->p50_us = n ? rtt[n / 2] : NAN;
	res->p99_us = n ? rtt[n * 99 / 100] : NAN;
}

/* One placement, one round; returns 0 or -1. */
static int race(int where, struct result *res, double *rtt)
{
	struct run r = {.place = where};
	struct sched_counts y0, r0;
	pthread_t t;
	bool ok;

	r.gen_fd = lab_udp_socket(GEN_PORT, 4 << 20, &r.gen_addr);
	r.dut_fd = lab_udp_socket(DUT_PORT, 4 << 20, &r.dut_addr);
	if (r.gen_fd < 0 || r.dut_fd < 0)
		return -1;
	if (place(where, 0)) {
		fprintf(stderr, "pinrace: %s: cannot place the generator (is task 1 done?)\n",
			place_name[where]);
		return -1;
	}
	counts_now(&y0, &r0, &ok);
	if (pthread_create(&t, NULL, dut_main, &r))
		return -1;
	generate(&r, res, rtt);
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);
	counts_diff(y0, r0, &res->gen, ok);
	res->dut = r.dut;
	close(r.gen_fd);
	close(r.dut_fd);
	return 0;
}

static bool agree(long yours, long ref)
{
	return labs(yours - ref) <= 2 + labs(ref) / 50; /* the two reads are a few us apart */
}

int main(void)
{
	struct result best[PLACES] = {{0}}, sum[PLACES] = {{0}};
	static double rtt[PINGS];
	bool counts_ok = true;
	FILE *dat;

	if (lab_netns_enter())
		return 2;
	for (unsigned round = 0; round < ROUNDS; round++)
		for (int k = 0; k < PLACES; k++) {
			int where = (k + (int)round) % PLACES;
			struct result r;
			struct delta *ds[2] = {&r.gen, &r.dut};

			if (race(where, &r, rtt))
				return 2;
			for (int i = 0; i < 2; i++) {
				struct delta *d = ds[i];

				if (!d->read_ok || !agree(d->vol, d->ref_vol) ||
				    !agree(d->invol, d->ref_invol) || !agree(d->mig, d->ref_mig)) {
					printf("your counts of the %s in %s: %ld %ld %ld, the "
					       "reference's: %ld %ld %ld (voluntary, involuntary, "
					       "migrations)\n",
					       i ? "DUT" : "generator", place_name[where], d->vol,
					       d->invol, d->mig, d->ref_vol, d->ref_invol,
					       d->ref_mig);
					counts_ok = false;
				}
			}
			if (r.mpps > best[where].mpps)
				best[where].mpps = r.mpps;
			if (!best[where].p50_us || r.p50_us < best[where].p50_us)
				best[where].p50_us = r.p50_us, best[where].p99_us = r.p99_us;
			sum[where].gen.vol += r.gen.vol, sum[where].gen.invol += r.gen.invol;
			sum[where].gen.mig += r.gen.mig, sum[where].dut.vol += r.dut.vol;
			sum[where].dut.invol += r.dut.invol, sum[where].dut.mig += r.dut.mig;
		}
	printf("generator and DUT over UDP in a private namespace, %u rounds (flood %.1f s, %u "
	       "pings): best Mpps and p50/p99 round trip; per round: the scheduler's counts "
	       "(voluntary/involuntary switches, migrations) of generator | DUT\n",
	       ROUNDS, FLOOD_S, PINGS);
	dat = fopen("pinrace.dat", "w");
	for (int k = 0; k < PLACES; k++) {
		struct result *s = &sum[k];

		printf("  %-15s %6.3f Mpps  %7.1f / %7.1f us   gen %6ld/%5ld/%4ld | dut "
		       "%6ld/%5ld/%4ld\n",
		       place_name[k], best[k].mpps, best[k].p50_us, best[k].p99_us,
		       s->gen.vol / ROUNDS, s->gen.invol / ROUNDS, s->gen.mig / ROUNDS,
		       s->dut.vol / ROUNDS, s->dut.invol / ROUNDS, s->dut.mig / ROUNDS);
		if (dat)
			fprintf(dat, "\"%s\" %.4f %.2f %.2f %ld %ld\n", place_name[k], best[k].mpps,
				best[k].p50_us, best[k].p99_us, (s->gen.mig + s->dut.mig) / ROUNDS,
				(s->gen.vol + s->gen.invol + s->dut.vol + s->dut.invol) / ROUNDS);
	}
	if (dat)
		fclose(dat);
	double ratio = best[PIN_YOURS].mpps / best[PIN_REF].mpps;
	bool rate_ok = ratio >= 0.8,
	     lat_ok = best[PIN_YOURS].p50_us <= 2 * best[PIN_REF].p50_us + 10,
	     still = sum[PIN_YOURS].gen.mig == 0 && sum[PIN_YOURS].dut.mig == 0;

	printf("pinned: yours / reference rate %.2f (%s), p50 %.1f vs %.1f us (%s); your counts "
	       "%s the reference's; your pinned threads migrated %ld times (%s)\n",
	       ratio, rate_ok ? "ok" : "below 80%", best[PIN_YOURS].p50_us, best[PIN_REF].p50_us,
	       lat_ok ? "ok" : "above 2x + 10 us", counts_ok ? "equal" : "DIFFER FROM",
	       sum[PIN_YOURS].gen.mig + sum[PIN_YOURS].dut.mig,
	       still ? "ok" : "pinned threads must not move");
	bool pass = rate_ok && lat_ok && counts_ok && still;

	printf("%s\n", pass ? "PASS" : "FAIL");
	return pass ? 0 : 1;
}
