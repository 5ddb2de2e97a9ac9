// SPDX-License-Identifier: MIT
/*
 * echo_srv.c: the parts of the echo servers that do not depend on their I/O: the shared
 * knobs, the stack's configuration, the stack's main loop over one io.h port, and the final
 * report. echo-afp and echo-dpdk call echo_srv_run_stack() with their own port and nothing
 * else differs between them; echo-sock shares the knobs and the report.
 */
#include "echo_srv.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo.h"
#include "log.h"
#include "lr.h"
#include "netns.h"
#include "stop.h"
#include "tcp/tcp.h"
#include "tsc.h"

#define WAIT_MAX_MS 100 /* longest sleep in poll(): how soon --duration is noticed */

void echo_srv_opts_init(struct echo_srv_opts *o, const char *ip)
{
	memset(o, 0, sizeof(*o));
	o->ip = ip;
	o->port = ECHO_PORT;
	o->batch = ECHO_SRV_DEF_BATCH;
	o->affinity = CLI_AFFINITY_PINNED;
	o->cpu = cpu_count() > 1 ? 1 : 0;
	o->format = CLI_FORMAT_HUMAN;
	o->max_conns = TCP_DEF_MAX_CONNS;
	o->buf = TCP_DEF_BUF;
	o->mss = TCP_DEF_MSS;
	o->time_wait_ns = TCP_DEF_TIME_WAIT_NS;
}

void echo_srv_options(struct echo_srv_opts *o, unsigned features, struct cli_options *t)
{
	const struct cli_option common[] = {
		{"ip", 0, CLI_STRING, &o->ip, "ADDR", "IPv4 address to serve on"},
		{"port", 'p', CLI_INT, &o->port, "N", "TCP port to listen on", NULL, 1, 65535},
		{"batch", 'b', CLI_INT, &o->batch, "N",
		 "frames per receive burst (echo-sock: events per epoll_wait)", NULL, 1,
		 IO_BURST_MAX},
		{"hugepages", 0, CLI_ONOFF, &o->hugepages, NULL,
		 "put the buffers the program allocates on 2 MB huge pages"},
		{"affinity", 0, CLI_ENUM, &o->affinity, NULL,
		 "pin the loop thread to --cpu, or let it float", cli_affinity_enum},
		{"cpu", 0, CLI_INT, &o->cpu, "N", "the CPU of the loop; the generator uses 0", NULL,
		 0, 4095},
		{"max-conns", 0, CLI_INT, &o->max_conns, "N",
		 "connections at once (the stack: its table cap, TIME_WAIT included)", NULL, 1,
		 TCP_MAX_CONNS},
		{"buf", 0, CLI_INT, &o->buf, "BYTES", "receive and send buffer per connection",
		 NULL, 1024, TCP_BUF_MAX},
		{"duration", 'd', CLI_DURATION0, &o->duration_ns, NULL,
		 "stop after TIME (0s: only at Ctrl-C)"},
		{"format", 'f', CLI_ENUM, &o->format, NULL,
		 "report format (csv and json: the common results row)", cli_format_enum},
	};
	const struct cli_option stack[] = {
		{"mac", 0, CLI_STRING, &o->mac, "MAC", "the stack's MAC (default: the port's own)"},
		{"mss", 0, CLI_INT, &o->mss, "BYTES", "largest segment announced and sent", NULL,
		 TCP_MSS_MIN, TCP_DEF_MSS},
		{"time-wait", 0, CLI_DURATION, &o->time_wait_ns, NULL,
		 "how long a closed connection stays in TIME_WAIT (never 0)"},
	};
	const struct cli_option poll[] = {
		{"poll", 0, CLI_FLAG, &o->poll, NULL,
		 "busy-poll when idle instead of sleeping until frames arrive"},
	};
	CLI_OPTIONS_ADD(t, common);
	if (features & ECHO_SRV_CLI_STACK)
		CLI_OPTIONS_ADD(t, stack);
	if (features & ECHO_SRV_CLI_POLL)
		CLI_OPTIONS_ADD(t, poll);
}

