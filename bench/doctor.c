// SPDX-License-Identifier: MIT
/*
 * doctor.c: `linerate doctor`, what this machine can run. One line per check, OK or MISSING,
 * and for each missing thing the fix: root, network namespaces and veth (tried for real on a
 * throwaway lr-doc0/lr-doc1 pair in a throwaway lr-doctor namespace), AF_PACKET sockets, huge
 * pages and hugetlbfs, the DPDK poll-mode drivers the benchmarks use, the external tools, and
 * an invariant TSC. Every check is required: exit 0 when all pass, LR_EXIT_ENV otherwise.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "lr.h"
#include "mem.h"
#include "topo.h"
#include "tsc.h"

#define DOC_NS  "lr-doctor"
#define DOC_IF0 "lr-doc0"
#define DOC_IF1 "lr-doc1"
#define OUT_LEN 1024

/* Where distributions install DPDK's PMDs (Debian: /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0). */
static const char *const pmd_dirs[] = {
	"/usr/lib/*/dpdk/pmds-*",       "/usr/lib64/dpdk/pmds-*",       "/usr/lib/dpdk/pmds-*",
	"/usr/local/lib/*/dpdk/pmds-*", "/usr/local/lib64/dpdk/pmds-*",
};

/* The PMDs the benchmarks use, by driver name (the library is librte_<name>.so). */
static const char *const pmds[] = {"net_memif", "net_af_packet", "net_af_xdp", "net_null",
				   "net_ring"};

static const struct {
	const char *tool, *package, *use;
} tools[] = {
	{"dpdk-testpmd", "dpdk", "reference DPDK forwarder"},
	{"gnuplot", "gnuplot-nox", "plots"},
	{"ethtool", "ethtool", "offloads on the lr- links"},
	{"ip", "iproute2", "namespaces and links"},
	{"nft", "nftables", "loss injection"},
};

struct doctor {
	unsigned checks, failed;
};

/* Prints one check: OK or MISSING, what was checked, the detail and, when missing, the fix. */
static void __attribute__((format(printf, 5, 6)))
report(struct doctor *d, bool ok, const char *what, const char *fix, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	d->checks++;
	printf("  %-8s %-23s %s\n", ok ? "OK" : "MISSING", what, detail);
	if (!ok) {
		d->failed++;
		printf("  %-8s %-23s fix: %s\n", "", "", fix);
	}
}

/* Creates and deletes a veth pair in a throwaway namespace; on failure writes the failing
 * command and its output into err and returns false. */
static bool try_netns_veth(char *err, size_t len)
{
	char out[OUT_LEN];
	bool ok = false;

	if (!access("/run/netns/" DOC_NS, F_OK))
		topo_runl(NULL, 0, "ip", "netns", "delete", DOC_NS, NULL); /* best effort: stale */
	if (topo_runl(out, sizeof(out), "ip", "netns", "add", DOC_NS, NULL)) {
		snprintf(err, len, "'ip netns add " DOC_NS "' failed: %s", topo_oneline(out));
		return false;
	}
	if (topo_runl(out, sizeof(out), "ip", "-n", DOC_NS, "link", "add", DOC_IF0, "type", "veth",
		      "peer", "name", DOC_IF1, NULL))
		snprintf(err, len, "'ip link add " DOC_IF0 " type veth' failed: %s",
			 topo_oneline(out));
	else if (topo_runl(out, sizeof(out), "ip", "-n", DOC_NS, "link", "delete", "dev", DOC_IF0,
			   NULL))
		snprintf(err, len, "'ip link delete " DOC_IF0 "' failed: %s", topo_oneline(out));
	else
		ok = true;
	if (topo_runl(out, sizeof(out), "ip", "netns", "delete", DOC_NS, NULL) && ok) {
		snprintf(err, len, "'ip netns delete " DOC_NS "' failed: %s", topo_oneline(out));
		ok = false;
	}
	return ok;
}

static void check_netns_veth(struct doctor *d)
{
	char err[OUT_LEN + 64];
	bool ok = try_netns_veth(err, sizeof(err));

	report(d, ok, "netns + veth",
	       "the kernel needs network namespaces and veth (CONFIG_NET_NS, CONFIG_VETH: modprobe "
	       "veth); the tools come with iproute2 (apt-get install iproute2)",
	       "%s",
	       ok ? "created and removed veth " DOC_IF0 "/" DOC_IF1 " in namespace " DOC_NS : err);
}

