// SPDX-License-Identifier: MIT
/*
 * runner.c: the generic point runner. One trial of one point is always the same story,
 * whatever the experiment: start the DUT in the background (its own process group, output in
 * raw/), wait until it says it is ready, run the generator with a timeout, stop the DUT with
 * SIGINT so it prints its own final row, read both programs' rows and record them in
 * results.csv under one trial id, and the trial's outcome in points.csv. A program that is
 * not built makes the point "skipped" (nothing is faked); a stop signal makes it
 * "interrupted" and its partial rows are left out of results.csv (they stay in raw/).
 *
 * Decisions:
 * - Children get their own process group, so a terminal's Ctrl-C reaches only the harness,
 *   which then stops them in order (generator first, then the DUT) and kills whatever is
 *   left of each group. PR_SET_PDEATHSIG makes them die with the harness if it is killed.
 * - Output goes to files, not pipes: nothing can block on a full pipe, readiness is seen by
 *   reading the files, and the raw output stays for later inspection.
 * - The harness overwrites only experiment, trial and repeat in a program's row; every
 *   figure is the program's own, but for one the harness alone can take: a DUT's CPU over
 *   the generator's run (cpu_window_pct), read from the scheduler's counters.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "lr.h"
#include "netns.h"
#include "runner.h"
#include "stop.h"
#include "tapbr.h"
#include "topo.h"
#include "topo_defs.h"

#define POLL_S        0.01 /* how often waits look at their processes */
#define READY_TIMEOUT 30.0 /* the longest a DUT may take to get ready (DPDK EAL init) */
#define GEN_GRACE_S   3.0  /* SIGINT -> SIGKILL for the generator */
#define DUT_GRACE_S   5.0  /* SIGINT -> SIGKILL for the DUT: time to print its final row */
#define MAX_ARGS      96
#define TAIL_LEN      200 /* characters of a program's stderr quoted in a reason */

/* snprintf() for messages that may be cut short on purpose (reasons, notes). */
static void __attribute__((format(printf, 3, 4)))
fmt_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* ---- Stop flag and clock ----------------------------------------------------------------- */

void runner_signals_install(void)
{
	const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

	lr_stop_catch(sigs, ARRAY_SIZE(sigs)); /* best effort */
}

bool runner_stop_requested(void)
{
	return lr_stop != 0;
}

int runner_stop_signal(void)
{
	return lr_stop;
}

double runner_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};

	nanosleep(&ts, NULL); /* a signal cuts it short: the callers look at the flag */
}

void runner_sleep(double seconds)
{
	double end = runner_now() + seconds;

	while (!runner_stop_requested() && runner_now() < end)
		nap(POLL_S);
}

/* ---- Processes --------------------------------------------------------------------------- */

/* The child side of runner_start(): never returns. */
static void __attribute__((noreturn))
child_exec(char *const argv[], const char *ns, int out, int err, pid_t parent)
{
	const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	int null = open("/dev/null", O_RDONLY), saved;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* the harness died before prctl took effect */
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (ns && *ns && netns_enter(ns, &saved)) {
		dprintf(2, "linerate: cannot enter network namespace %s (run 'linerate topo up')\n",
			ns);
		_exit(127);
	}
	execv(argv[0], argv);
	dprintf(2, "linerate: cannot execute %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int runner_start(struct runner_proc *p, char *const argv[], const char *ns, const char *out_path,
		 const char *err_path)
{
	int out, err, ret = 0;
	pid_t pid, self = getpid();

	p->pid = 0;
	p->status = -1;
	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		return -errno;
	err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (err < 0) {
		ret = -errno;
		goto err_close_out;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto err_close_err;
	}
	if (pid == 0)
		child_exec(argv, ns, out, err, self);
	setpgid(pid, pid); /* also here, so the group exists before any kill */
	p->pid = pid;
	p->t0_s = runner_now();
err_close_err:
	close(err);
err_close_out:
	close(out);
	return ret;
}

bool runner_done(struct runner_proc *p)
{
	int status;
	pid_t r;

	if (!p->pid || p->status >= 0)
		return true;
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == 0)
		return false;
	if (r < 0)
		p->status = 127; /* not our child any more: treat as gone */
	else
		p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return true;
}

