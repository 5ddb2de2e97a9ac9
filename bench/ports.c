// SPDX-License-Identifier: MIT
/*
 * ports.c: reading a ports profile (docs/ports.md) and turning it into the template variables
 * of the experiments. A profile is "key = value" lines; '#' starts a comment. Every error names
 * the file, the line and what to write instead.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lr.h"
#include "pkt.h"
#include "ports.h"
#include "topo_defs.h"

static const char *const role_names[PORTS_NROLES] = {"g0", "d0", "d1", "k1"};

const char *ports_role_name(enum ports_role r)
{
	return role_names[r];
}

static void end_set(struct ports_end *e, const char *ifname, const char *ns, const char *ip,
		    const char *mac)
{
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	snprintf(e->ns, sizeof(e->ns), "%s", ns);
	snprintf(e->ip, sizeof(e->ip), "%s", ip);
	snprintf(e->mac, sizeof(e->mac), "%s", mac);
	e->dpdk[0] = '\0';
}

void ports_default(struct ports *p)
{
	memset(p, 0, sizeof(*p));
	end_set(&p->end[PORTS_G0], TOPO_IF_G0, TOPO_NS_GEN, TOPO_IP_G0, TOPO_MAC_G0);
	end_set(&p->end[PORTS_D0], TOPO_IF_D0, TOPO_NS_DUT, TOPO_IP_D0, TOPO_MAC_D0);
	end_set(&p->end[PORTS_D1], TOPO_IF_D1, TOPO_NS_DUT, TOPO_IP_D1, TOPO_MAC_D1);
	end_set(&p->end[PORTS_K1], TOPO_IF_K1, TOPO_NS_SINK, TOPO_IP_K1, TOPO_MAC_K1);
	snprintf(p->echo_ip, sizeof(p->echo_ip), "%s", TOPO_IP_ECHO);
}

bool ports_dut_is_lr(const struct ports *p)
{
	struct ports lr;

	ports_default(&lr);
	for (int r = PORTS_D0; r <= PORTS_D1; r++)
		if (strcmp(p->end[r].ifname, lr.end[r].ifname) ||
		    strcmp(p->end[r].ns, lr.end[r].ns) || p->end[r].dpdk[0])
			return false;
	return true;
}

/* ---- Reading ------------------------------------------------------------------------------ */

enum field {
	F_IF,
	F_NS,
	F_IP,
	F_MAC,
	F_DPDK,
	F_NFIELDS
};
static const char *const field_names[F_NFIELDS] = {"if", "ns", "ip", "mac", "dpdk"};

struct reader {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
	bool seen[PORTS_NROLES][F_NFIELDS], seen_topology, seen_echo;
};

static int fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct reader *r, const char *fmt, ...)
{
	int n = r->line ? snprintf(r->err, r->errlen, "%s:%u: ", r->path, r->line)
			: snprintf(r->err, r->errlen, "%s: ", r->path);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A name the tools take as one argument: letters, digits and . _ - : (and / for a namespace
 * never, as ip netns names are file names). */
static bool plain_word(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s) &&
		    !(extra && strchr(extra, *s)))
			return false;
	return true;
}

static int copy_value(struct reader *r, char *dst, size_t len, const char *key, const char *v)
{
	if (strlen(v) >= len)
		return fail(r, "%s: '%s' is longer than %zu characters", key, v, len - 1);
	snprintf(dst, len, "%s", v);
	return 0;
}

