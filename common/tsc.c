// SPDX-License-Identifier: MIT
/*
 * tsc.c: calibration of the time-stamp counter against CLOCK_MONOTONIC_RAW. The TSC is read
 * twice around a 50 ms sleep; the ratio of the two deltas is the frequency. Conversions use a
 * base pair (tsc, ns) taken at calibration so tsc_now_ns() stays on one time line.
 */
#include "tsc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CALIBRATE_NS 50000000ULL

static pthread_once_t once = PTHREAD_ONCE_INIT;
static double hz;
static double ns_per_cycle;
static uint64_t base_tsc, base_ns;

uint64_t tsc_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Takes a (tsc, ns) pair as close together as possible: the read with the smallest TSC gap
 * around the clock call wins. */
static void sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		uint64_t a = tsc_read();
		uint64_t t = tsc_mono_ns();
		uint64_t b = tsc_read();

		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = t;
		}
	}
}

static void calibrate(void)
{
	struct timespec nap = {.tv_sec = 0, .tv_nsec = CALIBRATE_NS};
	uint64_t t0, n0, t1, n1;

	sample(&t0, &n0);
	while (nanosleep(&nap, &nap) && errno == EINTR)
		;
	sample(&t1, &n1);
	hz = (double)(t1 - t0) * 1e9 / (double)(n1 - n0);
	ns_per_cycle = 1e9 / hz;
	base_tsc = t1;
	base_ns = n1;
}

int tsc_init(void)
{
	pthread_once(&once, calibrate);
	return hz > 0 ? 0 : -EIO;
}

double tsc_hz(void)
{
	tsc_init();
	return hz;
}

bool tsc_invariant(void)
{
	char line[4096];
	bool constant = false, nonstop = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		constant = strstr(line, " constant_tsc") != NULL;
		nonstop = strstr(line, " nonstop_tsc") != NULL;
		break;
	}
	fclose(f);
	return constant && nonstop;
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	tsc_init();
	return (uint64_t)((double)cycles * ns_per_cycle);
}

uint64_t tsc_from_ns(uint64_t ns)
{
	tsc_init();
	return (uint64_t)((double)ns * hz / 1e9);
}

uint64_t tsc_now_ns(void)
{
	uint64_t now = tsc_read();

	tsc_init();
	if (now < base_tsc)
		return base_ns - (uint64_t)((double)(base_tsc - now) * ns_per_cycle);
	return base_ns + (uint64_t)((double)(now - base_tsc) * ns_per_cycle);
}

uint64_t tsc_wait_until(uint64_t deadline)
{
	uint64_t now;

	while ((now = tsc_read()) < deadline)
		tsc_pause();
	return now;
}
