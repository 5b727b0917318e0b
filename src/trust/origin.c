/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * origin.c - origin level names and relay networks.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trust/origin.h"

#define BM_ORIGIN_NET_MAX 64      /* printable network with prefix */

static const char *const origin_names[ORIGIN_COUNT] = {
	[ORIGIN_UNALIGNED] = "unaligned",
	[ORIGIN_ALIGNED] = "aligned",
	[ORIGIN_TRUSTED] = "trusted",
	[ORIGIN_SIGNED] = "signed",
};

const char *origin_name(enum origin_level l)
{
	return (unsigned)l < ORIGIN_COUNT ? origin_names[l] : "unaligned";
}

enum origin_level origin_parse(const char *s)
{
	for (unsigned i = 0; s != NULL && i < ORIGIN_COUNT; i++)
		if (strcasecmp(s, origin_names[i]) == 0)
			return (enum origin_level)i;
	return ORIGIN_COUNT;
}

struct origin_net {
	int family;
	unsigned char addr[16];
	unsigned prefix;
};

static bool origin_net_parse(const char *s, struct origin_net *n)
{
	char buf[BM_ORIGIN_NET_MAX];
	char *slash;
	size_t len, bytes;
	unsigned max;

	if (s == NULL)
		return false;
	len = strlen(s);
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else {
		return false;
	}
	n->prefix = max;
	if (slash) {
		const char *p = slash + 1;
		unsigned v = 0;
		if (*p == '\0' || strlen(p) > 3)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > max)
			return false;
		n->prefix = v;
	}
	/* Host bits must be zero: "10.0.0.1/8" is a typo, not a network. */
	bytes = max / 8;
	for (size_t i = 0; i < bytes; i++) {
		unsigned bit0 = (unsigned)i * 8;
		unsigned char mask;
		if (bit0 + 8 <= n->prefix)
			mask = 0xff;
		else if (bit0 >= n->prefix)
			mask = 0;
		else
			mask = (unsigned char)(0xff << (8 - (n->prefix - bit0)));
		if (n->addr[i] & (unsigned char)~mask)
			return false;
	}
	return true;
}

bool origin_network_valid(const char *net)
{
	struct origin_net n;

	return origin_net_parse(net, &n);
}

static bool origin_net_contains(const struct origin_net *n, int family,
                             const unsigned char *addr)
{
	unsigned full, rest;

	if (n->family != family)
		return false;
	full = n->prefix / 8;
	rest = n->prefix % 8;
	if (memcmp(n->addr, addr, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((n->addr[full] & mask) != (addr[full] & mask))
			return false;
	}
	return true;
}

bool origin_relay(const struct sockaddr *ip, const char *const *nets)
{
	unsigned char addr[16];
	int family;

	if (ip == NULL || nets == NULL)
		return false;
	if (ip->sa_family == AF_INET) {
		family = AF_INET;
		memcpy(addr, &((const struct sockaddr_in *)(const void *)ip)->sin_addr, 4);
	} else if (ip->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)(const void *)ip)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			family = AF_INET;
			memcpy(addr, &a->s6_addr[12], 4);
		} else {
			family = AF_INET6;
			memcpy(addr, a->s6_addr, 16);
		}
	} else {
		return false;
	}
	for (const char *const *p = nets; *p != NULL; p++) {
		struct origin_net n;

		if (origin_net_parse(*p, &n) && origin_net_contains(&n, family, addr))
			return true;
	}
	return false;
}