int echo_srv_pin(const struct echo_srv_opts *o)
{
	int ret;

	if (o->affinity != CLI_AFFINITY_PINNED)
		return cpu_float();
	ret = cpu_pin((int)o->cpu);
	if (ret)
		pr_err("--cpu: cannot pin to CPU %ld: %s (this machine has CPUs 0..%d)", o->cpu,
		       strerror(-ret), cpu_count() - 1);
	return ret;
}

/* Reads the MAC of interface ifname in namespace netns (NULL: the current one) into mac;
 * returns 0 or -errno. */
static int if_mac(const char *netns, const char *ifname, uint8_t mac[PKT_ETH_ALEN])
{
	struct ifreq ifr;
	int saved, fd, ret;

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	ret = netns_enter(netns, &saved);
	if (ret)
		return ret;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ret = fd < 0 ? -errno : 0;
	if (!ret) {
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, ifname, strlen(ifname));
		ret = ioctl(fd, SIOCGIFHWADDR, &ifr) ? -errno : 0;
		close(fd);
	}
	if (netns_leave(saved) && !ret)
		ret = -EIO;
	if (!ret)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, PKT_ETH_ALEN);
	return ret;
}

/* Fills cfg from o and mac; returns 0 or -EINVAL after printing which option is wrong. */
static int stack_cfg(const struct echo_srv_opts *o, const uint8_t *mac, const char *prog,
		     struct tcp_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (pkt_ip_parse(o->ip, &cfg->ip) || cfg->ip == 0) {
		fprintf(stderr, "%s: --ip: '%s' is not an IPv4 address (accepted: a.b.c.d)\n", prog,
			o->ip);
		return -EINVAL;
	}
	if (o->mac && pkt_mac_parse(o->mac, cfg->mac)) {
		fprintf(stderr,
			"%s: --mac: '%s' is not a MAC address (accepted: aa:bb:cc:dd:ee:ff)\n",
			prog, o->mac);
		return -EINVAL;
	}
	if (!o->mac)
		memcpy(cfg->mac, mac, PKT_ETH_ALEN);
	if (o->time_wait_ns == 0) {
		fprintf(stderr,
			"%s: --time-wait: 0 would turn TIME_WAIT off, an unfair shortcut (give at "
			"least 1ms)\n",
			prog);
		return -EINVAL;
	}
	cfg->netmask = 0; /* every peer is on the link */
	cfg->max_conns = (unsigned)o->max_conns;
	cfg->rx_buf = cfg->tx_buf = (uint32_t)o->buf;
	cfg->mss = (uint16_t)o->mss;
	cfg->time_wait_ns = o->time_wait_ns;
	tcp_cfg_defaults(cfg);
	return 0;
}

int echo_srv_stack_new(const struct echo_srv_opts *o, const uint8_t *mac, const char *prog,
		       struct tcp_stack **out)
{
	struct tcp_cfg cfg;

	if (stack_cfg(o, mac, prog, &cfg))
		return LR_EXIT_USAGE;
	*out = tcp_stack_new(&cfg);
	if (!*out) {
		pr_err("cannot build the TCP stack (%zu bytes): %s (lower --max-conns or --buf)",
		       tcp_stack_mem(&cfg), strerror(errno));
		return LR_EXIT_ENV;
	}
	tcp_listen(*out, (uint16_t)o->port); /* cannot fail: the first listener */
	pr_info("stack: %u connections at most, %zu bytes each (%u B buffers each way), %zu "
		"bytes in all",
		cfg.max_conns, tcp_conn_mem(&cfg), cfg.rx_buf, tcp_stack_mem(&cfg));
	return 0;
}

