// SPDX-License-Identifier: MIT
/*
 * test_pkt.c: the test-frame builder (every RFC 2544 size and 9018: lengths, fields and
 * checksums checked with csum.h), the payload format (byte layout, odd addresses), the parser
 * on built frames, on frames the Linux kernel wrote (tests/vectors/captured.h) and on damaged
 * ones (each kind of truncation and inconsistency), the parse cursor's bounds, and the MAC and
 * IPv4 address text forms.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "csum.h"
#include "lr.h"
#include "pkt.h"
#include "vectors/captured.h"

#define MAX_FRAME 9018
#define FILL      0xa5 /* what the test buffers hold before a build */

static const unsigned frame_sizes[] = {64, 128, 256, 512, 1024, 1280, 1518, 9018};

static const struct pkt_udp_spec spec = {
	.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	.src_ip = 0xc6120001, /* 198.18.0.1 */
	.dst_ip = 0xc6130002, /* 198.19.0.2 */
	.src_port = 1024,
	.dst_port = 9000,
	.ttl = 0,
};

/* Room for a jumbo frame at an odd address plus a VLAN tag and IPv4 options. */
static uint8_t area[MAX_FRAME + 64];

/* Builds a frame of wire size len at area + off, after filling the area with FILL. */
static uint8_t *build(unsigned len, size_t off)
{
	int rc;

	memset(area, FILL, sizeof(area));
	rc = pkt_build_udp(area + off, sizeof(area) - off, len, &spec);
	cr_assert_eq(rc, (int)len - 4, "build of %u bytes returned %d", len, rc);
	return area + off;
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int parse(const uint8_t *frame, size_t len)
{
	struct pkt_udp_view view;

	return pkt_parse_udp(frame, len, &view);
}

/* True when the UDP checksum in the datagram equals a recompute with the field zeroed. */
static bool udp_csum_valid(const struct pkt_udp_view *v)
{
	static uint8_t copy[MAX_FRAME];
	size_t len = ntohs(v->udp->len);
	uint16_t want = v->udp->csum;

	memcpy(copy, v->udp, len);
	memset(copy + 6, 0, 2);
	return want == csum_ipv4_l4(v->ip, copy, len);
}

static void check_built_frame(const uint8_t *f, unsigned len)
{
	struct pkt_udp_view v;
	size_t plen = len - 4 - PKT_UDP_FRAME_HLEN;

	cr_assert_eq(pkt_parse_udp(f, len - 4, &v), 0, "%u: parse failed", len);
	cr_assert(v.eth == (const void *)f && v.ip == (const void *)(f + 14) &&
		  v.udp == (const void *)(f + 34) && v.payload == f + 42);
	cr_expect_eq(v.payload_len, plen);
	cr_expect_eq(memcmp(v.eth->dst, spec.dst_mac, 6) | memcmp(v.eth->src, spec.src_mac, 6), 0);
	cr_expect_eq(ntohs(v.eth->type), PKT_ETHERTYPE_IPV4);
	cr_expect_eq(v.ip->ver_ihl, 0x45);
	cr_expect_eq(ntohs(v.ip->tot_len), len - 18, "%u: IP tot_len", len);
	cr_expect_eq(v.ip->id, 0);
	cr_expect_eq(ntohs(v.ip->frag_off), 0x4000, "%u: DF only", len);
	cr_expect_eq(v.ip->ttl, 64);
	cr_expect_eq(v.ip->proto, PKT_IPPROTO_UDP);
	cr_expect_eq(ntohl(v.ip->saddr), spec.src_ip);
	cr_expect_eq(ntohl(v.ip->daddr), spec.dst_ip);
	cr_expect(csum_ipv4_hdr_ok(v.ip), "%u: IPv4 checksum", len);
	cr_expect_eq(ntohs(v.udp->sport), spec.src_port);
	cr_expect_eq(ntohs(v.udp->dport), spec.dst_port);
	cr_expect_eq(ntohs(v.udp->len), len - 38, "%u: UDP length", len);
	cr_expect_neq(v.udp->csum, 0, "%u: UDP checksum left out", len);
	cr_expect(udp_csum_valid(&v), "%u: UDP checksum", len);
	for (size_t i = 0; i < plen; i++)
		cr_assert_eq(v.payload[i], 0, "%u: payload byte %zu not zeroed", len, i);
}

Test(pkt, builds_every_rfc2544_size_and_jumbo)
{
	for (size_t i = 0; i < ARRAY_SIZE(frame_sizes); i++) {
		unsigned len = frame_sizes[i];
		uint8_t *f = build(len, 0);

		check_built_frame(f, len);
		cr_expect_eq(f[len - 4], FILL, "%u: wrote past the frame", len);
	}
}

Test(pkt, builds_at_an_odd_address)
{
	uint8_t *f = build(64, 1);

	check_built_frame(f, 64);
	cr_expect_eq(area[0], FILL);
	f = build(1518, 3);
	check_built_frame(f, 1518);
}

Test(pkt, builder_ttl_from_spec_and_64_for_zero)
{
	const uint8_t ttls[] = {1, 63, 255};
	struct pkt_udp_spec s = spec;

	for (size_t i = 0; i < ARRAY_SIZE(ttls); i++) {
		s.ttl = ttls[i];
		cr_assert_eq(pkt_build_udp(area, sizeof(area), 64, &s), 60);
		cr_expect_eq(area[14 + 8], ttls[i]);
		cr_expect(csum_ipv4_hdr_ok((const struct ipv4_hdr *)(area + 14)));
	}
	s.ttl = 0;
	cr_assert_eq(pkt_build_udp(area, sizeof(area), 64, &s), 60);
	cr_expect_eq(area[14 + 8], 64);
}

Test(pkt, builder_rejects_sizes_outside_64_to_9018)
{
	const unsigned bad[] = {0, 4, 63, 9019, 65535};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(area, FILL, sizeof(area));
		cr_expect_eq(pkt_build_udp(area, sizeof(area), bad[i], &spec), -EINVAL, "size %u",
			     bad[i]);
		cr_expect_eq(area[0], FILL, "size %u: buffer written", bad[i]);
	}
}

