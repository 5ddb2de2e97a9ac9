// SPDX-License-Identifier: MIT
/*
 * it_helpers.c: the integration tests' program runner (posix_spawn, stdout and stderr read
 * through two pipes with poll() so neither can fill up and stall the child), the snapshots of
 * the root namespace, small file helpers and the in-namespace UDP reachability probe.
 */
#include "it_helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A growing NUL-terminated buffer. */
struct it_buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct it_buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *s;

		while (cap < b->len + n + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			return; /* keep what fits: the test will see truncated output */
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static char *buf_take(struct it_buf *b)
{
	return b->s ? b->s : strdup("");
}

/* Reads both pipes until each reaches end of file. */
static void drain(int out_fd, int err_fd, struct it_buf *out, struct it_buf *err)
{
	struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	struct it_buf *dst[2] = {out, err};
	char chunk[4096];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n > 0)
				buf_add(dst[i], chunk, (size_t)n);
			else if (n == 0 || errno != EINTR)
				p[i].fd = -1;
		}
	}
}

/* A child starts as from a shell: no signal blocked and default dispositions (a Criterion
 * worker blocks SIGCHLD and ignores SIGQUIT, which exec would pass on), and only fds 0..2 (the
 * worker's own pipes and arena stay behind). Without this, dpdk-testpmd as a zero-copy memif
 * client fails under Criterion ("sendmsg fail: Bad file descriptor") while the same command
 * line passes from a shell. */
static void spawn_clean(posix_spawnattr_t *attr, posix_spawn_file_actions_t *fa)
{
	sigset_t none, all;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_addclosefrom_np(fa, 3);
}

/* The same for a forked child, before exec. */
static void fork_clean(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL); /* best effort: some numbers are not signals */
	closefrom(3);
}

int it_run_env(const char *const argv[], const char *const env[], struct it_result *res)
{
	struct it_buf out = {0}, err = {0};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int po[2], pe[2], status, ret;
	pid_t pid;

	res->status = -EIO;
	if (pipe2(po, O_CLOEXEC))
		goto done;
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	spawn_clean(&attr, &fa);
	ret = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)argv,
			   env ? (char *const *)env : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(po[1]);
	close(pe[1]);
	if (!ret)
		drain(po[0], pe[0], &out, &err);
	close(po[0]);
	close(pe[0]);
	if (ret) {
		res->status = -ret;
		goto done;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
done:
	res->out = buf_take(&out);
	res->err = buf_take(&err);
	return res->status;
}

int it_run(const char *const argv[], struct it_result *res)
{
	return it_run_env(argv, NULL, res);
}

/* Fills argv (IT_MAX_ARGS entries) from first and the rest of a NULL-terminated list. */
static void collect_args(const char **argv, const char *first, va_list ap)
{
	unsigned n = 0;

	for (const char *a = first; a && n + 1 < IT_MAX_ARGS; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
}

int it_runl(struct it_result *res, const char *arg0, ...)
{
	const char *argv[IT_MAX_ARGS];
	va_list ap;

	va_start(ap, arg0);
	collect_args(argv, arg0, ap);
	va_end(ap);
	return it_run(argv, res);
}

int it_run_as_nobody(const char *const argv[], struct it_result *res)
{
	const char *full[IT_MAX_ARGS] = {"setpriv", "--reuid=" IT_NOBODY_ID,
					 "--regid=" IT_NOBODY_ID, "--clear-groups"};
	unsigned n = 4;

	for (unsigned i = 0; argv[i] && n + 1 < IT_MAX_ARGS; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	return it_run(full, res);
}

void it_result_free(struct it_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

const char **it_env_with(const char *assignment)
{
	size_t n = 0, name_len = strcspn(assignment, "="), k = 0;
	const char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], assignment, name_len + 1))
			env[k++] = environ[i];
	env[k] = assignment;
	return env;
}

void it_env_free(const char **env)
{
	free(env);
}

char *it_capture(const char *arg0, ...)
{
	const char *argv[IT_MAX_ARGS];
	struct it_result r;
	va_list ap;

	va_start(ap, arg0);
	collect_args(argv, arg0, ap);
	va_end(ap);
	if (it_run(argv, &r)) {
		it_result_free(&r);
		return NULL;
	}
	free(r.err);
	return r.out;
}

char *it_snapshot_netns(void)
{
	return it_capture("ip", "netns", "list", NULL);
}

char *it_snapshot_links(void)
{
	return it_capture("ip", "-o", "link", NULL);
}

unsigned it_count_lines(const char *s)
{
	unsigned n = 0;

	for (; s && *s; s++)
		if (*s == '\n' || !s[1])
			n++;
	return n;
}

