// SPDX-License-Identifier: MIT
/*
 * echo-sock: the TCP echo service (RFC 862) on the kernel's own TCP stack, the baseline the
 * user-space stacks are measured against. It serves port 7 on lr-d0's address 198.18.0.2
 * inside lr-dut (entering the namespace itself) the way a tuned event-driven server does:
 * non-blocking sockets, level-triggered epoll, TCP_NODELAY on every connection (no Nagle
 * delay on small echoes), and one SO_REUSEPORT listener per worker thread (--threads), so
 * the kernel spreads new connections over the workers and no accept lock is shared.
 *
 * Each connection owns one buffer from a pool allocated at start (--max-conns x --buf, on huge
 * pages with --hugepages on). A read fills it and the bytes go straight back with send();
 * when the socket takes only part of them, the rest waits in the buffer, the connection stops
 * reading (flow control: the peer's window closes) and waits for EPOLLOUT instead.
 *
 * Read main() first: parse -> listeners -> workers -> wait for Ctrl-C or --duration -> report.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cpu.h"
#include "echo_srv.h"
#include "log.h"
#include "lr.h"
#include "mem.h"
#include "netns.h"
#include "stop.h"
#include "topo_defs.h"
#include "tsc.h"

#define PROG        "echo-sock"
#define ECHO_PORT   7
#define MAX_THREADS 64
#define WAIT_MS     100 /* longest epoll_wait(): how soon a stop is seen */
#define TICK_NS     (20ull * 1000 * 1000)

struct sock_opts {
	const char *netns;
	long threads, backlog;
	struct echo_srv_opts e;
};

/* One connection: its socket and the bytes read but not yet written back. */
struct conn {
	int fd;
	uint32_t off, len; /* pending bytes: buf[off..len) */
	uint8_t *buf;
	struct conn *next_free;
};

/* One worker thread: its listener, its epoll set, its share of the connection pool. */
struct worker {
	const struct sock_opts *o;
	int lfd, epfd, cpu;
	unsigned nconns;
	struct conn *conns, *free;
	struct {
		uint64_t accepted, closed, errors, bytes;
	} st;
	uint64_t refused; /* connections closed at once: the pool was full */
	pthread_t th;
	bool started;
} lr_cache_aligned;

/* ---- connections ---- */

static void conn_close(struct worker *w, struct conn *c)
{
	close(c->fd); /* also removes it from the epoll set */
	c->fd = -1;
	c->len = c->off = 0;
	c->next_free = w->free;
	w->free = c;
}

/* Switches the connection between waiting to read and waiting to write. */
static int conn_want(struct worker *w, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	return epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes the pending bytes; returns 0 (all written or the rest waits for EPOLLOUT) or -1
 * when the connection failed. */
static int conn_flush(struct worker *w, struct conn *c)
{
	ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	c->off += (uint32_t)n;
	w->st.bytes += (uint64_t)n;
	if (c->off < c->len)
		return 0;
	c->off = c->len = 0;
	return conn_want(w, c, EPOLLIN) ? -1 : 0;
}

/* Reads once and echoes what came; closes at end of stream or on an error. */
static void conn_read(struct worker *w, struct conn *c)
{
	ssize_t n = read(c->fd, c->buf, (size_t)w->o->e.buf);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		if (n == 0)
			w->st.closed++;
		else
			w->st.errors++;
		conn_close(w, c);
		return;
	}
	c->off = 0;
	c->len = (uint32_t)n;
	if (conn_flush(w, c) || (c->len && conn_want(w, c, EPOLLOUT))) {
		w->st.errors++;
		conn_close(w, c);
	}
}

static void conn_event(struct worker *w, struct conn *c, uint32_t events)
{
	if (c->len) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			if (conn_flush(w, c)) {
				w->st.errors++;
				conn_close(w, c);
			}
		return;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		conn_read(w, c);
}

/* Accepts every waiting connection (up to a batch). */
static void accept_all(struct worker *w)
{
	static const int one = 1;

	for (long i = 0; i < w->o->e.batch; i++) {
		int fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = {.events = EPOLLIN};
		struct conn *c = w->free;

		if (fd < 0)
			return;
		if (!c) {
			close(fd);
			w->refused++;
			continue;
		}
		w->free = c->next_free;
		c->fd = fd;
		ev.data.ptr = c;
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
		    epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			w->st.errors++;
			conn_close(w, c);
			continue;
		}
		w->st.accepted++;
	}
}