Test(pkt, builder_needs_frame_len_minus_4_bytes)
{
	memset(area, FILL, sizeof(area));
	cr_expect_eq(pkt_build_udp(area, 59, 64, &spec), -ENOSPC);
	cr_expect_eq(pkt_build_udp(area, 1513, 1518, &spec), -ENOSPC);
	cr_expect_eq(area[0], FILL, "buffer written on -ENOSPC");
	cr_expect_eq(pkt_build_udp(area, 60, 64, &spec), 60);
	cr_expect_eq(pkt_build_udp(area, 9014, 9018, &spec), 9014);
}

Test(pkt, payload_layout_is_little_endian)
{
	uint8_t buf[PKT_PAYLOAD_LEN + 3];
	const uint8_t want[PKT_PAYLOAD_LEN] = {
		0x4c, 0x52,                                     /* magic 0x524c, "LR" */
		0xef, 0xbe,                                     /* flow 0xbeef */
		0xef, 0xbe, 0xad, 0xde,                         /* seq 0xdeadbeef */
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, /* tx_ns */
	};

	memset(buf, FILL, sizeof(buf));
	pkt_payload_write(buf + 1, 0xbeef, 0xdeadbeef, 0x0123456789abcdefull);
	cr_assert_eq(memcmp(buf + 1, want, sizeof(want)), 0);
	cr_assert_eq(buf[0], FILL);
	cr_assert_eq(buf[PKT_PAYLOAD_LEN + 1], FILL);
	cr_assert_eq(sizeof(struct pkt_payload), PKT_PAYLOAD_LEN);
}

Test(pkt, payload_round_trips_through_a_frame_at_odd_address)
{
	const unsigned sizes[] = {64, 1518};

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *f = build(sizes[i], 1);
		struct pkt_udp_view v;
		struct pkt_payload got;

		cr_assert_eq(pkt_parse_udp(f, sizes[i] - 4, &v), 0);
		cr_assert_not(pkt_payload_read(&v, &got), "zeroed payload has no magic");
		pkt_payload_write(f + PKT_UDP_FRAME_HLEN, 65535, 4000000000u,
				  1234567890123456789ull);
		cr_assert(pkt_payload_read(&v, &got));
		cr_expect_eq(got.magic, PKT_PAYLOAD_MAGIC);
		cr_expect_eq(got.flow, 65535);
		cr_expect_eq(got.seq, 4000000000u);
		cr_expect_eq(got.tx_ns, 1234567890123456789ull);
	}
}

