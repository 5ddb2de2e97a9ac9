// SPDX-License-Identifier: MIT
/*
 * fwd-sock: the forwarder on plain UDP sockets, the "what an application gets from the
 * kernel" point of the comparison. Inside lr-dut it receives the generator's datagrams with
 * recvmmsg on 198.18.0.2:PORT (tgen --dst-ip 198.18.0.2) and sends the same payloads with
 * sendmmsg to the sink 198.18.1.1:PORT, which the kernel routes out of lr-d1. The kernel
 * checks and builds the headers; this program only carries payloads, so the generator sees
 * datagrams of the same size. To keep the forwarding semantics of fwd-afp and fwd-dpdk, the
 * TTL each datagram arrived with (IP_RECVTTL) is sent on minus one (an IP_TTL control
 * message per datagram), and datagrams that arrived with TTL <= 1 are dropped and counted.
 *
 * Sockets cannot share a frame interface, so this file supplies its own struct fwd_path (a job
 * is a vector of messages) and shares everything else with the other forwarders: the knobs,
 * the loops (run to completion or the RX/TX pipeline), the counters and the report. Blocking
 * by default: a receive first takes what is queued without sleeping, and only when nothing is
 * queued does a blocking recvmmsg sleep until a datagram comes (a 100 ms receive timeout lets
 * it see a stop; the sleep is not counted as busy cycles). --poll never blocks and spins;
 * --batch is the vector length.
 *
 * The report adds what the run cost at the kernel boundary: every recvmmsg and sendmmsg,
 * counted as moving datagrams or idle (nothing queued, the receive timeout, a signal), and
 * the payload bytes they carried across the user boundary (the kernel's copy in each
 * direction; the control messages are left out). The receive side's counters are written
 * only by the thread that receives and the send side's only by the one that sends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fwd.h"
#include "fwd_cli.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "stop.h"
#include "topo_defs.h"
#include "tsc.h"

#define PROG       "fwd-sock"
#define DEF_PORT   9000 /* tgen's default --dst-port */
#define BUF_LEN    2048 /* a datagram of a 1518-byte frame fits; longer ones are truncated */
#define UDP_FRAME  (PKT_UDP_FRAME_HLEN) /* header bytes of a datagram's frame, FCS excluded */
#define SOCK_BUF   (8 << 20)
#define RX_TIMEOUT 100000 /* us: how long a blocking receive waits before it looks at stop */
#define TX_RETRIES 64
#define RX_CTL_LEN (CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint32_t)))
#define TX_CTL_LEN CMSG_SPACE(sizeof(int))

struct sock_opts {
	const char *netns, *listen, *to, *from;
	long port, to_port;
	struct fwd_opts f;
};

/* The path's state: two sockets and where to send. */
struct sock_path {
	int in_fd, out_fd;
	unsigned batch;
	bool poll;
	struct sockaddr_in dst;
	uint32_t rxq_ovfl; /* the kernel's drop count for the receive socket, last seen */
	/* The kernel-boundary cost of each side, one cache line each: rx's thread, tx's. */
	struct io_kcost rx_cost lr_cache_aligned;
	struct io_kcost tx_cost lr_cache_aligned;
};

/* A vector of messages: received into, then rewritten in place to be sent. */
struct sock_job {
	struct fwd_job job;
	struct mmsghdr *msgs;
	struct iovec *iov;
	uint8_t *ctl;  /* batch * RX_CTL_LEN */
	uint8_t *data; /* batch * BUF_LEN */
	uint8_t mem[];
};

/* ---- the data path ---- */

static size_t job_size(unsigned batch)
{
	return sizeof(struct sock_job) +
	       batch * (sizeof(struct mmsghdr) + sizeof(struct iovec) + RX_CTL_LEN + BUF_LEN);
}

static int sock_job_init(void *ctx, struct fwd_job *j)
{
	struct sock_path *sp = ctx;
	struct sock_job *job = (struct sock_job *)j;

	job->msgs = (struct mmsghdr *)job->mem;
	job->iov = (struct iovec *)(job->msgs + sp->batch);
	job->ctl = (uint8_t *)(job->iov + sp->batch);
	job->data = job->ctl + (size_t)sp->batch * RX_CTL_LEN;
	return 0;
}

/* Reads the TTL and the socket's drop counter from a received message's control data;
 * returns the TTL, or -1 when the kernel did not say. */
