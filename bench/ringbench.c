// SPDX-License-Identifier: MIT
/*
 * ringbench.c: `linerate ringbench`, the throughput of the two ring kinds (common/ring.h)
 * between a producer and a consumer thread on different cores, for batch sizes 1, 8, 32 and
 * 256. It shows what a lock costs per item and how batching amortises it: the reason DPDK
 * moves packets in bursts through lock-free rings. The consumer polls (no sleeping) and
 * checks every item, so a run that loses or reorders data fails instead of printing a figure.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "cpu.h"
#include "log.h"
#include "lr.h"
#include "ring.h"
#include "tsc.h"

#define MAX_BATCH         256
#define MAX_REPEAT        99
#define YIELD_AFTER_SPINS 4096 /* a floating pair may land on one core */

static const unsigned batches[] = {1, 8, 32, 256};

enum which_kinds {
	KINDS_BOTH,
	KINDS_LOCKFREE,
	KINDS_MUTEX
};

static const struct cli_enum kinds_enum[] = {
	{"both", KINDS_BOTH},
	{"lockfree", KINDS_LOCKFREE},
	{"mutex", KINDS_MUTEX},
	{NULL, 0},
};

struct rb_opts {
	long items;
	long size;
	long repeat;
	int kinds;
	int affinity;
	int format;
};

/* Where the two threads run: CPU numbers, or -1 for floating. */
struct placement {
	int pcpu, ccpu;
	int allowed; /* CPUs this process may run on (taskset, cpuset) */
	bool shared; /* one core for both: yield instead of spinning */
};

/* One measured configuration, shared by the main, producer and consumer threads. */
struct run {
	struct ring *r;
	uint64_t items;
	unsigned batch;
	struct placement pl;
	atomic_int ready; /* threads that are placed and waiting for go */
	atomic_bool go;
	int pin_err[2];    /* producer, consumer: 0 or -errno from cpu_pin() */
	uint64_t t_end;    /* TSC when the consumer had every item */
	uint64_t received; /* items the consumer saw */
	uint64_t bad_at;   /* first item that was not previous + 1, or 0 */
};

struct result {
	enum ring_kind kind;
	unsigned batch;
	double seconds, mops, ns_per_item, cycles_per_item; /* of the median run */
	double mops_min, mops_max;                          /* over all runs */
};

/* Called when the ring was full or empty; *spins counts such calls since the last progress. */
static void wait_a_little(const struct run *run, unsigned *spins)
{
	/* the other side may need our core to make room (shared, or floating onto one core) */
	if (run->pl.shared || ++*spins > YIELD_AFTER_SPINS)
		sched_yield();
	else
		tsc_pause();
}

/* Pins the calling thread (side 0 producer, 1 consumer) and waits for the start signal. */
static void place_and_wait(struct run *run, int side)
{
	int cpu = side ? run->pl.ccpu : run->pl.pcpu;

	if (cpu >= 0)
		run->pin_err[side] = cpu_pin(cpu);
	atomic_fetch_add(&run->ready, 1);
	while (!atomic_load_explicit(&run->go, memory_order_acquire))
		tsc_pause();
}

