// SPDX-License-Identifier: MIT
/*
 * io_afp.c: the AF_PACKET backend (io_afp.h). The first half is the hot path: the RX ring
 * readers (TPACKET_V2 frames, TPACKET_V3 blocks), the TX ring and sendmmsg writers, alloc and
 * free. The second half opens a port: ring geometry, the two sockets and their options.
 *
 * Every ring slot's status word is shared with the kernel: it is read with acquire ordering
 * (the frame bytes the kernel wrote before setting TP_STATUS_USER are then visible) and
 * written with release ordering (our reads and writes of the frame are done before the kernel
 * may take the slot back).
 *
 * Buffer handles encode what a buffer is (an RX ring frame or V3 block, a TX ring slot, a pool
 * buffer) and its index, so free() and tx_burst need no lookup.
 *
 * Kernel-boundary cost (io_stats.kcost): every sendto() kick and sendmmsg() is counted, as
 * moving frames or idle; the RX ring costs no call and no copy (the frames are read in
 * place), a foreign frame copied into a TX slot adds its length to copied_bytes, and so does
 * every frame passed to sendmmsg (the kernel copies it in). The counters are plain: each side
 * of a port is used by one thread at a time, and they are read after the loops stop.
 */
#include "io_afp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kport.h"
#include "lr.h"
#include "mem.h"
#include "netns.h"

#define AFP_PAGE          4096u
#define AFP_V3_BLOCK      (64u << 10) /* V3 block size when the ring is big enough */
#define AFP_V3_TIMEOUT_MS 1           /* a partly filled V3 block is handed over after this */
#define AFP_FRAME_MIN     256u
#define AFP_FRAME_MAX     65536u
/* Where the frame starts in an RX slot, worst case over V2 and V3 (the kernel puts the
 * network header at TPACKET_ALIGN(hdrlen + 16), the MAC header 14 bytes before it). */
#define AFP_RX_HEADROOM TPACKET_ALIGN(TPACKET3_HDRLEN + 16)
/* Where the frame starts in a TX ring slot (no PACKET_TX_HAS_OFF). */
#define AFP_TX_DATA_OFF (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))

enum afp_handle_kind {
	H_RX = 1,  /* index: V2 frame or V3 block of the RX ring */
	H_TX = 2,  /* index: TX ring slot */
	H_POOL = 3 /* index: sendmmsg pool buffer */
};

#define HANDLE(kind, idx) ((void *)(uintptr_t)((uintptr_t)(idx) << 2 | (kind)))
#define HANDLE_KIND(h)    ((unsigned)((uintptr_t)(h)&3))
#define HANDLE_IDX(h)     ((unsigned)((uintptr_t)(h) >> 2))

/* One memory-mapped ring: nr units (V2 frames, V3 blocks, TX slots) of unit bytes. */
struct afp_ring {
	uint8_t *map;
	size_t len;
	unsigned nr;
	uint32_t unit;
	unsigned next; /* the next unit to read (RX) or hand out (TX) */
	uint8_t *held; /* V2 RX / TX: 1 while the application holds the unit */
};

/* A V3 block: frames handed out and not yet freed; consumed once the reader moved past it. */
struct afp_block {
	uint32_t outstanding;
	bool consumed;
};

struct afp_port {
	struct io_port io;
	unsigned version;
	enum afp_tx_mode tx_mode;
	int rx_fd, tx_fd;
	struct afp_ring rx, tx;
	/* V3 reader: the open block's next frame and how many frames remain in it. */
	struct afp_block *blk;
	uint8_t *v3_pkt;
	uint32_t v3_left;
	bool v3_open;
	/* TX ring: the slot submitted last, and whether frames may wait for a kick. */
	unsigned tx_last;
	bool tx_pending;
	/* sendmmsg pool */
	uint8_t *pool;
	size_t pool_len;
	bool pool_huge;
	uint32_t *pool_free;
	unsigned pool_nfree, pool_nr;
	struct mmsghdr msgs[IO_BURST_MAX];
	struct iovec iov[IO_BURST_MAX];
	struct io_stats st;
	uint64_t csum_notready;
};

static const struct io_ops afp_ops;

static struct afp_port *to_afp(struct io_port *p)
{
	return (struct afp_port *)p;
}

