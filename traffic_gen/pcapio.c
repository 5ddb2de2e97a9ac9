// SPDX-License-Identifier: MIT
/*
 * pcapio.c: the pcap writer (--pcap-out) and loader (--pcap-in) of tgen; see pcapio.h.
 *
 * Writer: a libpcap "dead" handle with nanosecond precision gives the file header and record
 * format; records go through a FILE on a temporary file that pcapio_close() syncs and renames
 * over the target. The keep/skip decision is a counter, so the receive path pays no division.
 *
 * Loader: pcap_next_ex() over the file; each Ethernet (optionally 802.1Q-tagged) IPv4 frame is
 * copied into one growing buffer at a cache-line aligned offset, rewritten in place, and its
 * checksums are recomputed from scratch: captures taken on a sending host often carry partial
 * checksums left for the NIC to finish, which an incremental update would carry over. The
 * exception is the first fragment of a fragmented datagram, whose L4 checksum covers bytes in
 * other frames: it is patched for the changed fields with RFC 1624 updates instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csum.h"
#include "lr.h"
#include "pcapio.h"

#define PCAPIO_SNAPLEN      65535
#define PCAPIO_FCS_LEN      4
#define PCAPIO_MIN_LEN      60   /* the Ethernet minimum without FCS */
#define PCAPIO_DEFAULT_MAX  1518 /* wire size L, FCS included */
#define PCAPIO_ALIGN        64
#define PCAPIO_VLAN_TYPE    0x8100
#define PCAPIO_VLAN_HLEN    4
#define PCAPIO_IP_MF        0x2000
#define PCAPIO_IP_OFFSET    0x1fff
#define PCAPIO_UDP_CSUM_OFF 6
#define PCAPIO_TCP_CSUM_OFF 16

struct pcapio_writer {
	pcap_t *dead;
	pcap_dumper_t *dump;
	char *path, *tmp;
	enum pcapio_mode mode;
	uint64_t n;
	uint64_t seen, kept;
	uint64_t skip; /* ONE_IN_K: frames still to skip before the next kept one */
};

static void out_free(struct pcapio_writer *h)
{
	if (h->dump)
		pcap_dump_close(h->dump); /* closes the FILE too */
	if (h->dead)
		pcap_close(h->dead);
	free(h->path);
	free(h->tmp);
	free(h);
}

/* Creates the temporary file beside the target and puts a pcap dumper on it. */
static int out_create(struct pcapio_writer *h)
{
	static unsigned seq;
	FILE *f;
	int fd;

	if (asprintf(&h->tmp, "%s.tmp.%d.%u", h->path, (int)getpid(),
		     __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED)) < 0) {
		h->tmp = NULL;
		return -ENOMEM;
	}
	fd = open(h->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "wb");
	if (!f) {
		int err = -errno;

		close(fd);
		unlink(h->tmp); /* best effort */
		return err;
	}
	h->dump = pcap_dump_fopen(h->dead, f);
	if (!h->dump) {
		fclose(f);
		unlink(h->tmp); /* best effort */
		return -EIO;
	}
	return 0;
}

struct pcapio_writer *pcapio_open_out(const char *path, enum pcapio_mode mode, uint64_t n)
{
	struct pcapio_writer *h;
	int err;

	if (!path || !*path || (unsigned)mode > PCAPIO_ONE_IN_K || (mode != PCAPIO_ALL && !n)) {
		errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->mode = mode;
	h->n = n;
	h->path = strdup(path);
	h->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAPIO_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!h->path || !h->dead) {
		err = -ENOMEM;
		goto err_free;
	}
	err = out_create(h);
	if (err)
		goto err_free;
	return h;

err_free:
	out_free(h);
	errno = -err;
	return NULL;
}

int pcapio_write(struct pcapio_writer *h, const void *frame, size_t len, uint64_t ts_ns)
{
	struct pcap_pkthdr hdr;

	h->seen++;
	if (h->mode == PCAPIO_FIRST_N && h->kept >= h->n)
		return 0;
	if (h->mode == PCAPIO_ONE_IN_K) {
		if (h->skip) {
			h->skip--;
			return 0;
		}
		h->skip = h->n - 1;
	}
	/* With a nanosecond handle the "usec" field carries nanoseconds. */
	hdr.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	hdr.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u);
	hdr.len = len > UINT32_MAX ? UINT32_MAX : (bpf_u_int32)len;
	hdr.caplen = len > PCAPIO_SNAPLEN ? PCAPIO_SNAPLEN : (bpf_u_int32)len;
	pcap_dump((u_char *)h->dump, &hdr, frame);
	h->kept++;
	return 1;
}