bool it_contains(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

int it_read_long(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

int it_write_long(const char *path, long v)
{
	FILE *f = fopen(path, "we");
	int bad;

	if (!f)
		return -errno;
	bad = fprintf(f, "%ld\n", v) < 0;
	if (fclose(f) || bad)
		return errno ? -errno : -EIO;
	return 0;
}

bool it_netns_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return access(path, F_OK) == 0;
}

/* The probe's forked child: joins ns, sends, waits. Returns 0 or an errno value. */
static int probe_child(const char *ns, const char *dst_ip, unsigned timeout_ms)
{
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct pollfd p = {.events = POLLIN};
	char path[256], buf[16];
	int nsfd, n;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
		return errno;
	if (inet_pton(AF_INET, dst_ip, &dst.sin_addr) != 1)
		return EINVAL;
	p.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p.fd < 0 || connect(p.fd, (struct sockaddr *)&dst, sizeof(dst)) ||
	    send(p.fd, "lr-probe", 8, 0) != 8)
		return errno;
	n = poll(&p, 1, (int)timeout_ms);
	if (n < 0)
		return errno;
	if (n == 0)
		return ETIMEDOUT;
	if (recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		return EPROTO; /* something answered on port 9: not what the probe expects */
	return errno == ECONNREFUSED ? 0 : errno;
}

int it_ns_udp_probe(const char *ns, const char *dst_ip, unsigned timeout_ms)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(probe_child(ns, dst_ip, timeout_ms));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EIO;
}

uint64_t it_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void it_sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

#define IT_NR_HUGE "/proc/sys/vm/nr_hugepages"

int it_memif_setup(const char *dir, const char *sock_in, const char *sock_out, long pages,
		   long *saved)
{
	int ret;

	mkdir(dir, 0755); /* best effort: may exist */
	unlink(sock_in);  /* best effort */
	unlink(sock_out); /* best effort */
	ret = it_read_long(IT_NR_HUGE, saved);
	return ret ? ret : it_write_long(IT_NR_HUGE, *saved + pages);
}

void it_memif_cleanup(const char *sock_in, const char *sock_out, long saved)
{
	unlink(sock_in);  /* best effort */
	unlink(sock_out); /* best effort */
	if (saved >= 0)
		it_write_long(IT_NR_HUGE, saved); /* best effort */
}

double it_proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	p = strrchr(it_read_into(path, buf, sizeof(buf)), ')'); /* the name may hold blanks */
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

char *it_read_into(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

pid_t it_start_ready(const char *const argv[], const char *out_path, const char *err_path,
		     const char *ready, unsigned timeout_ms, unsigned settle_ms, char *why,
		     size_t len)
{
	uint64_t deadline = it_now_ms() + timeout_ms;
	pid_t pid;
	int status;

	/* Empty the files before the child exists: a ready text left by an earlier run must not
	 * be read before the child truncates them (a memif client then started too early). */
	for (unsigned i = 0; i < 2; i++) {
		const char *path = i ? err_path : out_path;
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0)
			fprintf(stderr, "it_start_ready: cannot empty %s: %s\n", path,
				strerror(errno));
		else
			close(fd);
	}
	pid = fork();

	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		fork_clean();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (!strstr(it_read_into(err_path, why, len), ready)) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			size_t n = strlen(why);

			snprintf(why + n, len - n, "\n(%s exited before it was ready, status 0x%x)",
				 argv[0], (unsigned)status);
			return -1;
		}
		if (it_now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			snprintf(why, len, "%s not ready after %u ms", argv[0], timeout_ms);
			return -1;
		}
		it_sleep_ms(20);
	}
	it_sleep_ms(settle_ms);
	return pid;
}

void it_run_quiet(const char *const argv[])
{
	struct it_result r;

	it_run(argv, &r);
	it_result_free(&r);
}

#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"

int it_session_setup(char *dir, long *nr_huge)
{
	const char *down[] = {IT_LINERATE, "topo", "down", NULL};

	it_run_quiet(down); /* start from nothing, even after a run that crashed */
	if (it_read_long(NR_HUGEPAGES, nr_huge))
		*nr_huge = -1;
	return mkdtemp(dir) ? 0 : -errno;
}

void it_session_teardown(const char *dir, long nr_huge)
{
	const char *down[] = {IT_LINERATE, "topo", "down", NULL};
	const char *rm[] = {"rm", "-rf", "--", dir, NULL};
	long now;

	it_run_quiet(down);
	if (nr_huge >= 0 && !it_read_long(NR_HUGEPAGES, &now) && now != nr_huge)
		it_write_long(NR_HUGEPAGES, nr_huge);
	if (dir[0])
		it_run_quiet(rm);
}
