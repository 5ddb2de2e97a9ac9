// SPDX-License-Identifier: MIT
/*
 * it_echo.c: the TCP echo servers (build/bin/echo-sock, echo-afp, echo-xdp, echo-dpdk) on the lr-
 * topology, driven by Linux's own TCP, as root. Every test builds the topology with `linerate
 * topo up` in .init and removes it with `topo down` in .fini, killing a server left running
 * and deleting the nft tables it added (also when a test fails).
 *
 * Checked, for each server (echo-sock on 198.18.0.2; echo-afp, echo-xdp (blocking, and
 * busy-polling with loss), and echo-dpdk through net_af_packet, on 198.18.0.10, an address
 * the kernel does not own):
 *  - a plain socket client of this file (8 connections, in lr-gen through setns) sends 10 MB
 *    in all and gets every byte back, in order (a position-dependent pattern), then a clean
 *    end of stream after its half-close; so does `tgen echo --mode stream --bytes` on kernel
 *    sockets (its JSON row: status ok, no error of any kind);
 *  - the same with 2% of the TCP segments dropped at random in both directions (nft numgen in
 *    table lr-loss, input and output chains of lr-gen: the client's side, since AF_PACKET and
 *    XDP see frames before netfilter runs in lr-dut);
 *  - ping to the server's address is answered (the stack's own ICMP for the stack servers);
 *  - the kernel of lr-dut sends no RST (an nft counter in table lr-rst, output chain of
 *    lr-dut; for echo-sock without loss only, see check_server()) and the clients see no
 *    reset;
 *  - the server stops on SIGINT with exit code 0 and a report that counts the connections
 *    and the bytes, and on --duration by itself.
 * Then echo-dpdk --memif driven by `tgen echo --engine dpdk` (the stack on both sides): 10 MB
 * over 8 connections, and 10,000 concurrent rr connections with no error.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "it_helpers.h"
#include "lr.h"
#include "netns.h"
#include "topo_defs.h"

#define ECHO_SOCK   LR_BINDIR "/echo-sock"
#define ECHO_AFP    LR_BINDIR "/echo-afp"
#define ECHO_XDP    LR_BINDIR "/echo-xdp"
#define ECHO_DPDK   LR_BINDIR "/echo-dpdk"
#define TGEN        LR_BINDIR "/tgen"
#define STACK_IP    "198.18.0.10"
#define TMP_DIR     "/tmp"
#define READY_MS    20000 /* a DPDK server may take seconds to start */
#define STOP_MS     10000
#define CLIENT_MS   120000 /* the longest a 10 MB transfer may take, loss included */
#define NCONNS      8
#define TOTAL_BYTES (10u << 20)
#define CHUNK       16384
#define BYTES_ARG   "10485760"

/* The server of the running test, and what the test added to the namespaces. */
static pid_t srv_pid = -1;
static char out_path[64], err_path[64], nft_path[64];

static void setup(void)
{
	struct it_result r;

	snprintf(out_path, sizeof(out_path), TMP_DIR "/lr-it-echo-%d.out", (int)getpid());
	snprintf(err_path, sizeof(err_path), TMP_DIR "/lr-it-echo-%d.err", (int)getpid());
	snprintf(nft_path, sizeof(nft_path), TMP_DIR "/lr-it-echo-%d.nft", (int)getpid());
	it_runl(&r, IT_LINERATE, "topo", "up", NULL);
	cr_assert_eq(r.status, 0, "linerate topo up failed: %s", r.err);
	it_result_free(&r);
}

static void teardown(void)
{
	if (srv_pid > 0) {
		kill(srv_pid, SIGKILL);
		waitpid(srv_pid, NULL, 0);
		srv_pid = -1;
	}
	it_run_quiet((const char *[]){"ip", "netns", "exec", TOPO_NS_GEN, "nft", "delete", "table",
				      "inet", "lr-loss", NULL});
	it_run_quiet((const char *[]){"ip", "netns", "exec", TOPO_NS_DUT, "nft", "delete", "table",
				      "inet", "lr-rst", NULL});
	it_run_quiet((const char *[]){IT_LINERATE, "topo", "down", NULL});
	unlink(out_path);
	unlink(err_path);
	unlink(nft_path);
}

