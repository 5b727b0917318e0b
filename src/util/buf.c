/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.c - bounded, growable byte buffer (see buf.h).
 *
 * Memory is allocated lazily; until the first append `data` points at a
 * shared empty string so that it is always a valid NUL-terminated string.
 * Growth doubles, but never past cap + 1 bytes (the terminator).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static char buf_empty[1];

void
buf_init(struct buf *b, size_t cap)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->truncated = false;
}

/* Make room for `need` bytes of content plus the terminator. */
static int
buf_grow(struct buf *b, size_t need)
{
	size_t want;
	char *p;

	if (need < b->alloc)
		return 0;
	want = b->alloc ? b->alloc : 64;
	while (want <= need) {
		if (want > ((size_t)-1) / 2) {
			want = need + 1;
			break;
		}
		want *= 2;
	}
	if (b->cap < ((size_t)-1) && want > b->cap + 1)
		want = b->cap + 1;
	if (want <= need)
		want = need + 1;
	p = b->alloc ? realloc(b->data, want) : malloc(want);
	if (p == NULL)
		return -1;
	if (b->alloc == 0)
		p[0] = '\0';
	b->data = p;
	b->alloc = want;
	return 0;
}

int
buf_append(struct buf *b, const void *data, size_t len)
{
	size_t room, n;

	room = b->cap > b->len ? b->cap - b->len : 0;
	n = len < room ? len : room;
	if (n > 0) {
		if (buf_grow(b, b->len + n) < 0) {
			b->truncated = true;
			return -1;
		}
		memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
	}
	if (n < len) {
		b->truncated = true;
		return -1;
	}
	return 0;
}

int
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t want, room, fit;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	want = (size_t)n;
	room = b->cap > b->len ? b->cap - b->len : 0;
	fit = want < room ? want : room;
	if (fit > 0) {
		if (buf_grow(b, b->len + fit) < 0) {
			b->truncated = true;
			return -1;
		}
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, fit + 1, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->data[b->len] = '\0';
			return -1;
		}
		b->len += fit;
		b->data[b->len] = '\0';
	}
	if (fit < want) {
		b->truncated = true;
		return -1;
	}
	return 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->truncated = false;
	if (b->alloc)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->truncated = false;
}
