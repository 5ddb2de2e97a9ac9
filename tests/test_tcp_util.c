// SPDX-License-Identifier: MIT
/*
 * test_tcp_util.c: the fake peer and fake clock of the TCP stack's tests (test_tcp_util.h).
 * Frames are crafted here byte by byte with pkt.h's headers and csum.h's checksums, and the
 * stack's frames are parsed back with the same headers, so a test never trusts the stack to
 * check itself.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "test_tcp_util.h"

const uint8_t t_smac[PKT_ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
const uint8_t t_pmac[PKT_ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

void t_cfg(struct tcp_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ip = T_SIP;
	memcpy(cfg->mac, t_smac, PKT_ETH_ALEN);
	cfg->seed = 42;
	cfg->max_conns = 16;
	cfg->rx_buf = 8192;
	cfg->tx_buf = 8192;
}

struct t_env *t_env_new(const struct tcp_cfg *cfg)
{
	struct t_env *e = calloc(1, sizeof(*e));

	cr_assert_not_null(e);
	if (cfg)
		e->cfg = *cfg;
	else
		t_cfg(&e->cfg);
	e->s = tcp_stack_new(&e->cfg);
	cr_assert_not_null(e->s, "tcp_stack_new failed");
	cr_assert_eq(tcp_listen(e->s, T_PORT), 0);
	e->now = T_T0;
	return e;
}

void t_env_free(struct t_env *e)
{
	tcp_stack_free(e->s);
	free(e);
}

static void capture(void *arg, const uint8_t *frame, size_t len)
{
	struct t_env *e = arg;

	cr_assert_lt(e->nout, T_OUT_MAX, "too many frames captured");
	cr_assert_leq(len, (size_t)TCP_FRAME_MAX);
	memcpy(e->out[e->nout], frame, len);
	e->out_len[e->nout] = len;
	e->nout++;
}

unsigned t_flush(struct t_env *e)
{
	if (e->rd == e->nout)
		e->rd = e->nout = 0; /* everything was read: reuse the space */
	return tcp_output_cb(e->s, capture, e, e->now);
}

void t_drain(struct t_env *e)
{
	e->rd = e->nout = 0;
}

unsigned t_advance(struct t_env *e, uint64_t ns)
{
	e->now += ns;
	tcp_poll(e->s, e->now);
	return t_flush(e);
}

uint64_t t_wait_frame(struct t_env *e, uint64_t max_ns)
{
	for (uint64_t waited = T_MS; waited <= max_ns; waited += T_MS) {
		if (t_advance(e, T_MS))
			return waited;
	}
	return UINT64_MAX;
}

static uint32_t rd32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

void t_parse(const uint8_t *frame, size_t len, struct t_seg *seg)
{
	const struct eth_hdr *eth = (const struct eth_hdr *)frame;
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)(frame + PKT_ETH_HLEN);
	const uint8_t *l4 = frame + PKT_ETH_HLEN + PKT_IPV4_HLEN;
	const struct tcp_hdr *th = (const struct tcp_hdr *)l4;
	size_t l4_len, doff;

	cr_assert_geq(len, (size_t)(PKT_ETH_HLEN + PKT_IPV4_HLEN + PKT_TCP_HLEN));
	cr_assert_eq(ntohs(eth->type), PKT_ETHERTYPE_IPV4);
	cr_assert_eq(memcmp(eth->src, t_smac, PKT_ETH_ALEN), 0, "source MAC is not the stack's");
	cr_assert_eq(ip->ver_ihl, 0x45);
	cr_assert(csum_ipv4_hdr_ok(ip), "bad IPv4 header checksum");
	cr_assert_eq(ntohs(ip->tot_len), len - PKT_ETH_HLEN, "IPv4 length disagrees with frame");
	cr_assert_eq(ip->proto, PKT_IPPROTO_TCP);
	l4_len = len - PKT_ETH_HLEN - PKT_IPV4_HLEN;
	cr_assert_eq(csum_ipv4_l4(ip, l4, l4_len), 0, "bad TCP checksum");
	doff = (size_t)(th->doff_rsvd >> 4) * 4;
	cr_assert(doff >= PKT_TCP_HLEN && doff <= l4_len);
	memcpy(seg->dst_mac, eth->dst, PKT_ETH_ALEN);
	seg->saddr = ntohl(ip->saddr);
	seg->daddr = ntohl(ip->daddr);
	seg->sport = ntohs(th->sport);
	seg->dport = ntohs(th->dport);
	seg->seq = rd32(&th->seq);
	seg->ack = rd32(&th->ack);
	seg->flags = th->flags;
	seg->wnd = ntohs(th->window);
	seg->mss = 0;
	if (doff >= PKT_TCP_HLEN + 4 && l4[PKT_TCP_HLEN] == 2 && l4[PKT_TCP_HLEN + 1] == 4)
		seg->mss = (uint16_t)(l4[PKT_TCP_HLEN + 2] << 8 | l4[PKT_TCP_HLEN + 3]);
	seg->data = l4 + doff;
	seg->len = l4_len - doff;
}

const uint8_t *t_next_raw(struct t_env *e, size_t *len)
{
	if (e->rd == e->nout)
		return NULL;
	*len = e->out_len[e->rd];
	return e->out[e->rd++];
}

bool t_next(struct t_env *e, struct t_seg *seg)
{
	size_t len;
	const uint8_t *f = t_next_raw(e, &len);

	if (!f)
		return false;
	t_parse(f, len, seg);
	return true;
}

struct t_seg t_expect(struct t_env *e, uint8_t flags)
{
	struct t_seg seg;

