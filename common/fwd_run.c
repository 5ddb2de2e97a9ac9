// SPDX-License-Identifier: MIT
/*
 * fwd_run.c: the loops of every forwarder, over any struct fwd_path. Run to completion is one
 * thread doing rx -> work -> tx per direction. The pipeline is an RX thread (rx and the
 * forwarding work) and a TX thread joined by two rings of the same kind: jobs go forward
 * through one and come back through the other, so each job's memory, and anything the TX side
 * leaves for the RX side to free, returns to the thread that owns it. The calling thread only
 * watches the clock, the stop flag and prints the periodic lines.
 *
 * Idle policy. Poll mode spins with the pause instruction. Otherwise a loop with nothing to do
 * sleeps: the RX side in the path's wait() (poll() on the ports: the "interrupt-driven" mode),
 * the TX side on its ring when the ring kind can sleep (mutex + condition variable). A ring
 * that cannot sleep (lock-free, rte_ring) is waited on by spinning briefly and then napping,
 * each nap longer than the last (20 us up to about 1.3 ms), so an idle pipeline does not burn a
 * core it shares with its other thread.
 * While jobs are in flight the RX thread waits for them to come back rather than in poll():
 * some backends keep a port readable while its frames are held (AF_PACKET RX rings do).
 */
#include "fwd.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "log.h"
#include "mem.h"
#include "ring.h"
#include "stop.h"
#include "tsc.h"

#define DEF_JOBS      64
#define WAIT_MS       100                   /* longest sleep in wait(): how soon a stop is seen */
#define SLEEP_NS      (10ull * 1000 * 1000) /* longest sleep on a ring that can sleep */
#define SPINS         256                   /* idle spins before a nap */
#define NAP_NS        20000                 /* first nap of an idle loop on a non-sleeping ring */
#define NAP_DOUBLINGS 6                     /* naps grow to NAP_NS << 6, about 1.3 ms */
#define DEQ_MAX       32                    /* jobs moved per ring call */
#define TICK_NS       (20ull * 1000 * 1000) /* the watching thread's longest sleep */
#define T_RX          0                     /* counters of the run-to-completion or RX thread */
#define T_TX          1                     /* counters of the pipeline's TX thread */

struct run {
	const struct fwd_path *path;
	const struct fwd_run_cfg *cfg;
	struct fwd_counters ctr[2]; /* cache-aligned each: one per thread */
	atomic_bool stop, rx_done, polled;
	void *fwd_ring, *ret_ring;
	uint8_t *jobs;
	size_t jobs_len, stride;
	unsigned njobs;
	uint64_t delay_cycles; /* --test-delay per packet, in TSC cycles (0: off) */
};

static struct fwd_job *job_at(struct run *r, unsigned i)
{
	return (struct fwd_job *)(r->jobs + (size_t)i * r->stride);
}

static bool stopping(struct run *r)
{
	return atomic_load_explicit(&r->stop, memory_order_relaxed);
}

/* One idle round on a ring that cannot sleep: spin a little, then nap, each nap twice as long
 * as the one before up to NAP_NS << NAP_DOUBLINGS, so a long-idle consumer costs next to
 * nothing and a busy one loses at most one short nap. */
static void backoff(unsigned *idle)
{
	struct timespec ts = {0};
	unsigned naps;

	if ((*idle)++ < SPINS) {
		tsc_pause();
		return;
	}
	naps = *idle - SPINS - 1;
	ts.tv_nsec = (long)NAP_NS << (naps < NAP_DOUBLINGS ? naps : NAP_DOUBLINGS);
	nanosleep(&ts, NULL);
}

/* Dequeues from a ring, handling an empty ring by the idle policy; returns how many. */
static unsigned ring_take(struct run *r, void *ring, void **objs, unsigned n, unsigned *idle)
{
	const struct fwd_ring_ops *ops = r->cfg->ring;
	unsigned k = ops->dequeue(ring, objs, n);

	if (k) {
		*idle = 0;
		return k;
	}
	if (r->cfg->poll) {
		tsc_pause();
		return 0;
	}
	if (ops->dequeue_sleep)
		return ops->dequeue_sleep(ring, objs, n, SLEEP_NS);
	backoff(idle);
	return 0;
}

/* rx_idle. 8< */
/* Nothing was received: spin, or sleep until the path may have input (flushing first what the
 * thread transmitted, when it is the one that transmits). */