static uint32_t status_load(const volatile uint32_t *s)
{
	return __atomic_load_n(s, __ATOMIC_ACQUIRE);
}

static void status_store(volatile uint32_t *s, uint32_t v)
{
	__atomic_store_n(s, v, __ATOMIC_RELEASE);
}

static unsigned ring_step(const struct afp_ring *r, unsigned i)
{
	return i + 1 == r->nr ? 0 : i + 1;
}

static uint8_t *ring_unit(const struct afp_ring *r, unsigned i)
{
	return r->map + (size_t)i * r->unit;
}

/* Decides whether a received frame goes to the application; counts what it skips. */
static bool rx_accept(struct afp_port *ap, uint32_t status, uint32_t len, uint32_t snaplen,
		      const struct sockaddr_ll *sll)
{
	if (unlikely(sll->sll_pkttype == PACKET_OUTGOING))
		return false; /* only without PACKET_IGNORE_OUTGOING */
	if (unlikely(snaplen < len)) {
		ap->st.rx_errors++;
		return false;
	}
	if (status & TP_STATUS_CSUMNOTREADY)
		ap->csum_notready++;
	return true;
}

/* ---- TPACKET_V2 RX: one frame per slot ---- */

static void v2_release(struct afp_port *ap, unsigned i)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)ring_unit(&ap->rx, i);

	ap->rx.held[i] = 0;
	status_store(&h->tp_status, TP_STATUS_KERNEL);
}

static unsigned rx_v2(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned got = 0;

	while (got < n) {
		unsigned i = ap->rx.next;
		uint8_t *slot = ring_unit(&ap->rx, i);
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)slot;
		const struct sockaddr_ll *sll;
		uint32_t status;

		/* A slot still held from the previous lap is not a new frame. */
		if (ap->rx.held[i])
			break;
		status = status_load(&h->tp_status);
		if (!(status & TP_STATUS_USER))
			break;
		ap->rx.next = ring_step(&ap->rx, i);
		sll = (const struct sockaddr_ll *)(slot + TPACKET_ALIGN(sizeof(*h)));
		if (!rx_accept(ap, status, h->tp_len, h->tp_snaplen, sll)) {
			status_store(&h->tp_status, TP_STATUS_KERNEL);
			continue;
		}
		ap->rx.held[i] = 1;
		bufs[got++] = (struct io_buf){.data = slot + h->tp_mac,
					      .len = h->tp_snaplen,
					      .owner = &ap->io,
					      .handle = HANDLE(H_RX, i)};
	}
	return got;
}

/* ---- TPACKET_V3 RX: blocks of variable-size frames ---- */

static struct tpacket_block_desc *v3_block(struct afp_port *ap, unsigned b)
{
	return (struct tpacket_block_desc *)ring_unit(&ap->rx, b);
}

static void v3_release(struct afp_port *ap, unsigned b)
{
	ap->blk[b].consumed = false;
	status_store(&v3_block(ap, b)->hdr.bh1.block_status, TP_STATUS_KERNEL);
}

/* Starts reading the current block if the kernel has handed it over; returns false if not. */
static bool v3_open_block(struct afp_port *ap)
{
	unsigned b = ap->rx.next;
	struct tpacket_block_desc *bd = v3_block(ap, b);

	/* Read on the previous lap and still partly held: the kernel has not refilled it. */
	if (ap->blk[b].consumed)
		return false;
	if (!(status_load(&bd->hdr.bh1.block_status) & TP_STATUS_USER))
		return false;
	ap->v3_pkt = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
	ap->v3_left = bd->hdr.bh1.num_pkts;
	ap->v3_open = true;
	return true;
}

/* Moves past the current block; it goes back to the kernel now or when its last frame is
 * freed. */
static void v3_close_block(struct afp_port *ap)
{
	unsigned b = ap->rx.next;

	ap->v3_open = false;
	ap->rx.next = ring_step(&ap->rx, b);
	if (ap->blk[b].outstanding == 0)
		v3_release(ap, b);
	else
		ap->blk[b].consumed = true;
}

