// SPDX-License-Identifier: MIT
/*
 * it_afp.c: the AF_PACKET backend (kernel_baseline/io_afp.c) on a private veth pair, as root.
 * Each test builds namespaces lr-afp-a and lr-afp-b joined by lr-afpa0 <-> lr-afpb0 in .init
 * and deletes them in .fini, also when it fails. Checked: 1000 sequenced test frames cross in
 * order with their bytes for TPACKET_V2 and V3 RX rings and both TX modes (small rings, so
 * they wrap), a port never receives its own transmissions, io_wait() sleeps until a frame
 * comes and times out when none does, received frames forwarded through another port (the
 * foreign-buffer copy path) arrive at the peer, TP_STATUS_CSUMNOTREADY frames are counted
 * and complete, the counters, and the error messages for a missing interface or namespace.
 * Frames of other origin (the kernels' own chatter) are told apart by the payload's flow id.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "io_afp.h"
#include "it_helpers.h"
#include "netns.h"
#include "pkt.h"

#define NS_A        "lr-afp-a"
#define NS_B        "lr-afp-b"
#define IF_A        "lr-afpa0"
#define IF_B        "lr-afpb0"
#define IP_A        "198.18.210.1"
#define IP_B        "198.18.210.2"
#define MAC_A       "02:00:00:00:aa:01"
#define MAC_B       "02:00:00:00:aa:02"
#define RING_FRAMES 256 /* small, so 1000 frames wrap the rings */
#define FRAME_SIZE  2048
#define FRAMES      1000
#define CHUNK       100
#define BURST       32
#define WAIT_MS     3000

/* ---- the private veth pair ---- */

static void run_ok(const char *const argv[])
{
	struct it_result r;

	it_run(argv, &r);
	cr_assert_eq(r.status, 0, "%s %s %s %s failed: %s", argv[0], argv[1], argv[2], argv[3],
		     r.err);
	it_result_free(&r);
}

static void veth_down(void)
{
	it_run_quiet((const char *[]){"ip", "netns", "del", NS_A, NULL});
	it_run_quiet((const char *[]){"ip", "netns", "del", NS_B, NULL});
}

/* A namespace whose interfaces never speak IPv6 (no router solicitations on the link). */
static void ns_add(const char *ns)
{
	run_ok((const char *[]){"ip", "netns", "add", ns, NULL});
	run_ok((const char *[]){"ip", "netns", "exec", ns, "sysctl", "-qw",
				"net.ipv6.conf.all.disable_ipv6=1",
				"net.ipv6.conf.default.disable_ipv6=1", NULL});
}

/* Brings up one end: MAC, address, offloads off, a permanent entry for the peer (no ARP). */
static void veth_end_up(const char *ns, const char *ifname, const char *ip, const char *mac,
			const char *peer_ip, const char *peer_mac)
{
	char cidr[32];

	snprintf(cidr, sizeof(cidr), "%s/24", ip);
	run_ok((const char *[]){"ip", "-n", ns, "link", "set", ifname, "address", mac, NULL});
	run_ok((const char *[]){"ip", "-n", ns, "addr", "add", cidr, "dev", ifname, NULL});
	run_ok((const char *[]){"ip", "netns", "exec", ns, "ethtool", "-K", ifname, "gro", "off",
				"gso", "off", "tso", "off", "tx", "off", "rx", "off", NULL});
	run_ok((const char *[]){"ip", "-n", ns, "neigh", "replace", peer_ip, "lladdr", peer_mac,
				"dev", ifname, "nud", "permanent", NULL});
	run_ok((const char *[]){"ip", "-n", ns, "link", "set", ifname, "up", NULL});
}

static void veth_up(void)
{
	veth_down(); /* leftovers of a run that crashed */
	ns_add(NS_A);
	ns_add(NS_B);
	run_ok((const char *[]){"ip", "-n", NS_A, "link", "add", IF_A, "type", "veth", "peer",
				"name", IF_B, "netns", NS_B, NULL});
	veth_end_up(NS_A, IF_A, IP_A, MAC_A, IP_B, MAC_B);
	veth_end_up(NS_B, IF_B, IP_B, MAC_B, IP_A, MAC_A);
}

