/* SPDX-License-Identifier: MIT */
/*
 * cli.h: one declarative option table per program generates both the parser and --help
 * (in the manner of xdp-tools' option tables). Values are parsed into typed destinations;
 * every error names the flag, the value and the accepted forms, e.g.
 *   tgen: --size: '32' is below 64 (accepted: 64..9018 as '64,128,1518', '64:1518:64' or 'rfc2544')
 *
 * The same knob has the same flag and type in every program (--size, --batch, --rate,
 * --duration, --hugepages on|off, --affinity pinned|floating, --ring none|lockfree|mutex).
 */
#ifndef LR_CLI_H
#define LR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_SIZES 256
#define CLI_ERR_LEN   256

enum cli_type {
	CLI_FLAG,      /* bool *, no value: set to true */
	CLI_ONOFF,     /* bool *, "on" or "off" */
	CLI_INT,       /* long *, decimal, within [min, max] when min < max */
	CLI_DOUBLE,    /* double *, within [min, max] when min < max */
	CLI_STRING,    /* const char **, the argv string itself */
	CLI_ENUM,      /* int *, one of the names in .enums */
	CLI_SIZES,     /* struct cli_sizes * */
	CLI_RATE,      /* struct cli_rate * */
	CLI_DURATION,  /* uint64_t * nanoseconds: "2s", "500ms", "250us", "1m" */
	CLI_DURATION0, /* CLI_DURATION that also takes 0 ("0", "0s", ...): none, forever */
	CLI_LINK,      /* double * bit/s: "1G", "2.5G", "10G", ... "100G", "400G", "800G" */
};

struct cli_enum {
	const char *name;
	int value;
};

struct cli_option {
	const char *name; /* long name without "--" */
	char short_name;  /* 0 for none */
	enum cli_type type;
	void *dest;
	const char *metavar;          /* shown in --help, e.g. "SIZES"; NULL for a default */
	const char *help;             /* one line; the default is appended from dest's value */
	const struct cli_enum *enums; /* CLI_ENUM: table ending with { NULL, 0 } */
	double min,
		max; /* CLI_INT / CLI_DOUBLE bounds, CLI_SIZES largest size (max); ignored when min >= max */
	const char *def; /* the default --help shows, when it is not dest's value (NULL: dest's) */
};

struct cli_program {
	const char *name;              /* "tgen", "linerate topo" */
	const char *usage;             /* "[options] up|down|status" */
	const char *summary;           /* one paragraph shown by --help */
	const struct cli_option *opts; /* table ending with { NULL } */
};

/* A list of frame sizes (wire sizes, FCS included). */
struct cli_sizes {
	unsigned n;
	unsigned v[CLI_MAX_SIZES];
};

enum cli_rate_kind {
	CLI_RATE_PPS,     /* value is packets per second */
	CLI_RATE_PERCENT, /* value is a percentage of the link speed (0 < value <= 100) */
	CLI_RATE_LINE,    /* line rate of the link for each frame size */
	CLI_RATE_MAX,     /* as fast as possible, unpaced */
	CLI_RATE_BPS,     /* value is bits per second on the wire (frame + 20 B of preamble and
			   * inter-frame gap, as the line rate counts them): "5Gbps", "800Mbps" */
};

struct cli_rate {
	enum cli_rate_kind kind;
	double value;
};

/* An option table built by appending: a program adds its own rows (one initialiser, sized by
 * the compiler), then each shared group (fwd_cli_options(), echo_srv_options(), ...) with one
 * call, so adding an option touches one line and no count. opts stays terminated by { NULL }. */
#define CLI_OPTIONS_MAX 64
struct cli_options {
	unsigned n;
	struct cli_option opts[CLI_OPTIONS_MAX + 1];
};

/* Appends n rows to t. More than CLI_OPTIONS_MAX rows in all is a programming error: it
 * aborts, naming the row that did not fit. */
