/* SPDX-License-Identifier: MIT */
/*
 * commands.h: the subcommands of build/bin/linerate. Each takes the arguments after
 * "linerate" (argv[0] is the subcommand's name) and returns an exit code from lr.h.
 */
#ifndef LR_BENCH_COMMANDS_H
#define LR_BENCH_COMMANDS_H

int cmd_table(int argc, char **argv);     /* table.c: line-rate table for a link speed */
int cmd_ringbench(int argc, char **argv); /* ringbench.c: lockfree vs mutex ring throughput */
int cmd_topo(int argc, char **argv);      /* topo.c: the lr- namespaces and veth links */
int cmd_doctor(int argc, char **argv);    /* doctor.c: what this machine can and cannot run */
int cmd_bench(int argc, char **argv);     /* bench.c: the main job, every experiment */
int cmd_run(int argc, char **argv);       /* run.c: one experiment of the bench */
int cmd_plot(int argc, char **argv);      /* plot.c: redraw the plots of a results directory */
int cmd_compare(int argc, char **argv);   /* compare.c: two results directories side by side */
int cmd_regress(int argc, char **argv);   /* regress.c: the CI regression gate (Tier 1) */

#endif
