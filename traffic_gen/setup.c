// SPDX-License-Identifier: MIT
/*
 * setup.c: from options to a configuration the engines can use, with every bad input turned
 * into one clear line and its named exit code before anything is sent: not root (3), a
 * missing namespace or interface (4, with the 'linerate topo up' hint), no free huge page
 * (4), a frame size above the interface's MTU + 18 or a rate above line rate (2). Defaults
 * come from the lr- topology (common/topo_defs.h): the destination MAC is the TX interface's
 * peer, the addresses are the interfaces' own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_dpdk.h"
#include "io_xdp.h"
#include "log.h"
#include "lr.h"
#include "mem.h"
#include "netns.h"
#include "rate.h"
#include "tgen.h"
#include "topo_defs.h"

#define ETH_OVERHEAD 18 /* Ethernet header and FCS around an MTU-sized packet */

/* What setup learns about one interface. */
struct ifinfo {
	bool found;
	unsigned mtu;
	uint8_t mac[PKT_ETH_ALEN];
	bool has_ip;
	uint32_t ip; /* host order */
};

static void if_query(int fd, const char *dev, struct ifinfo *info)
{
	struct ifreq ifr = {0};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		return;
	info->found = true;
	info->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(info->mac, ifr.ifr_hwaddr.sa_data, PKT_ETH_ALEN);
	ifr.ifr_addr.sa_family = AF_INET;
	if (ioctl(fd, SIOCGIFADDR, &ifr) == 0) {
		info->has_ip = true;
		info->ip = ntohl(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr);
	}
}

/* Looks dev up in namespace ns; returns 0 (info->found says whether it exists) or -errno. */
static int if_lookup(const char *ns, const char *dev, struct ifinfo *info)
{
	int saved, fd, ret;

	memset(info, 0, sizeof(*info));
	if (strlen(dev) >= IFNAMSIZ)
		return 0;
	ret = netns_enter(ns, &saved);
	if (ret)
		return ret;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if_query(fd, dev, info);
		close(fd);
	}
	ret = fd < 0 ? -errno : 0;
	if (netns_leave(saved) < 0 && !ret)
		ret = -EIO;
	return ret;
}

static const char *ns_text(const char *ns, char *buf, size_t len)
{
	if (ns && ns[0])
		snprintf(buf, len, "netns %s", ns);
	else
		snprintf(buf, len, "the current netns");
	return buf;
}

/* Checks one side's namespace and interface; returns an exit code. */
static int side_check(const char *what, const char *ns, const char *dev, struct ifinfo *info)
{
	char nsb[80];
	int ret;

	if (!netns_exists(ns)) {
		pr_err("--%s-netns: network namespace %s does not exist (run 'linerate topo up' "
		       "first, or give --%s-netns '' for the current one)",
		       what, ns, what);
		return LR_EXIT_ENV;
	}
	ret = if_lookup(ns, dev, info);
	if (ret) {
		pr_err("cannot enter %s to look up %s: %s", ns_text(ns, nsb, sizeof(nsb)), dev,
		       strerror(-ret));
		return ret == -EPERM ? LR_EXIT_NOPERM : LR_EXIT_ENV;
	}
	if (!info->found) {
		pr_err("--%s-dev: interface %s not found in %s (%s)", what, dev,
		       ns_text(ns, nsb, sizeof(nsb)),
		       !strncmp(dev, "lr-", 3) ? "run 'linerate topo up' first"
					       : "check 'ip link' there");
		return LR_EXIT_ENV;
	}
	return LR_EXIT_OK;
}

/* The MAC of dev's peer in the lr- topology, or NULL when dev is not a topology link end. */
static const char *topo_peer_mac(const char *dev)
{
	for (unsigned i = 0; i < ARRAY_SIZE(topo_links); i++) {
		if (!strcmp(topo_links[i].a.ifname, dev))
			return topo_links[i].b.mac;
		if (!strcmp(topo_links[i].b.ifname, dev))
			return topo_links[i].a.mac;
	}
	return NULL;
}

