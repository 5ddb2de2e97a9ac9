// SPDX-License-Identifier: MIT
/*
 * results.c: the common results schema. One column table drives the CSV header, CSV rows and
 * JSON rows, so the three can never disagree; docs/results.md documents the same columns.
 * Unmeasured values (-1 doubles, UINT64_MAX counters, INT64_MIN loss) become empty CSV cells
 * and JSON nulls.
 */
#include "results.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum col_type {
	C_STR,
	C_UINT,
	C_INT,
	C_U64,
	C_I64,
	C_DBL,
	C_STATUS
};

struct column {
	const char *name;
	enum col_type type;
	size_t off, len; /* len: the size of a string column */
};

#define COL(name, type)                                                                            \
	{                                                                                          \
#name, type, offsetof(struct res_row, name), sizeof(((struct res_row *)0)->name)   \
	}

static const struct column columns[] = {
	COL(experiment, C_STR),     COL(program, C_STR),        COL(backend, C_STR),
	COL(link, C_STR),           COL(trial, C_UINT),         COL(repeat, C_UINT),
	COL(frame_size, C_UINT),    COL(batch, C_UINT),         COL(ring, C_STR),
	COL(hugepages, C_INT),      COL(affinity, C_STR),       COL(link_bps, C_DBL),
	COL(offered_pps, C_DBL),    COL(duration_s, C_DBL),     COL(tx_pkts, C_U64),
	COL(rx_pkts, C_U64),        COL(lost_pkts, C_I64),      COL(dup_pkts, C_U64),
	COL(reordered_pkts, C_U64), COL(tx_pps, C_DBL),         COL(rx_pps, C_DBL),
	COL(line_rate_pps, C_DBL),  COL(lat_min_ns, C_DBL),     COL(lat_p50_ns, C_DBL),
	COL(lat_p90_ns, C_DBL),     COL(lat_p99_ns, C_DBL),     COL(lat_p999_ns, C_DBL),
	COL(lat_p9999_ns, C_DBL),   COL(lat_max_ns, C_DBL),     COL(lat_mean_ns, C_DBL),
	COL(pdv_ns, C_DBL),         COL(cpu_user_s, C_DBL),     COL(cpu_sys_s, C_DBL),
	COL(cpu_softirq_s, C_DBL),  COL(cpu_window_pct, C_DBL), COL(cycles_per_pkt, C_DBL),
	COL(conns, C_INT),          COL(msg_bytes, C_INT),      COL(echo_bytes, C_U64),
	COL(goodput_gbps, C_DBL),   COL(conn_per_s, C_DBL),     COL(connect_pct, C_DBL),
	COL(conns_accepted, C_U64), COL(conns_closed, C_U64),   COL(errors, C_U64),
	COL(status, C_STATUS),      COL(note, C_STR),
};

static const char *const status_names[] = {"ok", "generator-bound", "invalid", "error",
					   "undecided"};

void res_row_init(struct res_row *row)
{
	memset(row, 0, sizeof(*row));
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		void *p = (char *)row + columns[i].off;

		switch (columns[i].type) {
		case C_INT:
			*(int *)p = -1;
			break;
		case C_U64:
			*(uint64_t *)p = UINT64_MAX;
			break;
		case C_I64:
			*(int64_t *)p = INT64_MIN;
			break;
		case C_DBL:
			*(double *)p = -1;
			break;
		default:
			break;
		}
	}
	row->status = RES_OK;
}

void res_row_start(struct res_row *row, const char *const who[4], unsigned batch, const char *ring,
		   int hugepages, bool pinned)
{
	res_row_init(row);
	snprintf(row->experiment, sizeof(row->experiment), "%s", who[0]);
	snprintf(row->program, sizeof(row->program), "%s", who[1]);
	snprintf(row->backend, sizeof(row->backend), "%s", who[2]);
	snprintf(row->link, sizeof(row->link), "%s", who[3]);
	row->batch = batch;
	if (ring)
		snprintf(row->ring, sizeof(row->ring), "%s", ring);
	row->hugepages = hugepages;
	snprintf(row->affinity, sizeof(row->affinity), "%s", pinned ? "pinned" : "floating");
}

