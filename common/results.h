/* SPDX-License-Identifier: MIT */
/*
 * results.h: the common results schema (docs/results.md): one row per trial with the same
 * columns for every program and backend, written as CSV or JSON lines, plus meta.json (the
 * environment and the effective configuration). Files are written atomically: the content goes
 * to a temporary file in the same folder that is renamed over the target, so a reader (or a
 * Ctrl-C) never sees half a file.
 */
#ifndef LR_RESULTS_H
#define LR_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define RES_SCHEMA_VERSION 2
#define RES_STR            48
#define RES_EXTRA_MAX      8   /* program-specific JSON fields a row may carry */
#define RES_EXTRA_LEN      320 /* the longest value of one, as JSON text */

/* Status of a trial. */
enum res_status {
	RES_OK,              /* a valid measurement of the device under test */
	RES_GENERATOR_BOUND, /* the generator could not offer what was asked: DUT not the limit */
	RES_INVALID,         /* impossible figures (above line rate, rx > tx): never a record */
	RES_ERROR,           /* the trial failed */
	RES_UNDECIDED,       /* the counters cannot tell the generator's limit from the DUT's */
	RES_STATUS_COUNT
};

/* One trial. Strings are short names; numbers use SI units named by the column. Fields a
 * program does not measure stay at their res_row_init() values (empty / -1) and are written
 * as empty cells. */
struct res_row {
	char experiment[RES_STR]; /* "linerate", "selftest", "run", ... */
	char program[RES_STR];    /* "tgen", "fwd-dpdk", ... */
	char backend[RES_STR];    /* "sock", "afp", "dpdk" */
	char link[RES_STR];       /* "veth", "memif", "null", an interface name */
	unsigned trial, repeat;
	unsigned frame_size; /* wire size L, FCS included */
	unsigned batch;
	char ring[RES_STR];     /* "none", "lockfree", "mutex", "rte" */
	int hugepages;          /* 1 on, 0 off, -1 unknown */
	char affinity[RES_STR]; /* "pinned", "floating" */
	double link_bps;        /* the link speed the rate is reckoned against */
	double offered_pps;     /* what was asked (0 = max) */
	double duration_s;      /* measured TX duration */
	uint64_t tx_pkts, rx_pkts;
	int64_t lost_pkts; /* tx - rx after the drain */
	uint64_t dup_pkts, reordered_pkts;
	double tx_pps, rx_pps; /* achieved */
	double line_rate_pps;  /* the theoretical limit for frame_size at link_bps */
	double lat_min_ns, lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_p999_ns, lat_p9999_ns,
		lat_max_ns;
	double lat_mean_ns, pdv_ns; /* pdv: RFC 8219 delay variation, p99.9 - min */
	double cpu_user_s, cpu_sys_s, cpu_softirq_s;
	double cpu_window_pct; /* bench: a DUT's CPU over the generator's run, % of one core */
	double cycles_per_pkt;
	/* TCP echo (tgen echo: the client's view; echo-*: the server's): empty elsewhere */
	int conns, msg_bytes; /* client: connections kept open, message size */
	uint64_t echo_bytes;  /* payload bytes echoed (client: came back and checked) */
	double goodput_gbps;  /* echo_bytes * 8 / duration_s / 1e9 */
	double conn_per_s;    /* connections set up per second */
	double connect_pct;   /* client: share of the window spent in connect() */
	uint64_t conns_accepted, conns_closed; /* server */
	uint64_t errors; /* client: failed transactions; server: connection errors */
	enum res_status status;
	char note[128];
	/* Program-specific figures outside the schema (the kernel forwarders' system calls and
	 * copied bytes): written by res_json_row() after the columns, never to CSV. */
	unsigned nextra;
	struct res_extra {
		char key[32];
		char json[RES_EXTRA_LEN]; /* the value as JSON text */
	} extra[RES_EXTRA_MAX];
};

/* Fills a row with "not measured" values (-1 numbers, empty strings, status RES_OK). */
void res_row_init(struct res_row *row);
/* Starts a program's row: res_row_init(), then who measured (experiment, program, backend,
 * link) and the knobs every program has: batch, ring (NULL: left empty), hugepages (1, 0, -1
 * unknown) and affinity (pinned or floating). */
void res_row_start(struct res_row *row, const char *const who[4], unsigned batch, const char *ring,
		   int hugepages, bool pinned);