static int rx_ttl(struct sock_path *sp, struct msghdr *mh)
{
	int ttl = -1;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL)
			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL)
			memcpy(&sp->rxq_ovfl, CMSG_DATA(cm), sizeof(sp->rxq_ovfl));
	}
	return ttl;
}

/* rx_call. 8< */
/* Receives a vector (flags: MSG_DONTWAIT, or MSG_WAITFORONE to sleep) and counts the call;
 * returns what recvmmsg returned. */
static int rx_call(struct sock_path *sp, struct sock_job *job, int flags)
{
	int n = recvmmsg(sp->in_fd, job->msgs, sp->batch, flags, NULL);

	if (n <= 0) {
		sp->rx_cost.idle_calls[IO_SYS_RECVMMSG]++;
		return n;
	}
	sp->rx_cost.calls[IO_SYS_RECVMMSG]++;
	for (int i = 0; i < n; i++)
		sp->rx_cost.copied_bytes += job->msgs[i].msg_len;
	return n;
}
/* >8 End of rx_call. */

/* Turns received message i into message k to send, with TTL ttl. */
static void tx_prepare(struct sock_path *sp, struct sock_job *job, unsigned i, unsigned k, int ttl)
{
	struct msghdr *mh = &job->msgs[k].msg_hdr;
	struct cmsghdr *cm;
	uint32_t len = job->msgs[i].msg_len;

	job->iov[k].iov_base = job->data + (size_t)i * BUF_LEN;
	job->iov[k].iov_len = len;
	memset(mh, 0, sizeof(*mh));
	mh->msg_name = &sp->dst;
	mh->msg_namelen = sizeof(sp->dst);
	mh->msg_iov = &job->iov[k];
	mh->msg_iovlen = 1;
	mh->msg_control = job->ctl + (size_t)k * RX_CTL_LEN;
	mh->msg_controllen = TX_CTL_LEN;
	cm = CMSG_FIRSTHDR(mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_TTL;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &ttl, sizeof(ttl));
}

/* The calling thread's CPU time in ns (0 when the clock cannot be read: best effort). */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned sock_rx(void *ctx, struct fwd_job *j, struct fwd_counters *c)
{
	struct sock_path *sp = ctx;
	struct sock_job *job = (struct sock_job *)j;
	uint64_t bytes = 0;
	unsigned k = 0;
	int n;

	for (unsigned i = 0; i < sp->batch; i++) {
		job->iov[i] = (struct iovec){job->data + (size_t)i * BUF_LEN, BUF_LEN};
		job->msgs[i].msg_hdr = (struct msghdr){
			.msg_iov = &job->iov[i],
			.msg_iovlen = 1,
			.msg_control = job->ctl + (size_t)i * RX_CTL_LEN,
			.msg_controllen = RX_CTL_LEN,
		};
	}
	/* What is queued already is taken without sleeping; only an empty queue makes the
	 * blocking call sleep. The round's busy time then starts at "woke": the call's return
	 * minus the CPU time the call itself used (entering, and after the wake-up, copying the
	 * frames out), so recvmmsg's own cost is counted and only the sleep is left out. */
	n = rx_call(sp, job, MSG_DONTWAIT);
	if (n <= 0 && !sp->poll) {
		uint64_t cpu0 = thread_cpu_ns(), cpu1;

		n = rx_call(sp, job, MSG_WAITFORONE);
		cpu1 = thread_cpu_ns();
		j->t_woke = tsc_read() - tsc_from_ns(cpu1 > cpu0 ? cpu1 - cpu0 : 0);
	}
	if (n <= 0)
		return 0; /* nothing (EAGAIN), the receive timeout, or a signal */
	for (unsigned i = 0; i < (unsigned)n; i++) {
		struct msghdr *mh = &job->msgs[i].msg_hdr;
		int ttl = rx_ttl(sp, mh);

		bytes += job->msgs[i].msg_len + UDP_FRAME;
		if (unlikely(mh->msg_flags & MSG_TRUNC))
			fwd_count(c->drop[FWD_DROP_TRUNCATED], 1);
		else if (unlikely(ttl >= 0 && ttl <= 1))
			fwd_count(c->drop[FWD_DROP_TTL], 1);
		else
			tx_prepare(sp, job, i, k++, ttl > 1 ? ttl - 1 : 64);
	}
	fwd_count(c->rx, (unsigned)n);
	fwd_count(c->rx_bytes, bytes);
	j->n = k;
	return (unsigned)n;
}

