// SPDX-License-Identifier: MIT
/*
 * echo_kernel.c: the kernel-socket engine of `tgen echo`. The thread enters --netns (lr-gen)
 * for the whole run, so every socket it creates lives there; sockets are non-blocking with
 * TCP_NODELAY (a small request leaves at once), connects are asynchronous and every socket
 * sits in one level-triggered epoll set: EPOLLIN always, EPOLLOUT while connecting or while
 * a send waits for room.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cpu.h"
#include "echo_client.h"
#include "log.h"
#include "netns.h"
#include "tsc.h"

#define MAX_WAIT_MS 100
#define TW_WARN     2000 /* TIME_WAIT sockets that make a crr run suspect */

struct kpriv {
	int epfd;
	int saved_ns; /* the namespace to go back to, or -1 */
	struct sockaddr_in dst;
	struct epoll_event *evs;
};

/* Warns when an earlier run left many connections in TIME_WAIT in this namespace (60 s on
 * Linux): connect() searches longer and longer for a free local port as they fill the range,
 * and crr measures that search. */
static void tw_warn(const struct ec_cfg *cfg)
{
	FILE *f = fopen("/proc/self/net/sockstat", "r"); /* this thread's namespace */
	char line[256];
	long tw = 0;

	if (cfg->mode != EC_MODE_CRR) {
		if (f)
			fclose(f);
		return;
	}
	while (f && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " tw ");

		if (!strncmp(line, "TCP:", 4) && p)
			tw = strtol(p + 4, NULL, 10);
	}
	if (f)
		fclose(f);
	if (tw >= TW_WARN)
		pr_warn("%ld connections of earlier runs are in TIME_WAIT in %s (for 60 s): "
			"connect() "
			"slows down as they fill the local port range; for crr wait a minute or "
			"rebuild the topology (linerate topo down; linerate topo up)",
			tw, cfg->netns && cfg->netns[0] ? cfg->netns : "this namespace");
}

static int k_open(struct ec_ctx *x, char *err, size_t len)
{
	const struct ec_cfg *cfg = x->cfg;
	struct kpriv *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return -ENOMEM;
	x->priv = k;
	k->epfd = k->saved_ns = -1;
	k->dst.sin_family = AF_INET;
	k->dst.sin_port = htons((uint16_t)cfg->dst_port);
	k->dst.sin_addr.s_addr = htonl(cfg->dst_ip_h);
	k->evs = calloc((size_t)cfg->batch, sizeof(*k->evs));
	if (!k->evs)
		return -ENOMEM;
	if (cfg->affinity == CLI_AFFINITY_PINNED && (ret = cpu_pin((int)cfg->cpu))) {
		snprintf(err, len, "--cpu: cannot pin to CPU %ld: %s (this machine has CPUs 0..%d)",
			 cfg->cpu, strerror(-ret), cpu_count() - 1);
		return ret;
	}
	ret = netns_enter(cfg->netns, &k->saved_ns);
	if (ret) {
		snprintf(err, len,
			 "cannot enter network namespace %s: %s (run 'linerate topo up' first, "
			 "as root, or give --netns '')",
			 cfg->netns, strerror(-ret));
		k->saved_ns = -1;
		return ret;
	}
	tw_warn(cfg);
	k->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (k->epfd < 0) {
		snprintf(err, len, "epoll_create1: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int k_connect(struct ec_ctx *x, struct ec_conn *c)
{
	struct kpriv *k = x->priv;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	int one = 1, fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    (connect(fd, (struct sockaddr *)&k->dst, sizeof(k->dst)) && errno != EINPROGRESS) ||
	    epoll_ctl(k->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		err = -errno;
		close(fd);
		return err;
	}
	c->fd = fd;
	return 0;
}

static ssize_t k_send(struct ec_ctx *x, struct ec_conn *c, const void *buf, size_t len)
{
	ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	(void)x;
	if (n > 0)
		return n;
	return n == 0 || errno == EAGAIN ? -EAGAIN : -errno;
}

static ssize_t k_recv(struct ec_ctx *x, struct ec_conn *c, void *buf, size_t len)
{
	ssize_t n = recv(c->fd, buf, len, MSG_DONTWAIT);

	(void)x;
	return n >= 0 ? n : -errno;
}

static int k_shutdown(struct ec_ctx *x, struct ec_conn *c)
{
	(void)x;
	return shutdown(c->fd, SHUT_WR) ? -errno : 0;
}

static void k_close(struct ec_ctx *x, struct ec_conn *c, bool abort)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	(void)x;
	if (c->fd < 0)
		return;
	if (abort)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)); /* best effort: RST */
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
}

static void k_want_write(struct ec_ctx *x, struct ec_conn *c, bool on)
{
	struct kpriv *k = x->priv;
	struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};

	epoll_ctl(k->epfd, EPOLL_CTL_MOD, c->fd, &ev); /* best effort: a dead socket errs later */
}

/* A connecting socket became writable (or failed): reports how the connect ended. */
static void connect_done(struct ec_ctx *x, struct ec_conn *c, uint32_t events)
{
	struct kpriv *k = x->priv;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	socklen_t sl = sizeof(int);
	int soerr = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl))
		soerr = errno;
	if (!soerr && epoll_ctl(k->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		soerr = errno;
	if (soerr)
		ec_conn_event(x, c, EC_EV_ERROR, -soerr);
	else
		ec_conn_event(x, c, EC_EV_CONNECTED | (events & EPOLLIN ? EC_EV_READABLE : 0), 0);
}

static void k_poll(struct ec_ctx *x, uint64_t until_ns)
{
	struct kpriv *k = x->priv;
	uint64_t now = tsc_now_ns();
	int ms = 0, n;

	if (until_ns > now) {
		uint64_t wait = (until_ns - now + 999999) / 1000000;

		ms = wait > MAX_WAIT_MS ? MAX_WAIT_MS : (int)wait;
	}
	n = epoll_wait(k->epfd, k->evs, (int)x->cfg->batch, ms);
	x->now = tsc_now_ns();
	if (x->measuring)
		x->idle_ns += x->now - now;
	for (int i = 0; i < n; i++) {
		struct ec_conn *c = k->evs[i].data.ptr;
		uint32_t e = k->evs[i].events;

		if (c->state == EC_CONNECTING) {
			connect_done(x, c, e);
			continue;
		}
		ec_conn_event(x, c,
			      (e & (EPOLLIN | EPOLLERR | EPOLLHUP) ? EC_EV_READABLE : 0) |
				      (e & EPOLLOUT ? EC_EV_WRITABLE : 0),
			      0);
	}
}

static void k_note(struct ec_ctx *x, char *buf, size_t len)
{
	snprintf(buf, len, "kernel TCP sockets in %s, epoll, TCP_NODELAY",
		 x->cfg->netns && x->cfg->netns[0] ? x->cfg->netns : "this netns");
}

static void k_fini(struct ec_ctx *x)
{
	struct kpriv *k = x->priv;

	if (!k)
		return;
	if (k->epfd >= 0)
		close(k->epfd);
	if (k->saved_ns >= 0 && netns_leave(k->saved_ns))
		pr_warn("cannot leave network namespace %s", x->cfg->netns);
	free(k->evs);
	free(k);
	x->priv = NULL;
}

const struct ec_engine ec_engine_kernel = {
	.name = "sock",
	.open = k_open,
	.connect = k_connect,
	.send = k_send,
	.recv = k_recv,
	.shutdown = k_shutdown,
	.close = k_close,
	.want_write = k_want_write,
	.poll = k_poll,
	.note = k_note,
	.fini = k_fini,
};
