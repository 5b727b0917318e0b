/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ratecap.c - per-IP hourly cap: a fixed table, a hash index, an LRU list.
 *
 * Each slot holds one client address and 60 per-minute counters; the window
 * is the current minute and the 59 before it, so an entry taken at 10:00:30
 * stops counting at 11:00:00.  A clock that steps backwards is treated as
 * "still the last minute seen" (counts are never lost).  When the table is
 * full the least recently used address is forgotten: an attacker who cycles
 * through more addresses than `slots` can reset its own counts, which is why
 * the daemon also caps per message.  per_hour 0 allows nothing.  Keys are
 * any text: the daemon uses client networks (ratecap_net_key) and "@domain".
 */
#include "config.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust/ratecap.h"

#define BM_RATECAP_IP_MAX   258 /* longest key kept: "@" and a 253-octet domain */
#define BM_RATECAP_MINUTES  60
#define BM_RATECAP_NIL      SIZE_MAX

struct ratecap_slot {
	char ip[BM_RATECAP_IP_MAX];
	bool used;
	size_t hnext;               /* hash chain */
	size_t prev, next;          /* LRU list, most recent at head */
	int64_t last_min;           /* minute of the newest counter */
	unsigned total;
	unsigned count[BM_RATECAP_MINUTES];
};

struct ratecap {
	pthread_mutex_t lock;
	struct ratecap_slot *slot;
	size_t nslots, nused;
	size_t *bucket;
	size_t nbuckets;            /* power of two */
	size_t head, tail;
};

struct ratecap *ratecap_new(size_t slots)
{
	struct ratecap *rc;

	if (slots == 0 || slots > SIZE_MAX / 4 / sizeof(struct ratecap_slot))
		return NULL;
	rc = calloc(1, sizeof(*rc));
	if (rc == NULL)
		return NULL;
	rc->nslots = slots;
	rc->nbuckets = 1;
	while (rc->nbuckets < slots * 2)
		rc->nbuckets <<= 1;
	rc->slot = calloc(slots, sizeof(*rc->slot));
	rc->bucket = malloc(rc->nbuckets * sizeof(*rc->bucket));
	if (rc->slot == NULL || rc->bucket == NULL
	    || pthread_mutex_init(&rc->lock, NULL) != 0) {
		free(rc->slot);
		free(rc->bucket);
		free(rc);
		return NULL;
	}
	for (size_t i = 0; i < rc->nbuckets; i++)
		rc->bucket[i] = BM_RATECAP_NIL;
	rc->head = rc->tail = BM_RATECAP_NIL;
	return rc;
}

void ratecap_free(struct ratecap *rc)
{
	if (rc == NULL)
		return;
	pthread_mutex_destroy(&rc->lock);
	free(rc->slot);
	free(rc->bucket);
	free(rc);
}