static void *producer(void *arg)
{
	struct run *run = arg;
	void *buf[MAX_BATCH];
	uint64_t next = 1;
	unsigned spins = 0;

	place_and_wait(run, 0);
	while (next <= run->items) {
		unsigned k = run->batch, done = 0;

		if (k > run->items - next + 1)
			k = (unsigned)(run->items - next + 1);
		for (unsigned i = 0; i < k; i++)
			buf[i] = (void *)(uintptr_t)(next + i);
		while (done < k) {
			unsigned m = ring_enqueue_burst(run->r, buf + done, k - done);

			if (!m)
				wait_a_little(run, &spins);
			else
				spins = 0;
			done += m;
		}
		next += k;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct run *run = arg;
	void *buf[MAX_BATCH];
	uint64_t expect = 1;
	unsigned spins = 0;

	place_and_wait(run, 1);
	while (expect <= run->items) {
		unsigned m = ring_dequeue_burst(run->r, buf, run->batch);

		if (!m)
			wait_a_little(run, &spins);
		else
			spins = 0;
		for (unsigned i = 0; i < m; i++, expect++)
			if (unlikely((uintptr_t)buf[i] != expect) && !run->bad_at)
				run->bad_at = expect;
	}
	run->t_end = tsc_read();
	run->received = expect - 1;
	return NULL;
}

/* Starts both threads, lets them go together and waits for the last item. */
static int run_threads(struct run *run, uint64_t *t_start)
{
	pthread_t prod, cons;
	int err;

	err = pthread_create(&cons, NULL, consumer, run);
	if (err)
		return -err;
	err = pthread_create(&prod, NULL, producer, run);
	if (err) {
		run->items = 0; /* lets the consumer finish at once */
		atomic_store(&run->go, true);
		pthread_join(cons, NULL);
		return -err;
	}
	while (atomic_load(&run->ready) < 2)
		sched_yield();
	*t_start = tsc_read();
	atomic_store_explicit(&run->go, true, memory_order_release);
	pthread_join(prod, NULL);
	pthread_join(cons, NULL);
	return 0;
}

/* Times one run of one kind at one batch size into *ticks (TSC); returns an exit code. */
static int measure_once(const struct rb_opts *o, const struct placement *pl, enum ring_kind kind,
			unsigned batch, uint64_t *ticks)
{
	struct run run = {.items = (uint64_t)o->items, .batch = batch, .pl = *pl};
	uint64_t t0 = 0;
	int err;

	run.r = ring_new(kind, (unsigned)o->size);
	if (!run.r) {
		pr_err("ringbench: cannot create a %s ring of %ld items: %s", ring_kind_name(kind),
		       o->size,
		       errno == ENOMEM ? "out of memory (try a smaller --size)" : "bad size");
		return LR_EXIT_ENV;
	}
	err = run_threads(&run, &t0);
	ring_free(run.r);
	if (err) {
		pr_err("ringbench: cannot start the %s threads: error %d (check 'ulimit -u')",
		       ring_kind_name(kind), -err);
		return LR_EXIT_ENV;
	}
	if (run.pin_err[0] || run.pin_err[1]) {
		pr_err("ringbench: cannot pin the threads to CPUs %d and %d (error %d); run with "
		       "--affinity floating",
		       pl->pcpu, pl->ccpu, run.pin_err[0] ? -run.pin_err[0] : -run.pin_err[1]);
		return LR_EXIT_ENV;
	}
	if (run.bad_at || run.received != run.items) {
		pr_err("ringbench: %s ring, batch %u: lost or reordered data (item %" PRIu64
		       " wrong, %" PRIu64 " of %" PRIu64 " received); the ring is broken",
		       ring_kind_name(kind), batch, run.bad_at, run.received, run.items);
		return LR_EXIT_FAIL;
	}
	*ticks = run.t_end - t0;
	return LR_EXIT_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Runs one configuration --repeat times and keeps the median run and the spread. */
static int measure(const struct rb_opts *o, const struct placement *pl, enum ring_kind kind,
		   unsigned batch, struct result *res)
{
	uint64_t ticks[MAX_REPEAT], med;
	double items = (double)o->items;
	int ret;

	for (long i = 0; i < o->repeat; i++) {
		ret = measure_once(o, pl, kind, batch, &ticks[i]);
		if (ret != LR_EXIT_OK)
			return ret;
	}
	qsort(ticks, (size_t)o->repeat, sizeof(ticks[0]), cmp_u64);
	med = ticks[o->repeat / 2];
	*res = (struct result){
		.kind = kind,
		.batch = batch,
		.seconds = (double)tsc_to_ns(med) / 1e9,
		.mops = items / ((double)tsc_to_ns(med) / 1e3),
		.mops_min = items / ((double)tsc_to_ns(ticks[o->repeat - 1]) / 1e3),
		.mops_max = items / ((double)tsc_to_ns(ticks[0]) / 1e3),
		.ns_per_item = (double)tsc_to_ns(med) / items,
		.cycles_per_item = (double)med / items,
	};
	return LR_EXIT_OK;
}

static void describe_placement(const struct placement *pl, char *buf, size_t len)
{
	if (pl->pcpu < 0)
		snprintf(buf, len, "producer and consumer floating (not pinned)");
	else if (pl->shared)
		snprintf(buf, len, "producer and consumer share CPU %d", pl->pcpu);
	else
		snprintf(buf, len, "producer pinned to CPU %d, consumer pinned to CPU %d", pl->pcpu,
			 pl->ccpu);
}

static void print_header(const struct rb_opts *o, const struct placement *pl)
{
	char where[128];

	describe_placement(pl, where, sizeof(where));
	if (o->format == CLI_FORMAT_HUMAN) {
		printf("ringbench: ring size %ld, %ld items per run, median of %ld runs; the "
		       "consumer polls and checks FIFO order\n",
		       o->size, o->items, o->repeat);
		printf("cores: %s (%d of %d online CPUs usable); TSC %.3f GHz%s\n", where,
		       pl->allowed, cpu_count(), tsc_hz() / 1e9,
		       tsc_invariant() ? ", invariant" : ", NOT invariant");
		printf("%-9s %6s %10s %10s %12s %9s  %s\n", "kind", "batch", "Mops/s", "ns/item",
		       "cycles/item", "seconds", "Mops/s min..max");
	} else if (o->format == CLI_FORMAT_CSV) {
		printf("kind,batch,ring_size,items,repeat,producer_cpu,consumer_cpu,seconds,mops,"
		       "mops_min,mops_max,ns_per_item,cycles_per_item\n");
	}
	fflush(stdout);
}

static void print_result(const struct rb_opts *o, const struct placement *pl,
			 const struct result *r)
{
	const char *kind = ring_kind_name(r->kind);

	if (o->format == CLI_FORMAT_HUMAN)
		printf("%-9s %6u %10.2f %10.2f %12.1f %9.3f  %.2f..%.2f\n", kind, r->batch, r->mops,
		       r->ns_per_item, r->cycles_per_item, r->seconds, r->mops_min, r->mops_max);
	else if (o->format == CLI_FORMAT_CSV)
		printf("%s,%u,%ld,%ld,%ld,%d,%d,%.6f,%.4f,%.4f,%.4f,%.4f,%.2f\n", kind, r->batch,
		       o->size, o->items, o->repeat, pl->pcpu, pl->ccpu, r->seconds, r->mops,
		       r->mops_min, r->mops_max, r->ns_per_item, r->cycles_per_item);
	else
		printf("{\"kind\":\"%s\",\"batch\":%u,\"ring_size\":%ld,\"items\":%ld,"
		       "\"repeat\":%ld,\"producer_cpu\":%d,\"consumer_cpu\":%d,\"seconds\":%.6f,"
		       "\"mops\":%.4f,\"mops_min\":%.4f,\"mops_max\":%.4f,\"ns_per_item\":%.4f,"
		       "\"cycles_per_item\":%.2f,\"tsc_ghz\":%.4f}\n",
		       kind, r->batch, o->size, o->items, o->repeat, pl->pcpu, pl->ccpu, r->seconds,
		       r->mops, r->mops_min, r->mops_max, r->ns_per_item, r->cycles_per_item,
		       tsc_hz() / 1e9);
	fflush(stdout);
}

/* The final line: how many times faster the lock-free ring is, per batch size. CSV has no
 * place for it (the ratio follows from the rows). */
static void print_ratios(const struct rb_opts *o, const struct result *lf, const struct result *mx)
{
	const size_t nb = ARRAY_SIZE(batches);

	if (o->format == CLI_FORMAT_CSV)
		return;
	printf(o->format == CLI_FORMAT_HUMAN ? "lockfree/mutex throughput:"
					     : "{\"lockfree_over_mutex\":{");
	for (size_t i = 0; i < nb; i++) {
		double ratio = lf[i].mops / mx[i].mops;

		if (o->format == CLI_FORMAT_HUMAN)
			printf(" batch %u %.1fx%s", batches[i], ratio, i + 1 < nb ? "," : "\n");
		else
			printf("\"%u\":%.3f%s", batches[i], ratio, i + 1 < nb ? "," : "}}\n");
	}
}

/* Parses and checks the options; returns -1 to go on, else the exit code to return. */
static int parse_opts(int argc, char **argv, struct rb_opts *o)
{
	const struct cli_option opts[] = {
		{"items", 0, CLI_INT, &o->items, "N", "items per kind and batch size", NULL, 1,
		 1e12},
		{"size", 's', CLI_INT, &o->size, "N", "ring size in items (a power of two)", NULL,
		 2, 2147483648.0},
		{"repeat", 0, CLI_INT, &o->repeat, "N",
		 "runs per kind and batch size (the median is shown)", NULL, 1, MAX_REPEAT},
		{"kinds", 'k', CLI_ENUM, &o->kinds, "KINDS", "ring kinds to measure", kinds_enum},
		{"affinity", 'a', CLI_ENUM, &o->affinity, "AFFINITY",
		 "pinned: producer and consumer on different cores; floating: let the scheduler "
		 "place them",
		 cli_affinity_enum},
		{"format", 'f', CLI_ENUM, &o->format, "FORMAT", "output format", cli_format_enum},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate ringbench", "[options]",
		"Measures the lockfree and the mutex ring (common/ring.h) between a producer and a "
		"consumer thread on different cores, with batches of 1, 8, 32 and 256 items, and "
		"prints Mops/s, ns and TSC cycles per item and the lockfree/mutex ratio.",
		opts};
	int first, ret = cli_parse(&prog, argc, argv, &first);

	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first < argc) {
		pr_err("ringbench: unexpected argument '%s' (see 'linerate ringbench --help')",
		       argv[first]);
		return LR_EXIT_USAGE;
	}
	if (o->size & (o->size - 1)) {
		pr_err("ringbench: --size: '%ld' is not a power of two (accepted: 2, 4, 8, ... "
		       "2147483648, e.g. 1024)",
		       o->size);
		return LR_EXIT_USAGE;
	}
	return -1;
}

/* Picks the first two CPUs the process may use (so taskset and cpusets are respected). */
static struct placement choose_placement(const struct rb_opts *o)
{
	struct placement pl = {.pcpu = -1, .ccpu = -1};
	int cpus[2] = {0, 0};
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (int c = 0, n = 0; c < CPU_SETSIZE && n < 2; c++)
			if (CPU_ISSET(c, &set))
				cpus[n++] = c;
		pl.allowed = CPU_COUNT(&set);
	} else {
		pl.allowed = cpu_count(); /* best effort: assume every online CPU */
		cpus[1] = 1;
	}
	pl.shared = pl.allowed < 2;
	if (o->affinity == CLI_AFFINITY_PINNED) {
		pl.pcpu = cpus[0];
		pl.ccpu = pl.shared ? cpus[0] : cpus[1];
	}
	return pl;
}