TestSuite(afp, .init = veth_up, .fini = veth_down, .timeout = 60);

/* ---- ports and frames ---- */

static struct io_port *port_open(const char *ns, const char *ifname, unsigned version,
				 enum afp_tx_mode mode, bool bypass, bool rx, bool tx)
{
	char err[256];
	struct afp_cfg cfg = {.ifname = ifname,
			      .netns = ns,
			      .version = version,
			      .ring_frames = RING_FRAMES,
			      .frame_size = FRAME_SIZE,
			      .tx_mode = mode,
			      .qdisc_bypass = bypass,
			      .rx = rx,
			      .tx = tx};
	struct io_port *p = afp_open(&cfg, err, sizeof(err));

	cr_assert_not_null(p, "afp_open %s in %s: %s", ifname, ns, err);
	cr_assert_eq(strcmp(p->ops->name, "afp"), 0);
	cr_assert_eq(p->max_frame, 1514, "MTU 1500 + Ethernet header");
	return p;
}

/* Who sends to whom; the flow id marks the test frames of one direction. */
struct dir {
	struct pkt_udp_spec spec;
	uint16_t flow;
};

static struct dir dir_make(const char *smac, const char *dmac, const char *sip, const char *dip,
			   uint16_t flow)
{
	struct dir d = {.flow = flow};

	cr_assert_eq(pkt_mac_parse(smac, d.spec.src_mac), 0);
	cr_assert_eq(pkt_mac_parse(dmac, d.spec.dst_mac), 0);
	cr_assert_eq(pkt_ip_parse(sip, &d.spec.src_ip), 0);
	cr_assert_eq(pkt_ip_parse(dip, &d.spec.dst_ip), 0);
	d.spec.src_port = 40000 + flow;
	d.spec.dst_port = 9;
	return d;
}

static struct dir dir_ab(uint16_t flow)
{
	return dir_make(MAC_A, MAC_B, IP_A, IP_B, flow);
}

static struct dir dir_ba(uint16_t flow)
{
	return dir_make(MAC_B, MAC_A, IP_B, IP_A, flow);
}

/* Wire sizes from 64 to 1324 bytes, so frames of several sizes share the rings. */
static unsigned wire_len(uint32_t seq)
{
	return 64 + (seq % 8) * 180;
}

/* Builds frame seq of a direction into buf: headers, payload, then a seq-dependent pattern;
 * returns its length or pkt_build_udp's error (no assert: threads call it too). */
static int frame_make(uint8_t *buf, uint32_t cap, const struct dir *d, uint32_t seq)
{
	int len = pkt_build_udp(buf, cap, wire_len(seq), &d->spec);

	if (len < 0)
		return len;
	pkt_payload_write(buf + PKT_UDP_FRAME_HLEN, d->flow, seq, (uint64_t)seq * 1000);
	for (int i = PKT_UDP_FRAME_HLEN + PKT_PAYLOAD_LEN; i < len; i++)
		buf[i] = (uint8_t)(seq * 7 + (unsigned)i);
	return len;
}

static uint32_t frame_build(uint8_t *buf, uint32_t cap, const struct dir *d, uint32_t seq)
{
	int len = frame_make(buf, cap, d, seq);

	cr_assert_gt(len, 0, "pkt_build_udp: %d", len);
	return (uint32_t)len;
}

/* Sends frames first..first+count-1 of direction d on p, in bursts, retrying while the port
 * is busy (bounded by WAIT_MS). */
