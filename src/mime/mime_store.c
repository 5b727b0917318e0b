/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_store.c - memory of one MIME parse (see mime_store.h).
 *
 * Arrays double from their first storage (never freed here: it lies in the
 * owner).  Arena blocks are chained newest first and never realloc'd, which
 * is what keeps unfolded header values at a fixed address.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime_store.h"

#define MIME_STORE_BLOCK_SIZE 4000      /* block payload (a malloc of ~4 KiB) */

struct mime_store_block {
	struct mime_store_block *next;
	size_t used, cap;
	char data[];
};

int
mime_store_grow(void **v, size_t *cap, size_t need, size_t elem, void *first)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	if (*v == first) {
		p = malloc(ncap * elem);
		if (p != NULL && *cap > 0)
			memcpy(p, first, *cap * elem);
	} else {
		p = realloc(*v, ncap * elem);
	}
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

void
mime_store_arena_init(struct mime_store_arena *a)
{
	/* first[] needs no zeroing */
	a->head = NULL;
	a->used = 0;
}

char *
mime_store_alloc(struct mime_store_arena *a, size_t n)
{
	struct mime_store_block **head = &a->head, *b = *head;
	size_t cap;
	char *p;

	if (b == NULL && sizeof(a->first) - a->used >= n) {
		p = a->first + a->used;
		a->used += n;
		return p;
	}
	if (b == NULL || b->cap - b->used < n) {
		cap = n > MIME_STORE_BLOCK_SIZE ? n : MIME_STORE_BLOCK_SIZE;
		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		if (*head != NULL && n > MIME_STORE_BLOCK_SIZE) {
			/* a big request gets a block of its own; the current
			 * block keeps serving small ones */
			b->next = (*head)->next;
			(*head)->next = b;
		} else {
			b->next = *head;
			*head = b;
		}
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

void
mime_store_arena_free(struct mime_store_arena *a)
{
	struct mime_store_block *b;

	while (a->head != NULL) {
		b = a->head;
		a->head = b->next;
		free(b);
	}
	a->used = 0;
}