static void rx_idle(struct run *r, bool *poll, bool transmits, struct fwd_counters *c)
{
	const struct fwd_path *p = r->path;

	if (*poll) {
		tsc_pause();
		return;
	}
	if (!p->wait)
		return; /* rx blocks by itself */
	if (transmits && p->flush)
		p->flush(p->ctx);
	if (p->wait(p->ctx, WAIT_MS) == -EOPNOTSUPP) {
		*poll = true; /* the ports have no descriptor to sleep on */
		atomic_store(&r->polled, true);
		return;
	}
	fwd_count(c->sleeps, 1);
}
/* >8 End of rx_idle. */

/* TEST ONLY (--test-delay): spins n packets' worth of the artificial per-packet delay. */
static void test_delay(const struct run *r, unsigned n)
{
	uint64_t end = tsc_read() + r->delay_cycles * n;

	while (tsc_read() < end)
		tsc_pause();
}

/* Counts a round that moved packets: from t0, or from woke when a blocking rx slept. */
static void busy_add(struct fwd_counters *c, uint64_t t0, uint64_t woke)
{
	fwd_count(c->busy_cycles, tsc_read() - (woke > t0 ? woke : t0));
}

static void thread_enter(struct run *r, int cpu)
{
	const struct fwd_run_cfg *cfg = r->cfg;
	int ret = cfg->pinned ? cpu_pin(cpu) : cpu_float();

	if (ret)
		pr_warn("cannot %s the loop thread%s: %s", cfg->pinned ? "pin" : "unpin",
			cfg->pinned ? " to its CPU" : "", strerror(-ret));
	if (cfg->thread_init)
		cfg->thread_init(cfg->thread_arg);
}

static void thread_leave(struct run *r, bool transmits)
{
	const struct fwd_path *p = r->path;

	if (transmits && p->flush)
		p->flush(p->ctx);
	if (r->cfg->thread_fini)
		r->cfg->thread_fini(r->cfg->thread_arg);
}

/* ---- run to completion ---- */

/* The run-to-completion loop. 8< */
static void *rtc_thread(void *arg)
{
	struct run *r = arg;
	const struct fwd_path *p = r->path;
	struct fwd_counters *c = &r->ctr[T_RX];
	bool poll = r->cfg->poll;

	thread_enter(r, r->cfg->cpu);
	while (!stopping(r)) {
		bool moved = false;

		for (unsigned d = 0; d < p->ndirs; d++) {
			struct fwd_job *job = job_at(r, d);
			uint64_t t0 = tsc_read();
			unsigned got = p->rx(p->ctx, job, c);

			if (!got)
				continue;
			fwd_count(c->rx_bursts, 1);
			if (unlikely(r->delay_cycles))
				test_delay(r, got);
			lr_plant(LR_PLANT_LOOP * (unsigned long)got / 8);
			if (job->n)
				p->tx(p->ctx, job, c);
			if (p->reclaim)
				p->reclaim(p->ctx, job);
			busy_add(c, t0, job->t_woke);
			job->t_woke = 0;
			moved = true;
		}
		if (!moved)
			rx_idle(r, &poll, true, c);
		else if (unlikely(r->cfg->max_rx &&
				  __atomic_load_n(&c->rx, __ATOMIC_RELAXED) >= r->cfg->max_rx))
			atomic_store(&r->stop, true);
	}
	thread_leave(r, true);
	return NULL;
}
/* >8 End of the run-to-completion loop. */

/* ---- pipeline ---- */

/* RX thread: takes back the jobs the TX thread returned; returns how many. */
static unsigned take_back(struct run *r, struct fwd_job **stack, unsigned *nfree, bool wait,
			  unsigned *idle)
{
	const struct fwd_path *p = r->path;
	void *got[DEQ_MAX];
	unsigned k;

	k = wait ? ring_take(r, r->ret_ring, got, DEQ_MAX, idle)
		 : r->cfg->ring->dequeue(r->ret_ring, got, DEQ_MAX);
	for (unsigned i = 0; i < k; i++) {
		if (p->reclaim)
			p->reclaim(p->ctx, got[i]);
		stack[(*nfree)++] = got[i];
	}
	return k;
}