bool runner_wait(struct runner_proc *p, double timeout_s, bool stoppable)
{
	double end = runner_now() + timeout_s;

	for (;;) {
		if (runner_done(p))
			return true;
		if ((stoppable && runner_stop_requested()) || runner_now() >= end)
			return false;
		nap(POLL_S);
	}
}

int runner_stop(struct runner_proc *p, int sig, double grace_s)
{
	if (!p->pid)
		return p->status;
	if (!runner_done(p)) {
		kill(-p->pid, sig);
		if (!runner_wait(p, grace_s, false)) {
			pr_warn("pid %d did not exit %.0f s after signal %d: killing its process "
				"group",
				(int)p->pid, grace_s, sig);
			kill(-p->pid, SIGKILL);
			runner_wait(p, 10.0, false);
		}
	}
	kill(-p->pid, SIGKILL); /* best effort: children the leader left behind */
	return p->status;
}

/* ---- Reading rows ------------------------------------------------------------------------ */

/* Fills a row from one `linerate ringbench --format csv` line:
 * kind,batch,ring_size,items,repeat,producer_cpu,consumer_cpu,seconds,mops,mops_min,mops_max,
 * ns_per_item,cycles_per_item */
static int ringbench_row(char *line, void *st, struct res_row *row)
{
	char *c[16];
	double mops;

	(void)st;
	if (res_csv_split(line, c, ARRAY_SIZE(c)) != 13 || !isdigit((unsigned char)c[1][0]))
		return -EINVAL;
	res_row_init(row);
	snprintf(row->program, sizeof(row->program), "ringbench");
	snprintf(row->ring, sizeof(row->ring), "%s", c[0]);
	row->batch = (unsigned)strtoul(c[1], NULL, 10);
	snprintf(row->affinity, sizeof(row->affinity), "%s",
		 strtol(c[5], NULL, 10) < 0 ? "floating" : "pinned");
	row->duration_s = strtod(c[7], NULL);
	row->tx_pkts = row->rx_pkts = strtoull(c[3], NULL, 10);
	row->lost_pkts = 0;
	mops = strtod(c[8], NULL);
	row->tx_pps = row->rx_pps = mops * 1e6;
	row->cycles_per_pkt = strtod(c[12], NULL);
	snprintf(row->note, sizeof(row->note),
		 "ring items, not packets: ring size %s, %s items, median of %s runs", c[2], c[3],
		 c[4]);
	return 0;
}

int runner_parse_ringbench(const char *text, struct res_row **rows, size_t *n)
{
	return res_parse_lines(text, ringbench_row, NULL, rows, n);
}

/* ---- The run directory ------------------------------------------------------------------- */

int runner_bindir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return 0;
}

int runner_out_open(struct runner_out *o, const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(o->dir, sizeof(o->dir), "%s", dir);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/raw", dir);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	o->results = res_file_open(path);
	if (!o->results)
		return -errno;
	o->trials = NULL;
	o->ntrials = o->cap = 0;
	return 0;
}

void runner_out_close(struct runner_out *o)
{
	res_file_close(o->results);
	o->results = NULL;
	free(o->trials);
	o->trials = NULL;
	o->ntrials = o->cap = 0;
}

struct trials_arg {
	const struct exp_trial *t;
	size_t n;
};

static int fill_trials(FILE *f, void *arg)
{
	const struct trials_arg *a = arg;

	return exp_trials_write(f, a->t, a->n);
}

