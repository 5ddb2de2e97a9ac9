// SPDX-License-Identifier: MIT
/*
 * engine_io.c: the afp, dpdk and xdp engines, written once against the frame-I/O interface
 * (common/io.h); only opening the ports differs (afp_open, dpdk_port_open, axdp_open).
 *
 * TX, per burst: io_alloc, then per frame copy the size's frame (built once by pkt_build_udp
 * with a zero payload), patch the flow's source address and port with the IPv4 checksum
 * precomputed for them, write the payload (flow, seq, tx_ns = tsc_now_ns() read once per
 * burst, which leaves at once) and fix the UDP checksum incrementally: the flow's checksum
 * over a zero payload plus the payload's 16 bytes, folded, 0 sent as 0xffff. Then io_tx_burst; frames the
 * port did not take are freed and their sequence numbers used again next time.
 * Flows rotate per frame. RX, per burst: io_rx_burst, pkt_parse_udp, pkt_payload_read, into
 * the receive counters (one timestamp per burst), optionally into the pcap file, io_free.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "io.h"
#include "io_afp.h"
#include "io_dpdk.h"
#include "io_xdp.h"
#include "lr.h"
#include "pcapio.h"
#include "rate.h"
#include "tgen.h"
#include "tsc.h"

#define OFF_IP_CSUM  (PKT_ETH_HLEN + 10)
#define OFF_IP_SADDR (PKT_ETH_HLEN + 12)
#define OFF_SPORT    (PKT_ETH_HLEN + PKT_IPV4_HLEN)
#define OFF_UDP_CSUM (PKT_ETH_HLEN + PKT_IPV4_HLEN + 6)
#define OFF_PAYLOAD  PKT_UDP_FRAME_HLEN
#define LINK_WAIT_MS 5000

/* What differs between flows, as stored in the frame (network order). */
struct flow_tmpl {
	uint32_t saddr;
	uint16_t sport;
	uint16_t ip_csum;
	uint16_t udp_csum; /* over a zero payload */
};

struct io_priv {
	struct io_port *tx, *rx; /* rx may equal tx, or be NULL without a receiver */
	bool dpdk;
	uint8_t *frame; /* flow 0's frame of the current size */
	uint32_t len;   /* bytes in memory: frame_len - 4 */
	bool small;     /* the frame is copied as a FILL_SMALL block */
	struct flow_tmpl *ft;
	uint64_t alloc_short;      /* bursts io_alloc could not fill at all */
	struct pcapio_frames pcap; /* --pcap-in: the frames sent instead of built ones */
	uint16_t *pcap_csum;       /* per frame: UDP checksum over a zero payload */
	size_t pcap_next;
	struct io_buf bufs[TGEN_MAX_BATCH];
	struct io_buf rbufs[TGEN_RX_BURST];
};

/* Frames up to FILL_SMALL bytes are copied as one block of that constant size (no library
 * call): the template is allocated at least that large, and eio_prepare() checks that the
 * transmit port's buffers are too. */
#define FILL_SMALL 64

static struct io_priv *priv(struct tgen_ctx *c)
{
	return c->priv;
}

