// SPDX-License-Identifier: MIT
/*
 * experiments.c: the experiments of `linerate bench` as tables, their expansion into points,
 * and the reading of a run directory back into per-point summaries.
 *
 * Each experiment names a sweep variable ("size", "load", "batch", ...) and its values per
 * profile; each series names a DUT program and a generator with argument templates. The
 * templates use {variables}: the defaults below, then the experiment's profile variables,
 * then the series' own, then the overrides from the command line, then the sweep value.
 * A variable's value may itself hold {variables} ("mode" does): expansion repeats until none
 * is left. Reading the table of an experiment tells exactly which commands it runs; `linerate
 * run NAME --dry-run` prints them.
 *
 * Time budget of the quick profile on a 2-core machine (doctor, topology, plots and report
 * take about 15 s): each trial costs its "est" seconds (DUT start, trial, drain, stop), and
 * bench prints the planned total before it starts. The quick est values are the mean trial
 * times of a measured make bench (points.csv "seconds", results/20261204-113617; the tap
 * series batch and echo added after it from `linerate bench --only fwd-dpdk-tap` and `--only
 * echo-dpdk-tap` runs) plus 10%, per experiment. Trials are short in quick (RFC 2544 asks for 60 s: that is the full profile) and say
 * so through their own rows' notes. A linerate
 * point in quick and smoke is a whole NDR search (tgen rfc2544 --tests throughput) of 0.1 s
 * trials with a 20 ms ramp: a probe and 3 to 12 trials, 1 to 3 s with the DUT's start.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "lr.h"
#include "ports.h"
#include "topo_defs.h"

#define MAX_VARS  80
#define MAX_PASS  6
#define MAX_GROUP 64 /* repeats kept per point */

const struct cli_enum exp_profile_enum[] = {
	{"smoke", EXP_PROFILE_SMOKE},
	{"quick", EXP_PROFILE_QUICK},
	{"full", EXP_PROFILE_FULL},
	{NULL, 0},
};

/* Defaults of every variable; experiments and series override them. gcpu/dcpu: the
 * generator's and the DUT's core (the two cores of the reference machine). est: seconds one
 * trial takes, for the ETA; settle: wait after a DUT start when it prints no ready text. */
static const char default_vars[] =
	"size=64 batch=32 ring=none huge=on affinity=pinned dur=1s rate=max gcpu=0 dcpu=1 link=10G "
	"settle=0.3 est=2 conns=8 msg=64 items=1000000 mode=none";

/* ---- Series building blocks --------------------------------------------------------------- */

/* The knobs every forwarder takes with the same flags (issue 4). */
#define FWD_KNOBS                                                                                  \
	"--cpu {dcpu} --affinity {affinity} --batch {batch} --ring {ring} --hugepages {huge} "     \
	"--link {link} --format json"
#define GEN_KNOBS "--cpu {gcpu} --link {link} --format csv"
/* The ports of the topology (bench/ports.c: the lr- links, or a ports profile's): g0 in gns
 * sends through the DUT's d0 -> d1 to the sink's k1. Namespaces go as --opt=VALUE, so an empty
 * one (the namespace bench runs in) stays one argument. */
#define DUT_MACS   "--dst-mac {k1mac} --src-mac {d1mac} "
#define AFP_PORTS  "--in {d0} --out {d1} --netns={d0ns} " DUT_MACS
#define SOCK_PORTS "--netns={d0ns} --listen {d0ip} --to {k1ip} --from {d1ip} "
#define GEN_PORTS                                                                                  \
	"--tx-dev {g0} --tx-netns={g0ns} --rx-dev {k1} --rx-netns={k1ns} --src-mac {g0mac} "       \
	"--dst-mac {d0mac} --src-ip {g0ip} "
/* memif and net_null have no wire: rates are checked against 100G instead of 10G. */
#define NO_WIRE "link=100G"
/* What each DUT prints once its ports are open and it is about to forward. */
#define READY_FWD  "forwarding"
#define READY_SOCK "relaying"

/* tgen over a kernel engine from g0, extra naming where the frames go. */
#define GEN_VETH(engine, extra) "{mode} --engine " engine " " GEN_PORTS extra GEN_KNOBS
/* tgen from g0 to the sink's k1, through the DUT's d0 and d1. */
#define GEN_K1(engine) GEN_VETH(engine, "--dst-ip {k1ip} ")
/* A forwarder on the veth links of the lr- topology, driven by tgen over a kernel engine. */
#define FWD_VETH(name, prog, ready, ports, engine, extra, sw)                                      \
	{                                                                                          \
		name, prog, ports FWD_KNOBS, NULL, ready, "tgen", GEN_VETH(engine, extra), NULL,   \
			sw, NULL, EXP_PARSE_RESULTS                                                \
	}
#define SOCK_VETH(sw)                                                                              \
	FWD_VETH("fwd-sock veth", "fwd-sock", READY_SOCK, SOCK_PORTS, "sock", "--dst-ip {d0ip} ",  \
		 sw)
#define AFP_VETH(sw)                                                                               \
	FWD_VETH("fwd-afp veth", "fwd-afp", READY_FWD, AFP_PORTS, "afp", "--dst-ip {k1ip} ", sw)
#define GEN_AFP_K1 GEN_K1("afp")
#define DPDK_VETH(sw)                                                                              \
	{                                                                                          \
		"fwd-dpdk veth", "fwd-dpdk", "-l {dcpu} -- {dpdkports} " DUT_MACS FWD_KNOBS, NULL, \
			READY_FWD, "tgen", GEN_AFP_K1, NULL, sw, NULL, EXP_PARSE_RESULTS           \
	}
/* The same with a flag for the DUT: fwd-afp --poll, fwd-xdp (blocking, --poll), fwd-dpdk on
 * DPDK's own AF_XDP PMD. With fwd-afp and fwd-dpdk they make the 2x2 of {kernel, bypass} x
 * {interrupt, polling} of the load plots (issue 17). */
#define FWD_VETH_DUT_GEN(name, prog, pre, dut_extra, engine, sw)                                   \
	{                                                                                          \
		name, prog, pre FWD_KNOBS dut_extra, NULL, READY_FWD, "tgen", GEN_K1(engine),      \
			NULL, sw, NULL, EXP_PARSE_RESULTS                                          \
	}
#define FWD_VETH_DUT(name, prog, pre, dut_extra, sw)                                               \
	FWD_VETH_DUT_GEN(name, prog, pre, dut_extra, "afp", sw)
#define AFP_POLL_VETH(sw) FWD_VETH_DUT("fwd-afp-poll veth", "fwd-afp", AFP_PORTS, " --poll", sw)
#define XDP_VETH(sw)      FWD_VETH_DUT("fwd-xdp veth", "fwd-xdp", AFP_PORTS, "", sw)
#define XDP_POLL_VETH(sw) FWD_VETH_DUT("fwd-xdp-poll veth", "fwd-xdp", AFP_PORTS, " --poll", sw)
#define DPDK_XDP_VETH(sw)                                                                          \
	FWD_VETH_DUT("fwd-dpdk-afxdp veth", "fwd-dpdk",                                            \
		     "-l {dcpu} -- {dpdkports} --pmd af_xdp " DUT_MACS, "", sw)
/* fwd-dpdk on two kernel taps in lr-dut that the tap bridge joins to the veth links
 * (bench/tapbr.c, EXP_SETUP_TAP_BRIDGE), polling or with --rx-mode interrupt. DPDK 22.11's
 * af_packet, af_xdp and memif PMDs have no RX interrupts, net_tap has them: the pair isolates
 * sleeping on interrupts against polling over the same I/O path, which is the kernel's tap
 * driver (a readv() or writev() per frame, whatever the burst), not a kernel bypass. */
#define TAP_PORTS                                                                                  \
	"--in-port net_tap0,iface=" TOPO_IF_TAP_IN " --out-port net_tap1,iface=" TOPO_IF_TAP_OUT   \
	" --netns=" TOPO_NS_DUT " "