Test(pkt, payload_read_needs_magic_and_16_bytes)
{
	uint8_t buf[PKT_PAYLOAD_LEN];
	struct pkt_udp_view v = {.payload = buf, .payload_len = sizeof(buf)};
	struct pkt_payload got;

	pkt_payload_write(buf, 1, 2, 3);
	cr_assert(pkt_payload_read(&v, &got));
	v.payload_len = PKT_PAYLOAD_LEN - 1;
	cr_expect_not(pkt_payload_read(&v, &got), "15 bytes accepted");
	v.payload_len = PKT_PAYLOAD_LEN;
	buf[1] ^= 0x01;
	cr_expect_not(pkt_payload_read(&v, &got), "wrong magic accepted");
	v.payload = NULL;
	cr_expect_not(pkt_payload_read(&v, &got), "no payload accepted");
}

Test(pkt, parses_a_udp_frame_the_kernel_wrote)
{
	struct pkt_udp_view v;
	struct pkt_payload pl;

	cr_assert_eq(pkt_parse_udp(cap_udp, sizeof(cap_udp), &v), 0);
	cr_expect(v.eth == (const void *)cap_udp && v.ip == (const void *)(cap_udp + 14));
	cr_expect_eq(ntohl(v.ip->saddr), 0xc612c801); /* 198.18.200.1 */
	cr_expect_eq(ntohs(v.udp->sport), 12345);
	cr_expect_eq(ntohs(v.udp->dport), 9000);
	cr_expect_eq(v.payload_len, 15);
	cr_expect_eq(memcmp(v.payload, "linerate-vector", 15), 0);
	cr_expect(csum_ipv4_hdr_ok(v.ip));
	cr_expect(udp_csum_valid(&v));
	cr_expect_not(pkt_payload_read(&v, &pl), "foreign payload taken for ours");
}

Test(pkt, accepts_ethernet_padding_after_tot_len)
{
	uint8_t padded[60] = {0};
	struct pkt_udp_view v;
	uint8_t *f;

	/* The kernel's 57-byte frame as a NIC sends it: padded to 60 (64 on the wire). */
	memcpy(padded, cap_udp, sizeof(cap_udp));
	cr_assert_eq(pkt_parse_udp(padded, sizeof(padded), &v), 0);
	cr_expect_eq(v.payload_len, 15);
	/* A built 64-byte frame shortened to 16 payload bytes: 2 bytes of padding remain. */
	f = build(64, 0);
	wr16(f + 14 + 2, 20 + 8 + 16);
	wr16(f + 34 + 4, 8 + 16);
	cr_assert_eq(pkt_parse_udp(f, 60, &v), 0);
	cr_expect_eq(v.payload_len, 16);
	/* A UDP length shorter than the IP payload: the rest is ignored. */
	wr16(f + 34 + 4, 8 + 12);
	cr_assert_eq(pkt_parse_udp(f, 60, &v), 0);
	cr_expect_eq(v.payload_len, 12);
}

Test(pkt, parses_ipv4_options)
{
	uint8_t frame[64];
	const uint8_t *f = build(64, 0);
	const uint8_t router_alert[4] = {0x94, 0x04, 0x00, 0x00};
	struct pkt_udp_view v;

	memcpy(frame, f, 34);
	memcpy(frame + 34, router_alert, 4);
	memcpy(frame + 38, f + 34, 26);
	frame[14] = 0x46;
	wr16(frame + 14 + 2, 46 + 4);
	cr_assert_eq(pkt_parse_udp(frame, sizeof(frame), &v), 0);
	cr_expect(v.udp == (const void *)(frame + 38));
	cr_expect_eq(v.payload_len, 18);
}