static int fail(char *err, size_t len, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

/* The frame of flow f: source address and port vary, the address fastest. */
static void flow_spec(const struct tgen_cfg *cfg, unsigned f, struct pkt_udp_spec *s)
{
	memcpy(s->src_mac, cfg->src_mac_b, PKT_ETH_ALEN);
	memcpy(s->dst_mac, cfg->dst_mac_b, PKT_ETH_ALEN);
	s->src_ip = cfg->src_ip_h + (uint32_t)(f % (unsigned)cfg->src_ips);
	s->dst_ip = cfg->dst_ip_h;
	s->src_port = (uint16_t)(cfg->src_port + f / (unsigned)cfg->src_ips);
	s->dst_port = (uint16_t)cfg->dst_port;
	s->ttl = 64;
}

static int eio_prepare(struct tgen_ctx *c, unsigned frame_len, char *err, size_t len)
{
	struct io_priv *p = priv(c);
	struct pkt_udp_spec spec;
	uint8_t *scratch;
	int n = -EINVAL;

	free(p->frame);
	p->frame = calloc(1, frame_len > FILL_SMALL ? frame_len : FILL_SMALL);
	scratch = malloc(frame_len);
	if (!p->frame || !scratch) {
		free(scratch);
		return fail(err, len, -ENOMEM, "%s: out of memory for %u B frames", c->eng->name,
			    frame_len);
	}
	for (unsigned f = 0; f < c->nflows; f++) {
		flow_spec(c->cfg, f, &spec);
		n = pkt_build_udp(f ? scratch : p->frame, frame_len, frame_len, &spec);
		if (n < 0)
			break;
		memcpy(&p->ft[f].saddr, (f ? scratch : p->frame) + OFF_IP_SADDR, 4);
		memcpy(&p->ft[f].sport, (f ? scratch : p->frame) + OFF_SPORT, 2);
		memcpy(&p->ft[f].ip_csum, (f ? scratch : p->frame) + OFF_IP_CSUM, 2);
		memcpy(&p->ft[f].udp_csum, (f ? scratch : p->frame) + OFF_UDP_CSUM, 2);
	}
	free(scratch);
	if (n < 0)
		return fail(err, len, n, "%s: cannot build %u B frames", c->eng->name, frame_len);
	p->len = (uint32_t)n;
	p->small = p->len <= FILL_SMALL && p->tx->max_frame >= FILL_SMALL;
	return 0;
}

/* Writes flow f's frame with (id, seq) into buf. */
/* The payload and its checksum in one go: the layout of pkt_payload_write() (little-endian
 * fields; x86 is little-endian, so a plain store writes it), and the UDP checksum from the
 * flow's zero-payload checksum plus the payload's 16 bits words (RFC 1071 sum, folded). */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "payload stores assume little-endian");

static inline void payload_and_csum(uint8_t *d, uint16_t base, uint16_t id, uint32_t seq,
				    uint64_t tx_ns)
{
	uint64_t w[2] = {PKT_PAYLOAD_MAGIC | (uint64_t)id << 16 | (uint64_t)seq << 32, tx_ns};
	uint64_t sum = (uint16_t)~base;
	uint16_t ck;

	memcpy(d + OFF_PAYLOAD, w, sizeof(w));
	for (unsigned i = 0; i < 2; i++) /* 16-bit words as stored, summed 32 bits at a time */
		sum += (w[i] & 0xffffffff) + (w[i] >> 32);
	/* at most 2^16 + 4 * 2^32: three folds always reach 16 bits (no data-dependent loop) */
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ck = (uint16_t)~sum;
	ck = ck ? ck : 0xffff;
	memcpy(d + OFF_UDP_CSUM, &ck, 2);
}

/* Writes flow f's frame with (id, seq, tx_ns) into buf. */
static inline void fill(const struct io_priv *p, const struct flow_tmpl *ft, struct io_buf *b,
			uint16_t id, uint32_t seq, uint64_t tx_ns)
{
	uint8_t *d = b->data;

	if (likely(p->small))
		memcpy(d, p->frame, FILL_SMALL); /* a constant size: two vector moves, no call */
	else
		memcpy(d, p->frame, p->len);
	memcpy(d + OFF_IP_SADDR, &ft->saddr, 4);
	memcpy(d + OFF_SPORT, &ft->sport, 2);
	memcpy(d + OFF_IP_CSUM, &ft->ip_csum, 2);
	payload_and_csum(d, ft->udp_csum, id, seq, tx_ns);
	b->len = p->len;
}

/* Writes the next --pcap-in frame with (id, seq) into buf (frames kept at load carry plain
 * IPv4 headers and room for the payload, so the offsets are the built frames'). */
static void fill_pcap(struct io_priv *p, struct io_buf *b, uint16_t id, uint32_t seq,
		      uint64_t tx_ns)
{
	size_t i = p->pcap_next;
	uint8_t *d = b->data;

	p->pcap_next = i + 1 == p->pcap.n ? 0 : i + 1;
	memcpy(d, p->pcap.buf + p->pcap.off[i], p->pcap.len[i]);
	payload_and_csum(d, p->pcap_csum[i], id, seq, tx_ns);
	b->len = p->pcap.len[i];
}

/* Advances the flows' sequence numbers past k sent frames starting at c->next_flow. */
static void commit(struct tgen_ctx *c, unsigned k)
{
	unsigned f = c->next_flow;

	if (c->warmup) {
		c->warm_seq += k;
		c->next_flow = (unsigned)((f + k) % c->nflows);
		return;
	}
	if (k >= c->nflows) { /* every flow got k / nflows frames, then the remainder */
		uint32_t rounds = k / c->nflows;

		for (unsigned i = 0; i < c->nflows; i++)
			c->seq[i] += rounds;
		k %= c->nflows;
	}
	for (unsigned i = 0; i < k; i++) {
		c->seq[f]++;
		f = f + 1 == c->nflows ? 0 : f + 1;
	}
	c->next_flow = f;
}