#define DPDK_TAP(name, dut_extra, sw)                                                              \
	{                                                                                          \
		name, "fwd-dpdk", "-l {dcpu} --no-pci -- " TAP_PORTS DUT_MACS FWD_KNOBS dut_extra, \
			NULL, READY_FWD, "tgen", GEN_AFP_K1, NULL, sw, NULL, EXP_PARSE_RESULTS,    \
			EXP_SETUP_TAP_BRIDGE                                                       \
	}
#define DPDK_TAP_POLL(sw) DPDK_TAP("fwd-dpdk-tap veth", "", sw)
#define DPDK_TAP_IRQ(sw)  DPDK_TAP("fwd-dpdk-tap-irq veth", " --rx-mode interrupt", sw)
/* The AF_XDP pair driven by tgen's xdp engine: about twice the afp engine's ceiling on veth
 * (tgen selftest), so the forwarders, not tgen, set the rate more often (issue 17). */
#define XDP_VETH_XGEN(name, extra, sw)                                                             \
	FWD_VETH_DUT_GEN(name, "fwd-xdp", AFP_PORTS, extra, "xdp", sw)
#define DPDK_XDP_VETH_XGEN(sw)                                                                     \
	FWD_VETH_DUT_GEN("fwd-dpdk-afxdp veth", "fwd-dpdk",                                        \
			 "-l {dcpu} -- {dpdkports} --pmd af_xdp " DUT_MACS, "", "xdp", sw)
/* fwd-dpdk and tgen's DPDK engine joined by two net_memif links (no kernel on the path):
 * fwd-dpdk --memif serves MEMIF_IN and MEMIF_OUT. */
#define MEMIF_IN  "/run/linerate/lr-fwd-in.sock"
#define MEMIF_OUT "/run/linerate/lr-fwd-out.sock"
#define DPDK_MEMIF(sw)                                                                             \
	{                                                                                          \
		"fwd-dpdk memif", "fwd-dpdk", "-l {dcpu} --no-pci -- --memif " FWD_KNOBS, NULL,    \
			READY_FWD, "tgen",                                                         \
			"-l {gcpu} --no-pci -- {mode} --engine dpdk --hugepages on --tx-port "     \
			"net_memif0,role=client,id=0,socket=" MEMIF_IN ",socket-abstract=no "      \
			"--rx-port net_memif1,role=client,id=0,socket=" MEMIF_OUT                  \
			",socket-abstract=no " GEN_KNOBS,                                          \
			NO_WIRE, sw, NULL, EXP_PARSE_RESULTS                                       \
	}
/* fwd-dpdk on two virtio_user ports in server mode, tgen's DPDK engine on the net_vhost ends:
 * vhost-user shared memory, no kernel on the data path, and the one bypass link of DPDK 22.11
 * here whose RX side can sleep: the vhost end kicks an eventfd that virtio_user's RX interrupt
 * waits on (memif and af_xdp have no RX interrupts). The pair polls, or sleeps with
 * --rx-mode interrupt. virtio_user shares its memory by descriptor: huge pages in one file per
 * segment list (EAL --single-file-segments; the default --in-memory keeps it off the disk).
 * A virtio_user server's probe waits for its vhost client, so fwd-dpdk says nothing until tgen
 * connects: the runner starts tgen once the DUT has run 1.5 s (no ready text), tgen's vhost
 * client retries until the DUT's sockets exist, and the DUT's CPU window starts when it says
 * it forwards (late_ready), not while it waited. */
#define VHOST_IN  "/run/linerate/lr-vu-in.sock"
#define VHOST_OUT "/run/linerate/lr-vu-out.sock"
#define DPDK_VHOST(name, dut_extra, sw)                                                            \
	{                                                                                          \
		name, "fwd-dpdk",                                                                  \
			"-l {dcpu} --no-pci --single-file-segments -- --in-port "                  \
			"virtio_user0,path=" VHOST_IN ",server=1,queues=1 --out-port "             \
			"virtio_user1,path=" VHOST_OUT ",server=1,queues=1 " FWD_KNOBS dut_extra,  \
			NULL, NULL, "tgen",                                                        \
			"-l {gcpu} --no-pci -- {mode} --engine dpdk --hugepages on --tx-port "     \
			"net_vhost0,iface=" VHOST_IN ",client=1,queues=1 --rx-port "               \
			"net_vhost1,iface=" VHOST_OUT ",client=1,queues=1 " GEN_KNOBS,             \
			NO_WIRE " settle=1.5", sw, NULL, EXP_PARSE_RESULTS, EXP_SETUP_NONE,        \
			READY_FWD                                                                  \
	}
#define DPDK_VHOST_POLL(sw) DPDK_VHOST("fwd-dpdk-vu vhost", "", sw)
#define DPDK_VHOST_IRQ(sw)  DPDK_VHOST("fwd-dpdk-vu-irq vhost", " --rx-mode interrupt", sw)
/* fwd-dpdk between two net_null ports: no generator, no link: the forwarder's own ceiling. */
/* fwd-dpdk alone on net_null ports (no generator: the null PMD makes and eats the frames),
 * with extra DUT arguments. */
#define DPDK_NULL_DUT(name, extra, sw)                                                             \
	{                                                                                          \
		name, NULL, NULL, NULL, NULL, "fwd-dpdk",                                          \
			"-l {dcpu} --no-pci -- --in-port net_null0 --out-port "                    \
			"net_null1 " FWD_KNOBS extra " --duration {dur}",                          \
			NO_WIRE, sw, NULL, EXP_PARSE_RESULTS                                       \
	}
#define DPDK_NULL(sw) DPDK_NULL_DUT("fwd-dpdk null", "", sw)
/* A TCP echo server in the DUT's namespace (port 7) and `tgen echo` from the generator's on
 * kernel sockets. echo-sock listens on d0's own address; the user-space stacks (echo-afp,
 * echo-dpdk) on {echoip}, an address the kernel does not own (issue 5). */
#define ECHO_KNOBS                                                                                 \
	"--cpu {dcpu} --affinity {affinity} --batch {batch} --hugepages {huge} --max-conns 4096 "  \
	"--format json"
#define ECHO_GEN_KNOBS "--cpu {gcpu} --format csv"
#define ECHO_GEN(mode)                                                                             \
	"echo --mode " mode " --conns {conns} --size {msg} --duration {dur} --dst-port 7 "
#define ECHO_SOCK_PORTS  "--netns={d0ns} --ip {d0ip} "
#define ECHO_STACK_PORTS "--dev {d0} --netns={d0ns} --ip {echoip} "
#define ECHO_VETH(name, prog, pre, ip, mode, sw)                                                   \
	{                                                                                          \
		name, prog, pre ECHO_KNOBS, NULL, "listening", "tgen",                             \
			ECHO_GEN(mode) "--netns={g0ns} --dst-ip " ip " " ECHO_GEN_KNOBS, NULL, sw, \
			NULL, EXP_PARSE_RESULTS                                                    \
	}
/* echo-dpdk on a net_memif link, driven by `tgen echo --engine dpdk`: the stack on both
 * sides, no kernel on the path (the mTCP-style ceiling). */
/* tgen echo's DPDK client is a net_memif client of echo-dpdk --memif by default. */
#define ECHO_DPDK_CLIENT "--dst-ip {echoip} --engine dpdk --hugepages on "
#define ECHO_MEMIF(name, mode, sw)                                                                 \
	{                                                                                          \
		name, "echo-dpdk", "-l {dcpu} --no-pci -- --memif " ECHO_KNOBS, NULL, "listening", \
			"tgen",                                                                    \
			"-l {gcpu} --no-pci -- " ECHO_GEN(mode) ECHO_DPDK_CLIENT ECHO_GEN_KNOBS,   \
			NO_WIRE, sw, NULL, EXP_PARSE_RESULTS                                       \
	}
/* echo-dpdk on a kernel tap in lr-dut that the echo tap bridge joins to lr-d0 both ways
 * (bench/tapbr.c, EXP_SETUP_TAP_ECHO), polling or with --rx-mode interrupt, answering on
 * {echoip} with lr-d0's MAC as on the veth: the pair isolates sleeping on interrupts against
 * polling over the same I/O path (the kernel's tap driver, not a bypass), as DPDK_TAP does. */
