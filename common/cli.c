// SPDX-License-Identifier: MIT
/*
 * cli.c: the option-table parser and --help generator behind every linerate program, and the
 * value parsers (frame sizes, rates, durations, on/off, enums, integers) it shares with code
 * that parses positional arguments. Every error names the value and lists the accepted forms,
 * so a user can fix the command line without reading the source.
 *
 * Behaviour beyond cli.h, decided here:
 * - argv is permuted like GNU getopt: options may come before, between or after positionals;
 *   options are moved to the front and positionals keep their order, so argv[*first_arg..argc)
 *   are exactly the positionals. "--" ends options; it stays just before *first_arg.
 * - "--name value" takes the next argument as the value unless it is missing or starts with
 *   "--" (then the option "needs a value"); "-5" is passed on so the parser can say what is
 *   wrong with it. Short options take "-x value" or "-xVALUE"; flags take no value.
 * - "--help" and "-h" print the help and return 1, unless the table defines them itself.
 * - A single "-" is a positional (the usual name for stdin).
 * - CLI_SIZES honours the option's max as the largest frame size when min < max.
 * Value forms: sizes are comma-separated items, each a size or an end-inclusive range
 * "start:end:step" ("64:1518" without a step is rejected rather than guessed); rate and
 * duration units and on/off/enum names are case-insensitive; on/off also takes yes/no;
 * durations and rates must be above 0 (unpaced is 'max'); integers take a k (x1000) or
 * M (x1000000) suffix. Parsers leave *out untouched on error.
 */
#include "cli.h"
#include "lr.h"

#include "rate.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct cli_enum cli_affinity_enum[] = {
	{"pinned", CLI_AFFINITY_PINNED},
	{"floating", CLI_AFFINITY_FLOATING},
	{NULL, 0},
};

const struct cli_enum cli_format_enum[] = {
	{"human", CLI_FORMAT_HUMAN},
	{"csv", CLI_FORMAT_CSV},
	{"json", CLI_FORMAT_JSON},
	{NULL, 0},
};

#define SIZES_FORMS "%u..%u as '64,128,1518', '64:1518:64' or 'rfc2544'"
#define RATE_FORMS                                                                                 \
	"'1.5Mpps', '800kpps', '1000pps', '5Gbps' or '800Mbps' on the wire, '50%' of the link, "   \
	"'line' or 'max'"
#define DUR_FORMS   "'2s', '500ms', '250us', '100ns', '1m' or '1.5s'; a plain number is seconds"
#define ONOFF_FORMS "on|off or yes|no"
#define LINK_FORMS  "1G, 2.5G, 10G, 25G, 40G, 50G, 100G, 200G, 400G or 800G"
#define VAL_SHOWN   60 /* characters of a bad value quoted in a message */
#define HELP_COL    34 /* widest option column before the help moves to its own line */

/* Writes "PROBLEM (accepted: FORMS)" into err; returns -EINVAL. */
static int fail(char *err, size_t errlen, const char *forms, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, const char *forms, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return -EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < errlen && forms)
		snprintf(err + n, errlen - n, " (accepted: %s)", forms);
	return -EINVAL;
}

/* Parses an unsigned decimal ("12", "1.5", ".5") at s; no sign, exponent or hex. Sets *end
 * past it and returns true, or returns false when s does not start with such a number. */
static bool parse_decimal(const char *s, double *v, const char **end)
{
	const char *p = s;
	char *e;
	int digits = 0, dots = 0;

	for (; isdigit((unsigned char)*p) || *p == '.'; p++) {
		if (*p == '.')
			dots++;
		else
			digits++;
	}
	if (!digits || dots > 1)
		return false;
	*v = strtod(s, &e);
	if (e != p || !isfinite(*v))
		return false;
	*end = p;
	return true;
}

/* Parses one size of a sizes item at p (digits only); returns false if there are none. */
static bool parse_size_num(const char *p, const char **end, unsigned long *v)
{
	char *e;

	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	*v = strtoul(p, &e, 10);
	if (errno == ERANGE || *v > UINT_MAX)
		*v = UINT_MAX;
	*end = e;
	return true;
}

