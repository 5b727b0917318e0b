/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_store.h - memory of one MIME parse (internal to mime).
 *
 * Storage that starts inside its owner (the mime_msg, or a frame of
 * mime_parse()), so a common message costs one allocation, and moves to the
 * heap only when it outgrows that first storage:
 *  - mime_store_grow() makes room in an array whose first storage is never
 *    freed or realloc'd (it is copied out once); the caller frees the array
 *    only when it no longer points there;
 *  - an arena hands out bytes that never move (first storage, then blocks
 *    of ~4 KiB; a larger request gets a block of its own), so a pointer
 *    into it stays valid until mime_store_arena_free().
 * Failures return -1 / NULL (out of memory, size overflow) and leave the
 * array or arena as it was.  Not thread-safe per object.
 */
#ifndef BM_MIME_STORE_H
#define BM_MIME_STORE_H

#include <stddef.h>

#define MIME_STORE_ARENA_FIRST 1024     /* arena bytes inside its owner */

struct mime_store_block;

struct mime_store_arena {
	struct mime_store_block *head;  /* heap blocks, newest first */
	size_t used;                    /* of first[] */
	char first[MIME_STORE_ARENA_FIRST];
};

/* Make room for `need` elements of `elem` bytes in *v (capacity *cap);
 * `first` is the array's first storage.  0, or -1 when out of memory. */
int mime_store_grow(void **v, size_t *cap, size_t need, size_t elem,
                    void *first);

void mime_store_arena_init(struct mime_store_arena *a);
/* n bytes from the arena, or NULL when out of memory. */
char *mime_store_alloc(struct mime_store_arena *a, size_t n);
/* Frees the heap blocks; the arena is empty (and usable) afterwards. */
void mime_store_arena_free(struct mime_store_arena *a);

#endif