int echo_srv_stack_on_if(const struct echo_srv_opts *o, const char *netns, const char *dev,
			 const char *prog, struct tcp_stack **out)
{
	uint8_t mac[PKT_ETH_ALEN] = {0};
	int err = o->mac ? 0 : if_mac(netns, dev, mac);

	if (err) {
		pr_err("cannot read the MAC of %s in %s: %s (run 'linerate topo up' first, or give "
		       "--dev/--netns or --mac)",
		       dev, netns && netns[0] ? netns : "this netns", strerror(-err));
		return LR_EXIT_ENV;
	}
	return echo_srv_stack_new(o, mac, prog, out);
}

/* Sleeps in poll() until a frame comes, the stack's next timer, the end of the run or
 * WAIT_MAX_MS; returns true when it slept. */
static bool idle_wait(struct tcp_stack *s, struct io_port *p, uint64_t now, uint64_t end,
		      bool *polled)
{
	uint64_t until = tcp_next_deadline(s);
	int ms;

	if (end < until)
		until = end;
	if (until <= now)
		return false;
	if (tcp_output_pending(s))
		until = now + 1000000; /* the port had no buffer: try again soon */
	ms = until - now >= WAIT_MAX_MS * 1000000ull ? WAIT_MAX_MS
						     : (int)((until - now + 999999) / 1000000);
	/* best effort: a signal or an error ends the sleep early */
	if (io_wait(&p, 1, ms) == -EOPNOTSUPP) {
		*polled = true; /* the port has nothing to sleep on: poll from now on */
		return false;
	}
	return true;
}

/* The echo server's loop. 8< */
int echo_srv_run_stack(struct tcp_stack *s, struct io_port *p, const struct echo_srv_opts *o,
		       struct echo_srv_result *res)
{
	const struct tcp_stats *ts = tcp_stats(s);
	uint64_t rx0 = ts->rx_frames, tx0 = ts->tx_frames, t0, end;
	struct echo_stats st = {0};
	struct cpu_usage c0, c1;

	memset(res, 0, sizeof(*res));
	/* until a wait says the port has nothing to sleep on (as fwd_run's rx_idle does) */
	res->polled = o->poll;
	cpu_usage_read(&c0); /* best effort: zeros if unreadable */
	t0 = tsc_now_ns();
	end = o->duration_ns ? t0 + o->duration_ns : UINT64_MAX;
	while (!lr_stop) {
		uint64_t start = tsc_read(), now = tsc_now_ns();
		unsigned in, out;

		if (now >= end)
			break;
		in = tcp_input_burst_max(s, p, (unsigned)o->batch, now); /* frames in */
		tcp_poll(s, now);                                        /* timers */
		echo_run(s, &st);                                        /* the application */
		out = tcp_output(s, p, now);                             /* frames out */
		if (in || out)
			res->busy_cycles += tsc_read() - start;
		else if (!res->polled && idle_wait(s, p, now, end, &res->polled))
			res->sleeps++;
	}
	/* >8 End of the echo server's loop. */
	res->duration_s = (tsc_now_ns() - t0) / 1e9;
	cpu_usage_read(&c1); /* best effort */
	res->cpu = cpu_usage_diff(&c1, &c0);
	res->accepted = st.accepted;
	res->closed = st.closed;
	res->errors = st.errors;
	res->bytes = st.bytes;
	res->rx_frames = ts->rx_frames - rx0;
	res->tx_frames = ts->tx_frames - tx0;
	return 0;
}

/* ---- the report ---- */

static bool frames_known(const struct echo_srv_result *res)
{
	return res->rx_frames != UINT64_MAX;
}