TestSuite(echo, .init = setup, .fini = teardown, .timeout = 150);

/* ---- small tools ---- */

/* What the server wrote to stderr (a static buffer, for failure messages). */
static const char *srv_stderr(void)
{
	static char buf[1 << 16];

	return it_read_into(err_path, buf, sizeof(buf));
}

/* Runs "nft -f" on text inside namespace ns; the test fails if nft does. */
static void nft_load(const char *ns, const char *text)
{
	FILE *f = fopen(nft_path, "w");
	struct it_result r;

	cr_assert_not_null(f, "cannot write %s", nft_path);
	fputs(text, f);
	fclose(f);
	it_runl(&r, "ip", "netns", "exec", ns, "nft", "-f", nft_path, NULL);
	cr_assert_eq(r.status, 0, "nft -f in %s failed: %s\n%s", ns, r.err, text);
	it_result_free(&r);
}

/* Drops 2% of the TCP segments in both directions on the client's side (lr-gen). */
static void loss_on(void)
{
	nft_load(TOPO_NS_GEN, "table inet lr-loss {\n"
			      "  chain in { type filter hook input priority 0; policy accept;\n"
			      "    meta l4proto tcp numgen random mod 100 < 2 drop; }\n"
			      "  chain out { type filter hook output priority 0; policy accept;\n"
			      "    meta l4proto tcp numgen random mod 100 < 2 drop; }\n"
			      "}\n");
}

/* Counts the RSTs the kernel of lr-dut sends. */
static void rst_counter_on(void)
{
	nft_load(TOPO_NS_DUT, "table inet lr-rst {\n"
			      "  chain out { type filter hook output priority 0; policy accept;\n"
			      "    tcp flags & rst == rst counter; }\n"
			      "}\n");
}

/* Returns the packets the lr-rst counter saw. */
static long rst_count(void)
{
	struct it_result r;
	const char *p;
	long n;

	it_runl(&r, "ip", "netns", "exec", TOPO_NS_DUT, "nft", "list", "table", "inet", "lr-rst",
		NULL);
	cr_assert_eq(r.status, 0, "nft list table inet lr-rst: %s", r.err);
	p = strstr(r.out, "packets ");
	cr_assert_not_null(p, "no counter in: %s", r.out);
	n = strtol(p + strlen("packets "), NULL, 10);
	it_result_free(&r);
	return n;
}

/* ---- the server process ---- */

/* Starts argv in the background (stdout and stderr to files) and waits until its stderr says
 * "listening"; the test fails with what it printed if it exits first. */
static void srv_start(const char *const argv[])
{
	static char why[1 << 14];

	srv_pid = it_start_ready(argv, out_path, err_path, "listening", READY_MS, 100, why,
				 sizeof(why));
	cr_assert_gt(srv_pid, 0, "%s", why);
}

/* Waits up to ms for the server to exit; returns its stdout (a static buffer) after checking
 * it exited with 0. */
static const char *srv_wait(unsigned ms, const char *why)
{
	static char out[1 << 16];
	uint64_t deadline = it_now_ms() + ms;
	int status = 0;

	cr_assert_gt(srv_pid, 0);
	while (waitpid(srv_pid, &status, WNOHANG) != srv_pid) {
		cr_assert_lt(it_now_ms(), deadline, "server did not stop %s", why);
		it_sleep_ms(20);
	}
	srv_pid = -1;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "server ended with status 0x%x %s: %s", status, why, srv_stderr());
	return it_read_into(out_path, out, sizeof(out));
}

/* Reads column key of a server's JSON row (the echo columns of the results schema); fails
 * the test when it is missing or null. */
static long long col_num(const char *row, const char *key)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(row, pat);
	cr_assert_not_null(p, "no %s in: %s", key, row);
	return strtoll(p + strlen(pat), NULL, 10);
}

/* ---- the plain socket client ---- */