Test(pkt, parses_one_vlan_tag)
{
	uint8_t frame[64 + 8];
	const uint8_t *f = build(64, 0);
	const uint8_t tag[4] = {0x81, 0x00, 0x00, 0x64}; /* 802.1Q, VLAN 100 */
	struct pkt_udp_view v;

	memcpy(frame, f, 12);
	memcpy(frame + 12, tag, 4);
	memcpy(frame + 16, f + 12, 60 - 12);
	cr_assert_eq(pkt_parse_udp(frame, 64, &v), 0);
	cr_expect(v.ip == (const void *)(frame + 18));
	cr_expect_eq(v.payload_len, 18);
	cr_expect_eq(parse(frame, 16), -EBADMSG, "tag without inner type");
	memmove(frame + 16, frame + 12, 64 - 12);
	cr_expect_eq(parse(frame, 68), -EPROTO, "two tags are not supported");
}

Test(pkt, rejects_truncated_ethernet_and_ipv4)
{
	const uint8_t *f = build(64, 0);

	cr_expect_eq(parse(f, 0), -EBADMSG);
	cr_expect_eq(parse(f, 13), -EBADMSG);
	cr_expect_eq(parse(f, 14), -EBADMSG, "no IPv4 header");
	cr_expect_eq(parse(f, 14 + 19), -EBADMSG, "19 bytes of IPv4 header");
	cr_expect_eq(parse(f, 59), -EBADMSG, "one byte short of tot_len");
	cr_expect_eq(parse(f, 60), 0);
}

Test(pkt, rejects_bad_ihl)
{
	uint8_t *f = build(64, 0);

	f[14] = 0x44;
	cr_expect_eq(parse(f, 60), -EBADMSG, "IHL 4");
	f[14] = 0x40;
	cr_expect_eq(parse(f, 60), -EBADMSG, "IHL 0");
	f[14] = 0x4f; /* 60 bytes of header in a 46-byte datagram */
	cr_expect_eq(parse(f, 60), -EBADMSG, "IHL beyond the frame");
	f[14] = 0x4b; /* 44 bytes: within the frame, but beyond tot_len */
	wr16(f + 16, 40);
	cr_expect_eq(parse(f, 60), -EBADMSG, "IHL beyond tot_len");
	wr16(f + 16, 46);
	f[14] = 0x65;
	cr_expect_eq(parse(f, 60), -EBADMSG, "version 6 behind an IPv4 EtherType");
}

Test(pkt, rejects_inconsistent_lengths)
{
	uint8_t *f = build(64, 0);

	wr16(f + 16, 47);
	cr_expect_eq(parse(f, 60), -EBADMSG, "tot_len beyond the frame");
	wr16(f + 16, 19);
	cr_expect_eq(parse(f, 60), -EBADMSG, "tot_len below the header length");
	wr16(f + 16, 20 + 4);
	cr_expect_eq(parse(f, 60), -EBADMSG, "no room for a UDP header");
	wr16(f + 16, 46);
	wr16(f + 38, 27);
	cr_expect_eq(parse(f, 60), -EBADMSG, "UDP length beyond the IP payload");
	wr16(f + 38, 7);
	cr_expect_eq(parse(f, 60), -EBADMSG, "UDP length below 8");
	wr16(f + 38, 8);
	cr_expect_eq(parse(f, 60), 0, "an empty datagram is fine");
}

Test(pkt, rejects_other_protocols_and_fragments)
{
	uint8_t *f;

	cr_expect_eq(parse(cap_tcp_syn, sizeof(cap_tcp_syn)), -EPROTO, "TCP");
	cr_expect_eq(parse(cap_tcp_data, sizeof(cap_tcp_data)), -EPROTO, "TCP");
	cr_expect_eq(parse(cap_icmp_echo, sizeof(cap_icmp_echo)), -EPROTO, "ICMP");
	cr_expect_eq(parse(cap_arp_request, sizeof(cap_arp_request)), -EPROTO, "ARP");
	f = build(64, 0);
	wr16(f + 20, 0x2000);
	cr_expect_eq(parse(f, 60), -EPROTO, "first fragment (MF)");
	wr16(f + 20, 0x0001);
	cr_expect_eq(parse(f, 60), -EPROTO, "later fragment (offset 8)");
	wr16(f + 20, 0x4000);
	wr16(f + 12, 0x86dd);
	cr_expect_eq(parse(f, 60), -EPROTO, "IPv6 EtherType");
}