/* Add a program-specific field to the row's JSON form (res_row.extra): an unsigned integer, a
 * number (%.10g, as the columns) or a string. Return 0, or -ENOSPC when the row holds
 * RES_EXTRA_MAX already or the value does not fit. */
int res_extra_u64(struct res_row *row, const char *key, uint64_t v);
int res_extra_num(struct res_row *row, const char *key, double v);
int res_extra_str(struct res_row *row, const char *key, const char *s);
/* Returns the name of a status ("ok", "generator-bound", "invalid", "error", "undecided"). */
const char *res_status_name(enum res_status status);
/* Columns by name (the reader, results_read.c, goes through these): the index of a column (-1: not in the schema),
 * the number of columns, setting a column from its text (NULL or an empty number keeps the
 * "not measured" value of res_row_init(); an unknown status reads as "error"), and a numeric
 * column's value as a double (-1 when not measured or not a number). */
int res_col_find(const char *name);
unsigned res_col_count(void);
void res_col_set(struct res_row *row, int col, const char *text);
double res_col_value(const struct res_row *row, int col);

/* Writes the CSV header line (column names) to f. */
void res_csv_header(FILE *f);
/* Writes one row as a CSV line to f. */
void res_csv_row(FILE *f, const struct res_row *row);
/* ---- reading rows back (results_read.c) ---- */

/* Splits a CSV line in place into at most max cells (quoted cells unquoted, "" -> ");
 * returns the number of cells. */
unsigned res_csv_split(char *line, char **cells, unsigned max);
/* Reads rows from a program's output text: JSON lines ('{' first; keys outside the schema
 * become the row's extras) and CSV rows after a CSV header line of the schema (results.csv is
 * one); other lines are ignored. Appends to *rows (realloc'd, *n counts them); returns the
 * number of rows found or -ENOMEM. */
int res_parse_rows(const char *text, struct res_row **rows, size_t *n);
/* res_parse_rows() with another line reader: line_row(line, st, row) fills row and returns 0,
 * or returns non-zero to skip the line. */
int res_parse_lines(const char *text, int (*line_row)(char *line, void *st, struct res_row *row),
		    void *st, struct res_row **rows, size_t *n);
/* Returns the value of numeric column name of row (as results.csv holds it), or of the extra
 * field name; -1 when the cell is empty, not a number or not there ("status": the enum
 * value). */
double res_value(const struct res_row *row, const char *name);
/* Reads a whole file (results.csv, a program's output, meta.json) into a malloc'd
 * NUL-terminated string; NULL with errno set. */
char *res_read_text(const char *path);

/* Writes a program's one result row to f in format (an enum cli_format): csv (header and row)
 * or json; returns true, or false for the human format (the program writes its own report). */
bool res_row_print(FILE *f, int format, const struct res_row *row);
/* Writes one row as a JSON object on one line to f. */
void res_json_row(FILE *f, const struct res_row *row);

/* Writes s as a JSON string literal (quoted and escaped) to f. */
void res_json_str(FILE *f, const char *s);

/* A results file that is rewritten atomically after every added row, so the rows measured so
 * far survive an interrupted run. */
struct res_file;
/* Opens (creates or truncates) a CSV results file; returns NULL with errno set. */
struct res_file *res_file_open(const char *path);
/* Appends a row and rewrites the file atomically; returns 0 or -errno. */
int res_file_add(struct res_file *rf, const struct res_row *row);
/* Frees the writer (the file on disk is always complete). */
void res_file_close(struct res_file *rf);

/* One key/value pair of the effective configuration for meta.json. */
struct res_kv {
	const char *key;
	const char *value;
};

/* Writes meta.json: schema version, time, kernel, CPU model, cores, TSC GHz and invariance,
 * DPDK version, huge page state, git commit, the command line and the given configuration.
 * Atomic; returns 0 or -errno. */
int res_meta_write(const char *path, int argc, char *const *argv, const struct res_kv *cfg,
		   unsigned ncfg);

/* Writes a whole file atomically: fill() writes the content to a temporary FILE which is
 * flushed, fsync'ed and renamed over path. Returns 0, fill()'s negative result, or -errno. */
int res_write_atomic(const char *path, int (*fill)(FILE *f, void *arg), void *arg);

#endif
