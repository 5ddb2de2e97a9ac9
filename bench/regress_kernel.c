// SPDX-License-Identifier: MIT
/*
 * regress_kernel.c: the Tier 1 figures of the kernel backends for `linerate regress`: system
 * calls and copied bytes per packet of fwd-sock, fwd-afp and fwd-xdp, as the programs count them
 * themselves (docs/regress.md, "Kernel backends").
 *
 * Those counts depend on how full each batch is, so the batches are made full on purpose: the
 * forwarder is started in the lr- topology (it enters lr-dut itself), stopped with SIGSTOP
 * once it is ready, fed a burst of exactly BURST frames of 64 B by `tgen run --count` while it
 * cannot read (they wait in its socket buffer, RX ring or XSK ring), and let go with SIGCONT.
 * It then reads BURST / BATCH full batches, and its report splits the calls that moved
 * packets (the figure) from the idle ones (poll, empty or timed-out receives: their number
 * follows how long it waited, so they are not part of it).
 *
 * The topology is built here with `linerate topo up` when it is not there, and removed again
 * with `topo down` on every way out; one that was already up is left up. Without root, or when
 * the topology cannot be built, the figures are skipped with a one-line note.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "lr.h"
#include "netns.h"
#include "regress.h"
#include "results.h"
#include "topo.h"
#include "topo_defs.h"
#include "tsc.h"

#define BURST     256 /* frames fed while stopped: fits the socket buffer and the RX ring */
#define BURST_STR "256"
#define BATCH_STR "32"
#define READY_MS  10000
#define SETTLE_MS 200 /* after the ready line (the loop thread starts) and after the burst */
#define DRAIN_MS  5000
#define STOP_MS   5000

/* One kernel forwarder: its name, the line that says it is ready, how tgen reaches it. */
struct kpath {
	const char *name, *ready;
	const char *const *tgen; /* tgen run arguments of its engine */
};

static const char *const tgen_sock[] = {"--engine", "sock", "--dst-ip", TOPO_IP_D0, NULL};
static const char *const tgen_afp[] = {"--engine", "afp", NULL};

static const struct kpath kpaths[] = {
	{"fwd-sock", "relaying", tgen_sock},
	{"fwd-afp", "forwarding", tgen_afp},
	{"fwd-xdp", "forwarding", tgen_afp},
};

/* Where the programs are and where a run's output goes. */
struct kctx {
	char bindir[PATH_MAX - 32];
	char dir[32]; /* /tmp/lr-regress-kernel-XXXXXX */
	char out[64], err[64];
	pid_t pid;
};

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static uint64_t now_ms(void)
{
	return tsc_mono_ns() / 1000000;
}