static void send_seq(struct io_port *p, const struct dir *d, uint32_t first, unsigned count)
{
	struct io_buf bufs[BURST];
	uint64_t deadline = it_now_ms() + WAIT_MS;
	unsigned sent = 0;

	while (sent < count) {
		unsigned want = count - sent < BURST ? count - sent : BURST;
		unsigned got = io_alloc(p, bufs, want), done = 0;

		cr_assert_lt(it_now_ms(), deadline, "%s: only %u of %u frames sent", p->name, sent,
			     count);
		for (unsigned i = 0; i < got; i++)
			bufs[i].len = frame_build(bufs[i].data, bufs[i].len, d, first + sent + i);
		while (done < got) {
			done += io_tx_burst(p, bufs + done, got - done);
			cr_assert_lt(it_now_ms(), deadline, "%s: tx_burst stuck", p->name);
		}
		io_flush(p);
		sent += got;
		if (got == 0)
			usleep(100);
	}
}

/* Returns true if buf is a test frame of flow; *seq gets its sequence number. */
static bool frame_ours(const struct io_buf *buf, uint16_t flow, uint32_t *seq)
{
	struct pkt_udp_view v;
	struct pkt_payload pl;

	if (pkt_parse_udp(buf->data, buf->len, &v) || !pkt_payload_read(&v, &pl))
		return false;
	*seq = pl.seq;
	return pl.flow == flow;
}

/* Checks that buf is exactly frame seq of direction d. */
static void frame_check(const struct io_buf *buf, const struct dir *d, uint32_t seq)
{
	uint8_t want[FRAME_SIZE];
	uint32_t len = frame_build(want, sizeof(want), d, seq);

	cr_assert_eq(buf->len, len, "frame %u: %u bytes, want %u", seq, buf->len, len);
	cr_assert_eq(memcmp(buf->data, want, len), 0, "frame %u: bytes differ", seq);
}

/* Receives frames first..first+count-1 of direction d on p, in order; returns how many other
 * frames came meanwhile. */
static unsigned recv_seq(struct io_port *p, const struct dir *d, uint32_t first, unsigned count)
{
	struct io_buf bufs[BURST];
	uint64_t deadline = it_now_ms() + WAIT_MS;
	unsigned got = 0, other = 0;

	while (got < count) {
		unsigned n;

		cr_assert_lt(it_now_ms(), deadline, "%s: only %u of %u frames from %u came",
			     p->name, got, count, first);
		io_wait(&p, 1, 10);
		n = io_rx_burst(p, bufs, BURST);
		for (unsigned i = 0; i < n; i++) {
			uint32_t seq;

			if (!frame_ours(&bufs[i], d->flow, &seq)) {
				other++;
				continue;
			}
			cr_assert_eq(seq, first + got, "%s: frame %u came, want %u", p->name, seq,
				     first + got);
			frame_check(&bufs[i], d, seq);
			got++;
		}
		/* Free in reverse: the V3 reader must cope with any order. */
		for (unsigned i = n; i-- > 0;)
			io_free(&bufs[i], 1);
	}
	return other;
}

/* Reads p for ms milliseconds; returns how many test frames of flow it saw. */
static unsigned count_flow(struct io_port *p, uint16_t flow, unsigned ms)
{
	struct io_buf bufs[BURST];
	uint64_t end = it_now_ms() + ms;
	unsigned seen = 0;

	while (it_now_ms() < end) {
		unsigned n;

		io_wait(&p, 1, 5);
		n = io_rx_burst(p, bufs, BURST);
		for (unsigned i = 0; i < n; i++) {
			uint32_t seq;

			seen += frame_ours(&bufs[i], flow, &seq);
		}
		io_free(bufs, n);
	}
	return seen;
}

static struct io_stats stats_of(struct io_port *p)
{
	struct io_stats s;

	cr_assert_eq(p->ops->stats(p, &s), 0);
	return s;
}

/* ---- frames cross both ways ---- */

