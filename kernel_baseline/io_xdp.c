// SPDX-License-Identifier: MIT
/*
 * io_xdp.c: the AF_XDP backend (io_xdp.h). The first half is the hot path: the free list of
 * UMEM frames, the fill/RX rings (receive), the TX/completion rings (transmit), alloc and free.
 * The second half opens a port: the UMEM, the socket, the XDP program and its XSKMAP.
 *
 * Buffer handles are UMEM offsets of a frame's start (aligned mode: an address in the ring
 * masked with ~(frame_size - 1)), so free() and tx_burst need no lookup. The free list is a
 * stack of such offsets: every frame is in exactly one place at a time (the free list, the
 * fill ring, the RX ring, the program's hands, the TX ring, the completion ring).
 *
 * The rings are libxdp's (xsk.h): their producer and consumer words are read with acquire and
 * written with release ordering by its inline helpers.
 */
#include "io_xdp.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/xsk.h>

#include "kport.h"
#include "lr.h"
#include "mem.h"
#include "netns.h"

#define AXDP_RING_MIN     64u
#define AXDP_RING_MAX     16384u
#define AXDP_UMEM_FACTOR  4u  /* UMEM frames per ring entry: fill + RX + TX + completion */
#define AXDP_TX_KICKS_MAX 64u /* sendto() calls per burst: the kernel sends 32 per call */
#define ETH_HDR_LEN       14u

_Static_assert(AXDP_HEADROOM == XDP_PACKET_HEADROOM, "io_xdp.h's headroom is the kernel's");

struct axdp_port {
	struct io_port io;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	uint8_t *area;
	size_t area_len;
	bool area_huge, rx_on, tx_on, busy_poll, need_wakeup, zerocopy, tx_unsent;
	uint64_t frame_mask; /* ~(frame_size - 1) */
	uint32_t frame_size;
	uint64_t *free_list;
	unsigned nfree, nframes;
	int prog_fd, map_fd, link_fd;
	struct io_stats st;
};

static const struct io_ops axdp_ops;

static struct axdp_port *to_axdp(struct io_port *p)
{
	return (struct axdp_port *)p;
}

static void free_put(struct axdp_port *xp, uint64_t addr)
{
	xp->free_list[xp->nfree++] = addr & xp->frame_mask;
}

/* ---- receive ---- */

/* Gives free frames to the kernel through the fill ring, as many as it has room for. */
static void fill_refill(struct axdp_port *xp)
{
	unsigned n = xsk_prod_nb_free(&xp->fill, xp->nfree);
	uint32_t idx;

	if (n > xp->nfree)
		n = xp->nfree;
	if (n == 0 || xsk_ring_prod__reserve(&xp->fill, n, &idx) != n)
		return;
	for (unsigned i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&xp->fill, idx + i) = xp->free_list[--xp->nfree];
	xsk_ring_prod__submit(&xp->fill, n);
}

/* Busy-poll mode: asks the kernel to go on receiving when it says it stopped for lack of a
 * kick (the fill ring's need_wakeup flag); poll() does this in blocking mode. */
static void rx_kick(struct axdp_port *xp)
{
	/* Without XDP_USE_NEED_WAKEUP the kernel never waits for a kick. */
	if (!xp->busy_poll || !xp->need_wakeup || !xsk_ring_prod__needs_wakeup(&xp->fill))
		return;
	recvfrom(xsk_socket__fd(xp->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL); /* best effort */
	xp->st.kcost.idle_calls[IO_SYS_RECVFROM]++;
}

static unsigned axdp_rx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct axdp_port *xp = to_axdp(p);
	uint32_t idx;
	unsigned got;

	if (unlikely(!xp->rx_on))
		return 0;
	if (xp->nfree)
		fill_refill(xp);
	got = xsk_ring_cons__peek(&xp->rx, n, &idx);
	if (got == 0) {
		rx_kick(xp);
		return 0;
	}
	for (unsigned i = 0; i < got; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&xp->rx, idx + i);

		bufs[i] = (struct io_buf){.data = xp->area + d->addr,
					  .len = d->len,
					  .owner = p,
					  .handle = (void *)(uintptr_t)(d->addr & xp->frame_mask)};
	}
	xsk_ring_cons__release(&xp->rx, got);
	xp->st.rx_pkts += got;
	return got;
}