static int set_field(struct reader *r, struct ports_end *e, enum ports_role role, enum field f,
		     const char *key, const char *v)
{
	struct in_addr a;
	uint8_t mac[PKT_ETH_ALEN];

	switch (f) {
	case F_IF:
		if (!*v || !plain_word(v, NULL))
			return fail(r, "%s: '%s' is not an interface name (letters, digits, . _ -)",
				    key, v);
		return copy_value(r, e->ifname, sizeof(e->ifname), key, v);
	case F_NS:
		if (!plain_word(v, NULL))
			return fail(r,
				    "%s: '%s' is not a namespace name (letters, digits, . _ -; "
				    "\"\" for the namespace bench runs in)",
				    key, v);
		return copy_value(r, e->ns, sizeof(e->ns), key, v);
	case F_IP:
		if (inet_pton(AF_INET, v, &a) != 1)
			return fail(r, "%s: '%s' is not an IPv4 address (e.g. 198.18.0.1)", key, v);
		return copy_value(r, e->ip, sizeof(e->ip), key, v);
	case F_MAC:
		if (pkt_mac_parse(v, mac))
			return fail(r, "%s: '%s' is not a MAC address (e.g. 02:00:00:00:00:01)",
				    key, v);
		return copy_value(r, e->mac, sizeof(e->mac), key, v);
	case F_DPDK:
		if (role != PORTS_D0 && role != PORTS_D1)
			return fail(r,
				    "%s: only the DUT's ports (d0.dpdk, d1.dpdk) take DPDK "
				    "devargs; the generator's ports are interfaces",
				    key);
		if (!*v || !plain_word(v, ",=:/"))
			return fail(r, "%s: '%s' is not DPDK devargs (e.g. 0000:01:00.0)", key, v);
		return copy_value(r, e->dpdk, sizeof(e->dpdk), key, v);
	default:
		return fail(r, "%s: unknown field", key);
	}
}

static int set_key(struct reader *r, struct ports *p, const char *key, const char *v)
{
	char role[8], field[8];
	int n = 0;

	if (!strcmp(key, "topology")) {
		if (r->seen_topology)
			return fail(r, "topology is set twice");
		r->seen_topology = true;
		if (strcmp(v, "lr") && strcmp(v, "existing"))
			return fail(r,
				    "topology: '%s' is neither 'lr' (bench builds the lr- veth "
				    "topology) nor 'existing' (the ports exist already)",
				    v);
		p->existing = !strcmp(v, "existing");
		return 0;
	}
	if (!strcmp(key, "echo.ip")) {
		struct in_addr a;

		if (r->seen_echo)
			return fail(r, "echo.ip is set twice");
		r->seen_echo = true;
		if (inet_pton(AF_INET, v, &a) != 1)
			return fail(r, "echo.ip: '%s' is not an IPv4 address", v);
		return copy_value(r, p->echo_ip, sizeof(p->echo_ip), key, v);
	}
	if (sscanf(key, "%7[a-z0-9].%7[a-z]%n", role, field, &n) == 2 && !key[n])
		for (int ro = 0; ro < PORTS_NROLES; ro++)
			for (int f = 0; f < F_NFIELDS; f++)
				if (!strcmp(role, role_names[ro]) &&
				    !strcmp(field, field_names[f])) {
					if (r->seen[ro][f])
						return fail(r, "%s is set twice", key);
					r->seen[ro][f] = true;
					return set_field(r, &p->end[ro], (enum ports_role)ro,
							 (enum field)f, key, v);
				}
	return fail(r,
		    "unknown key '%s' (accepted: topology, echo.ip, and ROLE.FIELD with ROLE "
		    "g0, d0, d1 or k1 and FIELD if, ns, ip, mac; d0.dpdk and d1.dpdk)",
		    key);
}

/* Splits "key = value  # comment" in place; value "" (two quotes) is the empty value.
 * Returns 0 (nothing on the line), 1 (key and value) or -1. */
static int split_line(struct reader *r, char *s, char **key, char **val)
{
	char *eq, *end;

	s[strcspn(s, "#\r\n")] = '\0';
	s += strspn(s, " \t");
	for (end = s + strlen(s); end > s && isspace((unsigned char)end[-1]);)
		*--end = '\0';
	if (!*s)
		return 0;
	eq = strchr(s, '=');
	if (!eq)
		return fail(r, "'%s' is not 'key = value'", s);
	*val = eq + 1 + strspn(eq + 1, " \t");
	for (end = eq; end > s && isspace((unsigned char)end[-1]);)
		end--;
	*end = '\0';
	*key = s;
	if (!strcmp(*val, "\"\"") || !strcmp(*val, "''"))
		**val = '\0';
	if (strpbrk(*val, " \t'\"{}"))
		return fail(r,
			    "%s: '%s' holds a blank, a quote or a brace; values are one word "
			    "(\"\" for an empty one)",
			    *key, *val);
	return 1;
}