/* Appends t to the trial index and rewrites points.csv. */
static int record_trial(struct runner_out *o, const struct exp_trial *t)
{
	char path[PATH_MAX + 32];
	struct trials_arg a;

	if (o->ntrials == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct exp_trial *grown = realloc(o->trials, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		o->trials = grown;
		o->cap = cap;
	}
	o->trials[o->ntrials++] = *t;
	a = (struct trials_arg){o->trials, o->ntrials};
	snprintf(path, sizeof(path), "%s/points.csv", o->dir);
	return res_write_atomic(path, fill_trials, &a);
}

/* ---- One trial --------------------------------------------------------------------------- */

/* A command line split into argv, with argv[0] resolved to a path. */
struct cmdline {
	char buf[EXP_CMD];
	char path[PATH_MAX];
	char *argv[MAX_ARGS];
	char prog[EXP_NAME];
};

/* Splits cmd and finds its program beside linerate, then in PATH; returns 0 or -ENOENT. */
static int cmd_prepare(struct cmdline *c, const char *cmd, const char *bindir)
{
	unsigned n = 0;
	char *save = NULL;

	snprintf(c->buf, sizeof(c->buf), "%s", cmd);
	for (char *w = strtok_r(c->buf, " ", &save); w && n + 1 < MAX_ARGS;
	     w = strtok_r(NULL, " ", &save))
		c->argv[n++] = w;
	c->argv[n] = NULL;
	if (!n)
		return -EINVAL;
	snprintf(c->prog, sizeof(c->prog), "%s", c->argv[0]);
	snprintf(c->path, sizeof(c->path), "%s/%s", bindir, c->argv[0]);
	if (access(c->path, X_OK) && topo_find_tool(c->argv[0], c->path, sizeof(c->path)))
		return -ENOENT;
	c->argv[0] = c->path;
	return 0;
}

/* Writes the last line of a program's stderr (or stdout) file into buf. */
static void tail_of(const char *path, char *buf, size_t len)
{
	char *text = res_read_text(path), *end, *start;

	buf[0] = '\0';
	if (!text)
		return;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		*--end = '\0';
	start = strrchr(text, '\n');
	start = start ? start + 1 : text;
	snprintf(buf, len, "%.*s", TAIL_LEN, start);
	free(text);
}

/* Paths of one program's files in raw/. */
struct raw_paths {
	char out[PATH_MAX + 64], err[PATH_MAX + 64];
};

static void raw_paths(const struct runner_out *o, unsigned trial, const char *role,
		      struct raw_paths *rp)
{
	snprintf(rp->out, sizeof(rp->out), "%s/raw/t%04u-%s.out", o->dir, trial, role);
	snprintf(rp->err, sizeof(rp->err), "%s/raw/t%04u-%s.err", o->dir, trial, role);
}

/* Returns true once the DUT printed its ready text into either of its files. */
static bool dut_says_ready(const struct raw_paths *rp, const char *ready)
{
	const char *files[] = {rp->err, rp->out};
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(files) && !found; i++) {
		char *text = res_read_text(files[i]);

		found = text && strstr(text, ready);
		free(text);
	}
	return found;
}

/* Waits until the DUT is ready: its ready text, or settle_s without exiting. Returns 0, or
 * -EINTR (stop signal), -ECHILD (it exited: reason says how), -ETIMEDOUT. */
static int dut_wait_ready(struct runner_proc *p, const struct raw_paths *rp,
			  const struct exp_point *pt, const char *prog, char *reason, size_t len)
{
	double end = runner_now() + (pt->series->ready ? READY_TIMEOUT : pt->settle_s);

	for (;;) {
		if (runner_stop_requested())
			return -EINTR;
		if (runner_done(p)) {
			char tail[TAIL_LEN + 1];

			tail_of(rp->err, tail, sizeof(tail));
			fmt_msg(reason, len, "%s exited with code %d before it was ready: %s", prog,
				p->status, tail[0] ? tail : "(no message)");
			return -ECHILD;
		}
		if (pt->series->ready && dut_says_ready(rp, pt->series->ready))
			return 0;
		if (runner_now() >= end) {
			if (!pt->series->ready)
				return 0;
			snprintf(reason, len, "%s did not print '%s' within %.0f s", prog,
				 pt->series->ready, READY_TIMEOUT);
			return -ETIMEDOUT;
		}
		nap(POLL_S);
	}
}

/* Writes raw/tNNNN.cmd: the two command lines of the trial. */
static void write_cmds(const struct runner_out *o, unsigned trial, const struct exp_point *pt)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/raw/t%04u.cmd", o->dir, trial);
	f = fopen(path, "we");
	if (!f)
		return; /* best effort: the commands are also in the report's table */
	if (pt->dut_cmd[0])
		fprintf(f, "dut: %s\n", pt->dut_cmd);
	fprintf(f, "gen: %s\n", pt->gen_cmd);
	fclose(f);
}

/* Parses the rows a program printed into *rows; returns their number (0 if none). */
static size_t read_rows(const char *path, enum exp_parse how, struct res_row **rows)
{
	char *text = res_read_text(path);
	size_t n = 0;

	*rows = NULL;
	if (!text)
		return 0;
	if (how == EXP_PARSE_RINGBENCH)
		runner_parse_ringbench(text, rows, &n);
	else
		res_parse_rows(text, rows, &n);
	free(text);
	return n;
}

