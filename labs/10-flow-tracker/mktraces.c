// SPDX-License-Identifier: MIT
/*
 * mktraces.c (lab 10, given): writes the crafted traces the grader replays, into the folder
 * given (traces/): each a small pcap of TCP conversations built segment by segment, with the
 * sequence and acknowledgement numbers a real TCP would send. `--echo FILE` also records a live
 * kernel TCP echo (live_given.c; root). test_tracker.c says which events each trace must raise.
 *
 *   handshake_close  one connection: handshake, data both ways, FIN and ACK from each side
 *   reset            one established connection reset by the server; one refused (RST to SYN)
 *   timeout          a SYN never answered (retransmitted), an idle established connection,
 *                    one whose last ACK was lost
 *   wrap             sequence numbers wrap past 2^32 at the FIN; the client's first FIN is lost
 *                    past the middlebox, and the server's ACK short of it must not close the
 *                    flow
 *   mixed            40 connections interleaved (closed, reset, refused, SYN retransmitted),
 *                    and 5 segments of a connection whose SYN is not in the trace
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "live.h"
#include "pkt.h"

#define MAX_PKTS 1024
#define SERVER   0xc6121401u /* 198.18.20.1 */
#define CLIENT   0xc6120a01u /* 198.18.10.1 */

struct rec {
	uint64_t ts;
	unsigned order; /* keeps equal times in the order made */
	uint16_t len;
	uint8_t data[54 + 64];
};

static struct rec pkts[MAX_PKTS];
static unsigned n_pkts;

struct conv {
	uint16_t cport, sport;
	uint32_t cseq, sseq; /* the next sequence number of each side */
	uint64_t t, step;    /* the next segment's time, and the gap between segments */
};

static void conv_init(struct conv *v, uint16_t cport, uint32_t cisn, uint32_t sisn, uint64_t t0)
{
	*v = (struct conv){cport, 7, cisn, sisn, t0, 200000};
}

/* One segment; ACK segments carry the other side's next sequence number. */
static void seg(struct conv *v, int from_client, uint8_t flags, uint16_t len)
{
	struct rec *r = &pkts[n_pkts];
	uint32_t *seq = from_client ? &v->cseq : &v->sseq, ack = from_client ? v->sseq : v->cseq;

	if (n_pkts == MAX_PKTS)
		exit(1);
	r->len = (uint16_t)ft_frame_build(
		r->data, from_client ? CLIENT : SERVER, from_client ? SERVER : CLIENT,
		from_client ? v->cport : v->sport, from_client ? v->sport : v->cport, *seq,
		flags & PKT_TCP_ACK ? ack : 0, flags, len);
	r->ts = v->t;
	r->order = n_pkts++;
	v->t += v->step;
	*seq += len + !!(flags & PKT_TCP_SYN) + !!(flags & PKT_TCP_FIN);
}

/* The segment just made is lost: not in the trace (its sequence space stays used). */
static void lose(void)
{
	n_pkts--;
}

/* The segment just made is sent again (same numbers) after gap ns. */
static void again(struct conv *v, uint64_t gap)
{
	pkts[n_pkts] = pkts[n_pkts - 1];
	pkts[n_pkts].ts = pkts[n_pkts - 1].ts + gap;
	pkts[n_pkts].order = n_pkts;
	n_pkts++;
	v->t += gap;
}

static void handshake(struct conv *v)
{
	seg(v, 1, PKT_TCP_SYN, 0);
	seg(v, 0, PKT_TCP_SYN | PKT_TCP_ACK, 0);
	seg(v, 1, PKT_TCP_ACK, 0);
}

static void echo(struct conv *v, uint16_t len)
{
	seg(v, 1, PKT_TCP_PSH | PKT_TCP_ACK, len);
	seg(v, 0, PKT_TCP_PSH | PKT_TCP_ACK, len);
	seg(v, 1, PKT_TCP_ACK, 0);
}

static void close_both(struct conv *v)
{
	seg(v, 1, PKT_TCP_FIN | PKT_TCP_ACK, 0);
	seg(v, 0, PKT_TCP_ACK, 0);
	seg(v, 0, PKT_TCP_FIN | PKT_TCP_ACK, 0);
	seg(v, 1, PKT_TCP_ACK, 0);
}

static int by_time(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->order < y->order ? -1 : 1;
}