/* ---- transmit ---- */

/* Takes the frames the kernel has sent back from the completion ring. */
static void comp_reclaim(struct axdp_port *xp)
{
	uint32_t idx;
	unsigned n = xsk_ring_cons__peek(&xp->comp, xp->nframes, &idx);

	for (unsigned i = 0; i < n; i++)
		free_put(xp, *xsk_ring_cons__comp_addr(&xp->comp, idx + i));
	if (n)
		xsk_ring_cons__release(&xp->comp, n);
}

/* Makes the kernel send what the TX ring holds. In copy mode each sendto() sends at most 32
 * frames and says EAGAIN while more remain; EBUSY or ENOBUFS leave the rest for flush(). */
static void tx_kick(struct axdp_port *xp)
{
	int fd = xsk_socket__fd(xp->xsk);

	if (xp->need_wakeup && !xsk_ring_prod__needs_wakeup(&xp->tx)) {
		xp->tx_unsent = false; /* the kernel drains the ring without a kick */
		return;
	}
	for (unsigned k = 0; k < AXDP_TX_KICKS_MAX; k++) {
		if (sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) {
			xp->st.kcost.calls[IO_SYS_SENDTO]++;
			xp->tx_unsent = false;
			return;
		}
		if (errno != EAGAIN) {
			xp->st.kcost.idle_calls[IO_SYS_SENDTO]++;
			break;
		}
		xp->st.kcost.calls[IO_SYS_SENDTO]++; /* it sent a batch; more remain */
	}
	xp->tx_unsent = true;
}

static bool tx_owned(const struct axdp_port *xp, const struct io_buf *b)
{
	return b->owner == &xp->io;
}

/* Decides where b goes on the TX ring: its UMEM offset, after copying a foreign frame into a
 * free one. Returns 1 (desc filled), 0 (drop: bad length) or -1 (no free frame: stop). */
static int tx_desc(struct axdp_port *xp, const struct io_buf *b, struct xdp_desc *d)
{
	if (unlikely(b->len < ETH_HDR_LEN || b->len > xp->io.max_frame))
		return 0;
	if (tx_owned(xp, b)) {
		uint64_t off = (uint64_t)(b->data - xp->area);

		if (unlikely((off & ~xp->frame_mask) + b->len > xp->frame_size))
			return 0;
		*d = (struct xdp_desc){.addr = off, .len = b->len};
		return 1;
	}
	if (xp->nfree == 0)
		return -1;
	d->addr = xp->free_list[--xp->nfree];
	d->len = b->len;
	memcpy(xp->area + d->addr, b->data, b->len);
	xp->st.kcost.copied_bytes += b->len;
	return 1;
}

/* Releases what tx_burst took and did not put on the ring: foreign buffers (sent as copies or
 * dropped) go to their owners, dropped own frames to the free list. */
static void tx_settle(struct axdp_port *xp, struct io_buf *bufs, const bool *queued, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!tx_owned(xp, &bufs[i]))
			io_free(&bufs[i], 1);
		else if (!queued[i])
			free_put(xp, (uint64_t)(uintptr_t)bufs[i].handle);
	}
}