/* Needs root: namespaces, AF_PACKET and DPDK all do; a sock run in the current one does not. */
static int root_check(const struct tgen_cfg *cfg)
{
	bool ns = (cfg->tx_netns && cfg->tx_netns[0]) || (cfg->rx_netns && cfg->rx_netns[0]);

	if (geteuid() == 0 || (cfg->engine == TGEN_ENGINE_SOCK && !ns))
		return LR_EXIT_OK;
	pr_err("needs root to %s (run it as root, e.g. with sudo)",
	       cfg->engine == TGEN_ENGINE_SOCK  ? "enter the network namespaces"
	       : cfg->engine == TGEN_ENGINE_AFP ? "open AF_PACKET sockets and enter namespaces"
	       : cfg->engine == TGEN_ENGINE_XDP
		       ? "open AF_XDP sockets, load XDP programs and enter namespaces"
		       : "run DPDK and enter namespaces");
	return LR_EXIT_NOPERM;
}

/* Parses a duration option that also takes "off" or "0" (meaning none). */
static int dur_opt(const char *name, const char *val, uint64_t *ns)
{
	char err[CLI_ERR_LEN];

	if (!strcmp(val, "off") || !strcmp(val, "0")) {
		*ns = 0;
		return 0;
	}
	if (cli_parse_duration(val, ns, err, sizeof(err))) {
		pr_err("--%s: %s, or 'off'", name, err);
		return -EINVAL;
	}
	return 0;
}

/* The options of one engine given to another: a message naming the fix, or NULL. The xdp
 * knobs count as given when they differ from their defaults (native, auto, on), the afp and
 * dpdk ones likewise (--tx auto, --tpacket v2, --pmd af_packet change nothing anywhere). */
static const char *foreign_option(const struct tgen_cfg *cfg)
{
	if (cfg->engine != TGEN_ENGINE_XDP) {
		if (cfg->xdp_attach != AXDP_NATIVE)
			return "--xdp-mode is the xdp engine's: add --engine xdp or drop "
			       "--xdp-mode";
		if (cfg->xdp_copy != AXDP_COPY_AUTO)
			return "--copy is the xdp engine's: add --engine xdp or drop --copy";
		if (!cfg->xdp_need_wakeup)
			return "--need-wakeup is the xdp engine's: add --engine xdp or drop "
			       "--need-wakeup";
		return NULL;
	}
	if (cfg->afp_tx != TGEN_AFP_TX_AUTO)
		return "--tx picks the afp engine's transmit path; the xdp engine sends through "
		       "its AF_XDP TX ring: drop --tx, or use --engine afp";
	if (cfg->afp_tpacket != 2)
		return "--tpacket picks the afp engine's receive ring; the xdp engine receives "
		       "through its AF_XDP RX ring: drop --tpacket, or use --engine afp";
	if (cfg->tx_port || cfg->rx_port)
		return "--tx-port and --rx-port name DPDK ports; the xdp engine opens --tx-dev and "
		       "--rx-dev (--rx-dev none: no receiver), or use --engine dpdk";
	if (cfg->dpdk_pmd != DPDK_PMD_AF_PACKET)
		return "--pmd picks the dpdk engine's driver; --engine xdp is AF_XDP itself (or "
		       "use --engine dpdk --pmd af_xdp for DPDK's AF_XDP PMD)";
	return NULL;
}

/* The xdp engine's limits: a ring of a power of two entries, a frame in one UMEM chunk
 * (4096 B) behind the kernel's XDP headroom. Returns an exit code. */
static int xdp_check(const struct tgen_cfg *cfg)
{
	const unsigned max = 4096 - AXDP_HEADROOM + 4; /* wire bytes: FCS included */
	unsigned long r = (unsigned long)cfg->afp_ring;

	if (cfg->engine != TGEN_ENGINE_XDP)
		return LR_EXIT_OK;
	if (r > 16384 || (r & (r - 1))) {
		pr_err("--ring-frames: the xdp engine's AF_XDP rings take a power of two in "
		       "64..16384, not %lu",
		       r);
		return LR_EXIT_USAGE;
	}
	for (unsigned i = 0; i < cfg->sizes.n; i++) {
		if (cfg->sizes.v[i] <= max)
			continue;
		pr_err("--size: %u B is above what the xdp engine's UMEM chunk holds (%u B: 4096 "
		       "less %u B of XDP headroom, plus the FCS); lower --size or use --engine afp",
		       cfg->sizes.v[i], max, AXDP_HEADROOM);
		return LR_EXIT_USAGE;
	}
	return LR_EXIT_OK;
}

