/* SPDX-License-Identifier: MIT */
/* live.h (lab 10, given): the live check (live_given.c). */
#ifndef LAB10_LIVE_H
#define LAB10_LIVE_H

#include "flow.h"

/* Enters a private network namespace (root), captures lo while conns kernel TCP echo
 * connections each move bytes and close, tracks every captured frame with ft, and writes them
 * to pcap_out too (NULL: none). Returns the frames captured, or -1 (with a message). */
long ft_live_echo(struct ft *ft, unsigned conns, unsigned bytes, const char *pcap_out);

#endif
