// SPDX-License-Identifier: MIT
/*
 * live_given.c (lab 10, given): a live check. In a network namespace of its own (lo only,
 * 198.18.3.1; root), it captures lo with libpcap while a kernel TCP echo runs: conns
 * connections one after the other, each sending bytes and reading them back, then closing.
 * What was captured is tracked by ft and, when pcap_out is set, written to that file (the
 * shipped traces/echo.pcap was made this way).
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flow.h"
#include "live.h"
#include "netns_lab.h"

#define ECHO_PORT 7007

struct server {
	int fd;
	unsigned conns;
};

static void *echo_server(void *arg)
{
	struct server *s = arg;
	char buf[4096];

	for (unsigned i = 0; i < s->conns; i++) {
		int c = accept(s->fd, NULL, NULL);
		ssize_t n;

		if (c < 0)
			break;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			if (write(c, buf, (size_t)n) != n)
				break;
		close(c);
	}
	return NULL;
}

/* One client connection: bytes out, the same bytes back, close. Returns 0 or -1. */
static int echo_client(const struct sockaddr_in *addr, unsigned bytes)
{
	char out[1000], in[1000];
	int fd = socket(AF_INET, SOCK_STREAM, 0), ret = -1;

	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof(*addr)))
		goto out;
	for (unsigned done = 0; done < bytes;) {
		size_t n = bytes - done < sizeof(out) ? bytes - done : sizeof(out), got = 0;

		for (size_t i = 0; i < n; i++)
			out[i] = (char)('A' + (done + i) % 26);
		if (write(fd, out, n) != (ssize_t)n)
			goto out;
		while (got < n) {
			ssize_t r = read(fd, in + got, n - got);

			if (r <= 0)
				goto out;
			got += (size_t)r;
		}
		if (memcmp(in, out, n))
			goto out;
		done += (unsigned)n;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

static pcap_t *open_capture(void)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_create("lo", err);

	if (!pc) {
		fprintf(stderr, "live: pcap_create(lo): %s\n", err);
		return NULL;
	}
	pcap_set_snaplen(pc, 128); /* headers are all the tracker reads */
	pcap_set_immediate_mode(pc, 1);
	pcap_set_buffer_size(pc, 4 << 20);
	pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_activate(pc) < 0 || pcap_setnonblock(pc, 1, err)) {
		fprintf(stderr, "live: capturing on lo: %s\n", pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	return pc;
}

struct drain {
	struct ft *ft;
	pcap_dumper_t *dump;
	long frames;
};

static void on_frame(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct drain *d = (struct drain *)arg;
	struct ft_pkt p;
	uint64_t now = (uint64_t)h->ts.tv_sec * 1000000000 + (uint64_t)h->ts.tv_usec;

	if (d->dump)
		pcap_dump((u_char *)d->dump, h, data);
	if (!ft_parse(data, h->caplen, now, &p))
		ft_packet(d->ft, &p);
	d->frames++;
}

long ft_live_echo(struct ft *ft, unsigned conns, unsigned bytes, const char *pcap_out)
{
	struct sockaddr_in addr;
	struct server s = {.conns = conns};
	struct drain d = {.ft = ft};
	pthread_t t;
	pcap_t *pc;
	int one = 1, failed = 0;

	if (lab_netns_enter() || !(pc = open_capture()))
		return -1;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(ECHO_PORT);
	inet_pton(AF_INET, LAB_IP, &addr.sin_addr);
	s.fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s.fd < 0 || bind(s.fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(s.fd, 16) ||
	    pthread_create(&t, NULL, echo_server, &s)) {
		perror("live: the echo server");
		pcap_close(pc);
		return -1;
	}
	if (pcap_out && !(d.dump = pcap_dump_open(pc, pcap_out)))
		fprintf(stderr, "live: %s: %s\n", pcap_out, pcap_geterr(pc));
	for (unsigned i = 0; i < conns; i++) {
		failed |= echo_client(&addr, bytes);
		pcap_dispatch(pc, -1, on_frame, (u_char *)&d);
	}
	pthread_join(t, NULL);
	close(s.fd);
	/* the last FINs and ACKs: read until the capture has been quiet for 100 ms */
	for (int quiet = 0; quiet < 10;) {
		if (pcap_dispatch(pc, -1, on_frame, (u_char *)&d) > 0)
			quiet = 0;
		else {
			quiet++;
			usleep(10000);
		}
	}
	if (d.dump)
		pcap_dump_close(d.dump);
	pcap_close(pc);
	if (failed) {
		fprintf(stderr, "live: an echo connection failed\n");
		return -1;
	}
	return d.frames;
}
