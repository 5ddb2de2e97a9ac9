/* SPDX-License-Identifier: MIT */
/*
 * kport.h: what the kernel socket backends (io_afp, io_xdp) and their programs share when
 * they open a port: the message writer, entering the port's namespace with the message for
 * each failure, the largest frame an interface carries, and, for the programs, the
 * root/namespace check and the whole run of a kernel forwarder (fwd-afp, fwd-xdp) or echo
 * server (echo-afp, echo-xdp) once its options are parsed: the programs differ only in the
 * struct kport_kind of their port. Written once here (build/libafp.a, which the AF_XDP
 * programs link too).
 */
#ifndef LR_KPORT_H
#define LR_KPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "echo_srv.h"
#include "fwd_cli.h"
#include "io.h"

/* Writes a message into err (errlen bytes; nothing when err is NULL or errlen 0). */
void kport_vfail(char *err, size_t errlen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Moves the thread into netns (NULL or "": stays) and saves the previous one in *saved, as
 * netns_enter() does; returns 0 or -errno with a message prefixed "who: " in err. */
int kport_netns_enter(const char *who, const char *netns, int *saved, char *err, size_t errlen);
/* Reads the MTU of ifname (in the current namespace) through socket fd and sets *max_frame to
 * MTU + the Ethernet header, at most limit; returns 0 or -errno. */
int kport_max_frame(int fd, const char *ifname, uint32_t limit, uint32_t *max_frame);
/* Program-level: checks that the program runs as root (what: the sockets it needs and their
 * capabilities, for the message) and that netns exists, printing the fix when not; returns
 * 0, LR_EXIT_NOPERM or LR_EXIT_ENV. */
int kport_env_check(const char *what, const char *netns);

/* What a kernel forwarder's report says about its ports. */
struct kport_fwd_info {
	const char *program, *backend; /* "fwd-afp", "afp" */
	const char *in_dev, *out_dev, *netns;
	const char *how;   /* the I/O path: "AF_PACKET: TPACKET_V2 RX ring, sendmmsg TX" */
	const char *drops; /* the ports' rx_dropped, as the note names them: "kernel ring drops" */
};

/* Program-level: forwards from in to out with the knobs of f until the end, then writes the
 * report with the ports' counters and their kernel-boundary cost (plus the loop's poll()
 * calls); returns the exit code. */
int kport_fwd_run(struct fwd_opts *f, struct io_port *in, struct io_port *out,
		  const struct kport_fwd_info *ki);

/* A kind of kernel port as the programs open it (afp_prog_kind, xdp_prog_kind). */
struct kport_kind {
	const char *backend; /* "afp", "xdp": the results' backend column */
	const char *needs;   /* what kport_env_check() says the program needs root for */
	const char *drops;   /* the ports' rx_dropped, as a forwarder's note names them */
	/* Opens dev with the kind's knobs for rx and/or tx; NULL after printing why. */
	struct io_port *(*open)(const char *dev, const void *knobs, bool rx, bool tx);
	/* Writes the I/O path for the human report ("AF_XDP (XDP native, copy mode)"). */
	void (*describe)(char *buf, size_t len, const void *knobs, struct io_port *p);
	/* Writes an echo server's note: the port's own counters. */
	void (*echo_note)(char *buf, size_t len, struct io_port *p);
};

/* A kernel program: its name, its port kind and knobs, the namespace of its interfaces. */
struct kport_prog {
	const char *program; /* "fwd-afp" */
	const struct kport_kind *kind;
	const void *knobs;
	const char *netns;
};

/* Program-level: everything a kernel forwarder does after parsing: the root/namespace check,
 * opening in_dev and out_dev (both ways with --bidir), Ctrl-C, kport_fwd_run(), closing;
 * returns the exit code. */
int kport_fwd_main(struct fwd_opts *f, const struct kport_prog *kp, const char *in_dev,
		   const char *out_dev);
/* Program-level: the same for a TCP echo server on the user-space stack: the check, the stack
 * on dev's MAC (echo_srv_stack_on_if()), the port, Ctrl-C, pinning, echo_srv_run_stack() and
 * the report; returns the exit code. */
int kport_echo_main(const struct echo_srv_opts *e, const struct kport_prog *kp, const char *dev);

#endif