static void check_af_packet(struct doctor *d)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	int err = errno;

	if (fd >= 0)
		close(fd);
	report(d, fd >= 0, "AF_PACKET socket",
	       "needs CAP_NET_RAW (run as root) and a kernel with CONFIG_PACKET (modprobe "
	       "af_packet)",
	       "%s%s", fd >= 0 ? "opened a raw packet socket" : "socket(AF_PACKET, SOCK_RAW): ",
	       fd >= 0 ? "" : strerror(err));
}

static void check_hugepages(struct doctor *d)
{
	struct mem_huge_info hi = {0};
	int fd, err;

	mem_huge_info(&hi); /* best effort: zeros mean no huge page support */
	fd = open("/proc/sys/vm/nr_hugepages", O_WRONLY | O_CLOEXEC); /* opened, never written */
	err = errno;
	if (fd >= 0)
		close(fd);
	if (!hi.size_kb)
		report(d, false, "huge pages", "use a kernel with CONFIG_HUGETLBFS",
		       "/proc/meminfo has no Hugepagesize line");
	else
		report(d, fd >= 0, "huge pages",
		       "run as root on a system where /proc/sys is writable (not a read-only "
		       "container)",
		       "Hugepagesize %lu kB, %lu reserved, %lu free; /proc/sys/vm/nr_hugepages "
		       "%s%s",
		       hi.size_kb, hi.total, hi.free,
		       fd >= 0 ? "writable" : "not writable: ", fd >= 0 ? "" : strerror(err));
}

static void check_hugetlbfs(struct doctor *d)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "re");

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nodev\thugetlbfs\n");
	if (f)
		fclose(f);
	report(d, found, "hugetlbfs", "use a kernel with CONFIG_HUGETLBFS",
	       found ? "listed in /proc/filesystems" : "not in /proc/filesystems");
}

/* Finds librte_<pmd>.so* under the PMD directories; writes its path; returns true if found. */
static bool find_pmd(const char *pmd, char *path, size_t len)
{
	char pattern[256];
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(pmd_dirs) && !found; i++) {
		glob_t g;

		snprintf(pattern, sizeof(pattern), "%s/librte_%s.so*", pmd_dirs[i], pmd);
		if (!glob(pattern, 0, NULL, &g) && g.gl_pathc) {
			snprintf(path, len, "%s", g.gl_pathv[0]);
			found = true;
		}
		globfree(&g);
	}
	return found;
}

static void check_pmds(struct doctor *d)
{
	char path[PATH_MAX], what[32];

	for (size_t i = 0; i < ARRAY_SIZE(pmds); i++) {
		bool ok = find_pmd(pmds[i], path, sizeof(path));

		snprintf(what, sizeof(what), "DPDK PMD %s", pmds[i]);
		if (ok)
			report(d, true, what, "", "%s", path);
		else
			report(d, false, what, "apt-get install dpdk (or 'make deps')",
			       "librte_%s.so* not under /usr/lib/*/dpdk/pmds-*/ (nor lib64, local)",
			       pmds[i]);
	}
}

static void check_tools(struct doctor *d)
{
	char path[PATH_MAX], fix[96];

	for (size_t i = 0; i < ARRAY_SIZE(tools); i++) {
		bool ok = !topo_find_tool(tools[i].tool, path, sizeof(path));

		snprintf(fix, sizeof(fix), "apt-get install %s (or 'make deps')", tools[i].package);
		report(d, ok, tools[i].tool, fix, "%s (%s)",
		       ok ? path : "not found in PATH nor /usr/local/sbin:/usr/sbin:/sbin",
		       tools[i].use);
	}
}

static void check_tsc(struct doctor *d)
{
	bool ok = tsc_invariant();

	report(d, ok, "invariant TSC",
	       "run on a CPU (or a VM: KVM '-cpu host' or '+invtsc') with constant_tsc and "
	       "nonstop_tsc; without them cycle counts and latencies drift",
	       "%s", ok ? "constant_tsc and nonstop_tsc" : "constant_tsc or nonstop_tsc missing");
}

