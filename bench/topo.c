// SPDX-License-Identifier: MIT
/*
 * topo.c: `linerate topo up|down|status`, the lr- test topology of topo_defs.h: three network
 * namespaces joined by veth pairs with fixed MACs, addresses, PERMANENT neighbours and static
 * routes, plus an optional huge page reservation. `up` is idempotent: it checks and repairs,
 * and when a step fails it names the step, the command and the tool's error, then undoes what
 * this run created. `down` removes every name of the topology and restores huge pages;
 * `status` shows what exists and says what is missing.
 *
 * Decisions:
 * - Offloads: GRO, GSO, TSO and both checksum offloads are off on every lr- veth. With GRO or
 *   TSO on, a veth carries 64 KB super-frames and packet counts lie. With tx checksum offload
 *   on, the kernel hands the veth frames whose L4 checksum is only partial (an AF_PACKET reader
 *   sees TP_STATUS_CSUMNOTREADY and a wrong checksum); with it off the kernel computes complete
 *   checksums in software, as a host without offload would, so user-space programs see valid
 *   frames. With rx checksum offload off, the receiving kernel verifies checksums instead of
 *   trusting the veth, so a user-space stack that sends a wrong checksum is caught.
 * - IPv6 is disabled inside the lr- namespaces, so links coming up send no router
 *   solicitation, MLD report or DAD probe that a receiver would count as stray packets.
 * - Neighbour entries come from the link table: each end gets a PERMANENT entry for its peer,
 *   which also covers the gateways of the two routes (a gateway is always the link's peer).
 * - --hugepages N makes sure at least N pages of the default size (which must be 2 MB) are
 *   reserved; it never lowers a larger reservation. It reuses any hugetlbfs mount and otherwise
 *   mounts one on /dev/hugepages. The first such `up` writes what it found (nr_hugepages, and
 *   whether it mounted) to /run/linerate/topo.state; `down` restores exactly that.
 * - Namespace sysctls are written by a forked child that joins the namespace with setns():
 *   no shell and no dependency on procps' sysctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "lr.h"
#include "mem.h"
#include "tapbr.h"
#include "topo.h"
#include "topo_defs.h"

#define OUT_LEN        4096
#define NR_HUGE_PATH   "/proc/sys/vm/nr_hugepages"
#define NETNS_RUN_DIR  "/run/netns"
#define MAX_UNDO       16
#define MAX_HUGEPAGES  1048576L /* 2 TB of 2 MB pages: a bound for typos, not a real limit */
#define ROOT_SBIN_PATH "/usr/local/sbin:/usr/sbin:/sbin"

extern char **environ;

/* ---- Running tools ---------------------------------------------------------------------- */

static bool is_executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int topo_find_tool(const char *name, char *path, size_t len)
{
	const char *dirs[] = {getenv("PATH"), ROOT_SBIN_PATH};

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return is_executable(path) ? 0 : -ENOENT;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		for (const char *p = dirs[i]; p && *p;) {
			size_t n = strcspn(p, ":");
			int w = snprintf(path, len, "%.*s/%s", (int)n, p, name);

			if (n && w > 0 && (size_t)w < len && is_executable(path))
				return 0;
			p += n + (p[n] == ':');
		}
	}
	return -ENOENT;
}

/* Reads fd to its end, keeping the first len - 1 bytes in buf (NUL-terminated) when buf is
 * not NULL; returns the number of bytes kept. */
