/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcache.h - per-thread caches kept on the heap, not in thread-local storage.
 *
 * Some modules keep an index or memo per thread (built from constant tables
 * or learnt as lists are asked about), so that bounce_parse() shares nothing
 * between threads.  Big ones do not belong in `_Thread_local` variables:
 * glibc gives every thread of the process (each libmilter connection, each
 * SPF lookup thread) its own zeroed copy of all thread-local storage when
 * the thread starts, whether it ever parses a message or not.
 * tcache_get() hands out a zeroed block per thread and slot instead,
 * allocated the first time that thread asks, freed when the thread exits.
 * NULL when memory (or the thread-exit hook) is unavailable: every caller
 * then does its work without the cache, with the same answers.
 */
#ifndef BM_TCACHE_H
#define BM_TCACHE_H

#include <stddef.h>

enum tcache_slot {
	TCACHE_ANALYSIS_INDEX,  /* classify/analysis.c: phrase indexes of the
	                           fields of a message */
	TCACHE_COMMON_LISTS,    /* classify/recognisers/common.c: indexed lists */
	TCACHE_SLOTS
};

/* This thread's block for slot: `size` zeroed bytes on the first call;
 * every later call of the thread must ask the same size.  NULL on failure. */
void *tcache_get(enum tcache_slot slot, size_t size);

#endif
