// SPDX-License-Identifier: MIT
/* netns_lab.c (labs 02 and 03, given): see netns_lab.h. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns_lab.h"

int lab_netns_enter(void)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd;

	if (unshare(CLONE_NEWNET)) {
		perror("lab: unshare(CLONE_NEWNET) (run as root)");
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, LAB_IP, &sin->sin_addr);
	if (fd < 0 || ioctl(fd, SIOCSIFADDR, &ifr) || ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		perror("lab: configuring lo in the private namespace");
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr)) {
		perror("lab: bringing lo up");
		return -1;
	}
	close(fd);
	return 0;
}

int lab_udp_socket(unsigned short port, int rcvbuf, struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons(port);
	inet_pton(AF_INET, LAB_IP, &addr->sin_addr);
	if (fd < 0)
		return -1;
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr))) {
		close(fd);
		return -1;
	}
	return fd;
}
