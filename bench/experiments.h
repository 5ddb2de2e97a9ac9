/* SPDX-License-Identifier: MIT */
/*
 * experiments.h: what `linerate bench` measures, as declarative tables. An experiment is a
 * sweep (frame size, offered load, batch size, a knob's values) over series (a DUT
 * configuration and the generator that drives it); expanding it for a profile gives points
 * (one DUT command, one generator command), each run `repeat` times by the generic runner.
 * The same header describes what a run directory holds, so `linerate plot`, `report` and
 * `compare` read results.csv and points.csv back into per-point summaries (median, min, max
 * over the repeats, and whether a repeat was generator-bound or invalid).
 *
 * A run directory (results/<timestamp>/):
 *   results.csv   every row the programs printed, common schema; trial and repeat set by the
 *                 harness, experiment is "NAME" or "NAME:label" (the program's own label, e.g.
 *                 "linerate:rfc2544-probe"); the generator's and the DUT's rows share the trial id
 *   points.csv    one line per trial: trial id -> experiment, series, x, outcome, reason
 *   meta.json     environment and configuration;  raw/  each program's stdout and stderr
 *   data/      the plotted figures;  NAME.png, NAME.svg  the plots;  report.html, report.md
 */
#ifndef LR_BENCH_EXPERIMENTS_H
#define LR_BENCH_EXPERIMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "results.h"

#define EXP_NAME     64   /* longest experiment, series, program or x name */
#define EXP_CMD      1536 /* longest expanded command line */
#define EXP_MAX_VALS 16   /* values in one sweep */
#define EXP_MAX_PLOT 3    /* plots per experiment */
#define EXP_MAX_MET  3    /* metrics per plot */

enum exp_profile {
	EXP_PROFILE_SMOKE, /* seconds: for tests */
	EXP_PROFILE_QUICK, /* the default: the whole bench in at most 10 minutes on 2 cores */
	EXP_PROFILE_FULL,  /* RFC 2544 trial lengths (60 s), more points */
	EXP_NPROFILES
};
extern const struct cli_enum exp_profile_enum[]; /* smoke, quick, full */

/* How the output of a series' generator is read. */
enum exp_parse {
	EXP_PARSE_RESULTS,   /* the common schema, --format csv or json */
	EXP_PARSE_RINGBENCH, /* `linerate ringbench --format csv` */
};

/* What a series needs around each start of its DUT, beyond the topology. */
enum exp_setup {
	EXP_SETUP_NONE,
	EXP_SETUP_TAP_BRIDGE, /* bench/tapbr.c: lr-d0 -> tap -> DUT -> tap -> lr-d1 in lr-dut,
			       * up before the DUT starts and down after it stops; lr- topology
			       * links only (a profile with other DUT ports skips the series) */
	EXP_SETUP_TAP_ECHO,   /* the same with one tap both ways: lr-d0 <-> tap <-> DUT (echo) */
};

/* One line of a plot (or one group of bars): a DUT configuration and its generator. Argument
 * templates are split on blanks; {name} is replaced by the variable's value. */
struct exp_series {
	const char *name;     /* legend entry, "fwd-afp veth" */
	const char *dut;      /* DUT program (a file beside linerate), NULL: generator alone */
	const char *dut_args; /* template */
	const char *dut_ns;   /* namespace to start the DUT in, NULL: it enters its own */
	const char *ready;    /* text the DUT prints once it forwards, NULL: wait "settle" s */
	const char *gen;      /* generator program */
	const char *gen_args; /* template */
	const char *vars;     /* "name=value ..." applied over the experiment's variables */
	const char *sweep;    /* this series' own sweep values, NULL: the experiment's */
	const char *xfield;   /* one run prints one row per x: x is this column of each row
			       * (e.g. "batch"), NULL: x is the sweep value */
	enum exp_parse parse;
	enum exp_setup setup; /* set up around the DUT (EXP_SETUP_NONE: nothing) */
	/* with ready NULL: text the DUT prints once its peer connected, after the generator
	 * started (a virtio_user server waits for its vhost client): its CPU window starts
	 * there; NULL: at the generator's start */
	const char *late_ready;
};