/* Takes the next frame of the open block; returns true when it goes to the application. */
static bool v3_take(struct afp_port *ap, struct io_buf *buf)
{
	struct tpacket3_hdr *h = (struct tpacket3_hdr *)ap->v3_pkt;
	const struct sockaddr_ll *sll =
		(const struct sockaddr_ll *)(ap->v3_pkt + TPACKET_ALIGN(sizeof(*h)));
	unsigned b = ap->rx.next;

	ap->v3_pkt += h->tp_next_offset;
	ap->v3_left--;
	if (!rx_accept(ap, h->tp_status, h->tp_len, h->tp_snaplen, sll))
		return false;
	ap->blk[b].outstanding++;
	*buf = (struct io_buf){.data = (uint8_t *)h + h->tp_mac,
			       .len = h->tp_snaplen,
			       .owner = &ap->io,
			       .handle = HANDLE(H_RX, b)};
	return true;
}

static unsigned rx_v3(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned got = 0;

	while (got < n) {
		if (!ap->v3_open && !v3_open_block(ap))
			break;
		if (ap->v3_left > 0 && v3_take(ap, &bufs[got]))
			got++;
		if (ap->v3_left == 0)
			v3_close_block(ap);
	}
	return got;
}

static unsigned afp_rx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct afp_port *ap = to_afp(p);
	unsigned got;

	if (unlikely(ap->rx_fd < 0))
		return 0;
	got = ap->version == TPACKET_V3 ? rx_v3(ap, bufs, n) : rx_v2(ap, bufs, n);
	ap->st.rx_pkts += got;
	return got;
}

static void rx_free_one(struct afp_port *ap, unsigned idx)
{
	if (ap->version != TPACKET_V3) {
		v2_release(ap, idx);
		return;
	}
	if (--ap->blk[idx].outstanding == 0 && ap->blk[idx].consumed)
		v3_release(ap, idx);
}

/* ---- TX ring (TPACKET_V2 slots) ---- */

static struct tpacket2_hdr *tx_hdr(struct afp_port *ap, unsigned i)
{
	return (struct tpacket2_hdr *)ring_unit(&ap->tx, i);
}

static uint8_t *tx_data(struct afp_port *ap, unsigned i)
{
	return ring_unit(&ap->tx, i) + AFP_TX_DATA_OFF;
}

/* Claims the next slot if the kernel is done with it; returns its index or -1. Slots go out
 * in ring order because the kernel sends them in ring order. */
static int tx_slot_get(struct afp_port *ap)
{
	unsigned i = ap->tx.next;

	if (ap->tx.held[i] || status_load(&tx_hdr(ap, i)->tp_status) != TP_STATUS_AVAILABLE)
		return -1;
	ap->tx.held[i] = 1;
	ap->tx.next = ring_step(&ap->tx, i);
	return (int)i;
}

/* Hands slot i to the kernel with len bytes. len 0 gives back a slot the application did
 * not send: the kernel rejects it and, with PACKET_LOSS, marks it available and moves on. */
static void tx_slot_submit(struct afp_port *ap, unsigned i, uint32_t len)
{
	struct tpacket2_hdr *h = tx_hdr(ap, i);

	h->tp_len = len;
	h->tp_snaplen = len;
	ap->tx.held[i] = 0;
	ap->tx_last = i;
	ap->tx_pending = true;
	status_store(&h->tp_status, TP_STATUS_SEND_REQUEST);
}

/* Asks the kernel to send every submitted slot; frames are still pending when it stopped
 * before the last one (at a slot still held, or with a full socket buffer). */
static void tx_kick(struct afp_port *ap)
{
	ssize_t ret = sendto(ap->tx_fd, NULL, 0, MSG_DONTWAIT, NULL, 0);

	if (ret > 0) /* the bytes of the frames it sent */
		ap->st.kcost.calls[IO_SYS_SENDTO]++;
	else
		ap->st.kcost.idle_calls[IO_SYS_SENDTO]++;
	if (ret < 0 && errno != EAGAIN && errno != ENOBUFS)
		ap->st.tx_errors++; /* the frames stay queued; the next kick retries them */
	ap->tx_pending = status_load(&tx_hdr(ap, ap->tx_last)->tp_status) == TP_STATUS_SEND_REQUEST;
}

