/* SPDX-License-Identifier: MIT */
/*
 * io_afp.h: the AF_PACKET backend of io.h, the kernel side of every matched workload. A port
 * is one interface in one network namespace, read through a memory-mapped PACKET_RX_RING
 * (TPACKET_V2 frames or TPACKET_V3 blocks) and written through a PACKET_TX_RING (TPACKET_V2)
 * or sendmmsg(2).
 *
 * Sockets: RX and TX use two AF_PACKET sockets on the same interface, so the TX ring is always
 * TPACKET_V2 whatever the RX version and the TX socket (bound with protocol 0) never queues
 * received frames. The RX socket sets PACKET_IGNORE_OUTGOING: frames leaving the interface,
 * this port's own included, are never received; frames marked PACKET_OUTGOING are also
 * skipped in software in case the option is missing. io_port.fd is the RX socket (POLLIN when
 * the ring holds frames), -1 for a TX-only port.
 *
 * Receiving: rx_burst hands out ring frames in place (zero copy) in ring order and stops at
 * the first one not ready; free() gives them back to the kernel. Frames may be freed in any
 * order; a TPACKET_V3 block goes back to the kernel once every frame of it is freed. While a
 * received frame is held the kernel cannot reuse its slot (V2) or block (V3): hold few, and
 * free them before io_wait(), which otherwise returns at once (the kernel reports the held
 * slot as readable). Frames the ring truncated (longer than frame_size allows) are skipped
 * and counted in rx_errors.
 *
 * Checksums: a frame the kernel marks TP_STATUS_CSUMNOTREADY (veth with TX checksum offload
 * on, i.e. CHECKSUM_PARTIAL) is handed out unchanged: its bytes are complete, but its TCP/UDP
 * checksum field holds only the pseudo-header sum. Receivers that verify L4 checksums must
 * turn TX offload off on the sending veth (ethtool -K DEV tx off; the lr- topology does) or
 * accept such frames; afp_csum_notready() counts them.
 *
 * Transmitting: alloc() hands out TX ring slots (AFP_TX_RING) or buffers of a fixed pool
 * (AFP_TX_SENDMMSG, on huge pages with cfg.hugepages). tx_burst sends this port's buffers in
 * place. A foreign buffer (received on any port, this one's RX ring included) is copied into
 * a TX slot (ring), or handed to sendmmsg as it is, which copies it into the kernel anyway;
 * either way the original is released with io_free(). With the TX ring, tx_burst marks the
 * slots and kicks the kernel once at its end (sendto with MSG_DONTWAIT), so a burst costs one
 * syscall; frames leave in allocation order, and a slot allocated but not yet sent holds back
 * later ones until it is sent or freed (flush() kicks again when frames are left waiting).
 * The TX socket sets PACKET_LOSS, so a frame the kernel rejects is dropped instead of jamming
 * the ring. A port is used by one thread at a time.
 *
 * Counters: rx_pkts / tx_pkts are the frames rx_burst handed out and tx_burst sent;
 * rx_dropped accumulates the kernel's tp_drops (ring full; reading PACKET_STATISTICS resets
 * them); rx_errors counts truncated frames; tx_errors counts frames dropped as too long or
 * refused by sendmmsg.
 */
#ifndef LR_IO_AFP_H
#define LR_IO_AFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

enum afp_tx_mode {
	AFP_TX_RING,     /* PACKET_TX_RING (TPACKET_V2), one sendto() kick per burst */
	AFP_TX_SENDMMSG, /* sendmmsg(2) from a fixed buffer pool */
};

struct afp_cfg {
	const char *ifname;
	const char *netns;    /* NULL or "": the current namespace */
	unsigned version;     /* 2 or 3: TPACKET_V2 or TPACKET_V3 RX ring */
	unsigned ring_frames; /* RX ring frames (also the TX ring's or pool's), e.g. 4096 */
	uint32_t frame_size;  /* ring frame size, a power of two 256..65536, e.g. 2048 */
	enum afp_tx_mode tx_mode;
	bool qdisc_bypass; /* PACKET_QDISC_BYPASS on the TX socket */
	bool hugepages;    /* the sendmmsg pool on 2 MB huge pages (common/mem.h) */
	bool rx, tx;       /* which side to open (at least one) */
};

/* Opens an AF_PACKET port on cfg->ifname in cfg->netns; returns it, or NULL with a message
 * saying what failed, on what, and the fix written into err (errlen bytes). */
struct io_port *afp_open(const struct afp_cfg *cfg, char *err, size_t errlen);
/* Returns how many received frames carried TP_STATUS_CSUMNOTREADY on an afp port (0 for any
 * other port). */
uint64_t afp_csum_notready(struct io_port *p);

#endif