/* Checks one bound of a size item and reports it against the whole item. */
static int check_size(unsigned long v, unsigned max, const char *item, int len, const char *forms,
		      char *err, size_t errlen)
{
	if (v < RATE_MIN_FRAME)
		return fail(err, errlen, forms, "'%.*s' is below %u", len, item, RATE_MIN_FRAME);
	if (v > max)
		return fail(err, errlen, forms, "'%.*s' is above %u", len, item, max);
	return 0;
}

/* Parses one comma-separated item ("64" or "64:1518:64") of length len and appends it. */
static int parse_size_item(const char *item, int len, unsigned max, const char *forms,
			   struct cli_sizes *out, char *err, size_t errlen)
{
	const char *p = item, *stop = item + len;
	unsigned long v[3];
	int n = 0, ret;

	while (n < 3 && parse_size_num(p, &p, &v[n])) {
		n++;
		if (p == stop || *p != ':')
			break;
		p++;
	}
	if (!n || p != stop)
		return fail(err, errlen, forms, "'%.*s' is not a size", len, item);
	if (n == 2)
		return fail(err, errlen, forms, "'%.*s' needs a step, as in '%lu:%lu:64'", len,
			    item, v[0], v[1]);
	for (int i = 0; i < (n == 3 ? 2 : 1); i++) {
		ret = check_size(v[i], max, item, len, forms, err, errlen);
		if (ret)
			return ret;
	}
	if (n == 1)
		v[1] = v[0], v[2] = 1;
	if (!v[2])
		return fail(err, errlen, forms, "'%.*s' has step 0", len, item);
	if (v[0] > v[1])
		return fail(err, errlen, forms, "'%.*s' starts above its end", len, item);
	for (unsigned long s = v[0]; s <= v[1]; s += v[2]) {
		if (out->n == CLI_MAX_SIZES)
			return fail(err, errlen, forms, "'%.*s' gives more than %d sizes", len,
				    item, CLI_MAX_SIZES);
		out->v[out->n++] = (unsigned)s;
	}
	return 0;
}

int cli_parse_sizes(const char *s, unsigned max_size, struct cli_sizes *out, char *err,
		    size_t errlen)
{
	struct cli_sizes tmp = {0};
	char forms[128];
	const char *p = s;
	int ret;

	if (!max_size)
		max_size = RATE_MAX_JUMBO;
	snprintf(forms, sizeof(forms), SIZES_FORMS, RATE_MIN_FRAME, max_size);
	if (!strcasecmp(s, "rfc2544")) {
		for (unsigned i = 0; i < 7; i++) {
			if (rate_rfc2544_sizes[i] > max_size)
				return fail(err, errlen, forms, "'rfc2544' has %u, above %u",
					    rate_rfc2544_sizes[i], max_size);
			tmp.v[tmp.n++] = rate_rfc2544_sizes[i];
		}
		*out = tmp;
		return 0;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		int len = comma ? (int)(comma - p) : (int)strlen(p);

		ret = parse_size_item(p, len, max_size, forms, &tmp, err, errlen);
		if (ret)
			return ret;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = tmp;
	return 0;
}

int cli_parse_rate(const char *s, struct cli_rate *out, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"", 1},     {"pps", 1},     {"kpps", 1e3},  {"mpps", 1e6},  {"%", 0},
		     {"bps", -1}, {"kbps", -1e3}, {"mbps", -1e6}, {"gbps", -1e9}, {"tbps", -1e12}};
	const char *end;
	double v;

	if (!strcasecmp(s, "line") || !strcasecmp(s, "max")) {
		out->kind = tolower((unsigned char)s[0]) == 'l' ? CLI_RATE_LINE : CLI_RATE_MAX;
		out->value = 0;
		return 0;
	}
	if (s[0] == '-')
		return fail(err, errlen, RATE_FORMS, "'%.*s' is negative", VAL_SHOWN, s);
	if (!parse_decimal(s, &v, &end))
		return fail(err, errlen, RATE_FORMS, "'%.*s' is not a rate", VAL_SHOWN, s);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit))
			continue;
		if (v == 0)
			return fail(err, errlen, RATE_FORMS,
				    "'%.*s' is zero (for an unpaced run say 'max')", VAL_SHOWN, s);
		if (!units[i].mult && v > 100)
			return fail(err, errlen, RATE_FORMS, "'%.*s' is above 100%%", VAL_SHOWN, s);
		if (units[i].mult < 0) { /* bits per second (negative: marks the kind) */
			out->kind = CLI_RATE_BPS;
			out->value = -v * units[i].mult;
			return 0;
		}
		out->kind = units[i].mult ? CLI_RATE_PPS : CLI_RATE_PERCENT;
		out->value = units[i].mult ? v * units[i].mult : v;
		return 0;
	}
	return fail(err, errlen, RATE_FORMS, "'%.*s' has an unknown unit '%.*s'", VAL_SHOWN, s,
		    VAL_SHOWN, end);
}

