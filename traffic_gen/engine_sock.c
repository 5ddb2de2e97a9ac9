// SPDX-License-Identifier: MIT
/*
 * engine_sock.c: the sock engine, UDP sockets through the kernel's whole stack. A socket
 * cannot share the frame interface (the kernel builds the headers), so it shares everything
 * else: the payload is the same (flow, seq, TX stamp), its length is L - 46 so the frames on
 * the wire have the wire size L of the other engines, and pacing and counting are the trial's.
 *
 * TX: one connected socket per flow in the TX namespace, bound to --tx-dev's address and the
 * flow's source port (a socket has one source address, so --src-ips does not apply), and
 * sendmmsg(MSG_DONTWAIT) of a burst on one flow's socket; flows rotate per burst (with one
 * frame per burst, as at low rates, per frame). RX: one socket in the RX namespace bound to
 * --dst-port on --rx-dev, with a large receive buffer, read with recvmmsg(MSG_DONTWAIT) into
 * small buffers (only the payload's first 16 bytes matter); SO_RXQ_OVFL reports the
 * datagrams the kernel dropped because that buffer was full.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lr.h"
#include "netns.h"
#include "tgen.h"
#include "tsc.h"

#define RX_SNAP      64         /* bytes of each datagram read */
#define RX_BUFSZ     (32 << 20) /* SO_RCVBUFFORCE */
#define UDP_OVERHEAD TGEN_FRAME_OVERHEAD

struct sock_priv {
	int *tx_fd;
	unsigned ntx;
	int rx_fd;
	unsigned plen; /* datagram payload bytes */
	uint8_t *txbuf;
	struct mmsghdr msg[TGEN_MAX_BATCH];
	struct iovec iov[TGEN_MAX_BATCH];
	struct mmsghdr rmsg[TGEN_RX_BURST];
	struct iovec riov[TGEN_RX_BURST];
	uint8_t rbuf[TGEN_RX_BURST][RX_SNAP];
	char rctl[TGEN_RX_BURST][CMSG_SPACE(sizeof(uint32_t))];
	unsigned rused; /* messages whose control length must be reset */
	uint64_t ovfl, tx_err;
};

static struct sock_priv *priv(struct tgen_ctx *c)
{
	return c->priv;
}

static int fail(char *err, size_t len, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, int e, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (e && n < len)
		snprintf(err + n, len - n, ": %s", strerror(e));
	return e ? -e : -EINVAL;
}

/* Opens flow f's socket: bound to the source address and port, connected to the target. */
static int tx_socket(const struct tgen_cfg *cfg, unsigned f, char *err, size_t len)
{
	struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail(err, len, errno, "sock: opening UDP socket %u", f);
	src.sin_addr.s_addr = htonl(cfg->src_ip_h);
	src.sin_port = htons((uint16_t)(cfg->src_port + f));
	dst.sin_addr.s_addr = htonl(cfg->dst_ip_h);
	dst.sin_port = htons((uint16_t)cfg->dst_port);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->tx_dev,
		       (socklen_t)strlen(cfg->tx_dev)) ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		int e = errno;

		close(fd);
		return fail(err, len, e, "sock: UDP socket from port %ld on %s to %s:%ld",
			    cfg->src_port + f, cfg->tx_dev, inet_ntoa(dst.sin_addr), cfg->dst_port);
	}
	return fd;
}

static int rx_socket(const struct tgen_cfg *cfg, char *err, size_t len)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->dst_port)};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1, buf = RX_BUFSZ;

	if (fd < 0)
		return fail(err, len, errno, "sock: opening the receive socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)); /* best effort */
	if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->rx_dev,
		       (socklen_t)strlen(cfg->rx_dev)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		close(fd);
		return fail(err, len, e, "sock: receive socket on UDP port %ld of %s%s",
			    cfg->dst_port, cfg->rx_dev,
			    e == EADDRINUSE ? " (another program listens there; try --dst-port)"
					    : "");
	}
	return fd;
}