/* RX thread: receives into free jobs and hands them on; returns true when it got packets. */
static bool rx_round(struct run *r, struct fwd_job **stack, unsigned *nfree, unsigned *inflight)
{
	const struct fwd_path *p = r->path;
	struct fwd_counters *c = &r->ctr[T_RX];
	bool moved = false;

	for (unsigned d = 0; d < p->ndirs && *nfree; d++) {
		struct fwd_job *job = stack[*nfree - 1];
		uint64_t t0 = tsc_read(), woke;
		unsigned got;

		job->dir = d;
		got = p->rx(p->ctx, job, c);
		if (!got)
			continue;
		fwd_count(c->rx_bursts, 1);
		if (unlikely(r->delay_cycles))
			test_delay(r, got);
		moved = true;
		woke = job->t_woke; /* the job is the TX thread's once enqueued */
		job->t_woke = 0;
		if (job->n) {
			/* cannot fail: the ring holds every job there is */
			r->cfg->ring->enqueue(r->fwd_ring, (void *const *)&job, 1);
			(*nfree)--;
			(*inflight)++;
		}
		busy_add(c, t0, woke);
	}
	return moved;
}

static void *pipe_rx_thread(void *arg)
{
	struct run *r = arg;
	struct fwd_job **stack = calloc(r->njobs, sizeof(*stack));
	unsigned nfree = 0, inflight = 0, idle = 0;
	bool poll = r->cfg->poll;

	thread_enter(r, r->cfg->cpu);
	for (unsigned i = 0; stack && i < r->njobs; i++)
		stack[nfree++] = job_at(r, i);
	while (stack && !stopping(r)) {
		inflight -= take_back(r, stack, &nfree, !nfree, &idle);
		if (!nfree)
			continue;
		if (rx_round(r, stack, &nfree, &inflight)) {
			idle = 0;
			continue;
		}
		if (inflight && !poll) /* held frames may keep the ports readable: wait for them */
			inflight -= take_back(r, stack, &nfree, true, &idle);
		else
			rx_idle(r, &poll, false, &r->ctr[T_RX]);
	}
	if (!stack)
		pr_err("pipeline RX thread: out of memory for %u job pointers", r->njobs);
	atomic_store_explicit(&r->rx_done, true, memory_order_release);
	thread_leave(r, false);
	free(stack);
	return NULL;
}

static void *pipe_tx_thread(void *arg)
{
	struct run *r = arg;
	const struct fwd_path *p = r->path;
	const struct fwd_ring_ops *ops = r->cfg->ring;
	struct fwd_counters *c = &r->ctr[T_TX];
	unsigned idle = 0;
	void *jobs[DEQ_MAX];

	thread_enter(r, r->cfg->tx_cpu);
	for (;;) {
		unsigned k = ring_take(r, r->fwd_ring, jobs, DEQ_MAX, &idle);
		uint64_t t0 = tsc_read();

		if (!k) {
			if (p->flush)
				p->flush(p->ctx); /* idle: push out what a backend queued */
			/* the RX thread enqueues before it says it is done */
			if (atomic_load_explicit(&r->rx_done, memory_order_acquire) &&
			    !(k = ops->dequeue(r->fwd_ring, jobs, DEQ_MAX)))
				break;
			if (!k)
				continue;
		}
		for (unsigned i = 0; i < k; i++)
			p->tx(p->ctx, jobs[i], c);
		ops->enqueue(r->ret_ring, jobs, k); /* cannot fail: room for every job */
		busy_add(c, t0, 0);
	}
	thread_leave(r, true);
	return NULL;
}

/* ---- the rings of common/ring.h as fwd_ring_ops ---- */

static void *lockfree_create(unsigned size)
{
	return ring_new(RING_LOCKFREE, size);
}

static void *mutex_create(unsigned size)
{
	return ring_new(RING_MUTEX, size);
}

static void ring_destroy(void *ring)
{
	ring_free(ring);
}

static unsigned ring_enq(void *ring, void *const *objs, unsigned n)
{
	return ring_enqueue_burst(ring, objs, n);
}

static unsigned ring_deq(void *ring, void **objs, unsigned n)
{
	return ring_dequeue_burst(ring, objs, n);
}

static unsigned ring_deq_sleep(void *ring, void **objs, unsigned n, uint64_t timeout_ns)
{
	return ring_dequeue_burst_wait(ring, objs, n, timeout_ns);
}

const struct fwd_ring_ops fwd_ring_lockfree = {
	.name = "lockfree",
	.create = lockfree_create,
	.destroy = ring_destroy,
	.enqueue = ring_enq,
	.dequeue = ring_deq,
	.dequeue_sleep = NULL, /* its wait spins: an idle consumer naps instead */
};