/* Checks the options that do not depend on the interfaces; returns an exit code. */
static int options_check(struct tgen_cfg *cfg)
{
	long per_ip = (cfg->flows + cfg->src_ips - 1) / cfg->src_ips;

	if (dur_opt("ramp", cfg->ramp, &cfg->ramp_ns) ||
	    dur_opt("drain", cfg->drain, &cfg->drain_ns) ||
	    dur_opt("quiet", cfg->quiet, &cfg->quiet_ns))
		return LR_EXIT_USAGE;
	if (cfg->count > 0)
		cfg->duration_ns = 0; /* --count decides */
	cfg->rx_on =
		strcmp(cfg->rx_dev, "none") && !(cfg->rx_port && !strcmp(cfg->rx_port, "none"));
	if (cfg->engine == TGEN_ENGINE_SOCK && cfg->flows > TGEN_SOCK_MAX_FLOWS) {
		pr_err("--flows: %ld flows with --engine sock (one socket each: at most %d)",
		       cfg->flows, TGEN_SOCK_MAX_FLOWS);
		return LR_EXIT_USAGE;
	}
	if (foreign_option(cfg)) {
		pr_err("%s", foreign_option(cfg));
		return LR_EXIT_USAGE;
	}
	if (cfg->engine == TGEN_ENGINE_SOCK && cfg->src_ips > 1) {
		pr_err("--src-ips: a UDP socket sends from one address; vary the source address "
		       "with --engine afp, dpdk or xdp");
		return LR_EXIT_USAGE;
	}
	if (cfg->src_port + per_ip - 1 > 65535) {
		pr_err("--flows: %ld flows over %ld address(es) need source ports %ld..%ld, above "
		       "65535 (lower --src-port or raise --src-ips)",
		       cfg->flows, cfg->src_ips, cfg->src_port, cfg->src_port + per_ip - 1);
		return LR_EXIT_USAGE;
	}
	if (cfg->eal_argc > 1 && cfg->engine != TGEN_ENGINE_DPDK) {
		pr_err("EAL arguments given (before '--' or with --eal) but the engine is %s; add "
		       "--engine dpdk",
		       tgen_engine_name(cfg->engine));
		return LR_EXIT_USAGE;
	}
	if (cfg->pcap_in && cfg->engine == TGEN_ENGINE_SOCK) {
		pr_err("--pcap-in sends whole frames: use --engine afp, dpdk or xdp");
		return LR_EXIT_USAGE;
	}
	if (cfg->pcap_out && cfg->engine == TGEN_ENGINE_SOCK) {
		pr_err("--pcap-out keeps whole frames: use --engine afp, dpdk or xdp (sock "
		       "receives payloads only)");
		return LR_EXIT_USAGE;
	}
	return xdp_check(cfg);
}

/* Refuses a pps or bit rate above line rate for any of the sizes. */
static int rate_check(const struct tgen_cfg *cfg)
{
	char link[16];

	if (cfg->rate.kind != CLI_RATE_PPS && cfg->rate.kind != CLI_RATE_BPS)
		return LR_EXIT_OK;
	for (unsigned i = 0; i < cfg->sizes.n; i++) {
		double line = rate_pps(cfg->sizes.v[i], cfg->link_bps);
		double want = cli_rate_pps(&cfg->rate, cfg->sizes.v[i], cfg->link_bps);

		if (want <= line * 1.000001)
			continue;
		pr_err("--rate: %.0f pps is above line rate for %u B frames on a %s link (%.0f "
		       "pps); lower --rate or give the real speed with --link",
		       want, cfg->sizes.v[i], rate_link_name(cfg->link_bps, link, sizeof(link)),
		       line);
		return LR_EXIT_USAGE;
	}
	return LR_EXIT_OK;
}

/* Refuses frame sizes the TX interface cannot carry. */
static int size_check(const struct tgen_cfg *cfg)
{
	for (unsigned i = 0; cfg->mtu && i < cfg->sizes.n; i++) {
		if (cfg->sizes.v[i] <= cfg->mtu + ETH_OVERHEAD)
			continue;
		pr_err("--size: %u B is above what %s carries (MTU %u + %d = %u B); lower --size "
		       "or raise the MTU",
		       cfg->sizes.v[i], cfg->tx_dev, cfg->mtu, ETH_OVERHEAD,
		       cfg->mtu + ETH_OVERHEAD);
		return LR_EXIT_USAGE;
	}
	return LR_EXIT_OK;
}

