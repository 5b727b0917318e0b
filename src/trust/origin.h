/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * origin.h - how far a bounce's origin is proven (DESIGN.md section 6).
 *
 * Four levels, strongest first: signed (the envelope recipient carries a
 * valid HMAC tag: VERP or BATV), trusted (the client IP is in a configured
 * relay network: our own outbound MTAs), aligned (the client IP passes
 * SPF check_host() for the failed recipient's domain), unaligned
 * (anything else).  Loopback gets no implicit trust: only a configured
 * network makes a relay, and 127.0.0.1 must be listed to count.
 * origin_network_valid() checks a relay entry ("192.0.2.0/24",
 * "2001:db8::/32", "192.0.2.10"; host bits must be zero);
 * origin_relay() matches a client address (IPv4-mapped IPv6 is compared
 * as IPv4) against a NULL-terminated list of entries.  Pure, no
 * allocation, thread-safe.
 */
#ifndef BM_ORIGIN_H
#define BM_ORIGIN_H

#include <stdbool.h>
#include <sys/socket.h>

enum origin_level {
	ORIGIN_UNALIGNED = 0,
	ORIGIN_ALIGNED,
	ORIGIN_TRUSTED,
	ORIGIN_SIGNED,
	ORIGIN_COUNT
};

/* "unaligned", "aligned", "trusted", "signed". */
const char *origin_name(enum origin_level l);
/* The level named by s, or ORIGIN_COUNT. */
enum origin_level origin_parse(const char *s);

bool origin_network_valid(const char *net);
bool origin_relay(const struct sockaddr *ip, const char *const *nets);

#endif
