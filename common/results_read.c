// SPDX-License-Identifier: MIT
/*
 * results_read.c: the one reader of the results schema (results.h), beside its writer
 * (results.c): CSV lines (split, a header naming the columns, rows), a program's JSON rows (its
 * JSON-only fields kept as the row's extras), a program's whole output, and a row's figures by
 * name. bench/ reads program output, results.csv and the kernel forwarders' rows through it.
 */
#include "results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "lr.h"

#define MAX_COLS 96 /* cells of a CSV line read back (the schema has fewer) */

unsigned res_csv_split(char *line, char **cells, unsigned max)
{
	unsigned n = 0;
	char *r = line, *w;

	while (n < max) {
		cells[n++] = w = r;
		if (*r == '"') {
			for (r++; *r && !(*r == '"' && r[1] != '"'); r++)
				*w++ = (*r == '"') ? *++r : *r;
			if (*r == '"')
				r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
	}
	return n;
}

double res_value(const struct res_row *row, const char *name)
{
	int col = res_col_find(name);

	if (col >= 0)
		return res_col_value(row, col);
	for (unsigned i = 0; i < row->nextra && i < RES_EXTRA_MAX; i++) {
		char *end;
		double v;

		if (strcmp(row->extra[i].key, name))
			continue;
		v = strtod(row->extra[i].json, &end);
		return end != row->extra[i].json && !*end ? v : -1;
	}
	return -1;
}

/* Parses one flat JSON object of the schema (a program's row) into row; returns 0 or
 * -EINVAL. Keys outside the schema become extras (numbers and strings; beyond RES_EXTRA_MAX
 * they are dropped); null leaves a column unset. */
static int json_row(const char *line, struct res_row *row)
{
	json_t *obj = lr_json_line(line), *v;
	const char *key;
	char val[256];

	if (!obj)
		return -EINVAL;
	res_row_init(row);
	json_object_foreach(obj, key, v)
	{
		int c = res_col_find(key);

		if (c >= 0)
			res_col_set(row, c, lr_json_text(v, val, sizeof(val)) ? NULL : val);
		else if (json_is_number(v) && strcmp(key, "schema_version"))
			res_extra_num(row, key, json_number_value(v)); /* best effort */
		else if (json_is_string(v))
			res_extra_str(row, key, json_string_value(v)); /* best effort */
	}
	json_decref(obj);
	return 0;
}

/* Parses one CSV row of the schema, with the columns named by hdr (ncols cells). */
static void csv_row(char *line, const int *hdr, unsigned ncols, struct res_row *row)
{
	char *cells[MAX_COLS];
	unsigned n = res_csv_split(line, cells, ARRAY_SIZE(cells));

	res_row_init(row);
	for (unsigned i = 0; i < n && i < ncols; i++)
		res_col_set(row, hdr[i], cells[i]);
}

/* Reads a CSV header line into hdr (column of each cell, -1 for unknown ones); returns
 * the number of cells, 0 if the line is not a header of the schema. */
static unsigned csv_header(char *line, int *hdr, unsigned max)
{
	char *cells[MAX_COLS];
	unsigned n;

	if (strncmp(line, "experiment,program,", 19))
		return 0;
	n = res_csv_split(line, cells, ARRAY_SIZE(cells));
	for (unsigned i = 0; i < n && i < max; i++)
		hdr[i] = res_col_find(cells[i]);
	return n < max ? n : max;
}

static int rows_push(struct res_row **rows, size_t *n, const struct res_row *row)
{
	struct res_row *grown = realloc(*rows, (*n + 1) * sizeof(**rows));

	if (!grown)
		return -ENOMEM;
	grown[(*n)++] = *row;
	*rows = grown;
	return 0;
}

int res_parse_lines(const char *text, int (*line_row)(char *line, void *st, struct res_row *row),
		    void *st, struct res_row **rows, size_t *n)
{
	char *copy = strdup(text), *save = NULL;
	int found = 0;

	if (!copy)
		return -ENOMEM;
	for (char *line = strtok_r(copy, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		struct res_row row;

		if (line_row(line, st, &row))
			continue;
		if (rows_push(rows, n, &row)) {
			free(copy);
			return -ENOMEM;
		}
		found++;
	}
	free(copy);
	return found;
}

/* The CSV header seen last: which column each cell is. */
struct csv_state {
	int hdr[MAX_COLS];
	unsigned ncols;
};

/* One line of a program's output: a JSON row, a CSV header (remembered) or a CSV row. */
static int program_line(char *line, void *st, struct res_row *row)
{
	struct csv_state *cs = st;
	unsigned h;

	if (line[0] == '{')
		return json_row(line, row);
	if ((h = csv_header(line, cs->hdr, ARRAY_SIZE(cs->hdr)))) {
		cs->ncols = h;
		return 1;
	}
	if (!cs->ncols || !strchr(line, ','))
		return 1;
	csv_row(line, cs->hdr, cs->ncols, row);
	return 0;
}

int res_parse_rows(const char *text, struct res_row **rows, size_t *n)
{
	struct csv_state cs = {.ncols = 0};

	return res_parse_lines(text, program_line, &cs, rows, n);
}

char *res_read_text(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *grown = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!grown) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, 4096, f);
		len += got;
	} while (got);
	fclose(f);
	buf[len] = '\0';
	return buf;
}