/* A figure taken from the rows of a point: the generator's or the DUT's row, one column. */
struct exp_metric {
	bool dut;          /* from the DUT's row (else the generator's) */
	const char *field; /* a results.csv column, or "cpu_pct" (DUT user+sys CPU over its run) */
	double scale;      /* multiplies the column (1e-6: pps -> Mpps) */
	const char *unit;  /* unit after scaling: "Mpps", "us", "%" */
	const char *label; /* legend or table heading: "p99", "throughput" */
	const char *rows;  /* rows the program labelled so ("rfc2544") if the trial has any (else
			    * its last row of the role), NULL: any */
	bool lossfree_max; /* of those, the row with the highest offered rate and no loss (an
			    * NDR search's answer), else the last row */
};

enum exp_plot_kind {
	EXP_PLOT_LINES, /* x numeric (the sweep), one line per series and metric */
	EXP_PLOT_BARS,  /* one group per series, one bar per sweep value (or metric) */
};

/* One graph of an experiment, drawn by plots/<script>.gp from data/<name>.dat. */
struct exp_plot {
	const char *name;   /* file name without extension: "linerate-mpps" */
	const char *script; /* gnuplot script in plots/, without .gp */
	enum exp_plot_kind kind;
	const char *only; /* plot series whose name contains this, NULL: all */
	struct exp_metric metrics[EXP_MAX_MET]; /* metrics[0] is the main figure */
	const char *caption;                    /* how to read it (report) */
};

struct exp_def {
	const char *name;                 /* "linerate" */
	const char *summary;              /* what it shows, one sentence */
	const char *xvar;                 /* the variable the sweep sets: "size" */
	const char *xlabel;               /* "frame size (B)" */
	const char *sweep[EXP_NPROFILES]; /* blank-separated values */
	const char *vars[EXP_NPROFILES];  /* "name=value ..." over the defaults */
	unsigned repeat[EXP_NPROFILES];
	bool needs_ndr; /* rates are % of each series' NDR ({rate} is set from it) */
	const struct exp_series *series;
	unsigned nseries;
	struct exp_plot plots[EXP_MAX_PLOT];
};

/* One point: a series at one sweep value, with its commands expanded. */
struct exp_point {
	const struct exp_def *exp;
	const struct exp_series *series;
	char x[EXP_NAME];
	char dut_cmd[EXP_CMD]; /* "" when there is no DUT */
	char gen_cmd[EXP_CMD];
	double est_s;     /* expected wall time of one trial */
	double timeout_s; /* the generator is stopped after this long */
	double settle_s;  /* wait after the DUT started when it prints no ready text */
};

/* The experiments, in the order bench runs them. */
extern const struct exp_def *const exp_all[];
extern const unsigned exp_count;

/* Returns the experiment called name, or NULL. */
const struct exp_def *exp_find(const char *name);
/* Overrides applied while expanding: NULL fields keep the table's values. */
struct exp_overrides {
	const char *only;       /* keep series whose name contains this */
	const char *sizes;      /* sweep values for experiments that sweep "size" */
	const char *duration;   /* the "dur" variable */
	double ndr_pps;         /* the series' NDR for needs_ndr experiments (0: unknown) */
	const char *ports_vars; /* the ports profile's variables (ports_vars()), NULL: lr- */
};
/* Expands experiment e for a profile into points (malloc'd array in *pts, count in *n), for
 * series index si only when si >= 0. Returns 0 or -ENOMEM / -EINVAL (a template names a
 * variable that is not defined: err says which). */
int exp_expand(const struct exp_def *e, enum exp_profile prof, int si,
	       const struct exp_overrides *ov, struct exp_point **pts, size_t *n, char *err,
	       size_t errlen);
/* Returns the repeats per point of e in a profile. */
unsigned exp_repeat(const struct exp_def *e, enum exp_profile prof);
/* Returns the program (first word) of a command line in buf. */
const char *exp_cmd_prog(const char *cmd, char *buf, size_t len);

/* ---- What a run directory holds ------------------------------------------------------- */

