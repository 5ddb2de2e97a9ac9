/* SPDX-License-Identifier: MIT */
/*
 * it_helpers.h: shared helpers for the integration tests (tests/it_*.c). They run real
 * programs without a shell and capture what they print, run them as an unprivileged user,
 * take before/after snapshots of the root namespace's network state, and probe reachability
 * from inside a network namespace.
 *
 * Typical use:
 *   struct it_result r;
 *   it_runl(&r, IT_LINERATE, "topo", "up", NULL);
 *   cr_assert_eq(r.status, 0, "topo up failed: %s", r.err);
 *   it_result_free(&r);
 */
#ifndef LR_IT_HELPERS_H
#define LR_IT_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The linerate binary under test (LR_BINDIR comes from tests/Makefile). */
#define IT_LINERATE LR_BINDIR "/linerate"
/* The unprivileged user and group the "as nobody" helpers switch to. */
#define IT_NOBODY_ID "65534"
/* Longest argument list the helpers accept (the NULL terminator included). */
#define IT_MAX_ARGS 48

/* What a finished program left behind. */
struct it_result {
	int status; /* exit code 0..255; 128 + N if killed by signal N; -errno if it never ran */
	char *out;  /* everything it wrote to stdout, NUL-terminated, never NULL */
	char *err;  /* everything it wrote to stderr, NUL-terminated, never NULL */
};

/* Runs argv[0] (a path, or a name looked up in PATH) with argv, stdin from /dev/null and env
 * as its environment (NULL: this process's), capturing stdout and stderr separately into res;
 * returns res->status. Always fills res: release it with it_result_free(). */
int it_run_env(const char *const argv[], const char *const env[], struct it_result *res);
/* it_run_env() with this process's environment. */
int it_run(const char *const argv[], struct it_result *res);
/* it_run() with the arguments as a NULL-terminated list: it_runl(&r, "ip", "-V", NULL). */
int it_runl(struct it_result *res, const char *arg0, ...) __attribute__((sentinel));
/* it_run() for a command whose outcome does not matter (best-effort cleanup). */
void it_run_quiet(const char *const argv[]);
/* it_run() as user and group nobody with no supplementary groups, through
 * setpriv --reuid=65534 --regid=65534 --clear-groups. */
int it_run_as_nobody(const char *const argv[], struct it_result *res);
/* Frees what a run captured (res may be reused afterwards). */
void it_result_free(struct it_result *res);

/* Returns this process's environment with one variable set, e.g. "PATH=/x" (replacing the
 * old value), for it_run_env(); NULL on failure. Only the pointer array is new: assignment
 * must outlive it. Free it with it_env_free(). */
const char **it_env_with(const char *assignment);
/* Frees an environment made by it_env_with(). */
void it_env_free(const char **env);

/* Returns the stdout of a NULL-terminated command (malloc'd; free it), or NULL if it did not
 * exit 0. */
char *it_capture(const char *arg0, ...) __attribute__((sentinel));
/* Returns `ip netns list` (malloc'd), or NULL on failure. */
char *it_snapshot_netns(void);
/* Returns `ip -o link` of the namespace the test runs in, normally the root one (malloc'd),
 * or NULL on failure. */
char *it_snapshot_links(void);

/* Returns the number of lines in s (a last line without '\n' counts too). */
unsigned it_count_lines(const char *s);
/* Returns true if s contains needle; a NULL s contains nothing. */
bool it_contains(const char *s, const char *needle);
/* Reads one integer from a file such as /proc/sys/vm/nr_hugepages; returns 0 or -errno. */
int it_read_long(const char *path, long *v);
/* Writes one integer to a file such as /proc/sys/vm/nr_hugepages; returns 0 or -errno. */
int it_write_long(const char *path, long v);
/* For a memif test: creates dir, removes the two socket files in it (a dead server's), and
 * reserves pages more 2 MB huge pages, the count before in *saved; returns 0 or -errno (the
 * reservation needs root). */
int it_memif_setup(const char *dir, const char *sock_in, const char *sock_out, long pages,
		   long *saved);
/* Undoes it_memif_setup: removes the socket files and gives back the pages (best effort). */
void it_memif_cleanup(const char *sock_in, const char *sock_out, long saved);
/* Returns true if a network namespace of that name is listed by `ip netns list`. */
bool it_netns_exists(const char *name);

/* From inside network namespace ns, sends one UDP datagram to dst_ip port 9 (where nobody
 * listens) and waits up to timeout_ms for the ICMP port-unreachable that proves a round trip
 * (the tool-free equivalent of one ping). Returns 0 if it came back, -ETIMEDOUT if nothing
 * came, another -errno if the probe could not run or got another error. */
int it_ns_udp_probe(const char *ns, const char *dst_ip, unsigned timeout_ms);

/* Returns CLOCK_MONOTONIC in milliseconds. */
uint64_t it_now_ms(void);
/* Sleeps for ms milliseconds. */
void it_sleep_ms(unsigned ms);
/* Reads a file into buf (len bytes, NUL-terminated; "" when unreadable); returns buf. */
char *it_read_into(const char *path, char *buf, size_t len);
/* Returns the CPU seconds (user + system, all threads) process pid has used, or -1. */
double it_proc_cpu_s(pid_t pid);
/* Starts argv in the background, stdout into out_path and stderr into err_path (created or
 * truncated), and waits up to timeout_ms until err_path holds the line ready, then settle_ms
 * more (a program's loop starts right after its ready line); returns its pid, or -1 with the
 * reason in why (fork failed; it exited first: its stderr; not ready in time: it was killed). */
pid_t it_start_ready(const char *const argv[], const char *out_path, const char *err_path,
		     const char *ready, unsigned timeout_ms, unsigned settle_ms, char *why,
		     size_t len);

/* For suites that run linerate sessions (it_bench.c, it_tapbr.c): removes any lr- topology an
 * earlier run left (`linerate topo down`), writes nr_hugepages as found into *nr_huge (-1 if
 * unreadable) and turns dir, a mkdtemp() template, into a new directory. Returns 0 or -errno
 * (mkdtemp failed). */
int it_session_setup(char *dir, long *nr_huge);
/* Undoes it_session_setup(): topology down, nr_hugepages back to nr_huge when a run left it
 * changed (a safety net: the harness restores it itself), dir and its contents removed. */
void it_session_teardown(const char *dir, long nr_huge);

#endif