/* Reads a whole (small) file into buf, NUL-terminated; "" when unreadable. */
static char *slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Starts bindir/name with args, stdout and stderr into the run's files; returns 0 or -errno. */
static int fwd_spawn(struct kctx *c, const char *name, const char *const args[])
{
	char path[PATH_MAX];
	const char *argv[16];
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s/%s", c->bindir, name);
	argv[n++] = path;
	for (unsigned i = 0; args[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		int out = open(c->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	return 0;
}

/* Ends the forwarder if it still runs (best effort: it may be stopped, so SIGCONT first). */
static void fwd_kill(struct kctx *c)
{
	if (c->pid <= 0)
		return;
	kill(c->pid, SIGKILL);
	kill(c->pid, SIGCONT);
	waitpid(c->pid, NULL, 0);
	c->pid = -1;
}

/* Waits until the forwarder's stderr holds ready; returns 0 or -EIO (message logged). */
static int fwd_wait_ready(struct kctx *c, const char *name, const char *ready)
{
	uint64_t deadline = now_ms() + READY_MS;
	char buf[4096];

	while (!strstr(slurp(c->err, buf, sizeof(buf)), ready)) {
		bool gone = waitpid(c->pid, NULL, WNOHANG) == c->pid;

		if (gone || now_ms() > deadline) {
			if (gone)
				c->pid = -1;
			pr_err("regress: %s %s: %s", name,
			       gone ? "ended before it was ready" : "not ready in time",
			       topo_oneline(buf));
			return -EIO;
		}
		sleep_ms(20);
	}
	sleep_ms(SETTLE_MS);
	return 0;
}

/* Returns the tx count of the last periodic line on the forwarder's stderr (0 if none). */
static unsigned long long fwd_sent(struct kctx *c)
{
	static char buf[1 << 16];
	const char *p = slurp(c->err, buf, sizeof(buf)), *last = NULL;

	while ((p = strstr(p, ")  tx ")))
		last = p++;
	return last ? strtoull(last + 6, NULL, 10) : 0;
}

/* Feeds the stopped forwarder the burst through tgen and lets it go; returns 0 or -EIO. */
static int burst_feed(struct kctx *c, const struct kpath *k)
{
	const char *argv[24] = {NULL};
	char path[PATH_MAX], out[4096];
	const char *const run[] = {"run",  "--count", BURST_STR, "--ramp",   "off",  "--rx-dev",
				   "none", "--cpu",   "0",       "--format", "json", NULL};
	unsigned n = 0;
	int status;

	snprintf(path, sizeof(path), "%s/tgen", c->bindir);
	argv[n++] = path;
	for (unsigned i = 0; run[i]; i++)
		argv[n++] = run[i];
	for (unsigned i = 0; k->tgen[i]; i++)
		argv[n++] = k->tgen[i];
	if (kill(c->pid, SIGSTOP) || waitpid(c->pid, &status, WUNTRACED) != c->pid ||
	    !WIFSTOPPED(status)) {
		pr_err("regress: cannot stop %s with SIGSTOP", k->name);
		return -EIO;
	}
	status = topo_run(argv, out, sizeof(out));
	sleep_ms(SETTLE_MS); /* the last frames reach the socket buffer or RX ring */
	kill(c->pid, SIGCONT);
	if (status) {
		pr_err("regress: tgen could not send the burst to %s (exit %d): %s", k->name,
		       status, topo_oneline(out));
		return -EIO;
	}
	return 0;
}

/* Waits until the forwarder sent the burst (or DRAIN_MS passed), stops it with SIGINT and
 * reads its JSON row into row; returns 0 or -EIO. */
static int fwd_finish(struct kctx *c, const char *name, char *row, size_t len)
{
	uint64_t deadline = now_ms() + DRAIN_MS;
	int status = 0;

	while (fwd_sent(c) < BURST && now_ms() < deadline)
		sleep_ms(20);
	kill(c->pid, SIGINT);
	deadline = now_ms() + STOP_MS;
	while (waitpid(c->pid, &status, WNOHANG) != c->pid) {
		if (now_ms() > deadline) {
			pr_err("regress: %s did not stop on SIGINT", name);
			return -EIO;
		}
		sleep_ms(20);
	}
	c->pid = -1;
	slurp(c->out, row, len);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		pr_err("regress: %s ended with status 0x%x", name, status);
		return -EIO;
	}
	return 0;
}

/* Appends one figure of path k to r. */
static void result_add(struct regress_run *r, const struct kpath *k, const char *metric,
		       const char *unit, double value)
{
	struct regress_result *x = &r->res[r->nres++];

	memset(x, 0, sizeof(*x));
	snprintf(x->path, sizeof(x->path), "%s", k->name);
	snprintf(x->size, sizeof(x->size), "64 B");
	snprintf(x->metric, sizeof(x->metric), "%s", metric);
	snprintf(x->unit, sizeof(x->unit), "%s", unit);
	snprintf(x->id, sizeof(x->id), "%s/64_B/%s", k->name, metric);
	x->tier = 1;
	x->value = round(1e4 * value) / 1e4; /* as the baseline stores it (regress.c does too) */
	x->baseline = -1;
}

/* Checks that the whole burst went through and appends the path's two figures. */
static int row_use(struct regress_run *r, const struct kpath *k, const char *row)
{
	struct res_row *rows = NULL;
	size_t n = 0;
	double rx = -1, tx = -1, sys = -1, copied = -1;

	if (res_parse_rows(row, &rows, &n) > 0) {
		rx = res_value(&rows[n - 1], "rx_pkts");
		tx = res_value(&rows[n - 1], "tx_pkts");
		sys = res_value(&rows[n - 1], "syscalls_per_packet");
		copied = res_value(&rows[n - 1], "copied_bytes_per_packet");
	}
	free(rows);
	if (rx < 0 || tx < 0 || sys < 0 || copied < 0) {
		pr_err("regress: %s's report lacks its counters: %.200s", k->name, row);
		return -EIO;
	}
	if (rx != BURST || tx != BURST) {
		pr_err("regress: %s received %.0f and sent %.0f frames of a burst of %d: the "
		       "per-packet figures would not be comparable (is something else using the "
		       "lr- topology?)",
		       k->name, rx, tx, BURST);
		return -EIO;
	}
	result_add(r, k, "syscalls/packet", "syscalls", sys);
	result_add(r, k, "copied_bytes/packet", "bytes", copied);
	return 0;
}

/* One forwarder: start, stop, burst, continue, report; appends its figures. */
static int kpath_run(struct regress_run *r, struct kctx *c, const struct kpath *k)
{
	const char *const args[] = {"--batch",          BATCH_STR, "--format", "json",
				    "--stats-interval", "20ms",    NULL};
	static char row[1 << 14];
	int ret = fwd_spawn(c, k->name, args);

	if (ret) {
		pr_err("regress: cannot start %s: %s", k->name, strerror(-ret));
		return ret;
	}
	ret = fwd_wait_ready(c, k->name, k->ready);
	if (!ret)
		ret = burst_feed(c, k);
	if (!ret)
		ret = fwd_finish(c, k->name, row, sizeof(row));
	fwd_kill(c);
	return ret ? ret : row_use(r, k, row);
}

/* True when list (comma-separated, NULL: every path) names path. */
static bool listed(const char *list, const char *path)
{
	size_t len = strlen(path);

	for (const char *s = list; s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (!strncmp(s, path, len) && (s[len] == ',' || s[len] == '\0'))
			return true;
	return list == NULL;
}

/* Runs `linerate topo ACTION`; returns its exit status, with its output in out. */
static int topo_do(const struct kctx *c, const char *action, char *out, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/linerate", c->bindir);
	return topo_runl(out, len, path, "topo", action, NULL);
}

/* Fills the program directory (that of this program) and the run's files; 0 or -errno. */
static int kctx_init(struct kctx *c)
{
	ssize_t n = readlink("/proc/self/exe", c->bindir, sizeof(c->bindir) - 1);

	if (n <= 0)
		return -errno;
	c->bindir[n] = '\0';
	*strrchr(c->bindir, '/') = '\0';
	snprintf(c->dir, sizeof(c->dir), "/tmp/lr-regress-kernel-XXXXXX");
	if (!mkdtemp(c->dir))
		return -errno;
	snprintf(c->out, sizeof(c->out), "%s/fwd.out", c->dir);
	snprintf(c->err, sizeof(c->err), "%s/fwd.err", c->dir);
	c->pid = -1;
	return 0;
}

static void kctx_fini(struct kctx *c)
{
	fwd_kill(c);
	unlink(c->out); /* best effort */
	unlink(c->err);
	rmdir(c->dir);
}

const char *regress_kernel_path(unsigned i)
{
	return i < ARRAY_SIZE(kpaths) ? kpaths[i].name : NULL;
}

int regress_kernel(struct regress_run *r, const char *paths_list)
{
	struct kctx c;
	char out[4096];
	bool built = false, any = false;
	int ret = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(kpaths); i++)
		any = any || listed(paths_list, kpaths[i].name);
	if (!any)
		return 0;
	if (geteuid() != 0) {
		pr_warn("regress: skipping fwd-sock, fwd-afp and fwd-xdp syscalls/copied bytes per "
			"packet: "
			"they need root for the lr- topology");
		return 0;
	}
	ret = kctx_init(&c);
	if (ret) {
		pr_err("regress: cannot prepare the kernel paths' run: %s", strerror(-ret));
		return ret;
	}
	if (!netns_exists(TOPO_NS_DUT)) {
		built = true;
		if (topo_do(&c, "up", out, sizeof(out))) {
			pr_warn("regress: skipping fwd-sock, fwd-afp and fwd-xdp figures: "
				"'linerate topo "
				"up' "
				"failed: %s",
				topo_oneline(out));
			goto out;
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(kpaths) && !ret; i++)
		if (listed(paths_list, kpaths[i].name) && r->nres + 2 <= REGRESS_MAX)
			ret = kpath_run(r, &c, &kpaths[i]);
out:
	kctx_fini(&c);
	if (built && topo_do(&c, "down", out, sizeof(out)))
		pr_warn("regress: 'linerate topo down' failed: %s (run it by hand)",
			topo_oneline(out));
	return ret;
}