static unsigned axdp_tx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct axdp_port *xp = to_axdp(p);
	struct xdp_desc d[IO_BURST_MAX];
	bool queued[IO_BURST_MAX];
	unsigned i, m = 0, room;
	uint32_t idx;

	if (unlikely(!xp->tx_on))
		return 0;
	if (n > IO_BURST_MAX)
		n = IO_BURST_MAX;
	comp_reclaim(xp);
	room = xsk_prod_nb_free(&xp->tx, n);
	for (i = 0; i < n && m < room; i++) {
		int r = tx_desc(xp, &bufs[i], &d[m]);

		if (r < 0)
			break;
		queued[i] = r > 0;
		if (r > 0)
			m++;
		else
			xp->st.tx_errors++;
	}
	if (m && xsk_ring_prod__reserve(&xp->tx, m, &idx) == m) {
		for (unsigned k = 0; k < m; k++)
			*xsk_ring_prod__tx_desc(&xp->tx, idx + k) = d[k];
		xsk_ring_prod__submit(&xp->tx, m);
		xp->st.tx_pkts += m;
		tx_kick(xp);
	}
	tx_settle(xp, bufs, queued, i);
	return i;
}

static unsigned axdp_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct axdp_port *xp = to_axdp(p);
	unsigned i;

	if (unlikely(!xp->tx_on))
		return 0;
	comp_reclaim(xp);
	for (i = 0; i < n && xp->nfree; i++) {
		uint64_t off = xp->free_list[--xp->nfree];

		bufs[i] = (struct io_buf){.data = xp->area + off,
					  .len = p->max_frame,
					  .owner = p,
					  .handle = (void *)(uintptr_t)off};
	}
	return i;
}

static void axdp_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct axdp_port *xp = to_axdp(p);

	for (unsigned i = 0; i < n; i++)
		free_put(xp, (uint64_t)(uintptr_t)bufs[i].handle);
}

static void axdp_flush(struct io_port *p)
{
	struct axdp_port *xp = to_axdp(p);

	if (xp->tx_on && xp->tx_unsent)
		tx_kick(xp);
	if (xp->tx_on)
		comp_reclaim(xp);
}

static int axdp_stats(struct io_port *p, struct io_stats *s)
{
	struct axdp_port *xp = to_axdp(p);
	struct xdp_statistics ks = {0};
	socklen_t len = sizeof(ks);

	/* Cumulative in the kernel: read, not added up. */
	if (getsockopt(xsk_socket__fd(xp->xsk), SOL_XDP, XDP_STATISTICS, &ks, &len) < 0)
		return -errno;
	xp->st.rx_dropped = ks.rx_dropped + ks.rx_ring_full;
	*s = xp->st;
	return 0;
}

static void axdp_close(struct io_port *p)
{
	struct axdp_port *xp = to_axdp(p);

	/* The link first: the program stops redirecting before the socket goes. */
	if (xp->link_fd >= 0)
		close(xp->link_fd);
	if (xp->xsk)
		xsk_socket__delete(xp->xsk);
	if (xp->umem)
		xsk_umem__delete(xp->umem);
	if (xp->prog_fd >= 0)
		close(xp->prog_fd);
	if (xp->map_fd >= 0)
		close(xp->map_fd);
	if (xp->area)
		mem_free(xp->area, xp->area_len, xp->area_huge);
	free(xp->free_list);
	free(xp);
}

static const struct io_ops axdp_ops = {
	.name = "xdp",
	.rx_burst = axdp_rx_burst,
	.tx_burst = axdp_tx_burst,
	.alloc = axdp_alloc,
	.free = axdp_free,
	.flush = axdp_flush,
	.stats = axdp_stats,
	.close = axdp_close,
};

bool axdp_zerocopy(struct io_port *p)
{
	return p && p->ops == &axdp_ops && to_axdp(p)->zerocopy;
}

const char *axdp_attach_name(enum axdp_attach a)
{
	return a == AXDP_GENERIC ? "generic" : "native";
}

/* ---- opening a port ---- */

/* What axdp_open() is working on, for messages. */
struct axdp_ctx {
	const struct axdp_cfg *cfg;
	char ns[64]; /* "netns NAME" or "the current netns" */
	unsigned ifindex;
	char *err;
	size_t errlen;
};

