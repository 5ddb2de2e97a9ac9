// SPDX-License-Identifier: MIT
/*
 * nf_given.c (lab 09, given): the firewall and the counter NFs, the NAT's setup, and the
 * builder of the lab's test frames. Read fw_handle() as a model of an NF: parse with bounds
 * checks, decide, count.
 */
#include <arpa/inet.h>
#include <string.h>

#include "chain.h"
#include "csum.h"
#include "pkt.h"

/* The IPv4 header of a frame, or NULL (not IPv4, or too short for its header). */
static const struct ipv4_hdr *ipv4_of(const struct lab_frame *f, struct pkt_cursor *c)
{
	const struct eth_hdr *eth;
	const struct ipv4_hdr *ip;

	pkt_cursor_init(c, f->data, f->len);
	eth = pkt_cursor_pull(c, sizeof(*eth));
	if (!eth || eth->type != htons(PKT_ETHERTYPE_IPV4))
		return NULL;
	ip = pkt_cursor_pull(c, PKT_IPV4_HLEN);
	if (!ip || (ip->ver_ihl >> 4) != 4 || (ip->ver_ihl & 0xf) < 5 ||
	    !pkt_cursor_pull(c, (size_t)((ip->ver_ihl & 0xf) - 5) * 4))
		return NULL;
	return ip;
}

static int rule_matches(const struct fw_rule *r, uint32_t src, uint32_t dst, uint8_t proto,
			int has_port, uint16_t dport)
{
	if ((src & r->src_mask) != r->src || (dst & r->dst_mask) != r->dst)
		return 0;
	if (r->proto && r->proto != proto)
		return 0;
	if (r->dport_lo == 0 && r->dport_hi == 0xffff)
		return 1;
	return has_port && dport >= r->dport_lo && dport <= r->dport_hi;
}

/* The firewall. 8< */
static enum nf_verdict fw_handle(struct nf *nf, struct lab_frame *f)
{
	struct fw *fw = (struct fw *)nf;
	struct pkt_cursor c;
	const struct ipv4_hdr *ip = ipv4_of(f, &c);
	const uint16_t *ports;
	int has_port;

	if (!ip) {
		fw->hits[fw->n_rules]++;
		return fw->dflt;
	}
	/* a later fragment (offset != 0) carries no ports */
	has_port = (ip->proto == PKT_IPPROTO_TCP || ip->proto == PKT_IPPROTO_UDP) &&
		   !(ntohs(ip->frag_off) & 0x1fff);
	ports = has_port ? pkt_cursor_pull(&c, 4) : NULL;
	has_port = ports != NULL;
	for (unsigned i = 0; i < fw->n_rules; i++)
		if (rule_matches(&fw->rules[i], ntohl(ip->saddr), ntohl(ip->daddr), ip->proto,
				 has_port, has_port ? ntohs(ports[1]) : 0)) {
			fw->hits[i]++;
			return fw->rules[i].action;
		}
	fw->hits[fw->n_rules]++;
	return fw->dflt;
}
/* >8 End of the firewall. */

void fw_init(struct fw *fw, const struct fw_rule *rules, unsigned n, enum nf_verdict dflt)
{
	memset(fw, 0, sizeof(*fw));
	fw->nf = (struct nf){.name = "firewall", .handle = fw_handle};
	fw->rules = rules;
	fw->n_rules = n > FW_MAX_RULES ? FW_MAX_RULES : n;
	fw->dflt = dflt;
}

static enum nf_verdict counter_handle(struct nf *nf, struct lab_frame *f)
{
	struct counter *k = (struct counter *)nf;
	struct pkt_cursor c;
	const struct ipv4_hdr *ip = ipv4_of(f, &c);

	k->frames++;
	k->bytes += f->len;
	if (ip && ip->proto == PKT_IPPROTO_TCP)
		k->tcp++;
	else if (ip && ip->proto == PKT_IPPROTO_UDP)
		k->udp++;
	else
		k->other++;
	return NF_PASS;
}

void counter_init(struct counter *k, const char *name)
{
	memset(k, 0, sizeof(*k));
	k->nf = (struct nf){.name = name, .handle = counter_handle};
}

void nat_init(struct nat *n, uint32_t inside, uint32_t inside_mask, uint32_t public_ip,
	      uint16_t port_base)
{
	memset(n, 0, sizeof(*n));
	n->nf = (struct nf){.name = "nat", .handle = nat_handle};
	n->inside = inside & inside_mask;
	n->inside_mask = inside_mask;
	n->public_ip = public_ip;
	n->port_base = port_base;
}

void lab_frame_build(struct lab_frame *f, uint8_t proto, uint32_t saddr, uint32_t daddr,
		     uint16_t sport, uint16_t dport, unsigned payload_len, uint64_t id)
{
	static const uint8_t macs[12] = {2, 0, 0, 0, 9, 1, 2, 0, 0, 0, 9, 2};
	struct eth_hdr *eth = (struct eth_hdr *)f->data;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f->data + PKT_ETH_HLEN);
	uint8_t *l4 = f->data + PKT_ETH_HLEN + PKT_IPV4_HLEN;
	unsigned l4_hlen = proto == PKT_IPPROTO_TCP ? PKT_TCP_HLEN : PKT_UDP_HLEN;
	unsigned max = CHAIN_FRAME_CAP - PKT_ETH_HLEN - PKT_IPV4_HLEN - l4_hlen;

	if (payload_len > max)
		payload_len = max;
	memset(f->data, 0, sizeof(f->data));
	memcpy(eth, macs, sizeof(macs));
	eth->type = htons(PKT_ETHERTYPE_IPV4);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + l4_hlen + payload_len));
	ip->id = htons((uint16_t)id);
	ip->ttl = 64;
	ip->proto = proto;
	ip->saddr = htonl(saddr);
	ip->daddr = htonl(daddr);
	ip->csum = csum_ipv4_hdr(ip);
	for (unsigned i = 0; i < payload_len; i++)
		l4[l4_hlen + i] = (uint8_t)(id * 7 + i);
	if (proto == PKT_IPPROTO_TCP) {
		struct tcp_hdr *t = (struct tcp_hdr *)l4;

		t->sport = htons(sport);
		t->dport = htons(dport);
		t->seq = htonl((uint32_t)id);
		t->doff_rsvd = 5 << 4;
		t->flags = PKT_TCP_ACK;
		t->window = htons(65535);
		t->csum = csum_ipv4_l4(ip, t, l4_hlen + payload_len);
	} else {
		struct udp_hdr *u = (struct udp_hdr *)l4;

		u->sport = htons(sport);
		u->dport = htons(dport);
		u->len = htons((uint16_t)(l4_hlen + payload_len));
		u->csum = csum_ipv4_l4(ip, u, l4_hlen + payload_len);
	}
	f->len = (uint16_t)(PKT_ETH_HLEN + PKT_IPV4_HLEN + l4_hlen + payload_len);
	f->id = id;
}
