/* SPDX-License-Identifier: MIT */
/*
 * topo.h: running the system tools (ip, ethtool) that `linerate topo` and `linerate doctor`
 * drive. Tools run through posix_spawn with an argument vector, never through a shell, so no
 * name or address is ever interpolated into a command string.
 */
#ifndef LR_BENCH_TOPO_H
#define LR_BENCH_TOPO_H

#include <stddef.h>

/* Longest argument list topo_runl() accepts (the NULL terminator included). */
#define TOPO_MAX_ARGS 32

/* Finds an executable by name in PATH, then in /usr/local/sbin, /usr/sbin and /sbin (root's
 * tools, missing from some PATHs); writes its path into path; returns 0 or -ENOENT. */
int topo_find_tool(const char *name, char *path, size_t len);

/* Runs argv[0] (found by topo_find_tool()) with argv, stdin from /dev/null, stdout and stderr
 * captured together into out (NUL-terminated, truncated to outlen; out may be NULL); returns
 * the exit status (0..255), 128 + N if killed by signal N, or -errno if it could not start. */
int topo_run(const char *const argv[], char *out, size_t outlen);

/* topo_run() with the arguments as a NULL-terminated list: topo_runl(out, len, "ip", "-V", NULL). */
int topo_runl(char *out, size_t outlen, const char *arg0, ...) __attribute__((sentinel));

/* Writes argv as one space-separated line (for messages) into buf; returns buf. */
const char *topo_cmdline(const char *const argv[], char *buf, size_t len);

/* Turns captured tool output into one line in place (line breaks and runs of blanks become one
 * space, trailing blanks go); returns s. */
char *topo_oneline(char *s);

#endif