/* Byte i of connection k's stream: position-dependent, so a lost, duplicated or reordered
 * segment shows as a wrong byte. */
static uint8_t pattern(uint64_t i, unsigned k)
{
	return (uint8_t)((uint32_t)(i * 2654435761u) >> 24) ^ (uint8_t)(k * 37 + 1);
}

struct plain_conn {
	int fd;
	uint64_t sent, rcvd, total;
	bool shut, done;
};

/* Sends what the socket takes, half-closes after the last byte. */
static void plain_send(struct plain_conn *c, unsigned k)
{
	uint8_t buf[CHUNK];

	while (c->sent < c->total) {
		size_t n = c->total - c->sent < CHUNK ? (size_t)(c->total - c->sent) : CHUNK;
		ssize_t w;

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(c->sent + i, k);
		w = send(c->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN)
			return;
		cr_assert_gt(w, 0, "connection %u: send: %s", k, strerror(errno));
		c->sent += (uint64_t)w;
	}
	if (!c->shut) {
		cr_assert_eq(shutdown(c->fd, SHUT_WR), 0, "shutdown: %s", strerror(errno));
		c->shut = true;
	}
}

/* Reads and checks what came back; done at a clean end of stream after every byte. */
static void plain_recv(struct plain_conn *c, unsigned k)
{
	uint8_t buf[CHUNK];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && errno == EAGAIN)
		return;
	cr_assert_geq(n, 0, "connection %u: recv after %llu bytes: %s (a reset?)", k,
		      (unsigned long long)c->rcvd, strerror(errno));
	if (n == 0) {
		cr_assert_eq(c->rcvd, c->total, "connection %u: end of stream after %llu of %llu",
			     k, (unsigned long long)c->rcvd, (unsigned long long)c->total);
		c->done = true;
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		cr_assert_eq(buf[i], pattern(c->rcvd + (uint64_t)i, k),
			     "connection %u: wrong byte at offset %llu", k,
			     (unsigned long long)(c->rcvd + (uint64_t)i));
	c->rcvd += (uint64_t)n;
	cr_assert_leq(c->rcvd, c->sent, "connection %u: more came back than was sent", k);
}

/* Opens NCONNS connections to ip:7 from lr-gen (entering it, then leaving). */
/* The namespace the plain client runs in (lr-gen, or lr-dut for a server on a tap there). */
static const char *plain_ns = TOPO_NS_GEN;

static void plain_open(struct plain_conn *cs, const char *ip)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(7)};
	int saved;

	cr_assert_eq(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
	cr_assert_eq(netns_enter(plain_ns, &saved), 0, "cannot enter %s", plain_ns);
	for (unsigned k = 0; k < NCONNS; k++) {
		cs[k] = (struct plain_conn){.total = TOTAL_BYTES / NCONNS};
		cs[k].fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		cr_assert_geq(cs[k].fd, 0);
		cr_assert_eq(connect(cs[k].fd, (struct sockaddr *)&sa, sizeof(sa)), 0,
			     "connect to %s:7: %s", ip, strerror(errno));
	}
	cr_assert_eq(netns_leave(saved), 0);
}

/* Sends 10 MB over NCONNS connections and checks every byte that comes back. */
static void plain_client(const char *ip)
{
	struct plain_conn cs[NCONNS];
	uint64_t deadline = it_now_ms() + CLIENT_MS;
	unsigned left = NCONNS;

	plain_open(cs, ip);
	while (left) {
		struct pollfd pf[NCONNS];

		cr_assert_lt(it_now_ms(), deadline, "10 MB not echoed within %d ms", CLIENT_MS);
		for (unsigned k = 0; k < NCONNS; k++)
			pf[k] = (struct pollfd){
				.fd = cs[k].done ? -1 : cs[k].fd,
				.events =
					(short)(POLLIN | (cs[k].sent < cs[k].total ? POLLOUT : 0))};
		poll(pf, NCONNS, 100);
		for (unsigned k = 0; k < NCONNS; k++) {
			if (cs[k].done)
				continue;
			if (pf[k].revents & POLLOUT)
				plain_send(&cs[k], k);
			if (pf[k].revents & (POLLIN | POLLERR | POLLHUP))
				plain_recv(&cs[k], k);
			left -= cs[k].done;
		}
	}
	for (unsigned k = 0; k < NCONNS; k++)
		close(cs[k].fd);
}