static unsigned eio_tx(struct tgen_ctx *c, unsigned n)
{
	struct io_priv *p = priv(c);
	unsigned k = io_alloc(p->tx, p->bufs, n), f = c->next_flow, round = 0, sent;
	/* locals: the frame stores below may alias anything, so fields would be reloaded */
	const unsigned nflows = c->nflows;
	const bool warmup = c->warmup, pcap = p->pcap.n != 0;
	const uint32_t *seqs = c->seq, warm_seq = c->warm_seq;
	uint64_t now;

	if (unlikely(!k)) {
		p->alloc_short++;
		return 0;
	}
	/* One stamp per burst: the burst leaves in the io_tx_burst() below, all at once. */
	now = tsc_now_ns();
	for (unsigned i = 0, in_round = nflows; i < k; i++) {
		uint16_t id = warmup ? RXSTATS_WARMUP_FLOW : (uint16_t)f;
		uint32_t seq = warmup ? warm_seq + i : seqs[f] + round;

		if (unlikely(pcap))
			fill_pcap(p, &p->bufs[i], id, seq, now);
		else
			fill(p, &p->ft[f], &p->bufs[i], id, seq, now);
		f = f + 1 == nflows ? 0 : f + 1;
		if (--in_round == 0) {
			in_round = nflows;
			round++;
		}
	}
	sent = io_tx_burst(p->tx, p->bufs, k);
	if (sent < k) {
		io_free(p->bufs + sent, k - sent);
		c->tx_refused += k - sent; /* the port's ring is full: the peer pushes back */
	}
	commit(c, sent);
	return sent;
}

static unsigned eio_rx(struct tgen_ctx *c)
{
	struct io_priv *p = priv(c);
	unsigned n = io_rx_burst(p->rx, p->rbufs, TGEN_RX_BURST);
	struct pkt_udp_view v;
	struct pkt_payload pl;
	uint64_t now;

	if (!n)
		return 0;
	now = tsc_now_ns();
	for (unsigned i = 0; i < n; i++) {
		if (pkt_parse_udp(p->rbufs[i].data, p->rbufs[i].len, &v) == 0 &&
		    pkt_payload_read(&v, &pl))
			rxstats_record(c->rxs, &pl, now);
		else
			rxstats_unknown(c->rxs);
	}
	tgen_pcap_frames(c, p->rbufs, n);
	io_free(p->rbufs, n);
	return n;
}

static void eio_flush_tx(struct tgen_ctx *c)
{
	io_flush(priv(c)->tx);
}

/* Appends one port's counters as "<role> <name>". */
static void port_counters(struct io_port *port, const char *role, bool rx,
			  struct tgen_counters *out)
{
	struct io_stats s;
	char name[40];

	if (!port || port->ops->stats(port, &s))
		return;
	if (rx) {
		snprintf(name, sizeof(name), "%s rx_dropped (ring full)", role);
		tgen_counter_add_own_rx(out, name, s.rx_dropped);
		snprintf(name, sizeof(name), "%s rx_errors", role);
		tgen_counter_add(out, name, s.rx_errors);
	} else {
		snprintf(name, sizeof(name), "%s tx_errors", role);
		tgen_counter_add(out, name, s.tx_errors);
	}
}

/* A port whose link cannot be read (every backend but dpdk) counts as up. */
static bool port_up(struct io_port *port)
{
	struct io_stats s;

	memset(&s, 0, sizeof(s));
	s.link_down = -1;
	return !port || port->ops->stats(port, &s) || s.link_down != 1;
}

static bool eio_links_up(struct tgen_ctx *c)
{
	return port_up(priv(c)->tx) && port_up(priv(c)->rx);
}

static void eio_counters(struct tgen_ctx *c, struct tgen_counters *out)
{
	struct io_priv *p = priv(c);
	const char *eng = c->eng->name;
	char name[40];

	snprintf(name, sizeof(name), "%s tx port", eng);
	port_counters(p->tx, name, false, out);
	snprintf(name, sizeof(name), "%s rx port", eng);
	port_counters(p->rx, name, true, out);
}