static size_t read_all(int fd, char *buf, size_t len)
{
	char scratch[512];
	size_t used = 0;

	for (;;) {
		bool keep = buf && used + 1 < len;
		char *dst = keep ? buf + used : scratch;
		size_t room = keep ? len - 1 - used : sizeof(scratch);
		ssize_t n = read(fd, dst, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (keep)
			used += (size_t)n;
	}
	if (buf && len)
		buf[used] = '\0';
	return used;
}

int topo_run(const char *const argv[], char *out, size_t outlen)
{
	posix_spawn_file_actions_t fa;
	char path[PATH_MAX];
	int pfd[2], status, ret;
	pid_t pid;

	if (out && outlen)
		out[0] = '\0';
	if (topo_find_tool(argv[0], path, sizeof(path)))
		return -ENOENT;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	ret = posix_spawn(&pid, path, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (!ret)
		read_all(pfd[0], out, outlen);
	close(pfd[0]);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Fills argv (TOPO_MAX_ARGS entries) from first and the rest of a NULL-terminated list. */
static void collect_args(const char **argv, const char *first, va_list ap)
{
	unsigned n = 0;

	for (const char *a = first; a && n + 1 < TOPO_MAX_ARGS; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
}

int topo_runl(char *out, size_t outlen, const char *arg0, ...)
{
	const char *argv[TOPO_MAX_ARGS];
	va_list ap;

	va_start(ap, arg0);
	collect_args(argv, arg0, ap);
	va_end(ap);
	return topo_run(argv, out, outlen);
}

const char *topo_cmdline(const char *const argv[], char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; argv[i] && used + 1 < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", argv[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

char *topo_oneline(char *s)
{
	char *w = s;
	bool blank = false;

	for (const char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			blank = w != s;
			continue;
		}
		if (blank)
			*w++ = ' ';
		blank = false;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

/* Runs one step of up or down: what names the step, then comes the tool's NULL-terminated
 * argument list. On failure prints the step, the command and the tool's error; returns 0 or
 * -EIO. */
static int __attribute__((sentinel)) step(const char *what, ...)
{
	const char *argv[TOPO_MAX_ARGS];
	char out[OUT_LEN], cmd[512];
	va_list ap;
	int rc;

	va_start(ap, what);
	collect_args(argv, va_arg(ap, const char *), ap);
	va_end(ap);
	rc = topo_run(argv, out, sizeof(out));
	if (!rc)
		return 0;
	topo_cmdline(argv, cmd, sizeof(cmd));
	if (rc < 0)
		pr_err("step '%s': '%s' could not start: %s (install iproute2 and ethtool: 'make "
		       "deps')",
		       what, cmd, strerror(-rc));
	else
		pr_err("step '%s': '%s' failed with exit code %d: %s", what, cmd, rc,
		       *out ? topo_oneline(out) : "(no output)");
	return -EIO;
}

/* ---- Namespaces and links ---------------------------------------------------------------- */

/* Returns 1 if namespace ns exists and can be entered, 0 if it does not exist, -1 if its
 * /run/netns file exists but is not a namespace (left by a crash or a reboot). */
static int ns_state(const char *ns)
{
	char path[PATH_MAX];

	if (!topo_runl(NULL, 0, "ip", "-n", ns, "link", "show", "dev", "lo", NULL))
		return 1;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	return access(path, F_OK) ? 0 : -1;
}

/* The forked child of ns_sysctl(): joins ns, then writes set to /proc/sys/key or, when set is
 * NULL, copies its value to fd out. Returns 0 or an errno value (its exit code). */
static int ns_sysctl_child(const char *ns, const char *key, const char *set, int out)
{
	char path[PATH_MAX], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		return errno;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	fd = open(path, (set ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (set)
		n = write(fd, set, strlen(set));
	else if ((n = read(fd, buf, sizeof(buf))) > 0)
		n = write(out, buf, (size_t)n);
	return n < 0 ? errno : 0;
}

/* Writes set to the sysctl key (a path under /proc/sys, e.g. "net/ipv4/ip_forward") inside
 * namespace ns or, when set is NULL, reads it into got (trailing newline removed). Returns 0
 * or -errno. */
static int ns_sysctl(const char *ns, const char *key, const char *set, char *got, size_t len)
{
	int pfd[2], status;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0)
		_exit(ns_sysctl_child(ns, key, set, pfd[1]));
	close(pfd[1]);
	read_all(pfd[0], got, len);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (got && len)
		got[strcspn(got, "\n")] = '\0';
	if (!WIFEXITED(status))
		return -EIO;
	return -WEXITSTATUS(status);
}

/* What `ip -o link show` says about one link. */
struct link_info {
	int ifindex, peer_ifindex;
	bool admin_up;
	char state[24];   /* operstate: UP, DOWN, LOWERLAYERDOWN, ... */
	char mac[24];     /* link/ether address */
	char peer_ns[32]; /* namespace of the veth peer ("link-netns"), "" if not shown */
};

/* Copies the word that follows key in s into buf ("" if key is absent). */
static void word_after(const char *s, const char *key, char *buf, size_t len)
{
	const char *p = strstr(s, key);
	size_t n;

	buf[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	n = strcspn(p, " \t\n\\");
	snprintf(buf, len, "%.*s", (int)n, p);
}

/* Returns true if the flag list "<A,B,C>" starting at p contains flag. */
static bool has_flag(const char *p, const char *flag)
{
	size_t len = strlen(flag);

	for (p = strchr(p, '<'); p && *p && *p != '>'; p += strcspn(p, ",>")) {
		p++;
		if (!strncmp(p, flag, len) && (p[len] == ',' || p[len] == '>'))
			return true;
	}
	return false;
}

/* Fills li from `ip -n ns -o link show dev ifname`; returns 0, or -ENODEV if absent. */
static int link_query(const char *ns, const char *ifname, struct link_info *li)
{
	char out[OUT_LEN];
	const char *at;

	memset(li, 0, sizeof(*li));
	if (topo_runl(out, sizeof(out), "ip", "-n", ns, "-o", "link", "show", "dev", ifname, NULL))
		return -ENODEV;
	li->ifindex = atoi(out);
	at = strstr(out, "@if");
	if (at)
		li->peer_ifindex = atoi(at + 3);
	li->admin_up = has_flag(out, "UP");
	word_after(out, " state ", li->state, sizeof(li->state));
	word_after(out, "link/ether ", li->mac, sizeof(li->mac));
	word_after(out, " link-netns ", li->peer_ns, sizeof(li->peer_ns));
	return 0;
}

/* Returns true if both ends of l exist in their namespaces as veth peers of each other. */
static bool pair_ok(const struct topo_link *l)
{
	struct link_info a, b;

	if (link_query(l->a.ns, l->a.ifname, &a) || link_query(l->b.ns, l->b.ifname, &b))
		return false;
	return a.peer_ifindex == b.ifindex && b.peer_ifindex == a.ifindex &&
	       !strcmp(a.peer_ns, l->b.ns) && !strcmp(b.peer_ns, l->a.ns);
}

/* Loops with e over both ends of every topology link l. */
#define FOR_EACH_END(l, e)                                                                         \
	for (const struct topo_link *l = topo_links; l < topo_links + ARRAY_SIZE(topo_links); l++) \
		for (const struct topo_end *e = &l->a; e; e = e == &l->a ? &l->b : NULL)

/* Deletes links in the current (root) namespace that carry a topology name; counts them in
 * *n. Returns 0 or -EIO. */
static int remove_root_strays(unsigned *n)
{
	FOR_EACH_END(l, e)
	{
		if (topo_runl(NULL, 0, "ip", "link", "show", "dev", e->ifname, NULL))
			continue;
		if (step("remove stray root-namespace link", "ip", "link", "delete", "dev",
			 e->ifname, NULL))
			return -EIO;
		pr_info("removed stray link %s from the root namespace", e->ifname);
		(*n)++;
	}
	return 0;
}

/* ---- Huge pages -------------------------------------------------------------------------- */

/* What the first `up --hugepages` found, kept in TOPO_STATE_FILE for `down`. */
struct huge_state {
	bool valid;       /* the state file exists */
	long nr_before;   /* nr_hugepages before the first `up --hugepages` */
	char mounted[64]; /* the hugetlbfs mount `up` made, "" if it reused one */
	bool created_dir; /* `up` created the mount point directory */
};

static int read_long(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int write_long(const char *path, long v)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", v), err = 0;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)len) != len)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* Reads TOPO_STATE_FILE into s (s->valid false if there is none); returns 0 or -errno. */
static int huge_load(struct huge_state *s)
{
	char key[32], val[64];
	FILE *f = fopen(TOPO_STATE_FILE, "re");

	memset(s, 0, sizeof(*s));
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fscanf(f, "%31s %63s", key, val) == 2) {
		if (!strcmp(key, "nr_hugepages_before")) {
			s->nr_before = atol(val);
			s->valid = true;
		} else if (!strcmp(key, "mounted")) {
			snprintf(s->mounted, sizeof(s->mounted), "%s", strcmp(val, "-") ? val : "");
		} else if (!strcmp(key, "created_dir")) {
			s->created_dir = !strcmp(val, "1");
		}
	}
	fclose(f);
	return 0;
}

/* Writes s to TOPO_STATE_FILE atomically (temporary file, then rename); returns 0 or -errno. */
static int huge_save(const struct huge_state *s)
{
	const char *tmp = TOPO_STATE_FILE ".tmp";
	FILE *f;

	if (mkdir(TOPO_STATE_DIR, 0755) && errno != EEXIST)
		return -errno;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "nr_hugepages_before %ld\nmounted %s\ncreated_dir %d\n", s->nr_before,
		s->mounted[0] ? s->mounted : "-", s->created_dir);
	if (fclose(f) || rename(tmp, TOPO_STATE_FILE)) {
		int err = -errno;

		unlink(tmp); /* best effort */
		return err;
	}
	return 0;
}

/* Finds the first hugetlbfs mount point; returns true and writes it into mnt if there is one. */
static bool hugetlbfs_mount(char *mnt, size_t len)
{
	FILE *f = setmntent("/proc/mounts", "re");
	struct mntent *m;
	bool found = false;

	if (!f)
		return false;
	while (!found && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "hugetlbfs")) {
			snprintf(mnt, len, "%s", m->mnt_dir);
			found = true;
		}
	endmntent(f);
	return found;
}

/* ---- up ---------------------------------------------------------------------------------- */

enum undo_kind {
	UNDO_NETNS, /* ip netns delete ns */
	UNDO_LINK,  /* ip -n ns link delete name */
};

struct undo {
	enum undo_kind kind;
	const char *ns, *name;
};

/* What one `up` run did, so that a failure can undo exactly that. */
struct up_run {
	struct undo undo[MAX_UNDO];
	unsigned n_undo;
	unsigned created, repaired;
	bool huge_touched;          /* the huge page steps ran (state file written) */
	bool mounted_now;           /* this run mounted hugetlbfs */
	bool dir_created_now;       /* this run created TOPO_HUGE_MOUNT */
	long nr_at_start;           /* nr_hugepages when this run began */
	struct huge_state huge_old; /* the state file as this run found it */
};

static void undo_push(struct up_run *r, enum undo_kind kind, const char *ns, const char *name)
{
	if (r->n_undo < MAX_UNDO)
		r->undo[r->n_undo++] = (struct undo){kind, ns, name};
}

static bool undo_has_netns(const struct up_run *r, const char *ns)
{
	for (unsigned i = 0; i < r->n_undo; i++)
		if (r->undo[i].kind == UNDO_NETNS && !strcmp(r->undo[i].ns, ns))
			return true;
	return false;
}

static void undo_hugepages(struct up_run *r)
{
	if (!r->huge_touched)
		return;
	if (r->mounted_now && umount(TOPO_HUGE_MOUNT))
		pr_warn("undo: cannot unmount %s: %s", TOPO_HUGE_MOUNT, strerror(errno));
	if (r->dir_created_now)
		rmdir(TOPO_HUGE_MOUNT); /* best effort */
	if (write_long(NR_HUGE_PATH, r->nr_at_start))
		pr_warn("undo: cannot write %ld back to %s", r->nr_at_start, NR_HUGE_PATH);
	if (r->huge_old.valid) {
		huge_save(&r->huge_old); /* best effort */
	} else {
		unlink(TOPO_STATE_FILE); /* best effort */
		rmdir(TOPO_STATE_DIR);   /* best effort */
	}
	pr_info("undo: huge pages back to nr_hugepages %ld", r->nr_at_start);
}

/* Undoes, newest first, everything this run created. */
static void undo_run(struct up_run *r)
{
	if (!r->n_undo && !r->huge_touched) {
		pr_info("undo: nothing to undo, this run created nothing");
		return;
	}
	undo_hugepages(r);
	for (unsigned i = r->n_undo; i-- > 0;) {
		const struct undo *u = &r->undo[i];
		int rc;

		if (u->kind == UNDO_NETNS)
			rc = topo_runl(NULL, 0, "ip", "netns", "delete", u->ns, NULL);
		else
			rc = topo_runl(NULL, 0, "ip", "-n", u->ns, "link", "delete", "dev", u->name,
				       NULL);
		if (u->kind == UNDO_NETNS)
			pr_info("undo: %s namespace %s", rc ? "could not delete" : "deleted",
				u->ns);
		else
			pr_info("undo: %s link %s in %s", rc ? "could not delete" : "deleted",
				u->name, u->ns);
	}
}

/* Sets a sysctl inside ns; optional ones may be absent (IPv6 compiled out). */
static int ns_sysctl_step(const char *ns, const char *key, const char *val, bool optional)
{
	int err = ns_sysctl(ns, key, val, NULL, 0);

	if (!err || (optional && err == -ENOENT))
		return 0;
	pr_err("step 'set sysctl': %s=%s in namespace %s: %s", key, val, ns, strerror(-err));
	return -EIO;
}

/* The TCP clients of `tgen echo` run in lr-gen and close first, so every connection of a crr
 * run leaves a TIME_WAIT socket there for 60 s. Measured with echo-sock and 16 connections: 16k
 * of them after one 2 s repeat, and the next repeats fell from 8,098 to 1,437 and 1,396 conn/s
 * as connect() searched a nearly full port range: the client, not the server, set the rate,
 * and one repeat's state carried into the next. In lr-gen, TIME_WAIT is therefore not kept
 * (tcp_max_tw_buckets 0: the FIN exchange on the wire is unchanged, the server sees a normal
 * close) and the port range is the widest (1024-65535): three repeats then gave 22,522,
 * 19,714 and 22,865 conn/s. */
static int gen_client_sysctls(const char *ns)
{
	return ns_sysctl_step(ns, "net/ipv4/tcp_max_tw_buckets", "0", false) ||
	       ns_sysctl_step(ns, "net/ipv4/ip_local_port_range", "1024 65535", false);
}

/* Makes sure namespace ns exists (replacing a stale one) with IPv6 off, lo up, in the DUT
 * forwarding off, and in the generator's no TIME_WAIT (gen_client_sysctls()). */
static int up_namespace(struct up_run *r, const char *ns)
{
	int st = ns_state(ns);

	if (st < 0) {
		if (step("remove stale namespace", "ip", "netns", "delete", ns, NULL))
			return -EIO;
		r->repaired++;
	}
	if (st != 1) {
		if (step("create namespace", "ip", "netns", "add", ns, NULL))
			return -EIO;
		undo_push(r, UNDO_NETNS, ns, NULL);
		r->created++;
		pr_info("created namespace %s", ns);
	}
	if (ns_sysctl_step(ns, "net/ipv6/conf/all/disable_ipv6", "1", true) ||
	    ns_sysctl_step(ns, "net/ipv6/conf/default/disable_ipv6", "1", true) ||
	    (!strcmp(ns, TOPO_NS_DUT) && ns_sysctl_step(ns, "net/ipv4/ip_forward", "0", false)) ||
	    (!strcmp(ns, TOPO_NS_GEN) && gen_client_sysctls(ns)) ||
	    step("bring lo up", "ip", "-n", ns, "link", "set", "dev", "lo", "up", NULL))
		return -EIO;
	return 0;
}

/* Makes sure l's two ends exist as a veth pair; a half pair or a wrong peer is rebuilt. */
static int up_pair(struct up_run *r, const struct topo_link *l)
{
	struct link_info li;
	bool had_a, had_b;

	if (pair_ok(l))
		return 0;
	had_a = !link_query(l->a.ns, l->a.ifname, &li);
	had_b = !link_query(l->b.ns, l->b.ifname, &li);
	if (had_a && step("remove broken veth end", "ip", "-n", l->a.ns, "link", "delete", "dev",
			  l->a.ifname, NULL))
		return -EIO;
	/* Deleting one end of a veth deletes its peer too, so b may be gone already. */
	if (had_b && !link_query(l->b.ns, l->b.ifname, &li) &&
	    step("remove broken veth end", "ip", "-n", l->b.ns, "link", "delete", "dev",
		 l->b.ifname, NULL))
		return -EIO;
	if (step("create veth pair", "ip", "-n", l->a.ns, "link", "add", l->a.ifname, "type",
		 "veth", "peer", "name", l->b.ifname, "netns", l->b.ns, NULL))
		return -EIO;
	/* Deleting a namespace this run created removes the pair too: no separate undo then. */
	if (!undo_has_netns(r, l->a.ns) && !undo_has_netns(r, l->b.ns))
		undo_push(r, UNDO_LINK, l->a.ns, l->a.ifname);
	if (had_a || had_b)
		r->repaired++;
	else
		r->created++;
	pr_info("%s veth pair %s (%s) <-> %s (%s)", had_a || had_b ? "rebuilt" : "created",
		l->a.ifname, l->a.ns, l->b.ifname, l->b.ns);
	return 0;
}

/* Sets MAC, address, offloads, state and the peer's PERMANENT neighbour entry on end e. */
static int up_end(const struct topo_end *e, const struct topo_end *peer)
{
	char addr[32];

	snprintf(addr, sizeof(addr), "%s/%d", e->ip, TOPO_PREFIX_LEN);
	if (step("set MAC", "ip", "-n", e->ns, "link", "set", "dev", e->ifname, "address", e->mac,
		 NULL) ||
	    step("set address", "ip", "-n", e->ns, "address", "replace", addr, "dev", e->ifname,
		 NULL) ||
	    step("turn offloads off", "ip", "netns", "exec", e->ns, "ethtool", "-K", e->ifname,
		 "rx", "off", "tx", "off", "tso", "off", "gso", "off", "gro", "off", NULL) ||
	    step("bring link up", "ip", "-n", e->ns, "link", "set", "dev", e->ifname, "up", NULL) ||
	    step("add permanent neighbour", "ip", "-n", e->ns, "neigh", "replace", peer->ip,
		 "lladdr", peer->mac, "dev", e->ifname, "nud", "permanent", NULL))
		return -EIO;
	return 0;
}

/* Adds the static routes and removes any default route from the lr- namespaces, counting
 * each removal in *repaired. */
static int up_routes(unsigned *repaired)
{
	char out[OUT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(topo_routes); i++) {
		const struct topo_route *rt = &topo_routes[i];

		if (step("add route", "ip", "-n", rt->ns, "route", "replace", rt->dst, "via",
			 rt->gw, "dev", rt->dev, NULL))
			return -EIO;
	}
	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++) {
		const char *ns = topo_namespaces[i];

		for (int tries = 0; tries < 8; tries++) {
			if (topo_runl(out, sizeof(out), "ip", "-n", ns, "route", "show", "default",
				      NULL) ||
			    !*topo_oneline(out))
				break;
			if (step("remove default route", "ip", "-n", ns, "route", "delete",
				 "default", NULL))
				return -EIO;
			pr_info("removed a default route from %s", ns);
			(*repaired)++;
		}
	}
	return 0;
}

/* Removes a tap bridge (bench/tapbr.c) that a killed harness left in lr-dut: its redirect
 * would take lr-d0's traffic from every other DUT. Counts the repair in *repaired. */
static int up_no_tap_bridge(unsigned *repaired)
{
	char err[512];

	if (!tapbr_present())
		return 0;
	if (tapbr_clear(err, sizeof(err))) {
		pr_err("step 'remove a leftover tap bridge': %s", err);
		return -EIO;
	}
	pr_info("removed a tap bridge left in %s (%s redirected to a tap)", TOPO_NS_DUT,
		TOPO_IF_D0);
	(*repaired)++;
	return 0;
}

/* Mounts hugetlbfs on TOPO_HUGE_MOUNT unless some hugetlbfs mount exists already. */
static int up_hugetlbfs(struct up_run *r, struct huge_state *s)
{
	char mnt[PATH_MAX];

	if (hugetlbfs_mount(mnt, sizeof(mnt)))
		return 0;
	if (!mkdir(TOPO_HUGE_MOUNT, 0755))
		r->dir_created_now = s->created_dir = true;
	else if (errno != EEXIST)
		goto err;
	if (mount("hugetlbfs", TOPO_HUGE_MOUNT, "hugetlbfs", 0, NULL))
		goto err;
	r->mounted_now = true;
	snprintf(s->mounted, sizeof(s->mounted), "%s", TOPO_HUGE_MOUNT);
	pr_info("mounted hugetlbfs on %s", TOPO_HUGE_MOUNT);
	if (huge_save(s)) {
		pr_err("step 'save huge page state': cannot write %s", TOPO_STATE_FILE);
		return -EIO;
	}
	return 0;
err:
	pr_err("step 'mount hugetlbfs': on %s: %s (is hugetlbfs in /proc/filesystems?)",
	       TOPO_HUGE_MOUNT, strerror(errno));
	return -EIO;
}

/* Makes sure at least n 2 MB huge pages are reserved and hugetlbfs is mounted, recording
 * what it found in TOPO_STATE_FILE (only the first time) for `down`. */
static int up_hugepages(struct up_run *r, long n)
{
	struct mem_huge_info hi = {0};
	struct huge_state s;
	long now, got = -1;

	if (mem_huge_info(&hi) || hi.size_kb != 2048) {
		pr_err("step 'reserve huge pages': the default huge page size is %lu kB, not 2048 "
		       "kB (boot with default_hugepagesz=2M)",
		       hi.size_kb);
		return -EINVAL;
	}
	if (huge_load(&r->huge_old) || read_long(NR_HUGE_PATH, &now)) {
		pr_err("step 'reserve huge pages': cannot read %s or %s", NR_HUGE_PATH,
		       TOPO_STATE_FILE);
		return -EIO;
	}
	s = r->huge_old.valid ? r->huge_old : (struct huge_state){.valid = true, .nr_before = now};
	r->nr_at_start = now;
	r->huge_touched = true;
	if (huge_save(&s)) {
		pr_err("step 'save huge page state': cannot write %s", TOPO_STATE_FILE);
		return -EIO;
	}
	if (now < n) {
		if (write_long(NR_HUGE_PATH, n) || read_long(NR_HUGE_PATH, &got) || got < n) {
			pr_err("step 'reserve huge pages': wrote %ld to %s, the kernel reserved "
			       "%ld "
			       "(not enough free memory: ask for fewer pages or free memory first)",
			       n, NR_HUGE_PATH, got);
			return -ENOMEM;
		}
		pr_info("reserved %ld huge pages of 2 MB (there were %ld)", n, now);
	}
	return up_hugetlbfs(r, &s);
}

static unsigned check_topology(bool verbose);

static int topo_up(long hugepages)
{
	struct up_run r = {0};
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces) && !err; i++)
		err = up_namespace(&r, topo_namespaces[i]);
	if (!err)
		err = remove_root_strays(&r.repaired);
	for (size_t i = 0; i < ARRAY_SIZE(topo_links) && !err; i++)
		err = up_pair(&r, &topo_links[i]);
	for (size_t i = 0; i < ARRAY_SIZE(topo_links) && !err; i++)
		if (up_end(&topo_links[i].a, &topo_links[i].b) ||
		    up_end(&topo_links[i].b, &topo_links[i].a))
			err = -EIO;
	if (!err)
		err = up_routes(&r.repaired);
	if (!err)
		err = up_no_tap_bridge(&r.repaired);
	if (!err && hugepages)
		err = up_hugepages(&r, hugepages);
	if (!err && check_topology(false)) {
		pr_err("the topology is still incomplete after 'up' (problems above)");
		err = -EIO;
	}
	if (err) {
		pr_err("topo up failed; undoing what this run created");
		undo_run(&r);
		return LR_EXIT_FAIL;
	}
	printf("topo up: complete (%u created, %u repaired): %s, %s, %s%s\n", r.created, r.repaired,
	       TOPO_NS_GEN, TOPO_NS_DUT, TOPO_NS_SINK,
	       hugepages ? ", huge pages reserved and hugetlbfs mounted" : "");
	return LR_EXIT_OK;
}

/* ---- status ------------------------------------------------------------------------------ */

struct check {
	bool verbose;      /* status: print everything; up: print only the problems */
	unsigned problems; /* how many things are missing or wrong */
};

static void __attribute__((format(printf, 2, 3))) problem(struct check *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->problems++;
	if (c->verbose)
		printf("    problem: %s\n", msg);
	else
		pr_err("check: %s", msg);
}

static void check_namespace(struct check *c, const char *ns)
{
	char route[OUT_LEN], fwd[16] = "?";
	struct link_info lo;
	int st = ns_state(ns);

	if (st != 1) {
		if (c->verbose)
			printf("  %-8s %s\n", ns, st ? "stale" : "absent");
		problem(c, "namespace %s %s", ns,
			st ? "is stale (its " NETNS_RUN_DIR " file is no namespace)"
			   : "does not exist");
		return;
	}
	if (topo_runl(route, sizeof(route), "ip", "-n", ns, "route", "show", "default", NULL))
		route[0] = '\0';
	topo_oneline(route);
	ns_sysctl(ns, "net/ipv4/ip_forward", NULL, fwd, sizeof(fwd));
	link_query(ns, "lo", &lo);
	if (c->verbose)
		printf("  %-8s present  lo %s  ip_forward=%s  default route: %s\n", ns,
		       lo.admin_up ? "up" : "down", fwd, *route ? route : "none");
	if (!lo.admin_up)
		problem(c, "namespace %s: lo is down", ns);
	if (*route)
		problem(c, "namespace %s has a default route (%s)", ns, route);
	if (!strcmp(ns, TOPO_NS_DUT) && strcmp(fwd, "0"))
		problem(c, "namespace %s forwards (net.ipv4.ip_forward=%s, want 0)", ns, fwd);
}

/* Writes the IPv4 addresses of e ("a/24 b/24", or "none") into buf; returns true if e's own
 * topology address is among them. */
static bool link_addrs(const struct topo_end *e, char *buf, size_t len)
{
	char out[OUT_LEN], want[32];
	size_t used = 0;

	snprintf(want, sizeof(want), "%s/%d", e->ip, TOPO_PREFIX_LEN);
	snprintf(buf, len, "none");
	if (topo_runl(out, sizeof(out), "ip", "-n", e->ns, "-o", "-4", "address", "show", "dev",
		      e->ifname, NULL))
		return false;
	for (const char *p = strstr(out, " inet "); p && used + 1 < len; p = strstr(p, " inet ")) {
		p += 6;
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s", used ? " " : "",
					 (int)strcspn(p, " "), p);
	}
	for (const char *p = buf; (p = strstr(p, want)); p += strlen(want))
		if ((p == buf || p[-1] == ' ') && (p[strlen(want)] == ' ' || !p[strlen(want)]))
			return true;
	return false;
}

/* Writes the names of the offloads still on ("gro tso", "" when all are off, "?" when
 * ethtool fails) into buf. */
static void link_offloads_on(const struct topo_end *e, char *buf, size_t len)
{
	static const struct {
		const char *feature, *name;
	} offloads[] = {
		{"generic-receive-offload", "gro"},  {"generic-segmentation-offload", "gso"},
		{"tcp-segmentation-offload", "tso"}, {"tx-checksumming", "tx-csum"},
		{"rx-checksumming", "rx-csum"},
	};
	char out[OUT_LEN], key[64];
	size_t used = 0;

	buf[0] = '\0';
	if (topo_runl(out, sizeof(out), "ip", "netns", "exec", e->ns, "ethtool", "-k", e->ifname,
		      NULL)) {
		snprintf(buf, len, "?");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(offloads) && used + 1 < len; i++) {
		const char *p;

		snprintf(key, sizeof(key), "\n%s: on", offloads[i].feature);
		p = strstr(out, key);
		if (p || !strncmp(out, key + 1, strlen(key + 1)))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "",
						 offloads[i].name);
	}
}

/* Returns true if e holds a PERMANENT neighbour entry for its peer's address and MAC. */
static bool link_neigh_ok(const struct topo_end *e, const struct topo_end *peer)
{
	char out[OUT_LEN], want[48];

	snprintf(want, sizeof(want), "lladdr %s ", peer->mac);
	return !topo_runl(out, sizeof(out), "ip", "-n", e->ns, "neigh", "show", peer->ip, "dev",
			  e->ifname, NULL) &&
	       strcasestr(out, want) && strstr(out, "PERMANENT");
}

/* Checks one link end; returns true if it exists. */
static bool check_end(struct check *c, const struct topo_end *e, const struct topo_end *peer)
{
	struct link_info li;
	char addrs[128], offl[64];
	bool addr_ok, neigh_ok;

	if (link_query(e->ns, e->ifname, &li)) {
		if (c->verbose)
			printf("  %-6s in %-8s absent\n", e->ifname, e->ns);
		problem(c, "link %s does not exist in namespace %s", e->ifname, e->ns);
		return false;
	}
	addr_ok = link_addrs(e, addrs, sizeof(addrs));
	link_offloads_on(e, offl, sizeof(offl));
	neigh_ok = link_neigh_ok(e, peer);
	if (c->verbose)
		printf("  %-6s in %-8s %-4s state %-6s %s  %s  offloads %s  neighbour %s %s\n",
		       e->ifname, e->ns, li.admin_up ? "up" : "down", li.state, li.mac, addrs,
		       *offl ? offl : "off", peer->ip, neigh_ok ? "PERMANENT" : "missing");
	if (!li.admin_up)
		problem(c, "link %s in %s is down", e->ifname, e->ns);
	if (strcasecmp(li.mac, e->mac))
		problem(c, "link %s has MAC %s, want %s", e->ifname, li.mac, e->mac);
	if (!addr_ok)
		problem(c, "link %s lacks address %s/%d", e->ifname, e->ip, TOPO_PREFIX_LEN);
	if (*offl)
		problem(c, "link %s: offloads still on: %s", e->ifname, offl);
	if (!neigh_ok)
		problem(c, "link %s: no PERMANENT neighbour %s lladdr %s", e->ifname, peer->ip,
			peer->mac);
	return true;
}

static void check_route(struct check *c, const struct topo_route *rt)
{
	char out[OUT_LEN], want[96];
	bool ok;

	snprintf(want, sizeof(want), "via %s dev %s", rt->gw, rt->dev);
	ok = !topo_runl(out, sizeof(out), "ip", "-n", rt->ns, "route", "show", rt->dst, NULL) &&
	     strstr(out, want);
	if (c->verbose)
		printf("  %-8s %s %s  %s\n", rt->ns, rt->dst, want, ok ? "present" : "absent");
	if (!ok)
		problem(c, "namespace %s lacks route %s %s", rt->ns, rt->dst, want);
}

/* A tap bridge belongs to a running fwd-dpdk-tap or echo-dpdk-tap trial only: outside one it
 * is a problem. */
static void check_tap_bridge(struct check *c)
{
	bool present = tapbr_present();

	if (c->verbose)
		printf("tap bridge (only while a fwd-dpdk-tap or echo-dpdk-tap trial runs)\n  %s "
		       "%s "
		       "%s %s\n",
		       TOPO_IF_TAP_IN, TOPO_IF_TAP_OUT, TOPO_IF_TAP_ECHO,
		       present ? "present" : "absent");
	if (present)
		problem(c,
			"a tap bridge is in %s (a tap %s, %s or %s, or a redirect on %s): %s's "
			"frames go to a tap, not to a DUT on %s ('linerate topo up' removes it)",
			TOPO_NS_DUT, TOPO_IF_TAP_IN, TOPO_IF_TAP_OUT, TOPO_IF_TAP_ECHO, TOPO_IF_D0,
			TOPO_IF_D0, TOPO_IF_D0);
}

/* Checks (and with verbose, shows) the whole topology; returns the number of problems. */
static unsigned check_topology(bool verbose)
{
	struct check c = {.verbose = verbose};

	if (verbose)
		printf("namespaces\n");
	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++)
		check_namespace(&c, topo_namespaces[i]);
	if (verbose)
		printf("links\n");
	for (size_t i = 0; i < ARRAY_SIZE(topo_links); i++) {
		const struct topo_link *l = &topo_links[i];
		bool a = check_end(&c, &l->a, &l->b), b = check_end(&c, &l->b, &l->a);

		if (a && b && !pair_ok(l))
			problem(&c, "%s (%s) and %s (%s) are not veth peers", l->a.ifname, l->a.ns,
				l->b.ifname, l->b.ns);
	}
	if (verbose)
		printf("routes\n");
	for (size_t i = 0; i < ARRAY_SIZE(topo_routes); i++)
		check_route(&c, &topo_routes[i]);
	FOR_EACH_END(l, e)
	{
		if (!topo_runl(NULL, 0, "ip", "link", "show", "dev", e->ifname, NULL))
			problem(&c, "stray link %s in the root namespace", e->ifname);
	}
	check_tap_bridge(&c);
	return c.problems;
}

