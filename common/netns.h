/* SPDX-License-Identifier: MIT */
/*
 * netns.h: moving the calling thread into a named network namespace (the ones `ip netns add`
 * creates under /var/run/netns) and back. A socket keeps the namespace it was created in, so
 * a program enters a namespace, opens its sockets and leaves again: one process can then own
 * ports in several namespaces. setns() changes only the calling thread.
 */
#ifndef LR_NETNS_H
#define LR_NETNS_H

#include <stdbool.h>

/* Where `ip netns add NAME` puts the namespace's handle. */
#define NETNS_RUN_DIR "/var/run/netns"

/* Moves the calling thread into namespace name and stores a descriptor of the previous one in
 * *saved_fd (-1 when name is NULL or "": nothing changes); returns 0, -ENOENT (no namespace of
 * that name: the topology is not set up), -EINVAL (a name with '/' or a dot name), -EPERM
 * (needs root: CAP_SYS_ADMIN) or another -errno. */
int netns_enter(const char *name, int *saved_fd);
/* Moves the calling thread back to the namespace saved by netns_enter() and closes saved_fd
 * (-1: nothing to do); returns 0 or -errno. */
int netns_leave(int saved_fd);
/* Returns true when name is NULL or "" (the current namespace) or a namespace of that name
 * exists. */
bool netns_exists(const char *name);

#endif
