// SPDX-License-Identifier: MIT
/*
 * ring.c: the two ring kinds behind ring.h, chosen at ring_new() through an ops table so the
 * callers' loops are the same for both.
 *
 * lockfree: a single-producer single-consumer ring in C11 atomics. head (next slot to fill)
 * is written only by the producer and tail (next slot to read) only by the consumer; each
 * sits on its own cache line beside that side's cached copy of the other index, so the
 * cores only exchange a line when the cached view runs out. Indices run freely and wrap at
 * 2^32; head - tail is the fill level and slot = index & mask. A release store of an index
 * publishes the slots written before it; the other side reads it with acquire.
 *
 * mutex: a pthread mutex and condition variable around a plain array, the textbook design
 * the lock-free ring is measured against. Waiting consumers sleep on the condition variable
 * (CLOCK_MONOTONIC, so a wall-clock step cannot stretch a timeout).
 */
#include "ring.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lr.h"
#include "tsc.h"

#define RING_MAX_SIZE   (1u << 31) /* free-running 32-bit indices need size <= 2^31 */
#define SPINS_PER_CHECK 256        /* lock-free wait: pause this often between clock reads */

struct ring_ops {
	unsigned (*enqueue)(struct ring *r, void *const *objs, unsigned n);
	unsigned (*dequeue)(struct ring *r, void **objs, unsigned n);
	unsigned (*dequeue_wait)(struct ring *r, void **objs, unsigned n, uint64_t timeout_ns);
	unsigned (*count)(const struct ring *r);
	void (*destroy)(struct ring *r);
};

/* The part both kinds share; read-only after ring_new(), so it never bounces between cores. */
struct ring {
	const struct ring_ops *ops;
	enum ring_kind kind;
	unsigned size, mask;
};

struct ring_lf {
	struct ring base;
	/* producer's line */
	_Atomic unsigned head lr_cache_aligned;
	unsigned tail_cache; /* the producer's last view of tail */
	/* consumer's line */
	_Atomic unsigned tail lr_cache_aligned;
	unsigned head_cache; /* the consumer's last view of head */
	void *slots[] lr_cache_aligned;
};