/* The loop of one worker. 8< */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[IO_BURST_MAX];

	if (w->cpu >= 0 && cpu_pin(w->cpu))
		pr_warn("cannot pin a worker to CPU %d: it floats", w->cpu);
	while (!lr_stop) {
		int n = epoll_wait(w->epfd, evs, (int)w->o->e.batch, WAIT_MS);

		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				accept_all(w);
			else
				conn_event(w, evs[i].data.ptr, evs[i].events);
		}
	}
	return NULL;
}
/* >8 End of the loop of one worker. */

/* ---- setup ---- */

/* Opens a non-blocking SO_REUSEPORT listener on ip:port; returns it or -errno. */
static int listener_open(const struct sock_opts *o)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->e.port)};
	int one = 1, fd, err;

	if (inet_pton(AF_INET, o->e.ip, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, (int)o->backlog)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Gives worker w its share of the pool (nconns connections from conns and mem). */
static void worker_pool(struct worker *w, struct conn *conns, unsigned nconns, uint8_t *mem,
			size_t buf)
{
	w->conns = conns;
	w->nconns = nconns;
	w->free = NULL;
	for (unsigned i = nconns; i-- > 0;) {
		conns[i].fd = -1;
		conns[i].buf = mem + (size_t)i * buf;
		conns[i].next_free = w->free;
		w->free = &conns[i];
	}
}

/* Makes each worker's listener and epoll set inside the namespace; returns 0 or an exit code
 * after printing why. */
static int workers_open(const struct sock_opts *o, struct worker *ws)
{
	int saved, err = netns_enter(o->netns, &saved);

	if (err) {
		pr_err("cannot enter network namespace %s: %s (run 'linerate topo up' first, or "
		       "give --netns '')",
		       o->netns, strerror(-err));
		return err == -EPERM ? LR_EXIT_NOPERM : LR_EXIT_ENV;
	}
	for (long i = 0; i < o->threads && !err; i++) {
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

		ws[i].lfd = listener_open(o);
		if (ws[i].lfd < 0) {
			err = ws[i].lfd;
			pr_err("cannot listen on %s:%ld: %s (is the address on an interface of "
			       "namespace %s? run 'linerate topo up', or give --ip)",
			       o->e.ip, o->e.port, strerror(-err),
			       o->netns ? o->netns : "(current)");
			break;
		}
		ws[i].epfd = epoll_create1(EPOLL_CLOEXEC);
		if (ws[i].epfd < 0 || epoll_ctl(ws[i].epfd, EPOLL_CTL_ADD, ws[i].lfd, &ev)) {
			err = -errno;
			pr_err("epoll on the listener: %s", strerror(errno));
		}
	}
	if (netns_leave(saved))
		pr_warn("cannot leave network namespace %s (harmless: sockets are open)", o->netns);
	return err ? LR_EXIT_ENV : 0;
}

static void workers_close(struct worker *ws, long n)
{
	for (long i = 0; i < n; i++) {
		for (unsigned k = 0; k < ws[i].nconns; k++)
			if (ws[i].conns[k].fd >= 0)
				close(ws[i].conns[k].fd);
		if (ws[i].lfd >= 0)
			close(ws[i].lfd);
		if (ws[i].epfd >= 0)
			close(ws[i].epfd);
	}
}

/* ---- run ---- */

/* Sleeps until Ctrl-C or --duration, then stops the workers. */
static void wait_end(const struct sock_opts *o, uint64_t t0)
{
	while (!lr_stop) {
		struct timespec ts = {0, (long)TICK_NS};

		if (o->e.duration_ns && tsc_now_ns() - t0 >= o->e.duration_ns)
			break;
		nanosleep(&ts, NULL);
	}
	lr_stop = 1;
}

/* Starts the workers, waits for the end and sums their counters into res; returns 0 or an
 * exit code. */
static int run(const struct sock_opts *o, struct worker *ws, struct echo_srv_result *res)
{
	struct cpu_usage c0, c1;
	uint64_t t0, refused = 0;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	cpu_usage_read(&c0); /* best effort */
	t0 = tsc_now_ns();
	for (long i = 0; i < o->threads; i++) {
		ws[i].cpu = o->e.affinity == CLI_AFFINITY_PINNED
				    ? (int)((o->e.cpu + i) % cpu_count())
				    : -1;
		if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i])) {
			pr_err("cannot start worker thread %ld", i);
			lr_stop = 1;
			ret = LR_EXIT_FAIL;
			break;
		}
		ws[i].started = true;
	}
	wait_end(o, t0);
	for (long i = 0; i < o->threads; i++) {
		if (ws[i].started)
			pthread_join(ws[i].th, NULL);
		res->accepted += ws[i].st.accepted;
		res->closed += ws[i].st.closed;
		res->errors += ws[i].st.errors;
		res->bytes += ws[i].st.bytes;
		refused += ws[i].refused;
	}
	res->duration_s = (tsc_now_ns() - t0) / 1e9;
	cpu_usage_read(&c1); /* best effort */
	res->cpu = cpu_usage_diff(&c1, &c0);
	res->rx_frames = res->tx_frames = UINT64_MAX; /* the kernel's, not counted here */
	res->errors += refused;
	return ret;
}

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct sock_opts *o)
{
	const struct cli_option own[] = {
		{"netns", 0, CLI_STRING, &o->netns, "NS",
		 "network namespace to serve in ('': this one)"},
		{"threads", 't', CLI_INT, &o->threads, "N",
		 "worker threads, one SO_REUSEPORT listener each (on --cpu, --cpu+1, ...)", NULL, 1,
		 MAX_THREADS},
		{"backlog", 0, CLI_INT, &o->backlog, "N", "listen() backlog", NULL, 1, 65535},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"TCP echo server (RFC 862) on kernel sockets: epoll, non-blocking sockets, "
		"TCP_NODELAY, one SO_REUSEPORT listener per worker thread. With no flags it serves "
		"198.18.0.2:7 (lr-d0) in lr-dut of the lr- topology ('linerate topo up'); drive it "
		"with 'tgen echo' from lr-gen. Runs until Ctrl-C or --duration, then reports "
		"connections, bytes echoed and CPU use. Needs root to enter the namespace.",
		t.opts,
	};

	CLI_OPTIONS_ADD(&t, own);
	echo_srv_options(&o->e, 0, &t);
	return cli_parse_options(&prog, argc, argv, NULL);
}

