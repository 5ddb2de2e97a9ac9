/* SPDX-License-Identifier: MIT */
/*
 * echo.h (lab 08, given): two lab TCP endpoints in one process, talking through an in-memory
 * link that delays, reorders and loses segments, on a simulated clock. A (the client) sends
 * a pattern of bytes, B echoes every byte back, A checks each one that comes back. Nothing
 * sleeps: the clock jumps to the next arrival or timer, so seconds of simulated time take
 * milliseconds, and a run is the same every time for the same seed.
 */
#ifndef LAB08_ECHO_H
#define LAB08_ECHO_H

#include <stdbool.h>
#include <stdint.h>

#include "utcp.h"

struct echo_cfg {
	uint32_t bytes;         /* echoed through and back */
	double loss;            /* probability that the link loses a segment, each direction */
	uint64_t delay_ns;      /* one-way delay ... */
	uint64_t jitter_ns;     /* ... plus a uniform 0..jitter: segments overtake each other */
	uint64_t seed;          /* the link's random numbers */
	uint32_t iss_a, iss_b;  /* initial sequence numbers (near 2^32 to cross the wrap) */
	uint64_t time_limit_ns; /* simulated time before the run is given up */
};

struct echo_result {
	bool ok;             /* every byte came back, each one right */
	const char *why;     /* what went wrong, when !ok */
	uint32_t checked;    /* bytes that came back and were checked */
	uint32_t bad_offset; /* the first wrong byte, when why says so */
	uint64_t sim_ns;     /* simulated time until the last byte came back */
	uint64_t link_segs, link_lost;
	struct utcp_stats a, b; /* each endpoint's counters */
	uint64_t srtt_a, rto_a; /* A's estimate at the end */
};

/* The byte at offset i of the stream A sends. */
uint8_t echo_pattern(uint32_t i);
/* Defaults for the lab: 5 ms +- 2 ms each way, 2% loss, ISNs just below 2^32. */
void echo_cfg_default(struct echo_cfg *cfg);
/* Runs one echo; fills res and returns res->ok. */
bool echo_run(const struct echo_cfg *cfg, struct echo_result *res);

#endif