struct ring_mx {
	struct ring base;
	pthread_mutex_t lock;
	pthread_cond_t nonempty;
	unsigned head, tail; /* free-running, as in the lock-free kind; guarded by lock */
	void *slots[];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Returns now + timeout_ns, saturating instead of wrapping. */
static uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t now = mono_ns();

	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

/* Copies n pointers into the slots from index idx on, wrapping at the end of the array. */
static void slots_put(void **slots, unsigned mask, unsigned idx, void *const *objs, unsigned n)
{
	unsigned first = idx & mask, room = mask + 1 - first;

	if (n == 0) /* objs may be NULL then */
		return;
	if (n <= room) {
		memcpy(&slots[first], objs, n * sizeof(*objs));
	} else {
		memcpy(&slots[first], objs, room * sizeof(*objs));
		memcpy(&slots[0], objs + room, (n - room) * sizeof(*objs));
	}
}

/* Copies n pointers out of the slots from index idx on, wrapping at the end of the array. */
static void slots_get(void *const *slots, unsigned mask, unsigned idx, void **objs, unsigned n)
{
	unsigned first = idx & mask, room = mask + 1 - first;

	if (n == 0) /* objs may be NULL then */
		return;
	if (n <= room) {
		memcpy(objs, &slots[first], n * sizeof(*objs));
	} else {
		memcpy(objs, &slots[first], room * sizeof(*objs));
		memcpy(objs + room, &slots[0], (n - room) * sizeof(*objs));
	}
}

/* lock-free kind ------------------------------------------------------------------------ */

/* ring_lf. 8< */
static unsigned lf_enqueue(struct ring *r, void *const *objs, unsigned n)
{
	struct ring_lf *lf = (struct ring_lf *)r;
	unsigned head = atomic_load_explicit(&lf->head, memory_order_relaxed);
	unsigned room = r->size - (head - lf->tail_cache);

	if (room < n) { /* the cached tail may be stale: look at the real one */
		lf->tail_cache = atomic_load_explicit(&lf->tail, memory_order_acquire);
		room = r->size - (head - lf->tail_cache);
	}
	if (n > room)
		n = room;
	if (n == 0)
		return 0;
	slots_put(lf->slots, r->mask, head, objs, n);
	atomic_store_explicit(&lf->head, head + n, memory_order_release);
	return n;
}

static unsigned lf_dequeue(struct ring *r, void **objs, unsigned n)
{
	struct ring_lf *lf = (struct ring_lf *)r;
	unsigned tail = atomic_load_explicit(&lf->tail, memory_order_relaxed);
	unsigned avail = lf->head_cache - tail;

	if (avail < n) { /* the cached head may be stale: look at the real one */
		lf->head_cache = atomic_load_explicit(&lf->head, memory_order_acquire);
		avail = lf->head_cache - tail;
	}
	if (n > avail)
		n = avail;
	if (n == 0)
		return 0;
	slots_get(lf->slots, r->mask, tail, objs, n);
	atomic_store_explicit(&lf->tail, tail + n, memory_order_release);
	return n;
}
/* >8 End of ring_lf. */

/* Spins with pause, reading the clock only every SPINS_PER_CHECK tries. */
static unsigned lf_dequeue_wait(struct ring *r, void **objs, unsigned n, uint64_t timeout_ns)
{
	unsigned got = lf_dequeue(r, objs, n);
	uint64_t deadline;

	if (got || timeout_ns == 0)
		return got;
	deadline = deadline_after(timeout_ns);
	for (;;) {
		for (unsigned i = 0; i < SPINS_PER_CHECK; i++) {
			tsc_pause();
			got = lf_dequeue(r, objs, n);
			if (got)
				return got;
		}
		if (mono_ns() >= deadline)
			return lf_dequeue(r, objs, n);
	}
}

static unsigned lf_count(const struct ring *r)
{
	struct ring_lf *lf = (struct ring_lf *)r;
	unsigned tail = atomic_load_explicit(&lf->tail, memory_order_acquire);
	unsigned head = atomic_load_explicit(&lf->head, memory_order_acquire);

	return head - tail;
}

static void lf_destroy(struct ring *r)
{
	free(r);
}

static const struct ring_ops lf_ops = {
	.enqueue = lf_enqueue,
	.dequeue = lf_dequeue,
	.dequeue_wait = lf_dequeue_wait,
	.count = lf_count,
	.destroy = lf_destroy,
};

static struct ring *lf_new(unsigned size)
{
	size_t bytes = sizeof(struct ring_lf) + (size_t)size * sizeof(void *);
	struct ring_lf *lf;

	/* C11 aligned_alloc wants a multiple of the alignment */
	bytes = (bytes + LR_CACHE_LINE - 1) / LR_CACHE_LINE * LR_CACHE_LINE;
	lf = aligned_alloc(LR_CACHE_LINE, bytes);
	if (!lf) {
		errno = ENOMEM;
		return NULL;
	}
	memset(lf, 0, sizeof(*lf));
	atomic_init(&lf->head, 0);
	atomic_init(&lf->tail, 0);
	lf->base.ops = &lf_ops;
	return &lf->base;
}

/* mutex kind ---------------------------------------------------------------------------- */

/* Moves up to n items out of the ring; the caller holds the lock. */
static unsigned mx_take_locked(struct ring_mx *mx, void **objs, unsigned n)
{
	unsigned avail = mx->head - mx->tail;

	if (n > avail)
		n = avail;
	slots_get(mx->slots, mx->base.mask, mx->tail, objs, n);
	mx->tail += n;
	return n;
}

static unsigned mx_enqueue(struct ring *r, void *const *objs, unsigned n)
{
	struct ring_mx *mx = (struct ring_mx *)r;
	unsigned room;

	pthread_mutex_lock(&mx->lock);
	room = r->size - (mx->head - mx->tail);
	if (n > room)
		n = room;
	slots_put(mx->slots, r->mask, mx->head, objs, n);
	mx->head += n;
	if (n)
		pthread_cond_signal(&mx->nonempty);
	pthread_mutex_unlock(&mx->lock);
	return n;
}

static unsigned mx_dequeue(struct ring *r, void **objs, unsigned n)
{
	struct ring_mx *mx = (struct ring_mx *)r;

	pthread_mutex_lock(&mx->lock);
	n = mx_take_locked(mx, objs, n);
	pthread_mutex_unlock(&mx->lock);
	return n;
}

static unsigned mx_dequeue_wait(struct ring *r, void **objs, unsigned n, uint64_t timeout_ns)
{
	struct ring_mx *mx = (struct ring_mx *)r;
	uint64_t deadline = deadline_after(timeout_ns);
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ULL),
		.tv_nsec = (long)(deadline % 1000000000ULL),
	};

	pthread_mutex_lock(&mx->lock);
	while (mx->head == mx->tail && timeout_ns) {
		if (pthread_cond_timedwait(&mx->nonempty, &mx->lock, &ts) == ETIMEDOUT)
			break;
	}
	n = mx_take_locked(mx, objs, n);
	pthread_mutex_unlock(&mx->lock);
	return n;
}

