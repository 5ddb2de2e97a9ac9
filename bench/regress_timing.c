// SPDX-License-Identifier: MIT
/*
 * regress_timing.c: Tier 2 of `linerate regress`, evidence and never the gate alone. Runs a
 * baseline build and the candidate build of lr-paths natively, alternating A B A B for a
 * number of pairs (the first pair is discarded as a warm-up of caches and CPU frequency),
 * reads the TSC cycles of each run's steady-state loop, and reports per path the median of
 * the per-pair ratios candidate / baseline with a bootstrap 95% interval. Pairing in time
 * cancels most of the slow drift of a shared machine; the interval says how much is left.
 * The baseline is a build the user names (--tier2-base PATH) or one made here from a git
 * revision (--base REF): exported with `git archive` into /tmp and built there, so that the
 * user's checkout and build tree are never touched.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regress.h"
#include "topo.h"
#include "tsc.h"

#define BOOT_RESAMPLES 2000
#define PAIRS_MAX      256
#define BASE_OUT       8192 /* build output kept for the error message */

/* Runs bin's path natively; returns cycles per unit (> 0) or -1 on failure. */
static double run_native(const char *bin, const char *path, long count)
{
	char cmd[PATH_MAX + 96], line[128];
	unsigned long long units = 0, cycles = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' %s %ld 2>/dev/null", bin, path, count);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		sscanf(line, "units %llu", &units);
		sscanf(line, "cycles %llu", &cycles);
	}
	if (pclose(p) != 0 || !units || !cycles)
		return -1;
	return (double)cycles / (double)units;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A fixed-seed xorshift, so that the interval of given ratios is reproducible. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Bootstrap 95% interval of the median of n ratios. */
static void bootstrap(const double *ratio, unsigned n, double *lo, double *hi)
{
	static double meds[BOOT_RESAMPLES];
	double sample[PAIRS_MAX];
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (unsigned b = 0; b < BOOT_RESAMPLES; b++) {
		for (unsigned i = 0; i < n; i++)
			sample[i] = ratio[rng_next(&seed) % n];
		meds[b] = median(sample, n);
	}
	qsort(meds, BOOT_RESAMPLES, sizeof(*meds), cmp_double);
	*lo = meds[BOOT_RESAMPLES * 25 / 1000];
	*hi = meds[BOOT_RESAMPLES * 975 / 1000 - 1];
}

/* Returns the machine's steal share (percent of all CPU time) between two /proc/stat reads. */
static int read_steal(unsigned long long *steal, unsigned long long *total)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return -EIO;
	*steal = v[7];
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	return 0;
}

int regress_tier2_path(const char *base_bin, const char *cand_bin, const char *path, long count,
		       unsigned pairs, struct regress_tier2 *t)
{
	double a[PAIRS_MAX], b[PAIRS_MAX], ratio[PAIRS_MAX];
	unsigned long long s0 = 0, t0 = 0, s1 = 0, t1 = 0;

	if (pairs < 2 || pairs > PAIRS_MAX)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	read_steal(&s0, &t0); /* best effort: steal is only an explanation */
	for (unsigned i = 0; i < pairs; i++) {
		a[i] = run_native(base_bin, path, count);
		b[i] = run_native(cand_bin, path, count);
		if (a[i] <= 0 || b[i] <= 0)
			return -EIO;
		ratio[i] = b[i] / a[i];
	}
	read_steal(&s1, &t1);
	t->pairs = pairs - 1; /* the first pair is discarded */
	t->steal_pct = t1 > t0 ? 100.0 * (double)(s1 - s0) / (double)(t1 - t0) : 0;
	bootstrap(ratio + 1, t->pairs, &t->lo, &t->hi);
	t->ratio = median(ratio + 1, t->pairs);
	t->base_cpp = median(a + 1, t->pairs);
	t->cand_cpp = median(b + 1, t->pairs);
	t->cand_mpps = tsc_hz() / t->cand_cpp / 1e6;
	t->base_mpps = tsc_hz() / t->base_cpp / 1e6;
	return 0;
}

/* The --base REF build: `git archive` of REF exported under /tmp and only lr-paths built
 * there (libcommon.a, then bench/'s lr-paths rule), so the user's checkout is never touched. */

/* Runs argv, keeping its output in out; on failure writes "what: first line of output". */
static int base_step(const char *const argv[], char *out, size_t outlen, const char *what,
		     char *err, size_t errlen)
{
	int rc = topo_run(argv, out, outlen);

	if (!rc)
		return 0;
	if (rc < 0)
		snprintf(err, errlen, "%s: %s not found (install it)", what, argv[0]);
	else
		snprintf(err, errlen, "%s (%s exit %d): %.300s", what, argv[0], rc,
			 topo_oneline(out));
	return -EIO;
}

/* Resolves ref to a commit's full and 12-digit sha, in the repository around the current
 * directory; returns 0 or -errno with the reason in err. */
static int base_resolve(const char *ref, struct regress_base *b, char *err, size_t errlen)
{
	char out[512], spec[REGRESS_STR + 16];

	if (topo_runl(b->repo, sizeof(b->repo), "git", "rev-parse", "--show-toplevel", NULL)) {
		snprintf(err, errlen,
			 "--base %s: the current directory is not in a git repository (run from "
			 "the linerate source tree)",
			 ref);
		return -ENOENT;
	}
	b->repo[strcspn(b->repo, "\n")] = '\0';
	snprintf(spec, sizeof(spec), "%s^{commit}", ref);
	if (ref[0] == '-' ||
	    topo_runl(out, sizeof(out), "git", "rev-parse", "--verify", "--quiet", spec, NULL)) {
		snprintf(err, errlen,
			 "--base %s: unknown revision '%s' in this repository (try 'git log "
			 "--oneline' for one)",
			 ref, ref);
		return -ENOENT;
	}
	snprintf(b->sha, sizeof(b->sha), "%.40s", out);
	snprintf(b->short_sha, sizeof(b->short_sha), "%.12s", out);
	snprintf(spec, sizeof(spec), "%s:bench/paths/paths.c", b->sha);
	if (topo_runl(out, sizeof(out), "git", "cat-file", "-e", spec, NULL)) {
		snprintf(err, errlen,
			 "--base %s: revision %s has no lr-paths (bench/paths/paths.c): it is "
			 "older than the regression gate; pick a later revision",
			 ref, b->short_sha);
		return -ENOENT;
	}
	return 0;
}