const char *res_status_name(enum res_status status)
{
	return (unsigned)status < RES_STATUS_COUNT ? status_names[status] : "error";
}

/* ---- Reading rows back --------------------------------------------------------------------- */

int res_col_find(const char *name)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (!strcmp(columns[i].name, name))
			return (int)i;
	return -1;
}

unsigned res_col_count(void)
{
	return sizeof(columns) / sizeof(columns[0]);
}

static enum res_status status_parse(const char *s)
{
	for (int st = RES_OK; st < RES_STATUS_COUNT; st++)
		if (!strcmp(s, status_names[st]))
			return (enum res_status)st;
	return RES_ERROR;
}

void res_col_set(struct res_row *row, int col, const char *v)
{
	const struct column *c;
	void *p;

	if (col < 0 || (unsigned)col >= res_col_count())
		return;
	c = &columns[col];
	p = (char *)row + c->off;
	if (!v || (!*v && c->type != C_STR))
		return;
	switch (c->type) {
	case C_STR:
		snprintf(p, c->len, "%s", v);
		break;
	case C_UINT:
		*(unsigned *)p = (unsigned)strtoul(v, NULL, 10);
		break;
	case C_INT:
		*(int *)p = (int)strtol(v, NULL, 10);
		break;
	case C_U64:
		*(uint64_t *)p = strtoull(v, NULL, 10);
		break;
	case C_I64:
		*(int64_t *)p = strtoll(v, NULL, 10);
		break;
	case C_DBL:
		*(double *)p = strtod(v, NULL);
		break;
	case C_STATUS:
		*(enum res_status *)p = status_parse(v);
		break;
	}
}

double res_col_value(const struct res_row *row, int col)
{
	const void *p;

	if (col < 0 || (unsigned)col >= res_col_count())
		return -1;
	p = (const char *)row + columns[col].off;
	switch (columns[col].type) {
	case C_UINT:
		return *(const unsigned *)p;
	case C_INT:
		return *(const int *)p < 0 ? -1 : *(const int *)p;
	case C_U64:
		return *(const uint64_t *)p == UINT64_MAX ? -1 : (double)*(const uint64_t *)p;
	case C_I64:
		return *(const int64_t *)p == INT64_MIN ? -1 : (double)*(const int64_t *)p;
	case C_DBL:
		return *(const double *)p;
	case C_STATUS:
		return *(const enum res_status *)p;
	default:
		return -1;
	}
}

void res_csv_header(FILE *f)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		fprintf(f, "%s%s", i ? "," : "", columns[i].name);
	fputc('\n', f);
}

/* Writes s as a CSV cell, quoted when it holds a comma, quote or newline. */
static void csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void res_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Writes one cell's value; strings go through quote(), missing numbers as missing. */
static void put_value(FILE *f, const struct res_row *row, const struct column *c,
		      void (*quote)(FILE *, const char *), const char *missing)
{
	const void *p = (const char *)row + c->off;

	switch (c->type) {
	case C_STR:
		quote(f, p);
		break;
	case C_UINT:
		fprintf(f, "%u", *(const unsigned *)p);
		break;
	case C_INT:
		if (*(const int *)p < 0)
			fputs(missing, f);
		else
			fprintf(f, "%d", *(const int *)p);
		break;
	case C_U64:
		if (*(const uint64_t *)p == UINT64_MAX)
			fputs(missing, f);
		else
			fprintf(f, "%llu", (unsigned long long)*(const uint64_t *)p);
		break;
	case C_I64:
		if (*(const int64_t *)p == INT64_MIN)
			fputs(missing, f);
		else
			fprintf(f, "%lld", (long long)*(const int64_t *)p);
		break;
	case C_DBL:
		if (*(const double *)p < 0)
			fputs(missing, f);
		else
			fprintf(f, "%.10g", *(const double *)p);
		break;
	case C_STATUS:
		quote(f, res_status_name(*(const enum res_status *)p));
		break;
	}
}

void res_csv_row(FILE *f, const struct res_row *row)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		if (i)
			fputc(',', f);
		put_value(f, row, &columns[i], csv_str, "");
	}
	fputc('\n', f);
}