/* ---- tgen echo ---- */

/* Runs `tgen echo --mode stream --bytes 10M --conns 8` on kernel sockets against ip and
 * checks its row: exit 0, status ok, no error of any kind. */
static void tgen_client(const char *ip)
{
	struct it_result r;

	it_runl(&r, TGEN, "echo", "--mode", "stream", "--conns", "8", "--bytes", BYTES_ARG,
		"--duration", "110s", "--dst-ip", ip, "--format", "json", NULL);
	cr_assert_eq(r.status, 0, "tgen echo exited %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "\"status\":\"ok\""), "tgen echo row: %s", r.out);
	cr_assert_not_null(strstr(r.out, "errors: none"), "tgen echo saw errors: %s", r.out);
	/* the echo figures are columns of the row, not text in the note */
	cr_assert_eq(col_num(r.out, "conns"), 8, "%s", r.out);
	cr_assert_eq(col_num(r.out, "errors"), 0, "%s", r.out);
	cr_assert_geq(col_num(r.out, "echo_bytes"), TOTAL_BYTES, "%s", r.out);
	cr_assert_null(strstr(r.out, "\"goodput_gbps\":null"), "%s", r.out);
	it_result_free(&r);
}

static void ping_ok(const char *ip)
{
	struct it_result r;

	it_runl(&r, "ip", "netns", "exec", TOPO_NS_GEN, "ping", "-c", "3", "-i", "0.2", "-W", "2",
		ip, NULL);
	cr_assert_eq(r.status, 0, "ping %s from lr-gen failed: %s%s", ip, r.out, r.err);
	cr_assert_not_null(strstr(r.out, " 0% packet loss"), "ping %s: %s", ip, r.out);
	it_result_free(&r);
}

/* The whole check of one server (argv, NULL-terminated, JSON output) serving ip. With loss,
 * echo-sock's own kernel may rightly answer a late retransmission (a FIN that arrives after
 * the connection was closed) with RST: the RST count is asserted for the stack servers, whose
 * connections the kernel of lr-dut must never touch, and for echo-sock without loss. */
static void check_server(const char *const argv[], const char *ip, bool loss)
{
	bool kernel_server = !strcmp(ip, TOPO_IP_D0);

	const char *row;

	rst_counter_on();
	srv_start(argv);
	if (!loss)
		ping_ok(ip);
	else
		loss_on();
	plain_client(ip);
	tgen_client(ip);
	if (!kernel_server || !loss)
		cr_assert_eq(rst_count(), 0, "the kernel of lr-dut sent RSTs");
	kill(srv_pid, SIGINT);
	row = srv_wait(STOP_MS, "on SIGINT");
	cr_assert_geq(col_num(row, "conns_accepted"), 2 * NCONNS, "row: %s", row);
	cr_assert_geq(col_num(row, "echo_bytes"), 2ll * TOTAL_BYTES, "row: %s", row);
	cr_assert_not_null(strstr(row, "\"experiment\":\"echo\""), "row: %s", row);
}

/* ---- the tests ---- */

#define SOCK_ARGV ECHO_SOCK, "--format", "json"
#define AFP_ARGV  ECHO_AFP, "--format", "json"
#define XDP_ARGV  ECHO_XDP, "--format", "json"
#define DPDK_ARGV ECHO_DPDK, "-l", "1", "--", "--format", "json"

Test(echo, sock_echoes_10mb_over_8_connections)
{
	check_server((const char *[]){SOCK_ARGV, NULL}, TOPO_IP_D0, false);
}

Test(echo, sock_echoes_10mb_with_2pct_loss)
{
	check_server((const char *[]){SOCK_ARGV, NULL}, TOPO_IP_D0, true);
}

