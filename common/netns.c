// SPDX-License-Identifier: MIT
/*
 * netns.c: entering and leaving named network namespaces with setns(2). The previous
 * namespace is saved as a descriptor of /proc/thread-self/ns/net (not the process's: setns()
 * moves only the calling thread), so leaving works even if other threads moved elsewhere.
 */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* True for names ip-netns(8) would accept: no path separators, not "." or "..". */
static bool name_valid(const char *name)
{
	return !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static bool name_is_current(const char *name)
{
	return !name || !name[0];
}

/* Opens the handle of namespace name; returns a descriptor or -errno. */
static int open_named(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!name_valid(name))
		return -EINVAL;
	if (snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_enter(const char *name, int *saved_fd)
{
	int target, saved, err;

	*saved_fd = -1;
	if (name_is_current(name))
		return 0;
	target = open_named(name);
	if (target < 0)
		return target;
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		err = -errno;
		goto err_close_target;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		err = -errno;
		goto err_close_saved;
	}
	close(target);
	*saved_fd = saved;
	return 0;

err_close_saved:
	close(saved);
err_close_target:
	close(target);
	return err;
}

int netns_leave(int saved_fd)
{
	int err = 0;

	if (saved_fd < 0)
		return 0;
	if (setns(saved_fd, CLONE_NEWNET) < 0)
		err = -errno;
	close(saved_fd);
	return err;
}

bool netns_exists(const char *name)
{
	int fd;

	if (name_is_current(name))
		return true;
	fd = open_named(name);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