/* Writes what was made, in time order, to dir/name.pcap; starts the next trace. */
static int flush(const char *dir, const char *name)
{
	char path[512];
	pcap_t *dead =
		pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 256, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	if (!dead || !(d = pcap_dump_open(dead, path))) {
		fprintf(stderr, "mktraces: cannot write %s: %s\n", path,
			dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		return -1;
	}
	qsort(pkts, n_pkts, sizeof(pkts[0]), by_time);
	for (unsigned i = 0; i < n_pkts; i++) {
		struct pcap_pkthdr h = {.caplen = pkts[i].len, .len = pkts[i].len};

		h.ts.tv_sec = (time_t)(pkts[i].ts / 1000000000);
		h.ts.tv_usec = (suseconds_t)(pkts[i].ts % 1000000000); /* ns: a nanosecond file */
		pcap_dump((u_char *)d, &h, pkts[i].data);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	printf("mktraces: %s: %u frames\n", path, n_pkts);
	n_pkts = 0;
	return 0;
}

#define T0 1700000000000000000ull /* capture times start in November 2023 */

static void make_simple(struct conv *v)
{
	conv_init(v, 40000, 1000, 5000, T0);
	handshake(v);
	echo(v, 40);
	close_both(v);
}

static void make_reset(struct conv *v)
{
	conv_init(v, 40001, 2000, 6000, T0);
	handshake(v);
	echo(v, 20);
	seg(v, 0, PKT_TCP_RST | PKT_TCP_ACK, 0);
	conv_init(v, 40002, 3000, 7000, T0 + 10000000);
	seg(v, 1, PKT_TCP_SYN, 0);
	seg(v, 0, PKT_TCP_RST | PKT_TCP_ACK, 0); /* connection refused */
}

static void make_timeout(struct conv *v)
{
	conv_init(v, 40003, 4000, 0, T0);
	seg(v, 1, PKT_TCP_SYN, 0); /* never answered: sent again after 1 s and 2 s more */
	again(v, 1000000000);
	again(v, 2000000000);
	conv_init(v, 40004, 5000, 9000, T0 + 100000000);
	handshake(v);
	echo(v, 10); /* then idle */
	conv_init(v, 40005, 6000, 11000, T0 + 200000000);
	handshake(v);
	close_both(v);
	lose(); /* the client's last ACK */
}

static void make_wrap(struct conv *v)
{
	conv_init(v, 40006, 0xffffff00u, 0xfffffff0u, T0);
	handshake(v);
	/* 254 bytes from the client: its FIN at 0xffffffff, acknowledged by ack 0 */
	seg(v, 1, PKT_TCP_PSH | PKT_TCP_ACK, 62);
	seg(v, 0, PKT_TCP_ACK, 0);
	for (unsigned i = 0; i < 3; i++)
		seg(v, 1, PKT_TCP_PSH | PKT_TCP_ACK, 64);
	seg(v, 0, PKT_TCP_PSH | PKT_TCP_ACK, 15); /* the server's FIN at 0, acked by 1 */
	/* the client's FIN, lost past the middlebox: the tracker sees it, the server does not, */
	seg(v, 1, PKT_TCP_FIN | PKT_TCP_ACK, 0);
	v->cseq--; /* so the server's FIN acks 0xffffffff: short of the FIN */
	seg(v, 0, PKT_TCP_FIN | PKT_TCP_ACK, 0);
	v->cseq++;
	seg(v, 1, PKT_TCP_ACK, 0); /* the client acks the server's FIN */
	v->cseq--;
	seg(v, 1, PKT_TCP_FIN | PKT_TCP_ACK, 0); /* the client's FIN again */
	seg(v, 0, PKT_TCP_ACK, 0);               /* acked: 0, across the wrap; closed here */
}

static void make_mixed(struct conv *v)
{
	for (unsigned i = 0; i < 40; i++) {
		conv_init(v, (uint16_t)(41000 + i), 100000u * i, 0x80000000u + 77777u * i,
			  T0 + i * 700000ull);
		v->step = 150000 + 10000 * (i % 7);
		switch (i % 4) {
		case 0: /* closed */
			handshake(v);
			echo(v, (uint16_t)(1 + i % 30));
			close_both(v);
			break;
		case 1: /* reset after some data */
			handshake(v);
			echo(v, 8);
			seg(v, i % 8 == 1, PKT_TCP_RST | PKT_TCP_ACK, 0);
			break;
		case 2: /* refused */
			seg(v, 1, PKT_TCP_SYN, 0);
			seg(v, 0, PKT_TCP_RST | PKT_TCP_ACK, 0);
			break;
		default: /* the SYN and the SYN+ACK sent twice, then closed by the server first */
			seg(v, 1, PKT_TCP_SYN, 0);
			again(v, 300000);
			seg(v, 0, PKT_TCP_SYN | PKT_TCP_ACK, 0);
			again(v, 100000);
			seg(v, 1, PKT_TCP_ACK, 0);
			echo(v, 12);
			seg(v, 0, PKT_TCP_FIN | PKT_TCP_ACK, 0);
			seg(v, 1, PKT_TCP_FIN | PKT_TCP_ACK, 0);
			seg(v, 0, PKT_TCP_ACK, 0);
			break;
		}
	}
	conv_init(v, 45000, 123456, 654321, T0 + 5000000);
	for (unsigned i = 0; i < 5; i++) /* mid-stream: this connection began before the trace */
		seg(v, i % 2, PKT_TCP_PSH | PKT_TCP_ACK, 16);
}

int main(int argc, char **argv)
{
	struct conv v;
	const char *dir = argc > 1 ? argv[1] : "traces";

	if (argc == 3 && !strcmp(argv[1], "--echo")) {
		struct ft ft;
		long n;

		if (ft_init(&ft, 64, NULL, NULL))
			return 1;
		n = ft_live_echo(&ft, 8, 3000, argv[2]);
		ft_fini(&ft);
		printf("mktraces: %s: %ld frames of a live kernel TCP echo\n", argv[2], n);
		return n > 0 ? 0 : 1;
	}
	make_simple(&v);
	if (flush(dir, "handshake_close"))
		return 1;
	make_reset(&v);
	flush(dir, "reset");
	make_timeout(&v);
	flush(dir, "timeout");
	make_wrap(&v);
	flush(dir, "wrap");
	make_mixed(&v);
	return flush(dir, "mixed") ? 1 : 0;
}