void cli_options_add(struct cli_options *t, const struct cli_option *rows, unsigned n);
/* cli_options_add() of a whole array. */
#define CLI_OPTIONS_ADD(t, rows) cli_options_add((t), (rows), sizeof(rows) / sizeof((rows)[0]))

/* Replaces the help text of option --name in t (a shared option whose effect differs per
 * program, e.g. --hugepages). An unknown name is a programming error: it aborts. */
void cli_options_help(struct cli_options *t, const char *name, const char *help);

/* Parses argv[1..] against the program's table. Options and positional arguments may be mixed
 * (as with GNU getopt, argv is permuted so that the options come first and the positionals keep
 * their order), written "--name value", "--name=value", "-x value" or "-xVALUE"; "--" ends options.
 * On success returns 0 and sets *first_arg to the index of the first positional argument.
 * Returns 1 after printing --help to stdout; -EINVAL after printing the error to stderr. */
int cli_parse(const struct cli_program *prog, int argc, char **argv, int *first_arg);
/* cli_parse() for a program that takes no positional arguments: returns 0 to go on, -1 when
 * --help was printed (the program exits 0), or LR_EXIT_USAGE after printing what was wrong (a
 * bad option, or an unexpected argument named with hint, if not NULL, and a pointer to
 * '--help'). */
int cli_parse_options(const struct cli_program *prog, int argc, char **argv, const char *hint);
/* Prints the program's --help text (generated from its table) to f. */
void cli_usage(const struct cli_program *prog, void *f);
/* Prints one Markdown table row per option of the table to f: program, short, long and
 * argument, help with the default. What "--help-table" prints (docs/flags.md is made of it). */
void cli_table(const struct cli_program *prog, void *f);
/* Prints "NAME (linerate) VERSION, commit SHA, DPDK X" to f: what --version prints (every
 * program's parser answers --version unless its table defines it). */
void cli_version(const char *name, void *f);
/* Checks a table: no long name twice, no short letter for two options (a table's own --help,
 * -h or --version wins over the parser's). Returns 0, or -EINVAL with the clash in err.
 * cli_parse() runs it first and refuses to parse a table that fails. */
int cli_check_table(const struct cli_program *prog, char *err, size_t errlen);

/* The value parsers, also used on their own (e.g. for positional arguments). Each returns 0 or
 * -EINVAL and, on error, writes a message naming the value and the accepted forms into err. */
int cli_parse_sizes(const char *s, unsigned max_size, struct cli_sizes *out, char *err,
		    size_t errlen);
int cli_parse_rate(const char *s, struct cli_rate *out, char *err, size_t errlen);
int cli_parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);
/* cli_parse_duration() that also accepts zero (in any unit), for "0s: never" options. */
int cli_parse_duration0(const char *s, uint64_t *ns, char *err, size_t errlen);
int cli_parse_onoff(const char *s, bool *out, char *err, size_t errlen);
int cli_parse_enum(const char *s, const struct cli_enum *enums, int *out, char *err, size_t errlen);
int cli_parse_int(const char *s, long min, long max, long *out, char *err, size_t errlen);

/* Returns the pps a rate means for frame size frame_len on a link of link_bps
 * (0 for CLI_RATE_MAX: unpaced). */
double cli_rate_pps(const struct cli_rate *rate, unsigned frame_len, double link_bps);
/* Formats a rate the way it was given ("1.5Mpps", "50%", "line", "max") into buf; returns buf. */
const char *cli_rate_str(const struct cli_rate *rate, char *buf, size_t len);

/* Shared enum tables so every program spells the same knob the same way. */
extern const struct cli_enum cli_affinity_enum[]; /* pinned, floating */
extern const struct cli_enum cli_format_enum[];   /* human, csv, json */
enum cli_affinity {
	CLI_AFFINITY_PINNED,
	CLI_AFFINITY_FLOATING
};
enum cli_format {
	CLI_FORMAT_HUMAN,
	CLI_FORMAT_CSV,
	CLI_FORMAT_JSON
};

#endif
