// SPDX-License-Identifier: MIT
/*
 * test_json_read.c: the one JSON reader (common/json_read.c, on libjansson): the same values
 * from a file however it is laid out (one key per line, compact, reordered, escaped), a row
 * after a program's prefix, numbers as integers or reals, and clear errors for what is not an
 * object.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_read.h"

static char path[] = "/tmp/lr-test-json-XXXXXX";

static void write_file(const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lr-test-json-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* Reads commit, the cpu of context and the value of results[1] from text. */
static void expect_same(const char *text)
{
	char err[256], s[64];
	json_t *root, *x;
	double v;

	write_file(text);
	root = lr_json_file(path, err, sizeof(err));
	unlink(path);
	cr_assert_not_null(root, "%s", err);
	cr_assert_eq(lr_json_str(root, "commit", s, sizeof(s)), 0);
	cr_assert_str_eq(s, "abc\"d");
	cr_assert_eq(lr_json_str(json_object_get(root, "context"), "cpu", s, sizeof(s)), 0);
	cr_assert_str_eq(s, "AMD EPYC");
	x = json_array_get(json_object_get(root, "results"), 1);
	cr_assert_eq(lr_json_num(x, "value", &v), 0);
	cr_assert_float_eq(v, 6.2248, 1e-9);
	json_decref(root);
}

Test(json_read, one_key_per_line_compact_and_reordered_read_the_same)
{
	expect_same("{\n  \"schema_version\": 1,\n  \"commit\": \"abc\\\"d\",\n  \"context\": {\n"
		    "    \"cpu\": \"AMD EPYC\"\n  },\n  \"results\": [\n    {\"id\": \"a\", "
		    "\"value\": 1},\n    {\"id\": \"b\", \"value\": 6.2248}\n  ]\n}\n");
	expect_same("{\"schema_version\":1,\"commit\":\"abc\\\"d\",\"context\":{\"cpu\":\"AMD "
		    "EPYC\"},\"results\":[{\"id\":\"a\",\"value\":1},{\"id\":\"b\",\"value\":"
		    "6.2248}]}");
	expect_same("{\"results\" : [ {\"value\" : 1 , \"id\" : \"a\"} , { \"value\" :6.2248e0,"
		    "\"id\":\"b\"} ],\n\t\"context\" : {\"cpu\":\"AMD\\u0020EPYC\"},"
		    "\"commit\":\"abc\\\"d\"}");
}

Test(json_read, a_broken_file_names_the_place)
{
	char err[256];

	write_file("{\"commit\": \"x\",\n  \"results\": [}\n");
	cr_assert_null(lr_json_file(path, err, sizeof(err)));
	unlink(path);
	cr_assert(strstr(err, path) && strstr(err, ":2:"), "file and line: %s", err);
	write_file("[1, 2]");
	cr_assert_null(lr_json_file(path, err, sizeof(err)));
	unlink(path);
	cr_assert(strstr(err, "not a JSON object"), "%s", err);
	cr_assert_null(lr_json_file("/tmp/lr-no-such-file.json", err, sizeof(err)));
}

Test(json_read, a_row_after_a_prefix_and_its_values_as_text)
{
	json_t *o = lr_json_line("fwd-afp: {\"rx_pkts\": 256, \"pps\": 1.5e6, \"ok\": true, "
				 "\"note\": \"a, b\", \"cpu\": null}");
	char t[64];
	double v;

	cr_assert_not_null(o);
	cr_assert_eq(lr_json_num(o, "rx_pkts", &v), 0);
	cr_assert_float_eq(v, 256, 1e-9);
	cr_assert_eq(lr_json_text(json_object_get(o, "rx_pkts"), t, sizeof(t)), 0);
	cr_assert_str_eq(t, "256");
	cr_assert_eq(lr_json_text(json_object_get(o, "pps"), t, sizeof(t)), 0);
	cr_assert_str_eq(t, "1500000");
	cr_assert_eq(lr_json_text(json_object_get(o, "ok"), t, sizeof(t)), 0);
	cr_assert_str_eq(t, "true");
	cr_assert_eq(lr_json_text(json_object_get(o, "note"), t, sizeof(t)), 0);
	cr_assert_str_eq(t, "a, b");
	cr_assert_eq(lr_json_text(json_object_get(o, "cpu"), t, sizeof(t)), -ENOENT);
	cr_assert_eq(lr_json_num(o, "note", &v), -ENOENT, "a string is not a number");
	cr_assert_eq(lr_json_str(o, "rx_pkts", t, sizeof(t)), -ENOENT, "nor a number a string");
	json_decref(o);
	cr_assert_null(lr_json_line("no object here"));
	cr_assert_null(lr_json_line("{\"cut\": "));
}