/* A sends FRAMES to B, B sends a few back; neither port sees its own frames. */
static void exchange(unsigned version, enum afp_tx_mode mode, bool bypass)
{
	struct io_port *a = port_open(NS_A, IF_A, version, mode, bypass, true, true);
	struct io_port *b = port_open(NS_B, IF_B, version, mode, bypass, true, true);
	struct dir ab = dir_ab(1), ba = dir_ba(2);
	struct io_stats sa, sb;

	for (uint32_t first = 0; first < FRAMES; first += CHUNK) {
		send_seq(a, &ab, first, CHUNK);
		recv_seq(b, &ab, first, CHUNK);
	}
	send_seq(b, &ba, 0, 200);
	recv_seq(a, &ba, 0, 200);
	cr_assert_eq(count_flow(a, ab.flow, 20), 0, "A received its own transmissions");
	cr_assert_eq(count_flow(b, ba.flow, 20), 0, "B received its own transmissions");
	sa = stats_of(a);
	sb = stats_of(b);
	cr_assert_eq(sa.tx_pkts, FRAMES);
	cr_assert_eq(sb.tx_pkts, 200);
	cr_assert_geq(sb.rx_pkts, FRAMES);
	cr_assert_geq(sa.rx_pkts, 200);
	cr_assert_eq(sb.rx_dropped, 0);
	cr_assert_eq(sa.tx_errors + sb.tx_errors + sa.rx_errors + sb.rx_errors, 0);
	io_close(a);
	io_close(b);
}

Test(afp, v2_rx_tx_ring_frames_cross_in_order)
{
	exchange(2, AFP_TX_RING, true);
}

Test(afp, v2_rx_sendmmsg_frames_cross_in_order)
{
	exchange(2, AFP_TX_SENDMMSG, false);
}

Test(afp, v3_rx_tx_ring_frames_cross_in_order)
{
	exchange(3, AFP_TX_RING, false);
}

Test(afp, v3_rx_sendmmsg_frames_cross_in_order)
{
	exchange(3, AFP_TX_SENDMMSG, true);
}

/* ---- frames held by the application ---- */

#define HELD 100
#define MORE 1000 /* more than a ring of RING_FRAMES slots (V2) or of 512 KiB (V3) holds */

/* Receives count test frames of direction d into bufs without freeing them. */
static void recv_hold(struct io_port *p, const struct dir *d, struct io_buf *bufs, unsigned count)
{
	uint64_t deadline = it_now_ms() + WAIT_MS;
	unsigned got = 0;

	while (got < count) {
		unsigned n;
		uint32_t seq;

		cr_assert_lt(it_now_ms(), deadline, "only %u of %u frames came", got, count);
		io_wait(&p, 1, 10);
		n = io_rx_burst(p, bufs + got, count - got);
		for (unsigned i = got; i < got + n; i++)
			cr_assert(frame_ours(&bufs[i], d->flow, &seq), "a foreign frame came");
		got += n;
	}
}

/* Receives what comes within quiet_ms of silence; checks the frames are new (sequence numbers
 * strictly increasing from after) and intact, frees them and returns how many. */
static unsigned recv_new(struct io_port *p, const struct dir *d, uint32_t after, unsigned quiet_ms)
{
	struct io_buf bufs[BURST];
	uint64_t last = it_now_ms();
	unsigned got = 0;

	while (it_now_ms() - last < quiet_ms) {
		unsigned n;

		io_wait(&p, 1, 5);
		n = io_rx_burst(p, bufs, BURST);
		for (unsigned i = 0; i < n; i++) {
			uint32_t seq;

			cr_assert(frame_ours(&bufs[i], d->flow, &seq), "a foreign frame came");
			cr_assert_gt(seq, after, "frame %u handed out twice or out of order", seq);
			frame_check(&bufs[i], d, seq);
			after = seq;
			got++;
			last = it_now_ms();
		}
		io_free(bufs, n);
	}
	return got;
}

/* B holds its first HELD frames while MORE frames come: the ring fills, the held frames stay
 * intact and are never handed out again, every frame is either received or counted as a
 * drop, and once the held frames are freed the ring works as before. */