static void sock_tx(void *ctx, struct fwd_job *j, struct fwd_counters *c)
{
	struct sock_path *sp = ctx;
	struct sock_job *job = (struct sock_job *)j;
	unsigned sent = 0, failed = 0, retries = 0;

	while (sent + failed < j->n) {
		struct mmsghdr *m = job->msgs + sent + failed;
		int r = sendmmsg(sp->out_fd, m, j->n - sent - failed, 0);

		if (r > 0) {
			sp->tx_cost.calls[IO_SYS_SENDMMSG]++;
			for (int i = 0; i < r; i++)
				sp->tx_cost.copied_bytes += m[i].msg_len;
			sent += (unsigned)r;
			continue;
		}
		sp->tx_cost.idle_calls[IO_SYS_SENDMMSG]++;
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == ENOBUFS) &&
		    ++retries <= TX_RETRIES)
			continue;
		failed++; /* this datagram will not go: count it and carry on with the rest */
	}
	fwd_count(c->tx, sent);
	if (unlikely(failed))
		fwd_count(c->tx_fail, failed);
	j->n = 0;
}

/* ---- sockets ---- */

/* Fills sa with ip:port; returns 0, or -EINVAL after saying which option is wrong. */
static int addr_make(struct sockaddr_in *sa, const char *flag, const char *ip, long port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sa->sin_addr) == 1)
		return 0;
	fprintf(stderr, "%s: --%s: '%s' is not an IPv4 address (accepted: a.b.c.d)\n", PROG, flag,
		ip);
	return -EINVAL;
}

/* Opens a UDP socket bound to sa with a large buffer of the given kind; returns it or -errno
 * after saying what failed. */
static int udp_open(const struct sockaddr_in *sa, int buf_opt, const char *what)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), size = SOCK_BUF, e;
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	if (fd < 0) {
		e = errno;
		pr_err("cannot open the %s UDP socket: %s", what, strerror(e));
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, buf_opt, &size, sizeof(size)); /* best effort: root only */
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		e = errno;
		pr_err("cannot bind the %s socket to %s:%u: %s (%s)", what, ip, ntohs(sa->sin_port),
		       strerror(e),
		       e == EADDRNOTAVAIL ? "no interface has that address here: run 'linerate "
					    "topo up', or check --netns and the addresses"
					  : "is another program using that port?");
		close(fd);
		return -e;
	}
	return fd;
}

/* Sets the receive socket's options: TTL and drop-count control messages, and a receive
 * timeout so that a blocking receive sees a stop. */
static int rx_options(int fd, bool poll)
{
	struct timeval tv = {.tv_usec = RX_TIMEOUT};
	int on = 1;

	if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on)) ||
	    (!poll && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))) {
		int e = errno;

		pr_err("cannot set the receive socket's options: %s", strerror(e));
		return -e;
	}
	return 0;
}

/* Opens both sockets inside the namespace; returns 0 or an exit code. */
static int sockets_open(const struct sock_opts *o, struct sock_path *sp)
{
	struct sockaddr_in in, from;
	int saved, ret;

	if (addr_make(&in, "listen", o->listen, o->port) ||
	    addr_make(&from, "from", o->from, o->to_port) ||
	    addr_make(&sp->dst, "to", o->to, o->to_port))
		return LR_EXIT_USAGE;
	ret = netns_enter(o->netns, &saved);
	if (ret) {
		pr_err("cannot enter network namespace %s: %s (%s)", o->netns, strerror(-ret),
		       ret == -ENOENT ? "run 'linerate topo up' first" : "run as root");
		return ret == -ENOENT ? LR_EXIT_ENV : LR_EXIT_NOPERM;
	}
	sp->in_fd = udp_open(&in, SO_RCVBUFFORCE, "receive");
	sp->out_fd = sp->in_fd >= 0 ? udp_open(&from, SO_SNDBUFFORCE, "send") : -1;
	if (netns_leave(saved))
		pr_warn("cannot return to the original network namespace (harmless here)");
	if (sp->out_fd < 0 || rx_options(sp->in_fd, sp->poll))
		return LR_EXIT_ENV;
	return 0;
}

/* ---- main ---- */