/* FNV-1a over the key. */
static size_t ratecap_hash(const char *ip)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *ip; ip++) {
		h ^= (unsigned char)*ip;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static void ratecap_unlink(struct ratecap *rc, size_t i)
{
	struct ratecap_slot *s = &rc->slot[i];

	if (s->prev != BM_RATECAP_NIL)
		rc->slot[s->prev].next = s->next;
	else
		rc->head = s->next;
	if (s->next != BM_RATECAP_NIL)
		rc->slot[s->next].prev = s->prev;
	else
		rc->tail = s->prev;
}

static void ratecap_push_front(struct ratecap *rc, size_t i)
{
	struct ratecap_slot *s = &rc->slot[i];

	s->prev = BM_RATECAP_NIL;
	s->next = rc->head;
	if (rc->head != BM_RATECAP_NIL)
		rc->slot[rc->head].prev = i;
	rc->head = i;
	if (rc->tail == BM_RATECAP_NIL)
		rc->tail = i;
}

static void ratecap_unhash(struct ratecap *rc, size_t i)
{
	size_t *pp = &rc->bucket[ratecap_hash(rc->slot[i].ip) & (rc->nbuckets - 1)];

	while (*pp != BM_RATECAP_NIL) {
		if (*pp == i) {
			*pp = rc->slot[i].hnext;
			return;
		}
		pp = &rc->slot[*pp].hnext;
	}
}

/* Find the slot for key, or claim one (a free one, else the LRU victim). */
static size_t ratecap_slot_for(struct ratecap *rc, const char *key, int64_t min)
{
	size_t b = ratecap_hash(key) & (rc->nbuckets - 1), i;
	struct ratecap_slot *s;

	for (i = rc->bucket[b]; i != BM_RATECAP_NIL; i = rc->slot[i].hnext)
		if (strcmp(rc->slot[i].ip, key) == 0) {
			ratecap_unlink(rc, i);
			ratecap_push_front(rc, i);
			return i;
		}
	if (rc->nused < rc->nslots) {
		i = rc->nused++;
	} else {
		i = rc->tail;
		ratecap_unlink(rc, i);
		ratecap_unhash(rc, i);
	}
	s = &rc->slot[i];
	memset(s, 0, sizeof(*s));
	memcpy(s->ip, key, strlen(key) + 1);
	s->used = true;
	s->last_min = min;
	s->hnext = rc->bucket[b];
	rc->bucket[b] = i;
	ratecap_push_front(rc, i);
	return i;
}

/* Move the window forward to minute `min`, expiring old counters. */
static void ratecap_advance(struct ratecap_slot *s, int64_t min)
{
	if (min <= s->last_min)
		return;
	if (min - s->last_min >= BM_RATECAP_MINUTES) {
		memset(s->count, 0, sizeof(s->count));
		s->total = 0;
	} else {
		for (int64_t m = s->last_min + 1; m <= min; m++) {
			unsigned *c = &s->count[m % BM_RATECAP_MINUTES];
			s->total -= *c;
			*c = 0;
		}
	}
	s->last_min = min;
}

/* The table key (the IP text, bounded) and the minute of `now`. */
static int64_t
ratecap_key(const char *ip, time_t now, char key[BM_RATECAP_IP_MAX])
{
	size_t n;
	int64_t min;

	if (ip == NULL)
		ip = "";
	n = strnlen(ip, BM_RATECAP_IP_MAX - 1);
	memcpy(key, ip, n);
	key[n] = '\0';
	min = (int64_t)now / 60;
	return min < 0 ? 0 : min;
}

bool ratecap_take(struct ratecap *rc, const char *ip, unsigned per_hour, time_t now)
{
	char key[BM_RATECAP_IP_MAX];
	struct ratecap_slot *s;
	int64_t min;
	bool ok;

	if (rc == NULL)
		return false;
	min = ratecap_key(ip, now, key);
	if (pthread_mutex_lock(&rc->lock) != 0)
		return false;
	s = &rc->slot[ratecap_slot_for(rc, key, min)];
	ratecap_advance(s, min);
	ok = s->total < per_hour;
	if (ok) {
		s->count[s->last_min % BM_RATECAP_MINUTES]++;
		s->total++;
	}
	pthread_mutex_unlock(&rc->lock);
	return ok;
}

void ratecap_give(struct ratecap *rc, const char *ip, time_t now)
{
	char key[BM_RATECAP_IP_MAX];
	struct ratecap_slot *s;
	int64_t min;
	size_t i;

	if (rc == NULL)
		return;
	min = ratecap_key(ip, now, key);
	if (pthread_mutex_lock(&rc->lock) != 0)
		return;
	for (i = rc->bucket[ratecap_hash(key) & (rc->nbuckets - 1)]; i != BM_RATECAP_NIL;
	     i = rc->slot[i].hnext)
		if (strcmp(rc->slot[i].ip, key) == 0)
			break;
	if (i != BM_RATECAP_NIL) {
		s = &rc->slot[i];
		ratecap_advance(s, min);
		/* the newest minute with a count: where the take being undone went */
		for (int64_t m = s->last_min; m > s->last_min - BM_RATECAP_MINUTES && m >= 0; m--) {
			unsigned *c = &s->count[m % BM_RATECAP_MINUTES];

			if (*c > 0) {
				(*c)--;
				s->total--;
				break;
			}
		}
	}
	pthread_mutex_unlock(&rc->lock);
}

int ratecap_net_key(const char *ip, char *out, size_t outsz)
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];

	if (out == NULL || outsz == 0)
		return -1;
	if (ip != NULL && inet_pton(AF_INET, ip, a) == 1) {
		a[3] = 0;
		if (inet_ntop(AF_INET, a, text, sizeof text) == NULL)
			return -1;
		return (size_t)snprintf(out, outsz, "%s/24", text) < outsz ? 0 : -1;
	}
	if (ip != NULL && inet_pton(AF_INET6, ip, a) == 1) {
		if (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0 &&
		    a[5] == 0 && a[6] == 0 && a[7] == 0 && a[8] == 0 && a[9] == 0 &&
		    a[10] == 0xff && a[11] == 0xff) {
			/* IPv4-mapped: the IPv4 /24 */
			snprintf(text, sizeof text, "%u.%u.%u.0", a[12], a[13], a[14]);
			return (size_t)snprintf(out, outsz, "%s/24", text) < outsz ? 0 : -1;
		}
		memset(a + 8, 0, 8);
		if (inet_ntop(AF_INET6, a, text, sizeof text) == NULL)
			return -1;
		return (size_t)snprintf(out, outsz, "%s/64", text) < outsz ? 0 : -1;
	}
	return (size_t)snprintf(out, outsz, "%s", ip != NULL && *ip != '\0' ? ip : "unknown")
	    < outsz ? 0 : -1;
}
