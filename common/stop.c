// SPDX-License-Identifier: MIT
/*
 * stop.c: the stop flag and its SIGINT/SIGTERM handler (stop.h), written once for every
 * program.
 */
#include "stop.h"

#include <errno.h>
#include <string.h>

#include "log.h"

volatile sig_atomic_t lr_stop;

static void on_signal(int sig)
{
	lr_stop = sig;
}

int lr_stop_catch(const int *sigs, unsigned n)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: waits wake up */
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < n; i++)
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	return 0;
}

int lr_stop_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM};
	int ret = lr_stop_catch(sigs, 2);

	if (ret)
		pr_warn("cannot catch SIGINT/SIGTERM (%s): Ctrl-C ends without a report",
			strerror(-ret));
	return ret;
}