static void show_hugepages(void)
{
	struct mem_huge_info hi = {0};
	struct huge_state s;
	char mnt[PATH_MAX];
	bool mounted = hugetlbfs_mount(mnt, sizeof(mnt));

	mem_huge_info(&hi); /* best effort: zeros when /proc/meminfo has no huge page lines */
	printf("huge pages\n  total %lu, free %lu, size %lu kB; hugetlbfs %s%s\n", hi.total,
	       hi.free, hi.size_kb, mounted ? "mounted on " : "not mounted", mounted ? mnt : "");
	if (!huge_load(&s) && s.valid)
		printf("  reserved by 'linerate topo up --hugepages' (nr_hugepages was %ld%s%s); "
		       "'down' restores it\n",
		       s.nr_before, s.mounted[0] ? ", it mounted " : "", s.mounted);
}

static int topo_status(void)
{
	unsigned problems = check_topology(true);

	show_hugepages();
	if (problems) {
		printf("topology incomplete: %u problem%s (run 'linerate topo up')\n", problems,
		       problems == 1 ? "" : "s");
		return LR_EXIT_ENV;
	}
	printf("topology complete\n");
	return LR_EXIT_OK;
}

/* ---- down -------------------------------------------------------------------------------- */

static void warn_ns_pids(const char *ns)
{
	char out[OUT_LEN];

	if (!topo_runl(out, sizeof(out), "ip", "netns", "pids", ns, NULL) && *topo_oneline(out))
		pr_warn("processes %s still run in %s: its links live on until they exit", out, ns);
}