static void eio_close_engine(struct tgen_ctx *c)
{
	struct io_priv *p = priv(c);

	if (!p)
		return;
	if (p->rx && p->rx != p->tx)
		io_close(p->rx);
	io_close(p->tx);
	free(p->frame);
	free(p->ft);
	free(p->pcap_csum);
	pcapio_frames_free(&p->pcap);
	free(p);
	c->priv = NULL;
}

/* Keeps frame i of a capture when it is plain UDP/IPv4 (no options, no VLAN) with room for
 * the payload, and stores its checksum over a zeroed payload; returns true when kept. */
static bool pcap_keep(struct io_priv *p, size_t i, size_t *out)
{
	uint8_t *f = p->pcap.buf + p->pcap.off[i];
	struct pkt_udp_view v;
	uint8_t l4[RATE_MAX_JUMBO];
	size_t l4_len;

	if (pkt_parse_udp(f, p->pcap.len[i], &v) || v.payload != f + OFF_PAYLOAD ||
	    v.payload_len < PKT_PAYLOAD_LEN)
		return false;
	l4_len = PKT_UDP_HLEN + v.payload_len;
	memcpy(l4, v.udp, l4_len);
	memset(l4 + 6, 0, 2);
	memset(l4 + PKT_UDP_HLEN, 0, PKT_PAYLOAD_LEN);
	p->pcap_csum[*out] = csum_ipv4_l4(v.ip, l4, l4_len);
	p->pcap.off[*out] = p->pcap.off[i];
	p->pcap.len[*out] = p->pcap.len[i];
	(*out)++;
	return true;
}

/* Loads --pcap-in rewritten to the configured addresses; keeps the frames the receiver can
 * count. Returns 0 or -errno with err set. */
static int pcap_load(struct tgen_ctx *c, struct io_priv *p, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	struct pcapio_rewrite rw = {.src_ip = cfg->src_ip_h,
				    .dst_ip = cfg->dst_ip_h,
				    .dst_port = (uint16_t)cfg->dst_port,
				    .max_frame = cfg->mtu ? cfg->mtu + 18 : 0};
	size_t kept = 0, n;
	uint64_t wire = 0;
	int ret;

	memcpy(rw.src_mac, cfg->src_mac_b, PKT_ETH_ALEN);
	memcpy(rw.dst_mac, cfg->dst_mac_b, PKT_ETH_ALEN);
	ret = pcapio_load(cfg->pcap_in, &rw, &p->pcap, err, len);
	if (ret)
		return ret;
	n = p->pcap.n;
	p->pcap_csum = calloc(n, sizeof(*p->pcap_csum));
	if (!p->pcap_csum)
		return fail(err, len, -ENOMEM, "--pcap-in: out of memory");
	for (size_t i = 0; i < n; i++)
		if (pcap_keep(p, i, &kept))
			wire += p->pcap.len[kept - 1] + 4;
	p->pcap.n = kept;
	if (!kept)
		return fail(err, len, -ENODATA,
			    "--pcap-in: %s has no UDP/IPv4 frame with 16 payload bytes to carry "
			    "tgen's sequence numbers",
			    cfg->pcap_in);
	c->pcap_frame_len = (unsigned)((wire + kept / 2) / kept);
	snprintf(c->tx_method + strlen(c->tx_method), sizeof(c->tx_method) - strlen(c->tx_method),
		 "; %zu of %zu capture frames", kept, n);
	return 0;
}

/* Allocates the engine's state; returns it or NULL with err set. */
static struct io_priv *priv_new(struct tgen_ctx *c, char *err, size_t len)
{
	struct io_priv *p = calloc(1, sizeof(*p));

	if (p)
		p->ft = calloc(c->nflows, sizeof(*p->ft));
	if (!p || !p->ft) {
		free(p);
		fail(err, len, -ENOMEM, "%s: out of memory for %u flows", c->eng->name, c->nflows);
		return NULL;
	}
	c->priv = p;
	return p;
}

/* An engine of this file: everything but opening the ports is shared. */
#define EIO_ENGINE(nm, open_fn)                                                                    \
	{                                                                                          \
		.name = nm, .open = open_fn, .prepare = eio_prepare, .tx = eio_tx, .rx = eio_rx,   \
		.flush = eio_flush_tx, .counters = eio_counters, .links_up = eio_links_up,         \
		.close = eio_close_engine,                                                         \
	}

