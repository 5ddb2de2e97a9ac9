// SPDX-License-Identifier: MIT
/*
 * test_results.c: the results schema: the CSV header, empty cells for what was not measured,
 * quoting, JSON rows, atomic rewrites that keep earlier rows and never leave a temporary
 * file, meta.json's environment fields, and the JSON-only extra fields of a row.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results.h"

static char dir[] = "/tmp/lr-test-results-XXXXXX";

static void make_dir(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static unsigned count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	unsigned n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *to_string(void (*put)(FILE *, const struct res_row *), const struct res_row *row)
{
	static char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	put(f, row);
	fclose(f);
	return buf;
}

Test(results, csv_header_names_every_column_once)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	res_csv_header(f);
	fclose(f);
	cr_expect(!strncmp(buf, "experiment,program,backend,link,trial,", 38), "%s", buf);
	cr_expect(strstr(buf, ",frame_size,") && strstr(buf, ",lat_p99_ns,") &&
		  strstr(buf, ",status,note\n"));
}

Test(results, unmeasured_fields_are_empty_cells_and_json_nulls)
{
	struct res_row row;
	char *csv, *json;

	res_row_init(&row);
	snprintf(row.program, sizeof(row.program), "tgen");
	row.frame_size = 64;
	row.tx_pkts = 0; /* measured zero is not "unmeasured" */
	csv = to_string(res_csv_row, &row);
	cr_expect(!strncmp(csv, ",tgen,,,0,0,64,0,,,,,,,0,,,,,,", 30), "%s", csv);
	cr_expect(strstr(csv, ",ok,\n") != NULL, "%s", csv);
	json = to_string(res_json_row, &row);
	cr_expect(strstr(json, "\"tx_pkts\":0,\"rx_pkts\":null") != NULL, "%s", json);
	cr_expect(strstr(json, "\"lost_pkts\":null") != NULL);
	cr_expect(strstr(json, "\"status\":\"ok\"") != NULL);
}

Test(results, strings_with_commas_and_quotes_are_escaped)
{
	struct res_row row;

	res_row_init(&row);
	snprintf(row.note, sizeof(row.note), "a,b \"c\"");
	row.status = RES_GENERATOR_BOUND;
	row.lost_pkts = -3; /* rx > tx: kept, the status says why */
	cr_expect(strstr(to_string(res_csv_row, &row), ",-3,") != NULL);
	cr_expect(strstr(to_string(res_csv_row, &row), "generator-bound,\"a,b \"\"c\"\"\"\n"));
	cr_expect(strstr(to_string(res_json_row, &row), "\"note\":\"a,b \\\"c\\\"\"}"));
}

Test(results, extra_fields_follow_the_columns_in_json_and_never_reach_csv)
{
	struct res_row row;
	char csv[8192];

	res_row_init(&row);
	snprintf(row.note, sizeof(row.note), "n");
	snprintf(csv, sizeof(csv), "%s", to_string(res_csv_row, &row));
	cr_assert_eq(res_extra_u64(&row, "syscalls", 8), 0);
	cr_assert_eq(res_extra_num(&row, "syscalls_per_packet", 0.03125), 0);
	cr_assert_eq(res_extra_str(&row, "syscalls_by_kind", "sendto 8; idle: \"none\""), 0);
	cr_expect_str_eq(to_string(res_csv_row, &row), csv, "the CSV row keeps the schema");
	cr_expect(strstr(to_string(res_json_row, &row),
			 "\"note\":\"n\",\"syscalls\":8,\"syscalls_per_packet\":0.03125,"
			 "\"syscalls_by_kind\":\"sendto 8; idle: \\\"none\\\"\"}\n"),
		  "%s", to_string(res_json_row, &row));
	for (unsigned i = row.nextra; i < RES_EXTRA_MAX; i++)
		cr_assert_eq(res_extra_u64(&row, "k", i), 0);
	cr_expect_eq(res_extra_u64(&row, "one_too_many", 1), -ENOSPC);
}