/* Unmounts what `up` mounted and restores nr_hugepages from TOPO_STATE_FILE; counts the
 * restore in *done. Returns 0 or -EIO. */
static int down_hugepages(unsigned *done)
{
	struct huge_state s;
	long now = -1;
	int err = huge_load(&s);

	if (err) {
		pr_err("cannot read %s: %s", TOPO_STATE_FILE, strerror(-err));
		return -EIO;
	}
	if (!s.valid)
		return 0;
	if (s.mounted[0]) {
		if (umount(s.mounted) && errno != EINVAL && errno != ENOENT) {
			pr_err("unmount hugetlbfs from %s: %s (a process still uses huge pages "
			       "there: "
			       "stop it, then run 'linerate topo down' again)",
			       s.mounted, strerror(errno));
			return -EIO;
		}
		if (s.created_dir)
			rmdir(s.mounted); /* best effort */
		pr_info("unmounted hugetlbfs from %s", s.mounted);
	}
	if (write_long(NR_HUGE_PATH, s.nr_before) || read_long(NR_HUGE_PATH, &now) ||
	    now != s.nr_before) {
		pr_err("restore %s to %ld: it is %ld (huge pages still in use? stop their users, "
		       "then run 'linerate topo down' again)",
		       NR_HUGE_PATH, s.nr_before, now);
		return -EIO;
	}
	pr_info("restored nr_hugepages to %ld", s.nr_before);
	unlink(TOPO_STATE_FILE); /* best effort */
	rmdir(TOPO_STATE_DIR);   /* best effort: other files may live there */
	(*done)++;
	return 0;
}