Test(pkt, cursor_pull_stops_at_the_end)
{
	const uint8_t data[10] = {0};
	struct pkt_cursor c;

	pkt_cursor_init(&c, data, sizeof(data));
	cr_assert(pkt_cursor_pull(&c, 4) == data);
	cr_assert_eq(pkt_cursor_left(&c), 6);
	cr_assert_null(pkt_cursor_pull(&c, 7), "one past the end");
	cr_assert_eq(c.off, 4, "a failed pull moved the cursor");
	cr_assert(pkt_cursor_pull(&c, 6) == data + 4, "exact length");
	cr_assert_eq(pkt_cursor_left(&c), 0);
	cr_assert_null(pkt_cursor_pull(&c, 1));
	cr_assert_null(pkt_cursor_pull(&c, SIZE_MAX), "huge pull must not wrap");
	cr_assert_eq(c.off, 10);
	cr_assert_not_null(pkt_cursor_pull(&c, 0));
}

Test(pkt, mac_parse_and_format)
{
	const uint8_t want[6] = {0x02, 0x00, 0x5e, 0x10, 0xab, 0xff};
	uint8_t mac[6];
	char buf[18];

	cr_assert_eq(pkt_mac_parse("02:00:5e:10:ab:ff", mac), 0);
	cr_assert_eq(memcmp(mac, want, 6), 0);
	cr_assert_str_eq(pkt_mac_str(mac, buf), "02:00:5e:10:ab:ff");
	cr_assert(pkt_mac_str(mac, buf) == buf);
	cr_assert_eq(pkt_mac_parse("02:00:5E:10:AB:FF", mac), 0);
	cr_assert_eq(memcmp(mac, want, 6), 0);
	cr_assert_str_eq(pkt_mac_str(cap_arp_request + 6, buf), "42:24:b4:43:ce:da");
}

Test(pkt, mac_parse_rejects_bad_forms)
{
	const char *bad[] = {
		"",
		"02:00:5e:10:ab",
		"02:00:5e:10:ab:ff:01",
		"02-00-5e-10-ab-ff",
		"02:00:5e:10:ab:fg",
		"2:0:5e:10:ab:ff",
		"02:00:5e:10:ab:f",
		"02:00:5e:10:ab:ff ",
		" 02:00:5e:10:ab:ff",
		"0200.5e10.abff",
		"02:00:5e:10:ab::f",
		NULL,
	};
	uint8_t mac[6];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(mac, 0x77, sizeof(mac));
		cr_expect_eq(pkt_mac_parse(bad[i], mac), -EINVAL, "accepted \"%s\"",
			     bad[i] ? bad[i] : "(null)");
		cr_expect_eq(mac[0] & mac[5], 0x77, "\"%s\": output written on error",
			     bad[i] ? bad[i] : "(null)");
	}
}

Test(pkt, ip_parse_gives_host_order)
{
	uint32_t ip;

	cr_assert_eq(pkt_ip_parse("198.18.0.1", &ip), 0);
	cr_assert_eq(ip, 0xc6120001);
	cr_assert_eq(pkt_ip_parse("198.19.255.254", &ip), 0);
	cr_assert_eq(ip, 0xc613fffe);
	cr_assert_eq(pkt_ip_parse("0.0.0.0", &ip), 0);
	cr_assert_eq(ip, 0);
	cr_assert_eq(pkt_ip_parse("255.255.255.255", &ip), 0);
	cr_assert_eq(ip, 0xffffffff);
}

Test(pkt, ip_parse_rejects_bad_forms)
{
	const char *bad[] = {
		"",          "198.18.0",      "198.18.0.1.5", "256.18.0.1", "198.18.0.-1",
		"a.b.c.d",   " 198.18.0.1",   "198.18.0.1 ",  "198.18..1",  "0x7f.0.0.1",
		"010.0.0.1", "198.18.0.1/24", NULL,
	};
	uint32_t ip;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ip = 0x77777777;
		cr_expect_eq(pkt_ip_parse(bad[i], &ip), -EINVAL, "accepted \"%s\"",
			     bad[i] ? bad[i] : "(null)");
		cr_expect_eq(ip, 0x77777777, "output written on error");
	}
}