/* True for a buffer tx_burst sends in place: this port's TX slot or pool buffer. */
static bool tx_owned(const struct afp_port *ap, const struct io_buf *b)
{
	unsigned kind = ap->tx_mode == AFP_TX_RING ? H_TX : H_POOL;

	return b->owner == &ap->io && HANDLE_KIND(b->handle) == kind;
}

static bool tx_len_ok(const struct afp_port *ap, const struct io_buf *b)
{
	return b->len >= ETH_HLEN && b->len <= ap->io.max_frame;
}

static void pool_put(struct afp_port *ap, unsigned idx)
{
	ap->pool_free[ap->pool_nfree++] = idx;
}

/* Settles n buffers tx_burst took: pool buffers go back to the pool, foreign ones to their
 * owners (in runs, one io_free per run); TX slots were already handed to the kernel. */
static void tx_release(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned i = 0;

	while (i < n) {
		unsigned j = i;

		if (tx_owned(ap, &bufs[i])) {
			if (ap->tx_mode == AFP_TX_SENDMMSG)
				pool_put(ap, HANDLE_IDX(bufs[i].handle));
			i++;
			continue;
		}
		while (j < n && !tx_owned(ap, &bufs[j]))
			j++;
		io_free(bufs + i, j - i);
		i = j;
	}
}

/* Puts one buffer into the TX ring; returns false when no slot is free. */
static bool tx_ring_put(struct afp_port *ap, struct io_buf *b)
{
	int s;

	if (tx_owned(ap, b)) {
		unsigned i = HANDLE_IDX(b->handle);

		if (unlikely(!tx_len_ok(ap, b))) {
			ap->st.tx_errors++;
			tx_slot_submit(ap, i, 0);
			return true;
		}
		if (unlikely(b->data != tx_data(ap, i))) {
			memmove(tx_data(ap, i), b->data, b->len); /* the caller moved the start */
			ap->st.kcost.copied_bytes += b->len;
		}
		tx_slot_submit(ap, i, b->len);
		ap->st.tx_pkts++;
		return true;
	}
	if (unlikely(!tx_len_ok(ap, b))) {
		ap->st.tx_errors++; /* tx_release frees it */
		return true;
	}
	s = tx_slot_get(ap);
	if (s < 0)
		return false;
	memcpy(tx_data(ap, (unsigned)s), b->data, b->len);
	ap->st.kcost.copied_bytes += b->len;
	tx_slot_submit(ap, (unsigned)s, b->len);
	ap->st.tx_pkts++;
	return true;
}

static unsigned tx_ring_burst(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!tx_ring_put(ap, &bufs[i]))
			break;
	/* One kick per burst: the kernel walks every submitted slot in one syscall. */
	if (i > 0)
		tx_kick(ap);
	tx_release(ap, bufs, i);
	return i;
}

/* ---- sendmmsg ---- */

/* Fills the message array from bufs (at most IO_BURST_MAX) up to the first bad length;
 * returns how many. */
static unsigned mmsg_prepare(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned k;

	for (k = 0; k < n && k < IO_BURST_MAX && tx_len_ok(ap, &bufs[k]); k++) {
		ap->iov[k] = (struct iovec){.iov_base = bufs[k].data, .iov_len = bufs[k].len};
		ap->msgs[k].msg_hdr = (struct msghdr){.msg_iov = &ap->iov[k], .msg_iovlen = 1};
	}
	return k;
}

static bool errno_transient(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS || e == EINTR;
}

/* Sends bufs with sendmmsg; foreign buffers go as they are (the kernel copies them). Frames
 * the kernel refuses for good are dropped and counted; a full socket buffer stops the burst. */
static unsigned tx_mmsg_burst(struct afp_port *ap, struct io_buf *bufs, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		unsigned k = mmsg_prepare(ap, bufs + done, n - done);
		int sent = k ? sendmmsg(ap->tx_fd, ap->msgs, k, MSG_DONTWAIT) : -1;

		if (sent > 0) {
			ap->st.kcost.calls[IO_SYS_SENDMMSG]++;
			for (int m = 0; m < sent; m++) /* the kernel copies each frame in */
				ap->st.kcost.copied_bytes += ap->iov[m].iov_len;
			ap->st.tx_pkts += (unsigned)sent;
			done += (unsigned)sent;
			continue;
		}
		if (k)
			ap->st.kcost.idle_calls[IO_SYS_SENDMMSG]++;
		if (k && errno_transient(errno))
			break;
		ap->st.tx_errors++; /* bad length, or refused: drop this one frame */
		done++;
	}
	tx_release(ap, bufs, done);
	return done;
}