/* Opens the TX sockets inside the TX namespace. */
static int open_tx(struct tgen_ctx *c, struct sock_priv *p, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	struct rlimit rl;
	int saved, ret = 0;

	/* One descriptor per flow: raise the soft limit to the hard one (best effort). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ret = netns_enter(cfg->tx_netns, &saved);
	if (ret)
		return fail(err, len, -ret, "sock: entering netns %s", cfg->tx_netns);
	for (; p->ntx < c->nflows; p->ntx++) {
		int fd = tx_socket(cfg, p->ntx, err, len);

		if (fd < 0) {
			ret = fd;
			break;
		}
		p->tx_fd[p->ntx] = fd;
	}
	netns_leave(saved);
	return ret;
}

static int sock_open(struct tgen_ctx *c, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	struct sock_priv *p = calloc(1, sizeof(*p));
	int saved, ret;

	if (!p || !(p->tx_fd = calloc(c->nflows, sizeof(int)))) {
		free(p);
		return fail(err, len, ENOMEM, "sock: state for %u flows", c->nflows);
	}
	p->rx_fd = -1;
	c->priv = p;
	snprintf(c->tx_method, sizeof(c->tx_method), "sendmmsg on %u UDP socket%s", c->nflows,
		 c->nflows > 1 ? "s" : "");
	ret = open_tx(c, p, err, len);
	if (ret || !cfg->rx_on)
		return ret;
	ret = netns_enter(cfg->rx_netns, &saved);
	if (ret)
		return fail(err, len, -ret, "sock: entering netns %s", cfg->rx_netns);
	p->rx_fd = rx_socket(cfg, err, len);
	netns_leave(saved);
	return p->rx_fd < 0 ? p->rx_fd : 0;
}

static void rx_prepare(struct sock_priv *p)
{
	for (unsigned i = 0; i < TGEN_RX_BURST; i++) {
		p->riov[i] = (struct iovec){p->rbuf[i], RX_SNAP};
		p->rmsg[i].msg_hdr = (struct msghdr){.msg_iov = &p->riov[i], .msg_iovlen = 1};
		p->rmsg[i].msg_hdr.msg_control = p->rctl[i];
		p->rmsg[i].msg_hdr.msg_controllen = sizeof(p->rctl[i]);
	}
}

static int sock_prepare(struct tgen_ctx *c, unsigned frame_len, char *err, size_t len)
{
	struct sock_priv *p = priv(c);
	unsigned batch = (unsigned)c->cfg->batch;

	p->plen = frame_len - UDP_OVERHEAD;
	free(p->txbuf);
	p->txbuf = calloc(batch, p->plen);
	if (!p->txbuf)
		return fail(err, len, ENOMEM, "sock: %u buffers of %u bytes", batch, p->plen);
	for (unsigned i = 0; i < batch; i++) {
		p->iov[i] = (struct iovec){p->txbuf + (size_t)i * p->plen, p->plen};
		p->msg[i].msg_hdr = (struct msghdr){.msg_iov = &p->iov[i], .msg_iovlen = 1};
	}
	rx_prepare(p);
	return 0;
}

static unsigned sock_tx(struct tgen_ctx *c, unsigned n)
{
	struct sock_priv *p = priv(c);
	unsigned f = c->next_flow;
	uint16_t id = c->warmup ? RXSTATS_WARMUP_FLOW : (uint16_t)f;
	uint32_t seq = c->warmup ? c->warm_seq : c->seq[f];
	int k;

	for (unsigned i = 0; i < n; i++)
		pkt_payload_write(p->txbuf + (size_t)i * p->plen, id, seq + i, tsc_now_ns());
	k = sendmmsg(p->tx_fd[f], p->msg, n, MSG_DONTWAIT);
	if (unlikely(k <= 0)) {
		if (k < 0 && (errno == EAGAIN || errno == ENOBUFS))
			c->tx_refused +=
				n; /* the send path is full: retried as the schedule goes on */
		else if (k < 0 && errno != EINTR)
			p->tx_err++;
		return 0;
	}
	if ((unsigned)k < n)
		c->tx_refused += n - (unsigned)k;
	if (c->warmup)
		c->warm_seq += (uint32_t)k;
	else
		c->seq[f] += (uint32_t)k;
	c->next_flow = f + 1 == c->nflows ? 0 : f + 1;
	return (unsigned)k;
}

/* Reads the SO_RXQ_OVFL drop count from a received message's control data. */
static void rx_ovfl(struct sock_priv *p, struct msghdr *m)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		uint32_t v;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(&v, CMSG_DATA(cm), sizeof(v));
		p->ovfl = v;
	}
}

static unsigned sock_rx(struct tgen_ctx *c)
{
	struct sock_priv *p = priv(c);
	struct pkt_udp_view v = {0};
	struct pkt_payload pl;
	uint64_t now;
	int k;

	for (unsigned i = 0; i < p->rused; i++)
		p->rmsg[i].msg_hdr.msg_controllen = sizeof(p->rctl[i]);
	k = recvmmsg(p->rx_fd, p->rmsg, TGEN_RX_BURST, MSG_DONTWAIT, NULL);
	if (k <= 0) {
		p->rused = 0;
		return 0;
	}
	now = tsc_now_ns();
	for (int i = 0; i < k; i++) {
		v.payload = p->rbuf[i];
		v.payload_len = p->rmsg[i].msg_len < RX_SNAP ? p->rmsg[i].msg_len : RX_SNAP;
		if (pkt_payload_read(&v, &pl))
			rxstats_record(c->rxs, &pl, now);
		else
			rxstats_unknown(c->rxs);
	}
	rx_ovfl(p, &p->rmsg[k - 1].msg_hdr);
	p->rused = (unsigned)k;
	return (unsigned)k;
}

static void sock_counters(struct tgen_ctx *c, struct tgen_counters *out)
{
	struct sock_priv *p = priv(c);

	if (c->cfg->rx_on)
		tgen_counter_add_own_rx(out, "udp receive buffer full (SO_RXQ_OVFL)", p->ovfl);
	tgen_counter_add(out, "udp send errors", p->tx_err);
}

static void sock_close(struct tgen_ctx *c)
{
	struct sock_priv *p = priv(c);

	if (!p)
		return;
	for (unsigned i = 0; i < p->ntx; i++)
		close(p->tx_fd[i]);
	if (p->rx_fd >= 0)
		close(p->rx_fd);
	free(p->tx_fd);
	free(p->txbuf);
	free(p);
	c->priv = NULL;
}

const struct tgen_engine tgen_engine_sock = {
	.name = "sock",
	.open = sock_open,
	.prepare = sock_prepare,
	.tx = sock_tx,
	.rx = sock_rx,
	.flush = NULL,
	.counters = sock_counters,
	.close = sock_close,
};
