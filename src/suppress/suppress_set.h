/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_set.h - the suppression list's dedupe set (internal to suppress).
 *
 * A set of addresses (<= 255 octets each): open addressing, linear probing,
 * 8-byte slots, the octets in one arena; a million entries take ~45 MB.
 * suppress_set_add() finds or inserts in one probe sequence; an entry may
 * be inserted as pending (written, not yet durable) and later committed or
 * removed (backward-shift deletion; the arena tail is reclaimed when the
 * newest entry goes, as rollbacks remove newest first).  Not thread-safe:
 * the list serialises every call under its mutex.  Hash with
 * suppress_set_hash() and pass the same value to every call.
 */
#ifndef BM_SUPPRESS_SET_H
#define BM_SUPPRESS_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUPPRESS_SET_PENDING   0x80000000u  /* slot flag: not yet durable */
#define SUPPRESS_SET_HASH_MASK 0x7fffffffu
#define SUPPRESS_SET_NONE      ((size_t)-1)

/* slot: hash (31 bits) | SUPPRESS_SET_PENDING, and the arena offset (0 = empty).
 * Arena entry: one length octet, then the address octets. */
struct suppress_set_slot {
	uint32_t hash;
	uint32_t off;
};

struct suppress_set {
	struct suppress_set_slot *slots;
	size_t cap;                /* power of two */
	size_t used;               /* occupied slots, pending included */
	size_t pending;
	unsigned char *arena;
	size_t alen, acap;
};

uint32_t suppress_set_hash(const char *s, size_t n);
/* cap: a power of two.  0 or -1 (no memory). */
int suppress_set_init(struct suppress_set *s, size_t cap);
void suppress_set_free(struct suppress_set *s);
/* Room for n entries without growing (a hint; 0 or -1). */
int suppress_set_reserve(struct suppress_set *s, size_t n);
/* Slot index of the key, or SUPPRESS_SET_NONE. */
size_t suppress_set_find(const struct suppress_set *s, const char *k, size_t n,
                         uint32_t h);
/* Slot index (found: *existed true; inserted: false), -1 no memory. */
long suppress_set_add(struct suppress_set *s, const char *k, size_t n,
                      uint32_t h, bool pending, bool *existed);
void suppress_set_remove(struct suppress_set *s, size_t i);
/* A hint: the slot where a key of hash h would start probing. */
void suppress_set_prefetch(const struct suppress_set *s, uint32_t h);

#endif