	cr_assert(t_next(e, &seg), "expected a segment with flags 0x%02x, got nothing", flags);
	cr_assert_eq(seg.flags, flags, "flags 0x%02x, expected 0x%02x", seg.flags, flags);
	return seg;
}

void t_expect_none(struct t_env *e)
{
	cr_assert_eq(e->rd, e->nout, "%u unexpected frame(s)", e->nout - e->rd);
}

size_t t_build(uint8_t *buf, const struct t_pkt *p)
{
	struct eth_hdr *eth = (struct eth_hdr *)buf;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(buf + PKT_ETH_HLEN);
	uint8_t *l4 = buf + PKT_ETH_HLEN + PKT_IPV4_HLEN;
	struct tcp_hdr *th = (struct tcp_hdr *)l4;
	size_t opt_pad = (p->opt_len + 3) / 4 * 4;
	size_t l4_len = PKT_TCP_HLEN + opt_pad + p->len;

	memset(buf, 0, PKT_ETH_HLEN + PKT_IPV4_HLEN + PKT_TCP_HLEN + opt_pad);
	memcpy(eth->dst, t_smac, PKT_ETH_ALEN);
	memcpy(eth->src, t_pmac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_IPV4);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + l4_len));
	ip->ttl = 64;
	ip->proto = PKT_IPPROTO_TCP;
	ip->saddr = htonl(T_PIP);
	ip->daddr = htonl(T_SIP);
	ip->csum = csum_ipv4_hdr(ip);
	th->sport = htons(p->sport);
	th->dport = htons(p->dport ? p->dport : T_PORT);
	th->seq = htonl(p->seq);
	th->ack = htonl(p->ack);
	th->doff_rsvd = (uint8_t)((PKT_TCP_HLEN + opt_pad) / 4 << 4);
	th->flags = p->flags;
	th->window = htons(p->wnd_zero ? 0 : p->wnd ? p->wnd : 65535);
	if (p->opt_len)
		memcpy(l4 + PKT_TCP_HLEN, p->opt, p->opt_len);
	if (p->len)
		memcpy(l4 + PKT_TCP_HLEN + opt_pad, p->data, p->len);
	th->csum = csum_ipv4_l4(ip, l4, l4_len);
	return PKT_ETH_HLEN + PKT_IPV4_HLEN + l4_len;
}

int t_inject(struct t_env *e, const void *frame, size_t len)
{
	return tcp_input(e->s, frame, len, e->now);
}

int t_send(struct t_env *e, const struct t_pkt *p)
{
	uint8_t buf[TCP_FRAME_MAX + 64];

	cr_assert_leq(p->len + p->opt_len, (size_t)TCP_FRAME_MAX - 60);
	return t_inject(e, buf, t_build(buf, p));
}

void t_learn_peer(struct t_env *e)
{
	uint8_t f[PKT_ETH_HLEN + sizeof(struct arp_hdr)] = {0};
	struct eth_hdr *eth = (struct eth_hdr *)f;
	struct arp_hdr *arp = (struct arp_hdr *)(f + PKT_ETH_HLEN);

	memset(eth->dst, 0xff, PKT_ETH_ALEN);
	memcpy(eth->src, t_pmac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_ARP);
	arp->htype = htons(1);
	arp->ptype = htons(PKT_ETHERTYPE_IPV4);
	arp->hlen = 6;
	arp->plen = 4;
	arp->oper = htons(1);
	memcpy(arp->sha, t_pmac, PKT_ETH_ALEN);
	arp->spa = htonl(T_PIP);
	arp->tpa = htonl(T_SIP);
	cr_assert_eq(t_inject(e, f, sizeof(f)), 0);
	t_flush(e);
	t_drain(e);
}

unsigned t_events(struct t_env *e, struct tcp_event *ev, unsigned max)
{
	return tcp_events(e->s, ev, max);
}

struct tcp_conn *t_open(struct t_env *e, uint16_t sport, uint32_t isn, uint16_t peer_mss,
			uint32_t *iss)
{
	uint8_t opt[4] = {2, 4, (uint8_t)(peer_mss >> 8), (uint8_t)peer_mss};
	struct tcp_event ev[4];
	struct t_seg sa;

	t_send(e, &(struct t_pkt){.sport = sport,
				  .seq = isn,
				  .flags = PKT_TCP_SYN,
				  .opt = peer_mss ? opt : NULL,
				  .opt_len = peer_mss ? 4 : 0});
	t_flush(e);
	sa = t_expect(e, PKT_TCP_SYN | PKT_TCP_ACK);
	cr_assert_eq(sa.ack, isn + 1);
	t_send(e, &(struct t_pkt){
			  .sport = sport, .seq = isn + 1, .ack = sa.seq + 1, .flags = PKT_TCP_ACK});
	cr_assert_eq(t_events(e, ev, 4), 1);
	cr_assert_eq(ev[0].events, TCP_EV_ACCEPT);
	cr_assert_eq(tcp_conn_state(ev[0].conn), TCP_ST_ESTABLISHED);
	t_flush(e);
	t_expect_none(e); /* the handshake's last ACK needs no answer */
	if (iss)
		*iss = sa.seq;
	return ev[0].conn;
}

void t_pattern(uint8_t *buf, size_t len, size_t stream_off, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)((stream_off + i) * 7 + seed);
}

bool t_pattern_ok(const uint8_t *buf, size_t len, size_t stream_off, unsigned seed)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != (uint8_t)((stream_off + i) * 7 + seed))
			return false;
	}
	return true;
}