/* True when the engine opens the TX (or RX) side through an interface name. */
/* Whether a side names a kernel interface (--tx-dev/--rx-dev) to check: every engine but
 * dpdk, and dpdk on no port or on a PMD over a kernel interface. */
static bool uses_dev(const struct tgen_cfg *cfg, const char *port)
{
	return cfg->engine != TGEN_ENGINE_DPDK || !port || dpdk_devargs_on_iface(port);
}

static int ip_opt(const char *name, const char *val, uint32_t *ip)
{
	if (pkt_ip_parse(val, ip)) {
		pr_err("--%s: '%s' is not an IPv4 address (accepted: dotted quad, e.g. 198.18.1.1)",
		       name, val);
		return -EINVAL;
	}
	return 0;
}

/* Addresses: given ones, else the interfaces', else the topology's. */
static int addr_setup(struct tgen_cfg *cfg, const struct ifinfo *tx, const struct ifinfo *rx)
{
	const char *peer = cfg->tx_dev ? topo_peer_mac(cfg->tx_dev) : NULL;
	const char *dmac = cfg->dst_mac ? cfg->dst_mac : peer;

	if (cfg->src_ip ? ip_opt("src-ip", cfg->src_ip, &cfg->src_ip_h) != 0 : 0)
		return LR_EXIT_USAGE;
	if (!cfg->src_ip)
		cfg->src_ip_h = tx->has_ip ? tx->ip : ntohl(inet_addr(TOPO_IP_G0));
	if (cfg->dst_ip ? ip_opt("dst-ip", cfg->dst_ip, &cfg->dst_ip_h) != 0 : 0)
		return LR_EXIT_USAGE;
	if (!cfg->dst_ip)
		cfg->dst_ip_h = rx->has_ip ? rx->ip : ntohl(inet_addr(TOPO_IP_K1));
	if (cfg->src_mac && pkt_mac_parse(cfg->src_mac, cfg->src_mac_b)) {
		pr_err("--src-mac: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", cfg->src_mac);
		return LR_EXIT_USAGE;
	}
	if (!cfg->src_mac && tx->found)
		memcpy(cfg->src_mac_b, tx->mac, PKT_ETH_ALEN);
	else if (!cfg->src_mac)
		pkt_mac_parse(TOPO_MAC_G0, cfg->src_mac_b);
	if (!dmac && cfg->engine != TGEN_ENGINE_SOCK && !cfg->tx_port) {
		pr_err("--dst-mac is needed: %s is not part of the lr- topology, so its peer's MAC "
		       "is unknown",
		       cfg->tx_dev);
		return LR_EXIT_USAGE;
	}
	if (pkt_mac_parse(dmac ? dmac : TOPO_MAC_D0, cfg->dst_mac_b)) {
		pr_err("--dst-mac: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", dmac);
		return LR_EXIT_USAGE;
	}
	return LR_EXIT_OK;
}

/* Huge pages asked for must exist. */
static int huge_check(const struct tgen_cfg *cfg)
{
	struct mem_huge_info hi;

	if (!cfg->hugepages || mem_huge_info(&hi) < 0 || hi.free > 0)
		return LR_EXIT_OK;
	pr_err("--hugepages on, but no huge page is free (%lu reserved): reserve some with "
	       "'linerate topo up --hugepages 512' or use --hugepages off",
	       hi.total);
	return LR_EXIT_ENV;
}

int tgen_setup(struct tgen_cfg *cfg)
{
	struct ifinfo tx = {0}, rx = {0};
	int ret;

	ret = options_check(cfg);
	if (ret == LR_EXIT_OK)
		ret = root_check(cfg);
	if (ret == LR_EXIT_OK && uses_dev(cfg, cfg->tx_port))
		ret = side_check("tx", cfg->tx_netns, cfg->tx_dev, &tx);
	if (ret == LR_EXIT_OK && cfg->rx_on && uses_dev(cfg, cfg->rx_port))
		ret = side_check("rx", cfg->rx_netns, cfg->rx_dev, &rx);
	if (ret != LR_EXIT_OK)
		return ret;
	cfg->mtu = tx.found ? tx.mtu : 0;
	ret = size_check(cfg);
	if (ret == LR_EXIT_OK)
		ret = rate_check(cfg);
	if (ret == LR_EXIT_OK)
		ret = addr_setup(cfg, &tx, &rx);
	if (ret == LR_EXIT_OK)
		ret = huge_check(cfg);
	return ret;
}