static unsigned afp_tx_burst(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct afp_port *ap = to_afp(p);

	if (unlikely(ap->tx_fd < 0))
		return 0;
	if (ap->tx_mode == AFP_TX_RING)
		return tx_ring_burst(ap, bufs, n);
	return tx_mmsg_burst(ap, bufs, n);
}

static unsigned afp_alloc(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct afp_port *ap = to_afp(p);
	unsigned i;

	if (unlikely(ap->tx_fd < 0))
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t *data;
		void *handle;

		if (ap->tx_mode == AFP_TX_RING) {
			int s = tx_slot_get(ap);

			if (s < 0)
				break;
			data = tx_data(ap, (unsigned)s);
			handle = HANDLE(H_TX, s);
		} else {
			unsigned idx;

			if (ap->pool_nfree == 0)
				break;
			idx = ap->pool_free[--ap->pool_nfree];
			data = ap->pool + (size_t)idx * ap->tx.unit;
			handle = HANDLE(H_POOL, idx);
		}
		bufs[i] = (struct io_buf){
			.data = data, .len = p->max_frame, .owner = p, .handle = handle};
	}
	return i;
}

static void afp_free(struct io_port *p, struct io_buf *bufs, unsigned n)
{
	struct afp_port *ap = to_afp(p);

	for (unsigned i = 0; i < n; i++) {
		unsigned idx = HANDLE_IDX(bufs[i].handle);

		switch (HANDLE_KIND(bufs[i].handle)) {
		case H_RX:
			rx_free_one(ap, idx);
			break;
		case H_TX:
			tx_slot_submit(ap, idx, 0); /* sent by the next kick, which drops it */
			break;
		case H_POOL:
			pool_put(ap, idx);
			break;
		}
	}
}

static void afp_flush(struct io_port *p)
{
	struct afp_port *ap = to_afp(p);

	if (ap->tx_fd >= 0 && ap->tx_mode == AFP_TX_RING && ap->tx_pending)
		tx_kick(ap);
}

static int afp_stats(struct io_port *p, struct io_stats *s)
{
	struct afp_port *ap = to_afp(p);
	struct tpacket_stats_v3 ks = {0};
	socklen_t len = ap->version == TPACKET_V3 ? sizeof(struct tpacket_stats_v3)
						  : sizeof(struct tpacket_stats);

	/* The kernel resets its counters on every read: add them up here. */
	if (ap->rx_fd >= 0) {
		if (getsockopt(ap->rx_fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len) < 0)
			return -errno;
		ap->st.rx_dropped += ks.tp_drops;
	}
	*s = ap->st;
	return 0;
}

static void ring_unmap(struct afp_ring *r)
{
	if (r->map)
		munmap(r->map, r->len);
	free(r->held);
}

static void afp_close(struct io_port *p)
{
	struct afp_port *ap = to_afp(p);

	/* Unsent TX slots are dropped with the socket; rings go before their sockets. */
	ring_unmap(&ap->rx);
	ring_unmap(&ap->tx);
	if (ap->rx_fd >= 0)
		close(ap->rx_fd);
	if (ap->tx_fd >= 0)
		close(ap->tx_fd);
	if (ap->pool)
		mem_free(ap->pool, ap->pool_len, ap->pool_huge);
	free(ap->pool_free);
	free(ap->blk);
	free(ap);
}

static const struct io_ops afp_ops = {
	.name = "afp",
	.rx_burst = afp_rx_burst,
	.tx_burst = afp_tx_burst,
	.alloc = afp_alloc,
	.free = afp_free,
	.flush = afp_flush,
	.stats = afp_stats,
	.close = afp_close,
};

uint64_t afp_csum_notready(struct io_port *p)
{
	return p && p->ops == &afp_ops ? to_afp(p)->csum_notready : 0;
}

/* ---- opening a port ---- */