void echo_srv_result_row(const struct echo_srv_opts *o, const struct echo_srv_info *info,
			 const struct echo_srv_result *res, struct res_row *row)
{
	res_row_start(row, (const char *const[4]){"echo", info->program, info->backend, info->link},
		      (unsigned)o->batch, "none", o->hugepages, o->affinity == CLI_AFFINITY_PINNED);
	row->duration_s = res->duration_s;
	if (frames_known(res)) {
		row->rx_pkts = res->rx_frames;
		row->tx_pkts = res->tx_frames;
		if (res->duration_s > 0) {
			row->rx_pps = res->rx_frames / res->duration_s;
			row->tx_pps = res->tx_frames / res->duration_s;
		}
		if (res->rx_frames)
			row->cycles_per_pkt = (double)res->busy_cycles / (double)res->rx_frames;
	}
	row->cpu_user_s = res->cpu.user_s;
	row->cpu_sys_s = res->cpu.sys_s;
	row->cpu_softirq_s = res->cpu.softirq_s;
	row->status = RES_OK;
	row->echo_bytes = res->bytes;
	row->conns_accepted = res->accepted;
	row->conns_closed = res->closed;
	row->errors = res->errors;
	if (res->duration_s > 0) {
		row->goodput_gbps = (double)res->bytes * 8 / res->duration_s / 1e9;
		row->conn_per_s = (double)res->accepted / res->duration_s;
	}
	snprintf(row->note, sizeof(row->note), "%s", info->extra ? info->extra : "");
}

static void human_report(FILE *f, const struct echo_srv_opts *o, const struct echo_srv_info *info,
			 const struct echo_srv_result *res, const struct tcp_stats *ts)
{
	double d = res->duration_s > 0 ? res->duration_s : 1;
	double busy = res->cpu.user_s + res->cpu.sys_s;

	fprintf(f, "%s: %s\n", info->program, info->desc ? info->desc : "");
	fprintf(f, "  knobs         batch %ld, hugepages %s, affinity %s", o->batch,
		o->hugepages ? "on" : "off",
		o->affinity == CLI_AFFINITY_PINNED ? "pinned" : "floating");
	if (o->affinity == CLI_AFFINITY_PINNED)
		fprintf(f, " (CPU %ld)", o->cpu);
	fprintf(f, ", %s\n", res->polled ? "polling" : "sleeping when idle");
	fprintf(f, "  duration      %.3f s\n", res->duration_s);
	fprintf(f,
		"  connections   %llu accepted, %llu closed by the peer, %llu reset or timed out\n",
		(unsigned long long)res->accepted, (unsigned long long)res->closed,
		(unsigned long long)res->errors);
	fprintf(f, "  echoed        %llu bytes (%.3f Gbit/s)\n", (unsigned long long)res->bytes,
		res->bytes * 8 / d / 1e9);
	if (frames_known(res)) {
		fprintf(f, "  frames        %llu in (%.0f /s), %llu out (%.0f /s)\n",
			(unsigned long long)res->rx_frames, res->rx_frames / d,
			(unsigned long long)res->tx_frames, res->tx_frames / d);
		if (res->rx_frames)
			fprintf(f,
				"  cycles/frame  %.1f (TSC cycles of loop rounds that moved "
				"frames, "
				"per frame received)\n",
				(double)res->busy_cycles / (double)res->rx_frames);
		if (!res->polled)
			fprintf(f, "  sleeps        %llu in poll()\n",
				(unsigned long long)res->sleeps);
	}
	fprintf(f,
		"  cpu           user %.2f s, system %.2f s (%.0f%% of one core); softirq of all "
		"CPUs %.2f s\n",
		res->cpu.user_s, res->cpu.sys_s, 100 * busy / d, res->cpu.softirq_s);
	if (info->extra)
		fprintf(f, "  backend       %s\n", info->extra);
	if (ts) {
		fprintf(f, "  stack counters (nonzero):\n");
		tcp_stats_print(ts, f);
	}
}

void echo_srv_report(FILE *f, const struct echo_srv_opts *o, const struct echo_srv_info *info,
		     const struct echo_srv_result *res, const struct tcp_stats *ts)
{
	struct res_row row;

	echo_srv_result_row(o, info, res, &row);
	if (!res_row_print(f, o->format, &row))
		human_report(f, o, info, res, ts);
	fflush(f);
}