Test(echo, afp_echoes_10mb_over_8_connections_and_answers_ping)
{
	check_server((const char *[]){AFP_ARGV, NULL}, STACK_IP, false);
}

Test(echo, afp_echoes_10mb_with_2pct_loss)
{
	check_server((const char *[]){AFP_ARGV, NULL}, STACK_IP, true);
}

Test(echo, xdp_echoes_10mb_over_8_connections_and_answers_ping)
{
	check_server((const char *[]){XDP_ARGV, NULL}, STACK_IP, false);
}

Test(echo, xdp_busy_poll_echoes_10mb_with_2pct_loss)
{
	check_server((const char *[]){XDP_ARGV, "--poll", NULL}, STACK_IP, true);
}

Test(echo, dpdk_echoes_10mb_over_8_connections_and_answers_ping)
{
	check_server((const char *[]){DPDK_ARGV, NULL}, STACK_IP, false);
}

Test(echo, dpdk_echoes_10mb_with_2pct_loss)
{
	check_server((const char *[]){DPDK_ARGV, NULL}, STACK_IP, true);
}

Test(echo, each_server_stops_after_its_duration)
{
	const char *const servers[][10] = {
		{ECHO_SOCK, "--duration", "1s", "--format", "json", NULL},
		{ECHO_AFP, "--duration", "1s", "--format", "json", NULL},
		{ECHO_XDP, "--duration", "1s", "--format", "json", NULL},
		{ECHO_DPDK, "-l", "1", "--", "--duration", "1s", "--format", "json", NULL},
	};

	for (unsigned i = 0; i < ARRAY_SIZE(servers); i++) {
		const char *row;

		srv_start(servers[i]);
		row = srv_wait(STOP_MS, "after --duration 1s");
		cr_assert_not_null(strstr(row, "\"duration_s\":"), "%s: %s", servers[i][0], row);
		cr_assert_not_null(strstr(row, "\"conns_accepted\":0,"), "%s: %s", servers[i][0],
				   row);
	}
}

/* echo-dpdk --rx-mode interrupt on a net_tap port in lr-dut (DPDK 22.11's veth and memif PMDs
 * have no RX interrupts): the kernel of lr-dut, on the tap's side with 198.18.2.1/24, pings
 * the stack at 198.18.2.10 and echoes 10 MB through it, and the server sleeps when idle. */
#define TAP_DEV "lr-te0"
#define TAP_IP  "198.18.2.10"

Test(echo, dpdk_rx_mode_interrupt_echoes_10mb_and_sleeps_when_idle)
{
	const char *argv[] = {
		ECHO_DPDK,  "-l",        "1",    "--",   "--dpdk-port", "net_tap0,iface=" TAP_DEV,
		"--netns",  TOPO_NS_DUT, "--ip", TAP_IP, "--rx-mode",   "interrupt",
		"--format", "json",      NULL};
	struct it_result r;
	const char *row;
	double cpu, dur;

	srv_start(argv);
	it_runl(&r, "ip", "-n", TOPO_NS_DUT, "addr", "add", "198.18.2.1/24", "dev", TAP_DEV, NULL);
	cr_assert_eq(r.status, 0, "ip addr add on %s: %s", TAP_DEV, r.err);
	it_result_free(&r);
	it_sleep_ms(2000); /* idle */
	it_runl(&r, "ip", "netns", "exec", TOPO_NS_DUT, "ping", "-c", "3", "-i", "0.2", "-W", "2",
		TAP_IP, NULL);
	cr_assert_eq(r.status, 0, "ping %s from lr-dut failed: %s%s", TAP_IP, r.out, r.err);
	it_result_free(&r);
	plain_ns = TOPO_NS_DUT;
	plain_client(TAP_IP);
	plain_ns = TOPO_NS_GEN;
	kill(srv_pid, SIGINT);
	row = srv_wait(STOP_MS, "on SIGINT");
	cr_assert_geq(col_num(row, "echo_bytes"), TOTAL_BYTES, "row: %s", row);
	cpu = strtod(strstr(row, "\"cpu_user_s\":") + 13, NULL) +
	      strtod(strstr(row, "\"cpu_sys_s\":") + 12, NULL);
	dur = strtod(strstr(row, "\"duration_s\":") + 13, NULL);
	cr_log_info("echo-dpdk --rx-mode interrupt: %.3f CPU-s in %.2f s", cpu, dur);
	cr_assert_lt(cpu, 0.5 * dur, "%.2f CPU-s in %.2f s: it did not sleep (%s)", cpu, dur, row);
}