static void hold_frames(unsigned version)
{
	struct io_port *a = port_open(NS_A, IF_A, 2, AFP_TX_RING, false, false, true);
	struct io_port *b = port_open(NS_B, IF_B, version, AFP_TX_RING, false, true, false);
	struct dir ab = dir_ab(6);
	struct io_buf held[HELD];
	unsigned later;

	send_seq(a, &ab, 0, HELD);
	recv_hold(b, &ab, held, HELD);
	send_seq(a, &ab, HELD, MORE);
	later = recv_new(b, &ab, HELD - 1, 100);
	cr_assert(later > 0 && later < MORE, "%u frames came: the ring should have filled", later);
	cr_assert_eq(later + stats_of(b).rx_dropped, MORE, "%u received, the rest not dropped",
		     later);
	for (unsigned i = 0; i < HELD; i++)
		frame_check(&held[i], &ab, i);
	io_free(held, HELD);
	send_seq(a, &ab, 2 * MORE, 200);
	recv_seq(b, &ab, 2 * MORE, 200);
	io_close(a);
	io_close(b);
}

Test(afp, v2_held_frames_stay_intact_and_are_not_handed_out_twice)
{
	hold_frames(2);
}

Test(afp, v3_held_frames_stay_intact_and_are_not_handed_out_twice)
{
	hold_frames(3);
}

/* ---- io_wait ---- */

struct late_send {
	struct io_port *port;
	struct dir d;
};

static void *send_after_50ms(void *arg)
{
	struct late_send *ls = arg;
	struct io_buf buf;

	usleep(50 * 1000);
	/* Only plain calls here: Criterion's asserts belong to the test thread. */
	if (io_alloc(ls->port, &buf, 1) == 1) {
		int len = frame_make(buf.data, buf.len, &ls->d, 0);

		buf.len = len > 0 ? (uint32_t)len : 0;
		if (io_tx_burst(ls->port, &buf, 1) == 0)
			io_free(&buf, 1);
	}
	return NULL;
}

static void wait_sleeps_and_wakes(unsigned version)
{
	struct io_port *a = port_open(NS_A, IF_A, version, AFP_TX_RING, false, false, true);
	struct io_port *b = port_open(NS_B, IF_B, version, AFP_TX_RING, false, true, false);
	struct late_send ls = {.port = a, .d = dir_ab(5)};
	uint64_t t0 = it_now_ms();
	pthread_t th;
	int ready;

	cr_assert_geq(b->fd, 0);
	cr_assert_eq(a->fd, -1, "a TX-only port has nothing to wait for");
	ready = io_wait(&b, 1, 100);
	cr_assert_eq(ready, 0, "nothing was sent, yet io_wait returned %d", ready);
	cr_assert_geq(it_now_ms() - t0, 90, "io_wait returned early");

	cr_assert_eq(pthread_create(&th, NULL, send_after_50ms, &ls), 0);
	t0 = it_now_ms();
	ready = io_wait(&b, 1, 2000);
	cr_assert_gt(ready, 0, "io_wait returned %d", ready);
	cr_assert_geq(it_now_ms() - t0, 40, "io_wait woke before the frame was sent");
	cr_assert_lt(it_now_ms() - t0, 1500, "io_wait slept through the frame");
	pthread_join(th, NULL);
	recv_seq(b, &ls.d, 0, 1);
	io_close(a);
	io_close(b);
}

Test(afp, v2_io_wait_times_out_then_wakes_on_a_frame)
{
	wait_sleeps_and_wakes(2);
}

Test(afp, v3_io_wait_times_out_then_wakes_on_a_frame)
{
	wait_sleeps_and_wakes(3);
}

/* ---- forwarding: received frames passed to another port's tx_burst ---- */

