// SPDX-License-Identifier: MIT
/*
 * echo_perf.c (lab 08, given): the echo at 0 to 5% loss, with your parts and with the
 * reference's, in one run. Per loss rate, SEEDS runs each (the same link randomness for both
 * TCPs), interleaved; it prints and writes (user-tcp.dat) the mean goodput in simulated time,
 * the segments resent and the timeouts per run, and the CPU time per echoed byte. The grade
 * compares yours with the reference of the same run: PASS when every byte of every run came
 * back right, and at every loss rate your goodput reaches 90% of the reference's and your
 * retransmissions stay within 1.25 times the reference's (+2). The CPU time is measured on a
 * shared machine and printed, not graded.
 */
#include <stdio.h>
#include <time.h>

#include "echo.h"

#define SEEDS 8
#define BYTES (1024 * 1024)

bool ref_echo_run(const struct echo_cfg *cfg, struct echo_result *res);
void ref_echo_cfg_default(struct echo_cfg *cfg);

struct tally {
	double goodput, rexmit, timeouts, cpu_ns;
	unsigned bad;
};

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void one(bool (*run)(const struct echo_cfg *, struct echo_result *),
		const struct echo_cfg *cfg, struct tally *t, const char *who)
{
	struct echo_result r;
	double t0 = cpu_ns();
	bool ok = run(cfg, &r);

	t->cpu_ns += (cpu_ns() - t0) / cfg->bytes / SEEDS;
	if (!ok) {
		t->bad++;
		fprintf(stderr, "%s: loss %.0f%%, seed %lu: %s (at byte %u of %u)\n", who,
			cfg->loss * 100, (unsigned long)cfg->seed, r.why, r.checked, cfg->bytes);
		return;
	}
	t->goodput += (double)cfg->bytes / ((double)r.sim_ns / 1e9) / 1e6 / SEEDS;
	t->rexmit += (double)(r.a.rexmit_segs + r.b.rexmit_segs) / SEEDS;
	t->timeouts += (double)(r.a.timeouts + r.b.timeouts) / SEEDS;
}

int main(void)
{
	FILE *dat = fopen("user-tcp.dat", "w");
	bool pass = true;

	printf("echo of %u bytes through the in-memory link (5 ms + 0..2 ms each way), mean of "
	       "%u seeds per loss rate, yours | reference:\n",
	       BYTES, SEEDS);
	printf("%5s %21s %21s %17s %21s\n", "loss", "goodput (MB/s sim)", "segments resent",
	       "timeouts", "CPU ns per byte");
	if (dat)
		fprintf(dat, "# loss%% goodput_yours goodput_ref rexmit_yours rexmit_ref "
			     "timeouts_yours timeouts_ref cpu_ns_yours cpu_ns_ref\n");
	for (unsigned pct = 0; pct <= 5; pct++) {
		struct tally y = {0}, ref = {0};
		bool ok;

		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct echo_cfg cfg;

			ref_echo_cfg_default(&cfg);
			cfg.bytes = BYTES;
			cfg.loss = pct / 100.0;
			cfg.seed = seed;
			one(echo_run, &cfg, &y, "yours");
			one(ref_echo_run, &cfg, &ref, "reference");
		}
		ok = !y.bad && y.goodput >= 0.9 * ref.goodput && y.rexmit <= 1.25 * ref.rexmit + 2;
		pass &= ok;
		printf("%4u%% %10.3f|%-10.3f %10.1f|%-10.1f %8.1f|%-8.1f %10.1f|%-10.1f %s\n", pct,
		       y.goodput, ref.goodput, y.rexmit, ref.rexmit, y.timeouts, ref.timeouts,
		       y.cpu_ns, ref.cpu_ns,
		       ok      ? "ok"
		       : y.bad ? "FAIL: bytes lost or wrong"
			       : "FAIL");
		if (dat)
			fprintf(dat, "%u %.4f %.4f %.2f %.2f %.2f %.2f %.2f %.2f\n", pct, y.goodput,
				ref.goodput, y.rexmit, ref.rexmit, y.timeouts, ref.timeouts,
				y.cpu_ns, ref.cpu_ns);
	}
	if (dat)
		fclose(dat);
	printf("%s\n", pass ? "PASS: every byte back at every loss rate; goodput >= 90% and "
			      "retransmissions <= 1.25x (+2) of the reference in this run"
			    : "FAIL: see the rows marked FAIL (make check says which task)");
	return pass ? 0 : 1;
}
