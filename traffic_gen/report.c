// SPDX-License-Identifier: MIT
/*
 * report.c: tgen's output. The human summary shows every figure a trial has, with the
 * accounting spelled out (sent = received + lost, and the counters that saw the lost ones);
 * machine formats go through the common results schema so every program's rows line up.
 */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "rate.h"
#include "tgen.h"

bool report_live_enabled(const struct tgen_cfg *cfg)
{
	return cfg->stats_ns || (cfg->format == CLI_FORMAT_HUMAN && isatty(STDOUT_FILENO));
}

void report_live(const struct tgen_ctx *c, uint64_t dt_ns, uint64_t dtx, uint64_t drx, uint64_t tx,
		 uint64_t rx)
{
	FILE *f = c->cfg->format == CLI_FORMAT_HUMAN ? stdout : stderr;
	double s = dt_ns ? (double)dt_ns / 1e9 : 1;
	double txp = (double)dtx / s, rxp = (double)drx / s;
	double p99 =
		c->rxs && hist_count(c->rxs->lat) ? (double)hist_percentile(c->rxs->lat, 99) : -1;

	fprintf(f, "  tx %8.3f Mpps %7.3f Gbps", txp / 1e6, rate_l2_bps(txp, c->frame_len) / 1e9);
	if (c->rxs)
		fprintf(f, " | rx %8.3f Mpps %7.3f Gbps | in flight or lost %lld", rxp / 1e6,
			rate_l2_bps(rxp, c->frame_len) / 1e9, (long long)tx - (long long)rx);
	if (p99 >= 0)
		fprintf(f, " | p99 %.1f us", p99 / 1e3);
	fprintf(f, "\n");
	fflush(f);
}

/* The effective configuration for meta.json. */
static unsigned meta_cfg(const struct tgen_cfg *cfg, struct res_kv *kv, char (*buf)[64])
{
	unsigned n = 0;

#define KV(k, ...) (snprintf(buf[n], 64, __VA_ARGS__), kv[n].key = (k), kv[n].value = buf[n], n++)
	KV("mode", "%s", cfg->mode_name);
	KV("engine", "%s", tgen_engine_name(cfg->engine));
	KV("rate", "%s", cli_rate_str(&cfg->rate, buf[n], 64));
	KV("duration_ns", "%llu", (unsigned long long)cfg->duration_ns);
	KV("count", "%ld", cfg->count);
	KV("flows", "%ld", cfg->flows);
	KV("batch", "%ld", cfg->batch);
	KV("cpu", "%ld", cfg->cpu);
	KV("hugepages", "%s", cfg->hugepages ? "on" : "off");
	KV("tx_dev", "%s", cfg->tx_dev ? cfg->tx_dev : "");
	KV("rx_dev", "%s", cfg->rx_on ? cfg->rx_dev : "none");
	KV("tx_netns", "%s", cfg->tx_netns ? cfg->tx_netns : "");
	KV("rx_netns", "%s", cfg->rx_netns ? cfg->rx_netns : "");
	KV("dst_ip", "%s", cfg->dst_ip ? cfg->dst_ip : "");
	KV("link_bps", "%.0f", cfg->link_bps);
	KV("ramp_ns", "%llu", (unsigned long long)cfg->ramp_ns);
	KV("drain_ns", "%llu", (unsigned long long)cfg->drain_ns);
#undef KV
	return n;
}

