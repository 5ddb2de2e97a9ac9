/* SPDX-License-Identifier: MIT */
/*
 * io_xdp.h: the AF_XDP backend of io.h (names prefixed axdp_), through libxdp's xsk API. A
 * port is one queue of one interface in one network namespace: an AF_XDP socket with its UMEM
 * (a region of frame_size chunks shared with the kernel), the fill and completion rings of the
 * UMEM and the socket's RX and TX rings.
 *
 * The XDP program: for a port that receives, axdp_open() loads its own six-instruction
 * program (no compiler and no object file needed) that redirects every frame of the queue
 * into an XSKMAP holding this socket, falling back to XDP_PASS for a queue without a socket.
 * It is attached through a BPF link, so it goes away when the port closes or the process
 * dies. AXDP_NATIVE runs it in the driver (veth runs native XDP in its own NAPI), AXDP_GENERIC
 * on the skb after the driver (any interface). A transmit-only port attaches nothing.
 *
 * Copy or zero copy: AXDP_COPY_AUTO lets the kernel pick (zero copy where the driver
 * supports it, else copy), AXDP_COPY and AXDP_ZEROCOPY insist; axdp_zerocopy() says what
 * the port got. veth has no zero-copy support: frames are copied into the UMEM on receive,
 * and AF_XDP transmit in copy mode builds an skb per frame inside the sendto() kick.
 *
 * Receiving: rx_burst hands out UMEM frames in place (zero copy for the program); free()
 * puts them on the port's free list and the next rx_burst gives them back to the kernel
 * through the fill ring. Transmitting: alloc() hands out free UMEM frames; tx_burst puts this
 * port's frames on the TX ring in place and copies foreign ones (another port's, or an afp or
 * DPDK buffer) into free frames, releasing the originals with io_free(); then it kicks the
 * kernel with sendto(MSG_DONTWAIT) when the TX ring asks for it (need_wakeup, or always without
 * it). Sent frames come back through the completion ring to the free list.
 *
 * Waiting: io_port.fd is the socket: poll() sleeps until the RX ring has frames (the softirq
 * that runs the XDP program wakes it). With cfg.busy_poll the program never sleeps and
 * rx_burst itself kicks the kernel with recvfrom(MSG_DONTWAIT) whenever the fill ring's
 * need_wakeup flag is set (what poll() would otherwise do).
 *
 * Counters: rx_pkts / tx_pkts are the frames handed out and put on the TX ring; rx_dropped is
 * the socket's XDP_STATISTICS (rx_dropped: no fill frame, plus rx_ring_full); tx_errors counts
 * frames dropped as too long. kcost counts sendto() and recvfrom() kicks and the bytes of
 * foreign frames copied into the UMEM. A port is used by one thread at a time per direction.
 */
#ifndef LR_IO_XDP_H
#define LR_IO_XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

enum axdp_attach {
	AXDP_NATIVE,  /* XDP_FLAGS_DRV_MODE: the driver runs the program */
	AXDP_GENERIC, /* XDP_FLAGS_SKB_MODE: the stack runs it on the skb */
};

enum axdp_copy {
	AXDP_COPY_AUTO, /* zero copy if the driver can, else copy */
	AXDP_COPY,      /* XDP_COPY */
	AXDP_ZEROCOPY,  /* XDP_ZEROCOPY: fails where the driver cannot */
};

/* The kernel keeps XDP_PACKET_HEADROOM bytes before every frame of a UMEM chunk: a chunk of
 * frame_size bytes holds a frame of frame_size - AXDP_HEADROOM bytes at most. */
#define AXDP_HEADROOM 256u

struct axdp_cfg {
	const char *ifname;
	const char *netns;    /* NULL or "": the current namespace */
	unsigned queue;       /* the queue to bind, normally 0 */
	unsigned ring_frames; /* entries per ring, a power of two 64..16384; UMEM: 4x as many */
	uint32_t frame_size;  /* UMEM chunk: 2048 or 4096 */
	enum axdp_attach attach;
	enum axdp_copy copy;
	bool need_wakeup; /* XDP_USE_NEED_WAKEUP: the kernel says when it needs a kick */
	bool busy_poll;   /* the caller spins: rx_burst kicks the kernel itself */
	bool hugepages;   /* the UMEM on 2 MB huge pages (common/mem.h) */
	bool rx, tx;      /* which side to use (at least one); rx attaches the program */
};

/* Opens an AF_XDP port on cfg->ifname in cfg->netns; returns it, or NULL with a message
 * saying what failed, on what, and the fix written into err (errlen bytes). */
struct io_port *axdp_open(const struct axdp_cfg *cfg, char *err, size_t errlen);
/* Returns true when an AF_XDP port runs in zero-copy mode (false for any other port). */
bool axdp_zerocopy(struct io_port *p);
/* Returns the names of the enum values, for messages and reports. */
const char *axdp_attach_name(enum axdp_attach a);

#endif
