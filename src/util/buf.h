/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.h - one bounded, growable byte buffer.
 *
 * A buf has an explicit length and a hard cap fixed at creation.  Appends
 * that would pass the cap copy what fits, set `truncated`, and return -1:
 * truncation is visible, never silent.  The data is always NUL-terminated
 * (the terminator is not counted in len) so text helpers can use it, but it
 * may contain NUL bytes.  Not thread-safe; one owner at a time.
 */
#ifndef BM_BUF_H
#define BM_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;       /* maximum len */
	bool truncated;
};

void buf_init(struct buf *b, size_t cap);
int buf_append(struct buf *b, const void *data, size_t len);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);     /* len = 0, keeps memory and cap */
/* Releases the memory; the buf is left empty (len 0, not truncated,
 * the same cap), ready for more appends. */
void buf_free(struct buf *b);

#endif