uint64_t pcapio_seen(const struct pcapio_writer *h)
{
	return h->seen;
}

uint64_t pcapio_kept(const struct pcapio_writer *h)
{
	return h->kept;
}

int pcapio_close(struct pcapio_writer *h)
{
	FILE *f;
	int ret = 0;

	if (!h)
		return 0;
	f = pcap_dump_file(h->dump);
	errno = 0;
	if (pcap_dump_flush(h->dump) || ferror(f))
		ret = errno ? -errno : -EIO;
	else if (fsync(fileno(f)))
		ret = -errno;
	pcap_dump_close(h->dump);
	h->dump = NULL;
	if (!ret && rename(h->tmp, h->path))
		ret = -errno;
	if (ret)
		unlink(h->tmp); /* best effort */
	out_free(h);
	return ret;
}

void pcapio_abort(struct pcapio_writer *h)
{
	if (!h)
		return;
	pcap_dump_close(h->dump);
	h->dump = NULL;
	unlink(h->tmp); /* best effort */
	out_free(h);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void store16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The loader's growing arrays, beside the caller's struct. */
struct loader {
	struct pcapio_frames *out;
	const struct pcapio_rewrite *rw;
	size_t max_len; /* longest frame kept, FCS excluded */
	size_t used, buf_cap, idx_cap;
};

/* Copies a frame to the end of the buffer (zero-padded to the Ethernet minimum); returns it,
 * or NULL when memory ran out. */
static uint8_t *frames_append(struct loader *ld, const uint8_t *data, size_t len)
{
	struct pcapio_frames *out = ld->out;
	size_t flen = len < PCAPIO_MIN_LEN ? PCAPIO_MIN_LEN : len;
	size_t off = (ld->used + PCAPIO_ALIGN - 1) & ~(size_t)(PCAPIO_ALIGN - 1);

	if (off + flen > ld->buf_cap) {
		size_t cap = ld->buf_cap ? ld->buf_cap * 2 : 1 << 16;
		uint8_t *buf;

		while (cap < off + flen)
			cap *= 2;
		buf = realloc(out->buf, cap);
		if (!buf)
			return NULL;
		out->buf = buf;
		ld->buf_cap = cap;
	}
	if (out->n == ld->idx_cap) {
		size_t cap = ld->idx_cap ? ld->idx_cap * 2 : 256;
		size_t *o = realloc(out->off, cap * sizeof(*o));
		uint32_t *l;

		if (!o)
			return NULL;
		out->off = o;
		l = realloc(out->len, cap * sizeof(*l));
		if (!l)
			return NULL;
		out->len = l;
		ld->idx_cap = cap;
	}
	memcpy(out->buf + off, data, len);
	memset(out->buf + off + len, 0, flen - len);
	out->off[out->n] = off;
	out->len[out->n] = (uint32_t)flen;
	ld->used = off + flen;
	return out->buf + off;
}

/* Returns the offset of the IPv4 header of an Ethernet frame (after one VLAN tag at most), or
 * 0 when the frame does not carry IPv4. */
static size_t ipv4_offset(const uint8_t *p, size_t len)
{
	size_t off = PKT_ETH_HLEN;
	uint16_t type;

	if (len < PKT_ETH_HLEN)
		return 0;
	type = (uint16_t)(p[12] << 8 | p[13]);
	if (type == PCAPIO_VLAN_TYPE) {
		if (len < PKT_ETH_HLEN + PCAPIO_VLAN_HLEN)
			return 0;
		type = (uint16_t)(p[16] << 8 | p[17]);
		off += PCAPIO_VLAN_HLEN;
	}
	return type == PKT_ETHERTYPE_IPV4 ? off : 0;
}

static bool mac_set(const uint8_t mac[PKT_ETH_ALEN])
{
	static const uint8_t zero[PKT_ETH_ALEN];

	return memcmp(mac, zero, PKT_ETH_ALEN) != 0;
}

/* Patches the L4 checksum of a first fragment for the changed addresses and ports: the
 * datagram's other bytes are in other frames, so it cannot be recomputed. */
static void l4_patch(uint8_t *csum_p, bool udp, const uint32_t old[2], const uint32_t new[2],
		     const uint16_t oldp[2], const uint16_t newp[2])
{
	uint16_t c = load16(csum_p);

	if (udp && c == 0)
		return; /* the sender computed no checksum: there is none to keep right */
	for (int i = 0; i < 2; i++) {
		c = csum_update32(c, old[i], new[i]);
		c = csum_update16(c, oldp[i], newp[i]);
	}
	store16(csum_p, udp && c == 0 ? 0xffff : c);
}

/* Rewrites the ports of a UDP or TCP header and fixes its checksum; returns 0 or -EBADMSG. */
static int fix_l4(struct ipv4_hdr *ip, size_t hl, size_t tot, const struct pcapio_rewrite *rw,
		  const uint32_t old_ip[2])
{
	uint8_t *l4 = (uint8_t *)ip + hl;
	size_t l4_len = tot - hl;
	uint16_t frag = ntohs(ip->frag_off);
	bool udp = ip->proto == PKT_IPPROTO_UDP;
	uint8_t *csum_p = l4 + (udp ? PCAPIO_UDP_CSUM_OFF : PCAPIO_TCP_CSUM_OFF);
	uint16_t oldp[2], newp[2];
	uint32_t new_ip[2] = {ip->saddr, ip->daddr};

	if (!udp && ip->proto != PKT_IPPROTO_TCP)
		return 0; /* ICMP and others: no pseudo-header, nothing to fix */
	if (frag & PCAPIO_IP_OFFSET)
		return 0; /* a later fragment: no L4 header here */
	if (l4_len < (udp ? PKT_UDP_HLEN : PKT_TCP_HLEN))
		return -EBADMSG;
	oldp[0] = newp[0] = load16(l4);
	oldp[1] = newp[1] = load16(l4 + 2);
	if (rw && rw->src_port)
		newp[0] = htons(rw->src_port);
	if (rw && rw->dst_port)
		newp[1] = htons(rw->dst_port);
	store16(l4, newp[0]);
	store16(l4 + 2, newp[1]);
	if (frag & PCAPIO_IP_MF) {
		l4_patch(csum_p, udp, old_ip, new_ip, oldp, newp);
		return 0;
	}
	if (udp) {
		size_t ulen = ntohs(load16(l4 + 4));

		if (ulen < PKT_UDP_HLEN || ulen > l4_len)
			return -EBADMSG;
		l4_len = ulen;
	}
	store16(csum_p, 0);
	store16(csum_p, csum_ipv4_l4(ip, l4, l4_len));
	return 0;
}

/* Rewrites one frame in place and fixes its checksums; returns 0 or -EBADMSG. */
static int fix_frame(uint8_t *f, size_t len, size_t l3, const struct pcapio_rewrite *rw)
{
	struct eth_hdr *eth = (struct eth_hdr *)f;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(f + l3);
	uint32_t old_ip[2];
	size_t hl, tot;

	if (len < l3 + PKT_IPV4_HLEN)
		return -EBADMSG;
	hl = (size_t)(ip->ver_ihl & 0x0f) * 4;
	tot = ntohs(ip->tot_len);
	if (ip->ver_ihl >> 4 != 4 || hl < PKT_IPV4_HLEN || tot < hl || l3 + tot > len)
		return -EBADMSG;
	old_ip[0] = ip->saddr;
	old_ip[1] = ip->daddr;
	if (rw && mac_set(rw->src_mac))
		memcpy(eth->src, rw->src_mac, PKT_ETH_ALEN);
	if (rw && mac_set(rw->dst_mac))
		memcpy(eth->dst, rw->dst_mac, PKT_ETH_ALEN);
	if (rw && rw->src_ip)
		ip->saddr = htonl(rw->src_ip);
	if (rw && rw->dst_ip)
		ip->daddr = htonl(rw->dst_ip);
	ip->csum = csum_ipv4_hdr(ip);
	return fix_l4(ip, hl, tot, rw, old_ip);
}

/* Takes one record: skips and counts what cannot be sent, appends and fixes the rest.
 * Returns 0 or -ENOMEM. */
static int load_one(struct loader *ld, const struct pcap_pkthdr *hdr, const uint8_t *data)
{
	struct pcapio_frames *out = ld->out;
	size_t len = hdr->caplen, l3;
	uint8_t *f;

	out->read++;
	if (hdr->caplen < hdr->len) {
		out->skipped_cut++;
		return 0;
	}
	l3 = ipv4_offset(data, len);
	if (!l3) {
		out->skipped_other++;
		return 0;
	}
	if (len > ld->max_len) {
		out->skipped_big++;
		return 0;
	}
	f = frames_append(ld, data, len);
	if (!f)
		return -ENOMEM;
	if (fix_frame(f, len, l3, ld->rw)) {
		ld->used = out->off[out->n]; /* drop it again */
		out->skipped_bad++;
		return 0;
	}
	out->wire_bytes += out->len[out->n] + PCAPIO_FCS_LEN;
	out->n++;
	return 0;
}

/* Frees the frames but keeps the counters, so a caller can still say what was skipped. */
static void frames_release(struct pcapio_frames *out)
{
	free(out->buf);
	free(out->off);
	free(out->len);
	out->buf = NULL;
	out->off = NULL;
	out->len = NULL;
	out->n = 0;
	out->wire_bytes = 0;
}

/* Opens the capture and checks it is Ethernet; returns the handle or NULL with *ret and err
 * set. */
static pcap_t *open_capture(const char *path, int *ret, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct stat st;
	pcap_t *p;
	int dlt;

	if (stat(path, &st) || access(path, R_OK)) {
		*ret = -errno;
		set_err(err, errlen, "%s: cannot read the capture: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		*ret = -EISDIR;
		set_err(err, errlen, "%s: is a directory, not a capture file", path);
		return NULL;
	}
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		*ret = -EINVAL;
		set_err(err, errlen,
			"%s: not a pcap or pcapng capture (libpcap: %s); write one with "
			"'tcpdump -w' or tgen --pcap-out",
			path, ebuf);
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);

		*ret = -EPROTONOSUPPORT;
		set_err(err, errlen,
			"%s: link type %s (%d) is not Ethernet (EN10MB); capture on an Ethernet "
			"interface, not on 'any' or a tunnel",
			path, name ? name : "unknown", dlt);
		pcap_close(p);
		return NULL;
	}
	return p;
}