/* The largest frame of the sweep, FCS included. */
static unsigned max_size(const struct tgen_cfg *cfg)
{
	unsigned max = 0;

	for (unsigned i = 0; i < cfg->sizes.n; i++)
		max = cfg->sizes.v[i] > max ? cfg->sizes.v[i] : max;
	return max;
}

/* Opens one kernel port (afp or xdp) on dev in ns, for receiving and/or transmitting. */
typedef struct io_port *(*side_open_fn)(const struct tgen_cfg *cfg, const char *dev, const char *ns,
					bool rx, bool tx, char *err, size_t len);

/* Opens the TX port (receiving too when --rx-dev is the same interface), loads --pcap-in,
 * then opens the RX port on its own interface (none without a receiver). Returns 0 or -errno
 * with err set. */
static int open_pair(struct tgen_ctx *c, side_open_fn side, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	bool same = cfg->rx_on && !strcmp(cfg->tx_dev, cfg->rx_dev) &&
		    !strcmp(cfg->tx_netns, cfg->rx_netns);
	struct io_priv *p = priv_new(c, err, len);
	int ret;

	if (!p)
		return -ENOMEM;
	p->tx = side(cfg, cfg->tx_dev, cfg->tx_netns, same, true, err, len);
	if (!p->tx)
		return -ENODEV;
	if (cfg->pcap_in && (ret = pcap_load(c, p, err, len)))
		return ret;
	if (same || !cfg->rx_on) {
		p->rx = same ? p->tx : NULL;
		return 0;
	}
	p->rx = side(cfg, cfg->rx_dev, cfg->rx_netns, true, false, err, len);
	return p->rx ? 0 : -ENODEV;
}

/* ---- afp ---------------------------------------------------------------------------------- */

/* The ring slot size: a power of two holding the largest frame and the ring's header. */
static uint32_t afp_slot(const struct tgen_cfg *cfg)
{
	unsigned max = max_size(cfg);
	uint32_t slot = 2048;

	while (slot < max + 256)
		slot *= 2;
	return slot;
}

/* auto: sendmmsg, measured about 10% faster than PACKET_TX_RING into a veth on this project's
 * machines (tgen selftest --afp-tx ring|sendmmsg compares them anywhere). */
static struct io_port *afp_side(const struct tgen_cfg *cfg, const char *dev, const char *ns,
				bool rx, bool tx, char *err, size_t len)
{
	struct afp_cfg ac = {
		.ifname = dev,
		.netns = ns,
		.version = (unsigned)cfg->afp_tpacket,
		.ring_frames = (unsigned)cfg->afp_ring,
		.frame_size = afp_slot(cfg),
		.tx_mode = cfg->afp_tx == TGEN_AFP_TX_RING ? AFP_TX_RING : AFP_TX_SENDMMSG,
		.qdisc_bypass = true,
		.hugepages = cfg->hugepages,
		.rx = rx,
		.tx = tx,
	};

	return afp_open(&ac, err, len);
}

static int afp_engine_open(struct tgen_ctx *c, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;

	snprintf(c->tx_method, sizeof(c->tx_method), "%s, qdisc bypass%s",
		 cfg->afp_tx == TGEN_AFP_TX_RING ? "PACKET_TX_RING" : "sendmmsg",
		 cfg->afp_tx == TGEN_AFP_TX_AUTO ? " (auto: the faster on veth)" : "");
	return open_pair(c, afp_side, err, len);
}

const struct tgen_engine tgen_engine_afp = EIO_ENGINE("afp", afp_engine_open);

/* ---- dpdk --------------------------------------------------------------------------------- */

/* Opens one DPDK port: the devargs given, or the --pmd driver on a veth. */
static struct io_port *dpdk_side(const struct tgen_cfg *cfg, const char *given, const char *dev,
				 const char *ns, unsigned index, char *err, size_t len)
{
	struct dpdk_port_cfg pc = {0};
	char devargs[256];
	unsigned max = max_size(cfg);

	if (given) {
		snprintf(devargs, sizeof(devargs), "%s", given);
	} else if (dpdk_devargs_veth(devargs, sizeof(devargs), dpdk_pmd_name(cfg->dpdk_pmd), index,
				     dev)) {
		fail(err, len, -EINVAL, "dpdk: cannot name a %s port on %s",
		     dpdk_pmd_name(cfg->dpdk_pmd), dev);
		return NULL;
	}
	pc.devargs = devargs;
	pc.netns = !given || dpdk_devargs_on_iface(given) ? ns : NULL;
	pc.max_frame = max > DPDK_DEF_MAX_FRAME ? max : DPDK_DEF_MAX_FRAME;
	return dpdk_port_open(&pc, err, len);
}

