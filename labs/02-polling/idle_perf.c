// SPDX-License-Identifier: MIT
/*
 * idle_perf.c (lab 02, given): latency and CPU vs offered load for the three idle strategies,
 * yours and the reference's interleaved in one run. The loop runs on core 1, the paced load
 * on core 0, WINDOW_S per point. Writes perf.dat for plot.gp (load, then for block, spin and
 * hybrid: your p50 us, p99 us, CPU %, the reference's p50 us, CPU %) and prints the same.
 * The reference runs twice per point, before and after yours; a point where its two p50s differ
 * by more than half is not graded (the machine was busy), and with fewer than 5 graded points
 * the grade is UNDECIDED. Grade:
 * at every load, each of your strategies within 2x + 10 us of the reference's p50 and within
 * 15 points of its CPU: PASS; the crossover (the lowest load at which blocking's p50 is within
 * 20% of spinning's) is printed for your writeup.
 */
#include <math.h>
#include <stdio.h>

#include "idle.h"
#include "loop.h"

#define WINDOW_S 0.3

int ref_idle_wait(struct idle *s, int fd);
void ref_idle_busy(struct idle *s);

static const double loads[] = {1000, 5000, 20000, 50000, 100000};
static const char *const names[] = {"block", "spin", "hybrid"};
static int src, in, out, sink;
static struct sockaddr_in a_in, a_sink;

struct fig {
	double p50, p99, cpu;
};

static int point(enum idle_mode mode, double pps, bool ref, struct fig *f)
{
	struct lab_loop l = {.in = in, .out = out, .to = a_sink};
	struct lab_load load;

	l.idle = (struct idle){.mode = mode, .spin_rounds = 2000, .timeout_ms = 20};
	l.wait = ref ? ref_idle_wait : idle_wait;
	l.busy = ref ? ref_idle_busy : idle_busy;
	if (lab_loop_start(&l))
		return -1;
	if (lab_load_run(src, &a_in, sink, pps, WINDOW_S, &load)) {
		lab_loop_stop(&l);
		return -1;
	}
	lab_loop_stop(&l);
	if (l.err || !load.received)
		return -1;
	*f = (struct fig){load.p50_us, load.p99_us, 100 * l.cpu_s / (WINDOW_S + 0.05)};
	return 0;
}

int main(void)
{
	struct fig y[5][3], r[5][3], r2;
	int bad = 0, graded = 0, crossover = -1;
	FILE *dat;

	if (lab_sockets(&src, &in, &out, &sink, &a_in, &a_sink) || !(dat = fopen("perf.dat", "w")))
		return 2;
	printf("%8s  %-7s %22s   %22s\n", "load/s", "mode", "yours p50/p99 us, CPU%",
	       "reference p50/p99, CPU%");
	for (unsigned i = 0; i < 5; i++) {
		fprintf(dat, "%.0f", loads[i]);
		for (unsigned m = 0; m < 3; m++) {
			bool noisy;

			if (point(m, loads[i], true, &r[i][m]) ||
			    point(m, loads[i], false, &y[i][m]) || point(m, loads[i], true, &r2)) {
				fprintf(stderr,
					"idle_perf: %s at %.0f/s failed (make check first)\n",
					names[m], loads[i]);
				return 1;
			}
			printf("%8.0f  %-7s %7.1f %7.1f %6.0f%%   %7.1f %7.1f %6.0f%%\n", loads[i],
			       names[m], y[i][m].p50, y[i][m].p99, y[i][m].cpu, r[i][m].p50,
			       r[i][m].p99, r[i][m].cpu);
			fprintf(dat, " %.2f %.2f %.1f %.2f %.1f", y[i][m].p50, y[i][m].p99,
				y[i][m].cpu, r[i][m].p50, r[i][m].cpu);
			/* the reference measured twice, around yours: when its two p50s
			 * differ by more than half (and 20 us), the machine is too noisy here
			 * to grade this point */
			noisy = fabs(r2.p50 - r[i][m].p50) >
				fmax(20, 0.5 * fmin(r2.p50, r[i][m].p50));
			if (noisy) {
				printf("          ^ not graded: the reference itself gave p50 %.1f "
				       "and "
				       "%.1f us\n",
				       r[i][m].p50, r2.p50);
				continue;
			}
			if (r2.p50 < r[i][m].p50)
				r[i][m] = r2;
			graded++;
			if (y[i][m].p50 > 2 * r[i][m].p50 + 10 || y[i][m].cpu > r[i][m].cpu + 15) {
				printf("          ^ yours is off the reference here\n");
				bad = 1;
			}
		}
		fprintf(dat, "\n");
		if (crossover < 0 && y[i][IDLE_BLOCK].p50 <= 1.2 * y[i][IDLE_SPIN].p50)
			crossover = (int)i;
	}
	fclose(dat);
	if (crossover >= 0)
		printf("crossover: from %.0f datagrams/s blocking's p50 is within 20%% of "
		       "spinning's\n",
		       loads[crossover]);
	else
		printf("crossover: blocking's p50 stayed more than 20%% above spinning's at every "
		       "load\n");
	if (graded < 5) {
		printf("UNDECIDED: only %d of 15 points were quiet enough to grade (is another job "
		       "running? rerun on a quiet machine)\n",
		       graded);
		return 3;
	}
	printf("%s (%d of 15 points graded)\n",
	       bad ? "FAIL (a strategy is off the reference measured in this run)"
		   : "PASS (every graded strategy within 2x + 10 us and 15 CPU points of the "
		     "reference in this run)",
	       graded);
	return bad;
}