static int topo_down(void)
{
	unsigned done = 0;
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(topo_namespaces); i++) {
		const char *ns = topo_namespaces[i];

		if (!ns_state(ns))
			continue;
		warn_ns_pids(ns);
		if (step("delete namespace", "ip", "netns", "delete", ns, NULL)) {
			err = -EIO;
			continue;
		}
		pr_info("deleted namespace %s", ns);
		done++;
	}
	if (remove_root_strays(&done))
		err = -EIO;
	if (down_hugepages(&done))
		err = -EIO;
	if (err) {
		pr_err("topo down: some of the lr- topology is left (see above)");
		return LR_EXIT_FAIL;
	}
	if (!done)
		printf("topo down: nothing to do (no lr- namespace, link or huge page "
		       "reservation)\n");
	else
		printf("topo down: removed the lr- topology (%u item%s)\n", done,
		       done == 1 ? "" : "s");
	return LR_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------------- */

/* Returns 0 if ip (and ethtool when needed) can be found, else LR_EXIT_ENV after saying so. */
static int need_tools(bool ethtool)
{
	char path[PATH_MAX];

	if (topo_find_tool("ip", path, sizeof(path))) {
		pr_err("'ip' not found in PATH or " ROOT_SBIN_PATH
		       " (install iproute2: apt-get install iproute2, or 'make deps')");
		return LR_EXIT_ENV;
	}
	if (ethtool && topo_find_tool("ethtool", path, sizeof(path))) {
		pr_err("'ethtool' not found in PATH or " ROOT_SBIN_PATH
		       " (install it: apt-get install ethtool, or 'make deps')");
		return LR_EXIT_ENV;
	}
	return 0;
}

