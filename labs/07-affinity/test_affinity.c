// SPDX-License-Identifier: MIT
/*
 * test_affinity.c (lab 07): the grader. Pinning checked with sched_getcpu and
 * sched_getaffinity; the parsers on crafted /proc texts (a command name with spaces and
 * parentheses, the status lines in an unusual order); then live threads: one moved from CPU 0
 * to the last CPU must show a migration, one that sleeps must show its voluntary switches, the
 * same count getrusage(RUSAGE_THREAD) gives.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "affinity.h"

TestSuite(lab07, .timeout = 30);

static int last_cpu(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

Test(lab07, task1_pin_moves_the_thread_and_float_frees_it)
{
	int cpu = last_cpu();

	cr_expect_eq(aff_pin(-1), -EINVAL);
	cr_expect_eq(aff_pin(cpu + 1), -EINVAL, "CPU %d is not online", cpu + 1);
	cr_assert_eq(aff_pin(cpu), 0, "aff_pin(%d)", cpu);
	cr_expect_eq(aff_allowed(), 1, "pinned: one CPU allowed");
	for (int i = 0; i < 50; i++) {
		sched_yield();
		cr_assert_eq(sched_getcpu(), cpu, "pinned to %d, running on %d", cpu,
			     sched_getcpu());
	}
	cr_assert_eq(aff_pin(0), 0);
	cr_expect_eq(sched_getcpu(), 0, "moved to CPU 0 at once");
	cr_assert_eq(aff_float(), 0);
	cr_expect_eq(aff_allowed(), cpu + 1, "floating: every online CPU allowed");
}

/* A status file in the order the kernel does not use: nonvoluntary first. */
static const char status_text[] = "Name:\tlab07\n"
				  "State:\tS (sleeping)\n"
				  "Cpus_allowed_list:\t0-1\n"
				  "nonvoluntary_ctxt_switches:\t3\n"
				  "voluntary_ctxt_switches:\t12345\n";

Test(lab07, task2_status_gives_both_context_switch_counts)
{
	struct sched_counts c = {0};

	cr_assert_eq(sched_parse_status(status_text, &c), 0);
	cr_expect_eq(c.voluntary, 12345, "voluntary: %ld", c.voluntary);
	cr_expect_eq(c.involuntary, 3, "involuntary: %ld", c.involuntary);
	cr_expect_eq(sched_parse_status("Name:\tx\nvoluntary_ctxt_switches:\t1\n", &c), -EINVAL,
		     "nonvoluntary missing");
	cr_expect_eq(sched_parse_status("Name:\tx\n", &c), -EINVAL, "both missing");
}

Test(lab07, task3_stat_gives_the_cpu_even_with_an_odd_name)
{
	/* 52 fields; field 39 (processor) is 1; the name holds spaces and ") (" */
	static const char stat[] =
		"4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 2 0 12345 "
		"1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 "
		"0 0 0 0\n";
	static const char stat0[] = "7 (x) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0 0 0 0 "
				    "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	int cpu = -1;

	cr_assert_eq(sched_parse_stat(stat, &cpu), 0);
	cr_expect_eq(cpu, 1, "processor is field 39: got %d", cpu);
	cr_assert_eq(sched_parse_stat(stat0, &cpu), 0);
	cr_expect_eq(cpu, 0);
	cr_expect_eq(sched_parse_stat("7 (x) R 1 7 7\n", &cpu), -EINVAL, "too short");
}

Test(lab07, task3_sched_gives_the_migrations)
{
	static const char sched[] =
		"lab07 (4242, #threads: 1)\n"
		"-------------------------------------------------\n"
		"se.exec_start                                :    1234.5\n"
		"se.nr_migrations                             :                   77\n"
		"nr_switches                                  :                  100\n";
	long m = -5;

	cr_assert_eq(sched_parse_sched(sched, &m), 0);
	cr_expect_eq(m, 77, "se.nr_migrations: %ld", m);
	cr_expect_eq(sched_parse_sched("nr_switches : 3\n", &m), -EINVAL);
}

Test(lab07, task4_live_counts_follow_the_thread)
{
	struct sched_counts a, b;
	struct rusage ru;
	pid_t tid = gettid();
	int cpu = last_cpu();

	cr_assert_eq(aff_pin(0), 0, "task 1 first");
	cr_assert_eq(sched_read(tid, &a), 0, "sched_read of this thread");
	cr_expect_eq(a.cpu, 0, "pinned to 0, stat says %d", a.cpu);
	if (cpu > 0) {
		cr_assert_eq(aff_pin(cpu), 0);
		cr_assert_eq(sched_read(tid, &b), 0);
		cr_expect_eq(b.cpu, cpu, "pinned to %d, stat says %d", cpu, b.cpu);
		if (a.migrations >= 0)
			cr_expect_geq(b.migrations, a.migrations + 1,
				      "moved: %ld -> %ld migrations", a.migrations, b.migrations);
	}
	for (int i = 0; i < 20; i++)
		nanosleep(&(struct timespec){0, 200000}, NULL);
	cr_assert_eq(sched_read(tid, &b), 0);
	cr_expect_geq(b.voluntary, a.voluntary + 20, "20 sleeps: %ld -> %ld voluntary switches",
		      a.voluntary, b.voluntary);
	getrusage(RUSAGE_THREAD, &ru);
	cr_expect_eq(b.voluntary, ru.ru_nvcsw, "status says %ld, getrusage %ld", b.voluntary,
		     ru.ru_nvcsw);
	cr_expect_eq(b.involuntary, ru.ru_nivcsw, "status says %ld, getrusage %ld", b.involuntary,
		     ru.ru_nivcsw);
	cr_expect_eq(sched_read(999999999, &b), -ENOENT, "no such thread");
	aff_float();
}
