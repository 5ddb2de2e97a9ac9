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

#endif