#define ECHO_TAP_PORT                                                                              \
	"--dpdk-port net_tap0,iface=" TOPO_IF_TAP_ECHO " --netns=" TOPO_NS_DUT " --mac {d0mac} "
#define ECHO_DPDK_TAP(name, mode, dut_extra, sw)                                                   \
	{                                                                                          \
		name, "echo-dpdk",                                                                 \
			"-l {dcpu} --no-pci -- " ECHO_TAP_PORT                                     \
			"--ip {echoip} " ECHO_KNOBS dut_extra,                                     \
			NULL, "listening", "tgen",                                                 \
			ECHO_GEN(mode) "--netns={g0ns} --dst-ip {echoip} " ECHO_GEN_KNOBS, NULL,   \
			sw, NULL, EXP_PARSE_RESULTS, EXP_SETUP_TAP_ECHO                            \
	}
#define ECHO_TAP_POLL(name, mode, sw) ECHO_DPDK_TAP(name, mode, "", sw)
#define ECHO_TAP_IRQ(name, mode, sw)  ECHO_DPDK_TAP(name, mode, " --rx-mode interrupt", sw)
#define RINGBENCH(kind)                                                                            \
	{                                                                                          \
		"ringbench " kind, NULL, NULL, NULL, NULL, "linerate",                             \
			"ringbench --kinds " kind " --items {items} --repeat 1 --format csv",      \
			NULL, "all", "batch", EXP_PARSE_RINGBENCH                                  \
	}

#define MPPS(label)                                                                                \
	{                                                                                          \
		false, "rx_pps", 1e-6, "Mpps", label, NULL, false                                  \
	}
/* The NDR of a tgen rfc2544 run: its summary row, the figures of the throughput trial of the
 * highest rate without loss, generator-bound when the generator's ceiling ended the search. */
#define NDR_MPPS                                                                                   \
	{                                                                                          \
		false, "rx_pps", 1e-6, "Mpps", "NDR", "rfc2544-ndr", false                         \
	}
#define SERIES(a)    a, ARRAY_SIZE(a)
#define RUN_MODE     "mode='run --size {size} --rate {rate} --duration {dur}'"
#define RFC2544_MODE "mode='rfc2544 --size {size} --duration {dur}'"
/* The NDR search alone, with short trials and a short ramp and drain (quick and smoke). */
#define NDR_MODE                                                                                   \
	"mode='rfc2544 --size {size} --duration {dur} --tests throughput --ramp {ramp} --drain "   \
	"{drain} --quiet {quiet}' ramp=20ms drain=500ms quiet=30ms"

/* ---- The experiments ---------------------------------------------------------------------- */

/* The AF_XDP pair (fwd-xdp and DPDK's own AF_XDP PMD on the same links) at 64 and 1518 B
 * only: the quick profile has no time for every size of every path. The polling variants
 * have no linerate series: latency-load calibrates their 64 B NDR itself. The pair is driven
 * by tgen's xdp engine, the others by afp (the plot's text says so). */
#define XDP_SIZES "64 1518"
static const struct exp_series linerate_series[] = {
	SOCK_VETH(NULL),
	AFP_VETH(NULL),
	XDP_VETH_XGEN("fwd-xdp veth", "", XDP_SIZES),
	DPDK_VETH(NULL),
	DPDK_XDP_VETH_XGEN(XDP_SIZES),
	DPDK_MEMIF(NULL),
};

static const struct exp_def exp_linerate = {
	"linerate",
	"loss-free throughput (RFC 2544 NDR) per frame size for each forwarder against the "
	"theoretical 10G and 40G line rates: NDR searches of 0.1 s trials with only the "
	"throughput test (quick and smoke profiles: short-trial NDRs, not RFC durations), or "
	"the full RFC 2544 run with 60 s trials (full profile)",
	"size",
	"frame size (B)",
	{"64 1518", "64 128 256 512 1024 1280 1518", "64 128 256 512 1024 1280 1518"},
	{NDR_MODE " dur=0.1s est=1", NDR_MODE " dur=0.1s est=0.78",
	 RFC2544_MODE " dur=60s est=1500 timeout=7200"},
	{1, 3, 1}, /* full: one RFC 2544 run per point, which repeats its latency trials itself */
	false,
	SERIES(linerate_series),
	{{"linerate-mpps",
	  "linerate",
	  EXP_PLOT_LINES,
	  NULL,
	  {NDR_MPPS},
	  "Loss-free throughput per frame size: the RFC 2544 NDR, the highest rate at which "
	  "the sink received every frame (median of the repeats, bars from min to max). In the "
	  "quick profile these are short-trial NDRs: searches of 0.1 s trials (at most 12, 1% "
	  "resolution), which a longer trial may lower; the full profile uses 60 s trials. A "
	  "hollow point is generator-bound: the search reached tgen's own ceiling without loss, "
	  "so the forwarder may do more. tgen drives the AF_XDP pair (fwd-xdp, fwd-dpdk-afxdp) "
	  "with its xdp engine, the others with afp. The two dashed curves are line rate at 10G "
	  "and 40G, "
	  "pps = R / ((L + 20) * 8): the closer a forwarder gets to them, the less its I/O "
	  "path costs per packet."},
	 {"linerate-gbps",
	  "linerate-gbps",
	  EXP_PLOT_LINES,
	  NULL,
	  {NDR_MPPS},
	  "The same NDRs (short-trial in the quick profile) in Gbit/s of frame data (L * 8 per "
	  "packet). Big frames reach more bits per second for the same per-packet cost: the "
	  "per-packet overhead, not the bytes, is what limits software forwarding."}},
};

/* The 2x2 of {kernel, bypass} x {interrupt, polling}: fwd-afp and fwd-xdp, each blocking and
 * busy-polling, beside fwd-sock and fwd-dpdk; fwd-dpdk on the tap bridge polling and on RX
 * interrupts (the one DPDK pair that can sleep here); the new paths at five loads (time). */
#define LOAD_2X2 "1 10 50 90 100"
/* The two shared-memory (bypass) links at three loads (quick's time). */
#define LOAD_VHOST "1 10 100"
static const struct exp_series load_series[] = {
	SOCK_VETH(NULL),
	AFP_VETH(NULL),
	AFP_POLL_VETH(LOAD_2X2),
	XDP_VETH(LOAD_2X2),
	XDP_POLL_VETH(LOAD_2X2),
	DPDK_VETH(NULL),
	DPDK_TAP_POLL(LOAD_2X2),
	DPDK_TAP_IRQ(LOAD_2X2),
	DPDK_MEMIF(LOAD_VHOST),
	DPDK_VHOST_POLL(LOAD_VHOST),
	DPDK_VHOST_IRQ(LOAD_VHOST),
};

