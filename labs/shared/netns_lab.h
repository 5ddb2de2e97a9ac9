/* SPDX-License-Identifier: MIT */
/*
 * netns_lab.h (labs 02 and 03, given): the lab's private network: the calling process moves into a
 * network namespace of its own (unshare; root), with lo up and 198.18.3.1/32 on it, RFC 2544's
 * benchmarking range. Nothing outside this process sees its traffic, and the namespace goes
 * away with the process. Then UDP sockets bound to 198.18.3.1 ports.
 */
#ifndef LAB03_NETNS_LAB_H
#define LAB03_NETNS_LAB_H

#include <netinet/in.h>

#define LAB_IP "198.18.3.1"

/* Enters the private namespace; returns 0 or -1 with a message on stderr. */
int lab_netns_enter(void);
/* A non-blocking UDP socket bound to LAB_IP:port with rcvbuf bytes of receive buffer (0: the
 * default); fills addr with its address; returns the fd or -1. */
int lab_udp_socket(unsigned short port, int rcvbuf, struct sockaddr_in *addr);

#endif
