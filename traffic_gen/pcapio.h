/* SPDX-License-Identifier: MIT */
/*
 * pcapio.h: pcap files through libpcap, for tgen's --pcap-out and --pcap-in.
 *
 * The writer keeps received frames (all of them, the first N, or one in K) with nanosecond
 * timestamps. It writes to a temporary file beside the target and renames it over the target
 * at pcapio_close(), so a reader never sees half a capture; a program stopped by Ctrl-C ends
 * its trial and calls pcapio_close() from its normal path to keep what was captured.
 *
 * The reader loads a capture's Ethernet/IPv4 frames into one contiguous buffer for the
 * generator to send in a loop, rewritten to the topology's addresses with their IPv4, UDP and
 * TCP checksums fixed. Everything else is skipped and counted.
 */
#ifndef LR_PCAPIO_H
#define LR_PCAPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

enum pcapio_mode {
	PCAPIO_ALL,      /* keep every frame */
	PCAPIO_FIRST_N,  /* keep the first n frames */
	PCAPIO_ONE_IN_K, /* keep frame 0, n, 2n, ... */
};

struct pcapio_writer;

/* Opens a capture for writing at path (created at close) keeping frames per mode; n is the
 * count for FIRST_N or the K of ONE_IN_K (>= 1). Returns NULL with errno set (EINVAL for a bad
 * mode or n, or what creating the temporary file failed with). */
struct pcapio_writer *pcapio_open_out(const char *path, enum pcapio_mode mode, uint64_t n);
/* Offers one frame of len bytes received at ts_ns (nanoseconds since the Unix epoch); returns
 * 1 when the mode kept it, 0 when it skipped it. Frames beyond 65535 bytes are cut there. */
int pcapio_write(struct pcapio_writer *h, const void *frame, size_t len, uint64_t ts_ns);
/* Returns the number of frames offered / kept so far. */
uint64_t pcapio_seen(const struct pcapio_writer *h);
uint64_t pcapio_kept(const struct pcapio_writer *h);
/* Flushes, syncs and renames the capture into place, then frees h (NULL is fine); returns 0
 * or -errno (the temporary file is then removed and the target left as it was). */
int pcapio_close(struct pcapio_writer *h);
/* Drops the capture: removes the temporary file and frees h (NULL is fine). */
void pcapio_abort(struct pcapio_writer *h);

/* How loaded frames are rewritten. Fields left zero (all-zero MACs, address 0, port 0) keep
 * what the capture has. Addresses and ports in host order. */
struct pcapio_rewrite {
	uint8_t src_mac[PKT_ETH_ALEN], dst_mac[PKT_ETH_ALEN];
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port; /* UDP and TCP only */
	unsigned max_frame;          /* largest wire size L kept, FCS included; 0 = 1518 */
};

/* Frames loaded from a capture: frame i is len[i] bytes at buf + off[i] (no FCS; frames
 * shorter than the Ethernet minimum are zero-padded to 60 bytes). */
struct pcapio_frames {
	uint8_t *buf;
	size_t *off;
	uint32_t *len;
	size_t n;
	uint64_t wire_bytes;    /* sum of the wire sizes (len + 4): mean L = wire_bytes / n */
	uint64_t read;          /* records in the file */
	uint64_t skipped_other; /* not Ethernet/IPv4 (ARP, IPv6, ...) */
	uint64_t skipped_big;   /* wire size above max_frame */
	uint64_t skipped_cut;   /* captured with a snap length shorter than the frame */
	uint64_t skipped_bad;   /* IPv4 with inconsistent lengths or a truncated L4 header */
};

/* Loads every Ethernet/IPv4 frame of the pcap (or pcapng) file at path, applying rw (NULL: no
 * rewrite) and fixing the checksums, into out (free it with pcapio_frames_free). Returns 0,
 * or -errno with a message in err: -ENOENT / -EACCES (the file), -EINVAL (not a capture),
 * -EPROTONOSUPPORT (not an Ethernet capture), -ENODATA (no frame to send), -EIO (a read
 * error), -ENOMEM; on error out holds no frames but keeps the counters. */
int pcapio_load(const char *path, const struct pcapio_rewrite *rw, struct pcapio_frames *out,
		char *err, size_t errlen);
/* Frees what pcapio_load() allocated and zeroes out. */
void pcapio_frames_free(struct pcapio_frames *out);

#endif
