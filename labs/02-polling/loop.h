/* SPDX-License-Identifier: MIT */
/*
 * loop.h (lab 02, given): a small UDP forwarder loop that uses your idle strategy, and a
 * paced load with latency, both in the lab's private namespace (netns_lab.h). The loop runs
 * in its own thread pinned to core 1; the load runs in the caller's thread on core 0.
 */
#ifndef LAB02_LOOP_H
#define LAB02_LOOP_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "idle.h"

struct lab_loop {
	int in, out;           /* the forwarder's sockets */
	struct sockaddr_in to; /* the sink */
	struct idle idle;
	int (*wait)(struct idle *s, int fd); /* idle_wait, or another implementation of it */
	void (*busy)(struct idle *s);
	atomic_bool stop;
	/* results */
	uint64_t forwarded;
	double cpu_s; /* CPU time of the loop thread (user + system) */
	int err;
	pthread_t thread;
};

/* The lab's four sockets in the private namespace; returns 0 or -1. */
int lab_sockets(int *src, int *in, int *out, int *sink, struct sockaddr_in *a_in,
		struct sockaddr_in *a_sink);
/* Starts the loop thread; returns 0 or -1. */
int lab_loop_start(struct lab_loop *l);
/* Stops it and fills the results. */
void lab_loop_stop(struct lab_loop *l);

struct lab_load {
	uint64_t sent, received;
	double p50_us, p99_us; /* latency from send to arrival at the sink */
};

/* Sends pps datagrams per second for secs from src to a_in, each stamped with its send time,
 * reading the sink between sends, then drains for 50 ms; returns 0 or -1. */
int lab_load_run(int src, const struct sockaddr_in *a_in, int sink, double pps, double secs,
		 struct lab_load *out);

#endif