Test(echo, dpdk_memif_client_streams_10mb_and_holds_10000_connections)
{
	struct it_result r;
	const char *row;

	srv_start((const char *[]){ECHO_DPDK, "-l", "1", "--", "--memif", "--max-conns", "12000",
				   "--buf", "4096", "--format", "json", NULL});
	it_runl(&r, TGEN, "-l", "0", "--", "echo", "--engine", "dpdk", "--mode", "stream",
		"--conns", "8", "--bytes", BYTES_ARG, "--duration", "60s", "--format", "json",
		NULL);
	cr_assert_eq(r.status, 0, "tgen echo --engine dpdk exited %d: %s%s", r.status, r.out,
		     r.err);
	cr_assert_not_null(strstr(r.out, "errors: none"), "stream: %s", r.out);
	it_result_free(&r);
	it_runl(&r, TGEN, "-l", "0", "--", "echo", "--engine", "dpdk", "--mode", "rr", "--conns",
		"10000", "--duration", "1s", "--format", "json", NULL);
	cr_assert_eq(r.status, 0, "tgen echo rr 10000 exited %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "\"status\":\"ok\""), "rr 10000: %s", r.out);
	cr_assert_not_null(strstr(r.out, "errors: none"), "rr 10000: %s", r.out);
	it_result_free(&r);
	kill(srv_pid, SIGINT);
	row = srv_wait(STOP_MS, "on SIGINT");
	cr_assert_geq(col_num(row, "conns_accepted"), 10000 + NCONNS, "row: %s", row);
	cr_assert_eq(col_num(row, "errors"), 0, "row: %s", row);
}

/* The DPDK client runs crr as lr-gen's kernel client does: no TIME_WAIT, local ports
 * 1024..65535. With the stack's 1 s TIME_WAIT and its default 16,384 ports it could not open
 * more than 16,384 connections a second; with --time-wait 1s and 64,512 ports, no more than
 * that many (every port waits a second before its next use). */
Test(echo, dpdk_memif_crr_client_keeps_no_time_wait_unless_asked)
{
	struct it_result r;
	double free_rate, tw_rate;

	srv_start(
		(const char *[]){ECHO_DPDK, "-l", "1", "--", "--memif", "--format", "json", NULL});
	it_runl(&r, TGEN, "-l", "0", "--", "echo", "--engine", "dpdk", "--mode", "crr", "--conns",
		"16", "--duration", "2s", "--format", "json", NULL);
	cr_assert_eq(r.status, 0, "crr exited %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "errors: none"), "crr: %s", r.out);
	free_rate = col_num(r.out, "conn_per_s");
	it_result_free(&r);
	it_runl(&r, TGEN, "-l", "0", "--", "echo", "--engine", "dpdk", "--mode", "crr", "--conns",
		"16", "--duration", "2s", "--time-wait", "1s", "--format", "json", NULL);
	cr_assert_eq(r.status, 0, "crr --time-wait 1s exited %d: %s%s", r.status, r.out, r.err);
	tw_rate = col_num(r.out, "conn_per_s");
	it_result_free(&r);
	kill(srv_pid, SIGINT);
	srv_wait(STOP_MS, "on SIGINT");
	cr_log_info("crr: %.0f conn/s without TIME_WAIT, %.0f with 1 s", free_rate, tw_rate);
	cr_assert_gt(free_rate, 16384, "no TIME_WAIT, yet %.0f conn/s (the old port bound)",
		     free_rate);
	cr_assert_leq(tw_rate, 64512 * 1.05, "1 s TIME_WAIT and 64,512 ports, yet %.0f conn/s",
		      tw_rate);
}
