// SPDX-License-Identifier: MIT
/*
 * test_pcapio.c: the pcap writer and loader. Captures written by pcapio are read back with
 * libpcap itself (frame counts per keep mode, bytes, nanosecond timestamps, the file format);
 * captures the loader reads are written with libpcap directly, so both halves are checked
 * against the library rather than against each other. Loaded frames must carry the rewritten
 * addresses and checksums that verify (the IPv4 header with csum_ipv4_hdr_ok, UDP and TCP by
 * summing the pseudo-header and the segment with its checksum, which must give all ones),
 * also when the capture's checksums were wrong. Every file lives in a mkdtemp directory
 * removed after each test.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csum.h"
#include "pcapio.h"
#include "pkt.h"

#define TS_BASE   1700000000123456789ull /* ns since the epoch, odd digits on purpose */
#define TS_STEP   1234567ull
#define MAX_FRAME 9018

static char dir[64];

static void dir_setup(void)
{
	strcpy(dir, "/tmp/lr-pcapio-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
}

static void dir_teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(pcapio, .init = dir_setup, .fini = dir_teardown);

static const char *file(const char *name)
{
	static char p[2][512];
	static int i;

	i ^= 1;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static unsigned dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static const struct pkt_udp_spec spec = {
	.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	.src_ip = 0xc6120001, /* 198.18.0.1 */
	.dst_ip = 0xc6120002, /* 198.18.0.2 */
	.src_port = 1234,
	.dst_port = 5678,
};

/* A test frame of wire size frame_len with a generator payload carrying seq and a correct UDP
 * checksum; returns its length in memory. */
static size_t udp_frame(uint8_t *buf, unsigned frame_len, uint32_t seq)
{
	int len = pkt_build_udp(buf, MAX_FRAME, frame_len, &spec);
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(buf + PKT_ETH_HLEN);
	struct udp_hdr *udp = (struct udp_hdr *)(buf + PKT_ETH_HLEN + PKT_IPV4_HLEN);

	cr_assert_gt(len, 0);
	pkt_payload_write(buf + PKT_UDP_FRAME_HLEN, 7, seq, 1000 + seq);
	for (int i = PKT_UDP_FRAME_HLEN + PKT_PAYLOAD_LEN; i < len; i++)
		buf[i] = (uint8_t)(i * 7 + seq);
	udp->csum = 0;
	udp->csum = csum_ipv4_l4(ip, udp, ntohs(udp->len));
	return (size_t)len;
}

/* A TCP/IPv4 frame with data_len bytes of data and a wrong TCP checksum, as a sender with
 * checksum offload would capture it. */
static size_t tcp_frame(uint8_t *buf, size_t data_len)
{
	struct eth_hdr *eth = (struct eth_hdr *)buf;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(buf + PKT_ETH_HLEN);
	struct tcp_hdr *tcp = (struct tcp_hdr *)(buf + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	size_t len = PKT_ETH_HLEN + PKT_IPV4_HLEN + PKT_TCP_HLEN + data_len;

	memset(buf, 0, len);
	memcpy(eth->dst, spec.dst_mac, PKT_ETH_ALEN);
	memcpy(eth->src, spec.src_mac, PKT_ETH_ALEN);
	eth->type = htons(PKT_ETHERTYPE_IPV4);
	ip->ver_ihl = 0x45;
	ip->tot_len = htons((uint16_t)(len - PKT_ETH_HLEN));
	ip->ttl = 64;
	ip->proto = PKT_IPPROTO_TCP;
	ip->saddr = htonl(spec.src_ip);
	ip->daddr = htonl(spec.dst_ip);
	ip->csum = csum_ipv4_hdr(ip);
	tcp->sport = htons(40000);
	tcp->dport = htons(80);
	tcp->seq = htonl(0x01020304);
	tcp->doff_rsvd = 0x50;
	tcp->flags = PKT_TCP_ACK | PKT_TCP_PSH;
	tcp->window = htons(65535);
	tcp->csum = htons(0x1234);
	for (size_t i = 0; i < data_len; i++)
		buf[len - data_len + i] = (uint8_t)(i + 3);
	return len;
}

/* An Ethernet frame of another EtherType (ARP, IPv6) with len bytes of filler. */
static size_t other_frame(uint8_t *buf, uint16_t type, size_t len)
{
	memset(buf, 0xab, len);
	memcpy(buf, spec.dst_mac, PKT_ETH_ALEN);
	memcpy(buf + PKT_ETH_ALEN, spec.src_mac, PKT_ETH_ALEN);
	buf[12] = (uint8_t)(type >> 8);
	buf[13] = (uint8_t)type;
	return len;
}

/* Writes records with libpcap directly: caplen[i] bytes of frames[i] whose length is len[i]. */
static void write_raw(const char *path, int dlt, uint8_t *const *frames, const size_t *len,
		      const size_t *caplen, size_t n)
{
	pcap_t *dead = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, path);

	cr_assert_not_null(d, "pcap_dump_open %s: %s", path, pcap_geterr(dead));
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = {.len = (bpf_u_int32)len[i]};

		h.caplen = (bpf_u_int32)(caplen ? caplen[i] : len[i]);
		h.ts.tv_sec = (time_t)i;
		pcap_dump((u_char *)d, &h, frames[i]);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

/* Verifies the L4 checksum of a UDP or TCP segment the way a receiver does: the one's
 * complement sum of pseudo-header and segment, checksum included, must be all ones. */
static bool l4_ok(const struct ipv4_hdr *ip, const uint8_t *l4, size_t l4_len)
{
	uint8_t pseudo[12];
	uint16_t l = htons((uint16_t)l4_len);

	memcpy(pseudo, &ip->saddr, 4);
	memcpy(pseudo + 4, &ip->daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = ip->proto;
	memcpy(pseudo + 10, &l, 2);
	return csum_fold(csum_partial(l4, l4_len, csum_partial(pseudo, sizeof(pseudo), 0))) == 0;
}

struct readback {
	size_t n;
	uint8_t frame[16][2048];
	size_t len[16], caplen[16];
	uint64_t ts_ns[16];
};

static void read_back(const char *path, struct readback *rb)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	struct pcap_pkthdr *h;
	const u_char *data;

	cr_assert_not_null(p, "%s: %s", path, ebuf);
	cr_assert_eq(pcap_datalink(p), DLT_EN10MB);
	memset(rb, 0, sizeof(*rb));
	while (pcap_next_ex(p, &h, &data) == 1) {
		cr_assert_lt(rb->n, 16u);
		cr_assert_leq(h->caplen, sizeof(rb->frame[0]));
		memcpy(rb->frame[rb->n], data, h->caplen);
		rb->len[rb->n] = h->len;
		rb->caplen[rb->n] = h->caplen;
		rb->ts_ns[rb->n] = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		rb->n++;
	}
	pcap_close(p);
}

/* Offers ten frames of growing size, frame i with sequence number i. */
static void offer_ten(struct pcapio_writer *h, uint8_t frames[10][1100], size_t len[10])
{
	for (uint32_t i = 0; i < 10; i++) {
		len[i] = udp_frame(frames[i], 64 + 100 * i, i);
		pcapio_write(h, frames[i], len[i], TS_BASE + i * TS_STEP);
	}
}

static uint32_t seq_of(const uint8_t *frame, size_t len)
{
	struct pkt_udp_view v;
	struct pkt_payload pl;

	cr_assert_eq(pkt_parse_udp(frame, len, &v), 0);
	cr_assert(pkt_payload_read(&v, &pl));
	return pl.seq;
}

static struct readback rb;
static uint8_t frames[10][1100];

Test(pcapio, write_all_round_trips_bytes_and_timestamps)
{
	size_t len[10];
	struct pcapio_writer *h = pcapio_open_out(file("all.pcap"), PCAPIO_ALL, 0);
	uint32_t magic;
	FILE *f;

	cr_assert_not_null(h, "%s", strerror(errno));
	offer_ten(h, frames, len);
	cr_assert_eq(pcapio_seen(h), 10u);
	cr_assert_eq(pcapio_kept(h), 10u);
	cr_assert_eq(pcapio_close(h), 0);
	read_back(file("all.pcap"), &rb);
	cr_assert_eq(rb.n, 10u);
	for (size_t i = 0; i < 10; i++) {
		cr_assert_eq(rb.len[i], len[i]);
		cr_assert_eq(rb.caplen[i], len[i]);
		cr_assert_arr_eq(rb.frame[i], frames[i], len[i], "frame %zu bytes differ", i);
		cr_assert_eq(rb.ts_ns[i], TS_BASE + i * TS_STEP, "frame %zu: ts %llu", i,
			     (unsigned long long)rb.ts_ns[i]);
	}
	/* The nanosecond pcap format, written in host byte order. */
	f = fopen(file("all.pcap"), "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(&magic, sizeof(magic), 1, f), 1u);
	fclose(f);
	cr_assert_eq(magic, 0xa1b23c4du);
}

Test(pcapio, write_first_n_keeps_the_first)
{
	size_t len[10];
	struct pcapio_writer *h = pcapio_open_out(file("first.pcap"), PCAPIO_FIRST_N, 3);

	cr_assert_not_null(h);
	offer_ten(h, frames, len);
	cr_assert_eq(pcapio_seen(h), 10u);
	cr_assert_eq(pcapio_kept(h), 3u);
	cr_assert_eq(pcapio_close(h), 0);
	read_back(file("first.pcap"), &rb);
	cr_assert_eq(rb.n, 3u);
	for (uint32_t i = 0; i < rb.n; i++) {
		cr_assert_eq(seq_of(rb.frame[i], rb.len[i]), i);
		cr_assert_eq(rb.ts_ns[i], TS_BASE + i * TS_STEP);
	}
}

Test(pcapio, write_one_in_k_keeps_every_kth)
{
	size_t len[10];
	struct pcapio_writer *h = pcapio_open_out(file("sample.pcap"), PCAPIO_ONE_IN_K, 3);
	int kept = 0;

	cr_assert_not_null(h);
	for (uint32_t i = 0; i < 10; i++) {
		len[i] = udp_frame(frames[i], 64 + 100 * i, i);
		kept += pcapio_write(h, frames[i], len[i], TS_BASE + i * TS_STEP);
	}
	cr_assert_eq(kept, 4, "frames 0, 3, 6 and 9");
	cr_assert_eq(pcapio_close(h), 0);
	read_back(file("sample.pcap"), &rb);
	cr_assert_eq(rb.n, 4u);
	for (uint32_t i = 0; i < rb.n; i++) {
		cr_assert_eq(seq_of(rb.frame[i], rb.len[i]), 3 * i);
		cr_assert_eq(rb.ts_ns[i], TS_BASE + 3 * i * TS_STEP);
		cr_assert_eq(rb.len[i], len[3 * i]);
	}

	/* One in one is everything. */
	h = pcapio_open_out(file("every.pcap"), PCAPIO_ONE_IN_K, 1);
	cr_assert_not_null(h);
	offer_ten(h, frames, len);
	cr_assert_eq(pcapio_kept(h), 10u);
	cr_assert_eq(pcapio_close(h), 0);
}

Test(pcapio, write_is_atomic_and_leaves_no_temp_file)
{
	size_t len[10];
	struct pcapio_writer *h;
	char old[8] = "";
	FILE *f = fopen(file("cap.pcap"), "w");

	cr_assert_not_null(f);
	fputs("old", f);
	fclose(f);
	h = pcapio_open_out(file("cap.pcap"), PCAPIO_ALL, 0);
	cr_assert_not_null(h);
	offer_ten(h, frames, len);
	cr_assert_eq(dir_entries(), 2u, "the target and one temporary file");
	f = fopen(file("cap.pcap"), "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(old, sizeof(old), f));
	fclose(f);
	cr_assert_str_eq(old, "old", "the target changed before close");
	cr_assert_eq(pcapio_close(h), 0);
	cr_assert_eq(dir_entries(), 1u, "a temporary file was left behind");
	read_back(file("cap.pcap"), &rb);
	cr_assert_eq(rb.n, 10u);

	/* An aborted capture leaves nothing, and the old file as it was. */
	h = pcapio_open_out(file("gone.pcap"), PCAPIO_ALL, 0);
	cr_assert_not_null(h);
	offer_ten(h, frames, len);
	pcapio_abort(h);
	cr_assert_eq(dir_entries(), 1u);
	cr_assert_neq(access(file("gone.pcap"), F_OK), 0);
	cr_assert_eq(pcapio_close(NULL), 0);
	pcapio_abort(NULL);
}

Test(pcapio, write_rejects_bad_arguments)
{
	errno = 0;
	cr_assert_null(pcapio_open_out(file("x.pcap"), PCAPIO_FIRST_N, 0));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(pcapio_open_out(file("x.pcap"), PCAPIO_ONE_IN_K, 0));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(pcapio_open_out(file("x.pcap"), (enum pcapio_mode)7, 1));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(pcapio_open_out(file("no-such-dir/x.pcap"), PCAPIO_ALL, 0));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(dir_entries(), 0u);
}

/* Checks a loaded frame: rewritten addresses, valid IPv4 and L4 checksums. */
static void check_loaded(const uint8_t *f, size_t len, size_t l3, const struct pcapio_rewrite *rw)
{
	const struct eth_hdr *eth = (const struct eth_hdr *)f;
	const struct ipv4_hdr *ip = (const struct ipv4_hdr *)(f + l3);
	const uint8_t *l4 = f + l3 + PKT_IPV4_HLEN;
	size_t l4_len = ntohs(ip->tot_len) - PKT_IPV4_HLEN;

	cr_assert_leq(l3 + ntohs(ip->tot_len), len);
	cr_assert_arr_eq(eth->src, rw->src_mac, PKT_ETH_ALEN);
	cr_assert_arr_eq(eth->dst, rw->dst_mac, PKT_ETH_ALEN);
	cr_assert_eq(ntohl(ip->saddr), rw->src_ip);
	cr_assert_eq(ntohl(ip->daddr), rw->dst_ip);
	cr_assert(csum_ipv4_hdr_ok(ip), "IPv4 header checksum");
	if (ip->proto == PKT_IPPROTO_UDP || ip->proto == PKT_IPPROTO_TCP) {
		uint16_t sport, dport;

		memcpy(&sport, l4, 2);
		memcpy(&dport, l4 + 2, 2);
		cr_assert_eq(ntohs(sport), rw->src_port);
		cr_assert_eq(ntohs(dport), rw->dst_port);
		cr_assert(l4_ok(ip, l4, l4_len), "L4 checksum of proto %u", ip->proto);
	}
}

static const struct pcapio_rewrite rewrite = {
	.src_mac = {0x02, 0x6c, 0x72, 0x00, 0x00, 0x10},
	.dst_mac = {0x02, 0x6c, 0x72, 0x00, 0x00, 0x20},
	.src_ip = 0xc6120010, /* 198.18.0.16 */
	.dst_ip = 0xc6120101, /* 198.18.1.1 */
	.src_port = 9,
	.dst_port = 4321,
};

Test(pcapio, load_rewrites_addresses_and_fixes_checksums)
{
	static uint8_t buf[4][1600];
	uint8_t *fr[4] = {buf[0], buf[1], buf[2], buf[3]};
	size_t len[4];
	struct pcapio_frames out;
	char err[256] = "";

	len[0] = udp_frame(buf[0], 64, 1);
	len[1] = udp_frame(buf[1], 1518, 2);
	buf[1][PKT_ETH_HLEN + PKT_IPV4_HLEN + 6] ^= 0x5a; /* a wrong UDP checksum */
	buf[1][PKT_ETH_HLEN + 10] ^= 0x11;                /* and a wrong IPv4 one */
	len[2] = tcp_frame(buf[2], 100);
	/* VLAN-tagged UDP: the tag goes between the MACs and the EtherType. */
	len[3] = udp_frame(buf[3] + 4, 200, 3) + 4;
	memmove(buf[3], buf[3] + 4, 12);
	buf[3][12] = 0x81;
	buf[3][13] = 0x00;
	buf[3][14] = 0x00;
	buf[3][15] = 0x2a;
	write_raw(file("in.pcap"), DLT_EN10MB, fr, len, NULL, 4);

	cr_assert_eq(pcapio_load(file("in.pcap"), &rewrite, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.n, 4u);
	cr_assert_eq(out.read, 4u);
	for (size_t i = 0; i < out.n; i++) {
		cr_assert_eq(out.len[i], len[i], "frame %zu length", i);
		cr_assert_eq(out.off[i] % 64, 0u, "frame %zu not cache-line aligned", i);
		check_loaded(out.buf + out.off[i], out.len[i], i == 3 ? 18 : 14, &rewrite);
	}
	cr_assert_eq(out.wire_bytes, len[0] + len[1] + len[2] + len[3] + 4 * 4);
	/* Payloads are untouched: the generator's sequence numbers survive. */
	cr_assert_eq(seq_of(out.buf + out.off[0], out.len[0]), 1u);
	cr_assert_eq(seq_of(out.buf + out.off[1], out.len[1]), 2u);
	cr_assert_eq(seq_of(out.buf + out.off[3], out.len[3]), 3u);
	cr_assert_arr_eq(out.buf + out.off[2] + 54, buf[2] + 54, 100, "TCP data changed");
	pcapio_frames_free(&out);
	cr_assert_null(out.buf);
	cr_assert_eq(out.n, 0u);
}

Test(pcapio, load_without_rewrite_keeps_valid_frames_byte_for_byte)
{
	size_t len[10], caplen[10];
	uint8_t *fr[10];
	struct pcapio_frames out;
	char err[256] = "";

	for (uint32_t i = 0; i < 10; i++) {
		len[i] = caplen[i] = udp_frame(frames[i], 64 + 100 * i, i);
		fr[i] = frames[i];
	}
	write_raw(file("in.pcap"), DLT_EN10MB, fr, len, caplen, 10);
	cr_assert_eq(pcapio_load(file("in.pcap"), NULL, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.n, 10u);
	for (size_t i = 0; i < 10; i++) {
		cr_assert_eq(out.len[i], len[i]);
		cr_assert_arr_eq(out.buf + out.off[i], frames[i], len[i], "frame %zu changed", i);
	}
	pcapio_frames_free(&out);
}

Test(pcapio, load_reads_what_the_writer_wrote)
{
	size_t len[10];
	struct pcapio_writer *h = pcapio_open_out(file("rt.pcap"), PCAPIO_ONE_IN_K, 2);
	struct pcapio_frames out;
	char err[256] = "";

	cr_assert_not_null(h);
	offer_ten(h, frames, len);
	cr_assert_eq(pcapio_close(h), 0);
	cr_assert_eq(pcapio_load(file("rt.pcap"), NULL, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.n, 5u);
	for (size_t i = 0; i < out.n; i++)
		cr_assert_arr_eq(out.buf + out.off[i], frames[2 * i], len[2 * i]);
	pcapio_frames_free(&out);
}

Test(pcapio, load_skips_and_counts_what_it_cannot_send)
{
	static uint8_t buf[7][MAX_FRAME];
	uint8_t *fr[7];
	size_t len[7], caplen[7];
	struct pcapio_frames out;
	char err[256] = "";

	for (int i = 0; i < 7; i++)
		fr[i] = buf[i];
	len[0] = udp_frame(buf[0], 128, 0);
	len[1] = other_frame(buf[1], PKT_ETHERTYPE_ARP, 42);
	len[2] = other_frame(buf[2], 0x86dd, 90); /* IPv6 */
	len[3] = udp_frame(buf[3], 9018, 3);      /* above the 1518 B default */
	len[4] = udp_frame(buf[4], 1000, 4);      /* captured with a 96 B snap length */
	len[5] = udp_frame(buf[5], 128, 5);
	buf[5][PKT_ETH_HLEN + 2] = 0x05; /* IPv4 total length beyond the frame */
	len[6] = udp_frame(buf[6], 256, 6);
	for (int i = 0; i < 7; i++)
		caplen[i] = len[i];
	caplen[4] = 96;
	write_raw(file("mix.pcap"), DLT_EN10MB, fr, len, caplen, 7);

	cr_assert_eq(pcapio_load(file("mix.pcap"), NULL, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.read, 7u);
	cr_assert_eq(out.n, 2u);
	cr_assert_eq(out.skipped_other, 2u);
	cr_assert_eq(out.skipped_big, 1u);
	cr_assert_eq(out.skipped_cut, 1u);
	cr_assert_eq(out.skipped_bad, 1u);
	cr_assert_eq(seq_of(out.buf + out.off[0], out.len[0]), 0u);
	cr_assert_eq(seq_of(out.buf + out.off[1], out.len[1]), 6u);
	pcapio_frames_free(&out);

	/* A larger limit takes the jumbo frame too. */
	struct pcapio_rewrite rw = {.max_frame = 9018};

	cr_assert_eq(pcapio_load(file("mix.pcap"), &rw, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.n, 3u);
	cr_assert_eq(out.len[1], 9014u);
	pcapio_frames_free(&out);
}

Test(pcapio, load_pads_short_frames_to_the_minimum)
{
	uint8_t buf[64];
	uint8_t *fr[1] = {buf};
	size_t len[1];
	struct pcapio_frames out;
	char err[256] = "";

	/* A 42-byte UDP frame with no payload, as captured on its sender before padding. */
	udp_frame(buf, 64, 0);
	buf[PKT_ETH_HLEN + 3] = PKT_IPV4_HLEN + PKT_UDP_HLEN; /* IPv4 total length 28 */
	buf[PKT_ETH_HLEN + PKT_IPV4_HLEN + 5] = PKT_UDP_HLEN; /* UDP length 8 */
	len[0] = PKT_UDP_FRAME_HLEN;
	write_raw(file("short.pcap"), DLT_EN10MB, fr, len, NULL, 1);
	cr_assert_eq(pcapio_load(file("short.pcap"), NULL, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.n, 1u);
	cr_assert_eq(out.len[0], 60u);
	cr_assert_eq(out.wire_bytes, 64u);
	for (size_t i = len[0]; i < 60; i++)
		cr_assert_eq(out.buf[out.off[0] + i], 0, "padding byte %zu", i);
	cr_assert(csum_ipv4_hdr_ok((const struct ipv4_hdr *)(out.buf + PKT_ETH_HLEN)));
	cr_assert(l4_ok((const struct ipv4_hdr *)(out.buf + PKT_ETH_HLEN),
			out.buf + PKT_ETH_HLEN + PKT_IPV4_HLEN, PKT_UDP_HLEN));
	pcapio_frames_free(&out);
}

Test(pcapio, load_patches_fragments_incrementally)
{
	static uint8_t whole[1100], frag[2][1100];
	uint8_t *fr[2] = {frag[0], frag[1]};
	size_t wlen = udp_frame(whole, 1000, 42), first = 512, len[2];
	struct ipv4_hdr *ip;
	struct udp_hdr *udp;
	struct pcapio_frames out;
	char err[256] = "";
	uint16_t want;

	/* First fragment: headers and 512 bytes of IP payload, MF set; the UDP checksum still
	 * covers the whole datagram. */
	len[0] = PKT_ETH_HLEN + PKT_IPV4_HLEN + first;
	memcpy(frag[0], whole, len[0]);
	ip = (struct ipv4_hdr *)(frag[0] + PKT_ETH_HLEN);
	ip->tot_len = htons((uint16_t)(PKT_IPV4_HLEN + first));
	ip->frag_off = htons(0x2000);
	ip->csum = csum_ipv4_hdr(ip);
	/* Second fragment: the rest, at offset 512 / 8. */
	len[1] = wlen - first;
	memcpy(frag[1], whole, PKT_ETH_HLEN + PKT_IPV4_HLEN);
	memcpy(frag[1] + PKT_ETH_HLEN + PKT_IPV4_HLEN, whole + len[0], wlen - len[0]);
	ip = (struct ipv4_hdr *)(frag[1] + PKT_ETH_HLEN);
	ip->tot_len = htons((uint16_t)(len[1] - PKT_ETH_HLEN));
	ip->frag_off = htons(first / 8);
	ip->csum = csum_ipv4_hdr(ip);
	write_raw(file("frag.pcap"), DLT_EN10MB, fr, len, NULL, 2);

	cr_assert_eq(pcapio_load(file("frag.pcap"), &rewrite, &out, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(out.n, 2u);
	/* The patched checksum equals a full recompute over the rewritten whole datagram. */
	ip = (struct ipv4_hdr *)(whole + PKT_ETH_HLEN);
	udp = (struct udp_hdr *)(whole + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	ip->saddr = htonl(rewrite.src_ip);
	ip->daddr = htonl(rewrite.dst_ip);
	udp->sport = htons(rewrite.src_port);
	udp->dport = htons(rewrite.dst_port);
	udp->csum = 0;
	want = csum_ipv4_l4(ip, udp, ntohs(udp->len));
	udp = (struct udp_hdr *)(out.buf + out.off[0] + PKT_ETH_HLEN + PKT_IPV4_HLEN);
	cr_assert_eq(udp->csum, want);
	cr_assert_eq(ntohs(udp->dport), rewrite.dst_port);
	for (size_t i = 0; i < 2; i++) {
		ip = (struct ipv4_hdr *)(out.buf + out.off[i] + PKT_ETH_HLEN);
		cr_assert(csum_ipv4_hdr_ok(ip));
		cr_assert_eq(ntohl(ip->daddr), rewrite.dst_ip);
	}
	/* The later fragment carries payload only: its bytes are not touched. */
	cr_assert_arr_eq(out.buf + out.off[1] + 34, frag[1] + 34, len[1] - 34);
	pcapio_frames_free(&out);
}

Test(pcapio, load_errors_say_what_is_wrong)
{
	uint8_t buf[64];
	uint8_t *fr[1] = {buf};
	size_t len[1];
	struct pcapio_frames out;
	char err[512] = "";
	FILE *f;

	cr_assert_eq(pcapio_load(file("missing.pcap"), NULL, &out, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "missing.pcap"), "%s", err);
	cr_assert_not_null(strstr(err, "No such file"), "%s", err);

	f = fopen(file("garbage.pcap"), "w");
	cr_assert_not_null(f);
	fputs("this is not a capture, just some text long enough to be read\n", f);
	fclose(f);
	cr_assert_eq(pcapio_load(file("garbage.pcap"), NULL, &out, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "not a pcap"), "%s", err);

	len[0] = udp_frame(buf, 64, 0) - PKT_ETH_HLEN;
	fr[0] = buf + PKT_ETH_HLEN;
	write_raw(file("raw.pcap"), DLT_RAW, fr, len, NULL, 1);
	cr_assert_eq(pcapio_load(file("raw.pcap"), NULL, &out, err, sizeof(err)), -EPROTONOSUPPORT);
	cr_assert_not_null(strstr(err, "not Ethernet"), "%s", err);

	fr[0] = buf;
	len[0] = other_frame(buf, PKT_ETHERTYPE_ARP, 42);
	write_raw(file("arp.pcap"), DLT_EN10MB, fr, len, NULL, 1);
	cr_assert_eq(pcapio_load(file("arp.pcap"), NULL, &out, err, sizeof(err)), -ENODATA);
	cr_assert_not_null(strstr(err, "no Ethernet/IPv4 frame"), "%s", err);
	cr_assert_eq(out.read, 1u, "the counters survive the error");
	cr_assert_eq(out.skipped_other, 1u);
	cr_assert_null(out.buf);

	cr_assert_eq(pcapio_load(dir, NULL, &out, err, sizeof(err)), -EISDIR);
	cr_assert_not_null(strstr(err, "directory"), "%s", err);
	struct pcapio_rewrite rw = {.max_frame = 32};

	cr_assert_eq(pcapio_load(file("arp.pcap"), &rw, &out, err, sizeof(err)), -EINVAL);
}