static const struct exp_def exp_latency_load = {
	"latency-load",
	"p50 and p99 latency and DUT CPU use vs offered load (1% to 100% of each forwarder's "
	"own throughput at 64 B): where interrupts stop paying off against polling",
	"load",
	"offered load (% of the forwarder's throughput at 64 B)",
	{"10 100", "1 10 50 60 70 80 90 100", "1 5 10 25 50 60 70 75 80 90 100"},
	{RUN_MODE " dur=0.5s est=1.2", RUN_MODE " dur=0.5s est=1.11", RUN_MODE " dur=10s est=12"},
	{1, 3, 3},
	true,
	SERIES(load_series),
	{{"latency-load",
	  "latency-load",
	  EXP_PLOT_LINES,
	  NULL,
	  {{false, "lat_p50_ns", 1e-3, "us", "p50"}, {false, "lat_p99_ns", 1e-3, "us", "p99"}},
	  "Latency from the generator's TX stamp to the sink, at loads relative to each "
	  "forwarder's own NDR. An interrupt-driven forwarder pays a wake-up per batch at low "
	  "load; a polling one does not, but burns its core all the time (next plot). Latency "
	  "counts only frames that arrived: a point that lost frames (the loss plot below) "
	  "shows the survivors' latency, not the load's. fwd-dpdk-tap and fwd-dpdk-tap-irq are "
	  "one DPDK program polling and sleeping on RX interrupts (--rx-mode interrupt), both "
	  "reading and writing through the kernel's tap driver (tc redirects lr-d0 into one tap, "
	  "the other tap out of lr-d1): not a kernel bypass. DPDK 22.11's af_packet, af_xdp and "
	  "memif PMDs have no RX interrupts, net_tap has: the pair isolates interrupt against "
	  "polling over the same I/O path, not bypass against kernel. fwd-dpdk-vu and "
	  "fwd-dpdk-vu-irq are the bypass pair: the same DPDK program on virtio-user ports, "
	  "tgen on the vhost-user ends (shared memory, no kernel on the data path), polling and "
	  "sleeping until the vhost end's eventfd kick (its RX interrupt)."},
	 {"latency-load-loss",
	  "latency-load-loss",
	  EXP_PLOT_LINES,
	  NULL,
	  {{false, "loss_pct", 1, "%", "frames lost"}},
	  "Frames lost at each load point of the latency plot (lost / sent, %). A point above "
	  "zero is lossy: its latency above is that of the frames that got through."},
	 {"cpu-load",
	  "cpu-load",
	  EXP_PLOT_LINES,
	  NULL,
	  {{true, "cpu_pct", 1, "%", "CPU"}},
	  "CPU time of the forwarder process (user + system, all its threads) while the "
	  "generator ran, in % of one core (results.csv: cpu_window_pct; the harness reads the "
	  "scheduler's counters when the generator starts and when it exits, so the forwarder's "
	  "own start and idle wait are left out). Polling stays near 100% at any load; "
	  "interrupt-driven forwarding scales with the load, DPDK's too (fwd-dpdk-tap-irq "
	  "sleeps in rte_epoll_wait() on the tap's RX interrupt; fwd-dpdk-tap is the same "
	  "program polling). Softirq time of the machine is in results.csv (cpu_softirq_s)."}},
};

/* Delivered vs offered rate past each forwarder's NDR, at fixed offered rates (not % of the
 * NDR: the point is what happens above it). The classic receive-livelock figure (Mogul and
 * Ramakrishnan, 1997): an interrupt-driven receiver can deliver less as the offered rate
 * grows past what it can handle; a polling one stays flat at its ceiling. */
static const struct exp_series livelock_series[] = {
	SOCK_VETH(NULL),
	AFP_VETH(NULL),
	AFP_POLL_VETH(NULL),
};

static const struct exp_def exp_livelock = {
	"livelock",
	"delivered vs offered rate at 64 B, below and past each forwarder's NDR: interrupt-driven "
	"(fwd-sock, fwd-afp) against polling (fwd-afp --poll), the receive-livelock figure",
	"mpps",
	"offered rate (Mpps, 64 B)",
	{"0.1 0.8", "0.1 0.2 0.4 0.6 0.8", "0.05 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 1"},
	{RUN_MODE " rate={mpps}Mpps dur=0.3s est=1.0",
	 RUN_MODE " rate={mpps}Mpps dur=0.3s est=0.65", RUN_MODE " rate={mpps}Mpps dur=10s est=12"},
	{1, 3, 3},
	false,
	SERIES(livelock_series),
	{{"livelock",
	  "livelock",
	  EXP_PLOT_LINES,
	  NULL,
	  {MPPS("delivered"), {false, "tx_pps", 1e-6, "Mpps", "sent"}},
	  "Packets per second that reached the sink (solid) and that the generator sent "
	  "(dashed) against the rate it was asked for. Below a forwarder's NDR all three are "
	  "equal; past it, a forwarder that holds its ceiling as more is sent is overloaded "
	  "gracefully, one whose delivered curve falls while the sent one rises spends its CPU "
	  "on frames it then drops (receive livelock). A hollow point is one where tgen could "
	  "not send the asked rate: on veth the frames reach the DUT's socket in the softirq of "
	  "the generator's core (veth has no interrupt of its own), so past the NDR the "
	  "generator also pays for the DUT's receive path and sends less than asked; the DUT's "
	  "sends run the sink's receive path on the DUT's core. This is not a NIC's interrupt "
	  "storm: read the curves as what this topology does past the NDR."}},
};

/* The tap pair at the ends of the sweep only (quick's time): the knob changes its bursts but
 * not its cost per frame (the caption says why), so the line between them is flat. */
#define BATCH_TAP "1 256"
static const struct exp_series batch_series[] = {
	SOCK_VETH(NULL),  AFP_VETH(NULL),           XDP_VETH_XGEN("fwd-xdp veth", "", NULL),
	DPDK_VETH(NULL),  DPDK_TAP_POLL(BATCH_TAP), DPDK_TAP_IRQ(BATCH_TAP),
	DPDK_MEMIF(NULL),
};

static const struct exp_def exp_batch = {
	"batch",
	"forwarding throughput at 64 B vs the DUT's batch size (packets per system call or burst)",
	"batch",
	"DUT batch size (packets per call)",
	{"1 32", "1 8 32 256", "1 2 4 8 16 32 64 128 256"},
	{RUN_MODE " dur=0.5s est=1.3", RUN_MODE " dur=0.5s est=1.04", RUN_MODE " dur=10s est=12"},
	{1, 3, 3},
	false,
	SERIES(batch_series),
	{{"batch",
	  "batch",
	  EXP_PLOT_LINES,
	  NULL,
	  {MPPS("forwarded")},
	  "Packets per second that reached the sink with the generator unpaced, per DUT batch "
	  "size (fwd-xdp driven by tgen's xdp engine, the others by afp). Batching spreads the "
	  "fixed cost of a system call or a burst over more packets; "
	  "the curve flattens once that cost is small beside the per-packet work. "
	  "fwd-dpdk-tap and fwd-dpdk-tap-irq (batch 1 and 256 only) are one DPDK program "
	  "polling and sleeping on RX interrupts through the kernel's tap driver (the tap "
	  "bridge of latency-load). There the knob does change the bursts (the DUT's "
	  "frames_per_rx_burst in raw/*-dut.out: 1 at batch 1, tens to 256 at 256) but not "
	  "their cost: net_tap reads and writes every frame with its own readv() and writev() "
	  "(strace: one of each per frame at batch 1 and at 256), so there is no per-call cost "
	  "to spread and the two lines stay flat. Unpaced, the interrupt mode has input most "
	  "of the time and saves little CPU: the latency-load and cpu-load plots are where "
	  "the two differ."}},
};

/* DPDK paths only: on the kernel paths the frames live in the kernel's pages, which the knob
 * does not move (fwd-afp: its descriptors; fwd-sock: its message buffers), so there it is
 * n/a (issue 11: measured fwd-afp on 0.330 vs off 0.328 Mpps, within the spread). */
static const struct exp_series huge_series[] = {
	DPDK_VETH(NULL),
	DPDK_MEMIF(NULL),
	DPDK_NULL(NULL),
};

static const struct exp_def exp_hugepages = {
	"hugepages",
	"throughput with the DUT's packet buffers on 2 MB huge pages vs normal 4 KB pages",
	"huge",
	"huge pages",
	{"on off", "on off", "on off"},
	{RUN_MODE " dur=0.5s est=1.3", RUN_MODE " dur=0.5s est=1.31", RUN_MODE " dur=10s est=12"},
	{1, 3, 3},
	false,
	SERIES(huge_series),
	{{"hugepages",
	  "hugepages",
	  EXP_PLOT_BARS,
	  NULL,
	  {MPPS("forwarded")},
	  "Forwarding rate at 64 B, unpaced generator, the DPDK forwarder's EAL memory and "
	  "mbufs on huge pages (on) or not (off). Huge pages matter where the I/O path is cheap "
	  "(DPDK on net_null and memif): there the TLB misses of 4 KB pages are a visible share "
	  "of the per-packet cost; behind veth the kernel's path hides them. Kernel paths: n/a. "
	  "fwd-sock and fwd-afp keep their frames in the kernel's pages (socket buffers, "
	  "PACKET_RX_RING), which --hugepages does not move: it moves only their own message "
	  "buffers or descriptors (see their --help)."}},
};

static const struct exp_series affinity_series[] = {
	SOCK_VETH(NULL),
	AFP_VETH(NULL),
	DPDK_VETH(NULL),
};