int pcapio_load(const char *path, const struct pcapio_rewrite *rw, struct pcapio_frames *out,
		char *err, size_t errlen)
{
	struct loader ld = {.out = out, .rw = rw};
	unsigned max_frame = rw && rw->max_frame ? rw->max_frame : PCAPIO_DEFAULT_MAX;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p;
	int ret = 0, r = 0;

	memset(out, 0, sizeof(*out));
	if (max_frame < PCAPIO_MIN_LEN + PCAPIO_FCS_LEN) {
		set_err(err, errlen, "%s: largest frame %u B is below the 64 B minimum", path,
			max_frame);
		return -EINVAL;
	}
	ld.max_len = max_frame - PCAPIO_FCS_LEN;
	p = open_capture(path, &ret, err, errlen);
	if (!p)
		return ret;
	while (!ret && (r = pcap_next_ex(p, &hdr, &data)) == 1)
		ret = load_one(&ld, hdr, data);
	if (ret)
		set_err(err, errlen, "%s: out of memory after %zu frames", path, out->n);
	else if (r == PCAP_ERROR) {
		ret = -EIO;
		set_err(err, errlen,
			"%s: read error after %llu records: %s (is the file truncated?)", path,
			(unsigned long long)out->read, pcap_geterr(p));
	} else if (!out->n) {
		ret = -ENODATA;
		set_err(err, errlen,
			"%s: no Ethernet/IPv4 frame to send: %llu records, %llu not IPv4, %llu "
			"above "
			"%u B, %llu cut short by the snap length, %llu malformed",
			path, (unsigned long long)out->read, (unsigned long long)out->skipped_other,
			(unsigned long long)out->skipped_big, max_frame,
			(unsigned long long)out->skipped_cut, (unsigned long long)out->skipped_bad);
	}
	pcap_close(p);
	if (ret)
		frames_release(out);
	return ret;
}

void pcapio_frames_free(struct pcapio_frames *out)
{
	frames_release(out);
	memset(out, 0, sizeof(*out));
}
