/* SPDX-License-Identifier: MIT */
/*
 * runner.h: the generic point runner behind `linerate bench` and `linerate run`. It starts
 * programs in their own process groups with their output in files, waits with timeouts, stops
 * them with SIGINT and then SIGKILL to the whole group, reads the result rows they print
 * (the common schema of docs/results.md, CSV or JSON lines), and runs one trial of one
 * experiment point: the device under test (DUT) in the background until it is ready, the
 * generator in the foreground, then the DUT is stopped and its own final row is read. Both
 * rows go to results.csv with the same trial id.
 *
 * It also owns the stop flag that SIGINT, SIGTERM, SIGHUP and SIGQUIT set, so every wait
 * in the harness returns soon after a Ctrl-C, and the session (bench.c) tears down.
 */
#ifndef LR_BENCH_RUNNER_H
#define LR_BENCH_RUNNER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"
#include "experiments.h"
#include "results.h"

/* Exit code of a session stopped by SIGINT/SIGTERM: what a shell reports for Ctrl-C (128 + 2);
 * the results measured before the signal are kept and reported. */
#define RUNNER_EXIT_INTERRUPTED 130

/* A started program. */
struct runner_proc {
	pid_t pid;   /* also its process group id; 0 when not started */
	int status;  /* exit code, 128 + N if killed by signal N; -1 while it runs */
	double t0_s; /* start time on CLOCK_MONOTONIC, seconds */
};

/* Installs the handlers that set the stop flag (SIGINT, SIGTERM, SIGHUP, SIGQUIT). */
void runner_signals_install(void);
/* Returns true once a stop signal arrived. */
bool runner_stop_requested(void);
/* Returns the signal that set the stop flag, 0 if none. */
int runner_stop_signal(void);
/* Returns CLOCK_MONOTONIC in seconds. */
double runner_now(void);
/* Sleeps up to seconds, returning early when the stop flag gets set. */
void runner_sleep(double seconds);

/* Starts argv[0] (a path) with argv in its own process group, inside network namespace ns
 * (NULL or "": the current one), stdin from /dev/null, stdout to out_path and stderr to
 * err_path (created or truncated); the child dies with the harness (PR_SET_PDEATHSIG).
 * Returns 0 or -errno (a program that cannot be executed exits 127). */
int runner_start(struct runner_proc *p, char *const argv[], const char *ns, const char *out_path,
		 const char *err_path);
/* Reaps p if it exited; returns true when it is no longer running. */
bool runner_done(struct runner_proc *p);
/* Waits until p exits, timeout_s passes or (when stoppable) the stop flag is set; returns
 * true if it exited. */
bool runner_wait(struct runner_proc *p, double timeout_s, bool stoppable);
/* Stops p: sig to its process group, up to grace_s for it to exit, then SIGKILL to the group;
 * also kills what is left of the group after the leader exits. Returns p->status. */
int runner_stop(struct runner_proc *p, int sig, double grace_s);

/* CPU time (user + system, all threads) process pid has run so far, in ns, from the
 * scheduler's per-thread counters (/proc/PID/task/TID/schedstat: ns, not 10 ms ticks); -1
 * when pid is gone or the counters cannot be read. */
int64_t runner_cpu_ns(pid_t pid);
/* Reads `linerate ringbench --format csv` output into rows of the common schema (items are
 * counted where packets are; Mops/s becomes items/s); returns rows found or -ENOMEM. */
int runner_parse_ringbench(const char *text, struct res_row **rows, size_t *n);
/* Where a session writes: the run directory and its files. */
struct runner_out {
	char dir[PATH_MAX];    /* results/<timestamp> */
	char bindir[PATH_MAX]; /* where the programs are (beside linerate) */
	struct res_file *results;
	struct exp_trial *trials; /* points.csv, rewritten after every trial */
	size_t ntrials, cap;
	bool dry_run; /* print the commands instead of running them */
};

/* Writes the directory of the running linerate binary into buf; returns 0 or -errno. */
int runner_bindir(char *buf, size_t len);

/* Opens dir as a run directory: creates dir and dir/raw, opens results.csv and points.csv.
 * Returns 0 or -errno. */
int runner_out_open(struct runner_out *o, const char *dir);
/* Closes the run directory's files (they are always complete on disk). */
void runner_out_close(struct runner_out *o);

/* Returns true when every program of pt exists (beside linerate or in PATH); otherwise
 * writes "PROG not built (...)" into reason. */
bool runner_point_runnable(const struct runner_out *o, const struct exp_point *pt, char *reason,
			   size_t len);
/* Records one trial of pt as skipped (nothing runs) with the given reason in points.csv;
 * returns 0 or -errno. */
int runner_skip_point(struct runner_out *o, const struct exp_point *pt, unsigned trial,
		      unsigned repeat, const char *reason, struct exp_trial *t);

/* Runs one trial of point pt (trial id and repeat given), records its rows in results.csv and
 * its outcome in points.csv (both rewritten atomically), and fills *t. Returns 0, or -errno
 * when the results could not be written. */
int runner_run_point(struct runner_out *o, const struct exp_point *pt, unsigned trial,
		     unsigned repeat, struct exp_trial *t);

/* The options of a bench session (bench.c), shared by `linerate bench` and `linerate run`. */
struct bench_opts {
	const char *out;      /* results base directory: <out>/<timestamp>, <out>/latest */
	const char *plots;    /* the gnuplot scripts' directory, NULL to find plots/ */
	const char *only;     /* run only series whose name contains this, NULL for all */
	const char *sizes;    /* frame sizes overriding size sweeps, NULL for the table's */
	const char *duration; /* trial length overriding the profile's, NULL for the table's */
	int profile;          /* enum exp_profile */
	long repeat;          /* repeats per point, 0 for the profile's */
	long hugepages;       /* 2 MB pages to reserve during the session */
	const char *ports;    /* the ports profile (--ports), NULL for the lr- topology */
	bool no_doctor, keep_topo, dry_run;
};

/* Runs a session (bench.c): doctor, topology and huge pages up, the named experiments (all
 * when n is 0) with a progress display, teardown on every path, then plots and the report.
 * argc/argv is the command line for meta.json. Returns an exit code of lr.h or
 * RUNNER_EXIT_INTERRUPTED. */
int bench_session(const struct bench_opts *o, const char *const *names, unsigned n, int argc,
		  char **argv);
/* Appends the session options to t. */
void bench_cli_options(struct bench_opts *o, struct cli_options *t);

#endif