static const struct exp_def exp_affinity = {
	"affinity",
	"throughput with the DUT pinned to its own core vs floating over both cores",
	"affinity",
	"DUT affinity",
	{"pinned floating", "pinned floating", "pinned floating"},
	{RUN_MODE " dur=0.5s est=1.3", RUN_MODE " dur=0.5s est=0.83", RUN_MODE " dur=10s est=12"},
	{1, 3, 3},
	false,
	SERIES(affinity_series),
	{{"affinity",
	  "affinity",
	  EXP_PLOT_BARS,
	  NULL,
	  {MPPS("forwarded")},
	  "Forwarding rate at 64 B, unpaced generator, with the forwarder pinned to core 1 (the "
	  "generator has core 0) or left to the scheduler. Floating, it may share a core with "
	  "the generator or migrate and lose its cache."}},
};

/* fwd-dpdk on net_null with its pipeline's TX thread on the other core ({gcpu}): a ring
 * between two cores with nothing else on them, where the ring's cost is not hidden under a
 * kernel path or a generator sharing the core (issue 11). Run to completion ("none") has one
 * thread: the plain null series. */
#define DPDK_NULL_SPLIT(sw) DPDK_NULL_DUT("fwd-dpdk null 2 cores", " --tx-cpu {gcpu}", sw)
static const struct exp_series ring_series[] = {
	DPDK_VETH("none lockfree mutex rte"),
	DPDK_NULL("none"),
	DPDK_NULL_SPLIT("lockfree mutex rte"),
	RINGBENCH("lockfree"),
	RINGBENCH("mutex"),
};

static const struct exp_def exp_rings = {
	"rings",
	"run to completion vs an RX thread handing bursts to a TX thread through a lockfree, "
	"mutex or rte ring, behind veth and alone on net_null with the threads on two cores; "
	"and the rings alone (ringbench)",
	"ring",
	"ring between the RX and TX threads",
	{"none lockfree mutex", "none lockfree mutex", "none lockfree mutex"},
	{RUN_MODE " dur=0.3s est=1.1 items=200000", RUN_MODE " dur=0.5s est=0.8 items=2000000",
	 RUN_MODE " dur=10s est=12 items=20000000"},
	{1, 3, 3},
	false,
	SERIES(ring_series),
	{{"rings",
	  "rings",
	  EXP_PLOT_BARS,
	  "fwd-",
	  {MPPS("forwarded")},
	  "Forwarding rate at 64 B: 'none' forwards on one thread, the others pass bursts from "
	  "an RX thread to a TX thread through a ring. fwd-dpdk veth: unpaced generator, both "
	  "threads on the DUT's core, behind the kernel's veth path. fwd-dpdk null: no generator "
	  "(net_null makes and eats the frames), 'none' on one core, and '2 cores' with the TX "
	  "thread on the other core: there nothing hides the ring, and its cost per burst "
	  "(cache lines crossing cores, a lock or not) is the gap to 'none'."},
	 {"ringbench",
	  "ringbench",
	  EXP_PLOT_LINES,
	  "ringbench",
	  {{false, "rx_pps", 1e-6, "Mitems/s", "items"}},
	  "Items per second through a ring between two threads on different cores, per burst "
	  "size (linerate ringbench): what a lock costs per item and how batching amortises "
	  "it."}},
};

/* The tap pair in rr at one connection only, the quick profile's time: there each request finds
 * the interrupt mode asleep. Measured once (quick, 3 repeats) and left out for that time: rr at 8
 * connections, 34 k/s and 114-117% CPU in both modes, and crr at 16, 9.0 k/s and 120% CPU
 * interrupt against 8.3 k/s and 121% polling: once requests overlap, neither sleeps. */
#define ECHO_TAP_CONNS "1"
static const struct exp_series echo_series[] = {
	ECHO_VETH("echo-sock rr", "echo-sock", ECHO_SOCK_PORTS, "{d0ip}", "rr", NULL),
	ECHO_VETH("echo-afp rr", "echo-afp", ECHO_STACK_PORTS, "{echoip}", "rr", NULL),
	ECHO_VETH("echo-xdp rr", "echo-xdp", ECHO_STACK_PORTS, "{echoip}", "rr", NULL),
	ECHO_VETH("echo-dpdk rr", "echo-dpdk", "-l {dcpu} -- {dpdkdev} --ip {echoip} ", "{echoip}",
		  "rr", NULL),
	ECHO_MEMIF("echo-dpdk memif rr", "rr", NULL),
	ECHO_TAP_POLL("echo-dpdk-tap rr", "rr", ECHO_TAP_CONNS),
	ECHO_TAP_IRQ("echo-dpdk-tap-irq rr", "rr", ECHO_TAP_CONNS),
	ECHO_VETH("echo-sock crr", "echo-sock", ECHO_SOCK_PORTS, "{d0ip}", "crr", "16"),
	ECHO_VETH("echo-afp crr", "echo-afp", ECHO_STACK_PORTS, "{echoip}", "crr", "16"),
	ECHO_VETH("echo-xdp crr", "echo-xdp", ECHO_STACK_PORTS, "{echoip}", "crr", "16"),
	ECHO_VETH("echo-dpdk crr", "echo-dpdk", "-l {dcpu} -- {dpdkdev} --ip {echoip} ", "{echoip}",
		  "crr", "16"),
	ECHO_MEMIF("echo-dpdk memif crr", "crr", "16"),
};

static const struct exp_def exp_echo = {
	"echo",
	"TCP echo: request/response transactions per second vs connections, and "
	"connect-request-response-close rate and latency, per server",
	"conns",
	"concurrent connections",
	{"1 8", "1 8 64", "1 8 64 256"},
	{"dur=0.5s est=1.6 msg=64", "dur=1s est=1.47 msg=64", "dur=10s est=12 msg=64"},
	{1, 3, 3},
	false,
	SERIES(echo_series),
	{{"echo-rr",
	  "echo-rr",
	  EXP_PLOT_LINES,
	  " rr",
	  {{false, "rx_pps", 1e-3, "k/s", "rr"}},
	  "Transactions per second (64 B request, 64 B response, persistent connections, "
	  "closed loop) per number of connections. echo-dpdk-tap and echo-dpdk-tap-irq (one "
	  "connection only) are echo-dpdk polling and sleeping on RX interrupts "
	  "(--rx-mode interrupt) on a kernel tap that tc joins to lr-d0 both ways: the same "
	  "I/O path in both, the kernel's tap driver, not a kernel bypass. At one connection "
	  "every request finds the interrupt mode asleep; its CPU use is in results.csv "
	  "(cpu_window_pct of the echo-dpdk rows)."},
	 {"echo-crr",
	  "echo-crr",
	  EXP_PLOT_BARS,
	  " crr",
	  {{false, "rx_pps", 1e-3, "k/s", "crr"}},
	  "Connect-request-response-close transactions per second, 16 connections at a time: "
	  "the cost of setting up and tearing down a TCP connection in each stack."},
	 {"echo-crr-latency",
	  "echo-crr-latency",
	  EXP_PLOT_BARS,
	  " crr",
	  {{false, "lat_p50_ns", 1e-3, "us", "p50"}, {false, "lat_p99_ns", 1e-3, "us", "p99"}},
	  "Latency of one connect-request-response-close transaction, median and 99th "
	  "percentile."}},
};

/* The AF_XDP pair both polling, on the same links, the same generator (xdp engine) at the
 * same offered load: cycles per packet is the DUT's own figure even where tgen sets the rate. */
static const struct exp_series budget_series[] = {
	SOCK_VETH(NULL),
	AFP_VETH(NULL),
	XDP_VETH_XGEN("fwd-xdp-poll veth", " --poll", "64"),
	DPDK_VETH(NULL),
	DPDK_XDP_VETH_XGEN("64"),
	DPDK_MEMIF(NULL),
};