/* The state of one trial while it runs. */
struct trial_run {
	struct cmdline dut, gen;
	struct runner_proc dut_p, gen_p;
	struct raw_paths dut_rp, gen_rp;
	double win_cpu_pct; /* the DUT's CPU over the generator's run, % of a core; -1: none */
};

/* Checks that the programs exist; fills the skip reason and returns false when one does not. */
static bool programs_present(const struct runner_out *o, const struct exp_point *pt,
			     struct trial_run *tr, struct exp_trial *t)
{
	if (pt->dut_cmd[0] && cmd_prepare(&tr->dut, pt->dut_cmd, o->bindir)) {
		fmt_msg(t->reason, sizeof(t->reason), "%s not built (no %s/%s)", t->dut, o->bindir,
			t->dut);
		return false;
	}
	if (cmd_prepare(&tr->gen, pt->gen_cmd, o->bindir)) {
		fmt_msg(t->reason, sizeof(t->reason), "%s not built (no %s/%s)", t->gen, o->bindir,
			t->gen);
		return false;
	}
	if (pt->series->setup != EXP_SETUP_NONE && o->ports_not_lr) {
		snprintf(t->reason, sizeof(t->reason),
			 "does not apply to these ports: its tap bridge redirects the links of "
			 "the lr- topology in " TOPO_NS_DUT " through %s, and the profile's DUT "
			 "ports are others, which bench does not touch",
			 pt->series->setup == EXP_SETUP_TAP_BRIDGE ? "two taps" : "a tap");
		return false;
	}
	return true;
}

/* ---- Per-series setup -------------------------------------------------------------------- */

/* The tap bridge a series' setup names; returns false for a setup that is none. */
static bool tap_kind(enum exp_setup setup, enum tapbr_kind *k)
{
	*k = setup == EXP_SETUP_TAP_ECHO ? TAPBR_ECHO : TAPBR_FWD;
	return setup == EXP_SETUP_TAP_BRIDGE || setup == EXP_SETUP_TAP_ECHO;
}

void runner_setup_print(enum exp_setup setup, void *f, const char *prefix)
{
	enum tapbr_kind k;

	if (!tap_kind(setup, &k))
		return;
	fprintf(f, "%sthe tap bridge (bench/tapbr.c), up before each trial's DUT, down after it:\n",
		prefix);
	tapbr_print(k, f, prefix);
}

/* Brings up what the series needs before its DUT starts; returns 0 or sets the outcome and
 * reason. */
static int setup_up(const struct exp_point *pt, struct exp_trial *t)
{
	enum tapbr_kind k;
	int err;

	if (!tap_kind(pt->series->setup, &k))
		return 0;
	err = tapbr_up(k, t->reason, sizeof(t->reason));
	if (err)
		t->outcome = EXP_FAILED;
	return err;
}

/* Takes the series' setup down after its DUT stopped (also after a failed start); a setup
 * that stays makes the trial failed, and says so, as it would disturb every later one. */
static void setup_down(const struct exp_point *pt, struct exp_trial *t)
{
	enum tapbr_kind k;
	char err[512];

	if (!tap_kind(pt->series->setup, &k) || !tapbr_down(k, err, sizeof(err)))
		return;
	pr_err("%s", err);
	t->outcome = EXP_FAILED;
	fmt_msg(t->reason, sizeof(t->reason), "%s", err);
}

/* Starts the DUT and waits until it is ready; returns 0 or sets the outcome and reason. */
static int start_dut(const struct runner_out *o, const struct exp_point *pt, struct trial_run *tr,
		     struct exp_trial *t)
{
	int err;

	if (!pt->dut_cmd[0])
		return 0;
	raw_paths(o, t->trial, "dut", &tr->dut_rp);
	err = runner_start(&tr->dut_p, tr->dut.argv, pt->series->dut_ns, tr->dut_rp.out,
			   tr->dut_rp.err);
	if (err) {
		snprintf(t->reason, sizeof(t->reason), "cannot start %s: %s", t->dut,
			 strerror(-err));
		t->outcome = EXP_FAILED;
		return err;
	}
	err = dut_wait_ready(&tr->dut_p, &tr->dut_rp, pt, t->dut, t->reason, sizeof(t->reason));
	if (err)
		t->outcome = err == -EINTR ? EXP_INTERRUPTED : EXP_FAILED;
	return err;
}

