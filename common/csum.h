/* SPDX-License-Identifier: MIT */
/*
 * csum.h: the Internet checksum. RFC 1071 one's-complement sum, RFC 1624 incremental update,
 * the IPv4 header checksum and the UDP/TCP checksum over the IPv4 pseudo-header.
 * Data is in network byte order as it sits in the frame; results are 16-bit values to store
 * into the frame as they are (memcpy or a uint16_t store), with no byte swapping.
 */
#ifndef LR_CSUM_H
#define LR_CSUM_H

#include <stddef.h>
#include <stdint.h>

struct ipv4_hdr;

/* Adds len bytes at buf to the 32-bit running sum; returns the new sum (not folded). A sum
 * carried over several calls needs every chunk but the last to have an even length. */
uint32_t csum_partial(const void *buf, size_t len, uint32_t sum);
/* Folds a running sum to 16 bits and complements it: the checksum to store. */
uint16_t csum_fold(uint32_t sum);
/* Returns the checksum of len bytes at buf (csum_fold(csum_partial(buf, len, 0))). */
uint16_t csum_buf(const void *buf, size_t len);
/* Returns the checksum an IPv4 header should carry (computed with its checksum field as 0,
 * over ihl * 4 bytes). */
uint16_t csum_ipv4_hdr(const struct ipv4_hdr *ip);
/* Returns the UDP or TCP checksum of l4_len bytes at l4 (with their checksum field zeroed)
 * under ip's pseudo-header; for UDP a computed 0 is returned as 0xffff (RFC 768). */
uint16_t csum_ipv4_l4(const struct ipv4_hdr *ip, const void *l4, size_t l4_len);
/* Returns true when a received IPv4 header's checksum is valid. */
int csum_ipv4_hdr_ok(const struct ipv4_hdr *ip);
/* RFC 1624 eqn. 3: the checksum after one 16-bit field changed from old_val to new_val
 * (all three as stored in the frame). May return 0x0000: a UDP caller stores 0xffff instead. */
uint16_t csum_update16(uint16_t csum, uint16_t old_val, uint16_t new_val);
/* The same for a 32-bit field (an IPv4 address), as stored in the frame. */
uint16_t csum_update32(uint16_t csum, uint32_t old_val, uint32_t new_val);

#endif