/* What afp_open() is working on, for messages. */
struct afp_ctx {
	const struct afp_cfg *cfg;
	const char *ns; /* "netns NAME" or "the current netns" */
	char ns_buf[64];
	unsigned ifindex;
	char *err;
	size_t errlen;
};

static void __attribute__((format(printf, 2, 3))) fail(struct afp_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kport_vfail(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* Reports a failed socket call; EPERM/EACCES means the program is not root. */
static int fail_sys(struct afp_ctx *c, const char *what)
{
	int e = errno;

	if (e == EPERM || e == EACCES)
		fail(c, "afp: %s on %s in %s: needs root (CAP_NET_RAW); run as root", what,
		     c->cfg->ifname, c->ns);
	else
		fail(c, "afp: %s on %s in %s failed: %s", what, c->cfg->ifname, c->ns, strerror(e));
	return -e;
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static int cfg_check(struct afp_ctx *c)
{
	const struct afp_cfg *cfg = c->cfg;

	if (!cfg->ifname || !cfg->ifname[0] || strlen(cfg->ifname) >= IFNAMSIZ)
		fail(c, "afp: bad interface name '%s' (1..%d characters)",
		     cfg->ifname ? cfg->ifname : "", IFNAMSIZ - 1);
	else if (cfg->version != 2 && cfg->version != 3)
		fail(c, "afp: %s: TPACKET version %u not supported (use 2 or 3)", cfg->ifname,
		     cfg->version);
	else if (!is_pow2(cfg->frame_size) || cfg->frame_size < AFP_FRAME_MIN ||
		 cfg->frame_size > AFP_FRAME_MAX)
		fail(c, "afp: %s: frame size %u must be a power of two in %u..%u", cfg->ifname,
		     cfg->frame_size, AFP_FRAME_MIN, AFP_FRAME_MAX);
	else if (cfg->ring_frames == 0 || cfg->ring_frames > (1u << 20))
		fail(c, "afp: %s: ring of %u frames (use 1..%u)", cfg->ifname, cfg->ring_frames,
		     1u << 20);
	else if (!cfg->rx && !cfg->tx)
		fail(c, "afp: %s: neither rx nor tx asked for", cfg->ifname);
	else if (cfg->tx_mode != AFP_TX_RING && cfg->tx_mode != AFP_TX_SENDMMSG)
		fail(c, "afp: %s: unknown TX mode %d", cfg->ifname, (int)cfg->tx_mode);
	else
		return 0;
	return -EINVAL;
}

/* Block size and counts of a frame ring (V2 RX, TX) of at least frames slots. */
static void geometry_frames(struct tpacket_req3 *req, unsigned frames, uint32_t frame_size)
{
	uint32_t block = frame_size > AFP_PAGE ? frame_size : AFP_PAGE;
	unsigned per_block = block / frame_size;

	req->tp_block_size = block;
	req->tp_frame_size = frame_size;
	req->tp_block_nr = (frames + per_block - 1) / per_block;
	req->tp_frame_nr = req->tp_block_nr * per_block;
}

/* Block size and counts of a V3 ring holding about frames * frame_size bytes: blocks of
 * AFP_V3_BLOCK, smaller for small rings so there are at least 4 blocks to rotate. */
static void geometry_v3(struct tpacket_req3 *req, unsigned frames, uint32_t frame_size)
{
	size_t total = (size_t)frames * frame_size;
	uint32_t block = AFP_V3_BLOCK;
	uint32_t min_block = frame_size > AFP_PAGE ? frame_size : AFP_PAGE;

	while (block > min_block && (size_t)block * 4 > total)
		block /= 2;
	if (block < min_block)
		block = min_block;
	req->tp_block_size = block;
	req->tp_frame_size = frame_size;
	req->tp_block_nr = (unsigned)((total + block - 1) / block);
	req->tp_frame_nr = req->tp_block_nr * (block / frame_size);
	req->tp_retire_blk_tov = AFP_V3_TIMEOUT_MS;
}

/* Sets up a ring on fd with the geometry in req and maps it into r. */
static int ring_map(struct afp_ctx *c, int fd, int opt, struct tpacket_req3 *req, unsigned version,
		    struct afp_ring *r)
{
	socklen_t len = version == TPACKET_V3 ? sizeof(*req) : sizeof(struct tpacket_req);
	int err;

	if (setsockopt(fd, SOL_PACKET, opt, req, len) < 0)
		return fail_sys(c, opt == PACKET_RX_RING ? "PACKET_RX_RING" : "PACKET_TX_RING");
	r->len = (size_t)req->tp_block_size * req->tp_block_nr;
	r->map = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return fail_sys(c, "mmap of the packet ring");
	}
	r->nr = version == TPACKET_V3 ? req->tp_block_nr : req->tp_frame_nr;
	r->unit = version == TPACKET_V3 ? req->tp_block_size : req->tp_frame_size;
	r->held = calloc(r->nr, 1);
	if (!r->held) {
		err = -ENOMEM;
		fail(c, "afp: %s: out of memory for the ring state", c->cfg->ifname);
		return err;
	}
	return 0;
}

static int sock_opt(struct afp_ctx *c, int fd, int opt, int val, const char *name)
{
	if (setsockopt(fd, SOL_PACKET, opt, &val, sizeof(val)) < 0)
		return fail_sys(c, name);
	return 0;
}

static int sock_bind(struct afp_ctx *c, int fd, uint16_t proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = (int)c->ifindex,
	};

	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return fail_sys(c, "bind");
	return 0;
}

/* Opens an AF_PACKET socket with protocol 0: it receives nothing until bound. */
static int sock_open(struct afp_ctx *c)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	return fd < 0 ? fail_sys(c, "opening an AF_PACKET socket") : fd;
}