/* Removes a tree made by regress_base_build() (best effort, used on every exit path). */
static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0; /* best effort: keep removing the rest */
}

void regress_base_remove(struct regress_base *b)
{
	if (strncmp(b->dir, "/tmp/lr-regress-base-", 21))
		return; /* nothing made, or not ours */
	nftw(b->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	b->dir[0] = '\0';
}

#define BASE_MAX_DIRS 8

/* Fills argv (from index n on) with the dir-* targets the exported tree's top-level Makefile
 * makes dir-bench wait for (the folders whose libraries its lr-paths links), always with
 * dir-common first; returns the new argument count. The tree's own Makefile is read so that
 * a revision whose lr-paths needs more (or less) than today's is built as it says. */
static unsigned base_prereqs(const struct regress_base *b, const char **argv, unsigned n,
			     char names[][32])
{
	char path[sizeof(b->dir) + 16], line[512];
	unsigned k = 0;
	FILE *f;

	snprintf(names[k], 32, "dir-common");
	argv[n++] = names[k++];
	snprintf(path, sizeof(path), "%s/Makefile", b->dir);
	f = fopen(path, "re");
	if (!f)
		return n;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "dir-bench:", 10))
			for (char *t = strtok(line + 10, " \t\n"); t && k < BASE_MAX_DIRS;
			     t = strtok(NULL, " \t\n"))
				if (!strncmp(t, "dir-", 4) && strcmp(t, "dir-common")) {
					snprintf(names[k], 32, "%.31s", t);
					argv[n++] = names[k++];
				}
	fclose(f);
	return n;
}

/* Builds the exported tree's lr-paths: the folders it depends on, then bench/'s lr-paths rule
 * alone (not linerate or the planted variants); 0 or -EIO with the reason in err. */
static int base_make(struct regress_base *b, char *out, char *err, size_t errlen)
{
	char top[sizeof(b->dir) + 8], bench[sizeof(b->dir) + 8], names[BASE_MAX_DIRS][32];
	const char *deps[8 + BASE_MAX_DIRS] = {"make", "-s", "-j2", "-C", b->dir};
	const char *paths[] = {"make", "-s", "-C", bench, top, b->bin, NULL};
	unsigned n = base_prereqs(b, deps, 5, names);
	int ret;

	/* A make that runs linerate (make test, make regress) hands its variables (TOP, BUILD,
	 * SAN) down through MAKEFLAGS and the environment; the exported tree's build must not
	 * inherit them, or it would build into (or read from) the candidate's tree. */
	static const char *const make_env[] = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
					       "TOP",       "BUILD",  "SAN"};

	for (unsigned i = 0; i < sizeof(make_env) / sizeof(make_env[0]); i++)
		unsetenv(make_env[i]);
	deps[n] = NULL;
	snprintf(top, sizeof(top), "TOP=%s", b->dir);
	snprintf(bench, sizeof(bench), "%s/bench", b->dir);
	snprintf(b->bin, sizeof(b->bin), "%s/build/bin/lr-paths", b->dir);
	ret = base_step(deps, out, BASE_OUT, "building what its lr-paths links failed", err,
			errlen);
	if (!ret)
		ret = base_step(paths, out, BASE_OUT, "building its lr-paths failed", err, errlen);
	return ret;
}

/* Exports b->sha into b->dir and builds lr-paths there; 0 or -errno with the reason in err. */
static int base_export_build(struct regress_base *b, char *err, size_t errlen)
{
	char tar[sizeof(b->dir) + 16];
	/* from the top folder: in a subfolder git archive would export only that subfolder */
	const char *archive[] = {"git", "-C", b->repo, "archive", "--format=tar",
				 "-o",  tar,  b->sha,  NULL};
	const char *untar[] = {"tar", "-xf", tar, "-C", b->dir, NULL};
	char *out = malloc(BASE_OUT);
	int ret;

	if (!out)
		return -ENOMEM;
	snprintf(tar, sizeof(tar), "%s/src.tar", b->dir);
	ret = base_step(archive, out, BASE_OUT, "git archive failed", err, errlen);
	if (!ret)
		ret = base_step(untar, out, BASE_OUT, "cannot unpack the export", err, errlen);
	unlink(tar); /* best effort */
	if (!ret)
		ret = base_make(b, out, err, errlen);
	free(out);
	return ret;
}

int regress_base_build(const char *ref, struct regress_base *b, char *err, size_t errlen)
{
	char why[1024];
	int ret;

	memset(b, 0, sizeof(*b));
	ret = base_resolve(ref, b, err, errlen);
	if (ret)
		return ret;
	snprintf(b->dir, sizeof(b->dir), "/tmp/lr-regress-base-XXXXXX");
	if (!mkdtemp(b->dir)) {
		ret = -errno;
		snprintf(err, errlen, "--base %s: cannot create a directory in /tmp: %s", ref,
			 strerror(errno));
		b->dir[0] = '\0';
		return ret;
	}
	ret = base_export_build(b, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "--base %s (%s): %s", ref, b->short_sha, why);
		regress_base_remove(b);
	}
	return ret;
}