int cmd_topo(int argc, char **argv)
{
	long hugepages = 0;
	const struct cli_option opts[] = {
		{"hugepages", 0, CLI_INT, &hugepages, "N",
		 "with 'up': make sure N 2 MB huge pages are reserved and hugetlbfs is mounted "
		 "('down' restores both); 0 leaves huge pages alone",
		 NULL, 0, MAX_HUGEPAGES},
		{NULL},
	};
	const struct cli_program prog = {
		"linerate topo", "[options] up|down|status",
		"Builds (up), removes (down) or shows (status) the lr- test topology: namespaces "
		"lr-gen, lr-dut and lr-sink, veth pairs lr-g0/lr-d0, lr-d1/lr-k1 and the loop pair "
		"lr-s0/lr-s1 in 198.18.0.0/15, with fixed MACs, permanent neighbours and offloads "
		"off "
		"(see common/topo_defs.h). 'up' is idempotent. Needs root.",
		opts};
	const char *sub;
	int first, ret;

	log_set_prog("linerate topo");
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first >= argc || first + 1 < argc) {
		pr_err("%s (usage: linerate topo up|down|status [--hugepages N])",
		       first >= argc ? "missing subcommand" : "too many arguments");
		return LR_EXIT_USAGE;
	}
	sub = argv[first];
	if (strcmp(sub, "up") && strcmp(sub, "down") && strcmp(sub, "status")) {
		pr_err("unknown subcommand '%s' (accepted: up, down, status)", sub);
		return LR_EXIT_USAGE;
	}
	if (hugepages && strcmp(sub, "up")) {
		pr_err("--hugepages applies to 'up' only ('down' restores what 'up' reserved)");
		return LR_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		pr_err("must run as root (try: sudo linerate topo %s)", sub);
		return LR_EXIT_NOPERM;
	}
	ret = need_tools(strcmp(sub, "down"));
	if (ret)
		return ret;
	if (!strcmp(sub, "up"))
		return topo_up(hugepages);
	return strcmp(sub, "down") ? topo_status() : topo_down();
}