static unsigned mx_count(const struct ring *r)
{
	struct ring_mx *mx = (struct ring_mx *)r;
	unsigned n;

	pthread_mutex_lock(&mx->lock);
	n = mx->head - mx->tail;
	pthread_mutex_unlock(&mx->lock);
	return n;
}

static void mx_destroy(struct ring *r)
{
	struct ring_mx *mx = (struct ring_mx *)r;

	pthread_cond_destroy(&mx->nonempty);
	pthread_mutex_destroy(&mx->lock);
	free(mx);
}

static const struct ring_ops mx_ops = {
	.enqueue = mx_enqueue,
	.dequeue = mx_dequeue,
	.dequeue_wait = mx_dequeue_wait,
	.count = mx_count,
	.destroy = mx_destroy,
};

static struct ring *mx_new(unsigned size)
{
	struct ring_mx *mx = calloc(1, sizeof(*mx) + (size_t)size * sizeof(void *));
	pthread_condattr_t attr;
	int err;

	if (!mx) {
		errno = ENOMEM;
		return NULL;
	}
	err = pthread_mutex_init(&mx->lock, NULL);
	if (err)
		goto err_free;
	err = pthread_condattr_init(&attr);
	if (err)
		goto err_mutex;
	err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&mx->nonempty, &attr);
	pthread_condattr_destroy(&attr);
	if (err)
		goto err_mutex;
	mx->base.ops = &mx_ops;
	return &mx->base;

err_mutex:
	pthread_mutex_destroy(&mx->lock);
err_free:
	free(mx);
	errno = err;
	return NULL;
}

/* the API ------------------------------------------------------------------------------- */

struct ring *ring_new(enum ring_kind kind, unsigned size)
{
	struct ring *r;

	if (size < 2 || size > RING_MAX_SIZE || (size & (size - 1))) {
		errno = EINVAL;
		return NULL;
	}
	switch (kind) {
	case RING_LOCKFREE:
		r = lf_new(size);
		break;
	case RING_MUTEX:
		r = mx_new(size);
		break;
	default:
		errno = EINVAL;
		return NULL;
	}
	if (!r)
		return NULL;
	r->kind = kind;
	r->size = size;
	r->mask = size - 1;
	return r;
}

void ring_free(struct ring *r)
{
	if (r)
		r->ops->destroy(r);
}

enum ring_kind ring_get_kind(const struct ring *r)
{
	return r->kind;
}

unsigned ring_enqueue_burst(struct ring *r, void *const *objs, unsigned n)
{
	return r->ops->enqueue(r, objs, n);
}

unsigned ring_dequeue_burst(struct ring *r, void **objs, unsigned n)
{
	return r->ops->dequeue(r, objs, n);
}

unsigned ring_dequeue_burst_wait(struct ring *r, void **objs, unsigned n, uint64_t timeout_ns)
{
	return r->ops->dequeue_wait(r, objs, n, timeout_ns);
}

unsigned ring_count(const struct ring *r)
{
	return r->ops->count(r);
}

static const char *const kind_names[] = {
	[RING_LOCKFREE] = "lockfree",
	[RING_MUTEX] = "mutex",
};

int ring_kind_parse(const char *name, enum ring_kind *kind)
{
	if (!name)
		return -EINVAL;
	for (unsigned i = 0; i < ARRAY_SIZE(kind_names); i++) {
		if (!strcmp(name, kind_names[i])) {
			*kind = (enum ring_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ring_kind_name(enum ring_kind kind)
{
	if ((unsigned)kind >= ARRAY_SIZE(kind_names))
		return "unknown";
	return kind_names[kind];
}