void res_json_row(FILE *f, const struct res_row *row)
{
	fprintf(f, "{\"schema_version\":%d", RES_SCHEMA_VERSION);
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		fprintf(f, ",\"%s\":", columns[i].name);
		put_value(f, row, &columns[i], res_json_str, "null");
	}
	for (unsigned i = 0; i < row->nextra && i < RES_EXTRA_MAX; i++)
		fprintf(f, ",\"%s\":%s", row->extra[i].key, row->extra[i].json);
	fputs("}\n", f);
}

bool res_row_print(FILE *f, int format, const struct res_row *row)
{
	if (format == CLI_FORMAT_CSV) {
		res_csv_header(f);
		res_csv_row(f, row);
	} else if (format == CLI_FORMAT_JSON) {
		res_json_row(f, row);
	}
	return format == CLI_FORMAT_CSV || format == CLI_FORMAT_JSON;
}

/* Adds key with its JSON text to the row's extras; returns 0 or -ENOSPC. */
static int extra_add(struct res_row *row, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int extra_add(struct res_row *row, const char *key, const char *fmt, ...)
{
	struct res_extra *e = &row->extra[row->nextra];
	va_list ap;
	int n;

	if (row->nextra >= RES_EXTRA_MAX || strlen(key) >= sizeof(e->key))
		return -ENOSPC;
	va_start(ap, fmt);
	n = vsnprintf(e->json, sizeof(e->json), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->json))
		return -ENOSPC;
	snprintf(e->key, sizeof(e->key), "%s", key);
	row->nextra++;
	return 0;
}

int res_extra_u64(struct res_row *row, const char *key, uint64_t v)
{
	return extra_add(row, key, "%llu", (unsigned long long)v);
}

int res_extra_num(struct res_row *row, const char *key, double v)
{
	return extra_add(row, key, "%.10g", v);
}

int res_extra_str(struct res_row *row, const char *key, const char *s)
{
	char json[RES_EXTRA_LEN] = "";
	FILE *m = fmemopen(json, sizeof(json), "w");
	long n;

	if (!m)
		return -errno;
	res_json_str(m, s);
	fflush(m);
	n = ftell(m);
	fclose(m);
	if (n < 0 || (size_t)n >= sizeof(json) - 1)
		return -ENOSPC;
	json[n] = '\0';
	return extra_add(row, key, "%s", json);
}

int res_write_atomic(const char *path, int (*fill)(FILE *f, void *arg), void *arg)
{
	char tmp[4096];
	FILE *f;
	int ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	ret = fill(f, arg);
	if (ret == 0 && (fflush(f) || fsync(fileno(f))))
		ret = -errno;
	if (fclose(f) && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp); /* best effort */
	return ret;
}

struct res_file {
	char *path;
	struct res_row *rows;
	size_t n, cap;
};

static int fill_csv(FILE *f, void *arg)
{
	const struct res_file *rf = arg;

	res_csv_header(f);
	for (size_t i = 0; i < rf->n; i++)
		res_csv_row(f, &rf->rows[i]);
	return ferror(f) ? -EIO : 0;
}

struct res_file *res_file_open(const char *path)
{
	struct res_file *rf = calloc(1, sizeof(*rf));

	if (!rf)
		return NULL;
	rf->path = strdup(path);
	if (!rf->path)
		goto err_free;
	errno = -res_write_atomic(path, fill_csv, rf);
	if (errno)
		goto err_free_path;
	return rf;

err_free_path:
	free(rf->path);
err_free:
	free(rf);
	return NULL;
}

int res_file_add(struct res_file *rf, const struct res_row *row)
{
	if (rf->n == rf->cap) {
		size_t cap = rf->cap ? rf->cap * 2 : 16;
		struct res_row *rows = realloc(rf->rows, cap * sizeof(*rows));

		if (!rows)
			return -ENOMEM;
		rf->rows = rows;
		rf->cap = cap;
	}
	rf->rows[rf->n++] = *row;
	return res_write_atomic(rf->path, fill_csv, rf);
}

void res_file_close(struct res_file *rf)
{
	if (!rf)
		return;
	free(rf->rows);
	free(rf->path);
	free(rf);
}
