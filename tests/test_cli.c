// SPDX-License-Identifier: MIT
/*
 * test_cli.c: the option-table parser and the value parsers. Each parser is checked on every
 * accepted form and on every rejection, and each rejection's message must quote the bad value
 * and list the accepted forms. cli_parse is run on a table holding every option type, with its
 * stdout and stderr captured in memory streams, to check option order, "--name=value", short
 * names, "--", argv permutation, the error messages and the generated --help.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lr.h"
#include "rate.h"

#define SIZES_ACCEPTED "(accepted: 64..9018 as '64,128,1518', '64:1518:64' or 'rfc2544')"

/* ---- cli_parse_sizes ---- */

static void expect_sizes(const char *s, unsigned max, const unsigned *want, unsigned n)
{
	struct cli_sizes out = {0};
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_sizes(s, max, &out, err, sizeof(err)), 0, "'%s': %s", s, err);
	cr_assert_eq(out.n, n, "'%s' gave %u sizes, want %u", s, out.n, n);
	for (unsigned i = 0; i < n; i++)
		cr_expect_eq(out.v[i], want[i], "'%s'[%u] = %u, want %u", s, i, out.v[i], want[i]);
}

/* Checks that s is rejected, out is untouched, and the message has both pieces. */
static void expect_sizes_err(const char *s, unsigned max, const char *problem, const char *forms)
{
	struct cli_sizes out = {.n = 1, .v = {777}};
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_sizes(s, max, &out, err, sizeof(err)), -EINVAL, "'%s' accepted", s);
	cr_expect(strstr(err, problem), "'%s': message '%s' lacks '%s'", s, err, problem);
	cr_expect(strstr(err, forms), "'%s': message '%s' lacks the forms '%s'", s, err, forms);
	cr_expect(out.n == 1 && out.v[0] == 777, "'%s': output changed on error", s);
}

Test(cli, sizes_comma_list_keeps_order)
{
	expect_sizes("64,128,1518", 0, (unsigned[]){64, 128, 1518}, 3);
	expect_sizes("1518,64,64", 0, (unsigned[]){1518, 64, 64}, 3);
	expect_sizes("1518", 0, (unsigned[]){1518}, 1);
}

Test(cli, sizes_range_includes_end_only_when_reached)
{
	expect_sizes("64:320:64", 0, (unsigned[]){64, 128, 192, 256, 320}, 5);
	expect_sizes("64:300:64", 0, (unsigned[]){64, 128, 192, 256}, 4);
	expect_sizes("100:100:5", 0, (unsigned[]){100}, 1);
	expect_sizes("64,128:256:64,1518", 0, (unsigned[]){64, 128, 192, 256, 1518}, 5);
}

Test(cli, sizes_rfc2544_is_the_seven_rfc_sizes)
{
	expect_sizes("rfc2544", 0, rate_rfc2544_sizes, 7);
	expect_sizes("RFC2544", 1518, rate_rfc2544_sizes, 7);
	expect_sizes_err("rfc2544", 1024, "above 1024", "64..1024 as");
}

Test(cli, sizes_bounds_are_64_and_max_size_defaulting_to_9018)
{
	expect_sizes("64,9018", 0, (unsigned[]){64, 9018}, 2);
	expect_sizes("1518", 1518, (unsigned[]){1518}, 1);
	expect_sizes_err("32", 0, "'32' is below 64", SIZES_ACCEPTED);
	expect_sizes_err("9100", 0, "'9100' is above 9018", SIZES_ACCEPTED);
	expect_sizes_err("1519", 1518, "'1519' is above 1518", "64..1518 as '64,128,1518'");
	expect_sizes_err("32:128:32", 0, "'32:128:32' is below 64", SIZES_ACCEPTED);
	expect_sizes_err("64:9100:64", 0, "'64:9100:64' is above 9018", SIZES_ACCEPTED);
	expect_sizes_err("99999999999999999999999", 0, "is above 9018", SIZES_ACCEPTED);
}