/* What "topology = existing" needs, and what the forwarders can do. */
static int check(struct reader *r, const struct ports *p)
{
	r->line = 0;
	for (int ro = 0; p->existing && ro < PORTS_NROLES; ro++)
		for (int f = F_IF; f <= F_MAC; f++)
			if (!r->seen[ro][f])
				return fail(r,
					    "%s.%s is missing: with topology = existing every "
					    "port's if, ns, ip and mac must be given (the "
					    "lr- values are only right for the lr- topology)",
					    role_names[ro], field_names[f]);
	if (!p->existing)
		for (int ro = 0; ro < PORTS_NROLES; ro++)
			for (int f = 0; f < F_NFIELDS; f++)
				if (r->seen[ro][f] && f == F_DPDK)
					return fail(r,
						    "%s.dpdk needs topology = existing (with "
						    "topology = lr the ports are lr- veths)",
						    role_names[ro]);
	if (!p->existing) {
		struct ports lr;

		ports_default(&lr);
		for (int ro = 0; ro < PORTS_NROLES; ro++)
			if (memcmp(&lr.end[ro], &p->end[ro], sizeof(lr.end[ro])))
				return fail(r,
					    "%s: with topology = lr the ports are the lr- links "
					    "bench builds: give %s the lr- values or leave its "
					    "keys out, or set topology = existing for other ports",
					    role_names[ro], role_names[ro]);
	}
	if (strcmp(p->end[PORTS_D0].ns, p->end[PORTS_D1].ns))
		return fail(r,
			    "d0.ns '%s' and d1.ns '%s' differ: a forwarder runs in one "
			    "namespace, so both DUT ports must be in it",
			    p->end[PORTS_D0].ns, p->end[PORTS_D1].ns);
	if (!p->end[PORTS_D0].dpdk[0] != !p->end[PORTS_D1].dpdk[0])
		return fail(r, "d0.dpdk and d1.dpdk go together: give both or neither");
	return 0;
}

int ports_load(const char *path, struct ports *p, char *err, size_t errlen)
{
	struct reader r = {path, 0, err, errlen, {{false}}, false, false};
	FILE *f = fopen(path, "re");
	char line[512], *key = NULL, *val = NULL;
	int ret = 0;

	ports_default(p);
	if (!f) {
		fail(&r, "cannot read it: %s (a ports profile: see docs/ports.md)",
		     strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		r.line++;
		ret = split_line(&r, line, &key, &val);
		if (ret == 1)
			ret = set_key(&r, p, key, val);
	}
	fclose(f);
	if (ret)
		return -1;
	if (!r.seen_topology)
		p->existing = true;
	return check(&r, p);
}

/* ---- Template variables ------------------------------------------------------------------- */

const char *ports_vars(const struct ports *p, char *buf, size_t len)
{
	const struct ports_end *d0 = &p->end[PORTS_D0], *d1 = &p->end[PORTS_D1];
	size_t used = 0;

	buf[0] = '\0';
	for (int ro = 0; ro < PORTS_NROLES; ro++) {
		const struct ports_end *e = &p->end[ro];
		const char *n = role_names[ro];

		used += (size_t)snprintf(buf + used, len - used,
					 "%s=%s %sns='%s' %sip=%s %smac=%s ", n, e->ifname, n,
					 e->ns, n, e->ip, n, e->mac);
		if (used >= len)
			return buf;
	}
	/* fwd-dpdk's and echo-dpdk's ports: the veths through --pmd, or the DPDK devices */
	if (d0->dpdk[0])
		snprintf(
			buf + used, len - used,
			"echoip=%s dpdkports='--in-port %s --out-port %s' dpdkdev='--dpdk-port %s'",
			p->echo_ip, d0->dpdk, d1->dpdk, d0->dpdk);
	else
		snprintf(buf + used, len - used,
			 "echoip=%s dpdkports='--in {d0} --out {d1} --netns={d0ns}' "
			 "dpdkdev='--dev {d0} --netns={d0ns}'",
			 p->echo_ip);
	return buf;
}