static const struct exp_def exp_budget = {
	"budget",
	"cycles the forwarder spends per packet vs the per-packet budget at 10G and 40G line "
	"rate",
	"size",
	"frame size (B)",
	{"64", "64 512 1518", "64 128 256 512 1024 1280 1518"},
	{RUN_MODE " dur=0.5s est=1.3", RUN_MODE " dur=0.5s est=1.05", RUN_MODE " dur=10s est=12"},
	{1, 3, 3},
	false,
	SERIES(budget_series),
	{{"budget",
	  "budget",
	  EXP_PLOT_LINES,
	  NULL,
	  {{true, "cycles_per_pkt", 1, "cycles", "measured"}},
	  "TSC cycles per forwarded packet, counted by each forwarder over the loop iterations "
	  "that moved packets (testpmd's --record-core-cycles way), against the time a packet "
	  "may take at 10G and 40G line rate on this CPU. Above a curve, one core cannot keep "
	  "up with that link. The AF_XDP pair, both polling (fwd-xdp-poll, fwd-dpdk-afxdp on "
	  "DPDK's AF_XDP PMD), is driven by tgen's xdp engine at 64 B: the same links, the same "
	  "offered load, so their cycles compare even where tgen sets the rate. A polling "
	  "forwarder counts every round that moved a packet, so below its capacity its figure "
	  "also holds the time spent waiting for the next packet."}},
};

const struct exp_def *const exp_all[] = {
	&exp_linerate, &exp_latency_load, &exp_livelock, &exp_batch,  &exp_hugepages,
	&exp_affinity, &exp_rings,        &exp_echo,     &exp_budget,
};
const unsigned exp_count = ARRAY_SIZE(exp_all);

const struct exp_def *exp_find(const char *name)
{
	for (unsigned i = 0; i < exp_count; i++)
		if (!strcmp(exp_all[i]->name, name))
			return exp_all[i];
	return NULL;
}

unsigned exp_repeat(const struct exp_def *e, enum exp_profile prof)
{
	return e->repeat[prof];
}

const char *exp_cmd_prog(const char *cmd, char *buf, size_t len)
{
	size_t n = strcspn(cmd, " ");

	snprintf(buf, len, "%.*s", (int)n, cmd);
	return buf;
}

/* ---- Expansion ---------------------------------------------------------------------------- */

struct var {
	char name[24];
	char value[256];
};

struct vars {
	struct var v[MAX_VARS];
	unsigned n;
};

static int var_set(struct vars *vs, const char *name, size_t nlen, const char *value, size_t vlen)
{
	struct var *v = NULL;

	for (unsigned i = 0; i < vs->n && !v; i++)
		if (strlen(vs->v[i].name) == nlen && !strncmp(vs->v[i].name, name, nlen))
			v = &vs->v[i];
	if (!v) {
		if (vs->n == MAX_VARS)
			return -ENOMEM;
		v = &vs->v[vs->n++];
		snprintf(v->name, sizeof(v->name), "%.*s", (int)nlen, name);
	}
	snprintf(v->value, sizeof(v->value), "%.*s", (int)vlen, value);
	return 0;
}

/* Applies "name=value name='value with blanks' ..." (NULL: nothing); returns 0, -EINVAL
 * for an item without '=', -ENOMEM when the table is full. */
static int vars_apply(struct vars *vs, const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t eq = strcspn(p, "= "), vlen;
		const char *name = p, *val = p + eq + 1;

		if (p[eq] != '=')
			return -EINVAL;
		if (*val == '\'') {
			vlen = strcspn(++val, "'");
			p = val + vlen + (val[vlen] == '\'');
		} else {
			vlen = strcspn(val, " ");
			p = val + vlen;
		}
		if (var_set(vs, name, eq, val, vlen))
			return -ENOMEM;
		p += strspn(p, " ");
	}
	return 0;
}

static const char *var_get(const struct vars *vs, const char *name, size_t nlen)
{
	for (unsigned i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == nlen && !strncmp(vs->v[i].name, name, nlen))
			return vs->v[i].value;
	return NULL;
}

/* One pass of {var} replacement of in into out; returns 1 if something was replaced, 0 if
 * not, -EINVAL for an unknown variable (err names it), -E2BIG when out is too small. */
static int expand_once(const struct vars *vs, const char *in, char *out, size_t len, char *err,
		       size_t errlen)
{
	size_t used = 0;
	int replaced = 0;

	for (const char *p = in; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *val = close ? var_get(vs, p + 1, (size_t)(close - p - 1)) : NULL;
		size_t n = val ? strlen(val) : 1;

		if (close && !val) {
			snprintf(err, errlen, "unknown variable '%.*s' in template '%s'",
				 (int)(close - p + 1), p, in);
			return -EINVAL;
		}
		if (used + n + 1 > len)
			return -E2BIG;
		memcpy(out + used, val ? val : p, n);
		used += n;
		p = close ? close + 1 : p + 1;
		replaced |= close != NULL;
	}
	out[used] = '\0';
	return replaced;
}

/* Expands "prog template" into out until no {variable} is left. */
static int expand(const struct vars *vs, const char *prog, const char *tmpl, char *out, size_t len,
		  char *err, size_t errlen)
{
	char a[EXP_CMD], b[EXP_CMD];
	size_t w = 0;
	int ret = 1;

	snprintf(a, sizeof(a), "%s %s", prog, tmpl ? tmpl : "");
	for (int pass = 0; pass < MAX_PASS && ret == 1; pass++) {
		ret = expand_once(vs, a, b, sizeof(b), err, errlen);
		if (ret >= 0)
			memcpy(a, b, sizeof(a));
	}
	if (ret < 0)
		return ret;
	/* collapse runs of blanks left by empty values */
	for (size_t r = 0; a[r]; r++)
		if (a[r] != ' ' || (w && a[w - 1] != ' '))
			a[w++] = a[r];
	while (w && a[w - 1] == ' ')
		w--;
	a[w] = '\0';
	snprintf(out, len, "%s", a);
	return 0;
}

static double var_num(const struct vars *vs, const char *name, double dflt)
{
	const char *v = var_get(vs, name, strlen(name));

	return v ? strtod(v, NULL) : dflt;
}

/* Fills one point of series s at sweep value x. */
static int point_fill(const struct exp_def *e, const struct exp_series *s, struct vars *vs,
		      const char *x, const struct exp_overrides *ov, struct exp_point *pt,
		      char *err, size_t errlen)
{
	int ret;

	memset(pt, 0, sizeof(*pt));
	pt->exp = e;
	pt->series = s;
	snprintf(pt->x, sizeof(pt->x), "%.*s", EXP_NAME - 1, x);
	if (var_set(vs, e->xvar, strlen(e->xvar), x, strlen(x)))
		return -ENOMEM;
	if (e->needs_ndr) {
		char rate[64];

		if (ov && ov->ndr_pps > 0)
			snprintf(rate, sizeof(rate), "%.0fpps",
				 ov->ndr_pps * strtod(x, NULL) / 100);
		else
			snprintf(rate, sizeof(rate), "<%s%%-of-NDR>", x);
		if (var_set(vs, "rate", 4, rate, strlen(rate)))
			return -ENOMEM;
	}
	if (s->dut) {
		ret = expand(vs, s->dut, s->dut_args, pt->dut_cmd, sizeof(pt->dut_cmd), err,
			     errlen);
		if (ret)
			return ret;
	}
	ret = expand(vs, s->gen, s->gen_args, pt->gen_cmd, sizeof(pt->gen_cmd), err, errlen);
	pt->est_s = var_num(vs, "est", 2);
	pt->settle_s = var_num(vs, "settle", 0.3);
	pt->timeout_s = var_num(vs, "timeout", fmax(20, 4 * pt->est_s));
	return ret;
}

/* Splits a sweep list (blanks or commas) into vals; returns the count. */
static unsigned sweep_split(const char *list, char vals[][EXP_NAME])
{
	unsigned n = 0;

	for (const char *p = list; p && *p && n < EXP_MAX_VALS;) {
		size_t len = strcspn(p, " ,");

		if (len)
			snprintf(vals[n++], EXP_NAME, "%.*s", (int)len, p);
		p += len;
		p += strspn(p, " ,");
	}
	return n;
}

/* The port variables: the profile's (bench --ports), else the lr- topology's. */
static const char *ports_of(const struct exp_overrides *ov)
{
	static char lr[PORTS_VARS];
	struct ports p;

	if (ov && ov->ports_vars)
		return ov->ports_vars;
	if (!lr[0]) {
		ports_default(&p);
		ports_vars(&p, lr, sizeof(lr));
	}
	return lr;
}