int cmd_ringbench(int argc, char **argv)
{
	struct rb_opts o = {.items = 5000000,
			    .size = 1024,
			    .repeat = 3,
			    .kinds = KINDS_BOTH,
			    .affinity = CLI_AFFINITY_PINNED,
			    .format = CLI_FORMAT_HUMAN};
	struct result res[2][ARRAY_SIZE(batches)];
	struct placement pl;
	int ret = parse_opts(argc, argv, &o);

	if (ret >= 0)
		return ret;
	if (tsc_init()) {
		pr_err("ringbench: cannot calibrate the TSC against CLOCK_MONOTONIC_RAW");
		return LR_EXIT_ENV;
	}
	pl = choose_placement(&o);
	print_header(&o, &pl);
	for (int k = RING_LOCKFREE; k <= RING_MUTEX; k++) {
		if ((k == RING_LOCKFREE && o.kinds == KINDS_MUTEX) ||
		    (k == RING_MUTEX && o.kinds == KINDS_LOCKFREE))
			continue;
		for (size_t b = 0; b < ARRAY_SIZE(batches); b++) {
			ret = measure(&o, &pl, (enum ring_kind)k, batches[b], &res[k][b]);
			if (ret != LR_EXIT_OK)
				return ret;
			print_result(&o, &pl, &res[k][b]);
		}
	}
	if (o.kinds == KINDS_BOTH)
		print_ratios(&o, res[RING_LOCKFREE], res[RING_MUTEX]);
	return LR_EXIT_OK;
}