const struct fwd_ring_ops fwd_ring_mutex = {
	.name = "mutex",
	.create = mutex_create,
	.destroy = ring_destroy,
	.enqueue = ring_enq,
	.dequeue = ring_deq,
	.dequeue_sleep = ring_deq_sleep, /* sleeps on the condition variable */
};

/* ---- setup, watching, teardown ---- */

static unsigned pow2_at_least(unsigned n)
{
	unsigned p = 2;

	while (p < n)
		p <<= 1;
	return p;
}

/* Allocates and prepares the jobs; returns 0 or -errno with a message logged. */
static int jobs_setup(struct run *r)
{
	const struct fwd_path *p = r->path;
	int ret;

	r->njobs = r->cfg->ring ? (r->cfg->jobs ? r->cfg->jobs : DEF_JOBS) : p->ndirs;
	if (r->njobs < p->ndirs)
		r->njobs = p->ndirs;
	r->stride = (p->job_size + LR_CACHE_LINE - 1) & ~(size_t)(LR_CACHE_LINE - 1);
	r->jobs_len = r->stride * r->njobs;
	r->jobs = mem_alloc(r->jobs_len, r->cfg->hugepages);
	if (!r->jobs) {
		ret = -errno;
		pr_err("cannot allocate %zu bytes of job buffers%s: %s%s%s", r->jobs_len,
		       r->cfg->hugepages ? " on huge pages" : "", strerror(-ret),
		       r->cfg->hugepages ? "; " : "", r->cfg->hugepages ? mem_huge_hint() : "");
		return ret;
	}
	for (unsigned i = 0; i < r->njobs; i++) {
		job_at(r, i)->dir = i < p->ndirs ? i : 0;
		ret = p->job_init ? p->job_init(p->ctx, job_at(r, i)) : 0;
		if (ret) {
			pr_err("cannot prepare the %s data path's buffers: %s", p->name,
			       strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int rings_setup(struct run *r)
{
	const struct fwd_ring_ops *ops = r->cfg->ring;
	unsigned size = pow2_at_least(r->njobs);

	if (!ops)
		return 0;
	r->fwd_ring = ops->create(size);
	r->ret_ring = r->fwd_ring ? ops->create(size) : NULL;
	if (!r->ret_ring) {
		int ret = errno ? -errno : -ENOMEM;

		pr_err("cannot create a %s ring of %u entries: %s", ops->name, size,
		       strerror(-ret));
		return ret;
	}
	return 0;
}

static void run_release(struct run *r)
{
	const struct fwd_ring_ops *ops = r->cfg->ring;
	void *got[DEQ_MAX];
	unsigned k;

	/* jobs the TX thread returned after the RX thread stopped still hold buffers */
	while (r->ret_ring && (k = ops->dequeue(r->ret_ring, got, DEQ_MAX)))
		for (unsigned i = 0; i < k && r->path->reclaim; i++)
			r->path->reclaim(r->path->ctx, got[i]);
	if (r->fwd_ring)
		ops->destroy(r->fwd_ring);
	if (r->ret_ring)
		ops->destroy(r->ret_ring);
	if (r->jobs)
		mem_free(r->jobs, r->jobs_len, r->cfg->hugepages);
}

/* Starts the loop threads with SIGINT/SIGTERM blocked in them, so the calling thread gets the
 * signals; returns how many threads started. */
static unsigned threads_start(struct run *r, pthread_t *tid)
{
	sigset_t block, old;
	unsigned n = 0;
	int ret;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (!r->cfg->ring) {
		ret = pthread_create(&tid[n], NULL, rtc_thread, r);
		n += !ret;
	} else {
		ret = pthread_create(&tid[n], NULL, pipe_tx_thread, r);
		n += !ret;
		if (!ret) {
			ret = pthread_create(&tid[n], NULL, pipe_rx_thread, r);
			n += !ret;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		pr_err("cannot start a forwarding thread: %s", strerror(ret));
	return n;
}

static void print_stats(struct run *r, double t, double dt, struct fwd_counters *last)
{
	struct fwd_counters now;
	FILE *f = r->cfg->stats_out ? r->cfg->stats_out : stderr;

	fwd_counters_sum(&now, r->ctr, 2);
	fprintf(f,
		"%s: %7.1fs  rx %12llu (%10.0f pps)  tx %12llu (%10.0f pps)  drops %llu  "
		"tx_fail %llu\n",
		log_prog(), t, (unsigned long long)now.rx, (double)(now.rx - last->rx) / dt,
		(unsigned long long)now.tx, (double)(now.tx - last->tx) / dt,
		(unsigned long long)fwd_drops_total(&now), (unsigned long long)now.tx_fail);
	fflush(f);
	*last = now;
}

/* The calling thread: waits for the end, printing a line every stats_ns; returns the
 * duration in ns. */
static uint64_t watch(struct run *r)
{
	const struct fwd_run_cfg *cfg = r->cfg;
	uint64_t start = tsc_mono_ns(), now = start, next = start + cfg->stats_ns;
	struct fwd_counters last;

	memset(&last, 0, sizeof(last));
	while (!lr_stop && !stopping(r)) {
		uint64_t step = TICK_NS;
		struct timespec ts;

		now = tsc_mono_ns();
		if (cfg->duration_ns && now - start >= cfg->duration_ns)
			break;
		if (cfg->stats_ns && now >= next) {
			print_stats(r, (now - start) / 1e9, (now - next + cfg->stats_ns) / 1e9,
				    &last);
			next = now + cfg->stats_ns;
		}
		if (cfg->duration_ns && start + cfg->duration_ns - now < step)
			step = start + cfg->duration_ns - now;
		if (cfg->stats_ns && next - now < step)
			step = next - now;
		ts.tv_sec = (time_t)(step / 1000000000ull);
		ts.tv_nsec = (long)(step % 1000000000ull);
		nanosleep(&ts, NULL); /* a signal cuts it short: fine */
	}
	return tsc_mono_ns() - start;
}

/* Checks the CPUs the loops are to be pinned to; returns 0 or -EINVAL with a message. */
static int cpu_check(const struct fwd_run_cfg *cfg)
{
	int ncpu = cpu_count();

	if (!cfg->pinned)
		return 0;
	if (cfg->cpu < 0 || cfg->cpu >= ncpu ||
	    (cfg->ring && (cfg->tx_cpu < 0 || cfg->tx_cpu >= ncpu))) {
		pr_err("cannot pin to CPU %d: this machine has CPUs 0..%d (choose --cpu within "
		       "them, or --affinity floating)",
		       cfg->cpu < 0 || cfg->cpu >= ncpu ? cfg->cpu : cfg->tx_cpu, ncpu - 1);
		return -EINVAL;
	}
	return 0;
}

int fwd_run(const struct fwd_path *path, const struct fwd_run_cfg *cfg, struct fwd_run_result *res)
{
	struct run *r = aligned_alloc(LR_CACHE_LINE, (sizeof(*r) + LR_CACHE_LINE - 1) &
							     ~(size_t)(LR_CACHE_LINE - 1));
	struct cpu_usage u0, u1;
	pthread_t tid[2];
	unsigned nthreads;
	uint64_t ns;
	int ret;

	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->cfg = cfg;
	atomic_init(&r->polled, cfg->poll);
	ret = cpu_check(cfg);
	if (!ret)
		ret = tsc_init();
	if (!ret)
		r->delay_cycles = cfg->test_delay_ns ? tsc_from_ns(cfg->test_delay_ns) : 0;
	if (!ret)
		ret = jobs_setup(r);
	if (!ret)
		ret = rings_setup(r);
	if (!ret && path->start)
		ret = path->start(path->ctx, cfg->ring != NULL);
	if (ret)
		goto out;
	cpu_usage_read(&u0); /* best effort: zeros are reported as they are */
	nthreads = threads_start(r, tid);
	ns = nthreads == (cfg->ring ? 2u : 1u) ? watch(r) : 0;
	atomic_store(&r->stop, true);
	/* Only when the RX thread never started: a running one says so itself after its last
	 * enqueue, and saying it for it would let the TX thread leave a job it received at the
	 * stop unsent (counted rx, never tx). */
	if (cfg->ring && nthreads < 2)
		atomic_store(&r->rx_done, true);
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	cpu_usage_read(&u1);
	if (!ns) {
		ret = -EAGAIN;
		goto out;
	}
	memset(res, 0, sizeof(*res));
	fwd_counters_sum(&res->total, r->ctr, 2);
	res->cpu = cpu_usage_diff(&u1, &u0);
	res->duration_s = ns / 1e9;
	res->cycles_per_pkt =
		res->total.rx ? (double)res->total.busy_cycles / (double)res->total.rx : -1;
	res->polled = atomic_load(&r->polled);
out:
	run_release(r);
	free(r);
	return ret;
}