/* Builds the variables of series s for profile prof. */
static int series_vars(const struct exp_def *e, const struct exp_series *s, enum exp_profile prof,
		       const struct exp_overrides *ov, struct vars *vs)
{
	int ret;

	vs->n = 0;
	ret = vars_apply(vs, default_vars);
	if (!ret)
		ret = vars_apply(vs, ports_of(ov));
	if (!ret)
		ret = vars_apply(vs, e->vars[prof]);
	if (!ret)
		ret = vars_apply(vs, s->vars);
	if (ret)
		return ret;
	if (ov && ov->duration && var_set(vs, "dur", 3, ov->duration, strlen(ov->duration)))
		return -ENOMEM;
	return 0;
}

static int points_push(struct exp_point **pts, size_t *n, const struct exp_point *pt)
{
	struct exp_point *grown = realloc(*pts, (*n + 1) * sizeof(**pts));

	if (!grown)
		return -ENOMEM;
	grown[(*n)++] = *pt;
	*pts = grown;
	return 0;
}

int exp_expand(const struct exp_def *e, enum exp_profile prof, int si,
	       const struct exp_overrides *ov, struct exp_point **pts, size_t *n, char *err,
	       size_t errlen)
{
	char vals[EXP_MAX_VALS][EXP_NAME];
	struct exp_point pt;
	struct vars vs;
	int ret;

	*pts = NULL;
	*n = 0;
	for (unsigned i = 0; i < e->nseries; i++) {
		const struct exp_series *s = &e->series[i];
		const char *sweep = s->sweep ? s->sweep : e->sweep[prof];
		unsigned nv;

		if ((si >= 0 && (unsigned)si != i) ||
		    (ov && ov->only && !strstr(s->name, ov->only)))
			continue;
		if (ov && ov->sizes && !strcmp(e->xvar, "size"))
			sweep = ov->sizes;
		nv = sweep_split(sweep, vals);
		for (unsigned k = 0; k < nv; k++) {
			ret = series_vars(e, s, prof, ov, &vs);
			if (!ret)
				ret = point_fill(e, s, &vs, vals[k], ov, &pt, err, errlen);
			if (!ret)
				ret = points_push(pts, n, &pt);
			if (ret) {
				free(*pts);
				*pts = NULL;
				*n = 0;
				return ret;
			}
		}
	}
	return 0;
}

/* ---- points.csv --------------------------------------------------------------------------- */

static const char *const outcome_names[] = {"measured", "skipped", "failed", "interrupted"};

const char *exp_outcome_name(enum exp_outcome o)
{
	return (unsigned)o < ARRAY_SIZE(outcome_names) ? outcome_names[o] : "failed";
}

static enum exp_outcome outcome_parse(const char *s)
{
	for (unsigned i = 0; i < ARRAY_SIZE(outcome_names); i++)
		if (!strcmp(s, outcome_names[i]))
			return (enum exp_outcome)i;
	return EXP_FAILED;
}

/* Writes s as a CSV cell (quoted when needed). */
static void csv_cell(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s == '\n' ? ' ' : *s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

#define POINTS_HEADER                                                                              \
	"trial,repeat,experiment,series,x,gen,dut,outcome,gen_rows,dut_rows,seconds,reason\n"

int exp_trials_write(void *fp, const struct exp_trial *t, size_t n)
{
	FILE *f = fp;

	fputs(POINTS_HEADER, f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%u,%u,", t[i].trial, t[i].repeat);
		csv_cell(f, t[i].experiment, false);
		csv_cell(f, t[i].series, false);
		csv_cell(f, t[i].x, false);
		csv_cell(f, t[i].gen, false);
		csv_cell(f, t[i].dut, false);
		fprintf(f, "%s,%u,%u,%.3f,", exp_outcome_name(t[i].outcome), t[i].gen_rows,
			t[i].dut_rows, t[i].seconds);
		csv_cell(f, t[i].reason, true);
	}
	return ferror(f) ? -EIO : 0;
}

/* Parses one points.csv line into t; returns 0 or -EINVAL. */
static int trial_parse(char *line, struct exp_trial *t)
{
	char *c[16];

	if (res_csv_split(line, c, ARRAY_SIZE(c)) < 12 || !isdigit((unsigned char)c[0][0]))
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->trial = (unsigned)strtoul(c[0], NULL, 10);
	t->repeat = (unsigned)strtoul(c[1], NULL, 10);
	snprintf(t->experiment, sizeof(t->experiment), "%s", c[2]);
	snprintf(t->series, sizeof(t->series), "%s", c[3]);
	snprintf(t->x, sizeof(t->x), "%s", c[4]);
	snprintf(t->gen, sizeof(t->gen), "%s", c[5]);
	snprintf(t->dut, sizeof(t->dut), "%s", c[6]);
	t->outcome = outcome_parse(c[7]);
	t->gen_rows = (unsigned)strtoul(c[8], NULL, 10);
	t->dut_rows = (unsigned)strtoul(c[9], NULL, 10);
	t->seconds = strtod(c[10], NULL);
	snprintf(t->reason, sizeof(t->reason), "%s", c[11]);
	return 0;
}

static int trials_load(const char *text, struct exp_results *r)
{
	char *copy = strdup(text), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct exp_trial t, *grown;

		if (trial_parse(line, &t))
			continue;
		grown = realloc(r->trials, (r->ntrials + 1) * sizeof(*grown));
		if (!grown) {
			free(copy);
			return -ENOMEM;
		}
		r->trials = grown;
		r->trials[r->ntrials++] = t;
	}
	free(copy);
	return 0;
}

/* ---- Reading a run directory -------------------------------------------------------------- */

static double meta_tsc_ghz(const char *dir)
{
	char path[PATH_MAX + 16];
	char *text, *p;
	double ghz = 0;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	text = res_read_text(path);
	if (!text)
		return 0;
	p = strstr(text, "\"tsc_ghz\":");
	if (p)
		ghz = strtod(p + 10, NULL);
	free(text);
	return ghz;
}

int exp_results_load(const char *dir, struct exp_results *r, char *err, size_t errlen)
{
	const char *names[] = {"results.csv", "points.csv"};
	char path[PATH_MAX + 16];
	int ret = 0;

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < ARRAY_SIZE(names) && !ret; i++) {
		char *text;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		text = res_read_text(path);
		if (!text) {
			ret = -errno;
			snprintf(err, errlen, "cannot read %s: %s (is %s a results directory?)",
				 path, strerror(errno), dir);
			break;
		}
		if (i == 0)
			ret = res_parse_rows(text, &r->rows, &r->nrows) < 0 ? -ENOMEM : 0;
		else
			ret = trials_load(text, r);
		free(text);
		if (ret)
			snprintf(err, errlen, "out of memory reading %s", path);
	}
	if (ret)
		exp_results_free(r);
	else
		r->tsc_ghz = meta_tsc_ghz(dir);
	return ret;
}

void exp_results_free(struct exp_results *r)
{
	free(r->rows);
	free(r->trials);
	memset(r, 0, sizeof(*r));
}

/* ---- Summaries ---------------------------------------------------------------------------- */

double exp_metric_value(const struct res_row *row, const struct exp_metric *m)
{
	double v;

	if (!strcmp(m->field, "loss_pct")) {
		double tx = res_value(row, "tx_pkts"), lost = res_value(row, "lost_pkts");

		if (tx <= 0 || lost < 0) /* not measured */
			return NAN;
		return 100 * lost / tx * m->scale;
	}
	if (!strcmp(m->field, "cpu_pct")) { /* over the generator's run, else the DUT's life */
		double w = res_value(row, "cpu_window_pct");
		double u = res_value(row, "cpu_user_s"), s = res_value(row, "cpu_sys_s");
		double d = res_value(row, "duration_s");

		if (w >= 0)
			return w * m->scale;
		if (u < 0 || s < 0 || d <= 0)
			return NAN;
		return 100 * (u + s) / d * m->scale;
	}
	v = res_value(row, m->field);
	return v < 0 ? NAN : v * m->scale;
}

/* The repeats of one point while they are gathered. */
struct group {
	struct exp_summary s;
	double vals[MAX_GROUP];
	enum res_status st[MAX_GROUP];
	unsigned nv;
};