static int parse_duration(const char *s, bool zero_ok, uint64_t *ns, char *err, size_t errlen);

int cli_parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	return parse_duration(s, false, ns, err, errlen);
}

int cli_parse_duration0(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	return parse_duration(s, true, ns, err, errlen);
}

static int parse_duration(const char *s, bool zero_ok, uint64_t *ns, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"", 1e9}, {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1}, {"m", 60e9}};
	const char *end;
	double v, t;

	if (s[0] == '-')
		return fail(err, errlen, DUR_FORMS, "'%.*s' is negative", VAL_SHOWN, s);
	if (!parse_decimal(s, &v, &end))
		return fail(err, errlen, DUR_FORMS, "'%.*s' is not a duration", VAL_SHOWN, s);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit))
			continue;
		t = round(v * units[i].mult);
		if (v == 0 && zero_ok) {
			*ns = 0;
			return 0;
		}
		if (v == 0)
			return fail(err, errlen, DUR_FORMS,
				    "'%.*s' is zero (a duration must be above 0)", VAL_SHOWN, s);
		if (t < 1)
			return fail(err, errlen, DUR_FORMS, "'%.*s' is below 1ns", VAL_SHOWN, s);
		if (t > 1e18)
			return fail(err, errlen, DUR_FORMS, "'%.*s' is too long (over 31 years)",
				    VAL_SHOWN, s);
		*ns = (uint64_t)t;
		return 0;
	}
	return fail(err, errlen, DUR_FORMS, "'%.*s' has an unknown unit '%.*s'", VAL_SHOWN, s,
		    VAL_SHOWN, end);
}

int cli_parse_onoff(const char *s, bool *out, char *err, size_t errlen)
{
	if (!strcasecmp(s, "on") || !strcasecmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(s, "off") || !strcasecmp(s, "no")) {
		*out = false;
		return 0;
	}
	return fail(err, errlen, ONOFF_FORMS, "'%.*s' is not on or off", VAL_SHOWN, s);
}