/* Prints one line about what real NICs would need: informational, never a failure (the
 * benchmarks run on the lr- topology, which needs none of it). */
static void __attribute__((format(printf, 3, 4)))
note(bool ok, const char *what, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("  %-8s %-23s %s\n", ok ? "OK" : "n/a", what, detail);
}

/* Counts the entries of a directory, or only those whose name has a ':' (PCI addresses such
 * as 0000:01:00.0) when pci is true; -1 when it cannot be read. */
static int dir_entries(const char *path, bool pci)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' && (!pci || strchr(e->d_name, ':'));
	closedir(d);
	return n;
}

/* What a DPDK PMD needs to drive a PCI NIC (docs/real-nics.md): an IOMMU, vfio-pci, a NIC bound
 * to it, and dpdk-devbind.py to bind one. */
static void check_real_nics(void)
{
	char line[1024] = "";
	FILE *f = fopen("/proc/cmdline", "re");
	int groups = dir_entries("/sys/kernel/iommu_groups", false);
	int bound = dir_entries("/sys/bus/pci/drivers/vfio-pci", true);
	bool vfio = dir_entries("/sys/module/vfio_pci", false) >= 0 || bound >= 0;
	bool devbind = !access("/usr/bin/dpdk-devbind.py", X_OK);

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	printf("real NICs (optional; the benchmarks need none of this, see docs/real-nics.md):\n");
	if (groups > 0)
		note(true, "IOMMU", "%d IOMMU groups", groups);
	else
		note(false, "IOMMU",
		     "no IOMMU groups%s: boot with intel_iommu=on or amd_iommu=on (and iommu=pt), "
		     "or use vfio-pci's no-IOMMU mode",
		     strstr(line, "iommu") ? " (yet an iommu option is on the kernel command line)"
					   : "");
	if (vfio)
		note(true, "vfio-pci", "module loaded");
	else
		note(false, "vfio-pci",
		     "not loaded: 'modprobe vfio-pci' (a kernel with CONFIG_VFIO_PCI)");
	/* the driver's directory holds bind, unbind, new_id, ... besides the bound devices */
	if (bound > 5)
		note(true, "NIC on vfio-pci", "%d entries under /sys/bus/pci/drivers/vfio-pci",
		     bound);
	else
		note(false, "NIC on vfio-pci",
		     "none: 'dpdk-devbind.py --status', then 'dpdk-devbind.py -b vfio-pci "
		     "0000:01:00.0'");
	note(devbind, "dpdk-devbind.py", "%s",
	     devbind ? "/usr/bin/dpdk-devbind.py (package dpdk)" : "missing: 'make deps' (dpdk)");
}

int cmd_doctor(int argc, char **argv)
{
	const struct cli_option opts[] = {{NULL}};
	const struct cli_program prog = {"linerate doctor", "[options]",
					 "Checks what this machine can run (root, namespaces and "
					 "veth, AF_PACKET, huge pages, "
					 "DPDK PMDs, tools, invariant TSC) and prints the fix for "
					 "each missing thing. Creates "
					 "and removes a throwaway namespace " DOC_NS
					 ". Needs root.",
					 opts};
	struct doctor d = {0};
	int first, ret;

	log_set_prog("linerate doctor");
	ret = cli_parse(&prog, argc, argv, &first);
	if (ret)
		return ret > 0 ? LR_EXIT_OK : LR_EXIT_USAGE;
	if (first < argc) {
		pr_err("unexpected argument '%s' (linerate doctor takes no arguments)",
		       argv[first]);
		return LR_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		pr_err("must run as root (try: sudo linerate doctor)");
		return LR_EXIT_NOPERM;
	}
	printf("linerate doctor: what this machine can run\n");
	report(&d, true, "root", "", "running as root");
	check_netns_veth(&d);
	check_af_packet(&d);
	check_hugepages(&d);
	check_hugetlbfs(&d);
	check_pmds(&d);
	check_tools(&d);
	check_tsc(&d);
	check_real_nics();
	if (d.failed) {
		printf("%u of %u checks failed: apply the fixes above, then run 'linerate doctor' "
		       "again\n",
		       d.failed, d.checks);
		return LR_EXIT_ENV;
	}
	printf("all %u checks passed\n", d.checks);
	return LR_EXIT_OK;
}
