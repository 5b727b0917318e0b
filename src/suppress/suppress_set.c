/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_set.c - the dedupe set: open addressing with linear probing,
 * 8-byte slots, the address octets in one arena (grown by realloc, which
 * glibc does by mremap for big blocks), backward-shift deletion.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suppress/suppress_set.h"

/* ------------------------------------------------------------ dedupe set */

/* Slot tables: big ones come straight from mmap (zeroed, page-aligned) and
 * ask for transparent huge pages, so that random probes miss the TLB less
 * and a million-entry load takes fewer page faults. */
#define SUP_MMAP_MIN ((size_t)2 << 20)

static struct suppress_set_slot *
sup_slots_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct suppress_set_slot);
	void *p;

	if (bytes < SUP_MMAP_MIN)
		return calloc(cap, sizeof(struct suppress_set_slot));
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	         -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

static void
sup_slots_free(struct suppress_set_slot *slots, size_t cap)
{
	size_t bytes = cap * sizeof(struct suppress_set_slot);

	if (slots == NULL)
		return;
	if (bytes < SUP_MMAP_MIN)
		free(slots);
	else
		(void)munmap(slots, bytes);
}

uint32_t
suppress_set_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h & SUPPRESS_SET_HASH_MASK;
}

int
suppress_set_init(struct suppress_set *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->cap = cap;
	if ((s->slots = sup_slots_alloc(cap)) == NULL)
		return -1;
	s->acap = (size_t)1 << 20;  /* mmap-backed: realloc grows by mremap */
	if ((s->arena = malloc(s->acap)) == NULL) {
		sup_slots_free(s->slots, s->cap);
		s->slots = NULL;
		return -1;
	}
	s->alen = 1;               /* offset 0 means "empty slot" */
	return 0;
}

void
suppress_set_free(struct suppress_set *s)
{
	sup_slots_free(s->slots, s->cap);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

/* Slot index holding the key, or (size_t)-1. */
size_t
suppress_set_find(const struct suppress_set *s, const char *k, size_t n, uint32_t h)
{
	size_t mask = s->cap - 1, i = h & mask;

	for (;;) {
		const struct suppress_set_slot *sl = &s->slots[i];

		if (sl->off == 0)
			return (size_t)-1;
		if ((sl->hash & SUPPRESS_SET_HASH_MASK) == h && s->arena[sl->off] == n &&
		    memcmp(s->arena + sl->off + 1, k, n) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

static int
sup_set_rehash(struct suppress_set *s, size_t ncap)
{
	size_t i, j, mask = ncap - 1;
	struct suppress_set_slot *ns;

	if ((ns = sup_slots_alloc(ncap)) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slots[i].off == 0)
			continue;
		j = (s->slots[i].hash & SUPPRESS_SET_HASH_MASK) & mask;
		while (ns[j].off != 0)
			j = (j + 1) & mask;
		ns[j] = s->slots[i];
	}
	sup_slots_free(s->slots, s->cap);
	s->slots = ns;
	s->cap = ncap;
	return 0;
}

/* Find the key, or insert it (pending or durable) when absent: one probe
 * sequence either way.  Slot index, *existed telling which; -1 no memory. */
long
suppress_set_add(struct suppress_set *s, const char *k, size_t n, uint32_t h,
            bool pending, bool *existed)
{
	size_t mask, i;

	if ((s->used + 1) * 4 > s->cap * 3 && sup_set_rehash(s, s->cap * 2) < 0)
		return -1;
	mask = s->cap - 1;
	for (i = h & mask; s->slots[i].off != 0; i = (i + 1) & mask) {
		const struct suppress_set_slot *sl = &s->slots[i];

		if ((sl->hash & SUPPRESS_SET_HASH_MASK) == h && s->arena[sl->off] == n &&
		    memcmp(s->arena + sl->off + 1, k, n) == 0) {
			*existed = true;
			return (long)i;
		}
	}
	*existed = false;
	if (n + 1 > s->acap - s->alen) {
		size_t ncap = s->acap * 2;
		unsigned char *na;

		if (ncap > UINT32_MAX)
			return -1;
		if ((na = realloc(s->arena, ncap)) == NULL)
			return -1;
		s->arena = na;
		s->acap = ncap;
	}
	s->slots[i].hash = h | (pending ? SUPPRESS_SET_PENDING : 0);
	s->slots[i].off = (uint32_t)s->alen;
	s->arena[s->alen] = (unsigned char)n;
	memcpy(s->arena + s->alen + 1, k, n);
	s->alen += n + 1;
	s->used++;
	if (pending)
		s->pending++;
	return (long)i;
}

/* Remove slot i (backward-shift deletion); pops the arena tail if it is
 * this key's text (rollbacks remove in reverse order of insertion). */
void
suppress_set_remove(struct suppress_set *s, size_t i)
{
	size_t mask = s->cap - 1, j = i, home;
	uint32_t off = s->slots[i].off;

	if (s->slots[i].hash & SUPPRESS_SET_PENDING)
		s->pending--;
	if ((size_t)off + 1 + s->arena[off] == s->alen)
		s->alen = off;
	s->used--;
	for (;;) {
		s->slots[i].off = 0;
		s->slots[i].hash = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (s->slots[j].off == 0)
				return;
			home = (s->slots[j].hash & SUPPRESS_SET_HASH_MASK) & mask;
			/* move j back to i unless its home lies in (i, j] */
			if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
				break;
		}
		s->slots[i] = s->slots[j];
		i = j;
	}
}


void
suppress_set_prefetch(const struct suppress_set *s, uint32_t h)
{
#if defined(__GNUC__)
	__builtin_prefetch(&s->slots[h & (s->cap - 1)], 0, 1);
#else
	(void)s;
	(void)h;
#endif
}

#define SUP_RESERVE_MAX ((size_t)1 << 27)   /* slots: 1 GiB of table at most */

int
suppress_set_reserve(struct suppress_set *s, size_t n)
{
	size_t ncap = s->cap;

	while (n * 4 > ncap * 3 && ncap < SUP_RESERVE_MAX)
		ncap *= 2;
	return ncap == s->cap ? 0 : sup_set_rehash(s, ncap);
}