/* Moves everything x has received to y; returns how many frames. */
static unsigned forward_once(struct io_port *x, struct io_port *y)
{
	struct io_buf bufs[BURST];
	uint64_t deadline = it_now_ms() + WAIT_MS;
	unsigned n = io_rx_burst(x, bufs, BURST), done = 0;

	while (done < n) {
		done += io_tx_burst(y, bufs + done, n - done);
		cr_assert_lt(it_now_ms(), deadline, "%s: tx_burst stuck", y->name);
	}
	io_flush(y);
	return n;
}

/* A sends; x (on B's end) receives and y sends each frame on, back to A. y may be x. */
static void forward(struct io_port *x, struct io_port *y)
{
	struct io_port *a = port_open(NS_A, IF_A, 2, AFP_TX_SENDMMSG, false, true, true);
	struct dir ab = dir_ab(3);
	unsigned moved = 0;

	for (uint32_t first = 0; first < 300; first += 50) {
		uint64_t deadline = it_now_ms() + WAIT_MS;

		send_seq(a, &ab, first, 50);
		while (moved < first + 50) {
			cr_assert_lt(it_now_ms(), deadline, "forwarded %u of %u", moved,
				     first + 50);
			io_wait(&x, 1, 10);
			moved += forward_once(x, y);
		}
		recv_seq(a, &ab, first, 50);
	}
	cr_assert_eq(moved, 300, "the forwarder saw %u frames: its own transmissions too?", moved);
	cr_assert_eq(count_flow(x, ab.flow, 20), 0, "x received what y sent");
	cr_assert_eq(stats_of(y).tx_pkts, 300);
	io_close(a);
}

Test(afp, v2_forward_to_tx_ring_copies_foreign_buffers)
{
	struct io_port *x = port_open(NS_B, IF_B, 2, AFP_TX_RING, false, true, false);
	struct io_port *y = port_open(NS_B, IF_B, 2, AFP_TX_RING, true, false, true);

	forward(x, y);
	io_close(x);
	io_close(y);
}

Test(afp, v3_forward_to_sendmmsg_sends_foreign_buffers)
{
	struct io_port *x = port_open(NS_B, IF_B, 3, AFP_TX_RING, false, true, false);
	struct io_port *y = port_open(NS_B, IF_B, 2, AFP_TX_SENDMMSG, false, false, true);

	forward(x, y);
	io_close(x);
	io_close(y);
}

Test(afp, v3_reflect_on_the_same_port_through_its_tx_ring)
{
	struct io_port *x = port_open(NS_B, IF_B, 3, AFP_TX_RING, false, true, true);

	forward(x, x);
	io_close(x);
}

/* ---- counters ---- */

Test(afp, stats_count_tx_rx_and_ring_drops)
{
	struct io_port *a = port_open(NS_A, IF_A, 2, AFP_TX_RING, false, false, true);
	struct afp_cfg small = {.ifname = IF_B,
				.netns = NS_B,
				.version = 2,
				.ring_frames = 16,
				.frame_size = FRAME_SIZE,
				.rx = true};
	char err[256];
	struct io_port *b = afp_open(&small, err, sizeof(err));
	struct dir ab = dir_ab(4);
	struct io_stats s1, s2;

	cr_assert_not_null(b, "%s", err);
	send_seq(a, &ab, 0, 10);
	recv_seq(b, &ab, 0, 10);
	/* Nobody reads b now: its 16-frame ring overflows and the kernel counts drops. */
	send_seq(a, &ab, 10, 200);
	usleep(20 * 1000);
	s1 = stats_of(b);
	cr_assert_geq(s1.rx_pkts, 10);
	cr_assert_geq(s1.rx_dropped, 200 - 16, "dropped %llu", (unsigned long long)s1.rx_dropped);
	cr_assert_leq(s1.rx_dropped, 200);
	s2 = stats_of(b);
	cr_assert_eq(s2.rx_dropped, s1.rx_dropped, "the kernel reset its count; we must not");
	cr_assert_eq(stats_of(a).tx_pkts, 210);
	io_close(a);
	io_close(b);
}

/* ---- checksum-offloaded frames ---- */

