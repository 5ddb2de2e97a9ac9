/* SPDX-License-Identifier: MIT */
/*
 * regress.h: what `linerate regress` (regress.c) hands to its output writers (regress_out.c):
 * the Tier 1 results of one run, the context that produced them and the verdict.
 */
#ifndef LR_BENCH_REGRESS_H
#define LR_BENCH_REGRESS_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#define REGRESS_MAX  64
#define REGRESS_STR  160
#define REGRESS_NCTX 6

/* Exit codes of `linerate regress` (its own scale, documented in docs/regress.md). */
enum regress_exit {
	REGRESS_PASS = 0,
	REGRESS_HARNESS = 1,     /* crash, zero packets, bad flag, unreadable baseline */
	REGRESS_CANNOT = 2,      /* cannot measure at all: no valgrind, no base revision to pair */
	REGRESS_REGRESSION = 3,  /* a Tier 1 figure is worse than the threshold */
	REGRESS_INCONCLUSIVE = 4 /* reserved for Tier 2, which is not built yet */
};

/* One key = value of the context (compiler, flags, valgrind, DPDK, CPU, counts). */
struct regress_kv {
	char key[32];
	char value[REGRESS_STR];
};

/* One Tier 1 figure: a path at one size and one metric. */
struct regress_result {
	char id[64];     /* "fwd/64B/instructions_per_packet" */
	char path[32];   /* "fwd" */
	char size[32];   /* "64 B" */
	char metric[32]; /* "instructions/packet" */
	char unit[32];   /* "instructions" */
	double value;
	double baseline; /* < 0: none */
	double change;   /* (value - baseline) / baseline, 0 without a baseline */
	bool regressed, significant;
	bool accepted; /* above the threshold, but this change updates its committed baseline */
	int tier;      /* 1: callgrind figure (the gate); 2: paired timing (evidence) */
	double lo, hi; /* tier 2: bootstrap 95% interval of the change */
	char cg_file[REGRESS_STR]; /* the callgrind output it came from */
};

struct regress_run {
	struct regress_kv ctx[REGRESS_NCTX];
	struct regress_result res[REGRESS_MAX];
	unsigned nres;
	double threshold;     /* percent */
	char base_commit[64]; /* the baseline's commit */
	char mismatch[256];   /* the first context difference, "" when none */
	char paired[320];     /* why the base revision was measured here, "" when it was not */
	char missing[256];    /* baseline figures this run did not produce, "" when none */
	int code;             /* enum regress_exit */
	char verdict[512];
	char tier2_note[256];         /* why Tier 2 was inconclusive, "" otherwise */
	char tier2_base[REGRESS_STR]; /* Tier 2's baseline: the --base short sha or a path */
	char plot[PATH_MAX + 32];     /* the change plot as report.md links it, "" for none */
};

/* Tier 2 of one path: paired native timing of a baseline and a candidate lr-paths. */
struct regress_tier2 {
	unsigned pairs;              /* pairs used (the first one run is discarded) */
	double ratio, lo, hi;        /* median candidate/baseline cycle ratio, bootstrap 95% */
	double base_cpp, cand_cpp;   /* median TSC cycles per unit */
	double base_mpps, cand_mpps; /* the same as million units per second */
	double steal_pct;            /* CPU steal over the runs, percent of all CPU time */
};

/* Runs path of base_bin and cand_bin alternately, pairs times (2..256), count units each, and
 * fills t; returns 0, -EINVAL (pairs) or -EIO (a run failed or reported nothing). */
int regress_tier2_path(const char *base_bin, const char *cand_bin, const char *path, long count,
		       unsigned pairs, struct regress_tier2 *t);

/* Prints the human report: verdict line, significant and negligible tables, environment, and
 * the top functions of every regressed path (from callgrind_annotate). */
void regress_print_human(const struct regress_run *r, FILE *f);
/* Writes the run as JSON: {schema_version, context, verdict, results: [...]}. */
void regress_print_json(const struct regress_run *r, FILE *f);
/* Writes report.md (for CI step summaries) to path; returns 0 or -errno. */
int regress_write_markdown(const struct regress_run *r, const char *path);
/* Writes JUnit XML (one testcase per figure, a failure per regression) to path; 0 or -errno. */
int regress_write_junit(const struct regress_run *r, const char *path);

/* Appends the Tier 1 figures of the kernel paths named in paths_list (NULL: fwd-sock and
 * fwd-afp), syscalls and copied bytes per packet of a 256-frame burst at batch 32, building
 * and removing the lr- topology itself; returns 0 (also when it skipped them with a note: not
 * root, no topology) or -errno when a run failed (message logged). */
int regress_kernel(struct regress_run *r, const char *paths_list);
/* Returns the name of kernel path i (fwd-sock, fwd-afp, ...), or NULL past the last. */
const char *regress_kernel_path(unsigned i);

/* The baseline lr-paths that --base REF built from a git revision. */
struct regress_base {
	char sha[48], short_sha[16]; /* the commit REF names, full and 12 digits */
	char dir[64];                /* /tmp/lr-regress-base-XXXXXX, "" once removed */
	char bin[96];                /* dir/build/bin/lr-paths */
	char repo[4096];             /* the repository's top folder (git archive runs there) */
};

/* Exports git revision ref of the repository around the current directory (git archive, the
 * checkout is never touched) into a new /tmp/lr-regress-base-XXXXXX and builds only its
 * lr-paths there; returns 0 (remove it with regress_base_remove()) or -errno with one line in
 * err, the directory already removed. */
int regress_base_build(const char *ref, struct regress_base *b, char *err, size_t errlen);
/* Removes the tree regress_base_build() made, if any (best effort). */
void regress_base_remove(struct regress_base *b);

/* Tier 3: appends one JSON line per result of r to path, each with one O_APPEND write so that
 * concurrent runs cannot interleave, creating path's directory if missing; commit names the
 * measured build. Returns 0 or -errno. */
int regress_history_append(const struct regress_run *r, const char *path, const char *commit);
/* Draws dir/regress-change.png and .svg (change per figure vs baseline, the threshold as a
 * line, regressions in red) with data in dir/data/; returns 0 or -errno with one line in err. */
int regress_plot_changes(const struct regress_run *r, const char *dir, char *err, size_t errlen);
/* Draws one trend plot per Tier 1 metric of a history file (value per run, one line per
 * figure) into dir as PNG and SVG; returns the number drawn or -errno with one line in err. */
int regress_plot_history(const char *history, const char *dir, char *err, size_t errlen);
/* The two helpers below are plot.c's, shared with regress_out.c and plot_history.c; their
 * declarations belong in experiments.h with plot.c's others. */
/* Runs gnuplot -e "fmt='FMT'" VARS SCRIPT for png or svg; returns 0 or -EIO with
 * gnuplot's message in err. */
int plot_gnuplot(const char *fmt, const char *vars, const char *script, char *err, size_t errlen);
/* Writes name = 'value' as a gnuplot assignment to f ('' quotes a quote). */
void plot_gp_string(FILE *f, const char *name, const char *value);
/* Opens a plot script's variables file at path for writing and writes what every script takes:
 * a comment naming who wrote it (for what), scripts, datafile and outbase; returns the file
 * (the caller adds its own variables and closes it) or NULL with errno set. */
FILE *plot_vars_open(const char *path, const char *who, const char *scripts, const char *dat,
		     const char *out);

#endif