Test(results, csv_split_unquotes_cells_in_place)
{
	char line[] = "a,\"b,c\",\"d \"\"e\"\"\",,f";
	char *c[8];

	cr_assert_eq(res_csv_split(line, c, 8), 5);
	cr_expect_str_eq(c[0], "a");
	cr_expect_str_eq(c[1], "b,c");
	cr_expect_str_eq(c[2], "d \"e\"");
	cr_expect_str_eq(c[3], "");
	cr_expect_str_eq(c[4], "f");
}

Test(results, the_reader_reads_back_what_the_writer_wrote)
{
	static char text[16384];
	struct res_row row, *rows = NULL;
	size_t n = 0;
	FILE *f = fmemopen(text, sizeof(text), "w");

	res_row_init(&row);
	snprintf(row.program, sizeof(row.program), "fwd-afp");
	row.rx_pkts = 256;
	row.cycles_per_pkt = 812.5;
	res_extra_num(&row, "syscalls_per_packet", 0.03125);
	res_extra_str(&row, "syscalls_by_kind", "sendto 8; idle: none");
	fputs("a line of human text\n", f);
	res_json_row(f, &row);
	res_csv_header(f);
	res_csv_row(f, &row);
	fclose(f);
	cr_assert_eq(res_parse_rows(text, &rows, &n), 2, "%s", text);
	cr_assert_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		cr_expect_str_eq(rows[i].program, "fwd-afp");
		cr_expect_eq(res_value(&rows[i], "rx_pkts"), 256);
		cr_expect_eq(res_value(&rows[i], "cycles_per_pkt"), 812.5);
		cr_expect_eq(res_value(&rows[i], "tx_pkts"), -1, "not measured");
		cr_expect_eq(res_value(&rows[i], "no_such_field"), -1);
	}
	cr_expect_eq(res_value(&rows[0], "syscalls_per_packet"), 0.03125, "JSON keeps extras");
	cr_expect_eq(res_value(&rows[0], "syscalls_by_kind"), -1, "a string is not a figure");
	cr_expect_eq(res_value(&rows[1], "syscalls_per_packet"), -1, "CSV has none");
	free(rows);
}

Test(results, file_keeps_every_row_and_is_always_complete, .init = make_dir, .fini = remove_dir)
{
	char path[256];
	struct res_file *rf;
	struct res_row row;
	char *text, *line;
	unsigned lines = 0;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	rf = res_file_open(path);
	cr_assert_not_null(rf);
	cr_expect_eq(count_entries(dir), 1, "only results.csv");
	res_row_init(&row);
	for (unsigned i = 0; i < 5; i++) {
		row.trial = i;
		cr_assert_eq(res_file_add(rf, &row), 0);
		cr_expect_eq(count_entries(dir), 1, "no temporary file left behind");
	}
	text = slurp(path); /* complete before close: a Ctrl-C now loses nothing */
	for (line = text; (line = strchr(line, '\n')); line++)
		lines++;
	cr_expect_eq(lines, 6, "header + 5 rows, got %u", lines);
	res_file_close(rf);
}

static int fill_fails(FILE *f, void *arg)
{
	(void)arg;
	fputs("half", f);
	return -EIO;
}

static int fill_ok(FILE *f, void *arg)
{
	fputs(arg, f);
	return 0;
}

Test(results, failed_atomic_write_keeps_the_old_file, .init = make_dir, .fini = remove_dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/x.txt", dir);
	cr_assert_eq(res_write_atomic(path, fill_ok, "old\n"), 0);
	cr_expect_eq(res_write_atomic(path, fill_fails, NULL), -EIO);
	cr_expect_str_eq(slurp(path), "old\n");
	cr_expect_eq(count_entries(dir), 1);
	cr_expect_eq(res_write_atomic("/nonexistent-dir/x", fill_ok, "y"), -ENOENT);
}