/* Sends one UDP datagram from the kernel stack of namespace ns. */
static void kernel_udp_send(const char *ns, const char *dst_ip, const void *msg, size_t len)
{
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(9)};
	int saved, fd;

	cr_assert_eq(netns_enter(ns, &saved), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(netns_leave(saved), 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(inet_pton(AF_INET, dst_ip, &dst.sin_addr), 1);
	cr_assert_eq(sendto(fd, msg, len, 0, (struct sockaddr *)&dst, sizeof(dst)), (ssize_t)len);
	close(fd);
}

Test(afp, csum_notready_frames_are_counted_and_complete)
{
	struct io_port *b = port_open(NS_B, IF_B, 2, AFP_TX_RING, false, true, false);
	const char msg[] = "linerate checksum offload probe";
	struct io_buf bufs[BURST];
	uint64_t deadline = it_now_ms() + WAIT_MS;
	bool found = false;

	/* With TX checksum offload on, A's kernel leaves the UDP checksum to "hardware". */
	run_ok((const char *[]){"ip", "netns", "exec", NS_A, "ethtool", "-K", IF_A, "tx", "on",
				NULL});
	kernel_udp_send(NS_A, IP_B, msg, sizeof(msg));
	while (!found) {
		unsigned n;

		cr_assert_lt(it_now_ms(), deadline, "the datagram never came");
		io_wait(&b, 1, 10);
		n = io_rx_burst(b, bufs, BURST);
		for (unsigned i = 0; i < n; i++) {
			struct pkt_udp_view v;

			if (pkt_parse_udp(bufs[i].data, bufs[i].len, &v) == 0 &&
			    v.payload_len == sizeof(msg) && !memcmp(v.payload, msg, sizeof(msg)))
				found = true;
		}
		io_free(bufs, n);
	}
	cr_assert_geq(afp_csum_notready(b), 1, "no frame was marked TP_STATUS_CSUMNOTREADY");
	io_close(b);
}

/* ---- errors ---- */

Test(afp, missing_interface_is_named_with_its_namespace)
{
	char err[256];
	struct afp_cfg cfg = {.ifname = "lr-afpnone",
			      .netns = NS_A,
			      .version = 2,
			      .ring_frames = RING_FRAMES,
			      .frame_size = FRAME_SIZE,
			      .rx = true,
			      .tx = true};

	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, "lr-afpnone"), "message: %s", err);
	cr_assert(it_contains(err, NS_A), "message: %s", err);
	cr_assert(it_contains(err, "not found"), "message: %s", err);
	/* The interface of the other namespace is not visible from this one either. */
	cfg.ifname = IF_B;
	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, IF_B) && it_contains(err, NS_A), "message: %s", err);
}

Test(afp, missing_namespace_is_reported)
{
	char err[256];
	struct afp_cfg cfg = {.ifname = IF_A,
			      .netns = "lr-afp-none",
			      .version = 3,
			      .ring_frames = RING_FRAMES,
			      .frame_size = FRAME_SIZE,
			      .rx = true};

	cr_assert_not(netns_exists("lr-afp-none"));
	cr_assert(netns_exists(NS_A));
	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, "lr-afp-none"), "message: %s", err);
	cr_assert(it_contains(err, "does not exist"), "message: %s", err);
}

Test(afp, bad_settings_are_refused)
{
	char err[256];
	struct afp_cfg cfg = {.ifname = IF_A,
			      .netns = NS_A,
			      .version = 4,
			      .ring_frames = RING_FRAMES,
			      .frame_size = FRAME_SIZE,
			      .rx = true};

	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, "version 4"), "message: %s", err);
	cfg.version = 2;
	cfg.frame_size = 3000;
	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, "power of two"), "message: %s", err);
	cfg.frame_size = FRAME_SIZE;
	cfg.rx = false;
	cr_assert_null(afp_open(&cfg, err, sizeof(err)));
	cr_assert(it_contains(err, "neither rx nor tx"), "message: %s", err);
}
