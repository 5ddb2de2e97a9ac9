/* SPDX-License-Identifier: MIT */
/*
 * stop.h: the one stop flag of every linerate program and the one installer that makes SIGINT
 * and SIGTERM set it. The loops poll the flag: fwd_run() (every forwarder), the echo servers'
 * loops (echo_srv.h, echo-sock's workers), tgen's trials and tgen echo's client. The handler is
 * installed without SA_RESTART, so a thread asleep in poll(), epoll_wait() or a blocking
 * recvmmsg() wakes with EINTR and sees the flag at once.
 */
#ifndef LR_STOP_H
#define LR_STOP_H

#include <signal.h>

/* 0, or the number of the signal that asked to stop once lr_stop_signals() (or lr_stop_catch())
 * ran; a program that stops itself sets it to 1. */
extern volatile sig_atomic_t lr_stop;

/* Makes SIGINT and SIGTERM set lr_stop; returns 0, or -errno after warning that Ctrl-C will
 * end the program without its report (the programs go on: best effort). */
int lr_stop_signals(void);
/* Makes each of the n signals in sigs set lr_stop (linerate bench also stops on SIGHUP and
 * SIGQUIT); returns 0 or -errno. */
int lr_stop_catch(const int *sigs, unsigned n);

#endif
