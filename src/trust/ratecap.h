/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ratecap.h - hourly caps on new suppression entries, per key.
 *
 * A fixed-size table of keys (client networks, recipient domains: the
 * caller's choice, cut at 257 bytes) with a sliding one-hour window
 * (counts kept per minute).  ratecap_take() reserves one entry for the IP and
 * returns true while the IP is under `per_hour`; false once it is capped.
 * The table is bounded (least recently used IPs are evicted).  Thread-safe.
 * A refused take does not count; per_hour 0 allows nothing; ip NULL or ""
 * share one key; keys are cut at 63 bytes.  ratecap_new(0) returns NULL.
 * ratecap_give() returns one entry taken for the IP within the window (the
 * newest), for a take whose entry was never written: a refused attempt
 * that the MTA retries must not count twice.  Added, compatible.
 */
#ifndef BM_RATECAP_H
#define BM_RATECAP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct ratecap;

struct ratecap *ratecap_new(size_t slots);
void ratecap_free(struct ratecap *rc);
/* ip is the printable client address ("192.0.2.10"); now is time(NULL). */
bool ratecap_take(struct ratecap *rc, const char *ip, unsigned per_hour, time_t now);
/* Undo one take for ip; a no-op when ip has nothing taken in the window. */
void ratecap_give(struct ratecap *rc, const char *ip, time_t now);

/* The client network a printable address belongs to, as a key: IPv4 /24
 * ("192.0.2.0/24", also for IPv4-mapped IPv6), IPv6 /64
 * ("2001:db8:1:2::/64"); anything else is copied ("unknown" for NULL or
 * ""), so one host cannot spread over addresses of its own subnet
 * (attack 6 of issue 10).  0, or -1 when out is too small. */
int ratecap_net_key(const char *ip, char *out, size_t outsz);

#endif
