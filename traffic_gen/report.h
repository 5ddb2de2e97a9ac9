/* SPDX-License-Identifier: MIT */
/*
 * report.h: what tgen prints and writes. A live line per second while a trial runs (on a
 * terminal, or every --stats-interval), a human summary per trial, or with --format csv|json
 * the common results schema (docs/results.md) on stdout; with --out DIR also DIR/results.csv
 * (rewritten atomically after every trial, so an interrupted run keeps what it measured) and
 * DIR/meta.json.
 */
#ifndef LR_TGEN_REPORT_H
#define LR_TGEN_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "results.h"

struct tgen_cfg;
struct tgen_ctx;
struct tgen_trial;

struct report {
	int format; /* enum cli_format */
	FILE *out;  /* stdout */
	struct res_file *file;
	bool header_done;
	unsigned trials;
};

/* Returns true when trials print a live line (stdout is a terminal with the human format, or
 * --stats-interval was given). */
bool report_live_enabled(const struct tgen_cfg *cfg);
/* Prints one live line: the rates over the last dt_ns (dtx frames sent, drx received) and the
 * totals so far, to stdout with the human format, else to stderr. */
void report_live(const struct tgen_ctx *c, uint64_t dt_ns, uint64_t dtx, uint64_t drx, uint64_t tx,
		 uint64_t rx);
/* Starts the output: meta.json and results.csv in --out DIR when given; returns 0 or -errno
 * after printing the error. */
int report_open(struct report *r, const struct tgen_ctx *c);
/* Fills a results row from a trial of experiment ("run", "selftest", "rfc2544"). */
void report_row(const struct tgen_ctx *c, const struct tgen_trial *t, const char *experiment,
		struct res_row *row);
/* Reports one trial: the human summary or a CSV/JSON row, and a row in results.csv. */
void report_trial(struct report *r, const struct tgen_ctx *c, const struct tgen_trial *t,
		  const char *experiment);
/* Writes a summary row (rfc2544's NDR and PDR): trial t's figures under experiment, with
 * status and note replaced, as a CSV/JSON row and a row of results.csv; nothing in the human
 * format, whose summary is printed by the procedure itself. */
void report_summary(struct report *r, const struct tgen_ctx *c, const struct tgen_trial *t,
		    const char *experiment, enum res_status status, const char *note);
/* Prints a free-text line in the human format (nothing with csv or json). */
void report_say(const struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends the output and frees the results file writer. */
void report_close(struct report *r);

#endif
