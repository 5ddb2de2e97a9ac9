// SPDX-License-Identifier: MIT
/*
 * pipeline.c: lab 05's measurement program. It runs the forwarding pipeline of common/fwd.h
 * (fwd_run: an RX thread does the forwarding work and hands each batch through a ring to a TX
 * thread, which hands it back through a second ring) on lab 05's in-memory path, so that the
 * ring is the only thing between the cores. --ring picks the ring: lab05 (spsc.c, yours or the
 * reference, whichever this binary was linked with), lockfree or mutex (common/ring.h), or
 * none (one thread runs to completion: the source's own ceiling). Prints one CSV line:
 *   ring,batch,mpps,cycles_per_pkt,checked,bad
 * and exits 1 when a frame was lost, reordered or damaged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fwd.h"
#include "log.h"
#include "lr.h"
#include "mempath.h"
#include "spsc.h"
#include "tsc.h"

enum which_ring {
	WR_NONE,
	WR_LAB05,
	WR_LOCKFREE,
	WR_MUTEX
};

static const struct cli_enum ring_enum[] = {
	{"none", WR_NONE},   {"lab05", WR_LAB05}, {"lockfree", WR_LOCKFREE},
	{"mutex", WR_MUTEX}, {NULL, 0},
};

struct opts {
	int ring;
	long batch;
	uint64_t duration_ns;
	long cpu, tx_cpu;
};

static const struct fwd_ring_ops *ring_ops(int which)
{
	switch (which) {
	case WR_LAB05:
		return &lab05_ring_ops;
	case WR_LOCKFREE:
		return &fwd_ring_lockfree;
	case WR_MUTEX:
		return &fwd_ring_mutex;
	default:
		return NULL;
	}
}

static int run(const struct opts *o)
{
	const struct fwd_ring_ops *ops = ring_ops(o->ring);
	struct fwd_run_cfg cfg = {
		.ring = ops,
		.poll = true,
		.pinned = true,
		.cpu = (int)o->cpu,
		.tx_cpu = (int)o->tx_cpu,
		.duration_ns = o->duration_ns,
	};
	struct mempath *m = mempath_new((unsigned)o->batch);
	struct fwd_run_result res;
	struct mempath_stats s;
	struct fwd_path path;
	uint64_t bad;

	if (!m) {
		pr_err("lab05-pipeline: cannot make the path: %s", strerror(errno));
		return LR_EXIT_FAIL;
	}
	if (ops && (!ops->create || !ops->enqueue || !ops->dequeue || !ops->destroy)) {
		pr_err("lab05-pipeline: lab05_ring_ops is not filled in (TODO(lab-05) task 4 in "
		       "spsc.c)");
		mempath_free(m);
		return LR_EXIT_FAIL;
	}
	mempath_path(m, &path);
	if (fwd_run(&path, &cfg, &res) < 0) {
		mempath_free(m);
		return LR_EXIT_FAIL;
	}
	mempath_stats(m, &s);
	mempath_free(m);
	bad = s.bad_order + s.bad_frame + (s.checked > s.made ? 1 : 0);
	printf("%s,%ld,%.4f,%.1f,%" PRIu64 ",%" PRIu64 "\n", ring_enum[o->ring].name, o->batch,
	       res.duration_s > 0 ? (double)s.checked / res.duration_s / 1e6 : 0,
	       res.cycles_per_pkt, s.checked, bad);
	if (bad || !s.checked) {
		pr_err("lab05-pipeline: %" PRIu64 " frames checked, %" PRIu64
		       " out of order, %" PRIu64 " damaged: the ring lost or reordered data",
		       s.checked, s.bad_order, s.bad_frame);
		return LR_EXIT_FAIL;
	}
	return LR_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.ring = WR_LAB05, .batch = 1, .duration_ns = 500000000ull, .cpu = 0, .tx_cpu = 1};
	const struct cli_option table[] = {
		{"ring", 0, CLI_ENUM, &o.ring, "KIND",
		 "the ring between the two threads (none: one thread)", ring_enum},
		{"batch", 0, CLI_INT, &o.batch, "N", "frames per job handed through the ring", NULL,
		 1, IO_BURST_MAX},
		{"duration", 0, CLI_DURATION, &o.duration_ns, "TIME", "how long to run"},
		{"cpu", 0, CLI_INT, &o.cpu, "CPU", "the RX thread's core", NULL, 0, 1023},
		{"tx-cpu", 0, CLI_INT, &o.tx_cpu, "CPU", "the TX thread's core", NULL, 0, 1023},
		{NULL},
	};
	const struct cli_program prog = {
		.name = "lab05-pipeline",
		.usage = "[options]",
		.summary = "Lab 05: the forwarding pipeline on an in-memory path, through a chosen "
			   "ring.",
		.opts = table,
	};
	int ret = cli_parse_options(&prog, argc, argv, NULL);

	if (ret)
		return ret < 0 ? LR_EXIT_OK : ret;
	if (tsc_init() < 0) {
		pr_err("lab05-pipeline: cannot calibrate the TSC");
		return LR_EXIT_ENV;
	}
	return run(&o);
}