int report_open(struct report *r, const struct tgen_ctx *c)
{
	const struct tgen_cfg *cfg = c->cfg;
	char path[PATH_MAX], buf[20][64];
	struct res_kv kv[20];
	unsigned n;
	int ret;

	memset(r, 0, sizeof(*r));
	r->format = cfg->format;
	r->out = stdout;
	if (!cfg->out_dir)
		return 0;
	n = meta_cfg(cfg, kv, buf);
	snprintf(path, sizeof(path), "%s/meta.json", cfg->out_dir);
	ret = res_meta_write(path, cfg->argc, cfg->argv, kv, n);
	if (ret) {
		pr_err("cannot write %s: %s (does --out %s exist and is it writable?)", path,
		       strerror(-ret), cfg->out_dir);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/results.csv", cfg->out_dir);
	r->file = res_file_open(path);
	if (!r->file) {
		ret = -errno;
		pr_err("cannot write %s: %s", path, strerror(errno));
		return ret;
	}
	return 0;
}

/* The link column: the DPDK driver of an explicit port ("memif"), else the TX interface. */
static void link_name(const struct tgen_cfg *cfg, char *buf, size_t len)
{
	const char *p = cfg->tx_port;

	if (cfg->engine == TGEN_ENGINE_DPDK && p && !strncmp(p, "net_", 4)) {
		size_t n = strcspn(p + 4, "0123456789,");

		snprintf(buf, len, "%.*s", (int)n, p + 4);
		return;
	}
	snprintf(buf, len, "%s", cfg->tx_dev ? cfg->tx_dev : "");
}

/* The receive-side columns (left unmeasured without a receiver). */
static void row_rx(const struct tgen_ctx *c, const struct tgen_trial *t, struct res_row *row)
{
	double *lat[7] = {&row->lat_min_ns,  &row->lat_p50_ns,   &row->lat_p90_ns, &row->lat_p99_ns,
			  &row->lat_p999_ns, &row->lat_p9999_ns, &row->lat_max_ns};

	if (!c->cfg->rx_on)
		return;
	row->rx_pkts = t->rx;
	row->lost_pkts = t->lost;
	row->dup_pkts = t->dup;
	row->reordered_pkts = t->reordered;
	row->rx_pps = t->rx_pps;
	for (unsigned i = 0; i < 7; i++)
		*lat[i] = t->lat[i];
	row->lat_mean_ns = t->lat_mean;
	row->pdv_ns = t->pdv;
}

void report_row(const struct tgen_ctx *c, const struct tgen_trial *t, const char *experiment,
		struct res_row *row)
{
	const struct tgen_cfg *cfg = c->cfg;
	char link[RES_STR];

	link_name(cfg, link, sizeof(link));
	res_row_start(
		row,
		(const char *const[4]){experiment, "tgen", tgen_engine_name(cfg->engine), link},
		(unsigned)cfg->batch, "none", cfg->hugepages, cfg->affinity == CLI_AFFINITY_PINNED);
	row->trial = t->trial;
	row->repeat = t->repeat;
	row->frame_size = t->frame_len;
	row->link_bps = cfg->link_bps;
	row->offered_pps = t->offered_pps;
	row->duration_s = t->duration_s;
	row->tx_pkts = t->tx;
	row->tx_pps = t->tx_pps;
	row->line_rate_pps = t->line_pps;
	row_rx(c, t, row);
	row->cpu_user_s = t->cpu.user_s;
	row->cpu_sys_s = t->cpu.sys_s;
	row->cpu_softirq_s = t->cpu.softirq_s;
	row->cycles_per_pkt = t->cycles_per_pkt;
	row->status = t->status;
	snprintf(row->note, sizeof(row->note), "%s", t->note);
}

/* Prints a latency figure in microseconds. */
static void lat_us(FILE *f, const char *name, double ns)
{
	fprintf(f, " %s %.1f", name, ns / 1e3);
}

static void human_rx(FILE *f, const struct tgen_ctx *c, const struct tgen_trial *t)
{
	static const char *const names[7] = {"min", "p50", "p90", "p99", "p99.9", "p99.99", "max"};
	double loss = t->tx ? 100.0 * (double)t->lost / (double)t->tx : 0;

	fprintf(f, "  rx     %llu unique = %.3f Mpps; lost %lld (%.4f%%); dup %llu, reordered %llu",
		(unsigned long long)t->rx, t->rx_pps / 1e6, (long long)t->lost, loss,
		(unsigned long long)t->dup, (unsigned long long)t->reordered);
	if (t->unknown)
		fprintf(f, ", foreign frames %llu", (unsigned long long)t->unknown);
	if (t->stale)
		fprintf(f, ", late frames of the previous trial %llu (not counted)",
			(unsigned long long)t->stale);
	fprintf(f, "\n");
	for (unsigned i = 0; i < t->drops.n; i++)
		fprintf(f, "  drops  %s +%llu\n", t->drops.c[i].name,
			(unsigned long long)t->drops.c[i].value);
	if (t->warm_tx)
		fprintf(f, "  ramp   %llu sent, %llu received before the window (not counted)\n",
			(unsigned long long)t->warm_tx, (unsigned long long)t->warm_rx);
	if (t->lat[0] < 0) {
		fprintf(f, "  lat    none (nothing received)\n");
		return;
	}
	fprintf(f, "  lat us");
	for (unsigned i = 0; i < 7; i++)
		lat_us(f, names[i], t->lat[i]);
	lat_us(f, "mean", t->lat_mean);
	lat_us(f, "pdv", t->pdv);
	fprintf(f, "\n");
	(void)c;
}

static void human(FILE *f, const struct tgen_ctx *c, const struct tgen_trial *t,
		  const char *experiment)
{
	const struct tgen_cfg *cfg = c->cfg;
	char link[32];

	rate_link_name(cfg->link_bps, link, sizeof(link));
	fprintf(f, "%s trial %u%s: %u B, engine %s (tx %s), %s -> %s, %ld flow%s\n", experiment,
		t->trial, t->repeat ? " (repeat)" : "", t->frame_len, tgen_engine_name(cfg->engine),
		c->tx_method, cfg->tx_port ? cfg->tx_port : cfg->tx_dev,
		cfg->rx_on ? (cfg->rx_port ? cfg->rx_port : cfg->rx_dev) : "(no receiver)",
		cfg->flows, cfg->flows == 1 ? "" : "s");
	fprintf(f, "  tx     %llu in %.3f s = %.3f Mpps, %.3f Gbps (line rate %.3f Mpps at %s)\n",
		(unsigned long long)t->tx, t->duration_s, t->tx_pps / 1e6,
		rate_l2_bps(t->tx_pps, t->frame_len) / 1e9, t->line_pps / 1e6, link);
	if (t->offered_pps > 0)
		fprintf(f, "  asked  %.3f Mpps: achieved %.4f of it%s\n", t->offered_pps / 1e6,
			t->tx_pps / t->offered_pps,
			t->slipped ? " (stalls: the schedule gave up on some frames)" : "");
	else
		fprintf(f, "  asked  max: unpaced\n");
	if (cfg->rx_on)
		human_rx(f, c, t);
	fprintf(f,
		"  cpu    user %.2f s, sys %.2f s, softirq %.2f s; %.0f cycles per frame; idle "
		"%.1f%%\n",
		t->cpu.user_s, t->cpu.sys_s, t->cpu.softirq_s, t->cycles_per_pkt,
		100.0 * t->idle_frac);
	fprintf(f, "  status %s%s%s\n", res_status_name(t->status), t->note[0] ? ": " : "",
		t->note);
}

/* Writes a row as CSV or JSON on stdout (human: nothing) and into results.csv. */
static void machine_row(struct report *r, const struct tgen_ctx *c, const struct res_row *row)
{
	int ret;

	if (r->format == CLI_FORMAT_CSV) {
		if (!r->header_done)
			res_csv_header(r->out);
		res_csv_row(r->out, row);
		r->header_done = true;
	} else if (r->format == CLI_FORMAT_JSON) {
		res_json_row(r->out, row);
	}
	fflush(r->out);
	if (r->file && (ret = res_file_add(r->file, row)) < 0)
		pr_warn("cannot update results.csv in %s: %s", c->cfg->out_dir, strerror(-ret));
}

void report_summary(struct report *r, const struct tgen_ctx *c, const struct tgen_trial *t,
		    const char *experiment, enum res_status status, const char *note)
{
	struct res_row row;

	report_row(c, t, experiment, &row);
	row.status = status;
	snprintf(row.note, sizeof(row.note), "%s", note);
	machine_row(r, c, &row);
}

void report_trial(struct report *r, const struct tgen_ctx *c, const struct tgen_trial *t,
		  const char *experiment)
{
	struct res_row row;

	report_row(c, t, experiment, &row);
	if (r->format == CLI_FORMAT_HUMAN) {
		human(r->out, c, t, experiment);
		r->header_done = true;
	}
	machine_row(r, c, &row);
	r->trials++;
}

void report_say(const struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->format != CLI_FORMAT_HUMAN)
		return;
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fflush(r->out);
}

void report_close(struct report *r)
{
	res_file_close(r->file);
	r->file = NULL;
}