int64_t runner_cpu_ns(pid_t pid)
{
	char path[64];
	struct dirent *de;
	int64_t sum = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)) && sum >= 0) {
		char stat[128];
		long long ns;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(stat, sizeof(stat), "%s/%.20s/schedstat", path, de->d_name);
		f = fopen(stat, "re");
		if (!f)
			continue; /* the thread ended meanwhile */
		sum = fscanf(f, "%lld", &ns) == 1 ? sum + ns : -1;
		fclose(f);
	}
	closedir(d);
	return sum;
}

/* The DUT's CPU use, in % of one core, between two samples (cpu0 at t0); -1 when either
 * sample failed or no time passed. */
static double window_pct(pid_t pid, int64_t cpu0, double t0)
{
	int64_t cpu1 = pid > 0 ? runner_cpu_ns(pid) : -1;
	double secs = runner_now() - t0;

	if (cpu0 < 0 || cpu1 < cpu0 || secs <= 0)
		return -1;
	return 100.0 * (double)(cpu1 - cpu0) * 1e-9 / secs;
}

/* Runs the generator to its end (or the timeout, or a stop signal), and takes the DUT's CPU
 * use over the generator's run (from its start to its exit): the DUT's own figure covers its
 * whole life, its start and idle wait included. */
static int run_gen(const struct runner_out *o, const struct exp_point *pt, struct trial_run *tr,
		   struct exp_trial *t)
{
	pid_t dut = tr->dut_p.pid;
	int64_t cpu0 = dut > 0 ? runner_cpu_ns(dut) : -1;
	double t0 = runner_now(), start = t0;
	int err;

	tr->win_cpu_pct = -1;
	raw_paths(o, t->trial, "gen", &tr->gen_rp);
	err = runner_start(&tr->gen_p, tr->gen.argv, NULL, tr->gen_rp.out, tr->gen_rp.err);
	if (err) {
		snprintf(t->reason, sizeof(t->reason), "cannot start %s: %s", t->gen,
			 strerror(-err));
		t->outcome = EXP_FAILED;
		return err;
	}
	if (pt->series->late_ready && dut > 0) {
		/* the DUT waited for the generator to connect: its window starts once it says it
		 * forwards (a generator that ended first keeps the window from its start) */
		double end = t0 + pt->timeout_s;

		while (!dut_says_ready(&tr->dut_rp, pt->series->late_ready) && runner_now() < end &&
		       !runner_wait(&tr->gen_p, POLL_S, true) && !runner_stop_requested())
			;
		if (!runner_done(&tr->gen_p) &&
		    dut_says_ready(&tr->dut_rp, pt->series->late_ready)) {
			cpu0 = runner_cpu_ns(dut);
			t0 = runner_now();
		}
	}
	if (runner_wait(&tr->gen_p, pt->timeout_s - (runner_now() - start), true)) {
		tr->win_cpu_pct = window_pct(dut, cpu0, t0);
		return 0;
	}
	runner_stop(&tr->gen_p, SIGINT, GEN_GRACE_S);
	if (runner_stop_requested()) {
		t->outcome = EXP_INTERRUPTED;
		snprintf(t->reason, sizeof(t->reason), "stopped by signal %d",
			 runner_stop_signal());
		return -EINTR;
	}
	t->outcome = EXP_FAILED;
	snprintf(t->reason, sizeof(t->reason), "%s did not finish within %.0f s (stopped)", t->gen,
		 pt->timeout_s);
	return -ETIMEDOUT;
}

/* Stamps a program's row with the harness's ids and adds it to results.csv. The program's own
 * experiment label ("rfc2544-probe", "fwd") is kept after a colon: "linerate:rfc2544-probe". */
static int add_row(struct runner_out *o, struct res_row *row, const struct exp_trial *t)
{
	char label[RES_STR];

	snprintf(label, sizeof(label), "%s", row->experiment);
	if (label[0] && strcmp(label, t->experiment))
		fmt_msg(row->experiment, sizeof(row->experiment), "%s:%s", t->experiment, label);
	else
		fmt_msg(row->experiment, sizeof(row->experiment), "%s", t->experiment);
	row->trial = t->trial;
	row->repeat = t->repeat;
	return res_file_add(o->results, row);
}