/* Writes the enum's names joined by '|' into buf; returns buf. */
static const char *enum_names(const struct cli_enum *enums, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const struct cli_enum *e = enums; e && e->name && n < len; e++) {
		int w = snprintf(buf + n, len - n, "%s%s", e == enums ? "" : "|", e->name);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

int cli_parse_enum(const char *s, const struct cli_enum *enums, int *out, char *err, size_t errlen)
{
	char names[160];

	for (const struct cli_enum *e = enums; e && e->name; e++) {
		if (!strcasecmp(s, e->name)) {
			*out = e->value;
			return 0;
		}
	}
	enum_names(enums, names, sizeof(names));
	return fail(err, errlen, NULL, "'%.*s' is not one of %s", VAL_SHOWN, s, names);
}

/* Describes the integers accepted in [min, max] (no range when min >= max) into buf. */
static const char *int_forms(long min, long max, char *buf, size_t len)
{
	if (min < max)
		snprintf(buf, len, "a whole number from %ld to %ld; 10k = 10000, 1M = 1000000", min,
			 max);
	else
		snprintf(buf, len, "a whole number; 10k = 10000, 1M = 1000000");
	return buf;
}

int cli_parse_int(const char *s, long min, long max, long *out, char *err, size_t errlen)
{
	const char *digits = s[0] == '-' ? s + 1 : s;
	char forms[96];
	long v, mult = 1;
	char *end;

	int_forms(min, max, forms, sizeof(forms));
	if (!isdigit((unsigned char)*digits))
		return fail(err, errlen, forms, "'%.*s' is not a whole number", VAL_SHOWN, s);
	errno = 0;
	v = strtol(s, &end, 10);
	if (!strcmp(end, "k") || !strcmp(end, "K"))
		mult = 1000;
	else if (!strcmp(end, "M"))
		mult = 1000000;
	else if (*end)
		return fail(err, errlen, forms, "'%.*s' is not a whole number", VAL_SHOWN, s);
	if (errno == ERANGE || v > LONG_MAX / mult || v < LONG_MIN / mult)
		return fail(err, errlen, forms, "'%.*s' is too large", VAL_SHOWN, s);
	v *= mult;
	if (min < max && v < min)
		return fail(err, errlen, forms, "'%.*s' is below %ld", VAL_SHOWN, s, min);
	if (min < max && v > max)
		return fail(err, errlen, forms, "'%.*s' is above %ld", VAL_SHOWN, s, max);
	*out = v;
	return 0;
}

/* Parses a CLI_DOUBLE value ("0.5", "-3", "12") within [min, max] when min < max. */
static int parse_double(const char *s, double min, double max, double *out, char *err,
			size_t errlen)
{
	const char *num = s[0] == '-' ? s + 1 : s, *end;
	char forms[96];
	double v;

	if (min < max)
		snprintf(forms, sizeof(forms), "a number from %g to %g", min, max);
	else
		snprintf(forms, sizeof(forms), "a number such as 0.5 or 12");
	if (!parse_decimal(num, &v, &end) || *end)
		return fail(err, errlen, forms, "'%.*s' is not a number", VAL_SHOWN, s);
	if (num != s)
		v = -v;
	if (min < max && v < min)
		return fail(err, errlen, forms, "'%.*s' is below %g", VAL_SHOWN, s, min);
	if (min < max && v > max)
		return fail(err, errlen, forms, "'%.*s' is above %g", VAL_SHOWN, s, max);
	*out = v;
	return 0;
}

double cli_rate_pps(const struct cli_rate *rate, unsigned frame_len, double link_bps)
{
	switch (rate->kind) {
	case CLI_RATE_PPS:
		return rate->value;
	case CLI_RATE_PERCENT:
		return rate->value / 100.0 * rate_pps(frame_len, link_bps);
	case CLI_RATE_LINE:
		return rate_pps(frame_len, link_bps);
	case CLI_RATE_BPS:
		return rate_pps(frame_len, rate->value);
	case CLI_RATE_MAX:
		break;
	}
	return 0;
}

const char *cli_rate_str(const struct cli_rate *rate, char *buf, size_t len)
{
	double v = rate->value;

	switch (rate->kind) {
	case CLI_RATE_PPS:
		if (v >= 1e6)
			snprintf(buf, len, "%.10gMpps", v / 1e6);
		else if (v >= 1e3)
			snprintf(buf, len, "%.10gkpps", v / 1e3);
		else
			snprintf(buf, len, "%.10gpps", v);
		break;
	case CLI_RATE_PERCENT:
		snprintf(buf, len, "%.10g%%", v);
		break;
	case CLI_RATE_LINE:
		snprintf(buf, len, "line");
		break;
	case CLI_RATE_MAX:
		snprintf(buf, len, "max");
		break;
	case CLI_RATE_BPS:
		if (v >= 1e9)
			snprintf(buf, len, "%.10gGbps", v / 1e9);
		else if (v >= 1e6)
			snprintf(buf, len, "%.10gMbps", v / 1e6);
		else if (v >= 1e3)
			snprintf(buf, len, "%.10gkbps", v / 1e3);
		else
			snprintf(buf, len, "%.10gbps", v);
		break;
	}
	return buf;
}

/* Writes a duration in the largest unit that shows it exactly ("2s", "1500ms", "1m"). */
static const char *duration_str(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {{"m", 60000000000ull}, {"s", 1000000000ull}, {"ms", 1000000}, {"us", 1000}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns && ns % units[i].mult == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(ns / units[i].mult),
				 units[i].unit);
			return buf;
		}
	}
	snprintf(buf, len, ns ? "%lluns" : "%llus", (unsigned long long)ns);
	return buf;
}