/* The RX socket: ring of the asked version, bound to every protocol on the interface. */
static int rx_setup(struct afp_ctx *c, struct afp_port *ap)
{
	const struct afp_cfg *cfg = c->cfg;
	struct tpacket_req3 req = {0};
	int version = cfg->version == 3 ? TPACKET_V3 : TPACKET_V2;
	int err;

	ap->rx_fd = sock_open(c);
	if (ap->rx_fd < 0)
		return ap->rx_fd;
	err = sock_opt(c, ap->rx_fd, PACKET_VERSION, version, "PACKET_VERSION");
	if (err)
		return err;
	/* Best effort: before Linux 4.20 rx_accept() skips PACKET_OUTGOING frames instead. */
	setsockopt(ap->rx_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &(int){1}, sizeof(int));
	if (version == TPACKET_V3)
		geometry_v3(&req, cfg->ring_frames, cfg->frame_size);
	else
		geometry_frames(&req, cfg->ring_frames, cfg->frame_size);
	err = ring_map(c, ap->rx_fd, PACKET_RX_RING, &req, (unsigned)version, &ap->rx);
	if (err)
		return err;
	if (version == TPACKET_V3) {
		ap->blk = calloc(ap->rx.nr, sizeof(*ap->blk));
		if (!ap->blk) {
			fail(c, "afp: %s: out of memory for the ring state", cfg->ifname);
			return -ENOMEM;
		}
	}
	ap->io.fd = ap->rx_fd;
	return sock_bind(c, ap->rx_fd, ETH_P_ALL);
}

/* The sendmmsg buffer pool: ring_frames buffers of frame_size bytes. */
static int pool_setup(struct afp_ctx *c, struct afp_port *ap)
{
	const struct afp_cfg *cfg = c->cfg;

	ap->pool_nr = cfg->ring_frames;
	ap->tx.unit = cfg->frame_size;
	ap->pool_len = (size_t)ap->pool_nr * cfg->frame_size;
	ap->pool_huge = cfg->hugepages;
	ap->pool = mem_alloc(ap->pool_len, cfg->hugepages);
	if (!ap->pool) {
		fail(c, "afp: %s: cannot allocate %zu bytes of TX buffers%s%s", cfg->ifname,
		     ap->pool_len, cfg->hugepages ? ": " : "",
		     cfg->hugepages ? mem_huge_hint() : "");
		return -ENOMEM;
	}
	ap->pool_free = calloc(ap->pool_nr, sizeof(*ap->pool_free));
	if (!ap->pool_free) {
		fail(c, "afp: %s: out of memory for the TX pool", cfg->ifname);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < ap->pool_nr; i++)
		pool_put(ap, ap->pool_nr - 1 - i); /* hand out buffer 0 first */
	return 0;
}