static void __attribute__((format(printf, 2, 3))) fail(struct axdp_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kport_vfail(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* Reports a failed call (err: -errno); EPERM means the program is not root. */
static int fail_call(struct axdp_ctx *c, const char *what, int err)
{
	if (err == -EPERM || err == -EACCES)
		fail(c, "xdp: %s on %s in %s: needs root (CAP_NET_ADMIN, CAP_BPF); run as root",
		     what, c->cfg->ifname, c->ns);
	else
		fail(c, "xdp: %s on %s in %s failed: %s", what, c->cfg->ifname, c->ns,
		     strerror(-err));
	return err;
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static int cfg_check(struct axdp_ctx *c)
{
	const struct axdp_cfg *cfg = c->cfg;

	if (!cfg->ifname || !cfg->ifname[0] || strlen(cfg->ifname) >= IFNAMSIZ)
		fail(c, "xdp: bad interface name '%s' (1..%d characters)",
		     cfg->ifname ? cfg->ifname : "", IFNAMSIZ - 1);
	else if (!is_pow2(cfg->ring_frames) || cfg->ring_frames < AXDP_RING_MIN ||
		 cfg->ring_frames > AXDP_RING_MAX)
		fail(c, "xdp: %s: ring size %u is not a power of two in %u..%u", cfg->ifname,
		     cfg->ring_frames, AXDP_RING_MIN, AXDP_RING_MAX);
	else if (cfg->frame_size != 2048 && cfg->frame_size != 4096)
		fail(c, "xdp: %s: frame size %u is not 2048 or 4096", cfg->ifname, cfg->frame_size);
	else if (!cfg->rx && !cfg->tx)
		fail(c, "xdp: %s: open for neither receiving nor transmitting", cfg->ifname);
	else
		return 0;
	return -EINVAL;
}

/* The UMEM: frames on (huge) pages, all on the free list at first. */
static int umem_setup(struct axdp_ctx *c, struct axdp_port *xp)
{
	const struct axdp_cfg *cfg = c->cfg;
	const struct xsk_umem_config ucfg = {
		.fill_size = cfg->ring_frames,
		.comp_size = cfg->ring_frames,
		.frame_size = cfg->frame_size,
		.frame_headroom = 0,
	};
	int err;

	xp->nframes = cfg->ring_frames * AXDP_UMEM_FACTOR;
	xp->area_len = (size_t)xp->nframes * cfg->frame_size;
	xp->area_huge = cfg->hugepages;
	xp->area = mem_alloc(xp->area_len, cfg->hugepages);
	xp->free_list = calloc(xp->nframes, sizeof(*xp->free_list));
	if (!xp->area || !xp->free_list) {
		if (cfg->hugepages)
			fail(c, "xdp: %s: no huge pages for a %zu-byte UMEM (%s)", cfg->ifname,
			     xp->area_len, mem_huge_hint());
		else
			fail(c, "xdp: %s: out of memory for a %zu-byte UMEM", cfg->ifname,
			     xp->area_len);
		return -ENOMEM;
	}
	for (unsigned i = xp->nframes; i-- > 0;)
		free_put(xp, (uint64_t)i * cfg->frame_size);
	err = xsk_umem__create(&xp->umem, xp->area, xp->area_len, &xp->fill, &xp->comp, &ucfg);
	return err ? fail_call(c, "registering the UMEM (xsk_umem__create)", err) : 0;
}

static uint16_t bind_flags(const struct axdp_cfg *cfg)
{
	uint16_t f = cfg->need_wakeup ? XDP_USE_NEED_WAKEUP : 0;

	if (cfg->copy == AXDP_COPY)
		f |= XDP_COPY;
	else if (cfg->copy == AXDP_ZEROCOPY)
		f |= XDP_ZEROCOPY;
	return f;
}

/* The socket, bound to the queue; libxdp loads no program (we attach our own). */
static int xsk_setup(struct axdp_ctx *c, struct axdp_port *xp)
{
	const struct axdp_cfg *cfg = c->cfg;
	const struct xsk_socket_config scfg = {
		.rx_size = cfg->ring_frames,
		.tx_size = cfg->ring_frames,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = bind_flags(cfg),
	};
	struct xdp_options opts = {0};
	socklen_t len = sizeof(opts);
	int err;

	/* EBUSY: the socket of a program that just exited still holds the queue (the kernel
	 * releases it after an RCU grace period); back-to-back trials meet it. Wait up to 2 s. */
	for (unsigned try = 0;; try++) {
		err = xsk_socket__create(&xp->xsk, cfg->ifname, cfg->queue, xp->umem, &xp->rx,
					 &xp->tx, &scfg);
		if (err != -EBUSY || try == 100)
			break;
		usleep(20000);
	}
	if (err == -EOPNOTSUPP && cfg->copy == AXDP_ZEROCOPY) {
		fail(c,
		     "xdp: %s in %s: the driver has no zero-copy AF_XDP (veth never has); use "
		     "--copy copy or auto",
		     cfg->ifname, c->ns);
		return err;
	}
	if (err)
		return fail_call(c, "creating the AF_XDP socket (xsk_socket__create)", err);
	if (getsockopt(xsk_socket__fd(xp->xsk), SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
		xp->zerocopy = opts.flags & XDP_OPTIONS_ZEROCOPY;
	xp->io.fd = xsk_socket__fd(xp->xsk);
	return 0;
}

/* xdp_redirect_xsk. 8< */
/* The XDP program, as BPF instructions (five, one of them two slots wide):
 *     r2 = ctx->rx_queue_index
 *     r1 = &xskmap
 *     r3 = XDP_PASS            (the action when the queue has no socket in the map)
 *     r0 = bpf_redirect_map(r1, r2, r3)
 *     return r0                (XDP_REDIRECT: the frame goes to this queue's socket)
 */
static int prog_load(int map_fd)
{
	const struct bpf_insn insns[] = {
		{.code = BPF_LDX | BPF_MEM | BPF_W,
		 .dst_reg = BPF_REG_2,
		 .src_reg = BPF_REG_1,
		 .off = offsetof(struct xdp_md, rx_queue_index)},
		{.code = BPF_LD | BPF_DW | BPF_IMM,
		 .dst_reg = BPF_REG_1,
		 .src_reg = BPF_PSEUDO_MAP_FD,
		 .imm = map_fd},
		{0}, /* the upper half of the 64-bit immediate */
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map},
		{.code = BPF_JMP | BPF_EXIT},
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "lr_xsk_redirect", "Dual MIT/GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}
/* >8 End of xdp_redirect_xsk. */

/* The program and its XSKMAP, attached to the interface through a BPF link. */
static int prog_setup(struct axdp_ctx *c, struct axdp_port *xp)
{
	const struct axdp_cfg *cfg = c->cfg;
	LIBBPF_OPTS(bpf_link_create_opts, lopts,
		    .flags = cfg->attach == AXDP_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);
	int err;

	xp->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "lr_xsks", sizeof(int), sizeof(int),
				    cfg->queue + 1, NULL);
	if (xp->map_fd < 0)
		return fail_call(c, "creating the XSKMAP", -errno);
	xp->prog_fd = prog_load(xp->map_fd);
	if (xp->prog_fd < 0)
		return fail_call(c, "loading the XDP program", -errno);
	err = xsk_socket__update_xskmap(xp->xsk, xp->map_fd);
	if (err)
		return fail_call(c, "putting the socket in the XSKMAP", err);
	xp->link_fd = bpf_link_create(xp->prog_fd, (int)c->ifindex, BPF_XDP, &lopts);
	if (xp->link_fd == -EBUSY || (xp->link_fd < 0 && errno == EBUSY)) {
		fail(c,
		     "xdp: %s in %s already has an XDP program (remove it: ip link set dev %s "
		     "xdp off)",
		     cfg->ifname, c->ns, cfg->ifname);
		return -EBUSY;
	}
	if (xp->link_fd < 0)
		return fail_call(c,
				 cfg->attach == AXDP_GENERIC ? "attaching XDP (generic mode)"
							     : "attaching XDP (native mode)",
				 -errno);
	return 0;
}

/* The largest frame: the interface's MTU plus the Ethernet header, within a UMEM frame less
 * the kernel's XDP headroom. */
static int max_frame_setup(struct axdp_ctx *c, struct axdp_port *xp)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = fd < 0 ? -errno
			 : kport_max_frame(fd, c->cfg->ifname, c->cfg->frame_size - AXDP_HEADROOM,
					   &xp->io.max_frame);

	if (fd >= 0)
		close(fd);
	return err ? fail_call(c, "reading the MTU", err) : 0;
}

/* Everything done inside the port's namespace. */
static int open_in_netns(struct axdp_ctx *c, struct axdp_port *xp)
{
	int err;

	c->ifindex = if_nametoindex(c->cfg->ifname);
	if (c->ifindex == 0) {
		fail(c, "xdp: interface %s not found in %s (%s)", c->cfg->ifname, c->ns,
		     c->cfg->netns && c->cfg->netns[0] ? "run 'linerate topo up' first"
						       : "check 'ip link'");
		return -ENODEV;
	}
	err = max_frame_setup(c, xp);
	if (!err)
		err = umem_setup(c, xp);
	if (!err)
		err = xsk_setup(c, xp);
	if (!err && c->cfg->rx) {
		/* Frames for the kernel to receive into before the program redirects any: the
		 * first burst is not dropped for want of a fill frame (XDP_STATISTICS rx_dropped)
		 * while the port waits for its first rx_burst. */
		fill_refill(xp);
		err = prog_setup(c, xp);
	}
	return err;
}

static struct axdp_port *port_new(const struct axdp_cfg *cfg)
{
	struct axdp_port *xp = calloc(1, sizeof(*xp));

	if (!xp)
		return NULL;
	xp->io.ops = &axdp_ops;
	snprintf(xp->io.name, sizeof(xp->io.name), "%s", cfg->ifname);
	xp->io.fd = -1;
	xp->prog_fd = xp->map_fd = xp->link_fd = -1;
	xp->rx_on = cfg->rx;
	xp->tx_on = cfg->tx;
	xp->busy_poll = cfg->busy_poll;
	xp->need_wakeup = cfg->need_wakeup;
	xp->frame_size = cfg->frame_size;
	xp->frame_mask = ~(uint64_t)(cfg->frame_size - 1);
	return xp;
}

struct io_port *axdp_open(const struct axdp_cfg *cfg, char *err, size_t errlen)
{
	struct axdp_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};
	struct axdp_port *xp;
	int saved, ret;

	if (err && errlen)
		err[0] = '\0';
	if (cfg_check(&c))
		return NULL;
	if (cfg->netns && cfg->netns[0])
		snprintf(c.ns, sizeof(c.ns), "netns %s", cfg->netns);
	else
		snprintf(c.ns, sizeof(c.ns), "the current netns");
	xp = port_new(cfg);
	if (!xp) {
		fail(&c, "xdp: %s: out of memory", cfg->ifname);
		return NULL;
	}
	if (kport_netns_enter("xdp", cfg->netns, &saved, err, errlen))
		goto err_close;
	ret = open_in_netns(&c, xp);
	if (netns_leave(saved) < 0 && !ret) {
		fail(&c, "xdp: %s: cannot return from %s", cfg->ifname, c.ns);
		ret = -EIO;
	}
	if (ret)
		goto err_close;
	return &xp->io;

err_close:
	axdp_close(&xp->io);
	return NULL;
}