/* Writes a sizes list as "rfc2544", "start:end:step" or "64,128"; empty when there are none. */
static const char *sizes_str(const struct cli_sizes *sz, char *buf, size_t len)
{
	size_t n = 0;
	bool rfc = sz->n == 7, step = sz->n >= 3 && sz->v[1] > sz->v[0];

	for (unsigned i = 0; i < sz->n; i++) {
		rfc = rfc && sz->v[i] == rate_rfc2544_sizes[i];
		step = step && (i < 2 || sz->v[i] - sz->v[i - 1] == sz->v[1] - sz->v[0]);
	}
	buf[0] = '\0';
	if (rfc)
		snprintf(buf, len, "rfc2544");
	else if (step)
		snprintf(buf, len, "%u:%u:%u", sz->v[0], sz->v[sz->n - 1], sz->v[1] - sz->v[0]);
	for (unsigned i = 0; !rfc && !step && i < sz->n && n < len; i++) {
		int w = snprintf(buf + n, len - n, "%s%u", i ? "," : "", sz->v[i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

/* Returns the largest frame size a CLI_SIZES option accepts. */
static unsigned opt_max_size(const struct cli_option *o)
{
	return o->min < o->max && o->max >= RATE_MIN_FRAME ? (unsigned)o->max : RATE_MAX_JUMBO;
}

/* Writes the accepted forms of an option's value into buf (for "needs a value"); returns buf. */
static const char *opt_forms(const struct cli_option *o, char *buf, size_t len)
{
	switch (o->type) {
	case CLI_FLAG:
	case CLI_STRING:
		snprintf(buf, len, "any text");
		break;
	case CLI_ONOFF:
		snprintf(buf, len, "%s", ONOFF_FORMS);
		break;
	case CLI_INT:
		int_forms((long)o->min, (long)o->max, buf, len);
		break;
	case CLI_DOUBLE:
		if (o->min < o->max)
			snprintf(buf, len, "a number from %g to %g", o->min, o->max);
		else
			snprintf(buf, len, "a number such as 0.5 or 12");
		break;
	case CLI_ENUM:
		enum_names(o->enums, buf, len);
		break;
	case CLI_SIZES:
		snprintf(buf, len, SIZES_FORMS, RATE_MIN_FRAME, opt_max_size(o));
		break;
	case CLI_RATE:
		snprintf(buf, len, "%s", RATE_FORMS);
		break;
	case CLI_DURATION:
		snprintf(buf, len, "%s", DUR_FORMS);
		break;
	case CLI_DURATION0:
		snprintf(buf, len, "%s; 0 for none", DUR_FORMS);
		break;
	case CLI_LINK:
		snprintf(buf, len, "%s", LINK_FORMS);
		break;
	}
	return buf;
}

/* Returns the metavar shown for an option's value ("SIZES", "on|off", "pinned|floating"). */
static const char *opt_metavar(const struct cli_option *o, char *buf, size_t len)
{
	static const char *const names[] = {
		[CLI_FLAG] = "",          [CLI_ONOFF] = "on|off", [CLI_INT] = "N",
		[CLI_DOUBLE] = "X",       [CLI_STRING] = "STR",   [CLI_ENUM] = "NAME",
		[CLI_SIZES] = "SIZES",    [CLI_RATE] = "RATE",    [CLI_DURATION] = "TIME",
		[CLI_DURATION0] = "TIME", [CLI_LINK] = "SPEED",
	};

	if (o->metavar)
		return o->metavar;
	if (o->type == CLI_ENUM)
		return enum_names(o->enums, buf, len);
	return names[o->type];
}

/* Parses val into the option's destination; on error writes the message into err. */
static int opt_set(const struct cli_option *o, const char *val, char *err, size_t errlen)
{
	switch (o->type) {
	case CLI_FLAG:
		*(bool *)o->dest = true;
		return 0;
	case CLI_ONOFF:
		return cli_parse_onoff(val, o->dest, err, errlen);
	case CLI_INT:
		return cli_parse_int(val, (long)o->min, (long)o->max, o->dest, err, errlen);
	case CLI_DOUBLE:
		return parse_double(val, o->min, o->max, o->dest, err, errlen);
	case CLI_STRING:
		*(const char **)o->dest = val;
		return 0;
	case CLI_ENUM:
		return cli_parse_enum(val, o->enums, o->dest, err, errlen);
	case CLI_SIZES:
		return cli_parse_sizes(val, opt_max_size(o), o->dest, err, errlen);
	case CLI_RATE:
		return cli_parse_rate(val, o->dest, err, errlen);
	case CLI_DURATION:
		return cli_parse_duration(val, o->dest, err, errlen);
	case CLI_DURATION0:
		return cli_parse_duration0(val, o->dest, err, errlen);
	case CLI_LINK:
		if (!rate_link_parse(val, o->dest))
			return 0;
		return fail(err, errlen, LINK_FORMS, "'%.*s' is not a link speed", VAL_SHOWN, val);
	}
	return fail(err, errlen, NULL, "option type %d is unknown", (int)o->type);
}

/* Writes the current value of an option's destination for --help; empty when there is none. */
static const char *opt_default(const struct cli_option *o, char *buf, size_t len)
{
	if (o->def) {
		snprintf(buf, len, "%s", o->def);
		return buf;
	}
	buf[0] = '\0';
	switch (o->type) {
	case CLI_FLAG:
		break;
	case CLI_ONOFF:
		snprintf(buf, len, "%s", *(bool *)o->dest ? "on" : "off");
		break;
	case CLI_INT:
		snprintf(buf, len, "%ld", *(long *)o->dest);
		break;
	case CLI_DOUBLE:
		snprintf(buf, len, "%g", *(double *)o->dest);
		break;
	case CLI_STRING:
		snprintf(buf, len, "%s", *(const char **)o->dest ? *(const char **)o->dest : "");
		break;
	case CLI_ENUM:
		for (const struct cli_enum *e = o->enums; e && e->name; e++) {
			if (e->value == *(int *)o->dest) {
				snprintf(buf, len, "%s", e->name);
				break;
			}
		}
		break;
	case CLI_SIZES:
		return sizes_str(o->dest, buf, len);
	case CLI_RATE:
		return cli_rate_str(o->dest, buf, len);
	case CLI_DURATION:
	case CLI_DURATION0:
		return duration_str(*(uint64_t *)o->dest, buf, len);
	case CLI_LINK:
		if (*(double *)o->dest > 0)
			rate_link_name(*(double *)o->dest, buf, len);
		break;
	}
	return buf;
}

/* Writes the left column of an option's help line ("-s, --size SIZES") into buf. */
static int opt_left(const struct cli_option *o, char *buf, size_t len)
{
	char mv[160];
	const char *m = opt_metavar(o, mv, sizeof(mv));

	if (o->short_name)
		return snprintf(buf, len, "-%c, --%s%s%s", o->short_name, o->name, *m ? " " : "",
				m);
	return snprintf(buf, len, "    --%s%s%s", o->name, *m ? " " : "", m);
}

void cli_usage(const struct cli_program *prog, void *f)
{
	FILE *out = f;
	const struct cli_option *o;
	char left[256], def[512];
	int w, width = 10; /* "-h, --help" */

	fprintf(out, "usage: %s %s\n", prog->name, prog->usage ? prog->usage : "[options]");
	if (prog->summary)
		fprintf(out, "\n%s\n", prog->summary);
	fprintf(out, "\noptions:\n");
	for (o = prog->opts; o && o->name; o++) {
		w = opt_left(o, left, sizeof(left));
		if (w > width && w <= HELP_COL)
			width = w;
	}
	for (o = prog->opts; o && o->name; o++) {
		w = opt_left(o, left, sizeof(left));
		fprintf(out, "  %-*s", width, left);
		if (w > width)
			fprintf(out, "\n  %-*s", width, "");
		fprintf(out, "  %s", o->help ? o->help : "");
		if (o->type == CLI_ENUM && o->metavar)
			fprintf(out, " (%s)", enum_names(o->enums, def, sizeof(def)));
		if (*opt_default(o, def, sizeof(def)))
			fprintf(out, " (default: %s)", def);
		fprintf(out, "\n");
	}
	fprintf(out, "  %-*s  show this help and exit\n", width, "-h, --help");
	fprintf(out, "  %-*s  show the version and exit\n", width, "    --version");
}

/* Writes s for a Markdown table cell: '|' escaped. */
static void md_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

void cli_table(const struct cli_program *prog, void *f)
{
	FILE *out = f;
	char mv[160], def[512];

	for (const struct cli_option *o = prog->opts; o && o->name; o++) {
		const char *m = opt_metavar(o, mv, sizeof(mv));

		fprintf(out, "| `%s` | ", prog->name);
		if (o->short_name)
			fprintf(out, "`-%c`", o->short_name);
		fprintf(out, " | `--%s%s", o->name, *m ? " " : "");
		md_put(out, m);
		fputs("` | ", out);
		md_put(out, o->help ? o->help : "");
		if (o->type == CLI_ENUM && o->metavar) {
			fputs(" (", out);
			md_put(out, enum_names(o->enums, def, sizeof(def)));
			fputs(")", out);
		}
		if (*opt_default(o, def, sizeof(def))) {
			fputs(" (default: ", out);
			md_put(out, def);
			fputs(")", out);
		}
		fputs(" |\n", out);
	}
}

void cli_version(const char *name, void *f)
{
	fprintf(f, "%s (linerate) %s, commit %s, DPDK %s\n", name, LR_VERSION, LR_GIT_COMMIT,
		LR_DPDK_VERSION);
}

void cli_options_add(struct cli_options *t, const struct cli_option *rows, unsigned n)
{
	if (n > CLI_OPTIONS_MAX - t->n) {
		fprintf(stderr, "cli: option table full at --%s (raise CLI_OPTIONS_MAX)\n",
			rows[0].name);
		abort();
	}
	memcpy(t->opts + t->n, rows, n * sizeof(*rows));
	t->n += n;
	t->opts[t->n] = (struct cli_option){NULL};
}

void cli_options_help(struct cli_options *t, const char *name, const char *help)
{
	for (unsigned i = 0; i < t->n; i++)
		if (!strcmp(t->opts[i].name, name)) {
			t->opts[i].help = help;
			return;
		}
	fprintf(stderr, "cli: no option --%s to describe\n", name);
	abort();
}

int cli_check_table(const struct cli_program *prog, char *err, size_t errlen)
{
	const struct cli_option *t = prog->opts;

	for (unsigned i = 0; t[i].name; i++) {
		for (unsigned j = 0; j < i; j++) {
			if (!strcmp(t[i].name, t[j].name)) {
				snprintf(err, errlen, "--%s is defined twice", t[i].name);
				return -EINVAL;
			}
			if (t[i].short_name && t[i].short_name == t[j].short_name) {
				snprintf(err, errlen, "-%c means both --%s and --%s",
					 t[i].short_name, t[j].name, t[i].name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Finds an option by long name (len bytes of name) or, when name is NULL, by short name. */
static const struct cli_option *opt_find(const struct cli_program *prog, const char *name,
					 size_t len, char short_name)
{
	for (const struct cli_option *o = prog->opts; o && o->name; o++) {
		if (name ? strlen(o->name) == len && !strncmp(o->name, name, len)
			 : o->short_name == short_name)
			return o;
	}
	return NULL;
}

/* Prints "PROG: --name needs a value (METAVAR: FORMS)", without METAVAR when FORMS starts with
 * it (as for enums). */
static void missing_value(const struct cli_program *prog, const struct cli_option *o)
{
	char mv[CLI_ERR_LEN], forms[CLI_ERR_LEN];
	const char *m = opt_metavar(o, mv, sizeof(mv));

	opt_forms(o, forms, sizeof(forms));
	if (!strncmp(forms, m, strlen(m)))
		fprintf(stderr, "%s: --%s needs a value (%s)\n", prog->name, o->name, forms);
	else
		fprintf(stderr, "%s: --%s needs a value (%s: %s)\n", prog->name, o->name, m, forms);
}

/* Handles the option at argv[i]: 0 with *used set to the arguments it took, 1 after --help,
 * -EINVAL after printing the error. */
static int parse_opt(const struct cli_program *prog, int argc, char **argv, int i, int *used)
{
	const char *a = argv[i], *val = NULL, *eq = NULL;
	const struct cli_option *o;
	char err[CLI_ERR_LEN];
	size_t len = 1;

	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		o = opt_find(prog, a + 2, len - 2, 0);
		val = eq ? eq + 1 : NULL;
	} else {
		o = opt_find(prog, NULL, 0, a[1]);
		val = a[2] ? a + 2 : NULL;
		len = 2;
	}
	if (!o && !val && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
		cli_usage(prog, stdout);
		return 1;
	}
	if (!o && !val && !strcmp(a, "--version")) {
		cli_version(prog->name, stdout);
		return 1;
	}
	if (!o && !val && !strcmp(a, "--help-table")) {
		cli_table(prog, stdout);
		return 1;
	}
	if (!o) {
		fprintf(stderr, "%s: unknown option '%.*s' (run '%s --help' for the options)\n",
			prog->name, (int)len, a, prog->name);
		return -EINVAL;
	}
	*used = 1;
	if (o->type == CLI_FLAG && val) {
		fprintf(stderr, "%s: --%s takes no value (give it alone: '--%s')\n", prog->name,
			o->name, o->name);
		return -EINVAL;
	}
	if (o->type != CLI_FLAG && !val) {
		if (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2)) {
			missing_value(prog, o);
			return -EINVAL;
		}
		val = argv[i + 1];
		*used = 2;
	}
	if (opt_set(o, val, err, sizeof(err))) {
		fprintf(stderr, "%s: --%s: %s\n", prog->name, o->name, err);
		return -EINVAL;
	}
	return 0;
}

/* Moves argv[from..from+n) to argv[to..to+n), shifting argv[to..from) up; to <= from. */
static void rotate(char **argv, int to, int from, int n)
{
	for (int k = 0; k < n; k++) {
		char *a = argv[from + k];

		memmove(&argv[to + k + 1], &argv[to + k], (size_t)(from - to) * sizeof(*argv));
		argv[to + k] = a;
	}
}

int cli_parse(const struct cli_program *prog, int argc, char **argv, int *first_arg)
{
	int i = 1, out = 1, used, ret;
	char err[CLI_ERR_LEN];

	if (cli_check_table(prog, err, sizeof(err))) {
		fprintf(stderr, "%s: internal error in its option table: %s\n", prog->name, err);
		return -EINVAL;
	}

	while (i < argc) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			rotate(argv, out, i, 1);
			out++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			i++;
			continue;
		}
		ret = parse_opt(prog, argc, argv, i, &used);
		if (ret)
			return ret;
		rotate(argv, out, i, used);
		out += used;
		i += used;
	}
	*first_arg = out;
	return 0;
}

int cli_parse_options(const struct cli_program *prog, int argc, char **argv, const char *hint)
{
	int first;

	switch (cli_parse(prog, argc, argv, &first)) {
	case 0:
		break;
	case 1:
		return -1;
	default:
		return LR_EXIT_USAGE;
	}
	if (first < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (%s%srun '%s --help')\n", prog->name,
			argv[first], hint ? hint : "", hint ? "; " : "", prog->name);
		return LR_EXIT_USAGE;
	}
	return 0;
}
