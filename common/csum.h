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

/* The two checks below are inline: the forwarding loop runs them on every frame, and a call
 * into the generic summing loop costs more than the work (issue 7's fwd figures). */

/* Returns 0 when the 20-byte IPv4 header (no options) at hdr sums to all ones, i.e. its
 * checksum is valid; otherwise the folded complement of its sum. */
static inline uint16_t csum_ipv4_hdr20(const void *hdr)
{
	uint32_t w[5];
	uint64_t acc;

	__builtin_memcpy(w, hdr, sizeof(w));
	acc = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
	/* five words stay below 2^35: one 32-bit fold, then three 16-bit folds reach 16 bits;
	 * 2^32 and 2^16 are both 1 modulo 0xffff, so the one's-complement value is kept */
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* The incremental update. 8< */
/* RFC 1624 eqn. 3: the checksum after one 16-bit field changed from old_val to new_val
 * (all three as stored in the frame). May return 0x0000: a UDP caller stores 0xffff instead.
 * An end-around-carry sum of terms that are not all zero is never 0, so like a full recompute
 * it yields 0x0000 (not 0xffff) for an all-ones sum. */
static inline uint16_t csum_update16(uint16_t csum, uint16_t old_val, uint16_t new_val)
{
	uint32_t sum = (uint16_t)~csum;

	sum += (uint16_t)~old_val;
	sum += new_val;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
/* The same for a 32-bit field (an IPv4 address), as stored in the frame. */
uint16_t csum_update32(uint16_t csum, uint32_t old_val, uint32_t new_val);
/* >8 End of the incremental update. */

#endif