enum exp_outcome {
	EXP_MEASURED,    /* rows were read */
	EXP_SKIPPED,     /* a program is not built: nothing ran */
	EXP_FAILED,      /* a program failed or printed no row */
	EXP_INTERRUPTED, /* a stop signal ended the trial */
};

/* One line of points.csv: a trial and the point it belongs to. */
struct exp_trial {
	unsigned trial, repeat;
	char experiment[EXP_NAME], series[EXP_NAME], x[EXP_NAME];
	char gen[EXP_NAME], dut[EXP_NAME]; /* program names, "" for none */
	enum exp_outcome outcome;
	unsigned gen_rows, dut_rows;
	double seconds;
	char reason[256]; /* why it was skipped or failed */
};

/* Returns the name of an outcome: "measured", "skipped", "failed", "interrupted". */
const char *exp_outcome_name(enum exp_outcome o);
/* Writes points.csv (header and one line per trial) to f; returns 0 or -EIO. */
int exp_trials_write(void *f, const struct exp_trial *t, size_t n);

/* A run directory read back. */
struct exp_results {
	struct res_row *rows;
	size_t nrows;
	struct exp_trial *trials;
	size_t ntrials;
	double tsc_ghz; /* from meta.json, 0 if absent */
};
/* Reads dir/results.csv and dir/points.csv; returns 0 or -errno (err says what). */
int exp_results_load(const char *dir, struct exp_results *r, char *err, size_t errlen);
/* Frees what exp_results_load() read. */
void exp_results_free(struct exp_results *r);

/* One point summarised over its repeats for one metric. */
struct exp_summary {
	char experiment[EXP_NAME], series[EXP_NAME], x[EXP_NAME];
	unsigned n;           /* repeats with a value */
	unsigned genbound;    /* repeats marked generator-bound */
	unsigned undecided;   /* repeats whose counters could not say what limited them */
	unsigned invalid;     /* repeats marked invalid (not in med/min/max unless all are) */
	unsigned failed;      /* failed or interrupted repeats */
	unsigned skipped;     /* skipped repeats */
	double med, min, max; /* scaled; NAN when no repeat has a value */
	/* 0 every repeat ok, 1 every repeat generator-bound, 2 invalid only, 3 mixed (the repeats'
	 * verdicts disagree, or one is undecided: not a median of one verdict), -1 no value */
	int flag;
	char reason[256]; /* why it was skipped or failed (the first one) */
};

/* Returns a point's flag from its n valid repeats, of which genbound were generator-bound and
 * undecided undecided (see exp_summary.flag). */
int exp_flag(unsigned n, unsigned genbound, unsigned undecided);
/* Summarises every point of experiment e (series whose name contains only, NULL: all) for
 * metric m, in the order the points were first run; *out is malloc'd. Returns the number of
 * points or -ENOMEM. */
int exp_summarize(const struct exp_results *r, const struct exp_def *e, const char *only,
		  const struct exp_metric *m, struct exp_summary **out);
/* Returns the label a program gave a row of a run directory ("rfc2544" in
 * "linerate:rfc2544"), "" if none. */
const char *exp_row_label(const struct res_row *row);
/* Returns the scaled value of metric m in row (NAN if the cell is empty). */
double exp_metric_value(const struct res_row *row, const struct exp_metric *m);

/* ---- Plot, report, compare (plot.c, report.c, compare.c) --------------------------------- */

/* Finds the gnuplot scripts' directory (plots/ of the source tree, searched upward from the
 * binary) into buf; returns 0 or -ENOENT. */
int plot_find_scripts(char *buf, size_t len);
/* Writes dir/data/<plot>.dat for every plot with data and runs gnuplot on plots/<script>.gp
 * for PNG and SVG (scripts from scripts_dir, NULL to find them). Returns the number of plots
 * drawn or -errno (err says what failed). */
int plot_dir(const char *dir, const char *scripts_dir, char *err, size_t errlen);
/* Writes dir/report.html and dir/report.md from the run directory; returns 0 or -errno. */
int report_write(const char *dir, char *err, size_t errlen);
/* Formats a figure for a table with a fixed number of decimals by magnitude, never with an
 * exponent ("36040", "14.88", "0.452"); returns buf. */
const char *report_num(double v, char *buf, size_t len);

#endif
