// SPDX-License-Identifier: MIT
/*
 * log.c: the message printer behind pr_err() and friends. Messages go to stderr so that
 * machine-readable output on stdout (--format csv|json) stays clean.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog_name = "linerate";
static int max_level = -1; /* resolved on first use */

void log_set_prog(const char *name)
{
	const char *slash = strrchr(name, '/');

	prog_name = slash ? slash + 1 : name;
}

const char *log_prog(void)
{
	return prog_name;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	static const char *const tags[] = {"", "warning: ", "", ""};
	va_list ap;
	size_t len = strlen(fmt);

	if (max_level < 0)
		max_level = getenv("LR_DEBUG") ? LOG_DEBUG : LOG_INFO;
	if ((int)level > max_level)
		return;
	fprintf(stderr, "%s: %s", prog_name, tags[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (len == 0 || fmt[len - 1] != '\n')
		fputc('\n', stderr);
}