/* The TX socket, bound with protocol 0 so it never queues received frames. */
static int tx_setup(struct afp_ctx *c, struct afp_port *ap)
{
	const struct afp_cfg *cfg = c->cfg;
	struct tpacket_req3 req = {0};
	int err;

	ap->tx_fd = sock_open(c);
	if (ap->tx_fd < 0)
		return ap->tx_fd;
	if (cfg->qdisc_bypass) {
		err = sock_opt(c, ap->tx_fd, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
		if (err)
			return err;
	}
	if (cfg->tx_mode == AFP_TX_SENDMMSG) {
		err = pool_setup(c, ap);
	} else {
		err = sock_opt(c, ap->tx_fd, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
		if (!err)
			err = sock_opt(c, ap->tx_fd, PACKET_LOSS, 1, "PACKET_LOSS");
		geometry_frames(&req, cfg->ring_frames, cfg->frame_size);
		if (!err)
			err = ring_map(c, ap->tx_fd, PACKET_TX_RING, &req, TPACKET_V2, &ap->tx);
	}
	return err ? err : sock_bind(c, ap->tx_fd, 0);
}

/* The largest frame both rings carry and the interface accepts (MTU + Ethernet header). */
static int max_frame_setup(struct afp_ctx *c, struct afp_port *ap)
{
	int fd = ap->rx_fd >= 0 ? ap->rx_fd : ap->tx_fd;
	int err = kport_max_frame(fd, c->cfg->ifname, c->cfg->frame_size - AFP_RX_HEADROOM,
				  &ap->io.max_frame);

	if (err) {
		errno = -err;
		return fail_sys(c, "reading the MTU");
	}
	return 0;
}

/* Everything done inside the port's namespace: find the interface, open the sockets. */
static int open_in_netns(struct afp_ctx *c, struct afp_port *ap)
{
	int err;

	c->ifindex = if_nametoindex(c->cfg->ifname);
	if (c->ifindex == 0) {
		if (c->cfg->netns && c->cfg->netns[0])
			fail(c, "afp: interface %s not found in %s (run 'linerate topo up' first)",
			     c->cfg->ifname, c->ns);
		else
			fail(c, "afp: interface %s not found in %s (check 'ip link')",
			     c->cfg->ifname, c->ns);
		return -ENODEV;
	}
	err = c->cfg->rx ? rx_setup(c, ap) : 0;
	if (!err && c->cfg->tx)
		err = tx_setup(c, ap);
	if (!err)
		err = max_frame_setup(c, ap);
	return err;
}

static struct afp_port *port_new(const struct afp_cfg *cfg)
{
	struct afp_port *ap = calloc(1, sizeof(*ap));

	if (!ap)
		return NULL;
	ap->io.ops = &afp_ops;
	snprintf(ap->io.name, sizeof(ap->io.name), "%s", cfg->ifname);
	ap->io.fd = -1;
	ap->rx_fd = -1;
	ap->tx_fd = -1;
	ap->version = cfg->version == 3 ? TPACKET_V3 : TPACKET_V2;
	ap->tx_mode = cfg->tx_mode;
	return ap;
}

struct io_port *afp_open(const struct afp_cfg *cfg, char *err, size_t errlen)
{
	struct afp_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};
	struct afp_port *ap;
	int saved, ret;

	if (err && errlen)
		err[0] = '\0';
	if (cfg_check(&c))
		return NULL;
	if (cfg->netns && cfg->netns[0])
		snprintf(c.ns_buf, sizeof(c.ns_buf), "netns %s", cfg->netns);
	else
		snprintf(c.ns_buf, sizeof(c.ns_buf), "the current netns");
	c.ns = c.ns_buf;
	ap = port_new(cfg);
	if (!ap) {
		fail(&c, "afp: %s: out of memory", cfg->ifname);
		return NULL;
	}
	if (kport_netns_enter("afp", cfg->netns, &saved, err, errlen))
		goto err_close;
	ret = open_in_netns(&c, ap);
	if (netns_leave(saved) < 0 && !ret) {
		fail(&c, "afp: %s: cannot return from %s", cfg->ifname, c.ns);
		ret = -EIO;
	}
	if (ret)
		goto err_close;
	return &ap->io;

err_close:
	afp_close(&ap->io);
	return NULL;
}
