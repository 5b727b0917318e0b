/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcache.c - per-thread caches kept on the heap (see tcache.h).
 *
 * One C11 thread-specific key owns each thread's table of blocks, so that
 * the key's destructor frees them when the thread exits; a thread-local
 * pointer to the same table (8 bytes of thread-local storage) saves the
 * tss_get() call on the hot path.  The main thread's blocks are not freed
 * at exit() (C11 runs no tss destructors there); they stay reachable.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

#include "util/tcache.h"

struct tcache_table {
	void *block[TCACHE_SLOTS];
};

static once_flag tcache_once = ONCE_FLAG_INIT;
static tss_t tcache_key;
static bool tcache_key_ok;
static _Thread_local struct tcache_table *tcache_mine;

static void tcache_free(void *p)
{
	struct tcache_table *t = p;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < TCACHE_SLOTS; i++)
		free(t->block[i]);
	free(t);
	/* a later thread-exit destructor that parses must not reuse it */
	tcache_mine = NULL;
}

static void tcache_key_init(void)
{
	tcache_key_ok = tss_create(&tcache_key, tcache_free) == thrd_success;
}

void *tcache_get(enum tcache_slot slot, size_t size)
{
	struct tcache_table *t = tcache_mine;

	if ((unsigned)slot >= TCACHE_SLOTS || size == 0)
		return NULL;
	if (t == NULL) {
		call_once(&tcache_once, tcache_key_init);
		if (!tcache_key_ok)
			return NULL;
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return NULL;
		if (tss_set(tcache_key, t) != thrd_success) {
			free(t);
			return NULL;
		}
		tcache_mine = t;
	}
	if (t->block[slot] == NULL)
		t->block[slot] = calloc(1, size);
	return t->block[slot];
}
