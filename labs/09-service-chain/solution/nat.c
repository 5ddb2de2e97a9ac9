// SPDX-License-Identifier: MIT
/* nat.c (lab 09), the reference solution. */
#include <arpa/inet.h>
#include <string.h>

#include "chain.h"
#include "csum.h"
#include "pkt.h"

int nat_rewrite(const struct nat *n, uint8_t *frame, size_t len)
{
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(frame + PKT_ETH_HLEN);
	uint32_t old_addr, new_addr = htonl(n->public_ip);
	uint16_t type, old_port, new_port, csum;
	size_t hl, csum_off;
	uint8_t *l4;

	/* task 1: an IPv4 TCP or UDP frame from inside, headers all there, not a later fragment */
	if (len < PKT_ETH_HLEN + PKT_IPV4_HLEN)
		return 0;
	memcpy(&type, frame + 2 * PKT_ETH_ALEN, sizeof(type));
	hl = (size_t)(ip->ver_ihl & 0xf) * 4;
	if (type != htons(PKT_ETHERTYPE_IPV4) || (ip->ver_ihl >> 4) != 4 || hl < PKT_IPV4_HLEN)
		return 0;
	if (ip->proto != PKT_IPPROTO_TCP && ip->proto != PKT_IPPROTO_UDP)
		return 0;
	csum_off = ip->proto == PKT_IPPROTO_TCP ? offsetof(struct tcp_hdr, csum)
						: offsetof(struct udp_hdr, csum);
	if (len < PKT_ETH_HLEN + hl + csum_off + 2 || (ntohs(ip->frag_off) & 0x1fff))
		return 0;
	old_addr = ip->saddr;
	if ((ntohl(old_addr) & n->inside_mask) != n->inside)
		return 0;
	ip->saddr = new_addr;
	ip->csum = csum_update32(ip->csum, old_addr, new_addr);

	/* task 2: the port, and the L4 checksum, which covers the port and (through the
	 * pseudo-header) the address */
	l4 = frame + PKT_ETH_HLEN + hl;
	memcpy(&old_port, l4, sizeof(old_port));
	new_port = htons(nat_port(n, ntohl(old_addr), ntohs(old_port)));
	memcpy(l4, &new_port, sizeof(new_port));
	memcpy(&csum, l4 + csum_off, sizeof(csum));
	if (ip->proto == PKT_IPPROTO_UDP && csum == 0)
		return 1; /* no checksum: none to fix */
	csum = csum_update32(csum, old_addr, new_addr);
	csum = csum_update16(csum, old_port, new_port);
	if (ip->proto == PKT_IPPROTO_UDP && csum == 0)
		csum = 0xffff;
	memcpy(l4 + csum_off, &csum, sizeof(csum));
	return 1;
}

enum nf_verdict nat_handle(struct nf *nf, struct lab_frame *f)
{
	struct nat *n = (struct nat *)nf;

	n->rewritten += (uint64_t)nat_rewrite(n, f->data, f->len);
	return NF_PASS;
}
