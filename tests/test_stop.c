// SPDX-License-Identifier: MIT
/*
 * test_stop.c: the one stop flag (common/stop.h): a caught signal sets it to its number, and
 * the handler does not restart an interrupted wait.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include "stop.h"

Test(stop, a_caught_signal_sets_the_flag_to_its_number)
{
	const int sigs[] = {SIGUSR1, SIGUSR2};

	lr_stop = 0;
	cr_assert_eq(lr_stop_catch(sigs, 2), 0);
	cr_assert_eq(raise(SIGUSR2), 0);
	cr_assert_eq(lr_stop, SIGUSR2);
	lr_stop = 0;
	cr_assert_eq(lr_stop_signals(), 0);
	cr_assert_eq(raise(SIGINT), 0);
	cr_assert_eq(lr_stop, SIGINT);
	lr_stop = 0;
}

Test(stop, a_wait_interrupted_by_the_signal_returns_eintr)
{
	const int sigs[] = {SIGALRM};
	struct itimerval it = {.it_value = {.tv_usec = 20000}};
	int fds[2];
	char c;

	lr_stop = 0;
	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(lr_stop_catch(sigs, 1), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	/* read() is one of the calls SA_RESTART would restart: it would block for ever */
	cr_assert_eq(read(fds[0], &c, 1), -1);
	cr_assert_eq(errno, EINTR);
	close(fds[0]);
	close(fds[1]);
	cr_assert_eq(lr_stop, SIGALRM);
	lr_stop = 0;
}
