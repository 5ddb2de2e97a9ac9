// SPDX-License-Identifier: MIT
/*
 * it_install.c: `make install DESTDIR=... PREFIX=/usr` from the source tree, then the installed
 * programs used from another directory: tgen --help, linerate plot finding its gnuplot scripts
 * under share/linerate/plots (no --plots), the man pages rendering with man -l, the bash
 * completion offering the programs' own commands and options; make uninstall removes it all.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it_helpers.h"

#define TOPDIR LR_TOPDIR

static char dest[] = "/tmp/lr-install-XXXXXX";

static void setup(void)
{
	if (access("/usr/bin/help2man", X_OK))
		cr_skip_test("help2man missing (run 'make deps')");
	strcpy(dest, "/tmp/lr-install-XXXXXX");
	cr_assert_not_null(mkdtemp(dest));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dest);
	cr_expect_eq(system(cmd), 0);
}

/* Runs a shell line with $0 = dest; returns its result. */
static int sh(struct it_result *r, const char *line)
{
	return it_runl(r, "/bin/sh", "-c", line, dest, NULL);
}

TestSuite(it_install, .init = setup, .fini = teardown, .timeout = 120);

Test(it_install, installed_programs_work_from_another_directory)
{
	struct it_result r;

	sh(&r, "make -s -C '" TOPDIR "' install DESTDIR=\"$0\" PREFIX=/usr >/dev/null");
	cr_assert_eq(r.status, 0, "make install: %s", r.err);
	it_result_free(&r);

	sh(&r, "cd / && \"$0\"/usr/bin/tgen --help && \"$0\"/usr/bin/fwd-dpdk --version");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(it_contains(r.out, "run|selftest|rfc2544|echo"), "%s", r.out);
	cr_assert(it_contains(r.out, "fwd-dpdk (linerate) " LR_VERSION), "%s", r.out);
	it_result_free(&r);

	/* a results directory to draw: the plot scripts must come from share/linerate/plots */
	sh(&r, "mkdir -p \"$0\"/res && : > \"$0\"/res/results.csv && cd / && "
	       "\"$0\"/usr/bin/linerate plot \"$0\"/res");
	cr_assert(!it_contains(r.err, "cannot find the gnuplot scripts"), "%s", r.err);
	cr_assert(it_contains(r.err, "points.csv"), "it got past the scripts: %s", r.err);
	it_result_free(&r);
	sh(&r, "mv \"$0\"/usr/share/linerate \"$0\"/usr/share/lr-moved && cd / && "
	       "\"$0\"/usr/bin/linerate plot \"$0\"/res; mv \"$0\"/usr/share/lr-moved "
	       "\"$0\"/usr/share/linerate");
	cr_assert(it_contains(r.err, "cannot find the gnuplot scripts"), "the check can fail: %s",
		  r.err);
	it_result_free(&r);

	sh(&r, "MANWIDTH=80 man -l \"$0\"/usr/share/man/man1/fwd-afp.1 | cat");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(it_contains(r.out, "fwd-afp - IPv4 forwarder on AF_PACKET rings"), "%s", r.out);
	cr_assert(it_contains(r.out, "--batch"), "the options are in it: %s", r.out);
	it_result_free(&r);

	sh(&r, "PATH=\"$0\"/usr/bin:$PATH bash -c '. \"$0\"/usr/share/bash-completion/completions/"
	       "linerate; COMP_WORDS=(linerate re); COMP_CWORD=1; _linerate_complete; "
	       "echo \"${COMPREPLY[*]}\"; COMP_WORDS=(tgen run --dur); COMP_CWORD=2; "
	       "_linerate_complete; echo \"${COMPREPLY[*]}\"' \"$0\"");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(it_contains(r.out, "regress"), "commands: %s", r.out);
	cr_assert(it_contains(r.out, "--duration"), "options: %s", r.out);
	it_result_free(&r);

	sh(&r, "make -s -C '" TOPDIR "' uninstall DESTDIR=\"$0\" PREFIX=/usr >/dev/null && "
	       "test -z \"$(find \"$0\"/usr -type f)\"");
	cr_assert_eq(r.status, 0, "uninstall left files: %s", r.err);
	it_result_free(&r);
}
