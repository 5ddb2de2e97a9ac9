// SPDX-License-Identifier: MIT
/*
 * it_rfc2544.c: `tgen rfc2544 --tests throughput` against a real DUT, as root. .init brings the
 * lr- topology up and starts fwd-afp in lr-dut; .fini stops it and takes the topology down,
 * also when a test fails. Checked: the search with short trials reports an NDR above zero in
 * its "rfc2544-ndr" summary row, took at most 12 trials (the count in the summary's note is
 * the number of "rfc2544" trial rows), and the trial the NDR comes from lost nothing; no
 * latency, loss-curve or back-to-back rows appear when only the throughput test was asked
 * for. A bad --tests list is a usage error that names the accepted tests.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_helpers.h"
#include "lr.h"

#define TGEN     LR_BINDIR "/tgen"
#define FWD_AFP  LR_BINDIR "/fwd-afp"
#define READY_MS 10000
#define MAX_COLS 64
#define MAX_ROWS 64

static pid_t fwd_pid = -1;
static char err_path[64];

static void setup(void)
{
	struct it_result r;
	char buf[4096];

	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "linerate topo up failed: %s", r.err);
	it_result_free(&r);
	snprintf(err_path, sizeof(err_path), "/tmp/lr-it-rfc2544-%d.err", (int)getpid());
	fwd_pid = it_start_ready((const char *const[]){FWD_AFP, NULL}, "/dev/null", err_path,
				 "forwarding", READY_MS, 200, buf, sizeof(buf));
	cr_assert_gt(fwd_pid, 0, "fwd-afp: %s", buf);
}

static void teardown(void)
{
	struct it_result r;

	if (fwd_pid > 0) {
		kill(fwd_pid, SIGKILL);
		waitpid(fwd_pid, NULL, 0);
		fwd_pid = -1;
	}
	it_runl(&r, IT_LINERATE, "topo", "down", NULL);
	it_result_free(&r);
	if (err_path[0])
		unlink(err_path);
}

TestSuite(it_rfc2544, .init = setup, .fini = teardown, .timeout = 90);

/* ---- CSV with quoted cells (the note column) ---- */

struct csv {
	unsigned ncols, nrows;
	char *cols[MAX_COLS];
	char *rows[MAX_ROWS][MAX_COLS];
	char *buf;
};

/* Splits one line in place at commas outside quotes, unquoting cells; returns the count. */
static unsigned split(char *line, char **out)
{
	unsigned n = 0;
	char *w = line;

	for (char *p = line; n < MAX_COLS;) {
		bool quoted = *p == '"';

		out[n++] = w;
		p += quoted;
		while (*p && (quoted || *p != ',')) {
			if (quoted && *p == '"' && p[1] == '"')
				p++;
			else if (quoted && *p == '"') {
				quoted = false;
				p++;
				continue;
			}
			*w++ = *p++;
		}
		if (!*p) {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		p++;
	}
	return n;
}

static void csv_parse(const char *text, struct csv *c)
{
	char *save, *line;

	memset(c, 0, sizeof(*c));
	c->buf = strdup(text);
	for (line = strtok_r(c->buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!c->ncols)
			c->ncols = split(line, c->cols);
		else if (c->nrows < MAX_ROWS)
			split(line, c->rows[c->nrows++]);
	}
}

static const char *cell(const struct csv *c, unsigned row, const char *col)
{
	for (unsigned i = 0; i < c->ncols; i++)
		if (!strcmp(c->cols[i], col))
			return c->rows[row][i];
	cr_assert_fail("no column %s in tgen's CSV", col);
	return "";
}

static double num(const struct csv *c, unsigned row, const char *col)
{
	return strtod(cell(c, row, col), NULL);
}

/* ---- Tests ---- */

Test(it_rfc2544, throughput_only_finds_a_loss_free_ndr_in_twelve_trials)
{
	struct it_result r;
	struct csv c;
	int ndr = -1, from = -1;
	unsigned searched = 0, noted = 0;
	const char *note;

	it_runl(&r, TGEN, "rfc2544", "--tests", "throughput", "--size", "64", "--duration", "0.2s",
		"--ramp", "20ms", "--format", "csv", NULL);
	/* 5 (invalid) is allowed when a trial received frames of the overloaded one before it
	 * (rx > tx): the search counts such a trial as a failure, checked below. */
	cr_assert(r.status == 0 || r.status == LR_EXIT_INVALID, "tgen rfc2544 exited %d: %s",
		  r.status, r.err);
	cr_assert(it_contains(r.err, "converged in") || it_contains(r.err, "NOT converged"),
		  "the human summary goes to stderr with --format csv: %s", r.err);
	csv_parse(r.out, &c);
	it_result_free(&r);
	for (unsigned i = 0; i < c.nrows; i++) {
		const char *exp = cell(&c, i, "experiment");

		searched += !strcmp(exp, "rfc2544");
		if (!strcmp(exp, "rfc2544-ndr"))
			ndr = (int)i;
		cr_expect(strcmp(exp, "rfc2544-latency") && strcmp(exp, "rfc2544-loss") &&
				  strcmp(exp, "rfc2544-b2b"),
			  "--tests throughput ran a %s trial", exp);
	}
	cr_assert_geq(ndr, 0, "no rfc2544-ndr summary row");
	cr_expect_str_neq((char *)cell(&c, (unsigned)ndr, "status"), "invalid");
	note = cell(&c, (unsigned)ndr, "note");
	cr_assert(sscanf(note, "NDR found: %u trials", &noted) == 1, "summary note: %s", note);
	cr_expect_eq(noted, searched, "the note counts %u trials, %u trial rows", noted, searched);
	cr_expect_leq(searched, 12u, "%u trials", searched);
	cr_expect_gt(num(&c, (unsigned)ndr, "rx_pps"), 0, "NDR is 0: %s", note);
	cr_expect_eq(num(&c, (unsigned)ndr, "lost_pkts"), 0);
	/* The summary copies the trial it comes from: that trial's own row lost nothing. */
	for (unsigned i = 0; i < c.nrows; i++)
		if (!strcmp(cell(&c, i, "experiment"), "rfc2544") &&
		    !strcmp(cell(&c, i, "trial"), cell(&c, (unsigned)ndr, "trial")))
			from = (int)i;
	cr_assert_geq(from, 0, "the NDR's trial row is missing");
	cr_expect_eq(num(&c, (unsigned)from, "lost_pkts"), 0);
	cr_expect_gt(num(&c, (unsigned)from, "tx_pkts"), 0);
	cr_expect_eq(num(&c, (unsigned)from, "rx_pkts"), num(&c, (unsigned)from, "tx_pkts"));
	cr_expect_str_eq(cell(&c, (unsigned)from, "rx_pps"), cell(&c, (unsigned)ndr, "rx_pps"));
	free(c.buf);
}

Test(it_rfc2544, bad_tests_list_is_a_usage_error)
{
	struct it_result r;

	it_runl(&r, TGEN, "rfc2544", "--tests", "throughput,jitter", NULL);
	cr_expect_eq(r.status, LR_EXIT_USAGE);
	cr_expect(it_contains(r.err, "--tests: 'jitter' is not a test") &&
			  it_contains(r.err, "throughput, latency, loss, b2b"),
		  "%s", r.err);
	it_result_free(&r);
}