static struct group *group_get(struct group **gs, size_t *n, const char *exp, const char *series,
			       const char *x)
{
	struct group *g;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*gs)[i].s.series, series) && !strcmp((*gs)[i].s.x, x))
			return &(*gs)[i];
	g = realloc(*gs, (*n + 1) * sizeof(**gs));
	if (!g)
		return NULL;
	*gs = g;
	g = &(*gs)[(*n)++];
	memset(g, 0, sizeof(*g));
	snprintf(g->s.experiment, sizeof(g->s.experiment), "%s", exp);
	snprintf(g->s.series, sizeof(g->s.series), "%s", series);
	snprintf(g->s.x, sizeof(g->s.x), "%s", x);
	return g;
}

static void group_add(struct group *g, double v, enum res_status st)
{
	if (g->nv < MAX_GROUP && !isnan(v)) {
		g->vals[g->nv] = v;
		g->st[g->nv++] = st;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of the values whose status is in the wanted class. */
static unsigned stats_of(const struct group *g, bool invalid, double *med, double *min, double *max)
{
	double v[MAX_GROUP];
	unsigned n = 0;

	for (unsigned i = 0; i < g->nv; i++)
		if ((g->st[i] == RES_INVALID) == invalid && g->st[i] != RES_ERROR)
			v[n++] = g->vals[i];
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*min = v[0];
	*max = v[n - 1];
	return n;
}

int exp_flag(unsigned n, unsigned genbound, unsigned undecided)
{
	if (!n)
		return -1;
	if (!genbound && !undecided)
		return 0;
	if (genbound == n)
		return 1;
	return 3;
}

static void group_finish(struct group *g)
{
	struct exp_summary *s = &g->s;

	s->med = s->min = s->max = NAN;
	s->flag = -1;
	for (unsigned i = 0; i < g->nv; i++) {
		s->genbound += g->st[i] == RES_GENERATOR_BOUND;
		s->undecided += g->st[i] == RES_UNDECIDED;
		s->invalid += g->st[i] == RES_INVALID;
	}
	s->n = stats_of(g, false, &s->med, &s->min, &s->max);
	if (s->n)
		s->flag = exp_flag(s->n, s->genbound, s->undecided);
	else if (stats_of(g, true, &s->med, &s->min, &s->max))
		s->flag = 2;
}

const char *exp_row_label(const struct res_row *row)
{
	const char *colon = strchr(row->experiment, ':');

	return colon ? colon + 1 : "";
}

/* Returns true when row belongs to trial t in role dut (the DUT's row) or not (the
 * generator's), with the label metric m asks for. */
static bool row_of(const struct res_row *row, const struct exp_trial *t, bool dut,
		   const struct exp_metric *m)
{
	bool is_dut = t->dut[0] && !strcmp(row->program, t->dut);
	size_t n = strlen(t->experiment);

	if (row->trial != t->trial || strncmp(row->experiment, t->experiment, n) ||
	    (row->experiment[n] && row->experiment[n] != ':') || is_dut != dut)
		return false;
	return !m || !m->rows || !strcmp(exp_row_label(row), m->rows);
}

/* Finds the row of a trial that metric m reads: the DUT's, or the generator's last one (or
 * with lossfree_max its zero-loss row of the highest offered rate). When the trial has no row
 * with the label m->rows asks for, the last row of the role is read instead. */
static const struct res_row *trial_row(const struct exp_results *r, const struct exp_trial *t,
				       const struct exp_metric *m)
{
	const struct res_row *found = NULL, *last = NULL;
	bool labelled = false;

	for (size_t i = 0; i < r->nrows; i++) {
		if (row_of(&r->rows[i], t, m->dut, NULL))
			last = &r->rows[i];
		labelled |= m->rows && row_of(&r->rows[i], t, m->dut, m);
	}
	if (!labelled)
		return last;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct res_row *row = &r->rows[i];

		if (!row_of(row, t, m->dut, m))
			continue;
		if (!m->lossfree_max)
			found = row;
		else if (row->lost_pkts == 0 && row->status != RES_INVALID &&
			 row->status != RES_ERROR &&
			 (!found || row->offered_pps > found->offered_pps))
			found = row;
	}
	return found;
}

/* Returns the verdict of trial t for metric m: the generator's row's status (the DUT cannot
 * tell its own limit from the generator's, so its rows carry the generator's verdict). */
static enum res_status trial_status(const struct exp_results *r, const struct exp_trial *t,
				    const struct exp_metric *m, const struct res_row *row)
{
	struct exp_metric gen_m = *m;
	const struct res_row *gen;

	if (!m->dut)
		return row->status;
	gen_m.dut = false;
	gen_m.lossfree_max = false;
	gen = trial_row(r, t, &gen_m);
	if (!gen || row->status == RES_ERROR || row->status == RES_INVALID)
		return row->status;
	return gen->status;
}

/* Adds a trial whose generator printed one row per x (xfield). */
static int add_multi(struct group **gs, size_t *n, const struct exp_results *r,
		     const struct exp_trial *t, const char *xfield, const struct exp_metric *m)
{
	struct exp_metric dut_m = *m;
	const struct res_row *dut;

	dut_m.dut = true;
	dut = trial_row(r, t, &dut_m);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct res_row *row = &r->rows[i];
		char x[EXP_NAME];
		struct group *g;

		if (!row_of(row, t, false, m))
			continue;
		snprintf(x, sizeof(x), "%g", res_value(row, xfield));
		g = group_get(gs, n, t->experiment, t->series, x);
		if (!g)
			return -ENOMEM;
		if (m->dut) /* the DUT's row carries this x's verdict */
			group_add(g, dut ? exp_metric_value(dut, m) : NAN,
				  dut && dut->status != RES_OK ? dut->status : row->status);
		else
			group_add(g, exp_metric_value(row, m), row->status);
	}
	return 0;
}

static const struct exp_series *series_find(const struct exp_def *e, const char *name)
{
	for (unsigned i = 0; i < e->nseries; i++)
		if (!strcmp(e->series[i].name, name))
			return &e->series[i];
	return NULL;
}

/* Adds one trial to its point's group. */
static int add_trial(struct group **gs, size_t *n, const struct exp_results *r,
		     const struct exp_def *e, const struct exp_trial *t, const struct exp_metric *m)
{
	const struct exp_series *s = series_find(e, t->series);
	const struct res_row *row;
	struct group *g;

	if (s && s->xfield && t->outcome == EXP_MEASURED)
		return add_multi(gs, n, r, t, s->xfield, m);
	g = group_get(gs, n, t->experiment, t->series, t->x);
	if (!g)
		return -ENOMEM;
	if (t->outcome != EXP_MEASURED) {
		g->s.skipped += t->outcome == EXP_SKIPPED;
		g->s.failed += t->outcome != EXP_SKIPPED;
		if (!g->s.reason[0])
			snprintf(g->s.reason, sizeof(g->s.reason), "%s", t->reason);
		return 0;
	}
	row = trial_row(r, t, m);
	if (row)
		group_add(g, exp_metric_value(row, m), trial_status(r, t, m, row));
	else if (!g->s.reason[0])
		snprintf(g->s.reason, sizeof(g->s.reason), "%s",
			 m->lossfree_max ? "no trial without loss (no NDR found)"
					 : "the program printed no such row");
	return 0;
}

int exp_summarize(const struct exp_results *r, const struct exp_def *e, const char *only,
		  const struct exp_metric *m, struct exp_summary **out)
{
	struct group *gs = NULL;
	size_t n = 0;

	*out = NULL;
	for (size_t i = 0; i < r->ntrials; i++) {
		const struct exp_trial *t = &r->trials[i];

		if (strcmp(t->experiment, e->name) || (only && !strstr(t->series, only)))
			continue;
		if (add_trial(&gs, &n, r, e, t, m)) {
			free(gs);
			return -ENOMEM;
		}
	}
	if (n) {
		*out = malloc(n * sizeof(**out));
		if (!*out) {
			free(gs);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		group_finish(&gs[i]);
		(*out)[i] = gs[i].s;
	}
	free(gs);
	return (int)n;
}