/* Parses the command line into o; returns 0, -1 after --help, or an exit code. */
static int parse(int argc, char **argv, struct sock_opts *o)
{
	const struct cli_option own[] = {
		{"netns", 0, CLI_STRING, &o->netns, "NS",
		 "network namespace of the sockets ('': the current one)"},
		{"listen", 0, CLI_STRING, &o->listen, "IP", "address datagrams are received on"},
		{"port", 'p', CLI_INT, &o->port, NULL, "port datagrams are received on", NULL, 1,
		 65535},
		{"to", 0, CLI_STRING, &o->to, "IP", "where the datagrams are sent on to"},
		{"to-port", 0, CLI_INT, &o->to_port, NULL, "their destination port (0: --port)",
		 NULL, 0, 65535},
		{"from", 0, CLI_STRING, &o->from, "IP", "source address of the sent datagrams"},
	};
	struct cli_options t = {0};
	const struct cli_program prog = {
		PROG,
		"[options]",
		"Relays UDP datagrams: recvmmsg on --listen:--port, sendmmsg of the same payload "
		"to "
		"--to (the kernel builds the headers; the TTL is carried over minus one and "
		"datagrams that arrive with TTL <= 1 are dropped). With no flags it serves the lr- "
		"topology ('linerate topo up'): 198.18.0.2:9000 in lr-dut -> the sink 198.18.1.1 "
		"via lr-d1; drive it with 'tgen --dst-ip 198.18.0.2'. Blocking unless --poll; "
		"--batch is the vector length. Runs until Ctrl-C or --duration, then reports rx, "
		"tx, drops, CPU use and cycles per packet. Needs root for the namespace.",
		t.opts,
	};
	int ret;

	CLI_OPTIONS_ADD(&t, own);
	fwd_cli_options(&o->f, 0, &t);
	cli_options_help(
		&t, "hugepages",
		"put the message buffers recvmmsg fills and sendmmsg sends on 2 MB huge pages "
		"(the kernel copies each frame's payload in and out of them; its socket "
		"buffers are not moved)");
	ret = cli_parse_options(&prog, argc, argv, NULL);
	if (ret)
		return ret;
	if (!o->to_port)
		o->to_port = o->port;
	return fwd_opts_check(&o->f, PROG) ? LR_EXIT_USAGE : 0;
}

/* Forwards until the end and reports; returns the exit code. */
static int run(struct sock_opts *o, struct sock_path *sp)
{
	struct fwd_path path = {
		.name = "sock",
		.ctx = sp,
		.job_size = job_size(sp->batch),
		.ndirs = 1,
		.job_init = sock_job_init,
		.rx = sock_rx,
		.tx = sock_tx,
	};
	struct fwd_run_cfg cfg;
	struct fwd_run_result res;
	char desc[256], extra[128];
	struct io_kcost k = {0};

	fwd_opts_run_cfg(&o->f, &cfg);
	pr_info("relaying UDP %s:%ld -> %s:%ld in %s (Ctrl-C stops)", o->listen, o->port, o->to,
		o->to_port, o->netns && o->netns[0] ? o->netns : "this netns");
	if (fwd_run(&path, &cfg, &res))
		return LR_EXIT_FAIL;
	snprintf(desc, sizeof(desc), "UDP %s:%ld -> %s:%ld, recvmmsg/sendmmsg, %s", o->listen,
		 o->port, o->to, o->to_port,
		 res.polled ? "busy-polling (MSG_DONTWAIT)" : "blocking in recvmmsg");
	snprintf(extra, sizeof(extra),
		 "socket receive queue drops %u; the kernel checks headers itself (nstat "
		 "IpInHdrErrors)",
		 sp->rxq_ovfl);
	io_kcost_add(&k, &sp->rx_cost); /* both sides' system calls and copies */
	io_kcost_add(&k, &sp->tx_cost);
	return fwd_report(stdout, &o->f,
			  &(struct fwd_report_info){PROG, "sock", "veth", desc, extra, &k}, &res);
}

int main(int argc, char **argv)
{
	struct sock_opts o = {
		.netns = TOPO_NS_DUT,
		.listen = TOPO_IP_D0,
		.to = TOPO_IP_K1,
		.from = TOPO_IP_D1,
		.port = DEF_PORT,
	};
	struct sock_path sp = {.in_fd = -1, .out_fd = -1};
	int ret;

	log_set_prog(PROG);
	fwd_opts_init(&o.f);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	sp.batch = (unsigned)o.f.batch;
	sp.poll = o.f.poll;
	ret = sockets_open(&o, &sp);
	if (!ret) {
		lr_stop_signals(); /* best effort: it warns */
		ret = run(&o, &sp);
	}
	if (sp.in_fd >= 0)
		close(sp.in_fd);
	if (sp.out_fd >= 0)
		close(sp.out_fd);
	return ret;
}