Test(results, meta_json_describes_the_environment, .init = make_dir, .fini = remove_dir)
{
	char path[256];
	char *argv[] = {"tgen", "--size", "64", "--note", "say \"hi\""};
	struct res_kv cfg[] = {{"size", "64"}, {"rate", "line"}};
	char *text;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	cr_assert_eq(res_meta_write(path, 5, argv, cfg, 2), 0);
	text = slurp(path);
	static const char *const keys[] = {"\"schema_version\": 2",
					   "\"kernel\": \"",
					   "\"cpu_model\": \"",
					   "\"cores\": ",
					   "\"tsc_ghz\": ",
					   "\"tsc_invariant\": ",
					   "\"dpdk_version\": \"",
					   "\"git_commit\": \"",
					   "\"hugepages\": {\"total\": ",
					   "\"compiler\": \"",
					   "\"cpu_governor\": \"",
					   "\"smt\": \"",
					   "\"steal_pct_since_boot\": ",
					   "\"load_average\": \"",
					   "\"command\": [\"tgen\", \"--size\", \"64\"",
					   "\"say \\\"hi\\\"\"]",
					   "\"size\": \"64\"",
					   "\"rate\": \"line\""};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_expect(strstr(text, keys[i]) != NULL, "meta.json lacks %s:\n%s", keys[i], text);
	cr_expect_eq(text[strlen(text) - 2], '}');
}

/* What res_csv_row() writes, res_col_set() reads back: every column by name, the echo
 * columns included, so bench's reader cannot fall behind the writer. */
Test(results, every_column_written_reads_back_by_name)
{
	char hdr[4096], line[4096], *hsave = NULL, *cell, *name;
	struct res_row row, back;
	FILE *f;
	int i = 0;

	res_row_init(&row);
	snprintf(row.experiment, sizeof(row.experiment), "echo");
	snprintf(row.program, sizeof(row.program), "tgen");
	row.conns = 8;
	row.msg_bytes = 64;
	row.echo_bytes = 123456789;
	row.goodput_gbps = 1.25;
	row.conn_per_s = 9876;
	row.connect_pct = 12.5;
	row.conns_accepted = 42;
	row.conns_closed = 41;
	row.errors = 3;
	row.status = RES_UNDECIDED;
	f = fmemopen(hdr, sizeof(hdr), "w");
	res_csv_header(f);
	fclose(f);
	f = fmemopen(line, sizeof(line), "w");
	res_csv_row(f, &row);
	fclose(f);
	res_row_init(&back);
	name = strtok_r(hdr, ",\n", &hsave);
	cell = line;
	for (; name; name = strtok_r(NULL, ",\n", &hsave), i++) {
		char *end = cell + strcspn(cell, ",\n");
		char saved = *end;
		int col = res_col_find(name);

		cr_assert_geq(col, 0, "column %s of the header is not found by name", name);
		*end = '\0';
		res_col_set(&back, col, cell);
		*end = saved;
		cell = *end ? end + 1 : end;
	}
	cr_expect_eq((unsigned)i, res_col_count());
	cr_expect_eq(res_col_find("no_such_column"), -1);
	cr_expect_str_eq(back.experiment, "echo");
	cr_expect_eq(back.conns, 8);
	cr_expect_eq(back.msg_bytes, 64);
	cr_expect_eq(back.echo_bytes, 123456789);
	cr_expect_float_eq(back.goodput_gbps, 1.25, 1e-9);
	cr_expect_float_eq(res_col_value(&back, res_col_find("conn_per_s")), 9876, 1e-9);
	cr_expect_float_eq(back.connect_pct, 12.5, 1e-9);
	cr_expect_eq(back.conns_accepted, 42);
	cr_expect_eq(back.conns_closed, 41);
	cr_expect_eq(back.errors, 3);
	cr_expect_eq(back.status, RES_UNDECIDED);
	cr_expect_eq(res_col_value(&back, res_col_find("lat_p50_ns")), -1, "not measured: -1");
	cr_expect_eq(back.tx_pkts, UINT64_MAX, "an empty cell keeps 'not measured'");
}