Test(cli, sizes_rejects_malformed_values)
{
	expect_sizes_err("abc", 0, "'abc' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("", 0, "'' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("64,,128", 0, "'' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("64,", 0, "'' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("-64", 0, "'-64' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("64.5", 0, "'64.5' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("1e3", 0, "'1e3' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("64:128:64:1", 0, "'64:128:64:1' is not a size", SIZES_ACCEPTED);
	expect_sizes_err("64 ,128", 0, "'64 ' is not a size", SIZES_ACCEPTED);
}

Test(cli, sizes_rejects_bad_ranges)
{
	expect_sizes_err("64:1518", 0, "'64:1518' needs a step, as in '64:1518:64'",
			 SIZES_ACCEPTED);
	expect_sizes_err("64:1518:0", 0, "'64:1518:0' has step 0", SIZES_ACCEPTED);
	expect_sizes_err("1518:64:64", 0, "'1518:64:64' starts above its end", SIZES_ACCEPTED);
	expect_sizes_err("64:9018:1", 0, "'64:9018:1' gives more than 256 sizes", SIZES_ACCEPTED);
}

Test(cli, sizes_accepts_exactly_cli_max_sizes)
{
	struct cli_sizes out;
	char s[64], err[CLI_ERR_LEN] = "";

	snprintf(s, sizeof(s), "64:%u:1", 64 + CLI_MAX_SIZES - 1);
	cr_assert_eq(cli_parse_sizes(s, 0, &out, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(out.n, CLI_MAX_SIZES);
	cr_expect_eq(out.v[CLI_MAX_SIZES - 1], 64 + CLI_MAX_SIZES - 1);
	snprintf(s, sizeof(s), "64:%u:1,64", 64 + CLI_MAX_SIZES - 1);
	cr_expect_eq(cli_parse_sizes(s, 0, &out, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "'64' gives more than 256 sizes"), "%s", err);
}

/* ---- cli_parse_rate, cli_rate_str, cli_rate_pps ---- */

#define RATE_ACCEPTED                                                                              \
	"(accepted: '1.5Mpps', '800kpps', '1000pps', '5Gbps' or '800Mbps' on the wire, '50%' of "  \
	"the link, 'line' or 'max')"

static void expect_rate(const char *s, enum cli_rate_kind kind, double value)
{
	struct cli_rate r = {CLI_RATE_MAX, -1};
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_rate(s, &r, err, sizeof(err)), 0, "'%s': %s", s, err);
	cr_expect_eq(r.kind, kind, "'%s': kind %d, want %d", s, r.kind, kind);
	cr_expect(fabs(r.value - value) <= 1e-9 * fabs(value), "'%s': %g, want %g", s, r.value,
		  value);
}

static void expect_rate_err(const char *s, const char *problem)
{
	struct cli_rate r = {CLI_RATE_PPS, 42};
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_rate(s, &r, err, sizeof(err)), -EINVAL, "'%s' accepted", s);
	cr_expect(strstr(err, problem), "'%s': message '%s' lacks '%s'", s, err, problem);
	cr_expect(strstr(err, RATE_ACCEPTED), "'%s': message '%s' lacks the forms", s, err);
	cr_expect(r.kind == CLI_RATE_PPS && r.value == 42, "'%s': output changed on error", s);
}

Test(cli, rate_accepts_pps_units_case_insensitively)
{
	expect_rate("1.5Mpps", CLI_RATE_PPS, 1.5e6);
	expect_rate("1.5MPPS", CLI_RATE_PPS, 1.5e6);
	expect_rate("800kpps", CLI_RATE_PPS, 8e5);
	expect_rate("800Kpps", CLI_RATE_PPS, 8e5);
	expect_rate("1000pps", CLI_RATE_PPS, 1000);
	expect_rate("1000", CLI_RATE_PPS, 1000);
	expect_rate("0.5pps", CLI_RATE_PPS, 0.5);
	expect_rate(".5Mpps", CLI_RATE_PPS, 5e5);
}

Test(cli, rate_accepts_percent_line_and_max)
{
	expect_rate("50%", CLI_RATE_PERCENT, 50);
	expect_rate("100%", CLI_RATE_PERCENT, 100);
	expect_rate("0.1%", CLI_RATE_PERCENT, 0.1);
	expect_rate("line", CLI_RATE_LINE, 0);
	expect_rate("LINE", CLI_RATE_LINE, 0);
	expect_rate("max", CLI_RATE_MAX, 0);
	expect_rate("Max", CLI_RATE_MAX, 0);
}

Test(cli, rate_rejects_negative_zero_over_100_percent_and_garbage)
{
	expect_rate_err("-5Mpps", "'-5Mpps' is negative");
	expect_rate_err("-50%", "'-50%' is negative");
	expect_rate_err("0", "'0' is zero (for an unpaced run say 'max')");
	expect_rate_err("0kpps", "'0kpps' is zero");
	expect_rate_err("0%", "'0%' is zero");
	expect_rate_err("150%", "'150%' is above 100%");
	expect_rate_err("100.01%", "'100.01%' is above 100%");
	expect_rate_err("abc", "'abc' is not a rate");
	expect_rate_err("", "'' is not a rate");
	expect_rate_err("Mpps", "'Mpps' is not a rate");
	expect_rate_err("1e6", "'1e6' is not a rate");
	expect_rate_err("nan", "'nan' is not a rate");
	expect_rate_err("inf", "'inf' is not a rate");
	expect_rate_err("1.2.3pps", "'1.2.3pps' is not a rate");
	expect_rate_err("5Gbit", "'5Gbit' has an unknown unit 'Gbit'");
	expect_rate_err("2Gpps", "'2Gpps' has an unknown unit 'Gpps'");
	expect_rate_err("5 Mpps", "has an unknown unit ' Mpps'");
}

Test(cli, rate_str_formats_back_and_round_trips)
{
	static const char *const given[] = {"1.5Mpps", "800kpps", "999pps", "50%",
					    "0.5%",    "line",    "max",    "2.25Mpps"};
	char buf[64], err[CLI_ERR_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(given); i++) {
		struct cli_rate r, back;

		cr_assert_eq(cli_parse_rate(given[i], &r, err, sizeof(err)), 0, "%s", err);
		cr_expect_str_eq(cli_rate_str(&r, buf, sizeof(buf)), given[i]);
		cr_assert_eq(cli_parse_rate(buf, &back, err, sizeof(err)), 0, "%s", err);
		cr_expect(back.kind == r.kind && back.value == r.value, "'%s' did not round-trip",
			  buf);
	}
	cr_expect_str_eq(cli_rate_str(&(struct cli_rate){CLI_RATE_PPS, 1000}, buf, sizeof(buf)),
			 "1kpps");
}

Test(cli, rate_pps_follows_the_line_rate_formula)
{
	struct cli_rate half = {CLI_RATE_PERCENT, 50}, line = {CLI_RATE_LINE, 0};
	struct cli_rate pps = {CLI_RATE_PPS, 1.5e6}, max = {CLI_RATE_MAX, 0};

	/* 10e9 / ((64 + 20) * 8) / 2 and 10e9 / ((1518 + 20) * 8) */
	cr_expect(fabs(cli_rate_pps(&half, 64, 10e9) - 7440476.19) < 0.01, "%f",
		  cli_rate_pps(&half, 64, 10e9));
	cr_expect(fabs(cli_rate_pps(&line, 1518, 10e9) - 812743.82) < 0.01, "%f",
		  cli_rate_pps(&line, 1518, 10e9));
	cr_expect(fabs(cli_rate_pps(&line, 64, 40e9) - 59523809.52) < 0.01);
	cr_expect_eq(cli_rate_pps(&pps, 64, 10e9), 1.5e6, "a pps rate ignores size and link");
	cr_expect_eq(cli_rate_pps(&pps, 1518, 1e9), 1.5e6);
	cr_expect_eq(cli_rate_pps(&max, 64, 10e9), 0.0, "max means unpaced: 0");
}

/* ---- cli_parse_duration ---- */

#define DUR_ACCEPTED                                                                               \
	"(accepted: '2s', '500ms', '250us', '100ns', '1m' or '1.5s'; a plain number is seconds)"

static void expect_duration(const char *s, uint64_t want)
{
	uint64_t ns = 0;
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_duration(s, &ns, err, sizeof(err)), 0, "'%s': %s", s, err);
	cr_expect_eq(ns, want, "'%s' = %llu ns, want %llu", s, (unsigned long long)ns,
		     (unsigned long long)want);
}

static void expect_duration_err(const char *s, const char *problem)
{
	uint64_t ns = 7;
	char err[CLI_ERR_LEN] = "";

	cr_assert_eq(cli_parse_duration(s, &ns, err, sizeof(err)), -EINVAL, "'%s' accepted", s);
	cr_expect(strstr(err, problem), "'%s': message '%s' lacks '%s'", s, err, problem);
	cr_expect(strstr(err, DUR_ACCEPTED), "'%s': message '%s' lacks the forms", s, err);
	cr_expect_eq(ns, 7, "'%s': output changed on error", s);
}

Test(cli, duration_accepts_every_unit)
{
	expect_duration("2s", 2000000000ull);
	expect_duration("2S", 2000000000ull);
	expect_duration("1.5s", 1500000000ull);
	expect_duration("500ms", 500000000ull);
	expect_duration("250us", 250000ull);
	expect_duration("100ns", 100ull);
	expect_duration("1m", 60000000000ull);
	expect_duration("0.5m", 30000000000ull);
	expect_duration("3", 3000000000ull);
	expect_duration("0.000001", 1000ull);
}

Test(cli, duration_rejects_zero_negative_and_garbage)
{
	expect_duration_err("0", "'0' is zero (a duration must be above 0)");
	expect_duration_err("0s", "'0s' is zero");
	expect_duration_err("0.0ms", "'0.0ms' is zero");
	expect_duration_err("-1s", "'-1s' is negative");
	expect_duration_err("abc", "'abc' is not a duration");
	expect_duration_err("", "'' is not a duration");
	expect_duration_err("2h", "'2h' has an unknown unit 'h'");
	expect_duration_err("2sec", "'2sec' has an unknown unit 'sec'");
	expect_duration_err("0.1ns", "'0.1ns' is below 1ns");
	expect_duration_err("99999999999m", "'99999999999m' is too long");
	expect_duration_err("1e3s", "'1e3s' is not a duration");
}

/* ---- cli_parse_onoff, cli_parse_enum ---- */

Test(cli, onoff_accepts_on_off_yes_no)
{
	static const struct {
		const char *s;
		bool want;
	} ok[] = {{"on", true},   {"ON", true},   {"yes", true},
		  {"off", false}, {"Off", false}, {"no", false}};
	char err[CLI_ERR_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		bool v = !ok[i].want;

		cr_assert_eq(cli_parse_onoff(ok[i].s, &v, err, sizeof(err)), 0, "'%s'", ok[i].s);
		cr_expect_eq(v, ok[i].want, "'%s'", ok[i].s);
	}
}

Test(cli, onoff_rejects_other_words_naming_the_forms)
{
	static const char *const bad[] = {"maybe", "1", "0", "true", "", "onn"};
	char err[CLI_ERR_LEN], want[64];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bool v = true;

		cr_assert_eq(cli_parse_onoff(bad[i], &v, err, sizeof(err)), -EINVAL, "'%s'",
			     bad[i]);
		snprintf(want, sizeof(want), "'%s' is not on or off", bad[i]);
		cr_expect(strstr(err, want), "'%s': %s", bad[i], err);
		cr_expect(strstr(err, "(accepted: on|off or yes|no)"), "'%s': %s", bad[i], err);
		cr_expect(v, "'%s': output changed on error", bad[i]);
	}
}

Test(cli, enum_matches_names_case_insensitively)
{
	char err[CLI_ERR_LEN];
	int v = -1;

	cr_assert_eq(cli_parse_enum("pinned", cli_affinity_enum, &v, err, sizeof(err)), 0);
	cr_expect_eq(v, CLI_AFFINITY_PINNED);
	cr_assert_eq(cli_parse_enum("FLOATING", cli_affinity_enum, &v, err, sizeof(err)), 0);
	cr_expect_eq(v, CLI_AFFINITY_FLOATING);
	cr_assert_eq(cli_parse_enum("json", cli_format_enum, &v, err, sizeof(err)), 0);
	cr_expect_eq(v, CLI_FORMAT_JSON);
	cr_assert_eq(cli_parse_enum("csv", cli_format_enum, &v, err, sizeof(err)), 0);
	cr_expect_eq(v, CLI_FORMAT_CSV);
	cr_assert_eq(cli_parse_enum("human", cli_format_enum, &v, err, sizeof(err)), 0);
	cr_expect_eq(v, CLI_FORMAT_HUMAN);
}

Test(cli, enum_rejects_unknown_names_listing_all)
{
	char err[CLI_ERR_LEN];
	int v = 99;

	cr_assert_eq(cli_parse_enum("pin", cli_affinity_enum, &v, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "'pin' is not one of pinned|floating"), "%s", err);
	cr_assert_eq(cli_parse_enum("0", cli_format_enum, &v, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "'0' is not one of human|csv|json"), "%s", err);
	cr_assert_eq(cli_parse_enum("", cli_format_enum, &v, err, sizeof(err)), -EINVAL);
	cr_expect_eq(v, 99, "output changed on error");
}

/* ---- cli_parse_int ---- */

static void expect_int(const char *s, long min, long max, long want)
{
	char err[CLI_ERR_LEN] = "";
	long v = 0;

	cr_assert_eq(cli_parse_int(s, min, max, &v, err, sizeof(err)), 0, "'%s': %s", s, err);
	cr_expect_eq(v, want, "'%s' = %ld, want %ld", s, v, want);
}

static void expect_int_err(const char *s, long min, long max, const char *problem,
			   const char *forms)
{
	char err[CLI_ERR_LEN] = "";
	long v = 5;

	cr_assert_eq(cli_parse_int(s, min, max, &v, err, sizeof(err)), -EINVAL, "'%s' accepted", s);
	cr_expect(strstr(err, problem), "'%s': message '%s' lacks '%s'", s, err, problem);
	cr_expect(strstr(err, forms), "'%s': message '%s' lacks '%s'", s, err, forms);
	cr_expect_eq(v, 5, "'%s': output changed on error", s);
}

Test(cli, int_accepts_decimal_with_k_and_M_multipliers)
{
	expect_int("32", 1, 512, 32);
	expect_int("512", 1, 512, 512);
	expect_int("-5", -10, 10, -5);
	expect_int("10k", 0, 0, 10000);
	expect_int("10K", 0, 0, 10000);
	expect_int("1M", 0, 0, 1000000);
	expect_int("-2k", 0, 0, -2000);
	expect_int("007", 0, 0, 7);
	expect_int("-99999", 0, 0, -99999); /* no range when min >= max */
}

Test(cli, int_rejects_out_of_range_naming_the_range)
{
	const char *range = "(accepted: a whole number from 1 to 65535; 10k = 10000, 1M = 1000000)";

	expect_int_err("70000", 1, 65535, "'70000' is above 65535", range);
	expect_int_err("0", 1, 65535, "'0' is below 1", range);
	expect_int_err("100k", 1, 65535, "'100k' is above 65535", range);
	expect_int_err("-1", 1, 65535, "'-1' is below 1", range);
}

Test(cli, int_rejects_garbage_and_overflow)
{
	const char *forms = "(accepted: a whole number; 10k = 10000, 1M = 1000000)";

	expect_int_err("abc", 0, 0, "'abc' is not a whole number", forms);
	expect_int_err("", 0, 0, "'' is not a whole number", forms);
	expect_int_err("1.5", 0, 0, "'1.5' is not a whole number", forms);
	expect_int_err("12x", 0, 0, "'12x' is not a whole number", forms);
	expect_int_err("1m", 0, 0, "'1m' is not a whole number", forms);
	expect_int_err("+5", 0, 0, "'+5' is not a whole number", forms);
	expect_int_err(" 5", 0, 0, "' 5' is not a whole number", forms);
	expect_int_err("-", 0, 0, "'-' is not a whole number", forms);
	expect_int_err("99999999999999999999", 0, 0, "'99999999999999999999' is too large", forms);
	expect_int_err("9223372036854775807M", 0, 0, "is too large", forms);
}

/* ---- cli_parse and cli_usage ---- */

static bool verbose, huge;
static long batch;
static double ratio, link_bps;
static const char *iface;
static int affinity, format;
static struct cli_sizes sizes;
static struct cli_rate rate;
static uint64_t duration;

static const struct cli_option opts[] = {
	{"verbose", 'v', CLI_FLAG, &verbose, NULL, "print every trial"},
	{"hugepages", 0, CLI_ONOFF, &huge, NULL, "use 2 MB huge pages"},
	{"batch", 'b', CLI_INT, &batch, NULL, "frames per burst", NULL, 1, 512},
	{"ratio", 0, CLI_DOUBLE, &ratio, NULL, "accepted loss ratio", NULL, 0, 1},
	{"iface", 'i', CLI_STRING, &iface, "IFACE", "interface to send on"},
	{"affinity", 'a', CLI_ENUM, &affinity, NULL, "thread placement", cli_affinity_enum},
	{"format", 0, CLI_ENUM, &format, "FMT", "output format", cli_format_enum},
	{"size", 's', CLI_SIZES, &sizes, NULL, "frame sizes"},
	{"rate", 'r', CLI_RATE, &rate, NULL, "offered rate"},
	{"duration", 'd', CLI_DURATION, &duration, NULL, "trial length"},
	{"link", 'l', CLI_LINK, &link_bps, NULL, "link speed"},
	{NULL},
};

static const struct cli_program prog = {
	.name = "tgen",
	.usage = "[options] up|down",
	.summary = "Sends frames and counts what comes back.",
	.opts = opts,
};

static void set_defaults(void)
{
	verbose = false;
	huge = true;
	batch = 32;
	ratio = 0.25;
	link_bps = 10e9;
	iface = "lr-g0";
	affinity = CLI_AFFINITY_PINNED;
	format = CLI_FORMAT_HUMAN;
	sizes = (struct cli_sizes){.n = 7};
	memcpy(sizes.v, rate_rfc2544_sizes, sizeof(rate_rfc2544_sizes));
	rate = (struct cli_rate){CLI_RATE_PERCENT, 50};
	duration = 2000000000ull;
}

struct run {
	int rc, first;
	char *out, *err; /* what cli_parse printed to stdout and stderr */
};

/* Set by a test to run cli_parse_options() instead of cli_parse(). */
static bool options_only;

/* Runs cli_parse with stdout and stderr captured (glibc lets a program reassign them). */
static struct run run_parse(const struct cli_program *p, int argc, char **argv)
{
	FILE *old_out = stdout, *old_err = stderr;
	struct run r = {.first = -1};
	size_t n_out, n_err;

	fflush(stdout);
	fflush(stderr);
	stdout = open_memstream(&r.out, &n_out);
	stderr = open_memstream(&r.err, &n_err);
	cr_assert(stdout && stderr, "open_memstream failed");
	r.rc = options_only ? cli_parse_options(p, argc, argv, NULL)
			    : cli_parse(p, argc, argv, &r.first);
	fclose(stdout);
	fclose(stderr);
	stdout = old_out;
	stderr = old_err;
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define ARGV(...)                                                                                  \
	char *argv[] = {"tgen", __VA_ARGS__};                                                      \
	int argc = (int)ARRAY_SIZE(argv)

Test(cli, parse_sets_every_type_from_long_options, .init = set_defaults)
{
	ARGV("--verbose", "--hugepages", "off", "--batch", "64", "--ratio", "0.5", "--iface",
	     "eth9", "--affinity", "floating", "--format", "json", "--size", "64,1518", "--rate",
	     "1.5Mpps", "--duration", "500ms", "--link", "25G");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
	cr_expect_eq(r.first, argc, "no positionals");
	cr_expect(verbose);
	cr_expect(!huge);
	cr_expect_eq(batch, 64);
	cr_expect_eq(ratio, 0.5);
	cr_expect_str_eq(iface, "eth9");
	cr_expect_eq(affinity, CLI_AFFINITY_FLOATING);
	cr_expect_eq(format, CLI_FORMAT_JSON);
	cr_expect(sizes.n == 2 && sizes.v[0] == 64 && sizes.v[1] == 1518);
	cr_expect(rate.kind == CLI_RATE_PPS && rate.value == 1.5e6);
	cr_expect_eq(duration, 500000000ull);
	cr_expect_eq(link_bps, 25e9);
	cr_expect_str_empty(r.out);
	cr_expect_str_empty(r.err);
	run_free(&r);
}

Test(cli, parse_accepts_equals_form_and_short_names_in_any_order, .init = set_defaults)
{
	ARGV("-l", "40G", "--rate=line", "-d", "1m", "--hugepages=no", "-s64:192:64", "-v",
	     "--batch=128", "-a", "floating", "-iveth1");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
	cr_expect_eq(r.first, argc);
	cr_expect_eq(link_bps, 40e9);
	cr_expect_eq(rate.kind, CLI_RATE_LINE);
	cr_expect_eq(duration, 60000000000ull);
	cr_expect(!huge);
	cr_expect(sizes.n == 3 && sizes.v[2] == 192);
	cr_expect(verbose);
	cr_expect_eq(batch, 128);
	cr_expect_eq(affinity, CLI_AFFINITY_FLOATING);
	cr_expect_str_eq(iface, "veth1");
	run_free(&r);
}

Test(cli, parse_leaves_defaults_when_options_are_absent, .init = set_defaults)
{
	ARGV("up");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0);
	cr_expect_eq(r.first, 1);
	cr_expect_str_eq(argv[1], "up");
	cr_expect(!verbose && huge && batch == 32 && duration == 2000000000ull);
	cr_expect(sizes.n == 7 && rate.kind == CLI_RATE_PERCENT && rate.value == 50);
	run_free(&r);
}

Test(cli, parse_moves_positionals_after_options_keeping_their_order, .init = set_defaults)
{
	ARGV("up", "--batch", "8", "lr-a", "-v", "-", "--size=128", "down");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
	cr_assert_eq(r.first, argc - 4);
	cr_expect_str_eq(argv[r.first], "up");
	cr_expect_str_eq(argv[r.first + 1], "lr-a");
	cr_expect_str_eq(argv[r.first + 2], "-");
	cr_expect_str_eq(argv[r.first + 3], "down");
	cr_expect_str_eq(argv[0], "tgen");
	cr_expect_eq(batch, 8);
	cr_expect(verbose);
	cr_expect(sizes.n == 1 && sizes.v[0] == 128);
	run_free(&r);
}

Test(cli, parse_stops_at_double_dash, .init = set_defaults)
{
	ARGV("pos", "--batch", "4", "--", "--size", "32", "-v");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
	cr_expect_eq(batch, 4);
	cr_expect(!verbose, "-v after -- is a positional");
	cr_expect_eq(sizes.n, 7, "--size after -- is a positional");
	cr_assert_eq(r.first, 4);
	cr_expect_str_eq(argv[r.first - 1], "--");
	cr_expect_str_eq(argv[r.first], "pos");
	cr_expect_str_eq(argv[r.first + 1], "--size");
	cr_expect_str_eq(argv[r.first + 2], "32");
	cr_expect_str_eq(argv[r.first + 3], "-v");
	run_free(&r);
}

Test(cli, parse_double_dash_first_makes_everything_positional, .init = set_defaults)
{
	ARGV("--", "--help");
	struct run r = run_parse(&prog, argc, argv);

	cr_assert_eq(r.rc, 0);
	cr_expect_eq(r.first, 2);
	cr_expect_str_eq(argv[2], "--help");
	cr_expect_str_empty(r.out);
	run_free(&r);
}

Test(cli, parse_rejects_unknown_options, .init = set_defaults)
{
	static const char *const cases[][2] = {
		{"--foo", "tgen: unknown option '--foo' (run 'tgen --help' for the options)\n"},
		{"--foo=3", "tgen: unknown option '--foo' (run 'tgen --help' for the options)\n"},
		{"-q", "tgen: unknown option '-q' (run 'tgen --help' for the options)\n"},
		{"--siz", "tgen: unknown option '--siz' (run 'tgen --help' for the options)\n"},
		{"-5", "tgen: unknown option '-5' (run 'tgen --help' for the options)\n"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ARGV("up", (char *)cases[i][0]);
		struct run r = run_parse(&prog, argc, argv);

		cr_expect_eq(r.rc, -EINVAL, "%s", cases[i][0]);
		cr_expect_str_eq(r.err, cases[i][1]);
		cr_expect_str_empty(r.out);
		run_free(&r);
	}
}

Test(cli, parse_reports_missing_values_with_the_accepted_forms, .init = set_defaults)
{
	static const char *const cases[][3] = {
		{"--size", NULL,
		 "tgen: --size needs a value (SIZES: 64..9018 as '64,128,1518', '64:1518:64' or "
		 "'rfc2544')\n"},
		{"--size", "--batch", "tgen: --size needs a value (SIZES:"},
		{"-a", NULL, "tgen: --affinity needs a value (pinned|floating)\n"},
		{"--batch", NULL,
		 "tgen: --batch needs a value (N: a whole number from 1 to 512; 10k = 10000, "
		 "1M = 1000000)\n"},
		{"--link", NULL,
		 "tgen: --link needs a value (SPEED: 1G, 2.5G, 10G, 25G, 40G, 50G, 100G, 200G, "
		 "400G or "
		 "800G)\n"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *argv[] = {"tgen", (char *)cases[i][0], (char *)cases[i][1], "4"};
		struct run r = run_parse(&prog, cases[i][1] ? 4 : 2, argv);

		cr_expect_eq(r.rc, -EINVAL, "%s", cases[i][0]);
		cr_expect(!strncmp(r.err, cases[i][2], strlen(cases[i][2])), "got '%s', want '%s'",
			  r.err, cases[i][2]);
		run_free(&r);
	}
}

Test(cli, parse_prefixes_value_errors_with_program_and_flag, .init = set_defaults)
{
	static const char *const cases[][2] = {
		{"--size=32",
		 "tgen: --size: '32' is below 64 (accepted: 64..9018 as '64,128,1518', "
		 "'64:1518:64' or 'rfc2544')\n"},
		{"--batch=0",
		 "tgen: --batch: '0' is below 1 (accepted: a whole number from 1 to 512; "
		 "10k = 10000, 1M = 1000000)\n"},
		{"-b600",
		 "tgen: --batch: '600' is above 512 (accepted: a whole number from 1 to 512; "
		 "10k = 10000, 1M = 1000000)\n"},
		{"--ratio=2", "tgen: --ratio: '2' is above 1 (accepted: a number from 0 to 1)\n"},
		{"--ratio=x",
		 "tgen: --ratio: 'x' is not a number (accepted: a number from 0 to 1)\n"},
		{"--hugepages=maybe",
		 "tgen: --hugepages: 'maybe' is not on or off (accepted: on|off or yes|no)\n"},
		{"--link=7G",
		 "tgen: --link: '7G' is not a link speed (accepted: 1G, 2.5G, 10G, 25G, 40G, 50G, "
		 "100G, 200G, 400G or 800G)\n"},
		{"--format=xml", "tgen: --format: 'xml' is not one of human|csv|json\n"},
		{"--verbose=1", "tgen: --verbose takes no value (give it alone: '--verbose')\n"},
		{"-vx", "tgen: --verbose takes no value (give it alone: '--verbose')\n"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ARGV((char *)cases[i][0]);
		struct run r = run_parse(&prog, argc, argv);

		cr_expect_eq(r.rc, -EINVAL, "%s", cases[i][0]);
		cr_expect_str_eq(r.err, cases[i][1]);
		run_free(&r);
	}
}

Test(cli, parse_passes_dash_values_to_the_parser, .init = set_defaults)
{
	ARGV("--rate", "-5Mpps");
	struct run r = run_parse(&prog, argc, argv);

	cr_expect_eq(r.rc, -EINVAL);
	cr_expect(strstr(r.err, "tgen: --rate: '-5Mpps' is negative"), "%s", r.err);
	cr_expect(rate.kind == CLI_RATE_PERCENT && rate.value == 50, "rate changed on error");
	run_free(&r);
}

Test(cli, parse_honours_a_sizes_option_max, .init = set_defaults)
{
	static const struct cli_option small[] = {
		{"size", 's', CLI_SIZES, &sizes, NULL, "frame sizes", NULL, 64, 1518},
		{NULL},
	};
	const struct cli_program p = {.name = "fwd", .usage = "[options]", .opts = small};
	ARGV("--size", "1519");
	struct run r = run_parse(&p, argc, argv);

	cr_expect_eq(r.rc, -EINVAL);
	cr_expect(strstr(r.err, "fwd: --size: '1519' is above 1518 (accepted: 64..1518 as"), "%s",
		  r.err);
	run_free(&r);
}

Test(cli, help_returns_1_and_prints_every_option_with_its_default, .init = set_defaults)
{
	static const char *const want[] = {
		"usage: tgen [options] up|down\n",
		"\nSends frames and counts what comes back.\n",
		"-v, --verbose ",
		"--hugepages on|off ",
		"use 2 MB huge pages (default: on)",
		"-b, --batch N ",
		"frames per burst (default: 32)",
		"--ratio X ",
		"(default: 0.25)",
		"-i, --iface IFACE ",
		"interface to send on (default: lr-g0)",
		"-a, --affinity pinned|floating ",
		"thread placement (default: pinned)",
		"--format FMT ",
		"output format (human|csv|json) (default: human)",
		"-s, --size SIZES ",
		"frame sizes (default: rfc2544)",
		"-r, --rate RATE ",
		"offered rate (default: 50%)",
		"-d, --duration TIME ",
		"trial length (default: 2s)",
		"-l, --link SPEED ",
		"link speed (default: 10G)",
		"-h, --help ",
	};
	char *args[][3] = {{"tgen", "--help"}, {"tgen", "-h"}, {"tgen", "up", "--help"}};

	for (size_t k = 0; k < ARRAY_SIZE(args); k++) {
		struct run r = run_parse(&prog, args[k][2] ? 3 : 2, args[k]);

		cr_assert_eq(r.rc, 1, "%s", args[k][1]);
		cr_expect_str_empty(r.err);
		for (size_t i = 0; i < ARRAY_SIZE(want); i++)
			cr_expect(strstr(r.out, want[i]), "help lacks '%s':\n%s", want[i], r.out);
		cr_expect(!strstr(r.out, "print every trial (default"), "a flag shows no default");
		run_free(&r);
	}
}

Test(cli, help_shows_values_set_before_and_aligns_columns, .init = set_defaults)
{
	char *text = NULL;
	size_t len, col = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(f);
	sizes = (struct cli_sizes){.n = 3, .v = {64, 128, 192}};
	rate = (struct cli_rate){CLI_RATE_PPS, 1.5e6};
	duration = 1500000000ull;
	affinity = CLI_AFFINITY_FLOATING;
	cli_usage(&prog, f);
	fclose(f);
	cr_expect(strstr(text, "(default: 64:192:64)"), "%s", text);
	cr_expect(strstr(text, "(default: 1.5Mpps)"), "%s", text);
	cr_expect(strstr(text, "(default: 1500ms)"), "%s", text);
	cr_expect(strstr(text, "(default: floating)"), "%s", text);
	/* every help text starts in the same column */
	for (const struct cli_option *o = opts; o->name; o++) {
		char *at = strstr(text, o->help), *line = at;

		cr_assert(at, "help lacks '%s'", o->help);
		while (line > text && line[-1] != '\n')
			line--;
		if (!col)
			col = (size_t)(at - line);
		cr_expect_eq((size_t)(at - line), col, "'%s' starts at column %zu, not %zu",
			     o->help, (size_t)(at - line), col);
	}
	free(text);
}

Test(cli, table_options_named_help_or_h_win_over_the_builtin)
{
	static bool hugepages;
	static const struct cli_option own[] = {
		{"hugepages", 'h', CLI_FLAG, &hugepages, NULL, "use huge pages"},
		{NULL},
	};
	const struct cli_program p = {.name = "x", .usage = "[options]", .opts = own};
	ARGV("-h");
	struct run r = run_parse(&p, argc, argv);

	cr_expect_eq(r.rc, 0);
	cr_expect(hugepages);
	cr_expect_str_empty(r.out);
	run_free(&r);
}

Test(cli, parse_options_refuses_positionals_and_reports_help, .init = set_defaults)
{
	char *ok[] = {"tgen", "--batch", "8"}, *extra[] = {"tgen", "--batch", "8", "stray"};
	char *help[] = {"tgen", "--help"}, *bad[] = {"tgen", "--batch", "0"};
	struct run r;

	options_only = true;
	r = run_parse(&prog, 3, ok);
	cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
	cr_expect_eq(batch, 8);
	run_free(&r);
	r = run_parse(&prog, 4, extra);
	cr_expect_eq(r.rc, LR_EXIT_USAGE);
	cr_expect(strstr(r.err, "tgen: unexpected argument 'stray' (run 'tgen --help')"), "%s",
		  r.err);
	run_free(&r);
	r = run_parse(&prog, 2, help);
	cr_expect_eq(r.rc, -1, "--help is not an error");
	cr_expect(strstr(r.out, "usage: tgen"), "%s", r.out);
	run_free(&r);
	r = run_parse(&prog, 3, bad);
	cr_expect_eq(r.rc, LR_EXIT_USAGE);
	cr_expect(strstr(r.err, "batch"), "%s", r.err);
	run_free(&r);
	options_only = false;
}

Test(cli, duration0_takes_zero_and_duration_does_not)
{
	char err[CLI_ERR_LEN];
	uint64_t ns = 7;

	cr_assert_eq(cli_parse_duration0("0s", &ns, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(ns, 0);
	ns = 7;
	cr_assert_eq(cli_parse_duration0("0", &ns, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(ns, 0);
	cr_assert_eq(cli_parse_duration0("250ms", &ns, err, sizeof(err)), 0);
	cr_assert_eq(ns, 250000000ull);
	cr_assert_eq(cli_parse_duration0("-1s", &ns, err, sizeof(err)), -EINVAL);
	cr_assert_eq(cli_parse_duration("0s", &ns, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "zero"), "%s", err);
}

/* cli_parse() of argv (NULL-terminated) against table; returns its result. */
static int parse_with(const struct cli_option *table, const char **args)
{
	const struct cli_program prog = {"lr-test", "[options]", "a test", table};
	char *argv[8];
	int argc = 0, first;

	for (; args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	argv[argc] = NULL;
	return cli_parse(&prog, argc, argv, &first);
}

Test(cli, a_table_with_a_name_or_letter_twice_is_refused, .init = cr_redirect_stderr)
{
	long a = 0, b = 0;
	char err[CLI_ERR_LEN];
	const struct cli_option twice[] = {{"port", 'p', CLI_INT, &a, NULL, "a"},
					   {"port", 0, CLI_STRING, &b, NULL, "b"},
					   {NULL}};
	const struct cli_option letter[] = {{"flows", 'f', CLI_INT, &a, NULL, "a"},
					    {"format", 'f', CLI_INT, &b, NULL, "b"},
					    {NULL}};
	const struct cli_option good[] = {{"flows", 'f', CLI_INT, &a, NULL, "a"},
					  {"format", 0, CLI_INT, &b, NULL, "b"},
					  {NULL}};
	const struct cli_program p1 = {"t", "", "", twice}, p2 = {"t", "", "", letter},
				 p4 = {"t", "", "", good};
	const char *args[] = {"lr-test", "--port", "8080", NULL};

	cr_assert_eq(cli_check_table(&p1, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "--port is defined twice");
	cr_assert_eq(cli_check_table(&p2, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "-f means both --flows and --format");
	cr_assert_eq(cli_check_table(&p4, err, sizeof(err)), 0);
	/* the parser itself refuses a bad table instead of taking the first match */
	cr_assert_eq(parse_with(twice, args), -EINVAL);
	cr_assert_eq(a, 0, "nothing was parsed");
}

Test(cli, an_options_table_grows_by_appending_and_stays_terminated)
{
	long a = 0, b = 0, c = 0;
	const struct cli_option own[] = {{"alpha", 'a', CLI_INT, &a, NULL, "a"},
					 {"beta", 0, CLI_INT, &b, NULL, "b"}};
	const struct cli_option group[] = {{"gamma", 'g', CLI_INT, &c, NULL, "c"}};
	struct cli_options t = {0};

	CLI_OPTIONS_ADD(&t, own);
	cr_assert_eq(t.n, 2);
	cr_assert_null(t.opts[2].name, "terminated after each append");
	CLI_OPTIONS_ADD(&t, group);
	cr_assert_eq(t.n, 3);
	cr_assert_str_eq(t.opts[0].name, "alpha");
	cr_assert_str_eq(t.opts[2].name, "gamma");
	cr_assert_eq(t.opts[2].dest, &c);
	cr_assert_null(t.opts[3].name);
}

Test(cli, an_options_table_that_overflows_aborts, .signal = SIGABRT, .init = cr_redirect_stderr)
{
	long a = 0;
	const struct cli_option row[] = {{"alpha", 0, CLI_INT, &a, NULL, "a"}};
	struct cli_options t = {0};

	for (unsigned i = 0; i <= CLI_OPTIONS_MAX; i++)
		CLI_OPTIONS_ADD(&t, row);
}

Test(cli, version_is_answered_by_every_table, .init = cr_redirect_stdout)
{
	long a = 0;
	const struct cli_option table[] = {{"count", 'c', CLI_INT, &a, NULL, "a"}, {NULL}};
	const char *args[] = {"lr-test", "--version", NULL};

	cr_assert_eq(parse_with(table, args), 1, "like --help: the program exits 0");
	fflush(stdout);
	/* the commit is cli.o's, which may predate this file's build: not compared */
	char out[256] = "";
	FILE *f = cr_get_redirected_stdout();

	cr_assert_not_null(fgets(out, sizeof(out), f));
	cr_assert(!strncmp(out, "lr-test (linerate) " LR_VERSION ", commit ",
			   strlen("lr-test (linerate) " LR_VERSION ", commit ")),
		  "%s", out);
	cr_assert(strstr(out, ", DPDK " LR_DPDK_VERSION "\n"), "%s", out);
}

Test(cli, rates_in_bits_per_second_and_links_above_100g)
{
	struct cli_rate r;
	char err[CLI_ERR_LEN], buf[32];
	double link = 0;

	cr_assert_eq(cli_parse_rate("5Gbps", &r, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.kind, CLI_RATE_BPS);
	cr_assert_float_eq(r.value, 5e9, 1);
	/* on the wire, as the line rate: 64 B + 20 B of preamble and gap = 672 bits */
	cr_assert_float_eq(cli_rate_pps(&r, 64, 10e9), 5e9 / 672.0, 1e-3);
	cr_assert_str_eq(cli_rate_str(&r, buf, sizeof(buf)), "5Gbps");
	cr_assert_eq(cli_parse_rate("800Mbps", &r, err, sizeof(err)), 0);
	cr_assert_float_eq(r.value, 800e6, 1);
	cr_assert_str_eq(cli_rate_str(&r, buf, sizeof(buf)), "800Mbps");
	cr_assert_eq(cli_parse_rate("0Gbps", &r, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "5Gbps"), "the forms name bit rates: %s", err);
	cr_assert_eq(rate_link_parse("400G", &link), 0);
	cr_assert_float_eq(link, 400e9, 1);
	cr_assert_eq(rate_link_parse("800g", &link), 0);
	cr_assert_float_eq(link, 800e9, 1);
	cr_assert_eq(rate_link_parse("50G", &link), 0);
}

/* A shared option whose effect differs per program gets that program's own help text. */
Test(cli, options_help_replaces_one_options_text_only)
{
	bool huge = false, poll = false;
	const struct cli_option rows[] = {
		{"hugepages", 0, CLI_ONOFF, &huge, NULL, "shared text"},
		{"poll", 0, CLI_FLAG, &poll, NULL, "busy-poll"},
	};
	struct cli_options t = {0};

	CLI_OPTIONS_ADD(&t, rows);
	cli_options_help(&t, "hugepages", "fwd-afp: its descriptors only");
	cr_expect_str_eq(t.opts[0].help, "fwd-afp: its descriptors only");
	cr_expect_str_eq(t.opts[1].help, "busy-poll");
	cr_expect_null(t.opts[2].name, "the table still ends after its two rows");
}