/* Reads both programs' rows and records them; the DUT contributes its last (final) row. */
static int collect(struct runner_out *o, const struct exp_point *pt, struct trial_run *tr,
		   struct exp_trial *t)
{
	struct res_row *gen = NULL, *dut = NULL;
	size_t ng = read_rows(tr->gen_rp.out, pt->series->parse, &gen), nd = 0;
	char tail[TAIL_LEN + 1];
	int err = 0;

	if (pt->dut_cmd[0])
		nd = read_rows(tr->dut_rp.out, EXP_PARSE_RESULTS, &dut);
	if (!ng) {
		tail_of(tr->gen_rp.err, tail, sizeof(tail));
		t->outcome = EXP_FAILED;
		fmt_msg(t->reason, sizeof(t->reason),
			"%s exited with code %d and printed no row: %s", t->gen, tr->gen_p.status,
			tail[0] ? tail : "(no message)");
	} else {
		t->outcome = EXP_MEASURED;
		if (tr->gen_p.status)
			snprintf(t->reason, sizeof(t->reason), "%s exited with code %d", t->gen,
				 tr->gen_p.status);
		if (pt->dut_cmd[0] && !nd)
			snprintf(t->reason + strlen(t->reason),
				 sizeof(t->reason) - strlen(t->reason),
				 "%s%s printed no final row (exit code %d)",
				 t->reason[0] ? "; " : "", t->dut, tr->dut_p.status);
		for (size_t i = 0; i < ng && !err; i++)
			err = add_row(o, &gen[i], t);
		if (nd && !err) {
			dut[nd - 1].cpu_window_pct = tr->win_cpu_pct;
			err = add_row(o, &dut[nd - 1], t);
		}
		t->gen_rows = (unsigned)ng;
		t->dut_rows = nd ? 1 : 0;
	}
	free(gen);
	free(dut);
	return err;
}

/* Fills the identity of a trial record. */
static void trial_init(struct exp_trial *t, const struct exp_point *pt, unsigned trial,
		       unsigned repeat)
{
	memset(t, 0, sizeof(*t));
	t->trial = trial;
	t->repeat = repeat;
	snprintf(t->experiment, sizeof(t->experiment), "%s", pt->exp->name);
	snprintf(t->series, sizeof(t->series), "%s", pt->series->name);
	snprintf(t->x, sizeof(t->x), "%s", pt->x);
	if (pt->dut_cmd[0])
		exp_cmd_prog(pt->dut_cmd, t->dut, sizeof(t->dut));
	exp_cmd_prog(pt->gen_cmd, t->gen, sizeof(t->gen));
	t->outcome = EXP_SKIPPED;
}

bool runner_point_runnable(const struct runner_out *o, const struct exp_point *pt, char *reason,
			   size_t len)
{
	struct trial_run *tr = calloc(1, sizeof(*tr));
	struct exp_trial t;
	bool ok;

	if (!tr) {
		snprintf(reason, len, "out of memory");
		return false;
	}
	trial_init(&t, pt, 0, 0);
	ok = programs_present(o, pt, tr, &t);
	snprintf(reason, len, "%s", ok ? "" : t.reason);
	free(tr);
	return ok;
}

int runner_skip_point(struct runner_out *o, const struct exp_point *pt, unsigned trial,
		      unsigned repeat, const char *reason, struct exp_trial *t)
{
	trial_init(t, pt, trial, repeat);
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
	return record_trial(o, t);
}

int runner_run_point(struct runner_out *o, const struct exp_point *pt, unsigned trial,
		     unsigned repeat, struct exp_trial *t)
{
	struct trial_run *tr = calloc(1, sizeof(*tr));
	double t0 = runner_now();
	bool ran;
	int err = 0;

	trial_init(t, pt, trial, repeat);
	if (!tr)
		return -ENOMEM;
	if (!programs_present(o, pt, tr, t))
		goto record;
	write_cmds(o, trial, pt);
	ran = !setup_up(pt, t) && !start_dut(o, pt, tr, t) && !run_gen(o, pt, tr, t);
	runner_stop(&tr->dut_p, SIGINT, DUT_GRACE_S); /* its final row comes now */
	if (ran)
		err = collect(o, pt, tr, t);
	setup_down(pt, t);
	t->seconds = runner_now() - t0;
record:
	free(tr);
	if (!err)
		err = record_trial(o, t);
	return err;
}
