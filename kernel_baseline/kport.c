// SPDX-License-Identifier: MIT
/*
 * kport.c: the port-opening pieces io_afp, io_xdp, afp_prog and xdp_prog share (kport.h).
 */
#include "kport.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fwd.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "stop.h"
#include "tcp/tcp.h"

void kport_vfail(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
}

int kport_netns_enter(const char *who, const char *netns, int *saved, char *err, size_t errlen)
{
	int ret = netns_enter(netns, saved);

	if (!ret || !err || !errlen)
		return ret;
	if (ret == -ENOENT)
		snprintf(err, errlen, "%s: netns %s does not exist (run 'linerate topo up' first)",
			 who, netns);
	else if (ret == -EPERM)
		snprintf(err, errlen, "%s: entering netns %s needs root (CAP_SYS_ADMIN)", who,
			 netns);
	else
		snprintf(err, errlen, "%s: cannot enter netns %s: %s", who, netns, strerror(-ret));
	return ret;
}

int kport_max_frame(int fd, const char *ifname, uint32_t limit, uint32_t *max_frame)
{
	struct ifreq ifr = {0};
	uint32_t link_max;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		return -errno;
	link_max = (uint32_t)ifr.ifr_mtu + ETH_HLEN;
	*max_frame = link_max < limit ? link_max : limit;
	return 0;
}

int kport_env_check(const char *what, const char *netns)
{
	if (geteuid() != 0) {
		pr_err("%s need root: run as root", what);
		return LR_EXIT_NOPERM;
	}
	if (!netns_exists(netns)) {
		pr_err("no network namespace %s (run 'linerate topo up' first, or give --netns)",
		       netns);
		return LR_EXIT_ENV;
	}
	return 0;
}

/* The forwarders' run. 8< */
int kport_fwd_run(struct fwd_opts *f, struct io_port *in, struct io_port *out,
		  const struct kport_fwd_info *ki)
{
	struct fwd_io_cfg iocfg = {
		.in = in,
		.out = out,
		.route = {f->route[0], f->route[1]},
		.bidir = f->bidir,
		.batch = (unsigned)f->batch,
		.free_any_thread = false, /* RX ring slots and free lists belong to the RX thread */
	};
	struct fwd_io *fio = fwd_io_new(&iocfg);
	struct io_stats si = {0}, so = {0};
	struct io_kcost k = {0};
	struct fwd_run_cfg cfg;
	struct fwd_run_result res;
	struct fwd_path path;
	char desc[256], extra[96];
	int ret;

	if (!fio) {
		pr_err("cannot set up the data path: %s", strerror(errno));
		return LR_EXIT_FAIL;
	}
	fwd_io_path(fio, &path);
	fwd_opts_run_cfg(f, &cfg);
	pr_info("forwarding %s -> %s%s in %s (Ctrl-C stops)", ki->in_dev, ki->out_dev,
		f->bidir ? " and back" : "", ki->netns && ki->netns[0] ? ki->netns : "this netns");
	ret = fwd_run(&path, &cfg, &res);
	fwd_io_free(fio);
	if (ret)
		return LR_EXIT_FAIL;
	in->ops->stats(in, &si);   /* best effort: zeros if unreadable */
	out->ops->stats(out, &so); /* best effort */
	snprintf(desc, sizeof(desc), "%s -> %s%s, %s, %s", ki->in_dev, ki->out_dev,
		 f->bidir ? " and back" : "", ki->how,
		 res.polled ? "busy-polling" : "sleeping in poll() until frames arrive");
	snprintf(extra, sizeof(extra), "%s in=%llu out=%llu", ki->drops,
		 (unsigned long long)si.rx_dropped, (unsigned long long)so.rx_dropped);
	/* the kernel-boundary cost of both ports, plus the loop's poll() calls */
	io_kcost_add(&k, &si.kcost);
	io_kcost_add(&k, &so.kcost);
	k.idle_calls[IO_SYS_POLL] += res.total.sleeps; /* one io_wait() poll each */
	return fwd_report(
		stdout, f,
		&(struct fwd_report_info){ki->program, ki->backend, "veth", desc, extra, &k}, &res);
}
/* >8 End of the forwarders' run. */

int kport_fwd_main(struct fwd_opts *f, const struct kport_prog *kp, const char *in_dev,
		   const char *out_dev)
{
	const struct kport_kind *kind = kp->kind;
	int ret = kport_env_check(kind->needs, kp->netns);
	struct io_port *in = NULL, *out = NULL;
	char how[96];

	if (ret)
		return ret;
	in = kind->open(in_dev, kp->knobs, true, f->bidir);
	out = in ? kind->open(out_dev, kp->knobs, f->bidir, true) : NULL;
	if (out) {
		lr_stop_signals(); /* best effort: it warns */
		kind->describe(how, sizeof(how), kp->knobs, in);
		ret = kport_fwd_run(f, in, out,
				    &(struct kport_fwd_info){kp->program, kind->backend, in_dev,
							     out_dev, kp->netns, how, kind->drops});
	} else {
		ret = LR_EXIT_ENV;
	}
	io_close(in);
	io_close(out);
	return ret;
}

/* Serves until the end and reports; returns the exit code. */
static int echo_run(const struct echo_srv_opts *e, const struct kport_prog *kp, const char *dev,
		    struct tcp_stack *s, struct io_port *p)
{
	struct echo_srv_result res;
	char desc[256], how[96], note[128];

	pr_info("listening on %s:%ld on %s in %s (Ctrl-C stops)", e->ip, e->port, dev,
		kp->netns && kp->netns[0] ? kp->netns : "this netns");
	echo_srv_run_stack(s, p, e, &res);
	kp->kind->describe(how, sizeof(how), kp->knobs, p);
	snprintf(desc, sizeof(desc), "%s:%ld on %s, user-space TCP over %s, %s", e->ip, e->port,
		 dev, how, res.polled ? "busy-polling" : "sleeping in poll() until frames arrive");
	kp->kind->echo_note(note, sizeof(note), p);
	echo_srv_report(stdout, e,
			&(struct echo_srv_info){kp->program, kp->kind->backend, "veth", desc, note},
			&res, tcp_stats(s));
	return LR_EXIT_OK;
}

int kport_echo_main(const struct echo_srv_opts *e, const struct kport_prog *kp, const char *dev)
{
	struct tcp_stack *s = NULL;
	struct io_port *p = NULL;
	int ret = kport_env_check(kp->kind->needs, kp->netns);

	if (!ret)
		ret = echo_srv_stack_on_if(e, kp->netns, dev, kp->program, &s);
	if (!ret) {
		p = kp->kind->open(dev, kp->knobs, true, true);
		ret = p ? 0 : LR_EXIT_ENV;
	}
	if (!ret) {
		lr_stop_signals(); /* best effort: it warns */
		ret = echo_srv_pin(e) ? LR_EXIT_USAGE : echo_run(e, kp, dev, s, p);
	}
	io_close(p);
	tcp_stack_free(s);
	return ret;
}