static int dpdk_engine_open(struct tgen_ctx *c, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	bool same =
		cfg->rx_on && cfg->tx_port && cfg->rx_port && !strcmp(cfg->tx_port, cfg->rx_port);
	struct io_priv *p = priv_new(c, err, len);

	if (!p)
		return -ENOMEM;
	p->dpdk = true;
	p->tx = dpdk_side(cfg, cfg->tx_port, cfg->tx_dev, cfg->tx_netns, 0, err, len);
	if (!p->tx)
		return -ENODEV;
	snprintf(c->tx_method, sizeof(c->tx_method), "rte_eth_tx_burst on %s", p->tx->name);
	if (cfg->pcap_in) {
		int ret = pcap_load(c, p, err, len);

		if (ret)
			return ret;
	}
	if (cfg->rx_on)
		p->rx = same ? p->tx
			     : dpdk_side(cfg, cfg->rx_port, cfg->rx_dev, cfg->rx_netns, 1, err,
					 len);
	if (cfg->rx_on && !p->rx)
		return -ENODEV;
	if (!dpdk_port_link_wait(p->tx, LINK_WAIT_MS) ||
	    (p->rx && !dpdk_port_link_wait(p->rx, LINK_WAIT_MS)))
		return fail(
			err, len, -ENOLINK,
			"dpdk: port %s: link still down after %d ms (a memif port needs its peer "
			"running)",
			dpdk_port_link_wait(p->tx, 0) ? p->rx->name : p->tx->name, LINK_WAIT_MS);
	return 0;
}

const struct tgen_engine tgen_engine_dpdk = EIO_ENGINE("dpdk", dpdk_engine_open);

/* ---- xdp ---------------------------------------------------------------------------------- */

/* The UMEM chunk: 2048 B while the largest frame fits behind the kernel's XDP headroom, else
 * 4096 (setup.c refuses frames above that). */
static uint32_t xdp_chunk(const struct tgen_cfg *cfg)
{
	return max_size(cfg) - 4 + AXDP_HEADROOM <= 2048 ? 2048 : 4096;
}

/* Opens an AF_XDP port (io_xdp.h): its own XDP program on a receiving interface, UMEM frames
 * sent in place. tgen never sleeps, so the port busy-polls: rx_burst kicks the kernel when
 * the fill ring's need_wakeup flag asks, as poll() would. */
static struct io_port *xdp_side(const struct tgen_cfg *cfg, const char *dev, const char *ns,
				bool rx, bool tx, char *err, size_t len)
{
	struct axdp_cfg xc = {
		.ifname = dev,
		.netns = ns,
		.queue = 0,
		.ring_frames = (unsigned)cfg->afp_ring,
		.frame_size = xdp_chunk(cfg),
		.attach = (enum axdp_attach)cfg->xdp_attach,
		.copy = (enum axdp_copy)cfg->xdp_copy,
		.need_wakeup = cfg->xdp_need_wakeup,
		.busy_poll = true,
		.hugepages = cfg->hugepages,
		.rx = rx,
		.tx = tx,
	};

	return axdp_open(&xc, err, len);
}

static int xdp_engine_open(struct tgen_ctx *c, char *err, size_t len)
{
	const struct tgen_cfg *cfg = c->cfg;
	char rest[sizeof(c->tx_method)];
	int ret = open_pair(c, xdp_side, err, len);

	if (ret)
		return ret;
	/* the mode the kernel granted (veth: copy), before what --pcap-in appended */
	snprintf(rest, sizeof(rest), "%s", c->tx_method);
	snprintf(c->tx_method, sizeof(c->tx_method), "AF_XDP TX ring, %s mode%s; RX: XDP %s",
		 axdp_zerocopy(priv(c)->tx) ? "zero-copy" : "copy",
		 cfg->xdp_need_wakeup ? ", need_wakeup" : "",
		 axdp_attach_name((enum axdp_attach)cfg->xdp_attach));
	snprintf(c->tx_method + strlen(c->tx_method), sizeof(c->tx_method) - strlen(c->tx_method),
		 "%s", rest);
	return 0;
}

const struct tgen_engine tgen_engine_xdp = EIO_ENGINE("xdp", xdp_engine_open);