/* Allocates the connection pool and hands it out to the workers; returns the memory or NULL
 * after printing why. */
static uint8_t *pool_new(const struct sock_opts *o, struct worker *ws, struct conn **conns,
			 size_t *len)
{
	unsigned per = (unsigned)((o->e.max_conns + o->threads - 1) / o->threads);
	size_t total = (size_t)per * (size_t)o->threads;
	uint8_t *mem;

	*len = total * (size_t)o->e.buf;
	*conns = calloc(total, sizeof(**conns));
	mem = *conns ? mem_alloc(*len, o->e.hugepages) : NULL;
	if (!mem) {
		pr_err("cannot allocate %zu bytes of connection buffers%s: %s (%s)", *len,
		       o->e.hugepages ? " on huge pages" : "", strerror(errno),
		       o->e.hugepages ? mem_huge_hint() : "lower --max-conns or --buf");
		free(*conns);
		return NULL;
	}
	for (long i = 0; i < o->threads; i++)
		worker_pool(&ws[i], *conns + (size_t)i * per, per,
			    mem + (size_t)i * per * (size_t)o->e.buf, (size_t)o->e.buf);
	return mem;
}

int main(int argc, char **argv)
{
	struct sock_opts o = {.netns = TOPO_NS_DUT, .threads = 1, .backlog = 4096};
	struct worker ws[MAX_THREADS];
	struct echo_srv_result res;
	struct conn *conns = NULL;
	uint8_t *mem;
	size_t len;
	char desc[160];
	int ret;

	log_set_prog(PROG);
	echo_srv_opts_init(&o.e, TOPO_IP_D0);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	memset(ws, 0, sizeof(ws));
	for (long i = 0; i < MAX_THREADS; i++) {
		ws[i].o = &o;
		ws[i].lfd = ws[i].epfd = -1;
	}
	mem = pool_new(&o, ws, &conns, &len);
	if (!mem)
		return LR_EXIT_ENV;
	ret = workers_open(&o, ws);
	if (!ret)
		lr_stop_signals(); /* best effort: it warns */
	if (!ret) {
		pr_info("listening on %s:%ld in %s, %ld worker%s (Ctrl-C stops)", o.e.ip, o.e.port,
			o.netns && o.netns[0] ? o.netns : "this netns", o.threads,
			o.threads > 1 ? "s" : "");
		ret = run(&o, ws, &res);
	}
	workers_close(ws, o.threads);
	if (!ret) {
		snprintf(desc, sizeof(desc),
			 "%s:%ld in %s, kernel TCP, epoll, %ld SO_REUSEPORT worker%s", o.e.ip,
			 o.e.port, o.netns && o.netns[0] ? o.netns : "this netns", o.threads,
			 o.threads > 1 ? "s" : "");
		echo_srv_report(stdout, &o.e,
				&(struct echo_srv_info){PROG, "sock", "veth", desc, NULL}, &res,
				NULL);
	}
	mem_free(mem, len, o.e.hugepages);
	free(conns);
	return ret;
}
